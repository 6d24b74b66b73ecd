"""Load a whole project: config -> files -> documents -> corpus, every problem collected."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.config import CONFIG_FILE, SiteConfig, load_config
from roadmapgen.errors import Report, UsageError
from roadmapgen.load.discover import ProjectFiles, discover
from roadmapgen.load.history import last_changed
from roadmapgen.load.layout import SourceFile
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.graph import Corpus, link
from roadmapgen.model.read import ReadResult, read_document

ReadMany = Callable[[Iterable[SourceFile]], Iterator[ReadResult]]
"""Reads many files; serial by default, a process pool when the build runs in parallel."""


@dataclass(frozen=True, slots=True)
class Project:
    config: SiteConfig
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
    raise UsageError(f"{start}: not inside a roadmapgen project (no {CONFIG_FILE} here or above); run 'roadmapgen init DIR' to start one")


def read_serially(sources: Iterable[SourceFile]) -> Iterator[ReadResult]:
    parser = BodyParser()
    return (read_document(source, parser) for source in sources)


def scan_project(
    project_dir: Path, report: Report, output_dir: Path | None = None
) -> tuple[SiteConfig, ProjectFiles] | None:
    """The configuration and the files there are; None (with the report saying why) on errors."""
    config, problems = load_config(project_dir, output_dir=output_dir)
    report.extend(problems)
    if config is None or report.failed:
        return None
    files, problems = discover(config.project_dir, config.content_dir)
    report.extend(problems)
    return config, files


def load_corpus(config: SiteConfig, files: ProjectFiles, report: Report, read_many: ReadMany = read_serially) -> Corpus:
    documents = []
    for result in read_many(files.documents):
        report.extend(result.problems)
        if result.document is not None:
            documents.append(result.document)
    history = last_changed(config.project_dir, files.documents)
    corpus, problems = link(documents, files.assets, history, existing=(source.key for source in files.documents))
    report.extend(problems)
    return corpus


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
