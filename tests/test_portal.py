"""The public portal: feedback links, public wording, tag pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.gitrepo import git
from tests.helpers.sitefiles import write_files

PROJECT = {
    "roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/roadmap/\n"
                       "feedback_url: https://example.com/feedback?item={slug}&title={title}&from={url}\n",
    "content/roadmap/sso.md": '---\ntitle: "SSO & SCIM: \\"soon\\" #1?"\nstatus: planned\nhorizon: now\n'
                              "tags: [security, admin]\nvisibility: public\n---\nBody.\n",
    "content/roadmap/export.md": "---\ntitle: Export\nstatus: planned\nhorizon: later\ntags: [data]\n"
                                 "feedback_url: mailto:pm@example.com?subject={title}\nvisibility: public\n---\n",
}


def build(tmp_path: Path, run_cli, files: dict[str, str] = PROJECT) -> Path:
    project = write_files(tmp_path / "p", files)
    result = run_cli("build", project, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    return tmp_path / "out"


def test_feedback_links_are_filled_and_url_encoded(tmp_path: Path, run_cli) -> None:
    out = build(tmp_path, run_cli)
    page = (out / "public/roadmap/sso/index.html").read_text()
    assert ('<a href="https://example.com/feedback?item=sso&amp;title=SSO%20%26%20SCIM%3A%20%22soon%22%20%231%3F'
            '&amp;from=https%3A%2F%2Fexample.com%2Froadmap%2Froadmap%2Fsso%2F" rel="noopener">'
            "Give feedback on this item</a>") in page
    own = (out / "public/roadmap/export/index.html").read_text()
    assert 'href="mailto:pm@example.com?subject=Export"' in own  # the item's own link wins
    board = (out / "public/roadmap/index.html").read_text()
    assert "title=Acme%20roadmap" in board and "Give feedback on the roadmap" in board


def test_without_feedback_url_there_is_no_link(tmp_path: Path, run_cli) -> None:
    files = dict(PROJECT, **{"roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/\n"})
    out = build(tmp_path, run_cli, files)
    assert "Give feedback" not in (out / "public/roadmap/sso/index.html").read_text()
    assert "mailto:pm@example.com" in (out / "public/roadmap/export/index.html").read_text()


@pytest.mark.parametrize("template", [
    "javascript:alert(1)//{title}", "data:text/html,{title}", "{url}", "https://x.example/?t={name}",
    "https://x.example/?t={title!r}", "https://x.example/?t={title:>9}", "https://x.example/?t={title",
    "https:x.example/{slug}", "https://x.example/a b", "//x.example/{slug}",
])
def test_only_web_and_mail_templates_with_known_placeholders(tmp_path: Path, run_cli, template: str) -> None:
    files = dict(PROJECT, **{"roadmapgen.yaml": f"product: Acme\nbase_url: https://example.com/\n"
                                                f"feedback_url: '{template}'\n"})
    result = run_cli("check", write_files(tmp_path / "p", files))
    assert result.code == 1
    assert result.out.startswith("roadmapgen.yaml:3:15: error: 'feedback_url' ")


def test_tag_pages_list_the_items_and_tags_link_to_them(tmp_path: Path, run_cli) -> None:
    files = dict(PROJECT)
    files["content/roadmap/hidden.md"] = ("---\ntitle: Hidden\nstatus: planned\nhorizon: now\n"
                                          "tags: [Security, rgsecrettag]\n---\n")
    out = build(tmp_path, run_cli, files)
    security = (out / "public/tags/security/index.html").read_text()
    assert "<h1>Tagged “security”</h1>" in security and 'href="../../roadmap/sso/"' in security
    assert "Hidden" not in security  # an internal item's tag shares the page on the internal site only
    assert "Hidden" in (out / "internal/tags/security/index.html").read_text()
    assert not (out / "public/tags/rgsecrettag").exists() and (out / "internal/tags/rgsecrettag").is_dir()
    item = (out / "public/roadmap/sso/index.html").read_text()
    assert '<a href="../../tags/security/">security</a>' in item
    index = (out / "public/tags/index.html").read_text()
    assert 'href="../tags/data/">data</a>' in index and "rgsecrettag" not in index
    assert 'href="../tags/">Browse by tag</a>' in (out / "public/roadmap/index.html").read_text()


def test_tags_without_letters_still_get_a_page(tmp_path: Path, run_cli) -> None:
    files = dict(PROJECT)
    files["content/roadmap/sso.md"] = files["content/roadmap/sso.md"].replace("[security, admin]", "['日本', '---']")
    out = build(tmp_path, run_cli, files)
    pages = sorted(path.name for path in (out / "public/tags").iterdir() if path.is_dir())
    assert len(pages) == 3 and all(name == "data" or name.startswith("tag-") for name in pages)


def test_heading_ids_never_repeat_a_footnote_id() -> None:
    """Nu HTML Checker: a heading '## fn1' beside a footnote gave two elements id="fn1"."""
    import re

    from roadmapgen.markdown.parser import BodyParser

    text = "## fn1\n\n## fnref1\n\nA note[^1].\n\n[^1]: The note."
    body, problems = BodyParser().parse(text, path="x.md", content_path="roadmap/x.md", first_line=1)
    ids = re.findall(r'id="([^"]+)"', str(body.internal_html))
    assert problems == [] and len(ids) == len(set(ids)) and {"fn1", "fnref1", "h-fn1", "h-fnref1"} <= set(ids)


def test_task_list_checkboxes_are_labelled() -> None:
    """axe 'label' (critical): each checkbox sits inside the label of its text."""
    from roadmapgen.markdown.parser import BodyParser

    body, _ = BodyParser().parse("- [x] Done\n- [ ] Open", path="x.md", content_path="roadmap/x.md", first_line=1)
    assert str(body.internal_html).count("<label><input class=\"task-list-item-checkbox\"") == 2


def test_the_404_page_carries_its_own_styles(tmp_path: Path, run_cli) -> None:
    """It is served at any address (and opened from files), so no path to a stylesheet would always work."""
    out = build(tmp_path, run_cli)
    page = (out / "public/404.html").read_text()
    assert "<style>" in page and 'rel="stylesheet"' not in page and "--accent:" in page


def test_without_internal_base_url_the_internal_site_has_no_feeds_or_sitemap(tmp_path: Path, run_cli) -> None:
    """Atom ids and sitemap <loc> must be absolute URLs; with no address for the internal site, they are left out."""
    project = write_files(tmp_path / "p", PROJECT)
    result = run_cli("build", project, "--out", tmp_path / "out")
    assert result.code == 0
    assert result.err.count("warning: the internal site has no feeds or sitemap") == 1
    internal, public = tmp_path / "out/internal", tmp_path / "out/public"
    assert not any((internal / name).exists() for name in ("feed.xml", "feed.json", "sitemap.xml"))
    assert all((public / name).is_file() for name in ("feed.xml", "feed.json", "sitemap.xml"))
    page = (internal / "roadmap/sso/index.html").read_text()
    assert "feed.xml" not in page and "feed.json" not in page
    assert "Sitemap:" not in (internal / "robots.txt").read_text()
    strict = run_cli("check", project, "--strict")
    assert strict.code == 0  # a note about the build, not a problem in the content


def test_a_public_item_page_weighs_under_30_kb_before_search_is_used(tmp_path: Path) -> None:
    """The page, its stylesheet, scripts and images: what a customer's browser fetches to show it."""
    import datetime as dt
    import re

    from roadmapgen.commands.build import BuildOptions
    from roadmapgen.commands.build import build as build_sites
    from tests.conftest import copy_example

    project = copy_example(tmp_path / "project")
    assert build_sites(project, BuildOptions(output_dir=tmp_path / "out", source_date=dt.date(2026, 11, 20))).ok
    page = tmp_path / "out/public/roadmap/saml-sso/index.html"
    html = page.read_text()
    loaded = re.findall(r'<(?:link rel="stylesheet"|script|img)[^>]* (?:href|src)="([^"?#]+)', html)
    assert any(name.endswith("style.css") for name in loaded) and any(name.endswith("search.js") for name in loaded)
    total = len(html.encode()) + sum((page.parent / name).stat().st_size for name in loaded)
    assert total <= 30 * 1024, f"{total} bytes"


def _commit(project: Path, message: str, day: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message, day=day)


def test_item_feeds_follow_changes_made_in_git_and_only_public_ones_publicly(tmp_path: Path, run_cli) -> None:

    import feedparser

    from tests.helpers.sitefiles import replace_in

    project = write_files(tmp_path / "p", PROJECT)
    item = project / "content/roadmap/sso.md"
    replace_in(item, "visibility: public", "visibility: internal")
    replace_in(item, "horizon: now", "horizon: later")
    git(project, "init", "-q", "-b", "main")
    _commit(project, "sso, internal", "2026-03-01")
    replace_in(item, "status: planned", "status: in-progress")
    _commit(project, "started while internal", "2026-04-01")
    replace_in(item, "visibility: internal", "visibility: public")
    _commit(project, "made public", "2026-05-01")
    replace_in(item, "horizon: later", "horizon: now")
    replace_in(item, "status: in-progress", "status: beta")
    _commit(project, "beta, now", "2026-06-01")
    replace_in(item, "horizon: now", "horizon: now\ntarget: 2026-Q3")
    _commit(project, "retargeted", "2026-07-01")
    assert run_cli("build", project, "--out", tmp_path / "out").code == 0

    public = feedparser.parse((tmp_path / "out/public/roadmap/sso/feed.xml").read_bytes())
    assert not public.bozo
    titles = [(entry.title.rsplit(": ", 1)[1], entry.published[:10]) for entry in public.entries]
    assert titles == [("Target none → Q3 2026", "2026-07-01"),
                      ("In progress → Beta", "2026-06-01"), ("Moved from Later to Now", "2026-06-01"),
                      ("Added to the roadmap (In progress, Later)", "2026-05-01")]
    assert "<p>In progress → Beta</p>" in public.entries[1].content[0].value  # full HTML
    internal = (tmp_path / "out/internal/roadmap/sso/index.html").read_text()  # no internal_base_url: no feed
    assert "Planned → In progress" in internal and "Made public" in internal
    changes = feedparser.parse((tmp_path / "out/public/changes/feed.xml").read_bytes())
    sso = [(entry.published[:10], entry.title) for entry in changes.entries if entry.link.endswith("/sso/")]
    assert [day for day, _ in sso] == ["2026-07-01", "2026-06-01", "2026-06-01", "2026-05-01"]  # none while internal
    assert not any("Planned" in title for _, title in sso)
    page = (tmp_path / "out/public/roadmap/sso/index.html").read_text()
    assert 'type="application/atom+xml" title="SSO &amp; SCIM: &#34;soon&#34; #1?: changes (Atom)" ' \
        'href="../../roadmap/sso/feed.xml">' in page  # every page names its feeds
    assert '<h2 id="rg-history-heading">History</h2>' in page


def test_history_is_one_git_log_and_one_batch_read_however_many_files(tmp_path: Path, monkeypatch) -> None:
    """Dates and versions of every file share one log; every past version comes from one cat-file."""
    import subprocess

    from roadmapgen.errors import Report
    from roadmapgen.load import git as git_module
    from roadmapgen.model.loading import load_project

    files = dict(PROJECT)
    for number in range(30):
        files[f"content/roadmap/item-{number}.md"] = "---\ntitle: Item\nstatus: planned\nhorizon: later\n---\n"
    project = write_files(tmp_path / "p", files)
    git(project, "init", "-q", "-b", "main")
    _commit(project, "first", "2026-03-01")
    for number in range(30):
        (project / f"content/roadmap/item-{number}.md").write_text(
            "---\ntitle: Item\nstatus: in-progress\nhorizon: now\n---\n")
    _commit(project, "all started", "2026-04-01")
    calls: list[tuple[str, ...]] = []
    real_run = subprocess.run

    def counting_run(args, *rest, **options):  # type: ignore[no-untyped-def]
        calls.append(tuple(a for a in args if a in ("log", "cat-file", "status")))
        return real_run(args, *rest, **options)

    monkeypatch.setattr(subprocess, "run", counting_run)
    loaded = load_project(project, Report())
    assert loaded is not None
    assert [c for c in calls if c] == [("log",), ("status",), ("cat-file",)]
    versions = loaded.corpus.versions["roadmap/item-7"]
    assert [(v.date.isoformat(), v.get("status")) for v in versions] == [("2026-03-01", "planned"),
                                                                      ("2026-04-01", "in-progress")]
    assert git_module.read_log(project) is not None


def test_without_git_item_feeds_have_only_releases(tmp_path: Path, run_cli) -> None:
    import feedparser

    files = dict(PROJECT)
    files["content/releases/1.0.0.md"] = ("---\nversion: 1.0.0\ndate: 2026-02-02\nships: [export]\n"
                                          "visibility: public\n---\n")
    out = build(tmp_path, run_cli, files)
    feed = feedparser.parse((out / "public/roadmap/export/feed.xml").read_bytes())
    assert not feed.bozo and [entry.title for entry in feed.entries] == ["Export: Shipped in 1.0.0"]
    assert "No changes recorded yet" not in (out / "public/changes/index.html").read_text()


# -- the class, not the example: any text, any history --------------------------------------------

@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(title=st.text(), slug=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True))
def test_no_title_can_change_the_shape_of_a_feedback_link(title: str, slug: str) -> None:
    """Whatever an item is called, its link keeps the template's scheme, host, path and keys, and
    the title comes back whole from the query."""
    from urllib.parse import parse_qs, urlsplit

    from roadmapgen.kinds.fields import fill_feedback_url

    url = fill_feedback_url("https://example.com/feedback?item={slug}&title={title}", slug=slug, title=title,
                            url="https://example.com/roadmap/x/")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == ("https", "example.com", "/feedback", "")
    query = parse_qs(parts.query, keep_blank_values=True)
    assert set(query) == {"item", "title"} and query["item"] == [slug]
    assert query["title"] == [title]


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_tag_names_a_folder_inside_tags(tag: str) -> None:
    """A tag's page is tags/<slug>/: no text can make a slug that leaves tags/ or is empty."""
    import re

    from roadmapgen.audience.tags import tag_slug

    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", tag_slug(tag))


_VALUES = st.sampled_from(["planned", "in-progress", "beta", "shipped", None])


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["public", "internal"]), _VALUES, st.sampled_from(["now", "next", None])),
                max_size=8))
def test_the_public_history_holds_only_versions_made_in_public(steps: list) -> None:
    """For any sequence of committed versions, the public site's events come only from public versions,
    carry no commit, and never say anything about visibility."""
    import datetime as dt

    from roadmapgen.audience.make_views import item_changes
    from roadmapgen.audience.public import public_versions
    from roadmapgen.load.versions import Version

    versions = tuple(Version(f"c{n}", dt.date(2026, 1, 1) + dt.timedelta(days=n),
                             (("status", status), ("horizon", horizon), ("target", None), ("visibility", visibility)))
                     for n, (visibility, status, horizon) in enumerate(steps))
    public_days = {version.date for version in versions if version.get("visibility") == "public"}
    events = item_changes(public_versions(versions), ())
    assert all(event.date in public_days and event.commit == "" and event.change != "visibility" for event in events)
    first_public = next((version for version in versions if version.get("visibility") == "public"), None)
    announced = first_public is not None and first_public.get("status") not in ("shipped", "cancelled")
    assert len([event for event in events if event.change == "added"]) == (1 if announced else 0)
    # One change of state, one event: a version never gives two events of one kind, nor a move to nowhere.
    assert all(event.after for event in events if event.change == "moved")
    kinds_by_day = [(event.date, event.change) for event in events]
    assert len(kinds_by_day) == len(set(kinds_by_day))


def test_commits_that_never_passed_check_leave_nothing_in_history(tmp_path: Path, run_cli) -> None:
    """Intermediate commits of a pull request may never have passed `check`: a title hiding a
    'visibility: public' line (check reads the version as internal), duplicate keys, free text where a
    status or horizon belongs. Only versions check accepts count; nothing else reaches any page or feed."""
    import json

    from tests.helpers.sitefiles import tree_bytes

    project = write_files(tmp_path / "p", PROJECT)
    item = project / "content/roadmap/sso.md"
    head = "---\ntitle: SSO\n"
    item.write_text(head + "status: planned\nhorizon: later\nvisibility: internal\n---\nBody.\n")
    git(project, "init", "-q", "-b", "main")
    _commit(project, "sso, internal", "2026-03-01")
    item.write_text('---\ntitle: "SSO\nvisibility: public\n"\nstatus: in-progress\nhorizon: later\n---\nBody.\n')
    _commit(project, "a title hiding a visibility line", "2026-03-15")
    item.write_text(head + "status: planned\nstatus: Rgsecretdup\nhorizon: now\nvisibility: public\n---\nBody.\n")
    _commit(project, "duplicate keys", "2026-04-01")
    item.write_text(head + "status: planned\nhorizon: Rgsecretfree deal with Acme\nvisibility: public\n---\n")
    _commit(project, "free text", "2026-04-15")
    item.write_text(head + "status: beta\nhorizon: now\ntarget: Rgsecrettarget\nvisibility: public\n---\n")
    _commit(project, "a target that is no target", "2026-04-20")
    item.write_text(head + "status: beta\nhorizon: now\nvisibility: public\n---\nBody.\n")
    _commit(project, "beta, now, public", "2026-05-01")
    assert run_cli("check", project).code == 0
    assert run_cli("build", project, "--out", tmp_path / "out").code == 0
    for audience in ("public", "internal"):
        for name, data in tree_bytes(tmp_path / "out" / audience).items():
            assert b"Rgsecret" not in data, (audience, name)
            assert b"2026-03-15" not in data or audience == "internal", name
    items = json.loads((tmp_path / "out/public/roadmap.json").read_text())["items"]
    events = [(event["date"], event["change"]) for item in items if item["slug"] == "sso" for event in item["changes"]]
    assert events == [("2026-05-01", "added")]
    internal = (tmp_path / "out/internal/roadmap/sso/index.html").read_text()
    assert "Made public" in internal and "Planned → In progress" in internal  # valid, internal: shown there only
