"""Discover stage: the content folder -> the document files and assets it holds."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from roadmapgen.errors import ContentError, did_you_mean
from roadmapgen.kinds.registry import FILE_KINDS, FOLDER_KINDS, Kind
from roadmapgen.kinds.slugs import slugify
from roadmapgen.kinds.source import ASSETS, SourceFile, document_key

# Editors' swap, backup and lock files, and OS litter; never content.
_IGNORED = re.compile(r"^(\..*|.*~|.*\.sw[a-p]|4913|#.*#|.*___jb_(tmp|old)___|Thumbs\.db|desktop\.ini)$")


@dataclass(frozen=True, slots=True)
class DataFile:
    """A file a document may name for its data (a survey's responses); read, never copied."""

    path: str
    """Relative to the project, as messages show it."""
    absolute: Path


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    documents: tuple[SourceFile, ...]
    assets: Mapping[str, Path]
    """'assets/avatars/priya.png' -> its file on disk."""
    data: Mapping[str, DataFile] = field(default_factory=dict)
    """Data files documents may name, 'metrics/nps-responses.csv' -> its file on disk; never copied."""
    content_shown: str = "content"
    """The content folder, relative to the project, as messages show it."""


def discover(project_dir: Path, content_dir: Path) -> tuple[ProjectFiles, list[ContentError]]:
    """List every document and asset under ``content_dir``, sorted; report misplaced files."""
    finder = _Finder(project_dir.resolve(), content_dir)
    finder.scan_top()
    documents = tuple(sorted(finder.documents, key=lambda source: source.path))
    assets = dict(sorted(finder.assets.items()))
    data = dict(sorted(finder.data.items()))
    return ProjectFiles(documents, assets, data, finder.display(content_dir)), finder.problems


def is_ignored(name: str) -> bool:
    return _IGNORED.match(name) is not None


class _Finder:
    def __init__(self, project_dir: Path, content_dir: Path) -> None:
        self.project_dir = project_dir
        self.content_dir = content_dir
        # Paths are shown relative to the project; computed once, then joined as text.
        self._shown_content_dir = self.display(content_dir)
        self.documents: list[SourceFile] = []
        self.assets: dict[str, Path] = {}
        self.data: dict[str, DataFile] = {}
        self.problems: list[ContentError] = []
        self._asset_folders: set[Path] = set()
        """Folders scanned as assets, resolved: a folder reached twice through links is refused."""

    def display(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.project_dir)).as_posix()

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(ContentError(self.display(path), 1, 1, message))

    def entries(self, folder: Path) -> list[Path]:
        # By name: the same order as by path within one folder, without comparing Path objects.
        return sorted((entry for entry in folder.iterdir() if not is_ignored(entry.name)), key=lambda entry: entry.name)

    def entry_type(self, path: Path, inside: Path) -> str | None:
        """'file' or 'folder', following a symbolic link that stays inside ``inside``; None if unusable.

        Anything else — a link that is broken, loops or leads outside, a FIFO, socket or
        device — is reported at its path and skipped: it is never read, copied or waited on."""
        try:
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                target = path.resolve(strict=True)
                if not target.is_relative_to(inside):
                    where = "the project" if inside == self.project_dir else f"{self.display(inside)}/"
                    self.problem(path, f"symbolic link points outside {where}")
                    return None
                mode = target.stat().st_mode
        except RuntimeError:
            self.problem(path, "symbolic link loop")
            return None
        except FileNotFoundError:
            self.problem(path, "broken symbolic link")
            return None
        except OSError as exc:
            self.problem(path, "symbolic link loop" if exc.errno == errno.ELOOP else f"cannot read: {exc.strerror}")
            return None
        if stat.S_ISREG(mode):
            return "file"
        if stat.S_ISDIR(mode):
            return "folder"
        self.problem(path, f"not a file or folder ({_special_kind(mode)}); only files and folders can be content")
        return None

    def scan_top(self) -> None:
        known = [*FOLDER_KINDS, ASSETS, *FILE_KINDS]
        for entry in self.entries(self.content_dir):
            found = self.entry_type(entry, self.project_dir)
            if found == "folder" and entry.name in FOLDER_KINDS:
                self.scan_kind(entry, FOLDER_KINDS[entry.name])
            elif found == "folder" and entry.name == ASSETS:
                if entry.is_symlink():
                    self.problem(entry, "the assets folder cannot be a symbolic link; put the files in it")
                    continue
                self._asset_folders.add(entry.resolve())
                self.scan_assets(entry, ASSETS, frozenset({entry.resolve()}))
            elif found == "file" and entry.name in FILE_KINDS:
                self.add(entry, FILE_KINDS[entry.name], document_key(entry.name))
            elif found is not None:
                self.problem(
                    entry, f"unexpected {found} '{entry.name}' in the content folder{did_you_mean(entry.name, known)}"
                )

    def scan_kind(self, folder: Path, kind: Kind) -> None:
        for entry in self.entries(folder):
            found = self.entry_type(entry, self.project_dir)
            if found == "folder":
                self.problem(entry, f"unexpected folder: {kind.label} files go directly in {folder.name}/")
            elif found is None:
                continue
            elif kind.data_suffix is not None and entry.suffix == kind.data_suffix:
                content_path = f"{kind.folder}/{entry.name}"
                self.data[content_path] = DataFile(self.shown(content_path), entry)
            elif entry.suffix != kind.suffix:
                self.problem(entry, f"unexpected file: {kind.label} files end in '{kind.suffix}'")
            else:
                self.add(entry, kind, entry.name[: -len(kind.suffix)])

    def add(self, path: Path, kind: Kind, slug: str) -> None:
        if not kind.valid_slug(slug):
            self.problem(path, _bad_slug_message(kind, slug))
            return
        content_path = f"{kind.folder}/{path.name}" if kind.folder else path.name
        self.documents.append(SourceFile(kind.name, slug, self.shown(content_path), content_path, path))

    def shown(self, content_path: str) -> str:
        return f"{self._shown_content_dir}/{content_path}" if self._shown_content_dir != "." else content_path

    def scan_assets(self, folder: Path, prefix: str, seen: frozenset[Path]) -> None:
        """Assets are copied as they are, so a link among them must stay inside assets/ itself:
        one to a document would publish its source. ``seen``: the folders above, resolved."""
        assets_root = (self.content_dir / ASSETS).resolve()
        for entry in self.entries(folder):
            found = self.entry_type(entry, assets_root)
            name = f"{prefix}/{entry.name}"
            if found == "folder":
                resolved = entry.resolve()
                if resolved in seen or resolved in self._asset_folders:
                    self.problem(entry, "symbolic link loop: this folder is already part of assets/")
                    continue
                self._asset_folders.add(resolved)
                self.scan_assets(entry, name, seen | {resolved})
            elif found == "file":
                self.assets[name] = entry


def _special_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "a special file"


def _bad_slug_message(kind: Kind, slug: str) -> str:
    if kind.slug_rule == "version":
        return (
            f"file name '{slug}{kind.suffix}' is not a valid version: "
            "use letters, digits, '.', '+' and '-', like '2.4.0.md'"
        )
    suggestion = slugify(slug) or "name"
    return (
        f"file name '{slug}{kind.suffix}' is not a valid slug: use lowercase letters, "
        f"digits and single '-', like '{suggestion}{kind.suffix}'"
    )
