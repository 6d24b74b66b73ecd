"""Write stage: a site's files -> ``<output_dir>/<audience>/``, replaced whole or not at all.

Each site is written into a fresh staging folder beside its final place (same
filesystem, so renames are cheap and atomic), and swapped in only after every site of
the build was written. A failed build deletes its staging folders and leaves the
previous output exactly as it was; a successful one leaves no stale file behind.

roadmapgen deletes or replaces only what it provably wrote: every folder it makes (a
site, a staging folder) holds a :data:`SITE_MARKER` file from its first moment, and a
folder without one is never replaced or deleted, whatever its name. Nothing else in the
output folder is touched.
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

SITE_MARKER = ".roadmapgen-site"
"""Inside every site and staging folder roadmapgen makes: the proof that it may replace the folder."""
_LEGACY_MARKER = ".roadmapgen-output"
"""Beside the sites, written by roadmapgen before 0.x: a site folder of that time has no SITE_MARKER."""
_LEGACY_SITE_FILES = ("index.html", "404.html", "robots.txt", "sitemap.xml")
STAGING = ".roadmapgen-staging-"
BACKGROUND_DELETE_FILES = 2000
"""Previous outputs with more files than this are deleted by a detached process."""


class Staging:
    """One site being written next to its final folder.

    Paths are handled as text: a large site writes tens of thousands of files, and
    pathlib's objects cost more than the system calls."""

    def __init__(self, output_dir: Path, audience: str) -> None:
        output_dir.mkdir(parents=True, exist_ok=True)
        self.final = output_dir / audience
        self.dir = Path(tempfile.mkdtemp(prefix=f".{audience}{STAGING}", dir=output_dir))
        self.dir.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read the site
        (self.dir / SITE_MARKER).write_text(_marker_text(audience), encoding="utf-8")
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


def _marker_text(audience: str) -> str:
    return f"Written by `roadmapgen build`: the {audience} site, replaced whole on every build.\n"


def written_by_roadmapgen(folder: Path, audience: str) -> bool:
    """Whether ``folder`` is a site or staging folder roadmapgen made for ``audience`` (not a link)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    marker = folder / SITE_MARKER
    try:
        return not marker.is_symlink() and marker.read_text(encoding="utf-8") == _marker_text(audience)
    except (OSError, UnicodeDecodeError):
        return False


def _legacy_site(folder: Path) -> bool:
    """A site written before SITE_MARKER existed: beside the old marker, with a site's own files."""
    return (folder.parent / _LEGACY_MARKER).is_file() and all((folder / name).is_file() for name in _LEGACY_SITE_FILES)


def check_output_dir(output_dir: Path, protected: Sequence[Path]) -> None:
    """Refuse an output folder whose replacement could destroy what the user wrote.

    Raises:
        UsageError: if ``output_dir`` is the root or home folder, a file, or is, holds or sits
            inside one of ``protected`` (the content folder, themes/).
    """
    out = output_dir.resolve()
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise UsageError(f"refusing to build into {output_dir}: choose a folder of its own, like 'site'")
    if out.exists() and not out.is_dir():
        raise UsageError(f"refusing to build into {output_dir}: it is a file, not a folder")
    for folder in protected:
        guarded = folder.resolve()
        if out == guarded or out.is_relative_to(guarded) or guarded.is_relative_to(out):
            raise UsageError(f"refusing to build into {output_dir}: it overlaps {folder}, which holds your own files")


def prepare(output_dir: Path, audiences: Sequence[str]) -> None:
    """Refuse to replace folders roadmapgen did not write; sweep leftovers of killed builds.

    Raises:
        UsageError: if an ``internal/`` or ``public/`` there was not made by roadmapgen.
    """
    if output_dir.exists() and not output_dir.is_dir():
        raise UsageError(f"refusing to write into {output_dir}: it is a file, not a folder")
    for audience in audiences:
        final = output_dir / audience
        if not (final.exists() or final.is_symlink()):
            continue
        empty = final.is_dir() and not final.is_symlink() and not any(final.iterdir())
        if not (empty or written_by_roadmapgen(final, audience) or _legacy_site(final)):
            raise UsageError(f"refusing to replace {final}: it was not written by roadmapgen "
                             "(delete it, or build with --out elsewhere)")
    if output_dir.is_dir():
        for audience in ("internal", "public"):
            for leftover in output_dir.glob(f".{audience}{STAGING}*"):
                if written_by_roadmapgen(leftover, audience):
                    shutil.rmtree(leftover, ignore_errors=True)


def commit(stagings: Sequence[Staging], previous_files: int = 0) -> None:
    """Swap every staged site into place, then delete the previous output.

    A large previous output (``previous_files``) is deleted by a detached process: removing
    tens of thousands of directories takes seconds nobody needs to wait for. Its hidden
    folder is swept by the next build if that process is ever interrupted.
    """
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
    old = final.with_name(f".{final.name}{STAGING}old-{os.getpid()}")
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
    result: int = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0


def replace_file(path: Path, data: bytes) -> str | None:
    """Write ``data`` as ``path`` whole, through a temporary file beside it, keeping an existing file's mode:
    a reader (an editor, the preview) never sees half a file. Why it could not be done, or None."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        return f"cannot write file: {exc.strerror}"
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        return f"cannot write file: {exc.strerror}"
    return None
