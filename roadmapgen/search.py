"""Search stage: a staged site -> its Pagefind index in <site>/pagefind/, whole and verified.

The index is made from the staged site's own HTML files, after they are written and before
the swap, so the public index can only hold what public pages show. Only the part of each
page marked ``data-pagefind-body`` (the main content) is indexed; item pages add their
status as metadata, which results show.

Pagefind runs as its command-line program, whose exit waits for every file it writes (its
Python API's service acknowledges writes before they are flushed, and is then stopped: under
load, indexes came out torn). It runs from an empty folder with an empty environment, so no
``pagefind.yml`` and no ``PAGEFIND_*`` variable can change what it indexes or where it writes.
What it wrote is then checked file by file before the site may be published.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import tempfile
import zlib
from pathlib import Path

from roadmapgen.errors import ToolError

INDEX_FOLDER = "pagefind"
_COMPRESSED = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")
_SIGNATURE = b"pagefind_dcd"
TIMEOUT_SECONDS = 3600


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


def index_site(site_dir: Path, language: str) -> None:
    """Write the search index of the HTML pages under ``site_dir`` into ``site_dir/pagefind``.

    Raises:
        ToolError: if Pagefind cannot run, fails, or leaves an index that is not whole.
    """
    output = site_dir / INDEX_FOLDER
    command = [str(pagefind_binary()), "--site", str(site_dir), "--output-path", str(output), "--glob", "**/*.html",
               "--force-language", language.split("-")[0].lower(), "--silent"]
    with tempfile.TemporaryDirectory(prefix="roadmapgen-pagefind-") as empty:
        try:
            done = subprocess.run(command, cwd=empty, env={}, stdin=subprocess.DEVNULL, capture_output=True,
                                  check=False, timeout=TIMEOUT_SECONDS)
        except (OSError, subprocess.SubprocessError) as exc:
            raise ToolError(f"search index: Pagefind could not run: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-2000:]
        raise ToolError(f"search index: Pagefind failed (exit {done.returncode}): {said}")
    verify_index(output)


def verify_index(folder: Path) -> None:
    """Check that every file of an index is whole: the entry file names its languages and their page
    counts, each compressed file decompresses in full (gzip's length and CRC) to Pagefind's signature,
    each language has its metadata and one fragment per page, and no file is empty.

    Raises:
        ToolError: naming the first file that is not.
    """
    entry = _entry(folder)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            _check_file(folder, path)
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
