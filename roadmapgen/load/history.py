"""When each content file last changed: its last git commit, else its modification time.

Only the internal site uses this (to flag stale roadmap items). Commit dates make the
answer the same on every clone; a file with uncommitted changes counts from its
modification time, since that is when it really changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path

from roadmapgen.load.git import git_names, git_output, repository_root
from roadmapgen.load.layout import SourceFile


def last_changed(project_dir: Path, sources: Iterable[SourceFile], latest: dt.date | None = None) -> dict[str, dt.date]:
    """Each document's last change; ``latest`` (SOURCE_DATE_EPOCH) caps dates read from file times."""
    sources = list(sources)
    committed = _git_dates(project_dir, sources)
    return {source.key: committed.get(source.key) or modified_date(source.absolute, latest) for source in sources}


def modified_date(path: Path, latest: dt.date | None = None) -> dt.date:
    """The file's modification day, no later than ``latest``: a reproducible build of files without
    history (a fresh copy, a tarball) shows the build's own date, not the day the files were copied."""
    day = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
    return min(day, latest) if latest is not None else day


def _git_dates(project_dir: Path, sources: list[SourceFile]) -> Mapping[str, dt.date]:
    """Commit dates, by document key, of files that are committed and unchanged since."""
    root = repository_root(project_dir)
    if root is None or not sources:
        return {}
    project = str(project_dir.resolve())
    log = git_output(root, "log", "--format=%x00%ct", "--name-only", "--no-renames", "--", project)
    status = git_output(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", project)
    if log is None or status is None:
        return {}
    dirty = {entry[3:] for entry in status.split("\0") if len(entry) > 3}
    dates: dict[str, dt.date] = {}
    stamp: dt.date | None = None
    for line in log.splitlines():
        if line.startswith("\0"):
            stamp = dt.datetime.fromtimestamp(int(line[1:]), dt.UTC).date()
        elif line and stamp is not None:
            dates.setdefault(line, stamp)
    found = {}
    for source, name in zip(sources, git_names(root, project_dir, (s.path for s in sources)), strict=True):
        if name in dates and name not in dirty:
            found[source.key] = dates[name]
    return found
