"""The load stages: config -> files -> documents -> corpus, every problem collected.

:func:`load` runs them over the whole project (builds, ``check``, ``diff``, the first
preview); :func:`reload` runs the same stages over the files a change touched, reusing
the rest of a previous :class:`Loaded` (the live preview).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.config import CONFIG_FILE, ProjectConfig, load_config
from roadmapgen.errors import ContentError, Report, UsageError
from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.dates import last_changed, modified_date
from roadmapgen.load.discover import ProjectFiles, discover
from roadmapgen.load.git import read_log
from roadmapgen.load.versions import item_versions
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.document import Document
from roadmapgen.model.graph import Corpus, link, relink
from roadmapgen.model.read import ReadResult, checked_front_matter, read_document
from roadmapgen.model.survey import Survey, SurveyRead, read_surveys, stray_data_files

ReadMany = Callable[[Iterable[SourceFile]], Iterator[ReadResult]]
"""Reads many files; serial by default, a process pool when the build runs in parallel."""


@dataclass(frozen=True, slots=True)
class Project:
    config: ProjectConfig
    corpus: Corpus


def find_project(start: Path) -> Path:
    """The folder holding roadmapgen.yaml: ``start`` or the nearest folder above it.

    Raises:
        UsageError: if there is none.
    """
    start = start.resolve()
    if not start.is_dir():
        raise UsageError(f"{start}: no such folder")
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise UsageError(
        f"{start}: not inside a roadmapgen project (no {CONFIG_FILE} here or above); run 'roadmapgen init DIR' "
        "to start one"
    )


def read_serially(sources: Iterable[SourceFile]) -> Iterator[ReadResult]:
    parser = BodyParser()
    return (read_document(source, parser) for source in sources)


def scan_project(
    project_dir: Path, report: Report, output_dir: Path | None = None
) -> tuple[ProjectConfig, ProjectFiles] | None:
    """The configuration and the files there are; None (with the report saying why) on errors."""
    config, problems = load_config(project_dir, output_dir=output_dir)
    report.extend(problems)
    if config is None or report.failed:
        return None
    files, problems = discover(config.project_dir, config.content_dir)
    report.extend(problems)
    return config, files


@dataclass(frozen=True, slots=True)
class Loaded:
    """A project read and linked, with what each stage found, so a change can redo only its part."""

    config: ProjectConfig
    files: ProjectFiles
    reads: Mapping[str, ReadResult]
    """Each file's read result, by document key."""
    history: Mapping[str, dt.date]
    corpus: Corpus
    link_problems: tuple[ContentError, ...]
    by_path: Mapping[Path, SourceFile]
    """Each document file by its absolute path: what a change names."""
    surveys: Mapping[str, SurveyRead]
    """Each survey metric's responses, read: its survey, or the problems of its file."""

    def problems(self) -> list[ContentError]:
        found = [problem for result in self.reads.values() for problem in result.problems]
        found += [problem for _, problems in self.surveys.values() for problem in problems]
        return found + list(self.link_problems)


def load(config: ProjectConfig, files: ProjectFiles, read_many: ReadMany = read_serially,
         latest: dt.date | None = None) -> Loaded:
    """Read every document, date it (file times no later than ``latest``) and link the corpus."""
    reads = {source.key: result for source, result in zip(files.documents, read_many(files.documents), strict=True)}
    documents_by_key = _documents(reads)
    surveys = read_surveys(documents_by_key, reads.keys(), files.data)
    data_problems = stray_data_files(documents_by_key, files.data)
    log = read_log(config.project_dir)  # one git log for both the dates and the versions
    history = last_changed(config.project_dir, files.documents, log, latest)
    versions = item_versions(config.project_dir, files.documents, log, checked_front_matter)
    documents = (result.document for result in reads.values() if result.document is not None)
    corpus, problems = link(documents, files.assets, history, existing=reads.keys(), versions=versions,
                            surveys=_computed(surveys))
    return Loaded(config, files, reads, history, corpus, tuple(problems + data_problems), _by_path(files), surveys)


def _computed(surveys: Mapping[str, SurveyRead]) -> dict[str, Survey]:
    return {key: survey for key, (survey, _) in surveys.items() if survey is not None}


def _documents(reads: Mapping[str, ReadResult]) -> dict[str, Document | None]:
    return {key: result.document for key, result in reads.items()}


def reload(
    previous: Loaded, paths: Collection[Path], read_many: ReadMany = read_serially, latest: dt.date | None = None
) -> tuple[Loaded, frozenset[str], list[ContentError]] | None:
    """``previous`` brought up to date with the files at ``paths``: (loaded, keys of changed documents,
    problems finding files). None when the change needs :func:`load` (the set of assets changed)."""
    config, files = previous.config, previous.files
    problems: list[ContentError] = []
    by_path = previous.by_path
    if any(path not in by_path or not path.exists() for path in paths):
        files, problems = discover(config.project_dir, config.content_dir)
        by_path = _by_path(files)
    if files.assets.keys() != previous.files.assets.keys() or _touches_data(paths, files, previous.files):
        return None
    current: Collection[str] = (previous.reads.keys() if files is previous.files
                                else {source.key for source in files.documents})
    removed = previous.reads.keys() - current
    changed = [by_path[path] for path in dict.fromkeys(paths) if path in by_path]
    reads = {key: result for key, result in previous.reads.items() if key not in removed}
    reads.update({source.key: result for source, result in zip(changed, read_many(changed), strict=True)})
    surveys = {key: found for key, found in previous.surveys.items() if key in reads}
    for source in changed:
        surveys.pop(source.key, None)
    documents_by_key = _documents(reads)
    surveys.update(read_surveys(documents_by_key, (source.key for source in changed), files.data))
    data_problems = stray_data_files(documents_by_key, files.data)
    history = {key: day for key, day in previous.history.items() if key not in removed}
    history.update({source.key: modified_date(source.absolute, latest) for source in changed})
    keys = frozenset({source.key for source in changed} | removed)
    documents: dict[str, Document | None] = {key: _document(reads.get(key)) for key in keys}
    corpus, link_problems = relink(previous.corpus, documents, history, current, _computed(surveys))
    return (Loaded(config, files, reads, history, corpus, tuple(link_problems + data_problems), by_path, surveys),
            keys, problems)


def _touches_data(paths: Collection[Path], *found: ProjectFiles) -> bool:
    """Whether a change edits, adds or deletes a data file (found before or after it): what names it
    is read again whole."""
    data = {data_file.absolute for files in found for data_file in files.data.values()}
    return any(path in data for path in paths)


def _by_path(files: ProjectFiles) -> dict[Path, SourceFile]:
    return {source.absolute: source for source in files.documents}


def _document(result: ReadResult | None) -> Document | None:
    return result.document if result is not None else None


def load_corpus(config: ProjectConfig, files: ProjectFiles, report: Report, read_many: ReadMany = read_serially,
                latest: dt.date | None = None) -> Corpus:
    loaded = load(config, files, read_many, latest)
    report.extend(loaded.problems())
    return loaded.corpus


def load_project(
    project_dir: Path, report: Report, *, output_dir: Path | None = None, read_many: ReadMany = read_serially
) -> Project | None:
    """Everything up to the checked corpus; None (with the report saying why) on errors."""
    scanned = scan_project(project_dir, report, output_dir)
    if scanned is None:
        return None
    config, files = scanned
    corpus = load_corpus(config, files, report, read_many)
    return None if report.failed else Project(config, corpus)
