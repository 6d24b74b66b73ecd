"""The build cache never makes output stale or wrong, and never lets internal text into the public site.

Each scenario builds with the cache, changes something, builds again with the cache, and
requires exactly what a build without any cache makes.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from roadmapgen.audience.projector import Audience
from roadmapgen.build import BuildOptions, BuildResult, build
from roadmapgen.cache import DocumentCache, code_fingerprint, load_snapshot
from roadmapgen.markdown.body import Body
from roadmapgen.packs import StoredHtml, packs_in_use
from tests.helpers.sitefiles import replace_in, tree_bytes, write_files

SOURCE_DATE = dt.date(2026, 3, 1)


def cached(project: Path, out: Path, **options) -> BuildResult:
    result = build(project, BuildOptions(output_dir=out, source_date=SOURCE_DATE, **options))
    assert result.ok, [p.format() for p in result.report]
    return result


def uncached(project: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    cached(project, out, use_cache=False)
    return sites(out)


def sites(out: Path) -> dict[str, bytes]:
    return {f"{audience}/{path}": data for audience in ("internal", "public")
            for path, data in tree_bytes(out / audience).items()}


def age(project: Path) -> None:
    """Make every file older than the build's two-second trust window, like files saved a while ago."""
    past = time.time() - 60
    for path in project.rglob("*"):
        os.utime(path, (past, past))


def rewrite_under_old_size_and_mtime(path: Path) -> None:
    """New bytes, same size, and the modification time put back: only the change time tells."""
    stat = path.stat()
    replace_in(path, "Alpha body.", "Alpha bodY.")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def snapshot_bodies(cache_dir: Path) -> list[Body]:
    results = load_snapshot(DocumentCache(cache_dir, code_fingerprint())).results.values()
    return [
        result.document.body for result in results if result.document is not None and result.document.body is not None
    ]


def theme_template(project: Path) -> None:
    write_files(project, {"themes/brand/templates/item.html":
                          '{% extends "!default/item.html" %}{% block title %}{{ item.title }} | brand{% endblock %}'})
    replace_in(project / "roadmapgen.yaml", "base_url:", "theme: brand\nbase_url:")


CHANGES: dict[str, Callable[[Path], None]] = {
    "a body": lambda p: replace_in(p / "content/roadmap/alpha.md", "Alpha body.", "Alpha body, revised."),
    "a template": theme_template,
    "a config key": lambda p: replace_in(p / "roadmapgen.yaml", "product: Acme", "product: Acme Cloud"),
    "a referenced persona": lambda p: replace_in(p / "content/personas/pat.md", "name: Pat Doe", "name: Patricia Doe"),
    "visibility public to internal": lambda p: replace_in(
        p / "content/roadmap/alpha.md", "visibility: public", "visibility: internal"
    ),
    "an asset": lambda p: (p / "content/assets/pat.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n'),
    "a deleted document": lambda p: (p / "content/feedback/call.md").unlink(),
    "a new document": lambda p: write_files(
        p,
        {
            "content/roadmap/gamma.md": "---\ntitle: Gamma\nstatus: planned\nhorizon: later\nvisibility: "
            "public\n---\nG.\n"
        },
    ),
}


@pytest.mark.parametrize("name", CHANGES)
def test_a_cached_rebuild_equals_a_build_without_cache(name: str, small_project: Path, tmp_path: Path) -> None:
    age(small_project)
    cached(small_project, tmp_path / "out")
    CHANGES[name](small_project)
    age(small_project)
    rebuilt = cached(small_project, tmp_path / "out")
    assert not rebuilt.up_to_date
    assert sites(tmp_path / "out") == uncached(small_project, tmp_path / "fresh")


@pytest.fixture
def coarse_clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """A file system whose times do not move within a tick (FAT: 2 s, ext3: 1 s), taken to the
    extreme: every stamp is frozen at the moment the test starts, so only the trust window can tell
    that a file saved after the last build changed."""
    frozen = time.time_ns()

    def stamp(path: Path) -> tuple[int, int, int]:
        return path.stat().st_size, frozen, frozen

    def freeze() -> None:
        monkeypatch.setattr("roadmapgen.model.read_all.file_stamp", stamp)
        monkeypatch.setattr("roadmapgen.reuse.file_stamp", stamp)

    return freeze


def same_size_edit(path: Path) -> None:
    replace_in(path, "Alpha body.", "Alpha bodY.")


def test_a_change_right_before_the_build_is_seen_by_the_document_cache(
    small_project: Path, tmp_path: Path, coarse_clock, monkeypatch
) -> None:
    """A file saved within the window around the last read is read again, though its stamp is the same."""
    coarse_clock()
    cached(small_project, tmp_path / "out")
    same_size_edit(small_project / "content/roadmap/alpha.md")
    monkeypatch.setattr("roadmapgen.build.Manifest.up_to_date", lambda *args: False)  # only the cache can tell
    cached(small_project, tmp_path / "out")
    assert b"Alpha bodY." in (tmp_path / "out/public/roadmap/alpha/index.html").read_bytes()


def test_a_change_right_before_the_build_is_seen_by_the_output_manifest(
    small_project: Path, tmp_path: Path, coarse_clock
) -> None:
    """The same for the whole build: with every stamp unchanged, 'nothing changed' is not trusted."""
    coarse_clock()
    cached(small_project, tmp_path / "out")
    same_size_edit(small_project / "content/roadmap/alpha.md")
    result = cached(small_project, tmp_path / "out")
    assert not result.up_to_date
    assert b"Alpha bodY." in (tmp_path / "out/public/roadmap/alpha/index.html").read_bytes()


def test_new_bytes_under_an_old_size_and_time_are_read(small_project: Path, tmp_path: Path) -> None:
    """What `cp -p` does, long after the last build: different content, same size and mtime.
    Only the change time (ctime, which no program can set) tells."""
    age(small_project)
    cached(small_project, tmp_path / "out")
    rewrite_under_old_size_and_mtime(small_project / "content/roadmap/alpha.md")
    cached(small_project, tmp_path / "out")
    assert b"Alpha bodY." in (tmp_path / "out/public/roadmap/alpha/index.html").read_bytes()


def test_internal_text_never_returns_through_the_cache(small_project: Path, tmp_path: Path) -> None:
    """An item made internal and given a secret title: no cache layer may serve the old public page."""
    age(small_project)
    cached(small_project, tmp_path / "out")
    path = small_project / "content/roadmap/alpha.md"
    replace_in(path, "visibility: public", "visibility: internal")
    replace_in(path, "title: Alpha", "title: Rgsecretcodename")
    age(small_project)
    cached(small_project, tmp_path / "out")
    public = tree_bytes(tmp_path / "out/public")
    assert [name for name in public if "alpha" in name] == []
    own_code = (".js", ".css", ".pagefind")  # Pagefind's bundled code, which has the word 'alpha' in it
    assert [name for name, data in public.items() if b"Rgsecretcodename" in data or (
        b"alpha" in data and not (name.startswith("pagefind/") and name.endswith(own_code)))] == []
    assert b"Rgsecretcodename" in (tmp_path / "out/internal/roadmap/alpha/index.html").read_bytes()


def test_nothing_changed_writes_nothing(small_project: Path, tmp_path: Path, run_cli, monkeypatch) -> None:
    # Files saved a minute ago: outside the window in which a file may still change unseen.
    past = time.time_ns() - 60_000_000_000
    monkeypatch.setattr("roadmapgen.reuse.file_stamp", lambda path: (path.stat().st_size, past, past))
    assert run_cli("build", small_project, "--out", tmp_path / "out").code == 0
    before = (tmp_path / "out/public/index.html").stat()
    result = run_cli("build", small_project, "--out", tmp_path / "out")
    assert result.code == 0
    assert "Nothing changed since the last build" in result.out
    after = (tmp_path / "out/public/index.html").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_a_hand_edited_output_file_is_rebuilt(small_project: Path, tmp_path: Path) -> None:
    age(small_project)
    cached(small_project, tmp_path / "out")
    page = tmp_path / "out/public/roadmap/alpha/index.html"
    original = page.read_bytes()
    page.write_bytes(b"defaced")
    result = cached(small_project, tmp_path / "out")
    assert not result.up_to_date
    assert page.read_bytes() == original


def test_unchanged_pages_are_reused_not_rendered(small_project: Path, tmp_path: Path) -> None:
    age(small_project)
    first = cached(small_project, tmp_path / "out")
    replace_in(small_project / "content/roadmap/beta.md", "Beta body.", "Beta body, again.")
    age(small_project)
    second = cached(small_project, tmp_path / "out")
    assert 0 < second.sites[Audience.PUBLIC].rendered < first.sites[Audience.PUBLIC].rendered


def test_a_new_roadmapgen_version_starts_a_new_cache(small_project: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    cached(small_project, tmp_path / "out", cache_dir=cache)
    monkeypatch.setattr("roadmapgen.build.code_fingerprint", lambda: "another-version")
    cached(small_project, tmp_path / "out", cache_dir=cache)
    assert sorted(p.name for p in cache.glob("documents-*")) == sorted(
        [next(p.name for p in cache.glob("documents-*") if p.name != "documents-another-version"),
         "documents-another-version"])


def test_the_same_bytes_under_another_name_are_another_document(small_project: Path, tmp_path: Path) -> None:
    cached(small_project, tmp_path / "out")
    shutil.copy(small_project / "content/roadmap/beta.md", small_project / "content/roadmap/beta-copy.md")
    cached(small_project, tmp_path / "out")
    assert (tmp_path / "out/public/roadmap/beta-copy/index.html").exists()


def test_a_deleted_cache_only_costs_time(small_project: Path, tmp_path: Path) -> None:
    cached(small_project, tmp_path / "out", cache_dir=tmp_path / "cache")
    shutil.rmtree(tmp_path / "cache")
    cached(small_project, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert sites(tmp_path / "out") == uncached(small_project, tmp_path / "fresh")


def test_check_reads_the_cache_but_writes_nothing(small_project: Path, run_cli) -> None:
    assert run_cli("check", small_project).code == 0
    assert not (small_project / ".roadmapgen-cache").exists()


def test_a_cache_restored_in_a_fresh_clone_is_used(small_project: Path, tmp_path: Path, monkeypatch) -> None:
    """CI keeps the cache folder, not the checkout: new paths and file times, the same bytes."""
    age(small_project)
    cached(small_project, tmp_path / "out", cache_dir=tmp_path / "kept")
    clone = shutil.copytree(small_project, tmp_path / "clone")  # new times, like a checkout
    shutil.move(tmp_path / "kept", tmp_path / "restored")  # restored at another path
    age(clone)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a document was parsed although the cache holds it")

    monkeypatch.setattr("roadmapgen.model.read_all.parse_document", no_parsing)
    cached(clone, tmp_path / "out-clone", cache_dir=tmp_path / "restored")
    monkeypatch.undo()
    assert sites(tmp_path / "out-clone") == uncached(clone, tmp_path / "fresh")


def test_a_lost_body_file_only_costs_time(small_project: Path, tmp_path: Path) -> None:
    age(small_project)
    cached(small_project, tmp_path / "out", cache_dir=tmp_path / "cache")
    packs = list((tmp_path / "cache").glob("documents-*/bodies-*.pack"))
    assert packs
    for pack in packs:
        pack.unlink()
    CHANGES["a body"](small_project)
    age(small_project)
    cached(small_project, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert sites(tmp_path / "out") == uncached(small_project, tmp_path / "fresh")


def test_a_snapshot_holds_bodies_by_place_not_by_text(small_project: Path, tmp_path: Path) -> None:
    """What keeps a large rebuild's memory and start-up small: it loads no body it does not print."""
    cached(small_project, tmp_path / "out", cache_dir=tmp_path / "cache")
    bodies = snapshot_bodies(tmp_path / "cache")
    assert bodies and all(isinstance(body.internal_html, StoredHtml) for body in bodies)
    assert any("Alpha body." in body.public_html.load() for body in bodies)


def test_bodies_move_into_one_file_when_a_snapshot_needs_too_many(small_project: Path, tmp_path: Path,
                                                                   monkeypatch) -> None:
    """Every full read adds body files; a build must never need more open files than MAX_PACKS."""
    monkeypatch.setattr("roadmapgen.cache.MAX_PACKS", 1)
    cache = tmp_path / "cache"
    for change in ("a body", "a referenced persona", "a new document"):
        CHANGES[change](small_project)
        age(small_project)
        cached(small_project, tmp_path / "out", cache_dir=cache)
        bodies = snapshot_bodies(cache)
        assert len(packs_in_use(html for body in bodies for html in (body.internal_html, body.public_html))) == 1
    assert sites(tmp_path / "out") == uncached(small_project, tmp_path / "fresh")
