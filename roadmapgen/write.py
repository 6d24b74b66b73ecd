"""Write stage: a site's files -> ``<output_dir>/<audience>/``, replaced whole or not at all.

Each site is written into a fresh staging folder beside its final place (same
filesystem, so renames are cheap and atomic), and swapped in only after every site of
the build was written. A failed build deletes its staging folders and leaves the
previous output exactly as it was; a successful one leaves no stale file behind.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from roadmapgen.errors import UsageError

MARKER = ".roadmapgen-output"
"""Written next to the sites: the folders beside it are roadmapgen's to replace."""
_MARKER_TEXT = "Written by `roadmapgen build`: internal/ and public/ are replaced whole on every build.\n"
BACKGROUND_DELETE_FILES = 2000
"""Previous outputs with more files than this are deleted by a detached process."""


class Staging:
    """One site being written next to its final folder.

    Paths are handled as text: a large site writes tens of thousands of files, and
    pathlib's objects cost more than the system calls."""

    def __init__(self, output_dir: Path, audience: str) -> None:
        output_dir.mkdir(parents=True, exist_ok=True)
        self.final = output_dir / audience
        self.dir = Path(tempfile.mkdtemp(prefix=f".{audience}.staging-", dir=output_dir))
        self.dir.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
        self._root = str(self.dir)
        self._made: set[str] = {self._root}

    def _target(self, relative: str) -> str:
        parts = relative.split("/")
        if relative.startswith("/") or "\\" in relative or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"refusing to write outside the site: {relative!r}")
        target = f"{self._root}/{relative}"
        folder = target.rpartition("/")[0]
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        return target

    def write(self, relative: str, data: bytes) -> str:
        target = self._target(relative)
        with open(target, "wb") as file:
            file.write(data)
        return target

    def copy(self, relative: str, source: Path) -> str:
        target = self._target(relative)
        shutil.copyfile(source, target)
        return target

    def link(self, relative: str, source: Path | str) -> str:
        """Reuse an unchanged file of the previous build: a hard link where possible (instant)."""
        target = self._target(relative)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        return target

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def prepare(output_dir: Path, audiences: Sequence[str]) -> None:
    """Refuse to replace folders roadmapgen did not write; sweep leftovers of killed builds.

    Raises:
        UsageError: if an ``internal/`` or ``public/`` there was not made by roadmapgen.
    """
    for audience in audiences:
        final = output_dir / audience
        if final.is_symlink() or (final.exists() and not final.is_dir()):
            raise UsageError(f"refusing to replace {final}: it is not a folder written by roadmapgen")
        if final.is_dir() and any(final.iterdir()) and not (output_dir / MARKER).is_file():
            raise UsageError(f"refusing to replace {final}: it was not written by roadmapgen (delete it, or build with --out elsewhere)")
    if output_dir.is_dir():
        for leftover in output_dir.glob(".*.staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def commit(stagings: Sequence[Staging], previous_files: int = 0) -> None:
    """Swap every staged site into place, then delete the previous output.

    A large previous output (``previous_files``) is deleted by a detached process: removing
    tens of thousands of directories takes seconds nobody needs to wait for. Its hidden
    folder is swept by the next build if that process is ever interrupted.
    """
    if stagings:
        (stagings[0].final.parent / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    for staging in stagings:
        old = _swap(staging.dir, staging.final)
        if old is None:
            continue
        if previous_files > BACKGROUND_DELETE_FILES:
            _delete_in_background(old)
        else:
            shutil.rmtree(old, ignore_errors=True)


def _delete_in_background(folder: Path) -> None:
    """At idle CPU and I/O priority, so it does not slow down what runs next."""
    command = [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(folder)]
    ionice = shutil.which("ionice")
    if ionice:
        command = [ionice, "-c", "3", *command]
    try:
        subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True, close_fds=True, preexec_fn=_lowest_priority)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


def _lowest_priority() -> None:
    os.nice(19)


def _swap(new: Path, final: Path) -> Path | None:
    """Put ``new`` at ``final``; return where the previous ``final`` now is, if any."""
    if not final.exists():
        os.replace(new, final)
        return None
    if _exchange(new, final):
        return new
    old = final.with_name(f".{final.name}.staging-old-{os.getpid()}")
    os.replace(final, old)
    os.replace(new, final)
    return old


def _exchange(first: Path, second: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    name = ctypes.util.find_library("c")
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0
