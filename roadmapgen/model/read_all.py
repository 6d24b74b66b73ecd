"""Reading many files: through the document cache, in worker processes when there are cores to spare."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

from roadmapgen.kinds.source import SourceFile
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.cache import DocumentCache, Snapshot, file_stamp, load_snapshot, save_snapshot
from roadmapgen.model.read import ReadResult, file_digest, parse_document, read_bytes
from roadmapgen.parallel import map_forked

Read = ReadResult | bytes
"""A result, or the same result pickled by the cache (as it comes from the cache or a worker)."""
SNAPSHOT_AFTER = 20
"""A read that parses more than 1/20 of the files saves a new snapshot."""


def reader(
    cache: DocumentCache | None, snapshot: Snapshot, *, store_bodies: bool
) -> Callable[[], Callable[[SourceFile], Read]]:
    """Makes, once per process, the function reading one file.

    ``store_bodies``: a new snapshot will hold every result, so the results of this read put
    their HTML in a pack (one per process) instead of one cache file each."""

    def setup() -> Callable[[SourceFile], Read]:
        parser = BodyParser()
        writer = cache.pack_writer() if cache is not None and store_bodies else None

        def read(source: SourceFile) -> Read:
            data = read_bytes(source)
            if isinstance(data, ReadResult):
                return data
            if cache is None:
                return parse_document(source, data, parser)
            digest = file_digest(source, data)
            known = snapshot.results.get(digest)  # the same bytes under new file times: a fresh clone
            if known is not None:
                return cache.dumps(known)
            blob = cache.load(digest)
            if blob is not None:
                return blob
            result = parse_document(source, data, parser)
            if writer is not None:
                return cache.dumps(result.with_body_in(writer))
            blob = cache.dumps(result)
            cache.store(digest, blob)
            return blob

        return read

    return setup


def read_all(
    sources: Iterable[SourceFile], *, cache: DocumentCache | None = None, jobs: int = 1
) -> Iterator[ReadResult]:
    """Every file's read result, in order: unchanged files from the cache's snapshot, the
    others through the snapshot or document cache by content, or the parser, in worker processes."""
    sources = list(sources)
    if cache is not None:
        cache.know_sources(sources)
    snapshot = load_snapshot(cache) if cache else Snapshot()
    results: list[ReadResult | None] = []
    stamps: list[tuple[int, int, int]] = []
    for source in sources:
        try:
            stamps.append(file_stamp(source.absolute))
        except OSError:
            stamps.append((-1, 0, 0))
        results.append(snapshot.unchanged(source.absolute, stamps[-1]))
    todo = [index for index, result in enumerate(results) if result is None]
    save = cache is not None and len(todo) > len(sources) // SNAPSHOT_AFTER
    read = reader(cache, snapshot, store_bodies=save)
    for index, result in zip(todo, map_forked(read, [sources[i] for i in todo], jobs), strict=True):
        results[index] = result if isinstance(result, ReadResult) else cache.loads(result)  # type: ignore[union-attr, assignment]
    if save:
        assert cache is not None
        save_snapshot(cache, _snapshot_of(sources, stamps, results))
    yield from results  # type: ignore[misc]


def _snapshot_of(
    sources: list[SourceFile], stamps: list[tuple[int, int, int]], results: list[ReadResult | None]
) -> Snapshot:
    snapshot = Snapshot(written_ns=time.time_ns())
    for source, stamp, result in zip(sources, stamps, results, strict=True):
        if result is not None and result.document is not None:
            digest = result.document.digest
            snapshot.files[str(source.absolute)] = (*stamp, digest)
            snapshot.results[digest] = result
    return snapshot
