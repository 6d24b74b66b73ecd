"""Build orchestration: project -> corpus -> one site per audience -> output, or a report.

Everything is read, checked and projected for every audience before a file is written;
nothing replaces the previous output until every site was written in full. Reading
(per file) and rendering (per page) are spread over all cores; a file whose inputs did
not change since the last build comes from the document cache or the previous output.
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from roadmapgen.audience.context import Audience
from roadmapgen.audience.site import Site, make_all_views, site_with_warnings, today_for
from roadmapgen.commands.reuse import (
    FileRecord,
    Fingerprints,
    Manifest,
    document_fingerprints,
    file_record,
    git_head,
    input_digest,
    input_stamp,
    tree_digest,
)
from roadmapgen.config import CONFIG_FILE, ProjectConfig
from roadmapgen.errors import ContentError, Report, ToolError
from roadmapgen.load.discover import ProjectFiles
from roadmapgen.load.git import SHALLOW_NOTE, is_shallow, tracked_files
from roadmapgen.model.cache import CACHE_DIR, DocumentCache, code_fingerprint, manifest_path
from roadmapgen.model.graph import Corpus
from roadmapgen.model.loading import load_corpus, scan_project
from roadmapgen.model.read_all import read_all
from roadmapgen.packs import CacheDamaged
from roadmapgen.pages.plan import PageSpec, Plan, path_collisions, plan_pages
from roadmapgen.parallel import map_forked, usable_cores
from roadmapgen.render.render import Renderer
from roadmapgen.seal import KeyUnusable, Seal, default_key_file, load_seal
from roadmapgen.search import INDEX_FOLDER, index_files, index_site, pagefind_version
from roadmapgen.themes import static_files, theme_chain
from roadmapgen.write import Staging, check_output_dir, commit, prepare


@dataclass(frozen=True, slots=True)
class BuildOptions:
    audiences: tuple[Audience, ...] = (Audience.INTERNAL, Audience.PUBLIC)
    output_dir: Path | None = None
    """Replaces the config's output_dir (``--out``)."""
    strict: bool = False
    source_date: dt.date | None = None
    """From SOURCE_DATE_EPOCH: the only clock a build may show."""
    jobs: int = 0
    """Worker processes; 0 means one per core."""
    use_cache: bool = True
    cache_dir: Path | None = None
    """Default: .roadmapgen-cache in the project."""
    cache_key_file: Path | None = None
    """The key that seals the cache (see roadmapgen.seal); default: ~/.cache/roadmapgen/cache-key."""

    def workers(self) -> int:
        return self.jobs or usable_cores()

    def cache_root(self, project_dir: Path) -> Path:
        return self.cache_dir or project_dir / CACHE_DIR


@dataclass(frozen=True, slots=True)
class Cache:
    """The build cache a run may use: sealed files under ``root``."""

    root: Path
    seal: Seal
    read_only: bool

    def documents(self) -> DocumentCache:
        return DocumentCache(self.root, code_fingerprint(), self.seal, read_only=self.read_only)


def open_cache(project_dir: Path, options: BuildOptions, report: Report, notes: list[str], *,
               read_only: bool) -> Cache | None:
    """The cache this run may use; None without one. A cache folder or key file that git tracks is
    an error: a cache must come from the team's own builds, never from a commit."""
    if not options.use_cache:
        return None
    root = options.cache_root(project_dir)
    key_file = options.cache_key_file or default_key_file()
    for path, what in ((root, "the build cache folder"), (key_file, "the build cache's key file")):
        tracked = tracked_files(path)
        if tracked:
            shown = _shown(path, project_dir)
            report.add(ContentError(shown, 1, 1, f"git tracks {what} ({len(tracked)} file{'s' * (len(tracked) > 1)}, "
                                    f"e.g. {tracked[0]}); roadmapgen never reads a cache a commit can change: "
                                    f"remove it from git with 'git rm -r --cached {shown}', or use --no-cache"))
    if report.failed:
        return None
    try:
        seal = load_seal(key_file, create=not read_only)
    except KeyUnusable as exc:
        notes.append(f"the build cache is not used: {exc}")
        return None
    return Cache(root, seal, read_only) if seal is not None else None


def _shown(path: Path, project_dir: Path) -> str:
    resolved, project = path.absolute(), project_dir.absolute()
    return resolved.relative_to(project).as_posix() if resolved.is_relative_to(project) else str(resolved)


@dataclass(frozen=True, slots=True)
class OutputCounts:
    pages: int
    files: int
    assets: int
    rendered: int
    """Files written this time; the others were reused unchanged from the previous build."""


@dataclass
class BuildResult:
    report: Report
    output_dir: Path | None = None
    sites: dict[Audience, OutputCounts] = field(default_factory=dict)
    seconds: float = 0.0
    up_to_date: bool = False
    """Nothing changed since the last build, whose output is intact: nothing was written."""
    written: dict[Audience, WrittenFiles] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Warnings about how the build ran, not about the content (``--strict`` leaves them alone)."""
    failure: str | None = None
    """Why a program the build runs (Pagefind) failed; nothing was written."""

    @property
    def ok(self) -> bool:
        return not self.report.failed and self.failure is None


def check(project_dir: Path, options: BuildOptions) -> Report:
    """Everything a build checks, without rendering or writing anything."""
    try:
        return _check(project_dir, options)
    except CacheDamaged:
        return _check(project_dir, replace(options, use_cache=False))


def _check(project_dir: Path, options: BuildOptions) -> Report:
    report = Report()
    scanned = scan_project(project_dir, report)
    if scanned is not None:
        config, files = scanned
        cache = open_cache(config.project_dir, options, report, [], read_only=True)
        if not report.failed:
            corpus = load_corpus(config, files, report, _reader(cache, options), options.source_date)
        if not report.failed:
            sites = _project_sites(corpus, config, options, report)
            _plans(sites, corpus, report)
    if options.strict:
        report.make_warnings_errors()
    return report


def build(project_dir: Path, options: BuildOptions) -> BuildResult:
    """Build the sites; a cache found damaged halfway is set aside and the build made again without it."""
    try:
        return _build(project_dir, options)
    except CacheDamaged as damaged:
        result = _build(project_dir, replace(options, use_cache=False))
        result.notes.insert(0, f"the build cache was set aside, and everything built again: {damaged}")
        return result


def _build(project_dir: Path, options: BuildOptions) -> BuildResult:
    result = BuildResult(Report())
    try:
        _build_into(result, project_dir, options)
    except ToolError as failure:
        result.failure = str(failure)
    return result


def _build_into(result: BuildResult, project_dir: Path, options: BuildOptions) -> None:
    started = time.perf_counter()
    scanned = scan_project(project_dir, result.report, options.output_dir)
    if scanned is None:
        return
    config, files = scanned
    check_output_dir(config.output_dir, (config.content_dir, config.project_dir / "themes"))
    cache = open_cache(config.project_dir, options, result.report, result.notes, read_only=False)
    if result.report.failed:
        return
    if Audience.INTERNAL in options.audiences and is_shallow(config.project_dir):
        result.notes.append(SHALLOW_NOTE)
    if Audience.INTERNAL in options.audiences and config.settings.internal_base_url is None:
        result.notes.append("the internal site has no feeds or sitemap: they need its address "
                            "(set internal_base_url in roadmapgen.yaml)")
    themes = theme_chain(config.theme_dir)
    result.output_dir = config.output_dir
    manifest_file = manifest_path(options.cache_root(config.project_dir), config.output_dir)
    manifest = Manifest.load(manifest_file, cache.seal, config.output_dir) if cache else Manifest()
    paths, extra = _inputs(config, files, themes, options)
    stamp, newest = input_stamp(paths, extra)
    # A file written within the last two seconds may change again within the same mtime tick: then only
    # the inputs' bytes can tell that nothing changed.
    inputs = stamp if newest < time.time_ns() - 2_000_000_000 else None
    audiences, content, up_to_date = _names(options.audiences), None, False
    if cache:
        up_to_date = inputs is not None and manifest.up_to_date(config.output_dir, audiences, inputs=inputs)
        if not up_to_date:
            content = input_digest(paths, extra)
            up_to_date = manifest.up_to_date(config.output_dir, audiences, content=content)
    if up_to_date:
        result.up_to_date = True
        result.sites = {a: _stats_of(manifest.sites[a.value], 0) for a in options.audiences}
    else:
        _build_sites(config, files, themes, manifest, cache, options, result)
        if result.ok and cache:
            fresh = {audience.value: site.files for audience, site in result.written.items()}
            Manifest(inputs, {**manifest.sites, **fresh}, content).save(manifest_file, cache.seal, config.output_dir)
    result.seconds = time.perf_counter() - started


def _build_sites(config: ProjectConfig, files: ProjectFiles, themes: Sequence[Path], manifest: Manifest,
                 cache: Cache | None, options: BuildOptions, result: BuildResult) -> None:
    corpus = load_corpus(config, files, result.report, _reader(cache, options), options.source_date)
    if result.report.failed:
        return
    sites = _project_sites(corpus, config, options, result.report)
    if options.strict:
        result.report.make_warnings_errors()
    if result.report.failed:
        return
    plans = _plans(sites, corpus, result.report)
    if result.report.failed:
        return
    tasks = _tasks(config, corpus, sites, plans, themes, manifest if cache else Manifest(), options)
    result.written, problems = write_sites(config, sites, plans, tasks, manifest, options)
    result.report.extend(problems)
    result.sites = {audience: _stats_of(site.files, site.rendered) for audience, site in result.written.items()}


def _reader(cache: Cache | None, options: BuildOptions) -> Any:
    return functools.partial(read_all, cache=cache.documents() if cache else None, jobs=options.workers())


def _names(audiences: Sequence[Audience]) -> list[str]:
    return [audience.value for audience in audiences]


def _project_sites(
    corpus: Corpus, config: ProjectConfig, options: BuildOptions, report: Report
) -> dict[Audience, Site]:
    sites = {}
    for audience in options.audiences:
        site, problems = site_with_warnings(corpus, config, audience, options.source_date)
        report.extend(problems)
        sites[audience] = site
    return sites


def _plans(sites: dict[Audience, Site], corpus: Corpus, report: Report) -> dict[Audience, Plan]:
    """Each site's plan; a document whose page cannot be written beside another file is an error at it."""
    plans = {audience: plan_pages(site) for audience, site in sites.items()}
    found = {}
    for plan in plans.values():
        for spec, other, why in path_collisions(plan):
            owner = next((corpus.documents[key] for key in (*spec.deps, *other.deps) if key in corpus.documents), None)
            if owner is not None:
                problem = ContentError(owner.path, 1, 1, f"its page {spec.page.path} cannot be written: "
                                       f"{other.page.path} is {why}; rename the file")
                found[problem.format()] = problem
    report.extend(found.values())
    return plans


def _theme_files(themes: Sequence[Path]) -> list[Path]:
    return [path for theme in themes for path in theme.rglob("*") if path.is_file()]


def _inputs(config: ProjectConfig, files: ProjectFiles, themes: Sequence[Path], options: BuildOptions
            ) -> tuple[list[Path], dict[str, str]]:
    """Everything a build reads: its files (the config, documents, data files, assets, the theme), and what
    else decides its output (roadmapgen's code, the options, the clock, the commit, Pagefind's version)."""
    paths = [config.project_dir / CONFIG_FILE, *(s.absolute for s in files.documents),
             *(data.absolute for data in files.data.values()), *files.assets.values(), *_theme_files(themes)]
    extra = {"code": code_fingerprint(), "audiences": ",".join(_names(options.audiences)),
             "date": str(options.source_date), "git": git_head(config.project_dir), "out": str(config.output_dir),
             "pagefind": pagefind_version()}
    return paths, extra


@dataclass(frozen=True, slots=True)
class _Task:
    audience: Audience
    path: str
    fingerprint: str
    reuse: FileRecord | None
    """The previous build's record of this file, when it can be reused as it is."""
    spec: int | None = None
    """Index into the site's plan, for pages; None for files copied as they are."""
    source: Path | None = None


@dataclass(frozen=True, slots=True)
class WrittenFiles:
    files: dict[str, FileRecord]
    """Every file of the site: fingerprint, size and mtime, for the next build's manifest."""
    rendered: int
    """How many were written this time rather than reused."""


def write_sites(
    config: ProjectConfig, sites: dict[Audience, Site], plans: dict[Audience, Plan], tasks: list[_Task],
    manifest: Manifest, options: BuildOptions,
) -> tuple[dict[Audience, WrittenFiles], list[ContentError]]:
    """Render and stage every site, then swap them all in; on any failure (template problems), none."""
    renderer = Renderer.for_themes(theme_chain(config.theme_dir), config.project_dir)
    out = config.output_dir
    prepare(out, _names(list(sites)))
    created = not out.exists()
    rendering = sum(1 for task in tasks if task.reuse is None and task.source is None)
    if rendering > len(tasks) // 4:
        # Most pages change: make every view once here, before the workers fork and share
        # them, rather than have each worker make the views its pages need.
        for site in sites.values():
            make_all_views(site)
    stagings = {audience: Staging(out, audience.value) for audience in sites}
    committed = False
    try:
        records, problems = _run(tasks, sites, plans, stagings, renderer, options.workers())
        if problems:
            return {}, problems
        for audience, staging in stagings.items():  # from each site's own pages, once all are written
            if sites[audience].info.search:
                records[audience].update(_search_index(staging, audience, config, manifest))
        commit(list(stagings.values()), previous_files=sum(len(files) for files in manifest.sites.values()))
        committed = True
    finally:
        if not committed:  # after the swap, the staging paths hold the previous output, which commit() deletes
            for staging in stagings.values():
                staging.discard()
            if created:
                shutil.rmtree(out, ignore_errors=True)
    rendered = {audience: sum(1 for t in tasks if t.audience is audience and t.reuse is None) for audience in sites}
    return {audience: WrittenFiles(files, rendered[audience]) for audience, files in records.items()}, []


def _search_index(staging: Staging, audience: Audience, config: ProjectConfig, manifest: Manifest
                  ) -> dict[str, FileRecord]:
    """The staged site's search index: the previous build's, linked as it is, when the pages it reads did not
    change and every file of it is still as that build wrote it; else made anew."""
    previous = f"{staging.final}/"

    def reuse(digest: str) -> bool:
        fingerprint = f"search:{digest}"
        files = [path for path, record in manifest.sites.get(audience.value, {}).items() if record[0] == fingerprint]
        if not files or any(manifest.reusable(config.output_dir, audience.value, path, fingerprint) is None
                            for path in files):
            return False
        for path in files:
            staging.link(path, previous + path)
        return True

    fingerprint = f"search:{index_site(staging.dir, config.settings.language, reuse)}"
    return {path: file_record(str(staging.dir / path), fingerprint) for path in index_files(staging.dir)}


def _tasks(config: ProjectConfig, corpus: Corpus, sites: dict[Audience, Site], plans: dict[Audience, Plan],
           themes: Sequence[Path], manifest: Manifest, options: BuildOptions) -> list[_Task]:
    theme = tree_digest(_theme_files(themes))
    settings = (config.project_dir / CONFIG_FILE).read_bytes()
    today = today_for(corpus, options.source_date)
    shared = document_fingerprints(corpus)
    tasks = []
    for audience, site in sites.items():
        internal = audience is Audience.INTERNAL
        salt = "|".join((code_fingerprint(), theme, settings.hex(), audience.value, repr(plans[audience].nav),
                         str(today) if internal else ""))
        fingerprints = Fingerprints.for_site(corpus, shared, salt, internal)
        for index, spec in enumerate(plans[audience].pages):
            fingerprint = fingerprints.page(spec)
            tasks.append(_Task(audience, spec.page.path, fingerprint, _reusable(manifest, config, audience,
                                                                               spec.page.path, fingerprint), index))
        copied = {**{f"static/{n}": p for n, p in static_files(themes).items()},
                  **{a: corpus.assets[a] for a in site.assets}}
        for path, source in copied.items():
            stat = source.stat()
            fingerprint = f"file:{source}:{stat.st_size}:{stat.st_mtime_ns}"
            reuse = _reusable(manifest, config, audience, path, fingerprint)
            tasks.append(_Task(audience, path, fingerprint, reuse, source=source))
    return tasks


def _reusable(manifest: Manifest, config: ProjectConfig, audience: Audience, path: str,
              fingerprint: str) -> FileRecord | None:
    if manifest.reusable(config.output_dir, audience.value, path, fingerprint) is None:
        return None
    return manifest.sites[audience.value][path]


def _run(
    tasks: list[_Task], sites: dict[Audience, Site], plans: dict[Audience, Plan],
    stagings: dict[Audience, Staging], renderer: Renderer, jobs: int,
) -> tuple[dict[Audience, dict[str, FileRecord]], list[ContentError]]:
    """Carry out every task, in worker processes; template errors come back as problems."""

    def setup() -> Any:
        previous = {audience: f"{staging.final}/" for audience, staging in stagings.items()}

        def execute(task: _Task) -> tuple[Audience, str, FileRecord] | ContentError:
            staging = stagings[task.audience]
            if task.reuse is not None:
                # A hard link keeps the size and time the manifest recorded: no need to look again.
                staging.link(task.path, previous[task.audience] + task.path)
                return task.audience, task.path, task.reuse
            if task.source is not None:
                target = staging.copy(task.path, task.source)
            else:
                assert task.spec is not None
                plan = plans[task.audience]
                spec: PageSpec = plan.pages[task.spec]
                try:
                    target = staging.write(task.path, renderer.render(sites[task.audience], plan.nav, spec))
                except ContentError as error:
                    return error
            return task.audience, task.path, file_record(target, task.fingerprint)

        return execute

    records: dict[Audience, dict[str, FileRecord]] = {audience: {} for audience in sites}
    problems = []
    for outcome in _spread(setup, tasks, jobs):
        if isinstance(outcome, ContentError):
            problems.append(outcome)
        else:
            audience, path, record = outcome
            records[audience][path] = record
    return {audience: dict(sorted(files.items())) for audience, files in records.items()}, problems


def _spread(setup: Callable[[], Callable[[_Task], Any]], tasks: list[_Task], jobs: int) -> list[Any]:
    """Carry out tasks in this process and ``jobs - 1`` workers.

    Mostly rendering: tasks one by one, interleaved, to balance the CPU work. Mostly reuse
    (hard links): one site per process, because making thousands of folders in one parent
    folder takes that folder's lock, and two processes doing it at once only wait for
    each other."""
    if sum(1 for task in tasks if task.reuse is None) > len(tasks) // 4:
        ordered = sorted(tasks, key=lambda task: task.reuse is not None)  # renders (the slow part) spread first
        return map_forked(setup, ordered, jobs, share_here=True)
    by_site: dict[Audience, list[_Task]] = {}
    for task in tasks:
        by_site.setdefault(task.audience, []).append(task)

    def setup_batch() -> Callable[[list[_Task]], list[Any]]:
        execute = setup()
        return lambda batch: [execute(task) for task in batch]

    return [
        outcome for batch in map_forked(setup_batch, list(by_site.values()), jobs, share_here=True) for outcome in batch
    ]


def _stats_of(files: dict[str, FileRecord], rendered: int) -> OutputCounts:
    """What the summary counts: the search index's files are not pages, data or assets of the site."""
    shown = [path for path in files if not path.startswith(f"{INDEX_FOLDER}/")]
    pages = sum(1 for path in shown if path.endswith(".html"))
    assets = sum(1 for path in shown if path.startswith("assets/"))
    return OutputCounts(pages=pages, files=len(shown) - pages - assets, assets=assets, rendered=rendered)


def audiences_for(choice: str) -> Sequence[Audience]:
    return tuple(Audience) if choice == "all" else (Audience(choice),)

