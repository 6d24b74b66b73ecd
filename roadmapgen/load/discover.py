"""Discover stage: the content folder -> the document files and assets it holds."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.errors import ContentError, did_you_mean
from roadmapgen.load.layout import ASSETS, FOLDER_KINDS, VISION, VISION_FILE, Kind, SourceFile

# Editors' swap, backup and lock files, and OS litter; never content.
_IGNORED = re.compile(r"^(\..*|.*~|.*\.sw[a-p]|4913|#.*#|.*___jb_(tmp|old)___|Thumbs\.db|desktop\.ini)$")


@dataclass(frozen=True, slots=True)
class ProjectFiles:
    documents: tuple[SourceFile, ...]
    assets: Mapping[str, Path]
    """'assets/avatars/priya.png' -> its file on disk."""


def discover(project_dir: Path, content_dir: Path) -> tuple[ProjectFiles, list[ContentError]]:
    """List every document and asset under ``content_dir``, sorted; report misplaced files."""
    finder = _Finder(project_dir.resolve(), content_dir)
    finder.scan_top()
    documents = tuple(sorted(finder.documents, key=lambda source: source.path))
    assets = dict(sorted(finder.assets.items()))
    return ProjectFiles(documents, assets), finder.problems


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
        self.problems: list[ContentError] = []

    def display(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.project_dir)).as_posix()

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(ContentError(self.display(path), 1, 1, message))

    def entries(self, folder: Path) -> list[Path]:
        # By name: the same order as by path within one folder, without comparing Path objects.
        return sorted((entry for entry in folder.iterdir() if not is_ignored(entry.name)), key=lambda entry: entry.name)

    def usable(self, path: Path) -> bool:
        """A symbolic link must point at something inside the project."""
        if not path.is_symlink():
            return True
        target = path.resolve()
        if not target.exists():
            self.problem(path, "broken symbolic link")
            return False
        if not target.is_relative_to(self.project_dir):
            self.problem(path, "symbolic link points outside the project")
            return False
        return True

    def scan_top(self) -> None:
        known = [*FOLDER_KINDS, ASSETS, VISION_FILE]
        for entry in self.entries(self.content_dir):
            if not self.usable(entry):
                continue
            if entry.is_dir() and entry.name in FOLDER_KINDS:
                self.scan_kind(entry, FOLDER_KINDS[entry.name])
            elif entry.is_dir() and entry.name == ASSETS:
                self.scan_assets(entry, ASSETS)
            elif entry.is_file() and entry.name == VISION_FILE:
                self.add(entry, VISION, "vision")
            else:
                what = "folder" if entry.is_dir() else "file"
                self.problem(entry, f"unexpected {what} '{entry.name}' in the content folder{did_you_mean(entry.name, known)}")

    def scan_kind(self, folder: Path, kind: Kind) -> None:
        for entry in self.entries(folder):
            if not self.usable(entry):
                continue
            if entry.is_dir():
                self.problem(entry, f"unexpected folder: {kind.label} files go directly in {folder.name}/")
            elif entry.suffix != kind.suffix:
                self.problem(entry, f"unexpected file: {kind.label} files end in '{kind.suffix}'")
            else:
                self.add(entry, kind, entry.name[: -len(kind.suffix)])

    def add(self, path: Path, kind: Kind, slug: str) -> None:
        if not kind.valid_slug(slug):
            self.problem(path, _bad_slug_message(kind, slug))
            return
        content_path = f"{kind.folder}/{path.name}" if kind.folder else path.name
        shown = f"{self._shown_content_dir}/{content_path}" if self._shown_content_dir != "." else content_path
        self.documents.append(SourceFile(kind.name, slug, shown, content_path, path))

    def scan_assets(self, folder: Path, prefix: str) -> None:
        for entry in self.entries(folder):
            if not self.usable(entry):
                continue
            name = f"{prefix}/{entry.name}"
            if entry.is_dir():
                self.scan_assets(entry, name)
            else:
                self.assets[name] = entry


def _bad_slug_message(kind: Kind, slug: str) -> str:
    if kind.name == "release":
        return (
            f"file name '{slug}{kind.suffix}' is not a valid version: "
            "use letters, digits, '.', '+' and '-', like '2.4.0.md'"
        )
    suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "name"
    return (
        f"file name '{slug}{kind.suffix}' is not a valid slug: use lowercase letters, "
        f"digits and single '-', like '{suggestion}{kind.suffix}'"
    )
