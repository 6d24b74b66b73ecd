"""The incremental engine behind `serve`: after any edit, the same site a full build makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from roadmapgen.audience.context import Audience
from roadmapgen.serve.live import LivePreview
from tests.conftest import copy_example
from tests.helpers.sitefiles import replace_in, tree_bytes

SOURCE_DATE = dt.date(2026, 11, 20)


def everything(live: LivePreview) -> dict[str, bytes]:
    snapshot = live.snapshot
    assert snapshot is not None
    pages = {path: snapshot.page(path) for path in snapshot.pages}
    files = {path: source.read_bytes() for path, source in snapshot.files.items()}
    return {**pages, **files}


def fresh(project: Path, audience: Audience) -> dict[str, bytes]:
    live = LivePreview(project, audience, SOURCE_DATE)
    assert live.rebuild().ok
    return everything(live)


EDITS: list[tuple[str, Callable[[Path], list[Path]]]] = [
    (
        "retitle an item shown on persona, objective and release pages",
        lambda p: [
            replace_in(p / "content/roadmap/macros.md", "title: Macros", "title: Saved replies"),
            p / "content/roadmap/macros.md",
        ][1:],
    ),
    (
        "rename a persona shown on item pages",
        lambda p: [
            replace_in(p / "content/personas/maya-agent.md", "name: Maya Okafor", "name: Maya O."),
            p / "content/personas/maya-agent.md",
        ][1:],
    ),
    (
        "make a public persona internal",
        lambda p: [
            replace_in(p / "content/personas/leo-customer.md", "visibility: public", "visibility: internal"),
            p / "content/personas/leo-customer.md",
        ][1:],
    ),
    (
        "move an item to another horizon",
        lambda p: [
            replace_in(p / "content/roadmap/audit-log.md", "horizon: next", "horizon: now"),
            p / "content/roadmap/audit-log.md",
        ][1:],
    ),
    (
        "add an item",
        lambda p: [
            (p / "content/roadmap/webhooks.md").write_text(
                "---\ntitle: Webhooks\nstatus: planned\nhorizon: later\npersonas: [sam-founder]\nvisibility: "
                "public\n---\nSoon.\n"
            ),
            p / "content/roadmap/webhooks.md",
        ][1:],
    ),
    (
        "ship an item in a release",
        lambda p: [
            replace_in(p / "content/releases/3.7.0.md", "ships: [dark-mode]", "ships: [dark-mode, webhooks]"),
            p / "content/releases/3.7.0.md",
        ][1:],
    ),
    (
        "link an item body to a persona",
        lambda p: [
            replace_in(p / "content/roadmap/webhooks.md", "Soon.", "Soon, for [Sam](../personas/sam-founder.md)."),
            p / "content/roadmap/webhooks.md",
        ][1:],
    ),
    (
        "delete the linked persona's reference and the item",
        lambda p: [
            replace_in(p / "content/releases/3.7.0.md", "ships: [dark-mode, webhooks]", "ships: [dark-mode]"),
            (p / "content/roadmap/webhooks.md").unlink(),
            p / "content/releases/3.7.0.md",
            p / "content/roadmap/webhooks.md",
        ][2:],
    ),
    (
        "add feedback for an item",
        lambda p: [
            (p / "content/feedback/2026-11-extra.md").write_text(
                "---\ndate: 2026-11-15\nsource: survey\nitems: [macros]\npersona: maya-agent\n---\nMore.\n"
            ),
            p / "content/feedback/2026-11-extra.md",
        ][1:],
    ),
    (
        "rename a competitor named by items",
        lambda p: [
            replace_in(p / "content/competitors/deskhero.md", "name: DeskHero", "name: DeskHero Suite"),
            p / "content/competitors/deskhero.md",
        ][1:],
    ),
    (
        "add a competitor and name it from an item",
        lambda p: [
            (p / "content/competitors/helpsy.md").write_text("---\nname: Helpsy\nvisibility: public\n---\nNew.\n"),
            replace_in(p / "content/roadmap/macros.md", "owner: Dana Kim", "owner: Dana Kim\ncompetitors: [helpsy]"),
            p / "content/competitors/helpsy.md",
            p / "content/roadmap/macros.md",
        ][2:],
    ),
    (
        "change a metric",
        lambda p: [
            replace_in(p / "content/metrics/csat.yaml", "target: ", "target: 1"),
            p / "content/metrics/csat.yaml",
        ][1:],
    ),
    (
        "new survey responses",
        lambda p: [
            (p / "content/metrics/nps-responses.csv").open("a").write("2026-11-02,0,late\n"),
            p / "content/metrics/nps-responses.csv",
        ][1:],
    ),
    (
        "change the config",
        lambda p: [
            replace_in(p / "roadmapgen.yaml", "product: Brightdesk", "product: Brightdesk Cloud"),
            p / "roadmapgen.yaml",
        ][1:],
    ),
    (
        "add a project theme template",
        lambda p: [
            replace_in(p / "roadmapgen.yaml", "language: en", "language: en\ntheme: brand"),
            (p / "themes/brand/templates").mkdir(parents=True),
            (p / "themes/brand/templates/item.html").write_text(
                '{% extends "!default/item.html" %}{% block title %}{{ item.title }} (preview){% endblock %}'
            ),
            p / "roadmapgen.yaml",
            p / "themes/brand/templates/item.html",
        ][3:],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("audience", list(Audience))
def test_incremental_rebuilds_equal_full_builds(tmp_path: Path, audience: Audience) -> None:
    project = copy_example(tmp_path / "project")
    live = LivePreview(project, audience, SOURCE_DATE)
    assert live.rebuild().ok
    for name, edit in EDITS:
        everything(live)  # render every page, so the rebuild must decide what to keep
        changed = edit(project)
        outcome = live.rebuild(changed)
        assert outcome.ok, (name, [p.format() for p in outcome.problems])
        assert everything(live) == fresh(project, audience), name


def test_a_body_edit_invalidates_only_its_dependents(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    live = LivePreview(project, Audience.PUBLIC, SOURCE_DATE)
    live.rebuild()
    everything(live)
    path = project / "content/roadmap/csat-follow-ups.md"
    replace_in(path, "opens a follow-up task", "opens a follow-up reminder")
    outcome = live.rebuild([path])
    snapshot = live.snapshot
    assert outcome.ok and outcome.invalidated == 17
    assert sorted(set(snapshot.pages) - set(snapshot.rendered)) == [
        "changes/feed.xml", "changes/index.html", "embed/changes/index.html", "embed/roadmap/index.html", "feed.json",
        "index.html", "roadmap.json", "roadmap/csat-follow-ups/feed.xml", "roadmap/csat-follow-ups/index.html",
        "roadmap/index.html", "sitemap.xml", "subscribe/index.html", "tags/csat/feed.xml", "tags/csat/index.html",
        "tags/index.html", "tags/workflow/feed.xml", "tags/workflow/index.html"]


def test_errors_keep_the_last_good_site_and_recover(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    live = LivePreview(project, Audience.INTERNAL, SOURCE_DATE)
    live.rebuild()
    good = live.snapshot
    path = project / "content/roadmap/macros.md"
    replace_in(path, "status: shipped", "status: done")
    other = project / "content/roadmap/dark-mode.md"
    replace_in(other, "title: Dark mode", "title: Night mode")
    assert not live.rebuild([path]).ok
    assert not live.rebuild([other]).ok
    assert live.snapshot is good
    assert [p.format() for p in live.problems][0].startswith("content/roadmap/macros.md:3:9: error: 'status'")
    replace_in(path, "status: done", "status: shipped")
    assert live.rebuild([path]).ok
    assert b"Night mode" in live.snapshot.page("roadmap/dark-mode/index.html")


def test_consistency_warnings_follow_edits(tmp_path: Path) -> None:
    """Kept between rebuilds when an edit cannot change them (a body), made again when it can."""
    project = copy_example(tmp_path / "project")
    live = LivePreview(project, Audience.INTERNAL, SOURCE_DATE)
    assert live.rebuild().ok and live.problems == ()
    release = project / "content/releases/3.7.0.md"
    replace_in(release, "ships: [dark-mode]", "ships: [dark-mode, sla-policies]")
    live.rebuild([release])
    assert [p.message for p in live.problems] == [
        "ships 'sla-policies', whose status is 'in-progress' (in content/roadmap/sla-policies.md); set it to 'shipped'"]
    item = project / "content/roadmap/sla-policies.md"
    replace_in(item, "Set response and resolution targets", "Set response targets")
    live.rebuild([item])  # an edit the rules do not read (the summary): the same finding, kept
    assert len(live.problems) == 1
    replace_in(item, "status: in-progress", "status: shipped")
    replace_in(item, "horizon: now\n", "")
    live.rebuild([item])
    assert live.problems == ()


@pytest.mark.parametrize("audience", list(Audience))
def test_the_preview_serves_what_a_build_writes(tmp_path: Path, audience: Audience, run_cli, monkeypatch) -> None:
    """Every page and file the preview serves equals the build's file at that path, byte for byte; the
    preview differs only where it must (404.html links from '/', the one address it is served at) and
    leaves out the search index, which a build makes after writing the pages."""
    project = copy_example(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime.combine(SOURCE_DATE, dt.time(),
                                                                           dt.UTC).timestamp())))
    assert run_cli("build", project, "--out", tmp_path / "out", "--audience", audience.value).code == 0
    built = tree_bytes(tmp_path / "out" / audience.value)
    served = fresh(project, audience)
    assert sorted(served) == sorted(path for path in built if not path.startswith("pagefind/")
                                    and path != ".roadmapgen-site")
    different = [path for path, data in served.items() if data != built[path]]
    assert different in ([], ["404.html"])  # the same when the site's own address has no path
