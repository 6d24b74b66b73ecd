"""Where each document type lives in the content folder (content format §1)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VERSION = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z.+-]*[0-9A-Za-z+])?")


@dataclass(frozen=True, slots=True)
class Kind:
    """A document type and its place on disk."""

    name: str
    folder: str
    suffix: str
    label: str

    def valid_slug(self, slug: str) -> bool:
        if self.name == "release":
            return VERSION.fullmatch(slug) is not None and ".." not in slug
        return SLUG.fullmatch(slug) is not None


VISION = Kind("vision", "", ".md", "vision")
OBJECTIVE = Kind("objective", "objectives", ".md", "objective")
PERSONA = Kind("persona", "personas", ".md", "persona")
ITEM = Kind("item", "roadmap", ".md", "roadmap item")
RELEASE = Kind("release", "releases", ".md", "release")
FEEDBACK = Kind("feedback", "feedback", ".md", "feedback entry")
METRIC = Kind("metric", "metrics", ".yaml", "metric")

FOLDER_KINDS = {kind.folder: kind for kind in (OBJECTIVE, PERSONA, ITEM, RELEASE, FEEDBACK, METRIC)}
KINDS = {kind.name: kind for kind in (VISION, *FOLDER_KINDS.values())}
ASSETS = "assets"
VISION_FILE = "vision.md"


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


def kind_of_content_path(content_path: str) -> Kind | None:
    """The kind of document a content path names, if it names one at all."""
    if content_path == VISION_FILE:
        return VISION
    folder, _, name = content_path.partition("/")
    kind = FOLDER_KINDS.get(folder)
    if kind is None or "/" in name or not name.endswith(kind.suffix):
        return None
    return kind


def kind_of_key(key: str) -> str:
    """'roadmap/sso' -> 'item'; 'vision' -> 'vision'."""
    folder = key.split("/", 1)[0]
    kind = FOLDER_KINDS.get(folder)
    return kind.name if kind else VISION.name
