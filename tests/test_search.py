"""The search index ships whole, the same on every build, whatever else the machine is doing.

Pagefind's Python service acknowledged writes before flushing them and was then stopped, so
under load indexes came out torn (an empty or cut entry file): search broken for customers
and builds no longer byte-identical. These tests build under load, tear indexes on purpose,
and try to steer Pagefind from outside.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from roadmapgen.errors import ToolError
from roadmapgen.parallel import usable_cores
from roadmapgen.search import INDEX_FOLDER, index_site, pagefind_binary, verify_index
from tests.helpers.sitefiles import tree_bytes


def _spin() -> None:
    while True:
        pass


@pytest.fixture
def busy_cores() -> Iterator[None]:
    """A busy CI runner: a process spinning on every core for as long as the test runs."""
    context = multiprocessing.get_context("spawn")
    spinners = [context.Process(target=_spin, daemon=True) for _ in range(usable_cores())]
    for spinner in spinners:
        spinner.start()
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.join()


@pytest.mark.slow
def test_the_index_is_byte_identical_across_builds_under_load(example_project: Path, tmp_path: Path, run_cli,
                                                              busy_cores) -> None:
    indexes = []
    for attempt in range(4):
        out = tmp_path / f"out-{attempt}"
        result = run_cli("build", example_project, "--out", out, "--no-cache")
        assert result.code == 0, result.err
        indexes.append({audience: tree_bytes(out / audience / INDEX_FOLDER) for audience in ("internal", "public")})
        for audience in ("internal", "public"):
            verify_index(out / audience / INDEX_FOLDER)
    assert all(index == indexes[0] for index in indexes[1:])
    assert indexes[0]["public"]["pagefind-entry.json"].startswith(b'{"version"')


@pytest.fixture
def good_index(example_project: Path, tmp_path: Path, run_cli) -> Path:
    assert run_cli("build", example_project, "--out", tmp_path / "out", "--no-cache").code == 0
    return tmp_path / "out/public" / INDEX_FOLDER


def _first(folder: Path, pattern: str) -> Path:
    return sorted(folder.glob(pattern))[0]


TEARS = {
    "an empty entry file": lambda index: (index / "pagefind-entry.json").write_bytes(b""),
    "an entry file cut short": lambda index: (index / "pagefind-entry.json").write_bytes(
        (index / "pagefind-entry.json").read_bytes()[:40]),
    "a fragment cut short": lambda index: _first(index, "fragment/*").write_bytes(
        _first(index, "fragment/*").read_bytes()[:-9]),
    "a missing fragment": lambda index: _first(index, "fragment/*").unlink(),
    "metadata cut at 4 KiB": lambda index: _first(index, "*.pf_meta").write_bytes(
        _first(index, "*.pf_meta").read_bytes()[:4096][:-1]),
    "a WebAssembly file cut at 4 KiB": lambda index: _first(index, "wasm.*").write_bytes(
        _first(index, "wasm.*").read_bytes()[:4096]),
    "an empty script": lambda index: (index / "pagefind.js").write_bytes(b""),
    "a missing metadata file": lambda index: _first(index, "*.pf_meta").unlink(),
}


@pytest.mark.parametrize("tear", TEARS)
def test_a_torn_index_is_caught(tear: str, good_index: Path) -> None:
    verify_index(good_index)
    TEARS[tear](good_index)
    with pytest.raises(ToolError, match="search index: pagefind/"):
        verify_index(good_index)


def test_a_build_whose_index_comes_out_torn_publishes_nothing(example_project: Path, tmp_path: Path, run_cli,
                                                              monkeypatch) -> None:
    """Pagefind's output is checked before the swap: the previous sites stay exactly as they were."""
    out = tmp_path / "out"
    assert run_cli("build", example_project, "--out", out, "--no-cache").code == 0
    before = {audience: tree_bytes(out / audience) for audience in ("internal", "public")}
    wrapper = tmp_path / "torn-pagefind"
    wrapper.write_text(f'#!/bin/sh\n"{pagefind_binary()}" "$@" && : > "$4/pagefind-entry.json"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr("roadmapgen.search.pagefind_binary", lambda: wrapper)
    (example_project / "content/vision.md").write_text(
        (example_project / "content/vision.md").read_text().replace("---\n", "---\n", 1) + "\nMore.\n")
    result = run_cli("build", example_project, "--out", out, "--no-cache")
    assert result.code == 1
    assert "roadmapgen: error: search index: pagefind/pagefind-entry.json is not a whole index entry" in result.err
    assert "Traceback" not in result.err and ":1:1: error" not in result.err
    assert {audience: tree_bytes(out / audience) for audience in ("internal", "public")} == before


def test_a_missing_pagefind_is_a_clear_failure_not_a_content_error(small_project: Path, tmp_path: Path, run_cli,
                                                                   monkeypatch) -> None:
    def missing() -> Path:
        raise ToolError("search index: Pagefind is not installed (pip install 'pagefind[bin]')")

    monkeypatch.setattr("roadmapgen.search.pagefind_binary", missing)
    result = run_cli("build", small_project, "--out", tmp_path / "out")
    assert result.code == 1
    assert result.err.splitlines()[-2:] == [
        "roadmapgen: error: search index: Pagefind is not installed (pip install 'pagefind[bin]')",
        "Build failed; nothing was written."]
    assert not (tmp_path / "out").exists()


def test_nothing_outside_steers_pagefind(example_project: Path, tmp_path: Path, run_cli, monkeypatch) -> None:
    """A pagefind.yml where a build runs, or PAGEFIND_* variables, could exclude pages, add selectors or
    move the output: the index is the same as without them."""
    assert run_cli("build", example_project, "--out", tmp_path / "plain", "--no-cache").code == 0
    steer = "output_path: ../../stolen\nexclude_selectors: ['main']\nforce_language: fr\nroot_selector: footer\n"
    (example_project / "pagefind.yml").write_text(steer)
    monkeypatch.chdir(example_project)
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", "main")
    monkeypatch.setenv("PAGEFIND_OUTPUT_PATH", str(tmp_path / "stolen"))
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "fr")
    assert run_cli("build", ".", "--out", tmp_path / "steered", "--no-cache").code == 0
    for audience in ("internal", "public"):
        assert tree_bytes(tmp_path / "steered" / audience / INDEX_FOLDER) == tree_bytes(
            tmp_path / "plain" / audience / INDEX_FOLDER)
    assert not (tmp_path / "stolen").exists() and not (example_project.parent / "stolen").exists()


def test_pagefind_runs_without_the_callers_environment(tmp_path: Path, monkeypatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html lang="en"><body><main data-pagefind-body>Hello</main></body></html>')
    monkeypatch.setenv("PAGEFIND_SITE", str(tmp_path / "elsewhere"))
    monkeypatch.setattr(os, "environ", {**os.environ, "PAGEFIND_GLOB": "nothing"})
    index_site(site, "en")
    verify_index(site / INDEX_FOLDER)


# --- The index costs what changed: bundles named by their pages, taken from the previous build.


@pytest.fixture
def pagefind_runs(monkeypatch) -> list[Path]:
    """Every site folder Pagefind is run over, in order."""
    from roadmapgen import search

    runs: list[Path] = []
    real = search._run_pagefind

    def counting(pages: Path, bundle: Path, language: str, cwd: str) -> None:
        runs.append(pages)
        real(pages, bundle, language, cwd)

    monkeypatch.setattr(search, "_run_pagefind", counting)
    return runs


def _indexes(out: Path) -> dict[str, dict[str, bytes]]:
    return {audience: tree_bytes(out / audience / INDEX_FOLDER) for audience in ("internal", "public")}


def test_an_edit_reindexes_only_the_sites_whose_searchable_pages_it_changes(
        example_project: Path, tmp_path: Path, pagefind_runs: list[Path]) -> None:
    """An internal-only edit re-indexes the internal site alone; the public index is the previous build's,
    and both equal what a build from nothing makes."""
    from roadmapgen.commands.build import BuildOptions, build

    options = {"source_date": dt.date(2026, 11, 20)}
    assert build(example_project, BuildOptions(output_dir=tmp_path / "out", **options)).ok
    assert len(pagefind_runs) == 2
    feedback = example_project / "content/feedback/2026-08-sales-acme.md"
    feedback.write_text(feedback.read_text() + "\nThey asked again in the renewal call.\n")
    pagefind_runs.clear()
    assert build(example_project, BuildOptions(output_dir=tmp_path / "out", **options)).ok
    assert len(pagefind_runs) == 1 and pagefind_runs[0].name.startswith(".internal.")  # its staged site
    assert _indexes(tmp_path / "out") == _indexes(_fresh(example_project, tmp_path / "fresh", options))


def _fresh(project: Path, out: Path, options: dict) -> Path:
    from roadmapgen.commands.build import BuildOptions, build

    assert build(project, BuildOptions(output_dir=out, use_cache=False, **options)).ok
    return out


def test_a_build_right_after_another_indexes_nothing(example_project: Path, tmp_path: Path, monkeypatch,
                                                      pagefind_runs: list[Path]) -> None:
    """The previous build's input stamp cannot be trusted within two seconds (a file may change again in the same
    tick), so the pages are made again; their bytes are the same, so every bundle is kept."""
    from roadmapgen.commands.build import BuildOptions, build

    options = BuildOptions(output_dir=tmp_path / "out", source_date=dt.date(2026, 11, 20))
    assert build(example_project, options).ok
    monkeypatch.setattr("roadmapgen.commands.build.Manifest.up_to_date", lambda *args, **kwargs: False)
    pagefind_runs.clear()
    result = build(example_project, options)
    assert result.ok and not result.up_to_date and pagefind_runs == []


def test_a_changed_bundle_file_is_indexed_again_not_published(example_project: Path, tmp_path: Path, monkeypatch,
                                                             pagefind_runs: list[Path]) -> None:
    from roadmapgen.commands.build import BuildOptions, build

    options = BuildOptions(output_dir=tmp_path / "out", source_date=dt.date(2026, 11, 20))
    assert build(example_project, options).ok
    before = _indexes(tmp_path / "out")
    fragment = sorted((tmp_path / "out/public/pagefind/fragment").iterdir())[0]
    stat = fragment.stat()
    fragment.write_bytes(b"\x00" * stat.st_size)  # another file of the same size and time
    os.utime(fragment, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    monkeypatch.setattr("roadmapgen.commands.build.Manifest.up_to_date", lambda *args, **kwargs: False)
    pagefind_runs.clear()
    assert build(example_project, options).ok
    assert len(pagefind_runs) == 1 and _indexes(tmp_path / "out") == before


def test_search_can_be_turned_off_per_site(example_project: Path, tmp_path: Path, run_cli) -> None:
    config = example_project / "roadmapgen.yaml"
    config.write_text(config.read_text() + "search: {internal: false}\n")
    assert run_cli("build", example_project, "--out", tmp_path / "out").code == 0
    assert not (tmp_path / "out/internal" / INDEX_FOLDER).exists()
    assert "search.js" not in (tmp_path / "out/internal/index.html").read_text()
    assert (tmp_path / "out/public" / INDEX_FOLDER / "pagefind.js").is_file()
    assert "search.js" in (tmp_path / "out/public/index.html").read_text()
