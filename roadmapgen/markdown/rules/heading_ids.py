"""Core rule: give every heading an id, so readers can link to a section.

Written here rather than with mdit-py-plugins' anchors plugin because ids must not
depend on internal text: headings outside ``::: internal`` blocks are numbered first,
so adding an internal heading never renames a public anchor.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from roadmapgen.markdown.rules.internal_blocks import INTERNAL

_NOT_WORD = re.compile(r"[^\w\- ]+")
_SPACES = re.compile(r"[\s-]+")
# The theme's own element ids start with "rg-", and footnotes take "fn1", "fnref1" and "fnref1:1";
# headings must not shadow them.
_RESERVED_PREFIX = "rg-"
_FOOTNOTE_ID = re.compile(r"fn(ref)?\d+(:\d+)?")


def assign_heading_ids(state: StateCore) -> None:
    tokens = state.tokens
    headings = [(i, tokens[i + 1]) for i, token in enumerate(tokens) if token.type == "heading_open"]
    taken: set[str] = set()
    for internal_pass in (False, True):
        for index, inline in headings:
            heading = tokens[index]
            if bool(heading.meta.get(INTERNAL)) is internal_pass:
                heading.attrSet("id", unique_id(heading_id(_text(inline)), taken))


def heading_id(text: str) -> str:
    """A heading's anchor: its words, lowercase, joined by '-' (other scripts kept, as GitHub does)."""
    slug = _SPACES.sub("-", _NOT_WORD.sub("", text.lower()).strip()).strip("-")
    if slug.startswith(_RESERVED_PREFIX) or _FOOTNOTE_ID.fullmatch(slug):
        slug = "h-" + slug
    return slug or "section"


def unique_id(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 1
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


_TEXT_TOKENS = ("text", "code_inline", "text_special")
"""What a heading reads as: its text, code, and escaped or entity characters (``snake\\_case``, ``Caf&eacute;``:
markdown-it joins those into the text only after this rule runs)."""


def _text(inline: Token) -> str:
    return "".join(child.content for child in inline.children or () if child.type in _TEXT_TOKENS)
