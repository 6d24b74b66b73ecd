"""roadmap.json is an interface: every one a build writes validates against the roadmap.schema.json
written beside it, on the example (with history), a generated project and the leak project (every
field of every item filled)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from roadmapgen.commands.build import BuildOptions, build
from tests.conftest import REPO, copy_example
from tests.helpers.gitrepo import git
from tests.test_leaks import LeakProject


def _problems(site: Path) -> list[str]:
    schema = json.loads((site / "roadmap.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    data = json.loads((site / "roadmap.json").read_text())
    return [f"{site.name}: {'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(data)]


def _built(project: Path, out: Path) -> Path:
    result = build(project, BuildOptions(output_dir=out))
    assert result.ok, [problem.format() for problem in result.report]
    return out


def _example_with_history(root: Path) -> Path:
    project = copy_example(root)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start", day="2026-09-01")
    item = project / "content/roadmap/saml-sso.md"
    item.write_text(item.read_text().replace("status: in-progress", "status: beta").replace("2026-Q4", "2027-01"))
    git(project, "commit", "-q", "-am", "beta", day="2026-10-01")
    return project


def test_the_examples_roadmap_json_matches_its_schema(tmp_path: Path) -> None:
    out = _built(_example_with_history(tmp_path / "example"), tmp_path / "out")
    assert _problems(out / "public") == [] and _problems(out / "internal") == []
    public = json.loads((out / "public/roadmap.json").read_text())
    sso = next(item for item in public["items"] if item["slug"] == "saml-sso")
    assert {change["change"] for change in sso["changes"]} >= {"status", "retargeted"}
    assert (sso["target"], sso["target_end"]) == ("2027-01", "2027-01-31")


def test_a_generated_projects_roadmap_json_matches_its_schema(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "50", str(tmp_path / "project")], check=True,
                   capture_output=True)
    out = _built(tmp_path / "project", tmp_path / "out")
    assert _problems(out / "public") == [] and _problems(out / "internal") == []


def test_the_leak_projects_roadmap_json_matches_its_schema(tmp_path: Path) -> None:
    """Every internal field filled: the internal schema must know each one, the public one none of them."""
    out = _built(LeakProject(tmp_path / "project").write(), tmp_path / "out")
    assert _problems(out / "public") == [] and _problems(out / "internal") == []
    internal = json.loads((out / "internal/roadmap.json").read_text())
    filled = {key for item in internal["items"] for key in item}
    assert {"rice", "stories", "feedback", "competitors", "owner", "extra"} <= filled


def test_the_schema_refuses_what_the_format_does_not_promise(tmp_path: Path) -> None:
    """A positive control: the schema is strict (an unknown key, an empty string for a date) fails."""
    out = _built(copy_example(tmp_path / "example"), tmp_path / "out")
    site = out / "public"
    data = json.loads((site / "roadmap.json").read_text())
    data["items"][0]["owner"] = "someone"
    data["items"][1]["target_end"] = ""
    (site / "roadmap.json").write_text(json.dumps(data))
    problems = _problems(site)
    assert any("owner" in problem for problem in problems), problems
    assert any("target_end" in problem for problem in problems), problems


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_no_key_holds_an_empty_value(tmp_path: Path, audience: str) -> None:
    out = _built(copy_example(tmp_path / "example"), tmp_path / "out")
    data = json.loads((out / audience / "roadmap.json").read_text())

    def empties(value: object, where: str) -> list[str]:
        if isinstance(value, dict):
            return [found for key, part in value.items() for found in empties(part, f"{where}/{key}")]
        if isinstance(value, list):
            return [found for index, part in enumerate(value) for found in empties(part, f"{where}/{index}")]
        return [where] if value is None or value == "" else []

    assert empties(data, "") == []
