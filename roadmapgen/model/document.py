"""A validated document: its source file, typed front matter, positions and parsed body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from roadmapgen.kinds.fields import FrontMatter
from roadmapgen.kinds.source import SourceFile
from roadmapgen.markdown.body import Body
from roadmapgen.places import KeyPath, Place


@dataclass(frozen=True, slots=True, eq=False)
class Document:
    source: SourceFile
    fields: FrontMatter
    """Its front matter: the model of its kind (:attr:`roadmapgen.kinds.registry.Kind.model`)."""
    places: Mapping[KeyPath, Place]
    body: Body | None
    digest: str
    """Hash of the file's bytes and path: what caches and incremental rebuilds key on."""
    meta_digest: str
    """Hash of the path and the front matter alone: what pages listing the document depend on."""
    key: str = field(init=False)
    kind: str = field(init=False)
    slug: str = field(init=False)

    def __post_init__(self) -> None:
        # Plain attributes rather than properties: projection reads them a million times.
        object.__setattr__(self, "key", self.source.key)
        object.__setattr__(self, "kind", self.source.kind)
        object.__setattr__(self, "slug", self.source.slug)

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def is_public(self) -> bool:
        return getattr(self.fields, "visibility", "internal") == "public"

    def value_place(self, *key_path: str | int) -> tuple[int, int]:
        """Line and column of the value at ``key_path`` (or of the nearest enclosing key)."""
        for end in range(len(key_path), -1, -1):
            place = self.places.get(key_path[:end])
            if place is not None:
                return place.value_line, place.value_column
        return 1, 1
