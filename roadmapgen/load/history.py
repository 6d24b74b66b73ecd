"""When each content file last changed: its last git commit, else its modification time.

Only the internal site uses this (to flag stale roadmap items). Commit dates make the
answer the same on every clone; a file with uncommitted changes counts from its
modification time, since that is when it really changed.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path

from roadmapgen.load.layout import SourceFile


def last_changed(project_dir: Path, sources: Iterable[SourceFile]) -> dict[str, dt.date]:
    sources = list(sources)
    committed = _git_dates(project_dir, [source.absolute for source in sources])
    return {
        source.key: committed.get(source.absolute) or modified_date(source.absolute)
        for source in sources
    }


def modified_date(path: Path) -> dt.date:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date()


def _git(cwd: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def _git_dates(project_dir: Path, files: list[Path]) -> Mapping[Path, dt.date]:
    """Commit dates of files that are committed and unchanged since."""
    top = _git(project_dir, "rev-parse", "--show-toplevel")
    if not top or not files:
        return {}
    root = Path(top.strip()).resolve()
    log = _git(root, "log", "--format=%x00%ct", "--name-only", "--no-renames", "--", str(project_dir.resolve()))
    status = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", str(project_dir.resolve()))
    if log is None or status is None:
        return {}
    dirty = {root / entry[3:] for entry in status.split("\0") if len(entry) > 3}
    dates: dict[Path, dt.date] = {}
    stamp: dt.date | None = None
    for line in log.splitlines():
        if line.startswith("\0"):
            stamp = dt.datetime.fromtimestamp(int(line[1:]), dt.timezone.utc).date()
        elif line and stamp is not None:
            dates.setdefault(root / line, stamp)
    wanted = {path.resolve(): path for path in files}
    return {wanted[path]: date for path, date in dates.items() if path in wanted and path not in dirty}
