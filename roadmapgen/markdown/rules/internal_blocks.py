"""Core rules for ``::: internal`` blocks: mark their tokens so the public render drops them.

The marks are set on the token stream of the one parse both audiences share. Some
Markdown reaches outside its block: footnote and link reference definitions are
document-wide, so inside an internal block they would carry internal text into the
public page; they are refused there. A ``:::`` line that opens no block (a typo such as
``::: internl``) would publish its text, so it is an error too.
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from roadmapgen.errors import did_you_mean
from roadmapgen.markdown.body import STATE_KEY, ParseState

INTERNAL = "internal"
"""``token.meta`` key set on every token inside an internal block (and on its fences)."""
BLOCK_NAME = "internal"

_FENCE_LINE = re.compile(r"^ {0,3}(:{3,})\s*(\S*)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*\S")
_CODE_TYPES = ("fence", "code_block")


def mark_internal_blocks(state: StateCore) -> None:
    """After block parsing: flag internal tokens; refuse definitions inside internal blocks."""
    parse: ParseState = state.env[STATE_KEY]
    open_blocks: list[Token] = []
    for token in state.tokens:
        if token.type == "container_internal_open":
            open_blocks.append(token)
        if open_blocks:
            token.meta[INTERNAL] = True
        if token.type == "container_internal_close":
            opener = open_blocks.pop()
            if not token.markup:
                parse.warn(_line(opener), 1, "'::: internal' is never closed; it runs to the end of the document")
            if not open_blocks:
                _refuse_definitions(state, opener, parse)
        elif open_blocks and token.type == "footnote_reference_open":
            parse.error(_line(token), 1, "footnotes cannot be defined inside '::: internal'; write the note in the block itself")


def _refuse_definitions(state: StateCore, opener: Token, parse: ParseState) -> None:
    if opener.map is None:
        return
    first, last = opener.map
    code_lines = {
        line
        for token in state.tokens
        if token.type in _CODE_TYPES and token.map and first <= token.map[0] < last
        for line in range(*token.map)
    }
    lines = state.src.split("\n")
    for line_no in range(first + 1, min(last, len(lines))):
        if line_no not in code_lines and _REFERENCE_DEFINITION.match(lines[line_no]):
            parse.error(line_no, 1, "link reference definitions cannot be inside '::: internal'; write the link in place")


def refuse_stray_fences(state: StateCore) -> None:
    """After inline parsing: a ':::' line left in a paragraph opened no known block."""
    parse: ParseState = state.env[STATE_KEY]
    for token in state.tokens:
        if token.type != "inline" or ":::" not in token.content:
            continue
        for offset, text in enumerate(token.content.split("\n")):
            match = _FENCE_LINE.match(text)
            if match is None:
                continue
            name = match.group(2)
            if name:
                hint = did_you_mean(name.lower(), [BLOCK_NAME]) if name != BLOCK_NAME else ""
                message = f"unknown block '{match.group(1)} {name}'; the only block is '::: internal'{hint}"
            else:
                message = f"'{match.group(1)}' closes no '::: internal' block"
            parse.error(_line(token) + offset, 1, message)


def refuse_internal_footnote_refs(state: StateCore) -> None:
    """After inline parsing: a footnote reference inside an internal block."""
    parse: ParseState = state.env[STATE_KEY]
    for token in state.tokens:
        if token.type == "inline" and token.meta.get(INTERNAL) and token.children:
            if any(child.type == "footnote_ref" for child in token.children):
                parse.error(_line(token), 1, "footnote references cannot be used inside '::: internal'")


def _line(token: Token) -> int:
    return token.map[0] if token.map else 0
