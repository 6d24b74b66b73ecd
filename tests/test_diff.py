"""`roadmapgen diff`: roadmap changes between git revisions, per audience, in three formats."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import copy_example
from tests.helpers.sitefiles import replace_in

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="needs git")


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "PM", "GIT_AUTHOR_EMAIL": "pm@example.com", "GIT_COMMITTER_NAME": "PM",
           "GIT_COMMITTER_EMAIL": "pm@example.com", "PATH": "/usr/bin:/bin", "HOME": str(repo)}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose project lives in a subfolder, with one commit of the example."""
    root = tmp_path / "repo"
    copy_example(root / "roadmap")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "before")
    git(root, "tag", "before")
    return root


def change_roadmap(project: Path) -> None:
    roadmap = project / "content" / "roadmap"
    replace_in(roadmap / "voice-channel.md", "horizon: later", "horizon: now\ntarget: 2027-Q3")
    replace_in(roadmap / "voice-channel.md", "title: Phone support", "title: Phone and voice")
    replace_in(roadmap / "sla-policies.md", "status: in-progress", "status: beta")
    replace_in(roadmap / "macros.md", "visibility: public", "visibility: internal")
    replace_in(roadmap / "custom-roles.md", "horizon: next", "horizon: now")
    replace_in(roadmap / "custom-roles.md", "title: Custom roles and permissions", "title: SECRET-RENAME")
    (roadmap / "bulk-actions.md").unlink()
    for release in (project / "content" / "releases").glob("*.md"):
        text = release.read_text(encoding="utf-8")
        release.write_text(text.replace("bulk-actions, ", "").replace(", bulk-actions", "")
                           .replace("[bulk-actions]", "[]"), encoding="utf-8")
    for feedback in (project / "content").rglob("*.md"):
        text = feedback.read_text(encoding="utf-8")
        if "bulk-actions" in text:
            feedback.write_text(text.replace("bulk-actions, ", "").replace(", bulk-actions", "")
                                .replace("[bulk-actions]", "[]").replace("(bulk-actions.md)", "(macros.md)")
                                .replace("../roadmap/bulk-actions.md", "../roadmap/macros.md"), encoding="utf-8")
    (roadmap / "kanban-view.md").write_text(
        "---\ntitle: Kanban view\nstatus: planned\nhorizon: later\nvisibility: public\n---\nTickets as cards.\n",
        encoding="utf-8")


def test_public_diff_shows_only_what_customers_see_change(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    change_roadmap(project)
    result = run_cli("diff", "before", project, "--audience", "public", "--format", "json")
    assert result.code == 0, result.err
    changes = {(c["change"], c["slug"], c["before"], c["after"]) for c in json.loads(result.out)["changes"]}
    assert changes == {
        ("added", "kanban-view", None, "later · planned"),
        ("removed", "bulk-actions", "shipped", None),
        ("removed", "macros", "shipped", None),  # made internal: customers no longer see it
        ("moved", "voice-channel", "later", "now"),
        ("retargeted", "voice-channel", None, "2027-Q3"),
        ("renamed", "voice-channel", "Phone support", "Phone and voice"),
        ("status", "sla-policies", "in-progress", "beta"),
    }
    assert "custom-roles" not in result.out and "SECRET" not in result.out
    urls = [c["url"] for c in json.loads(result.out)["changes"]]
    assert "https://roadmap.brightdesk.example/roadmap/kanban-view/" in urls


def test_internal_diff_shows_every_item(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    change_roadmap(project)
    result = run_cli("diff", "before", project)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "Roadmap changes from before to the working tree (internal site): "
        "1 added, 1 removed, 2 moved, 1 status changed, 1 retargeted, 2 renamed")
    assert "custom-roles" in result.out and "Custom roles and permissions → SECRET-RENAME" in result.out
    assert "macros" not in result.out  # still on the internal roadmap, unchanged there


def test_between_two_commits_and_as_markdown(repo: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    project = repo / "roadmap"
    change_roadmap(project)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "after")
    replace_in(project / "content" / "roadmap" / "saml-sso.md", "target: 2026-Q4", "target: 2027-Q1")  # uncommitted
    monkeypatch.chdir(project)
    result = run_cli("diff", "before", "HEAD", "--audience", "public", "--format", "markdown")
    assert result.code == 0, result.err
    assert "| Change | Item | Before | After |" in result.out
    assert "| added | [Kanban view](<https://roadmap.brightdesk.example/roadmap/kanban-view/>) |  | later · planned |" \
        in result.out
    assert "saml-sso" not in result.out  # the working tree is not HEAD
    assert "2027-Q1" in run_cli("diff", "HEAD").out


def test_no_changes(repo: Path, run_cli) -> None:
    result = run_cli("diff", "HEAD", repo / "roadmap")
    assert (result.code, result.out) == (0, "No roadmap changes from HEAD to the working tree (internal site).\n")


def test_errors_name_the_revision(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    replace_in(project / "content" / "roadmap" / "macros.md", "status: shipped", "status: done")
    git(repo, "commit", "-q", "-am", "broken")
    replace_in(project / "content" / "roadmap" / "macros.md", "status: done", "status: shipped")
    result = run_cli("diff", "HEAD", project)
    assert result.code == 1
    assert result.err.startswith("HEAD:content/roadmap/macros.md:3:9: error: ")
    assert "Traceback" not in result.err


@pytest.mark.parametrize("revision", ["no-such-branch", "HEAD~9", "--output=x.tar"])
def test_unknown_revision_is_a_usage_error(repo: Path, run_cli, revision: str) -> None:
    result = run_cli("diff", "--", revision, repo / "roadmap")
    assert result.code == 2
    assert f"{revision!r} is not a revision" in result.err
    assert not (repo / "x.tar").exists()


def test_outside_git_is_a_usage_error(example_project: Path, run_cli) -> None:
    result = run_cli("diff", "HEAD", example_project)
    assert result.code == 2 and "not in a git repository" in result.err
