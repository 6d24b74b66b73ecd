"""A project as it was at a git revision, written out from the revision's raw blobs.

``git archive`` obeys the revision's own ``.gitattributes``: ``export-ignore`` leaves files
out and ``export-subst`` writes commit authors, e-mails and subjects into them, so a
revision read that way is not what ``build`` publishes from it. Here every file is read
with ``ls-tree`` and ``cat-file --batch``, which apply no attributes, filters, text
conversion or substitution: the bytes a checkout of that commit starts from.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

_FILE_MODES = frozenset({"100644", "100755"})
_LINK_MODE = "120000"


class RevisionError(Exception):
    """git could not list or read the revision."""


@dataclass(frozen=True, slots=True)
class TreeEntry:
    mode: str
    blob: str
    path: str
    """Relative to the folder written out, with '/' separators."""


def list_tree(root: Path, commit: str, prefix: str) -> list[TreeEntry]:
    """Every file and symbolic link under ``prefix`` (relative to the repository's root) at ``commit``;
    submodules are left out, as a checkout without them has none."""
    pathspec = [] if prefix in ("", ".") else ["--", prefix]
    listing = _run(root, ["git", "ls-tree", "-r", "-z", "--full-tree", commit, *pathspec])
    entries = []
    strip = "" if prefix in ("", ".") else prefix.rstrip("/") + "/"
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, blob = meta.decode("ascii").split(" ")
        path = os.fsdecode(name)
        if kind != "blob" or (mode not in _FILE_MODES and mode != _LINK_MODE) or not path.startswith(strip):
            continue
        entries.append(TreeEntry(mode, blob, path[len(strip):]))
    return entries


def write_revision(root: Path, commit: str, prefix: str, destination: Path) -> None:
    """Write the files under ``prefix`` at ``commit`` into ``destination`` (which must be empty).

    Symbolic links are made last, as the revision has them, once nothing else can be written
    through one; loading then reports a link that leads outside exactly as ``build`` would.

    Raises:
        RevisionError: if git cannot read the revision, or a path in it could leave ``destination``.
    """
    entries = [entry for entry in list_tree(root, commit, prefix) if _safe(entry.path)]
    contents = read_blobs(root, [entry.blob for entry in entries])
    top = destination.resolve()
    links = []
    for entry, data in zip(entries, contents, strict=True):
        if data is None:
            raise RevisionError(f"git has no blob {entry.blob} ({entry.path})")
        target = destination / entry.path
        if entry.mode == _LINK_MODE:
            links.append((target, os.fsdecode(data)))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(top):
            raise RevisionError(f"{entry.path}: would be written outside the revision's folder")
        with open(target, "xb") as file:
            file.write(data)
    for link, pointing_to in links:
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.parent.resolve().is_relative_to(top) and not (link.exists() or link.is_symlink()):
            link.symlink_to(pointing_to)


def _safe(path: str) -> bool:
    """A path git could check out: no empty, '.', '..' or '.git' part, nothing absolute."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\\" not in path and all(
        part not in ("", ".", "..") and part.lower() != ".git" for part in parts)


def read_blobs(root: Path, blobs: list[str]) -> list[bytes | None]:
    """The raw bytes of each blob, by id, from one ``git cat-file --batch`` (no filters, no text
    conversion); None for an id git does not have as a blob.

    Raises:
        RevisionError: if git cannot run.
    """
    if not blobs:
        return []
    output = _run(root, ["git", "cat-file", "--batch"], "\n".join(blobs).encode() + b"\n")
    found: list[bytes | None] = []
    position = 0
    for _ in blobs:
        end = output.find(b"\n", position)
        header = output[position:end].split(b" ")
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":  # '<id> missing' (or another kind of object)
            found.append(None)
            continue
        size = int(header[2])
        found.append(output[position : position + size])
        position += size + 1
    return found


def _run(root: Path, command: list[str], stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(command, cwd=root, input=stdin, capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RevisionError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        raise RevisionError(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout
