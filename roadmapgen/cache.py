"""The persistent build cache: each document's read result, stored under its content hash.

A result (the validated document with its rendered body, or its problems) is a pure
function of the file's path and bytes and of the code that read it. Entries live in a
folder named after that code: a hash of roadmapgen's own source files and the versions
of Python and the libraries that parse. So an entry is only ever used for exactly the
input that made it: a stale entry is never wrong, only unused, and the whole cache can
be deleted at any time. Keep ``.roadmapgen-cache/`` between CI runs to reuse it.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import platform
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import roadmapgen

CACHE_DIR = ".roadmapgen-cache"
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "PyYAML", "pydantic", "pydantic-core", "Jinja2", "MarkupSafe")


def code_fingerprint() -> str:
    """Hash of roadmapgen's source and its parsing libraries' versions: what "the version" means here."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(platform.python_version().encode())
    for library in _LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=?;".encode())
    package = Path(roadmapgen.__file__).parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


class DocumentCache:
    """Read results by content hash, one small file each."""

    def __init__(self, root: Path, code: str, *, read_only: bool = False) -> None:
        self.folder = root / f"documents-{code}"
        self.read_only = read_only
        """``roadmapgen check`` uses the cache but writes nothing."""

    def _path(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.pickle"

    def load(self, digest: str) -> bytes | None:
        """The pickled result for ``digest``, or None."""
        try:
            return self._path(digest).read_bytes()
        except OSError:
            return None

    def store(self, digest: str, blob: bytes) -> None:
        self._write(self._path(digest), blob)

    def store_file(self, name: str, blob: bytes) -> None:
        self._write(self.folder / name, blob)

    def _write(self, path: Path, blob: bytes) -> None:
        """Write atomically, so concurrent builds and crashes never leave half an entry."""
        if self.read_only:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                file.write(blob)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


@dataclass
class Snapshot:
    """Every read result of the last build, in one file: one read instead of thousands.

    ``files`` maps each file to the (size, mtime_ns, ctime_ns, digest) it had; a file whose
    size and times are unchanged (and older than the snapshot by more than a clock tick) is
    taken from ``results`` without being read. The change time matters: ``cp -p`` and
    ``rsync -t`` can put new bytes under an old size and mtime, but not an old ctime."""

    written_ns: int = 0
    files: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    results: dict[str, object] = field(default_factory=dict)
    """digest -> read result."""

    def unchanged(self, path: Path, stamp: tuple[int, int, int]) -> object | None:
        """The result for ``path`` if its (size, mtime_ns, ctime_ns) are still what they were."""
        entry = self.files.get(str(path))
        if entry is None or entry[:3] != stamp or stamp[2] > self.written_ns - TRUST_NS:
            return None
        return self.results.get(entry[3])


TRUST_NS = 2_000_000_000
"""A file changed within two seconds of a snapshot may change again within the same mtime tick."""


def load_snapshot(cache: DocumentCache) -> Snapshot:
    try:
        snapshot = loads((cache.folder / "snapshot.pickle").read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError):
        return Snapshot()
    return snapshot if isinstance(snapshot, Snapshot) else Snapshot()


def save_snapshot(cache: DocumentCache, snapshot: Snapshot) -> None:
    cache.store_file("snapshot.pickle", dumps(snapshot))


def manifest_path(root: Path, output_dir: Path) -> Path:
    """Where the build writing ``output_dir`` keeps its manifest (see :mod:`roadmapgen.reuse`)."""
    name = hashlib.blake2b(str(output_dir.resolve()).encode(), digest_size=8).hexdigest()
    return root / "outputs" / f"{name}.json"


def dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(blob: bytes) -> object:
    # Unpickling a snapshot makes millions of objects and no cycles; the collector's passes
    # over them while they arrive would be pure cost.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(blob)  # noqa: S301 - our own cache files, written by this code for this code
    finally:
        if collecting:
            gc.enable()
