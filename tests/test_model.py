"""Model-level rules that are easiest to see in isolation."""

from __future__ import annotations

from roadmapgen.kinds.fields import target_order


def test_targets_sort_by_when_they_end() -> None:
    targets = ["2027-Q1", None, "2026-12-15", "2026-Q4", "2026-11", "2026-12"]
    assert sorted(targets, key=target_order) == ["2026-11", "2026-12-15", "2026-Q4", "2026-12", "2027-Q1", None]


def test_problems_survive_pickling() -> None:
    """They travel through the document cache and between worker processes."""
    import pickle

    from roadmapgen.errors import ContentError, warning

    for problem in (ContentError("content/a.md", 3, 9, "bad"), warning("content/b.md", 1, 2, "careful")):
        assert pickle.loads(pickle.dumps(problem)).format() == problem.format()


def test_history_uses_commit_dates_and_mtimes_for_edited_files(tmp_path) -> None:
    import os
    import shutil
    import subprocess
    from pathlib import Path

    from roadmapgen.load.dates import last_changed
    from roadmapgen.load.discover import discover
    from roadmapgen.load.git import read_log
    from tests.conftest import REPO

    project = tmp_path / "repo"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "roadmapgen.yaml", project)
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-01-02T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-02T00:00:00Z"}
    for command in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.email=a@b.c", "-c", "user.name=n", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *command], cwd=project, check=True, env=env)
    edited = project / "content/roadmap/macros.md"
    edited.write_text(edited.read_text() + "\nEdited.\n")
    os.utime(edited, (1_793_000_000, 1_793_000_000))  # 2026-10-26
    files, _ = discover(project.resolve(), (project / "content").resolve())
    dates = last_changed(Path(project), files.documents, read_log(Path(project)))
    assert str(dates["roadmap/saml-sso"]) == "2026-01-02"
    assert str(dates["roadmap/macros"]) == "2026-10-26"
