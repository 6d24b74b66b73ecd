"""The build cache never makes output stale or wrong, and never lets internal text into the public site.

Each scenario builds with the cache, changes something, builds again with the cache, and
requires exactly what a build without any cache makes.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmapgen.audience.context import Audience
from roadmapgen.commands.build import BuildOptions, BuildResult, build
from roadmapgen.markdown.body import Body
from roadmapgen.model.cache import DocumentCache, code_fingerprint, load_snapshot
from roadmapgen.packs import StoredHtml, packs_in_use
from roadmapgen.seal import Seal, load_seal
from tests.helpers.gitrepo import git
from tests.helpers.projects import SMALL_PROJECT
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


def snapshot_bodies(cache_dir: Path, key_file: Path) -> list[Body]:
    seal = load_seal(key_file, create=False)
    assert seal is not None
    results = load_snapshot(DocumentCache(cache_dir, code_fingerprint(), seal)).results.values()
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
        monkeypatch.setattr("roadmapgen.commands.reuse.file_stamp", stamp)

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
    # Only the cache can tell:
    monkeypatch.setattr("roadmapgen.commands.build.Manifest.up_to_date", lambda *args, **kwargs: False)
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
    monkeypatch.setattr("roadmapgen.commands.reuse.file_stamp", lambda path: (path.stat().st_size, past, past))
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
    monkeypatch.setattr("roadmapgen.commands.build.code_fingerprint", lambda: "another-version")
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


def test_a_snapshot_holds_bodies_by_place_not_by_text(small_project: Path, tmp_path: Path,
                                                      cache_key_file: Path) -> None:
    """What keeps a large rebuild's memory and start-up small: it loads no body it does not print."""
    cached(small_project, tmp_path / "out", cache_dir=tmp_path / "cache")
    bodies = snapshot_bodies(tmp_path / "cache", cache_key_file)
    assert bodies and all(isinstance(body.internal_html, StoredHtml) for body in bodies)
    assert any("Alpha body." in body.public_html.load() for body in bodies)


def test_bodies_move_into_one_file_when_a_snapshot_needs_too_many(small_project: Path, tmp_path: Path,
                                                                   monkeypatch, cache_key_file: Path) -> None:
    """Every full read adds body files; a build must never need more open files than MAX_PACKS."""
    monkeypatch.setattr("roadmapgen.model.cache.MAX_PACKS", 1)
    cache = tmp_path / "cache"
    for change in ("a body", "a referenced persona", "a new document"):
        CHANGES[change](small_project)
        age(small_project)
        cached(small_project, tmp_path / "out", cache_dir=cache)
        bodies = snapshot_bodies(cache, cache_key_file)
        assert len(packs_in_use(html for body in bodies for html in (body.internal_html, body.public_html))) == 1
    assert sites(tmp_path / "out") == uncached(small_project, tmp_path / "fresh")


# --- A cache is an input nobody reviews: whatever bytes are in it, it never runs code or changes a byte.


class _Evil:
    """What an attacker commits under .roadmapgen-cache/: a pickle that runs a command when loaded."""

    def __init__(self, sentinel: Path) -> None:
        self.sentinel = sentinel

    def __reduce__(self):
        return (os.system, (f"touch {self.sentinel}",))


def _cache_files(cache: Path) -> list[Path]:
    return sorted(path for path in cache.rglob("*") if path.is_file() and path.name != ".gitignore")


def _plant_everywhere(cache: Path, blob_for: Callable[[Path], bytes]) -> None:
    for path in _cache_files(cache):
        path.write_bytes(blob_for(path))


def test_a_planted_pickle_never_runs(small_project: Path, tmp_path: Path, run_cli, cache_key_file: Path) -> None:
    """Raw pickles, and pickles sealed with the right key (as if it leaked): loading makes only
    roadmapgen's own data classes, so neither runs, and the site is what the sources say."""
    age(small_project)
    cache = small_project / ".roadmapgen-cache"
    cached(small_project, tmp_path / "out")
    CHANGES["a body"](small_project)
    age(small_project)
    sentinel = tmp_path / "pwned"
    evil = pickle.dumps(_Evil(sentinel))
    _plant_everywhere(cache, lambda path: evil)
    assert run_cli("check", small_project).code == 0
    cached(small_project, tmp_path / "out")
    assert not sentinel.exists()
    seal = load_seal(cache_key_file, create=False)
    assert seal is not None
    code = next(cache.glob("documents-*")).name.removeprefix("documents-")
    (cache / f"documents-{code}" / "snapshot.pickle").write_bytes(seal.seal(f"snapshot:{code}", evil))
    assert run_cli("check", small_project).code == 0
    cached(small_project, tmp_path / "out")
    assert not sentinel.exists()
    assert sites(tmp_path / "out") == uncached(small_project, tmp_path / "fresh")


def test_a_genuine_entry_under_another_name_is_not_used(tmp_path: Path, cache_key_file: Path) -> None:
    """A sealed result copied to another document's digest would show other text than the file
    under review: a seal covers the name it was written for."""
    seal = load_seal(cache_key_file, create=True)
    assert seal is not None
    documents = DocumentCache(tmp_path / "cache", "code", seal)
    documents.store("a" * 32, b"result of file A")
    assert documents.load("a" * 32) == b"result of file A"
    (tmp_path / "cache/documents-code/bb").mkdir()
    shutil.copy(tmp_path / "cache/documents-code/aa" / f"{'a' * 32}.pickle",
                tmp_path / "cache/documents-code/bb" / f"{'b' * 32}.pickle")
    assert documents.load("b" * 32) is None
    other_key = DocumentCache(tmp_path / "cache", "code", Seal(b"k" * 32))
    assert other_key.load("a" * 32) is None


@pytest.mark.parametrize("where", ["cache folder", "key file"])
def test_a_cache_that_git_tracks_is_refused(where: str, small_project: Path, tmp_path: Path, run_cli,
                                             cache_key_file: Path, monkeypatch) -> None:
    """Whatever a commit puts there is refused, loudly, before anything is read or written."""
    git(small_project, "init", "-q")
    cached(small_project, tmp_path / "out")
    shown = ".roadmapgen-cache" if where == "cache folder" else "cache-key"
    if where == "key file":
        shutil.copy(cache_key_file, small_project / shown)
        monkeypatch.setenv("ROADMAPGEN_CACHE_KEY_FILE", str(small_project / shown))
    git(small_project, "add", "-f", shown)
    for command in (("check",), ("build", "--out", tmp_path / "out2")):
        result = run_cli(*command, small_project)
        assert result.code == 1
        assert f"{shown}:1:1: error: git tracks the build cache" in result.out + result.err
    assert not (tmp_path / "out2").exists()
    assert run_cli("build", small_project, "--out", tmp_path / "out2", "--no-cache").code == 0


def test_the_cache_folder_ignores_itself(small_project: Path, tmp_path: Path) -> None:
    git(small_project, "init", "-q")
    cached(small_project, tmp_path / "out")
    git(small_project, "add", ".")
    assert not [name for name in git(small_project, "ls-files").split() if name.startswith(".roadmapgen-cache")]


def test_check_never_makes_a_key(small_project: Path, tmp_path: Path, run_cli, monkeypatch) -> None:
    key = tmp_path / "keys/cache-key"
    monkeypatch.setenv("ROADMAPGEN_CACHE_KEY_FILE", str(key))
    assert run_cli("check", small_project).code == 0
    assert not key.exists()
    assert run_cli("build", small_project, "--out", tmp_path / "out").code == 0
    assert key.stat().st_mode & 0o077 == 0 and len(key.read_bytes()) == 32


_MUTATIONS: dict[str, Callable[[bytes, int], bytes]] = {
    "random bytes": lambda data, n: os.urandom(max(1, n % 4096)),
    "one byte flipped": lambda data, n: data[: n % max(len(data), 1)] + bytes([data[n % len(data)] ^ 0x20])
    + data[n % len(data) + 1 :] if data else b"x",
    "cut short": lambda data, n: data[: n % max(len(data), 1)],
    "bytes added": lambda data, n: data + os.urandom(1 + n % 64),
    "emptied": lambda data, n: b"",
}


@pytest.fixture(scope="module")
def cache_case(tmp_path_factory: pytest.TempPathFactory, cache_key_file: Path) -> tuple[Path, dict[str, bytes]]:
    """A project whose cache holds every kind of file, and what a build without any cache makes of it."""
    root = tmp_path_factory.mktemp("hostile-cache")
    project = write_files(root / "project", SMALL_PROJECT)
    return project, uncached(project, root / "reference")


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(choice=st.integers(min_value=0, max_value=10_000), mutation=st.sampled_from(sorted(_MUTATIONS)),
       spot=st.integers(min_value=0, max_value=1 << 20))
def test_any_bytes_in_any_cache_file_change_no_output_byte(cache_case, choice: int, mutation: str, spot: int,
                                                           tmp_path_factory: pytest.TempPathFactory,
                                                           cache_key_file: Path) -> None:
    project, reference = cache_case
    with patch("roadmapgen.commands.build.default_key_file", lambda: cache_key_file):
        root = tmp_path_factory.mktemp("run")
        options = {"cache_dir": root / "cache"}
        age(project)
        cached(project, root / "out", **options)
        files = _cache_files(root / "cache")
        target = files[choice % len(files)]
        target.write_bytes(_MUTATIONS[mutation](target.read_bytes(), spot))
        result = build(project, BuildOptions(output_dir=root / "out", source_date=SOURCE_DATE, **options))
        assert result.ok, [p.format() for p in result.report]
        assert sites(root / "out") == reference, (target.name, mutation)


def test_an_edited_responses_file_is_seen(small_project: Path, tmp_path: Path) -> None:
    """A survey's responses file is an input like any document: an edit long after the last build
    makes the metric again (it was taken for 'nothing changed', showing the old values)."""
    write_files(small_project, {
        "content/metrics/nps.yaml": ("name: NPS\nkind: nps\nvisibility: public\nresponses: metrics/answers.csv\n"
                                     "min_responses: 2\n"),
        "content/metrics/answers.csv": "date,score\n2026-01-03,10\n2026-01-04,10\n"})
    age(small_project)
    cached(small_project, tmp_path / "out")
    assert "100" in (tmp_path / "out/public/metrics/index.html").read_text()
    (small_project / "content/metrics/answers.csv").write_text("date,score\n2026-01-03,0\n2026-01-04,0\n")
    age(small_project)
    rebuilt = cached(small_project, tmp_path / "out")
    assert not rebuilt.up_to_date
    assert sites(tmp_path / "out") == uncached(small_project, tmp_path / "fresh")


def test_nothing_changed_is_known_right_after_a_build(small_project: Path, tmp_path: Path) -> None:
    """Within two seconds of a save, file times cannot tell; the inputs' bytes can."""
    first = cached(small_project, tmp_path / "out")
    assert not first.up_to_date
    again = cached(small_project, tmp_path / "out")
    assert again.up_to_date
    replace_in(small_project / "content/roadmap/alpha.md", "Alpha body.", "Alpha bodY.")  # same size, same tick
    changed = cached(small_project, tmp_path / "out")
    assert not changed.up_to_date
    assert b"Alpha bodY." in (tmp_path / "out/public/roadmap/alpha/index.html").read_bytes()
