"""Reading many files: through the document cache, in worker processes when there are cores to spare."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

from roadmapgen.cache import DocumentCache, Snapshot, dumps, load_snapshot, loads, save_snapshot
from roadmapgen.load.layout import SourceFile
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.read import ReadResult, file_digest, parse_document, read_bytes
from roadmapgen.parallel import map_forked

Read = ReadResult | bytes
"""A result, or the same result pickled (as it comes from the cache or a worker)."""


def reader(cache: DocumentCache | None) -> Callable[[], Callable[[SourceFile], Read]]:
    """Makes, once per process, the function reading one file."""

    def setup() -> Callable[[SourceFile], Read]:
        parser = BodyParser()

        def read(source: SourceFile) -> Read:
            data = read_bytes(source)
            if isinstance(data, ReadResult):
                return data
            if cache is None:
                return parse_document(source, data, parser)
            digest = file_digest(source, data)
            blob = cache.load(digest)
            if blob is None:
                blob = dumps(parse_document(source, data, parser))
                cache.store(digest, blob)
            return blob

        return read

    return setup


def read_all(sources: Iterable[SourceFile], *, cache: DocumentCache | None = None, jobs: int = 1) -> Iterator[ReadResult]:
    """Every file's read result, in order: unchanged files from the cache's snapshot, the
    others through the document cache or the parser, in worker processes."""
    sources = list(sources)
    snapshot = load_snapshot(cache) if cache else Snapshot()
    results: list[ReadResult | None] = []
    stamps: list[tuple[int, int, int]] = []
    for source in sources:
        try:
            stat = source.absolute.stat()
            stamps.append((stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))
        except OSError:
            stamps.append((-1, 0, 0))
        results.append(snapshot.unchanged(source.absolute, stamps[-1]))  # type: ignore[arg-type]
    todo = [index for index, result in enumerate(results) if result is None]
    for index, result in zip(todo, map_forked(reader(cache), [sources[i] for i in todo], jobs), strict=True):
        results[index] = result if isinstance(result, ReadResult) else loads(result)  # type: ignore[assignment]
    if cache is not None and len(todo) > len(sources) // 20:
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
