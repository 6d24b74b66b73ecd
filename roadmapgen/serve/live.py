"""The previewed site, rebuilt incrementally from file changes and rendered on demand.

A rebuild re-reads only the changed files, relinks the corpus, re-projects only the
changed documents and their neighbours, and compares the new views with the old ones:
a page is re-rendered only if one of the documents in its ``deps`` changed view. Pages
render when first requested, so a change in a 10,000-item project costs the work of the
pages someone is looking at, not of the whole site.

Not thread-safe by itself: one builder thread calls :meth:`LivePreview.rebuild`; readers
use the immutable-but-for-its-render-cache :class:`PreviewVersion` it publishes.
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

from roadmapgen.audience.context import Audience
from roadmapgen.audience.site import AudienceSite, Site, ViewMemos, open_site, update_site
from roadmapgen.config import CONFIG_FILE, ProjectConfig
from roadmapgen.errors import ContentError, Report
from roadmapgen.kinds.source import kind_of_key
from roadmapgen.memo import IdentityMemo
from roadmapgen.model.loading import Loaded, load, reload, scan_project
from roadmapgen.pages.plan import PageSpec, Plan, every, pages_of, plan_pages
from roadmapgen.render.render import Renderer
from roadmapgen.themes import static_files, theme_chain


@dataclass
class PreviewVersion:
    """One consistent version of the site: what the server answers from."""

    version: int
    site: Site
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


@dataclass(frozen=True, slots=True)
class _State:
    """The last good build's stage results, which the next rebuild starts from."""

    loaded: Loaded
    projected: AudienceSite


class LivePreview:
    """The build's stages (:mod:`roadmapgen.model.loading`, :mod:`roadmapgen.audience.site`, the page plan
    and the renderer) run over what changed, keeping each stage's last result."""

    def __init__(self, project_dir: Path, audience: Audience, source_date: dt.date | None = None) -> None:
        self.project_dir = project_dir
        self.audience = audience
        self.source_date = source_date
        self.snapshot: PreviewVersion | None = None
        self.problems: tuple[ContentError, ...] = ()
        self._state: _State | None = None
        self._pending: set[Path] = set()
        self._own_pages = IdentityMemo(pages_of)
        self._pages_base: str | None = None
        self._memos = ViewMemos(audience)
        self._version = 0

    @property
    def config(self) -> ProjectConfig | None:
        return self._state.loaded.config if self._state else None

    def rebuild(self, changed: Collection[Path] | None = None) -> Outcome:
        """Bring the site up to date with ``changed`` files (None: everything)."""
        started = time.perf_counter()
        self._pending.update(changed or ())
        report = Report()
        full = changed is None or self._needs_full_load(self._pending)
        try:
            state, changed_views = (None, None) if full else self._load_changes(report)
            if state is None and not report.failed:
                full, state, changed_views = True, self._load_all(report), None
        except ContentError as error:
            report.add(error)
            state = None
        self.problems = tuple(report.sorted())
        if state is None or report.failed:
            return Outcome(False, time.perf_counter() - started, self.problems)
        invalidated = self._publish(state, changed_views, full)
        self._pending.clear()
        return Outcome(True, time.perf_counter() - started, self.problems, invalidated)

    def _needs_full_load(self, paths: Collection[Path]) -> bool:
        """The config or a theme changed, or a folder appeared or went (content/ restored, a kind's
        folder moved), whose files' events may never come: everything is looked at again."""
        if self._state is None:
            return True
        themes = self.project_dir / "themes"
        content_dir = self._state.loaded.config.content_dir
        return any(path.name == CONFIG_FILE and path.parent == self.project_dir or path.is_relative_to(themes)
                   or path == content_dir or path.is_dir() for path in paths)

    def _load_all(self, report: Report) -> _State | None:
        scanned = scan_project(self.project_dir, report)
        if scanned is None:
            return None
        loaded = load(*scanned, latest=self.source_date)
        report.extend(loaded.problems())
        if report.failed:
            return None
        projected = open_site(loaded.corpus, loaded.config, self.audience, self.source_date, self._memos)
        report.extend(projected.problems())
        return _State(loaded, projected)

    def _load_changes(self, report: Report) -> tuple[_State | None, set[str] | None]:
        """(None, None) when the change needs a full load."""
        old = self._state
        assert old is not None
        reloaded = reload(old.loaded, self._pending, latest=self.source_date)
        if reloaded is None:
            return None, None
        loaded, changed_keys, problems = reloaded
        report.extend(problems)
        report.extend(loaded.problems())
        if report.failed:
            return None, None
        # Views made for the last site are compared with new ones; the render thread may be adding some.
        with self._snapshot_lock():
            views = dict(old.projected.site.made())
        projected, changed_views = update_site(old.projected, views, loaded.corpus, loaded.config,
                                             changed_keys, self.source_date, self._memos)
        report.extend(projected.problems())
        return _State(loaded, projected), changed_views

    def _snapshot_lock(self) -> Any:
        return self.snapshot._lock if self.snapshot is not None else threading.Lock()

    def _publish(self, state: _State, changed_keys: set[str] | None, full: bool) -> int:
        site = state.projected.site
        if site.info.base_url != self._pages_base:  # feeds' absolute URLs: the memo's pages hold them
            self._pages_base = site.info.base_url
            self._own_pages = IdentityMemo(functools.partial(pages_of, base_url=self._pages_base))
        plan = plan_pages(site, self._own_pages)
        self._own_pages.next_round()
        self._memos.next_round()
        pages = {spec.page.path: _served(spec) for spec in plan.pages}
        previous = self.snapshot
        if full or previous is None:
            config = state.loaded.config
            themes = theme_chain(config.theme_dir)
            renderer = Renderer.for_themes(themes, config.project_dir)
            static = static_files(themes)
            kept: dict[str, bytes] = {}
        else:
            renderer = previous.renderer
            static = {
                name.removeprefix("static/"): path
                for name, path in previous.files.items()
                if name.startswith("static/")
            }
            kept = _still_valid(previous, pages, plan, changed_keys or set())
        files = {f"static/{name}": path for name, path in static.items()}
        files.update({asset: state.loaded.corpus.assets[asset] for asset in site.assets})
        self._version += 1
        self.snapshot = PreviewVersion(self._version, site, plan, pages, files, renderer, kept)
        self._state = state
        return len(pages) - len(kept)


def _served(spec: PageSpec) -> PageSpec:
    """The preview serves each site at '/', so the 404 page links from there."""
    return replace(spec, root="/") if spec.page.path == "404.html" else spec


def _still_valid(
    previous: PreviewVersion, pages: Mapping[str, PageSpec], plan: Plan, changed_keys: set[str]
) -> dict[str, bytes]:
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
