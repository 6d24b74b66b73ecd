"""Running git: the one place roadmapgen starts it (history dates, build stamps, `diff`)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


def run_git(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes] | None:
    """git's finished process; None if git cannot run here (not installed, timed out)."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None


def repository_root(cwd: Path) -> Path | None:
    """The top folder of the git repository holding ``cwd``; None outside git."""
    top = git_output(cwd, "rev-parse", "--show-toplevel", timeout=10)
    return Path(top.strip()).resolve() if top else None


def git_names(root: Path, project_dir: Path, paths: Iterable[str]) -> list[str]:
    """Project-relative ``paths`` as git names them (relative to ``root``), without resolving each file."""
    project = project_dir.resolve()
    prefix = project.relative_to(root).as_posix() if project != root else ""
    return [f"{prefix}/{path}" if prefix else path for path in paths]


def tracked_files(path: Path) -> list[str]:
    """The files under ``path`` (a file or folder, which need not exist) that git tracks, as git names them."""
    folder = path.absolute()
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    found = git_output(folder, "ls-files", "-z", "--full-name", "--", str(path.absolute()), timeout=30)
    return [name for name in (found or "").split("\0") if name]


def is_shallow(cwd: Path) -> bool:
    """Whether ``cwd`` is in a shallow clone (CI's default checkout: the last commit, no history)."""
    return (git_output(cwd, "rev-parse", "--is-shallow-repository", timeout=10) or "").strip() == "true"


SHALLOW_NOTE = ("this is a shallow git clone: last-changed dates and stale flags need the full history "
                "(fetch it with 'git fetch --unshallow'; in GitHub Actions, actions/checkout with fetch-depth: 0)")


def git_output(cwd: Path, *args: str, timeout: float = 120) -> str | None:
    """git's standard output, decoded as file names are; None if git cannot run or fails."""
    result = run_git(cwd, *args, timeout=timeout)
    if result is None or result.returncode != 0:
        return None
    return os.fsdecode(result.stdout)


SHORT_HASH = 7
"""Characters of a commit id the internal site shows, as `git log --oneline` does."""


@dataclass(frozen=True, slots=True)
class Commit:
    id: str
    """The commit's hash, whole."""
    day: dt.date
    """Its commit date, UTC."""
    blob: str = ""
    """The id of the file's content after this commit; '' where the commit deleted it."""

    @property
    def short(self) -> str:
        return self.id[:SHORT_HASH]


@dataclass(frozen=True, slots=True)
class ProjectLog:
    """Every commit that touched each file of a project, read with one ``git log`` for all files.

    Both the last-changed dates (:mod:`roadmapgen.load.dates`) and the items' versions
    (:mod:`roadmapgen.load.versions`) come from it, so loading history costs one pass over
    git's log however many files and readers there are."""

    root: Path
    commits: Mapping[str, tuple[Commit, ...]]
    """Git name (relative to ``root``) -> the commits touching it, children before parents."""
    baseline: str = ""
    """The hash of the first commit that touched the project: what the roadmap was when it came
    into git (the day a team adopts roadmapgen), not news."""


def commit_day(stamp: str) -> dt.date:
    """The UTC day of a commit's timestamp, as git prints it. A commit date is whatever its author's
    clock (or tool) said: one before 1970 or after 9999 is held to the nearest day a date can be."""
    try:
        seconds = int(stamp)
    except ValueError:
        return _EPOCH
    try:
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        return dt.date.max if seconds > 0 else _EPOCH


_EPOCH = dt.date(1970, 1, 1)


def read_log(project_dir: Path) -> ProjectLog | None:
    """The project's log; None outside git or when git fails."""
    root = repository_root(project_dir)
    if root is None:
        return None
    # --raw names each file's new blob, so versions are read by id (--no-abbrev: whole ids; it makes
    # %h whole too, so the short hash is cut from %H); quotePath off keeps non-ASCII folder names
    # as they are, so they match the names roadmapgen computes. --topo-order: a commit's parents come
    # after it whatever its date says, so versions are in the order they were made and the last commit
    # is the project's first.
    log = git_output(root, "-c", "core.quotePath=false", "log", "--topo-order", "--format=%x00%H %ct", "--raw",
                     "--no-abbrev", "--no-renames", "--", str(project_dir.resolve()))
    if log is None:
        return None
    commits: dict[str, list[Commit]] = {}
    full, day = "", dt.date(1970, 1, 1)
    for line in log.splitlines():
        if line.startswith("\0"):
            full, stamp = line[1:].split(" ")
            day = commit_day(stamp)
        elif line.startswith(":"):
            meta, _, name = line.partition("\t")
            fields = meta.split(" ")
            blob = "" if fields[-1].startswith("D") else fields[3]
            commits.setdefault(name, []).append(Commit(full, day, blob))
    return ProjectLog(root, {name: tuple(found) for name, found in commits.items()}, full)
