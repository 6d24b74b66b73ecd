"""The previewed site, rebuilt incrementally from file changes and rendered on demand.

A rebuild re-reads only the changed files, relinks the corpus, re-projects only the
changed documents and their neighbours, and compares the new views with the old ones:
a page is re-rendered only if one of the documents in its ``deps`` changed view. Pages
render when first requested, so a change in a 10,000-item project costs the work of the
pages someone is looking at, not of the whole site.

Not thread-safe by itself: one builder thread calls :meth:`LiveSite.rebuild`; readers
use the immutable-but-for-its-render-cache :class:`Snapshot` it publishes.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from roadmapgen.audience.projector import Audience, Projector, hidden_link_warnings, item_card, make_projector
from roadmapgen.audience.site import SiteViews, display_order, entry_of, make_site, today_for
from roadmapgen.config import CONFIG_FILE, SiteConfig, load_config
from roadmapgen.errors import ContentError, Report
from roadmapgen.load.discover import ProjectFiles, discover
from roadmapgen.load.history import last_changed, modified_date
from roadmapgen.load.layout import SourceFile, kind_of_key
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.memo import IdentityMemo
from roadmapgen.model.document import Document
from roadmapgen.audience.projections import project_document
from roadmapgen.model.graph import Corpus, link, relink
from roadmapgen.model.read import read_document
from roadmapgen.pages.plan import PageSpec, Plan, every, pages_of, plan_pages
from roadmapgen.render.render import Renderer
from roadmapgen.render.templates import static_files, theme_chain


@dataclass
class Snapshot:
    """One consistent version of the site: what the server answers from."""

    version: int
    site: SiteViews
    plan: Plan
    pages: Mapping[str, PageSpec]
    files: Mapping[str, Path]
    """Assets and theme files: output path -> file on disk."""
    renderer: Renderer
    rendered: dict[str, bytes] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def page(self, path: str) -> bytes | None:
        """The bytes of a generated file, rendered now if nobody asked for it yet."""
        spec = self.pages.get(path)
        if spec is None:
            return None
        with self._lock:
            if path not in self.rendered:
                self.rendered[path] = self.renderer.render(self.site, self.plan.nav, spec)
            return self.rendered[path]


@dataclass(frozen=True)
class Outcome:
    ok: bool
    seconds: float
    problems: tuple[ContentError, ...]
    invalidated: int = 0
    """How many pages must be rendered again."""


@dataclass
class _State:
    """The last good build's intermediate results, reused by the next rebuild."""

    config: SiteConfig
    files: ProjectFiles
    corpus: Corpus
    projector: Projector
    site: SiteViews
    warnings: dict[str, list[ContentError]]


class LiveSite:
    def __init__(self, project_dir: Path, audience: Audience, source_date: dt.date | None = None) -> None:
        self.project_dir = project_dir
        self.audience = audience
        self.source_date = source_date
        self.parser = BodyParser()
        self.snapshot: Snapshot | None = None
        self.problems: tuple[ContentError, ...] = ()
        self._documents: dict[str, Document] = {}
        self._read_problems: dict[str, tuple[ContentError, ...]] = {}
        self._history: dict[str, dt.date] = {}
        self._state: _State | None = None
        self._pending: set[Path] = set()
        self._own_pages = IdentityMemo(pages_of)
        self._cards = IdentityMemo(functools.partial(item_card, internal=audience is Audience.INTERNAL))
        self._order = IdentityMemo(display_order)
        self._entries = IdentityMemo(entry_of)
        self._version = 0

    @property
    def config(self) -> SiteConfig | None:
        return self._state.config if self._state else None

    def rebuild(self, changed: Collection[Path] | None = None) -> Outcome:
        """Bring the site up to date with ``changed`` files (None: everything)."""
        started = time.perf_counter()
        self._pending.update(changed or ())
        full = (changed is None or self._state is None or self._touches_config_or_theme(self._pending)
                or self._touches_folders(self._pending))
        report = Report()
        try:
            state, changed_keys = (self._load_all(report) if full else self._load_changes(report))
        except ContentError as error:
            report.add(error)
            state = None
        self.problems = tuple(report.sorted())
        if state is None or report.failed:
            return Outcome(False, time.perf_counter() - started, self.problems)
        invalidated = self._publish(state, changed_keys, full)
        self._pending.clear()
        return Outcome(True, time.perf_counter() - started, self.problems, invalidated)

    # -- loading ----------------------------------------------------------------------
    def _touches_config_or_theme(self, paths: Collection[Path]) -> bool:
        themes = self.project_dir / "themes"
        return any(path.name == CONFIG_FILE and path.parent == self.project_dir or path.is_relative_to(themes)
                   for path in paths)

    def _touches_folders(self, paths: Collection[Path]) -> bool:
        """A folder appeared or went (content/ restored, a kind's folder moved): events for
        the files in it may never come, so everything is looked at again."""
        assert self._state is not None
        content_dir = self._state.config.content_dir
        return any(path == content_dir or path.is_dir() for path in paths)

    def _read(self, source: SourceFile) -> None:
        result = read_document(source, self.parser)
        self._read_problems[source.key] = result.problems
        if result.document is None:
            self._documents.pop(source.key, None)
        else:
            self._documents[source.key] = result.document

    def _report(self, report: Report, corpus_problems: list[ContentError]) -> None:
        for problems in self._read_problems.values():
            report.extend(problems)
        report.extend(corpus_problems)

    def _load_all(self, report: Report) -> tuple[_State | None, set[str] | None]:
        config, problems = load_config(self.project_dir)
        report.extend(problems)
        if config is None or report.failed:
            return None, None
        files, problems = discover(config.project_dir, config.content_dir)
        report.extend(problems)
        self._history = last_changed(config.project_dir, files.documents)
        self._documents, self._read_problems = {}, {}
        for source in files.documents:
            self._read(source)
        corpus, problems = link(self._documents.values(), files.assets, dict(self._history),
                                existing=[source.key for source in files.documents])
        self._report(report, problems)
        projector = self._projector(corpus, config, today_for(corpus, self.source_date))
        warnings = {key: found for key, doc in corpus.documents.items()
                    if not projector.internal and (found := hidden_link_warnings(corpus, doc))}
        for found in warnings.values():
            report.extend(found)
        return _State(config, files, corpus, projector, self._site(projector, {}), warnings), None

    def _projector(self, corpus: Corpus, config: SiteConfig, today: dt.date) -> Projector:
        return make_projector(corpus, config.settings, self.audience, today, self._cards)

    def _site(self, projector: Projector, views: dict[str, Any]) -> SiteViews:
        return make_site(projector, views, self._order, self._entries)

    def _load_changes(self, report: Report) -> tuple[_State | None, set[str]]:
        old = self._state
        assert old is not None
        files = old.files
        known = {source.absolute for source in files.documents}
        if any(path not in known or not path.exists() for path in self._pending):
            files, problems = discover(old.config.project_dir, old.config.content_dir)
            report.extend(problems)
        if files.assets.keys() != old.files.assets.keys():
            return self._load_all(report)
        current = {source.key for source in files.documents}
        removed = {source.key for source in old.files.documents} - current
        for key in removed:
            self._documents.pop(key, None)
            self._read_problems.pop(key, None)
            self._history.pop(key, None)
        changed_sources = [source for source in files.documents if source.absolute in self._pending]
        for source in changed_sources:
            self._read(source)
            self._history[source.key] = modified_date(source.absolute)
        changed_keys = {source.key for source in changed_sources} | removed
        corpus, problems = relink(old.corpus, {key: self._documents.get(key) for key in changed_keys},
                                  dict(self._history), current)
        self._report(report, problems)
        if report.failed:
            return None, set()
        today = today_for(corpus, self.source_date)
        projector = self._projector(corpus, old.config, today)
        affected = set(corpus.documents) | set(old.corpus.documents) if today != old.projector.today else set(changed_keys)
        for key in changed_keys:
            affected |= corpus.neighbours(key) | old.corpus.neighbours(key)
        # Views made for the last site are compared with new ones; a view nobody made is on no
        # rendered page, so it can only be "changed".
        with self._snapshot_lock():
            views = dict(old.site.projected())
        warnings = dict(old.warnings)
        changed_views = set()
        for key in affected:
            before = views.pop(key, None)
            warnings.pop(key, None)
            full = corpus.documents.get(key)
            if full is not None and not projector.internal and (found := hidden_link_warnings(corpus, full)):
                warnings[key] = found
            doc = projector.corpus.documents.get(key)
            if doc is None or not projector.shows(doc):
                changed_views.add(key)
                continue
            if before is None:
                changed_views.add(key)
                continue
            views[key] = project_document(projector, doc)
            if views[key] != before:
                changed_views.add(key)
        for found in warnings.values():
            report.extend(found)
        return _State(old.config, files, corpus, projector, self._site(projector, views), warnings), changed_views

    def _snapshot_lock(self) -> Any:
        return self.snapshot._lock if self.snapshot is not None else threading.Lock()

    def _publish(self, state: _State, changed_keys: set[str] | None, full: bool) -> int:
        site = state.site
        plan = plan_pages(site, self._own_pages)
        for memo in (self._own_pages, self._cards, self._order, self._entries):
            memo.next_round()
        pages = {spec.page.path: _served(spec) for spec in plan.pages}
        previous = self.snapshot
        if full or previous is None:
            themes = theme_chain(state.config.theme_dir)
            renderer = Renderer.for_themes(themes, state.config.project_dir)
            static = static_files(themes)
            kept: dict[str, bytes] = {}
        else:
            renderer = previous.renderer
            static = {name.removeprefix("static/"): path for name, path in previous.files.items() if name.startswith("static/")}
            kept = _still_valid(previous, pages, plan, changed_keys or set())
        files = {f"static/{name}": path for name, path in static.items()}
        files.update({asset: state.corpus.assets[asset] for asset in site.assets})
        self._version += 1
        self.snapshot = Snapshot(self._version, site, plan, pages, files, renderer, kept)
        self._state = state
        return len(pages) - len(kept)


def _served(spec: PageSpec) -> PageSpec:
    """The preview serves each site at '/', so the 404 page links from there."""
    return replace(spec, root="/") if spec.page.path == "404.html" else spec


def _still_valid(previous: Snapshot, pages: Mapping[str, PageSpec], plan: Plan, changed_keys: set[str]) -> dict[str, bytes]:
    """Rendered pages of the previous snapshot that no changed view reaches."""
    if plan.nav != previous.plan.nav:
        return {}
    kinds = {kind_of_key(key) for key in changed_keys}
    touched = changed_keys | {every(kind) for kind in kinds} | {every(kind, bodies=True) for kind in kinds}
    with previous._lock:
        rendered = dict(previous.rendered)
    kept = {}
    for path, data in rendered.items():
        spec, old_spec = pages.get(path), previous.pages.get(path)
        if spec is None or old_spec is None or spec.template != old_spec.template or spec.deps != old_spec.deps:
            continue
        if not spec.deps & touched:
            kept[path] = data
    return kept
