"""The persistent build cache: each document's read result, stored under its content hash.

A result (the validated document with its rendered body, or its problems) is a pure
function of the file's path and bytes and of the code that read it. Entries live in a
folder named after that code: a hash of roadmapgen's own source files and the versions
of Python and the libraries that parse. So an entry is only ever used for exactly the
input that made it: a stale entry is never wrong, only unused, and the whole cache can
be deleted at any time. Keep ``.roadmapgen-cache/`` between CI runs to reuse it.

The cache is an input nobody reviews, so nothing in it is trusted: every file is sealed
(:mod:`roadmapgen.seal`) with a key that lives outside the project, and a file that does
not verify is not read. Even a verified file is unpickled by :class:`_Unpickler`, which
makes only roadmapgen's own data classes, so a cache file can never run code.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import datetime as dt
import gc
import hashlib
import io
import operator
import os
import pickle
import platform
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pydantic import BaseModel

import roadmapgen
from roadmapgen.errors import ContentError, Severity
from roadmapgen.kinds import fields as field_types
from roadmapgen.kinds import front_matter
from roadmapgen.kinds.source import SourceFile
from roadmapgen.markdown import fast as fast_markdown
from roadmapgen.markdown.body import AssetUse, Body, BodyLink
from roadmapgen.model.document import Document
from roadmapgen.model.read import ReadResult
from roadmapgen.packs import PACK_NAME, Pack, PackWriter, StoredHtml, packs_in_use, remove_packs
from roadmapgen.places import Place
from roadmapgen.seal import Seal

CACHE_DIR = ".roadmapgen-cache"
_IGNORE_ALL = "# Written by roadmapgen: the build cache is never committed.\n*\n"
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "markdown-it-pyrs", "PyYAML", "pydantic", "pydantic-core", "Jinja2",
              "MarkupSafe")


def code_fingerprint() -> str:
    """Hash of roadmapgen's source and its parsing libraries' versions: what "the version" means here."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(platform.python_version().encode())
    digest.update(f"{fast_markdown.mode()};{fast_markdown.engine()};".encode())  # which engine renders bodies
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
    """Read results by content hash, one small file each, plus the snapshot of a whole read.

    Results are pickled by :meth:`dumps` and :meth:`loads`, which refer to packs by name:
    each pack is opened once per build however many results refer to it, and a cache
    folder restored at another path (CI) still works."""

    def __init__(self, root: Path, code: str, seal: Seal, *, read_only: bool = False) -> None:
        self.root = root
        self.folder = root / f"documents-{code}"
        self.code = code
        self.seal = seal
        self.read_only = read_only
        """``roadmapgen check`` uses the cache but writes nothing."""
        self._packs: dict[str, Pack] = {}
        self._sources: dict[str, SourceFile] = {}
        self._reducers: dict[type, Any] = {**copyreg.dispatch_table, **_FAST_REDUCERS, Pack: self._pack_reference,
                          SourceFile: _source_reference}

    def _path(self, digest: str) -> Path:
        return self.folder / digest[:2] / f"{digest}.pickle"

    def load(self, digest: str) -> bytes | None:
        """The pickled result for ``digest``, or None (none stored, or not sealed for it by this key)."""
        return self.read_sealed(self._path(digest), f"document:{self.code}:{digest}")

    def store(self, digest: str, blob: bytes) -> None:
        self.write_sealed(self._path(digest), f"document:{self.code}:{digest}", blob)

    def read_sealed(self, path: Path, purpose: str) -> bytes | None:
        try:
            return self.seal.open(purpose, path.read_bytes())
        except OSError:
            return None

    def write_sealed(self, path: Path, purpose: str, payload: bytes) -> None:
        self._write(path, self.seal.seal(purpose, payload))

    def _write(self, path: Path, blob: bytes) -> None:
        """Write atomically, so concurrent builds and crashes never leave half an entry."""
        if self.read_only:
            return
        try:
            ignore_in_git(self.root)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                file.write(blob)
            os.replace(temporary, path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def pack_writer(self) -> PackWriter | None:
        return None if self.read_only else PackWriter(self.folder)

    def dumps(self, value: object) -> bytes:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        # A table entry, not persistent_id: that would be a Python call for every object pickled.
        pickler.dispatch_table = self._reducers
        with _collector_off():
            pickler.dump(value)
        return buffer.getvalue()

    def _pack_reference(self, pack: Pack) -> tuple[object, tuple[str]]:
        folder, name = os.path.split(pack.path)
        return (_pack_named, (name,)) if folder == str(self.folder) else pack.__reduce__()

    def loads(self, blob: bytes) -> object:
        with _collector_off():
            return _Unpickler(io.BytesIO(blob), self).load()  # noqa: S301 - written by dumps, for this code

    def know_sources(self, sources: Iterable[SourceFile]) -> None:
        """Files this build found: results loaded from now on refer to these instead of copies,
        which are slower to unpickle (their paths) and name where the project was when cached."""
        self._sources = {source.path: source for source in sources}

    def source_at(self, kind: str, slug: str, path: str, content_path: str, absolute: str) -> SourceFile:
        known = self._sources.get(path)
        if known is not None and (known.kind, known.slug, known.content_path) == (kind, slug, content_path):
            return known
        return _source_at(kind, slug, path, content_path, absolute)

    def open_pack(self, name: str) -> Pack:
        if PACK_NAME.fullmatch(name) is None:
            raise pickle.UnpicklingError(f"not a pack: {name!r}")
        pack = self._packs.get(name)
        if pack is None:
            pack = self._packs[name] = Pack.open(str(self.folder / name))
        return pack


@dataclass
class Snapshot:
    """Every read result of the last full read, in one file: one read instead of thousands.

    ``files`` maps each file to the (size, mtime_ns, ctime_ns, digest) it had; a file whose
    size and times are unchanged (and older than the snapshot by more than a clock tick) is
    taken from ``results`` without being read. The change time matters: ``cp -p`` and
    ``rsync -t`` can put new bytes under an old size and mtime, but not an old ctime.
    ``results`` is also looked up by content hash, for files whose times changed but not
    their bytes (a fresh clone in CI). Bodies' HTML lives in packs (:mod:`roadmapgen.packs`)."""

    written_ns: int = 0
    files: dict[str, tuple[int, int, int, str]] = field(default_factory=dict)
    results: dict[str, ReadResult] = field(default_factory=dict)
    """digest -> read result."""

    def unchanged(self, path: Path, stamp: tuple[int, int, int]) -> ReadResult | None:
        """The result for ``path`` if its (size, mtime_ns, ctime_ns) are still what they were."""
        entry = self.files.get(str(path))
        if entry is None or entry[:3] != stamp or stamp[2] > self.written_ns - TRUST_NS:
            return None
        return self.results.get(entry[3])


def file_stamp(path: Path) -> tuple[int, int, int]:
    """(size, mtime_ns, ctime_ns): how a file is known unchanged without reading it."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


TRUST_NS = 2_000_000_000
"""A file changed within two seconds of a snapshot may change again within the same mtime tick."""
PACK_GRACE_SECONDS = 3600
"""An unused pack younger than this may belong to a build still running; it is left alone."""


def _by_init_fields(cls: type) -> Callable[[object], tuple[type, tuple[object, ...]]]:
    """Pickle a frozen dataclass as a call of its constructor: several times faster, both ways,
    than the generic state of slotted dataclasses, which looks up the fields on every object."""
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    values = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (values(obj),))
    return lambda obj: (cls, values(obj))


_FAST_REDUCERS: dict[type, Any] = {
    cls: _by_init_fields(cls) for cls in (ReadResult, Document, Body, BodyLink, AssetUse, StoredHtml)
}
"""The classes a snapshot holds tens of thousands of."""


def _source_reference(source: SourceFile) -> tuple[object, tuple[str, ...]]:
    return _source_at, (source.kind, source.slug, source.path, source.content_path, str(source.absolute))


def _source_at(kind: str, slug: str, path: str, content_path: str, absolute: str) -> SourceFile:
    """Stands in a pickle for a found file; :class:`_Unpickler` resolves it."""
    return SourceFile(kind, slug, path, content_path, Path(absolute))


def _pack_named(name: str) -> Pack:
    """Stands in a pickle for a pack of the cache folder; :class:`_Unpickler` resolves it."""
    raise pickle.UnpicklingError(f"pack {name} outside a cache")


def _data_classes() -> dict[tuple[str, str], type]:
    """Everything a cache file may make: roadmapgen's own data classes and the values inside them.

    Their constructors only store what they are given; no other callable is reachable."""
    models = [value for module in (front_matter, field_types) for value in vars(module).values()
              if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__]
    classes = [*_FAST_REDUCERS, Snapshot, Place, ContentError, Severity, Markup, dt.date, *models]
    return {(cls.__module__, cls.__qualname__): cls for cls in classes}


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, cache: DocumentCache) -> None:
        super().__init__(file)
        self.cache = cache

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name == _pack_named.__name__:
            return self.cache.open_pack
        if module == __name__ and name == _source_at.__name__:
            return self.cache.source_at
        found = _DATA_CLASSES.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"a cache file may not make {module}.{name}")
        return found


UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError,
              ValueError, KeyError, RecursionError, MemoryError)
"""What unpickling bytes that are not a cache file of this version can raise."""
SNAPSHOT = "snapshot.pickle"


def load_snapshot(cache: DocumentCache) -> Snapshot:
    blob = cache.read_sealed(cache.folder / SNAPSHOT, f"snapshot:{cache.code}")
    if blob is None:
        return Snapshot()
    try:
        snapshot = cache.loads(blob)
    except UNREADABLE:
        return Snapshot()
    return snapshot if isinstance(snapshot, Snapshot) else Snapshot()


def save_snapshot(cache: DocumentCache, snapshot: Snapshot) -> None:
    """Save, then delete the packs no snapshot needs any more.

    Each full read adds packs (one per worker) and unchanged documents keep referring to
    older ones; past :data:`MAX_PACKS`, every body moves into one new pack, so a build
    never holds more than that many files open."""
    if cache.read_only:
        return
    in_use = _packs_of(snapshot)
    if len(in_use) > MAX_PACKS:
        writer = PackWriter(cache.folder)
        snapshot = replace(
            snapshot, results={digest: result.with_body_in(writer) for digest, result in snapshot.results.items()}
        )
        in_use = _packs_of(snapshot)
    cache.write_sealed(cache.folder / SNAPSHOT, f"snapshot:{cache.code}", cache.dumps(snapshot))
    remove_packs(cache.folder, keep=in_use, older_than=time.time() - PACK_GRACE_SECONDS)


MAX_PACKS = 64


def _packs_of(snapshot: Snapshot) -> set[str]:
    bodies = (result.document.body for result in snapshot.results.values() if result.document is not None)
    return packs_in_use(html for body in bodies if body is not None for html in (body.internal_html, body.public_html))


def ignore_in_git(root: Path) -> None:
    """A ``.gitignore`` of ``*`` in the cache folder, as pytest and mypy write in theirs: ``git add .``
    never picks the cache up, whatever the project's own ignore file says."""
    marker = root / ".gitignore"
    if not marker.exists():
        root.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError), marker.open("x", encoding="utf-8") as file:
            file.write(_IGNORE_ALL)


def manifest_path(root: Path, output_dir: Path) -> Path:
    """Where the build writing ``output_dir`` keeps its manifest (see :mod:`roadmapgen.commands.reuse`)."""
    name = hashlib.blake2b(str(output_dir.resolve()).encode(), digest_size=8).hexdigest()
    return root / "outputs" / f"{name}.json"


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    """Unpickling a snapshot makes millions of objects and no cycles; the collector's passes
    over them while they arrive would be pure cost."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


_DATA_CLASSES = _data_classes()
