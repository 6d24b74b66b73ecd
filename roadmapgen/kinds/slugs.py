"""Slugs and versions: what a document's file name may be, and how text becomes one.

The one place these patterns are written; file discovery, the models' reference fields,
their JSON Schema, ``new``, ``import`` and tag pages all use them from here.
"""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
"""Lowercase ASCII words joined by single '-': a document's file name without its suffix."""
VERSION_PATTERN = r"[0-9A-Za-z](?:[0-9A-Za-z.+-]*[0-9A-Za-z+])?"
"""A release's file name: letters, digits, '.', '+' and '-', starting with a letter or digit."""
MAX_SLUG = 80
"""File names made from text stay short enough for every file system and URL."""

_SLUG = re.compile(SLUG_PATTERN)
_VERSION = re.compile(VERSION_PATTERN)


def is_slug(text: str) -> bool:
    return _SLUG.fullmatch(text) is not None


def is_version(text: str) -> bool:
    return _VERSION.fullmatch(text) is not None and ".." not in text


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-': 'Überweisung & SSO!' -> 'uberweisung-sso'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def shortened(slug: str, limit: int = MAX_SLUG) -> str:
    """``slug`` cut to ``limit`` characters, at a word boundary where there is one."""
    if len(slug) <= limit:
        return slug
    cut = slug[: limit + 1].rsplit("-", 1)[0]
    return cut if cut else slug[:limit].strip("-")
