"""Reaching people where they are (issue 24): subscribe/, tag feeds, e-mail sign-up, embeds, widget.js,
opt-in analytics, and nothing loaded from another host unless the config asks."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from roadmapgen.commands.build import BuildOptions, build
from tests.conftest import copy_example
from tests.helpers.sitefiles import replace_in


def _built(project: Path, out: Path) -> Path:
    result = build(project, BuildOptions(output_dir=out))
    assert result.ok, [problem.format() for problem in result.report]
    return out


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reach")
    return _built(copy_example(root / "example"), root / "out")


class _Loads(HTMLParser):
    """What a page makes the browser fetch by itself (not links a reader may follow)."""

    LOADING = {"script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "source": ("src", "srcset"),
               "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",)}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        names = self.LOADING.get(tag, ())
        if tag == "link" and set((values.get("rel") or "").split()) & {"stylesheet", "icon", "preload", "modulepreload",
                                                                        "prefetch", "manifest"}:
            names = ("href",)
        self.urls += [value for name in names if (value := values.get(name))]


def _foreign_loads(site: Path) -> list[str]:
    found = []
    for page in sorted(site.rglob("*.html")):
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(site)}: {url}" for url in parser.urls if urlsplit(url).netloc]
    for style in site.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^)'\"]+)", style.read_text())
        found += [f"{style.relative_to(site)}: {url}" for url in urls if urlsplit(url).netloc]
    return found


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_no_page_loads_anything_from_another_host(sites: Path, audience: str) -> None:
    assert _foreign_loads(sites / audience) == [] and len(list((sites / audience).rglob("*.html"))) > 40
    positive = sites / "control.html"  # the check sees a load from another host, protocol-relative ones too
    positive.write_text('<img src="//cdn.example/x.png"><link rel="icon" href="https://cdn.example/i.ico">')
    try:
        assert len(_foreign_loads(sites)) == 2
    finally:
        positive.unlink()


@pytest.mark.parametrize(("provider", "site_id", "snippet"), [
    ("plausible", "roadmap.brightdesk.example",
     '<script defer data-domain="roadmap.brightdesk.example" src="https://plausible.io/js/script.js"></script>'),
    ("umami", "94db1cb1-74f4-4a40-ad6c-962362670409",
     '<script defer src="https://cloud.umami.is/script.js" data-website-id="94db1cb1-74f4-4a40-ad6c-962362670409">'),
    ("goatcounter", "brightdesk",
     '<script data-goatcounter="https://brightdesk.goatcounter.com/count" async src="https://gc.zgo.at/count.js">'),
])
def test_analytics_is_opt_in_and_public_only(tmp_path: Path, provider: str, site_id: str, snippet: str) -> None:
    project = copy_example(tmp_path / "example")
    with (project / "roadmapgen.yaml").open("a") as config:
        config.write(f"analytics: {{provider: {provider}, site: {site_id}}}\n")
    out = _built(project, tmp_path / "out")
    public = [page.read_text() for page in (out / "public").rglob("*.html") if "embed" not in page.parts]
    assert public and all(snippet in page for page in public)
    loads = {line.split(": ", 1)[1] for line in _foreign_loads(out / "public")}
    assert len(loads) == 1  # the provider's script, and nothing else from another host
    assert _foreign_loads(out / "internal") == []


def test_analytics_and_subscribe_addresses_are_https_and_plain(small_project: Path, run_cli) -> None:
    config = small_project / "roadmapgen.yaml"
    config.write_text(config.read_text() + "subscribe_url: http://x.example/join\n"
                      "analytics: {provider: plausible, site: 'a\"b', src: 'https://x.example/s.js\" onload=\"x'}\n")
    result = run_cli("check", small_project)
    assert result.code == 1
    assert "roadmapgen.yaml:3:16: error: 'subscribe_url' must be an https address" in result.out, result.out
    assert "roadmapgen.yaml:4:40: error: 'site' must be the site's id at the provider" in result.out
    assert "roadmapgen.yaml:4:52: error: 'src' must be an https address" in result.out


def test_subscribe_lists_every_feed_and_the_email_signup(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "example")
    with (project / "roadmapgen.yaml").open("a") as config:
        config.write("subscribe_url: https://buttondown.example/brightdesk\n")
    out = _built(project, tmp_path / "out")
    page = (out / "public/subscribe/index.html").read_text()
    for feed in ("../feed.xml", "../feed.json", "../changes/feed.xml", "../tags/security/feed.xml",
                 "../roadmap/saml-sso/feed.xml"):
        assert f'href="{feed}"' in page, feed
        assert (out / "public" / feed.removeprefix("../")).is_file()
    assert 'href="https://buttondown.example/brightdesk"' in page
    footer = (out / "public/roadmap/index.html").read_text().split('<footer')[1]
    assert 'href="https://buttondown.example/brightdesk"' in footer and 'href="../subscribe/"' in footer
    assert "buttondown" not in (out / "internal/subscribe/index.html").read_text()


def test_a_tag_feed_carries_the_changes_of_its_items_only(tmp_path: Path) -> None:
    from tests.helpers.gitrepo import git

    project = copy_example(tmp_path / "example")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start", day="2026-09-01")
    replace_in(project / "content/roadmap/saml-sso.md", "status: in-progress", "status: beta")
    replace_in(project / "content/roadmap/dark-mode.md", "title: Dark mode", "title: Dark mode\ntarget: 2027-Q1")
    git(project, "commit", "-q", "-am", "moves", day="2026-10-01")
    out = _built(project, tmp_path / "out")
    feed = feedparser.parse((out / "public/tags/security/feed.xml").read_bytes())
    assert not feed.bozo and feed.feed.title == "Brightdesk roadmap: security"
    assert [entry.title for entry in feed.entries] == ["Single sign-on with SAML: In progress → Beta"]


def test_embeds_are_the_board_and_changes_without_the_sites_frame(sites: Path) -> None:
    for path, heading in (("embed/roadmap/index.html", "Brightdesk roadmap"), ("embed/changes/index.html",
                                                                               "Roadmap changes")):
        page = (sites / "public" / path).read_text()
        assert '<base target="_parent">' in page and '<meta name="robots" content="noindex">' in page
        assert "<header" not in page and "<nav" not in page and "<footer" not in page
        assert heading in page
    sitemap = (sites / "public/sitemap.xml").read_text()
    assert "embed/" not in sitemap and "subscribe/" in sitemap


def test_widget_js_has_the_sites_words_and_feed_json_its_changes(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "example")
    replace_in(project / "roadmapgen.yaml", "language: en", "language: de")
    out = _built(project, tmp_path / "out")
    widget = (out / "public/widget.js").read_text()
    words = json.loads(re.search(r"var words = (\{.*?\});", widget).group(1))
    assert words["button"] == "Neuigkeiten" and words["language"] == "de"
    assert "\x00" not in widget and "https://roadmap.brightdesk.example/" not in widget.split("(function")[0]
    feed = json.loads((out / "public/feed.json").read_text())
    assert feed["_roadmapgen"]["changes"] == [] or {"date", "title", "url", "change"} <= set(
        feed["_roadmapgen"]["changes"][0])


def test_every_page_has_a_description(sites: Path) -> None:
    missing = [str(page.relative_to(sites)) for page in sites.rglob("*.html")
               if not re.search(r'<meta name="description" content="[^"]{12,}">', page.read_text())]
    assert missing == []


def test_an_internal_item_gets_no_external_feedback_link(sites: Path) -> None:
    page = (sites / "internal/roadmap/eu-data-residency/index.html").read_text()
    assert "Give feedback on this item" not in page and "discussions/new" not in page
    assert "discussions/new" in (sites / "internal/roadmap/saml-sso/index.html").read_text()
