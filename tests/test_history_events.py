"""Item history as customers follow it (issue 23): one event per change of state, the first commit a
baseline, shipping told once, short commit ids on the internal site."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.helpers.gitrepo import git
from tests.helpers.sitefiles import replace_in, write_files

ROADMAP = {
    "roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/\n",
    "content/roadmap/sso.md": "---\ntitle: SSO\nstatus: in-progress\nhorizon: now\ntarget: 2026-Q3\n"
                              "visibility: public\n---\n",
    "content/roadmap/export.md": "---\ntitle: Export\nstatus: planned\nhorizon: next\nvisibility: public\n---\n",
    "content/roadmap/old.md": "---\ntitle: Old\nstatus: shipped\nvisibility: public\n---\n",
    "content/releases/1.0.0.md": "---\nversion: 1.0.0\ndate: 2026-01-15\nships: [old]\nvisibility: public\n---\n",
}


def _commit(project: Path, message: str, day: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", message, day=day)


def _events(out: Path, audience: str) -> dict[str, list[tuple[str, str, str | None, str | None]]]:
    data = json.loads((out / audience / "roadmap.json").read_text())
    return {item["slug"]: [(c["date"], c["change"], c.get("before"), c.get("after")) for c in item["changes"]]
            for item in data["items"]}


def test_a_scripted_history_gives_exactly_the_events_a_customer_follows(tmp_path: Path, run_cli) -> None:
    project = write_files(tmp_path / "p", ROADMAP)
    git(project, "init", "-q", "-b", "main")
    _commit(project, "adopt roadmapgen: the roadmap as it is", "2026-03-01")  # the baseline
    replace_in(project / "content/roadmap/sso.md", "target: 2026-Q3", "target: 2026-Q4")
    _commit(project, "retarget sso", "2026-04-01")
    sso = project / "content/roadmap/sso.md"
    sso.write_text("---\ntitle: SSO\nstatus: shipped\nvisibility: public\n---\n")  # horizon and target go
    (project / "content/releases/1.1.0.md").write_text(
        "---\nversion: 1.1.0\ndate: 2026-05-02\nships: [sso]\nvisibility: public\n---\n")
    _commit(project, "ship sso in 1.1.0", "2026-05-01")
    (project / "content/roadmap/audit.md").write_text(
        "---\ntitle: Audit log\nstatus: planned\nhorizon: later\nvisibility: public\n---\n")
    _commit(project, "add audit log", "2026-06-01")
    replace_in(project / "content/roadmap/export.md", "status: planned", "status: cancelled")
    replace_in(project / "content/roadmap/export.md", "horizon: next\n", "")
    _commit(project, "cancel export", "2026-07-01")
    assert run_cli("build", project, "--out", tmp_path / "out").code == 0

    public = _events(tmp_path / "out", "public")
    assert public == {
        # Retargeted, then shipped once (the release tells it; no status, horizon or target entries).
        "sso": [("2026-05-02", "shipped", None, "1.1.0"), ("2026-04-01", "retargeted", "2026-Q3", "2026-Q4")],
        # Added after the baseline.
        "audit": [("2026-06-01", "added", None, "planned · later")],
        # Cancelled: one status event, its horizon's leaving part of it.
        "export": [("2026-07-01", "status", "planned", "cancelled")],
        # In the baseline, shipped before it: only its release.
        "old": [("2026-01-15", "shipped", None, "1.0.0")],
    }
    internal = json.loads((tmp_path / "out/internal/roadmap.json").read_text())
    commits = {change["commit"] for item in internal["items"] for change in item["changes"] if change.get("commit")}
    assert commits and all(re.fullmatch(r"[0-9a-f]{7}", commit) for commit in commits)
    page = (tmp_path / "out/public/changes/index.html").read_text()
    assert "Moved from" not in page and "Added to the roadmap" in page
    assert page.count("Added to the roadmap") == 1


def test_a_first_commit_of_a_project_inside_a_bigger_repository_is_its_baseline(tmp_path: Path, run_cli) -> None:
    """The roadmap folder came into a repository that had other history: that commit is the baseline."""
    repo = tmp_path / "repo"
    (repo / "app").mkdir(parents=True)
    (repo / "app/main.py").write_text("print('hi')\n")
    git(repo, "init", "-q", "-b", "main")
    _commit(repo, "the app", "2026-01-01")
    write_files(repo / "roadmap", ROADMAP)
    _commit(repo, "adopt roadmapgen", "2026-03-01")
    assert run_cli("build", repo / "roadmap", "--out", tmp_path / "out").code == 0
    assert _events(tmp_path / "out", "public")["export"] == []
