"""Golden site: both sites of the example project, compared file by file.

Run `pytest tests/test_golden.py --update-golden` after an intended change, and review
the diff of tests/golden/ in the pull request like any other change. JSON files are kept
pretty-printed there, so a change reads as a diff of lines; the site writes them compact,
and the test checks that too, so the comparison stays byte for byte.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
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


def _compact(data: bytes) -> bytes:
    """How the site writes JSON: compact, non-ASCII as it is, one line."""
    return (json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _as_golden(name: str, data: bytes) -> bytes:
    """A file as the golden site keeps it: JSON pretty-printed, everything else as written."""
    if not name.endswith(".json"):
        return data
    return (json.dumps(json.loads(data), ensure_ascii=False, indent=2) + "\n").encode()


def test_example_sites_match_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    project = copy_example(tmp_path / "project")
    result = build(project, BuildOptions(output_dir=tmp_path / "out", source_date=SOURCE_DATE))
    assert result.ok, [problem.format() for problem in result.report]
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for audience in ("internal", "public"):
            shutil.copytree(tmp_path / "out" / audience, GOLDEN / audience, ignore=shutil.ignore_patterns("pagefind"))
            for name, data in tree_bytes(GOLDEN / audience).items():
                (GOLDEN / audience / name).write_bytes(_as_golden(name, data))
        pytest.skip("golden files updated")
    problems = []
    for audience in ("internal", "public"):
        # The search index is Pagefind's own format and code; test_portal and test_leaks check it.
        assert (tmp_path / "out" / audience / "pagefind/pagefind.js").is_file()
        expected = tree_bytes(GOLDEN / audience)
        written = {name: data for name, data in tree_bytes(tmp_path / "out" / audience).items()
                   if not name.startswith("pagefind/")}
        problems += [f"{audience}/{name}: not compact JSON" for name, data in written.items()
                     if name.endswith(".json") and _compact(data) != data]
        actual = {name: _as_golden(name, data) for name, data in written.items()}
        for name in sorted(set(expected) - set(actual)):
            problems.append(f"{audience}/{name}: missing from the output")
        for name in sorted(set(actual) - set(expected)):
            problems.append(f"{audience}/{name}: not in the golden site")
        for name in sorted(set(expected) & set(actual)):
            if expected[name] != actual[name]:
                problems.append(_diff(f"{audience}/{name}", expected[name], actual[name]))
    assert not problems, "\n\n".join(problems[:6]) + "\n\n(run pytest --update-golden if the change is intended)"
