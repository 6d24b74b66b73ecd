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
    headings = [index for index, token in enumerate(tokens) if token.type == "heading_open"]
    ids = number_headings([(_text(tokens[index + 1]), bool(tokens[index].meta.get(INTERNAL))) for index in headings])
    for index, slug in zip(headings, ids, strict=True):
        tokens[index].attrSet("id", slug)


def number_headings(headings: list[tuple[str, bool]]) -> list[str]:
    """The ids of a body's headings, given as (text, inside an internal block), in the same order.
    Headings outside internal blocks are numbered first, so an internal one never renames a public anchor."""
    taken: set[str] = set()
    ids = [""] * len(headings)
    for internal_pass in (False, True):
        for index, (text, internal) in enumerate(headings):
            if internal is internal_pass:
                ids[index] = unique_id(heading_id(text), taken)
    return ids


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
