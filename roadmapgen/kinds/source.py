"""Where each document type lives in the content folder (content format §1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from roadmapgen.kinds.registry import FILE_KINDS, FOLDER_KINDS, KINDS, Kind

ASSETS = "assets"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One document file found in the content folder."""

    kind: str
    slug: str
    path: str
    """Relative to the project, with '/' separators; what messages show."""
    content_path: str
    """Relative to the content folder, e.g. 'roadmap/sso.md'; what Markdown links name."""
    absolute: Path
    key: str = field(init=False)
    """The document's identity: its content path without the suffix, e.g. 'roadmap/sso'."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", document_key(self.content_path))


def document_key(content_path: str) -> str:
    return content_path.rsplit(".", 1)[0]


def key_of(kind: str, slug: str) -> str:
    """The key of the document of ``kind`` named ``slug``: 'item', 'sso' -> 'roadmap/sso'."""
    found = KINDS[kind]
    return document_key(found.file) if found.file is not None else f"{found.folder}/{slug}"


def kind_of_content_path(content_path: str) -> Kind | None:
    """The kind of document a content path names, if it names one at all."""
    if content_path in FILE_KINDS:
        return FILE_KINDS[content_path]
    folder, _, name = content_path.partition("/")
    kind = FOLDER_KINDS.get(folder)
    if kind is None or "/" in name or not name.endswith(kind.suffix):
        return None
    return kind


def kind_of_key(key: str) -> str:
    """'roadmap/sso' -> 'item'; 'vision' -> 'vision'."""
    folder, slash, _ = key.partition("/")
    if slash:
        return FOLDER_KINDS[folder].name
    return next(kind.name for file, kind in FILE_KINDS.items() if document_key(file) == key)
