"""Search stage: a staged site -> its Pagefind index in <site>/pagefind/.

The index is made from the staged site's own HTML files, after they are written and before
the swap, so the public index can only hold what public pages show. Only the part of each
page marked ``data-pagefind-body`` (the main content) is indexed; item pages add their
status as metadata, which results show.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from roadmapgen.errors import ContentError

INDEX_FOLDER = "pagefind"


def index_site(site_dir: Path, language: str) -> None:
    """Write the search index of the HTML pages under ``site_dir`` into ``site_dir/pagefind``.

    Raises:
        ContentError: if Pagefind is not installed or fails.
    """
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError:  # a dependency: missing only from a broken install
        message = "search index: Pagefind is not installed (pip install 'pagefind[bin]')"
        raise ContentError("pagefind", 1, 1, message) from None
    config = IndexConfig(force_language=language.split("-")[0].lower(), output_path=str(site_dir / INDEX_FOLDER))

    async def run() -> None:
        async with PagefindIndex(config) as index:
            await index.add_directory(str(site_dir), glob="**/*.html")

    # Pagefind's API is async; its own thread and event loop keep it apart from any loop the caller runs.
    failures: list[BaseException] = []

    def work() -> None:
        try:
            asyncio.run(run())
        except Exception as exc:  # the service reports its own errors as plain exceptions
            failures.append(exc)

    thread = threading.Thread(target=work, name="pagefind")
    thread.start()
    thread.join()
    if failures:
        raise ContentError(site_dir.name, 1, 1, f"search index could not be written: {failures[0]}")
