"""Tags: one page per tag at tags/<slug>/, and an index at tags/.

Tags are free text in front matter; their pages are named by a slug of the text. Tags whose
slugs collide ('Self service', 'self-service') share one page, titled by the first spelling
in display order. Made from the site's own documents, so the public site's tags are those of
public items.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from roadmapgen.registry import slugify


@dataclass(frozen=True, slots=True)
class Tag:
    slug: str
    label: str
    keys: tuple[str, ...]
    """Items carrying it, in display order."""


def tag_slug(tag: str) -> str:
    """'Self service' -> 'self-service'; text without letters or digits keeps a stable name of its own."""
    return slugify(tag) or "tag-" + hashlib.blake2b(tag.encode(), digest_size=4).hexdigest()


def tag_index(tagged: list[tuple[str, tuple[str, ...]]]) -> tuple[Tag, ...]:
    """(item key, its tags) in display order -> every tag with its items, by slug."""
    labels: dict[str, str] = {}
    keys: dict[str, list[str]] = {}
    for key, tags in tagged:
        for tag in tags:
            slug = tag_slug(tag)
            labels.setdefault(slug, tag)
            if key not in keys.setdefault(slug, []):
                keys[slug].append(key)
    return tuple(Tag(slug, labels[slug], tuple(keys[slug])) for slug in sorted(labels))
