"""Search stage: a staged site -> its Pagefind index in <site>/pagefind/, whole, verified, and made
only when the pages it indexes changed.

The index is made from the staged site's own HTML files, after they are written and before
the swap, so the public index can only hold what public pages show. Only the part of each
page marked ``data-pagefind-body`` (the main content) is indexed; item pages add their
status as metadata, which results show.

**An index named by its pages.** Pagefind cannot update an index, and indexing costs about
1.5 ms a page on two cores. So each site's index is named by the digest of the pages Pagefind
reads (their paths and bytes, Pagefind's version and the language): a build whose pages
Pagefind reads did not change takes the previous build's index as it is (see ``reuse``). A
rebuild after an edit that shows on no searchable page (a list, a feed), a build run again
right after another, and a site the edit does not touch (an internal-only change, for the
public site) index nothing. Two builds of the same pages give the same bytes.

Why one index per site, not shards merged in the browser: Pagefind ranks with statistics of
the index a page is in, and a query term missing from one shard makes that shard match
without it (or match a shorter word): merged shards find other pages than one index does.
Customers and the team get what one index finds.

**Whole and unsteered.** Pagefind runs as its command-line program, whose exit waits for
every file it writes (its Python API's service acknowledges writes before they are flushed,
and is then stopped: under load, indexes came out torn). It runs from an empty folder with
an empty environment, so no ``pagefind.yml`` and no ``PAGEFIND_*`` variable can change what it
indexes or where it writes. Every file is checked before the site may be published.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from roadmapgen.errors import ToolError

INDEX_FOLDER = "pagefind"
MARKER = b"data-pagefind-body"
"""Pagefind indexes only the pages marked so, when any is."""
_COMPRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
_SIGNATURE = b"pagefind_dcd"
TIMEOUT_SECONDS = 3600

Reuse = Callable[[str], bool]
"""Puts the previous build's index of this digest in place; False when there is none to take."""


def pagefind_binary() -> Path:
    """The Pagefind program installed with roadmapgen (the ``pagefind[bin]`` dependency), never one found on PATH.

    Raises:
        ToolError: if it is not installed.
    """
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError:
        raise ToolError("search index: Pagefind is not installed (pip install 'pagefind[bin]')") from None
    try:
        return Path(get_executable())
    except FileNotFoundError as exc:
        raise ToolError(f"search index: Pagefind's program is missing from its package: {exc}") from None


def index_digest(site_dir: Path, language: str) -> str:
    """What a site's index is made of: the pages Pagefind reads (those marked searchable, or every page
    when none is), their paths and bytes, the language and Pagefind's version."""
    pages = sorted(_pages(site_dir))
    read = [(path, data) for path, data in pages if MARKER in data] or pages
    digest = hashlib.blake2b(f"{pagefind_version()}\0{language}\0".encode(), digest_size=16)
    for path, data in read:
        digest.update(path.encode() + b"\0")
        digest.update(hashlib.blake2b(data, digest_size=16).digest())
    return digest.hexdigest()


def _pages(site_dir: Path) -> Iterator[tuple[str, bytes]]:
    for folder, subfolders, files in os.walk(site_dir):
        relative = os.path.relpath(folder, site_dir)
        if relative == INDEX_FOLDER or relative.startswith(f"{INDEX_FOLDER}/"):
            subfolders.clear()
            continue
        for name in files:
            if name.endswith(".html"):
                path = name if relative == "." else f"{relative}/{name}".replace(os.sep, "/")
                with open(os.path.join(folder, name), "rb") as file:
                    yield path, file.read()


def index_site(site_dir: Path, language: str, reuse: Reuse | None = None) -> str:
    """Write the search index of the HTML pages under ``site_dir`` into ``site_dir/pagefind`` (taken from the
    previous build by ``reuse`` when the pages it reads did not change), and return the index's digest.

    Raises:
        ToolError: if Pagefind cannot run, fails, or leaves an index that is not whole.
    """
    digest = index_digest(site_dir, language)
    folder = site_dir / INDEX_FOLDER
    if reuse is not None and reuse(digest):
        try:
            verify_index(folder)
            return digest
        except ToolError:  # the previous build's index was damaged since: made again instead
            shutil.rmtree(folder)
    with tempfile.TemporaryDirectory(prefix="roadmapgen-pagefind-") as empty:
        _run_pagefind(site_dir, folder, language, empty)
    verify_index(folder)
    return digest


def _run_pagefind(pages: Path, bundle: Path, language: str, cwd: str) -> None:
    """Pagefind over the HTML under ``pages``, into ``bundle``, from the empty folder ``cwd`` with an empty
    environment."""
    command = [str(pagefind_binary()), "--site", str(pages), "--output-path", str(bundle), "--glob", "**/*.html",
               "--force-language", language.split("-")[0].lower(), "--silent"]
    try:
        done = subprocess.run(command, cwd=cwd, env={}, stdin=subprocess.DEVNULL, capture_output=True,
                              check=False, timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ToolError(f"search index: Pagefind could not run: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-2000:]
        raise ToolError(f"search index: Pagefind failed (exit {done.returncode}): {said}")


def pagefind_version() -> str:
    """Part of every index's digest: a new Pagefind makes every index anew."""
    try:
        from importlib.metadata import version

        return version("pagefind_bin")
    except Exception:  # an installation without package metadata: the program's own bytes then
        return hashlib.blake2b(pagefind_binary().read_bytes(), digest_size=8).hexdigest()


def index_files(site_dir: Path) -> list[str]:
    """The files of a site's index, relative to the site."""
    return sorted(path.relative_to(site_dir).as_posix() for path in (site_dir / INDEX_FOLDER).rglob("*")
                  if path.is_file())


def verify_index(folder: Path) -> None:
    """Check that every file of an index is whole: the entry file names its languages and their page
    counts, each compressed file decompresses in full (gzip's length and CRC) to Pagefind's signature,
    each language has its metadata and one fragment per page, its script is there, and no file is empty.

    Raises:
        ToolError: naming the first file that is not.
    """
    entry = _entry(folder)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            _check_file(folder, path)
    if not (folder / "pagefind.js").is_file():
        raise _torn(folder, "pagefind.js", "is missing")
    for code, language in entry["languages"].items():
        if not (folder / f"pagefind.{language['hash']}.pf_meta").is_file():
            raise _torn(folder, f"pagefind.{language['hash']}.pf_meta", "is missing")
        fragments = len(list((folder / "fragment").glob(f"{code}_*.pf_fragment")))
        if fragments != language["page_count"]:
            raise _torn(folder, "fragment/", f"holds {fragments} pages of '{code}', not {language['page_count']}")


def _entry(folder: Path) -> dict[str, dict[str, dict[str, object]]]:
    try:
        entry = json.loads((folder / "pagefind-entry.json").read_bytes())
        languages = entry["languages"]
        if not languages or not all(isinstance(language["hash"], str) and type(language["page_count"]) is int
                                    for language in languages.values()):
            raise ValueError("no languages")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _torn(folder, "pagefind-entry.json", f"is not a whole index entry ({exc})") from None
    return entry  # type: ignore[no-any-return]


def _check_file(folder: Path, path: Path) -> None:
    data = path.read_bytes()
    if not data:
        raise _torn(folder, path.relative_to(folder).as_posix(), "is empty")
    if path.name.endswith(_COMPRESSED):
        try:
            whole = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise _torn(folder, path.relative_to(folder).as_posix(), f"is cut short or damaged ({exc})") from None
        if not whole.startswith(_SIGNATURE):
            raise _torn(folder, path.relative_to(folder).as_posix(), "is not a Pagefind file")


def _torn(folder: Path, name: str, problem: str) -> ToolError:
    return ToolError(f"search index: {folder.name}/{name} {problem}; nothing was published")
