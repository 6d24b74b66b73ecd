"""Tags: one page per tag at tags/<slug>/, and an index at tags/.

Tags are free text in front matter; their pages are named by a slug of the text. Tags whose
slugs collide ('Self service', 'self-service') share one page, titled by the spelling of the
first item (in key order) carrying it. Made from the site's own documents, so the public
site's tags are those of public items.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from roadmapgen.kinds.slugs import slugify


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    label: str
    """The spelling of the item first in key order carrying it."""
    keys: frozenset[str]
    """Items carrying it; pages list them in the site's display order."""


@functools.lru_cache(maxsize=4096)
def tag_slug(tag: str) -> str:
    """'Self service' -> 'self-service'; text without letters or digits keeps a stable name of its own."""
    return slugify(tag) or "tag-" + hashlib.blake2b(tag.encode(), digest_size=4).hexdigest()


TagsOf = Callable[[str], "tuple[str, ...] | None"]
"""An item key -> its tags, or None if the site does not show it."""


class TagIndex:
    """Which items carry which tag. A live preview keeps one and updates it with the documents that
    changed, so an edit does not walk every item of a large project again."""

    def __init__(self) -> None:
        self._carriers: dict[str, dict[str, str]] = {}
        """slug -> {item key: the item's spelling of the tag}"""
        self._tags_of_key: dict[str, tuple[str, ...]] = {}
        self._tags: tuple[Tag, ...] | None = None

    @property
    def ready(self) -> bool:
        """Whether it was built, so that it can be updated."""
        return self._tags is not None

    def build(self, keys: Iterable[str], tags_of: TagsOf) -> tuple[Tag, ...]:
        self._carriers, self._tags_of_key = {}, {}
        for key in keys:
            self._add(key, tags_of(key) or ())
        return self._made()

    def update(self, changed: Iterable[str], tags_of: TagsOf) -> tuple[Tag, ...]:
        """The index after the documents ``changed`` changed (appeared, went, or were edited)."""
        touched = False
        for key in changed:
            tags = tags_of(key) or ()
            if tags == self._tags_of_key.get(key, ()):
                continue
            self._remove(key)
            self._add(key, tags)
            touched = True
        return self._made() if touched or self._tags is None else self._tags

    def _add(self, key: str, tags: tuple[str, ...]) -> None:
        for tag in tags:
            self._carriers.setdefault(tag_slug(tag), {}).setdefault(key, tag)
        if tags:
            self._tags_of_key[key] = tags

    def _remove(self, key: str) -> None:
        for tag in self._tags_of_key.pop(key, ()):
            slug = tag_slug(tag)
            carriers = self._carriers.get(slug, {})
            carriers.pop(key, None)
            if not carriers:
                self._carriers.pop(slug, None)

    def _made(self) -> tuple[Tag, ...]:
        self._tags = tuple(Tag(slug, carriers[min(carriers)], frozenset(carriers))
                           for slug, carriers in sorted(self._carriers.items()))
        return self._tags
