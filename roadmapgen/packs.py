"""Bodies' HTML kept in cache files ("packs") instead of memory, read back when a page prints it.

A large project's rendered bodies are most of what a build holds, yet a page prints only its
own document's body. So the read results the cache keeps (see :mod:`roadmapgen.model.cache`) refer
to their HTML by position in a pack, and the build holds positions, not text: a rebuild
loads its snapshot without the bodies, and a full build's workers read back only the bodies
of the pages they render.

A pack is written once, by one process, and never changed; its name is unique. The cache
opens it as soon as a reference to it is unpickled, and it stays open while the build runs,
so a build can still read a pack that a concurrent build's clean-up has since deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

PACK_GLOB = "bodies-*.pack"
PACK_NAME = re.compile(r"bodies-[0-9a-f]{16}\.pack")
"""The only names a pack may have: a reference to any other file is refused."""


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)


class CacheDamaged(Exception):
    """A cache file no longer holds what roadmapgen wrote there; the build runs again without the cache."""


def html_check(data: bytes) -> bytes:
    """What a stored body's bytes must hash to when read back."""
    return hashlib.blake2b(data, digest_size=16).digest()


class Pack:
    """One pack file, read with ``pread`` (no shared file position, so forked workers can share it)."""

    __slots__ = ("path", "_fd")

    def __init__(self, path: str, fd: int | None = None) -> None:
        self.path = path
        self._fd = fd

    @classmethod
    def open(cls, path: str) -> Pack:
        """Open now, so the file stays readable even if it is deleted later."""
        return cls(path, os.open(path, _READ_FLAGS))

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return Pack, (self.path,)  # opened on first read; the cache pickles packs by name instead

    def read(self, offset: int, length: int, check: bytes) -> str:
        """The text at ``offset``, which must hash to ``check``.

        Raises:
            CacheDamaged: if the pack was cut short or its bytes changed since they were written.
        """
        if self._fd is None:
            self._fd = os.open(self.path, _READ_FLAGS)
        if hasattr(os, "pread"):
            data = os.pread(self._fd, length, offset)
        else:  # Windows: no pread, and no forked workers sharing the descriptor either
            os.lseek(self._fd, offset, os.SEEK_SET)
            data = os.read(self._fd, length)
        if len(data) != length or not hmac.compare_digest(html_check(data), check):
            raise CacheDamaged(f"build cache file {self.path} does not hold what was written there")
        return data.decode("utf-8")

    def __del__(self) -> None:
        if self._fd is not None:
            os.close(self._fd)


@dataclass(frozen=True, slots=True)
class StoredHtml:
    """HTML at a place in a pack: what a body holds instead of its text once it is cached."""

    pack: Pack
    offset: int
    length: int
    """In bytes of UTF-8."""
    check: bytes
    """:func:`html_check` of those bytes: a pack changed after it was written is caught, not printed."""

    def __bool__(self) -> bool:
        return self.length > 0

    def load(self) -> Markup:
        # A rendered body this build stored, verified against its hash as it comes back.
        return Markup(self.pack.read(self.offset, self.length, self.check))  # noqa: S704


def loaded(html: Markup | StoredHtml) -> Markup:
    return html if isinstance(html, str) else html.load()


class PackWriter:
    """Appends HTML to a new pack in ``folder``; the file is made on the first :meth:`put`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pack: Pack | None = None
        self._file: int | None = None
        self._offset = 0

    def put(self, html: str) -> StoredHtml:
        if self._pack is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = str(self.folder / PACK_GLOB.replace("*", secrets.token_hex(8)))
            self._file = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            self._pack = Pack(path)
        assert self._file is not None
        data = html.encode("utf-8")
        # Unbuffered: another process may read this span as soon as it has the reference.
        written = 0
        while written < len(data):
            written += os.write(self._file, data[written:])
        stored = StoredHtml(self._pack, self._offset, len(data), html_check(data))
        self._offset += len(data)
        return stored

    def __del__(self) -> None:
        if self._file is not None:
            os.close(self._file)


def packs_in_use(html: Iterable[Markup | StoredHtml]) -> set[str]:
    return {item.pack.path for item in html if isinstance(item, StoredHtml)}


def remove_packs(folder: Path, keep: set[str], older_than: float) -> None:
    """Delete the packs of ``folder`` not named in ``keep`` and last written before ``older_than``
    (a timestamp). Where a pack is open it stays readable."""
    for path in folder.glob(PACK_GLOB):
        try:
            if str(path) not in keep and path.stat().st_mtime < older_than:
                path.unlink()
        except OSError:
            pass
