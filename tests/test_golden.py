"""Golden site: both sites of the example project, compared file by file.

Run `pytest tests/test_golden.py --update-golden` after an intended change, and review
the diff of tests/golden/ in the pull request like any other change.
"""

from __future__ import annotations

import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest

from roadmapgen.commands.build import BuildOptions, build
from tests.conftest import copy_example
from tests.helpers.sitefiles import tree_bytes

GOLDEN = Path(__file__).parent / "golden" / "example"
SOURCE_DATE = dt.date(2026, 11, 20)


def _diff(name: str, expected: bytes, actual: bytes) -> str:
    try:
        lines = difflib.unified_diff(expected.decode().splitlines(), actual.decode().splitlines(),
                                     f"expected/{name}", f"actual/{name}", lineterm="", n=2)
        return "\n".join(list(lines)[:40])
    except UnicodeDecodeError:
        return f"{name}: binary files differ"


def test_example_sites_match_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    project = copy_example(tmp_path / "project")
    result = build(project, BuildOptions(output_dir=tmp_path / "out", source_date=SOURCE_DATE))
    assert result.ok, [problem.format() for problem in result.report]
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for audience in ("internal", "public"):
            shutil.copytree(tmp_path / "out" / audience, GOLDEN / audience, ignore=shutil.ignore_patterns("pagefind"))
        pytest.skip("golden files updated")
    problems = []
    for audience in ("internal", "public"):
        # The search index is Pagefind's own format and code; test_portal and test_leaks check it.
        assert (tmp_path / "out" / audience / "pagefind/pagefind.js").is_file()
        expected = tree_bytes(GOLDEN / audience)
        actual = {name: data for name, data in tree_bytes(tmp_path / "out" / audience).items()
                  if not name.startswith("pagefind/")}
        for name in sorted(set(expected) - set(actual)):
            problems.append(f"{audience}/{name}: missing from the output")
        for name in sorted(set(actual) - set(expected)):
            problems.append(f"{audience}/{name}: not in the golden site")
        for name in sorted(set(expected) & set(actual)):
            if expected[name] != actual[name]:
                problems.append(_diff(f"{audience}/{name}", expected[name], actual[name]))
    assert not problems, "\n\n".join(problems[:6]) + "\n\n(run pytest --update-golden if the change is intended)"
