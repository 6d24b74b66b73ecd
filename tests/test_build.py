"""`roadmapgen build` as CI runs it: atomic, deterministic, complete, and loud on failure."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from roadmapgen.commands.build import BuildOptions, build
from roadmapgen.write import Staging
from tests.conftest import REPO
from tests.helpers.sitefiles import replace_in, tree_bytes, write_files


def test_build_writes_both_sites_and_a_summary(small_project: Path, run_cli) -> None:
    result = run_cli("build", small_project)
    assert result.code == 0, result.err
    assert (small_project / "site/internal/index.html").is_file()
    assert (small_project / "site/public/index.html").is_file()
    assert re.search(r"Pages +\| +\d+ \| +\d+", result.out)
    assert "Built in " in result.out and "into " in result.out


def test_bad_content_fails_and_leaves_previous_output_untouched(small_project: Path, run_cli) -> None:
    assert run_cli("build", small_project).code == 0
    before = tree_bytes(small_project / "site")
    (small_project / "content/roadmap/alpha.md").write_text("---\ntitle: Alpha\nstatus: done\n---\n")
    result = run_cli("build", small_project)
    assert result.code == 1
    assert "content/roadmap/alpha.md:3:9: error: 'status' must be one of" in result.err
    assert "Build failed: 1 error, 0 warnings; nothing was written." in result.err
    assert "Traceback" not in result.err
    assert tree_bytes(small_project / "site") == before
    assert [p.name for p in (small_project / "site").iterdir() if p.name.startswith(".") and "staging" in p.name] == []


def test_crash_while_writing_leaves_previous_output_untouched(small_project: Path, monkeypatch) -> None:
    assert build(small_project, BuildOptions()).ok
    before = tree_bytes(small_project / "site")
    (small_project / "content/roadmap/beta.md").write_text("---\ntitle: Beta 2\nstatus: shipped\n---\nNew.\n")
    written = []
    original = Staging.write

    def failing_write(self, relative: str, data: bytes):
        written.append(relative)
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        return original(self, relative, data)

    monkeypatch.setattr(Staging, "write", failing_write)
    with pytest.raises((OSError, RuntimeError), match="No space left on device"):
        build(small_project, BuildOptions())
    assert tree_bytes(small_project / "site") == before
    assert not list((small_project / "site").glob(".*staging*"))


def test_successful_build_leaves_no_stale_page(small_project: Path) -> None:
    assert build(small_project, BuildOptions()).ok
    assert (small_project / "site/public/roadmap/beta/index.html").exists()
    (small_project / "content/roadmap/beta.md").unlink()
    (small_project / "content/releases/1.0.0.md").write_text("---\nversion: 1.0.0\ndate: 2026-01-15\n---\n")
    assert build(small_project, BuildOptions()).ok
    assert not (small_project / "site/public/roadmap/beta").exists()
    assert not (small_project / "site/internal/roadmap/beta").exists()


def test_item_made_internal_disappears_from_public_site(small_project: Path) -> None:
    assert build(small_project, BuildOptions()).ok
    path = small_project / "content/roadmap/alpha.md"
    path.write_text(path.read_text().replace("visibility: public", "visibility: internal"))
    assert build(small_project, BuildOptions()).ok
    public = tree_bytes(small_project / "site/public")
    assert not [name for name in public if "alpha" in name]
    assert not [name for name, data in public.items() if b"Alpha" in data]


@pytest.mark.slow
def test_two_builds_are_byte_identical(small_project: Path, tmp_path: Path) -> None:
    """Separate processes with different hash seeds, so set order cannot leak into output."""
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "roadmapgen", "build", str(small_project), "--out", str(out)],
                       check=True, env=env, capture_output=True)
        trees.append(tree_bytes(out))
    assert trees[0] == trees[1]


def test_audience_option_builds_one_site(small_project: Path, run_cli, tmp_path: Path) -> None:
    result = run_cli("build", small_project, "--audience", "public", "--out", tmp_path / "only-public")
    assert result.code == 0
    assert sorted(p.name for p in (tmp_path / "only-public").iterdir() if not p.name.startswith(".")) == ["public"]


def test_refuses_to_replace_a_folder_it_did_not_write(small_project: Path, run_cli, tmp_path: Path) -> None:
    write_files(tmp_path / "mine", {"public/precious.txt": "keep me"})
    result = run_cli("build", small_project, "--out", tmp_path / "mine")
    assert result.code == 2
    assert "refusing to replace" in result.err
    assert (tmp_path / "mine/public/precious.txt").read_text() == "keep me"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)
            if name == "id" and value:
                self.ids.add(value)


@pytest.mark.parametrize(("audience", "internal_address"), [("internal", True), ("public", True), ("internal", False)])
def test_every_link_in_the_example_sites_resolves(example_project: Path, out_dir: Path, audience: str,
                                                  internal_address: bool) -> None:
    """Every page's links, scripts, styles and feeds lead to a file the site has; an internal site without
    internal_base_url has no feeds, and no page points at one."""
    if not internal_address:
        replace_in(example_project / "roadmapgen.yaml", "internal_base_url:", "# internal_base_url:")
    assert build(example_project, BuildOptions(output_dir=out_dir)).ok
    site = out_dir / audience
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("#"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)} -> {url}")
    assert broken == []


def test_ids_are_unique_on_every_page(example_project: Path, out_dir: Path) -> None:
    assert build(example_project, BuildOptions(output_dir=out_dir)).ok
    for page in sorted(out_dir.rglob("*.html")):
        ids = re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8"))
        duplicates = {i for i in ids if ids.count(i) > 1}
        assert not duplicates, f"{page.relative_to(out_dir)}: {duplicates}"


def test_base_url_with_a_path(small_project: Path, out_dir: Path) -> None:
    (small_project / "roadmapgen.yaml").write_text("product: Acme\nbase_url: https://example.com/roadmap\n")
    assert build(small_project, BuildOptions(output_dir=out_dir, source_date=dt.date(2026, 3, 1))).ok
    public = out_dir / "public"
    sitemap = (public / "sitemap.xml").read_text()
    assert "<loc>https://example.com/roadmap/roadmap/alpha/</loc>" in sitemap
    assert "<loc>https://example.com/roadmap/</loc>" in sitemap
    assert (public / "robots.txt").read_text() == (
        "User-agent: *\nAllow: /\nSitemap: https://example.com/roadmap/sitemap.xml\n")
    item = (public / "roadmap/alpha/index.html").read_text()
    assert 'href="../../personas/pat/"' in item
    assert '<link rel="canonical" href="https://example.com/roadmap/roadmap/alpha/">' in item
    assert 'href="/roadmap/roadmap/"' in (public / "404.html").read_text()
    data = json.loads((public / "roadmap.json").read_text())
    assert data["items"][0]["url"] == "https://example.com/roadmap/roadmap/alpha/"


def test_public_site_copies_only_assets_its_pages_use(example_project: Path, out_dir: Path) -> None:
    assert build(example_project, BuildOptions(output_dir=out_dir)).ok
    public = sorted(p.relative_to(out_dir / "public/assets").as_posix() for p in (out_dir / "public/assets").rglob("*")
                    if p.is_file())
    assert public == ["avatars/jonas.svg", "avatars/leo.svg", "avatars/maya.svg", "avatars/priya.svg",
                      "avatars/sam.svg", "screenshots/macros.svg"]
    internal = {p.name for p in (out_dir / "internal/assets").rglob("*") if p.is_file()}
    assert {"ruth.svg", "eu-region.svg"} <= internal


def test_feeds_are_valid_and_newest_first(example_project: Path, out_dir: Path) -> None:
    assert build(example_project, BuildOptions(output_dir=out_dir)).ok
    atom = feedparser.parse((out_dir / "public/feed.xml").read_bytes())
    assert not atom.bozo, atom.bozo_exception
    assert atom.feed.title == "Brightdesk releases"
    assert [entry.title for entry in atom.entries][:2] == ["3.7.0: Dark mode and suggested replies beta",
                                                           "3.6.0: Know how customers feel"]
    assert all(entry.link.startswith("https://roadmap.brightdesk.example/releases/") for entry in atom.entries)
    assert (
        '<a href="https://roadmap.brightdesk.example/roadmap/ai-reply-suggestions/">'
        in atom.entries[0].content[0].value
    )
    assert "3.6.1" not in {entry.title.split(":")[0] for entry in atom.entries}
    jsonfeed = json.loads((out_dir / "public/feed.json").read_text())
    assert jsonfeed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["id"] for item in jsonfeed["items"]] == [entry.id for entry in atom.entries]
    assert all({"id", "url", "content_html", "date_published"} <= set(item) for item in jsonfeed["items"])


def test_roadmap_json_shows_what_each_site_may(example_project: Path, out_dir: Path) -> None:
    assert build(example_project, BuildOptions(output_dir=out_dir)).ok
    public = json.loads((out_dir / "public/roadmap.json").read_text())
    internal = json.loads((out_dir / "internal/roadmap.json").read_text())
    sso = next(item for item in public["items"] if item["slug"] == "saml-sso")
    assert sso["url"] == "https://roadmap.brightdesk.example/roadmap/saml-sso/"
    assert "objective" not in sso  # enterprise-ready is internal, and a key without a value is absent
    assert set(sso) == {"slug", "url", "title", "status", "horizon", "summary", "target", "target_label",
                        "target_end", "tags", "personas", "shipped_in", "feedback_url", "changes"}
    assert public["version"] == 1
    assert (sso["target"], sso["target_label"], sso["target_end"]) == ("2026-Q4", "Q4 2026", "2026-12-31")
    assert sso["feedback_url"].endswith("&title=Single%20sign-on%20with%20SAML")
    internal_sso = next(item for item in internal["items"] if item["slug"] == "saml-sso")
    assert internal_sso["owner"] == "Ines Duarte"
    assert internal_sso["rice"]["score"] == 480
    assert len(internal["items"]) == 20 and len(public["items"]) == 17


def test_source_date_epoch_caps_dates_taken_from_file_times(small_project: Path, out_dir: Path, run_cli,
                                                            monkeypatch) -> None:
    """Outside git, "last changed" comes from file times; a reproducible build never shows a day after its own."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01; the files were written today
    assert run_cli("build", small_project, "--out", out_dir).code == 0
    page = (out_dir / "internal/roadmap/alpha/index.html").read_text()
    assert '<dt>Last changed</dt><dd><time datetime="2026-01-01">' in page
