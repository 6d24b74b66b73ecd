"""The command line as users run it: the example passes, help is truthful, usage errors exit 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_example_content_passes_check(example_project: Path, run_cli) -> None:
    result = run_cli("check", example_project, "--strict")
    assert (result.code, result.out) == (0, "No problems found.\n")


def test_check_content_from_the_repository_root() -> None:
    """The README says `roadmapgen check content` works from here: PROJECT may be inside the project."""
    result = subprocess.run([sys.executable, "-m", "roadmapgen", "check", "content"], cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "No problems found.\n"


def test_not_a_project_is_a_usage_error(tmp_path: Path, run_cli) -> None:
    result = run_cli("check", tmp_path)
    assert result.code == 2
    assert "not inside a roadmapgen project (no roadmapgen.yaml here or above)" in result.err


def test_unknown_option_is_a_usage_error(run_cli) -> None:
    assert run_cli("build", "--audience", "everyone").code == 2


def test_help_lists_every_command_it_has(run_cli) -> None:
    """Every command the parser knows, read from the parser itself: listed with its purpose, and
    each with its own working --help. The README's command table names them all too."""
    import argparse

    from roadmapgen.cli import make_parser

    subcommands = next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction))
    commands = {choice.dest: choice.help for choice in subcommands._choices_actions}
    assert sorted(commands) == sorted(subcommands.choices), "a command without a line in --help"
    assert len(commands) >= 7
    result = run_cli("--help")
    assert result.code == 0
    assert "Exit codes: 0 success, 1 the content has errors" in result.out
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command, purpose in commands.items():
        assert re.search(rf"^    {command} +{re.escape(purpose)}$", result.out, re.MULTILINE), command
        assert f"`roadmapgen {command}" in readme, f"README does not mention roadmapgen {command}"
        own = run_cli(command, "--help")
        assert own.code == 0 and own.out.startswith(f"usage: roadmapgen {command}"), command


def test_json_format(small_project: Path, run_cli) -> None:
    (small_project / "content/roadmap/alpha.md").write_text("---\ntitle: A\nstatus: done\nhorizon: now\n---\n")
    result = run_cli("check", small_project, "--format", "json")
    import json

    data = json.loads(result.out)
    assert result.code == 1
    assert data["errors"] == 1
    assert data["problems"][0] == {
        "path": "content/roadmap/alpha.md",
        "line": 3,
        "column": 9,
        "severity": "error",
        "message": "'status' must be one of 'planned', 'in-progress', 'beta', 'shipped', 'paused' or "
        "'cancelled', not 'done'",
    }


def test_github_format_annotates_paths_from_the_workspace(small_project: Path, run_cli, monkeypatch) -> None:
    (small_project / "content/roadmap/alpha.md").write_text("---\ntitle: A\nstatus: done\nhorizon: now\n---\n")
    monkeypatch.chdir(small_project.parent)
    result = run_cli("check", "project", "--format", "github")
    assert result.out.splitlines() == [
        "::error file=project/content/roadmap/alpha.md,line=3,col=9::'status' must be one of 'planned', "
        "'in-progress', 'beta', 'shipped', 'paused' or 'cancelled', not 'done'"
    ]


def test_strict_turns_warnings_into_errors(small_project: Path, run_cli) -> None:
    path = small_project / "content/roadmap/beta.md"
    path.write_text(path.read_text() + "\nSee [the feedback](../feedback/call.md).\n")
    relaxed = run_cli("check", small_project)
    assert relaxed.code == 0
    assert (
        "content/roadmap/beta.md:8:20: warning: link to internal feedback entry 'feedback/call.md' is shown as "
        "plain text on the public site"
        in relaxed.out
    )
    strict = run_cli("check", small_project, "--strict")
    assert strict.code == 1
    assert "content/roadmap/beta.md:8:20: error: link to internal feedback entry" in strict.out


def test_python_dash_m_works_the_same(small_project: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "roadmapgen", "check", str(small_project)],
                            capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert (result.returncode, result.stdout) == (0, "No problems found.\n")


def test_gitlab_format_is_a_code_quality_report(small_project: Path, run_cli, monkeypatch) -> None:
    """GitLab's code-quality JSON: one issue per problem, paths from where the job runs, stable fingerprints."""
    (small_project / "content/roadmap/alpha.md").write_text("---\ntitle: A\nstatus: done\n---\n")
    monkeypatch.chdir(small_project.parent)
    result = run_cli("check", small_project, "--format", "gitlab")
    assert result.code == 1
    issues = json.loads(result.out)
    assert issues[0]["location"] == {"path": f"{small_project.name}/content/roadmap/alpha.md", "lines": {"begin": 3}}
    assert issues[0]["severity"] == "major" and issues[0]["check_name"] == "roadmapgen"
    assert issues[0]["description"].startswith("'status' must be one of")
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert json.loads(run_cli("check", small_project, "--format", "gitlab").out) == issues


# --- Hostile inputs a user or a repository can bring: each a clear message, never a traceback.


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, capture_output=True, text=True,
                          check=False, env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.mark.slow
def test_output_cut_short_by_the_reader_is_not_an_error(tmp_path: Path) -> None:
    """`roadmapgen schema | head` and `roadmapgen diff ... | head`: the reader closed the pipe on purpose."""
    from tests.helpers.gitrepo import git

    project = tmp_path / "p"
    from tests.conftest import copy_example

    copy_example(project)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "one")
    for document in (project / "content").rglob("*.md"):
        text = document.read_text().replace("\ntitle: ", "\ntitle: Renamed ").replace("\nname: ", "\nname: Renamed ")
        document.write_text(text.replace("\nquote: ", "\nquote: Changed ") + "\nOne more line.\n")
    for command in ("schema", "diff HEAD --format json", "diff HEAD --format markdown"):
        # `true` reads nothing and is gone before roadmapgen writes: every write meets a closed pipe.
        done = _shell(f"{sys.executable} -m roadmapgen {command} | true", project)
        assert done.returncode == 0 and done.stderr == "", (command, done.stderr)
        assert len(_shell(f"{sys.executable} -m roadmapgen {command}", project).stdout) > 8192  # past a buffer


def test_new_with_a_very_long_name_makes_a_short_file_name(small_project: Path, run_cli) -> None:
    title = "Bulk export of every ticket " * 12
    result = run_cli("new", "item", title, small_project)
    assert result.code == 0, result.err
    created = next(path for path in (small_project / "content/roadmap").iterdir() if path.name.startswith("bulk"))
    assert len(created.stem) <= 80 and ("bulk-export-of-every-ticket-" * 12).startswith(created.stem + "-")
    assert run_cli("check", small_project, "--strict").code == 0
    assert title.strip() in created.read_text()
    release = run_cli("new", "release", "1" * 300, small_project)
    assert release.code == 2 and "at most 200 characters" in release.err and "Traceback" not in release.err


def test_init_on_or_under_a_file_is_a_usage_error(tmp_path: Path, run_cli) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine")
    inside = f"it is inside {blocker}, which is a file"
    for target, reason in ((blocker, "it is a file"), (blocker / "roadmap", inside)):
        result = run_cli("init", target)
        assert result.code == 2
        assert result.err == f"roadmapgen: error: cannot start a project in {target}: {reason}\n"
    assert blocker.read_text() == "mine"


def test_a_release_named_like_a_page_file_is_an_error_at_its_file(small_project: Path, run_cli, tmp_path: Path
                                                                  ) -> None:
    """Check passed and build crashed: a release 'index.html' needs a folder where releases/index.html is."""
    (small_project / "content/releases/index.html.md").write_text(
        "---\nversion: index.html\ndate: 2026-01-01\nvisibility: public\n---\nx\n")
    expected = ("content/releases/index.html.md:1:1: error: its page releases/index.html/index.html cannot be "
                "written: releases/index.html is a file where this page needs a folder; rename the file")
    checked = run_cli("check", small_project)
    assert checked.code == 1 and checked.out.splitlines() == [expected, "1 error, 0 warnings."]
    built = run_cli("build", small_project, "--out", tmp_path / "out")
    assert built.code == 1 and expected in built.err.splitlines() and "Traceback" not in built.err
    assert not (tmp_path / "out").exists()


def test_a_commit_dated_after_the_year_9999_builds(small_project: Path, run_cli, tmp_path: Path,
                                                    monkeypatch) -> None:
    from tests.helpers.gitrepo import IDENTITY

    env = {**os.environ, **IDENTITY, "GIT_AUTHOR_DATE": "@300000000000 +0000",
           "GIT_COMMITTER_DATE": "@300000000000 +0000"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "from the far future"]):
        subprocess.run(["git", *args], cwd=small_project, env=env, check=True, capture_output=True)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert run_cli("check", small_project).code == 0
    built = run_cli("build", small_project, "--out", tmp_path / "out")
    assert built.code == 0, built.err
