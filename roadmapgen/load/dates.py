"""When each content file last changed: its last git commit, else its modification time.

Only the internal site uses this (to flag stale roadmap items). Commit dates make the
answer the same on every clone; a file with uncommitted changes counts from its
modification time, since that is when it really changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.git import ProjectLog, git_names, git_output


def last_changed(project_dir: Path, sources: Iterable[SourceFile], log: ProjectLog | None,
                 latest: dt.date | None = None) -> dict[str, dt.date]:
    """Each document's last change, from the project's git log (:func:`~roadmapgen.load.git.read_log`;
    None outside git); ``latest`` (SOURCE_DATE_EPOCH) caps dates read from file times."""
    sources = list(sources)
    committed = _git_dates(project_dir, sources, log)
    return {source.key: committed.get(source.key) or modified_date(source.absolute, latest) for source in sources}


def modified_date(path: Path, latest: dt.date | None = None) -> dt.date:
    """The file's modification day, no later than ``latest``: a reproducible build of files without
    history (a fresh copy, a tarball) shows the build's own date, not the day the files were copied."""
    day = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    return min(day, latest) if latest is not None else day


def _git_dates(project_dir: Path, sources: list[SourceFile], log: ProjectLog | None) -> Mapping[str, dt.date]:
    """Commit dates, by document key, of files that are committed and unchanged since."""
    if log is None or not sources:
        return {}
    status = git_output(log.root, "status", "--porcelain", "-z", "--untracked-files=all", "--",
                        str(project_dir.resolve()))
    if status is None:
        return {}
    dirty = {entry[3:] for entry in status.split("\0") if len(entry) > 3}
    found = {}
    for source, name in zip(sources, git_names(log.root, project_dir, (s.path for s in sources)), strict=True):
        commits = log.commits.get(name)
        if commits and name not in dirty:
            found[source.key] = max(commit.day for commit in commits)
    return found
