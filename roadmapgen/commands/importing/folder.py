"""content/feedback/ as an import writes into it: new files only, free names in linear time."""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from roadmapgen.errors import ContentError
from roadmapgen.kinds.registry import KINDS
from roadmapgen.load.discover import ProjectFiles, is_ignored


@dataclass
class FeedbackFolder:
    """content/feedback/, with the names taken in it: a free name costs one look-up, however many rows share
    a stem, and an existing file is never touched."""

    path: Path
    taken: set[str]
    next_number: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, content_dir: Path, files: ProjectFiles, *, create: bool = True) -> FeedbackFolder | ContentError:
        """The folder (made when ``create``), or why an import cannot write into it."""
        folder = content_dir / KINDS["feedback"].folder
        shown = posixpath.join(files.content_shown, KINDS["feedback"].folder)
        if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(content_dir.resolve())):
            return ContentError(shown, 1, 1, "is a symbolic link: import writes only into a real feedback folder "
                                             "inside the content folder")
        if folder.exists() and not folder.is_dir():
            return ContentError(shown, 1, 1, "is a file, not a folder: feedback documents go in a folder of "
                                             "that name; move the file away first")
        try:
            if create:
                folder.mkdir(parents=True, exist_ok=True)
            taken = {name for name in os.listdir(folder) if not is_ignored(name)} if folder.exists() else set()
        except OSError as exc:
            return ContentError(shown, 1, 1, f"cannot use the feedback folder: {exc.strerror}")
        return cls(folder, taken)

    def free_name(self, stem: str) -> str:
        number = self.next_number.get(stem, 1)
        while (name := f"{stem}.md" if number == 1 else f"{stem}-{number}.md") in self.taken:
            number += 1
        self.next_number[stem] = number + 1
        return name

    def claim(self, name: str) -> None:
        """Count ``name`` as taken without writing it (a dry run)."""
        self.taken.add(name)

    def write(self, name: str, data: bytes) -> str | None:
        """Write a new file; an error message if it cannot be (it never replaces one)."""
        self.taken.add(name)
        try:
            with open(self.path / name, "xb") as file:
                file.write(data)
        except OSError as exc:
            return f"cannot write {name}: {exc.strerror}"
        return None
