"""Every page's declared ``deps`` cover what rendering it reads.

Cached builds reuse a page whose deps' fingerprints did not change, and the live preview
keeps a rendered page until a view in its deps changes; a dependency missing from a page's
spec would leave that page stale. This test renders every page of both example sites with
a site that records which views were read (one document's, or every document of a kind)
and whose bodies were printed, and checks each read against the page's deps.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from roadmapgen.audience import views as v
from roadmapgen.audience.context import Audience
from roadmapgen.audience.site import Site, site_with_warnings
from roadmapgen.errors import Report
from roadmapgen.kinds.source import kind_of_key
from roadmapgen.model.loading import Project, load_project
from roadmapgen.pages.plan import PageSpec, every, plan_pages
from roadmapgen.render.render import Renderer
from roadmapgen.themes import theme_chain

SOURCE_DATE = dt.date(2026, 11, 20)


@dataclasses.dataclass
class Reads:
    documents: set[str] = dataclasses.field(default_factory=set)
    """Keys whose view was read on its own."""
    kinds: set[str] = dataclasses.field(default_factory=set)
    """Kinds whose every view was read (a list, a feed)."""
    bodies: set[int] = dataclasses.field(default_factory=set)
    """ids of the Html bodies printed."""
    listing: int = 0


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> Iterator[Reads]:
    reads = Reads()
    view, all_of, html = Site.view, Site.all, v.Html.__html__

    def recorded_view(self: Site, key: str) -> Any:
        if not reads.listing:
            reads.documents.add(key)
        return view(self, key)

    def recorded_all(self: Site, kind: str) -> tuple[Any, ...]:
        reads.kinds.add(kind)
        reads.listing += 1
        try:
            return all_of(self, kind)
        finally:
            reads.listing -= 1

    def recorded_html(self: v.Html) -> Any:
        reads.bodies.add(id(self))
        return html(self)

    monkeypatch.setattr(Site, "view", recorded_view)
    monkeypatch.setattr(Site, "all", recorded_all)
    monkeypatch.setattr(v.Html, "__html__", recorded_html)
    yield reads


def missing_deps(spec: PageSpec, site: Site, reads: Reads) -> list[str]:
    """What the page read that its deps do not name."""
    deps = spec.deps
    missing = []
    for key in sorted(reads.documents):
        kind = kind_of_key(key)
        if not {key, every(kind), every(kind, bodies=True)} & deps:
            missing.append(f"view of {key}")
    for kind in sorted(reads.kinds):
        if not {every(kind), every(kind, bodies=True)} & deps:
            missing.append(f"every {kind}")
    for key, view in site.made().items():
        body = getattr(view, "body", None)
        if body is not None and id(body) in reads.bodies and not {key, every(kind_of_key(key), bodies=True)} & deps:
            missing.append(f"body of {key}")
    return missing


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Project:
    from tests.conftest import copy_example

    project = load_project(copy_example(tmp_path_factory.mktemp("deps") / "example"), Report())
    assert project is not None
    return project


@pytest.mark.parametrize("audience", list(Audience))
def test_every_page_reads_only_what_its_deps_name(loaded: Project, recording: Reads, audience: Audience) -> None:
    plan_site, _ = site_with_warnings(loaded.corpus, loaded.config, audience, SOURCE_DATE)
    plan = plan_pages(plan_site)
    renderer = Renderer.for_themes(theme_chain(loaded.config.theme_dir), loaded.config.project_dir)
    problems = {}
    for spec in plan.pages:
        site, _ = site_with_warnings(loaded.corpus, loaded.config, audience, SOURCE_DATE)  # nothing read yet
        recording.documents.clear(), recording.kinds.clear(), recording.bodies.clear()
        renderer.render(site, plan.nav, spec)
        if missing := missing_deps(spec, site, recording):
            problems[spec.page.path] = missing
    assert problems == {}
    assert len(plan.pages) > 40


def test_the_check_catches_a_missing_dependency(loaded: Project, recording: Reads) -> None:
    """The home page shows the latest releases: without every('release') in its deps, it is caught."""
    site, _ = site_with_warnings(loaded.corpus, loaded.config, Audience.PUBLIC, SOURCE_DATE)
    home = next(spec for spec in plan_pages(site).pages if spec.page.path == "index.html")
    broken = dataclasses.replace(home, deps=home.deps - {every("release")})
    renderer = Renderer.for_themes(theme_chain(loaded.config.theme_dir), loaded.config.project_dir)
    renderer.render(site, plan_pages(site).nav, broken)
    assert missing_deps(broken, site, recording) == ["every release"]


def test_a_body_read_through_a_list_needs_the_bodies_dependency(loaded: Project, recording: Reads) -> None:
    site, _ = site_with_warnings(loaded.corpus, loaded.config, Audience.PUBLIC, SOURCE_DATE)
    changelog = next(spec for spec in plan_pages(site).pages if spec.page.path == "releases/index.html")
    broken = dataclasses.replace(changelog, deps=frozenset({every("release")}))
    renderer = Renderer.for_themes(theme_chain(loaded.config.theme_dir), loaded.config.project_dir)
    renderer.render(site, plan_pages(site).nav, broken)
    assert [problem for problem in missing_deps(broken, site, recording) if problem.startswith("body of")]
