from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmapgen.cli import main
from tests.helpers.projects import SMALL_PROJECT
from tests.helpers.sitefiles import write_files

REPO = Path(__file__).resolve().parent.parent
FIXED_MTIME = 1_790_000_000  # 2026-09-21; example files get it so stale flags never drift


SLOW_FILES = {"test_browser.py", "test_browser_portal.py", "test_validators.py", "test_serve.py"}
"""Files whose every test starts a browser, a Java validator or a server: outside the inner loop (-m "not slow")."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli() -> Callable[..., Run]:
    """Run the command line in-process, capturing what it prints."""

    def run(*args: str | os.PathLike[str]) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(arg) for arg in args])
            except SystemExit as exc:  # argparse usage errors
                code = int(exc.code or 0)
        return Run(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    return write_files(tmp_path / "project", SMALL_PROJECT)


def copy_example(destination: Path) -> Path:
    """The repository's example project, outside git, with fixed file times."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "roadmapgen.yaml", destination / "roadmapgen.yaml")
    shutil.copytree(REPO / "content", destination / "content")
    for path in destination.rglob("*"):
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))
    return destination


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "example")


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An output folder beside the test's project (never around it: builds refuse to hold content)."""
    return tmp_path / "out"


@pytest.fixture(autouse=True)
def _reproducible_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(FIXED_MTIME + 86400 * 61))


@pytest.fixture(scope="session")
def cache_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tests' own cache key, never the user's (~/.cache/roadmapgen/cache-key)."""
    return tmp_path_factory.mktemp("cache-key") / "cache-key"


@pytest.fixture(autouse=True)
def _own_cache_key(monkeypatch: pytest.MonkeyPatch, cache_key_file: Path) -> None:
    monkeypatch.setattr("roadmapgen.commands.build.default_key_file", lambda: cache_key_file, raising=False)
    monkeypatch.setenv("ROADMAPGEN_CACHE_KEY_FILE", str(cache_key_file))


def pytest_report_header() -> str:
    return (
        f"python {sys.version.split()[0]}; browser tests required: {os.environ.get('ROADMAPGEN_REQUIRE_BROWSER', '0')}"
    )
