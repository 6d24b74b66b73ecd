"""Block rule for ``::: internal``: where a block starts and ends follows CommonMark's own structure.

The block's content is parsed by the ordinary block parser, so a fenced code block, an
indented one or a list inside it keeps its own lines: a ``:::`` line inside a fence is
code, not the end of the block. The block ends at a ``:::`` line that belongs to the
block itself (not to a list item or quote inside it), or with the container holding it.

Two forms of the rule (:func:`internal_block_plugin`):

- ``keep=True`` (the internal parse) emits the block's tokens between
  ``internal_block_open`` and ``internal_block_close``;
- ``keep=False`` (the public parse) consumes the same lines into a scratch token list
  and a scratch ``env``: link reference and footnote definitions inside the block go
  nowhere, no token of it exists, so the public HTML is made from a parse in which the
  block never existed. Only the block's extent — which lines are its own — is shared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.parser_block import RuleFuncBlockType
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from roadmapgen.errors import did_you_mean
from roadmapgen.markdown.body import STATE_KEY, ParseState
from roadmapgen.markdown.placeholders import INTERNAL_LABEL

INTERNAL = "internal"
"""``token.meta`` key set on every token inside an internal block (and on its fences)."""
BLOCK_NAME = "internal"
OPEN, CLOSE = "internal_block_open", "internal_block_close"
INTERNAL_BLOCK_OPEN = f'<div class="internal-block" role="note">\n<p class="internal-label">{INTERNAL_LABEL}</p>\n'
INTERNAL_BLOCK_CLOSE = "</div>\n"

_FRAMES = "roadmapgen_internal_frames"
"""``env`` key: the internal blocks open at this point of the block parse, innermost last."""
_OPENER = re.compile(r"(:{3,})[ \t]*(\S*)")
_CLOSER = re.compile(r"(:{3,})[ \t]*")
_FENCE_LINE = re.compile(r"^ {0,3}(:{3,})\s*(\S*)")
_TERMINATES = ["paragraph", "reference", "blockquote", "list"]


@dataclass
class _Frame:
    markers: int
    """Length of the opening ':::' run; the closing run is at least as long."""
    level: int
    """Token nesting level of the block's own content."""
    indent: int
    """The block's indent (``blkIndent`` where it opened)."""
    closed_at: int | None = None


def internal_block_plugin(md: MarkdownIt, *, keep: bool) -> None:
    """Add ``::: internal`` blocks to ``md``; ``keep`` says whether their content is output."""
    md.block.ruler.before("fence", "rg_internal_close", _close, {"alt": _TERMINATES})
    md.block.ruler.before("fence", "rg_internal_open", _open_kept if keep else _open_dropped, {"alt": _TERMINATES})
    if keep:
        reference = next(rule for rule in md.block.ruler.__rules__ if rule.name == "reference")
        md.block.ruler.at("reference", _refusing_inside(reference.fn), {"alt": reference.alt})


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]: state.eMarks[line]]


def _opener(state: StateBlock, line: int) -> int | None:
    """The length of the ':::' run if ``line`` opens an internal block."""
    if state.is_code_block(line):
        return None
    match = _OPENER.match(_line_text(state, line))
    if match is None or match.group(2) != BLOCK_NAME:
        return None
    return len(match.group(1))


def _frames(state: StateBlock) -> list[_Frame]:
    frames: list[_Frame] = state.env.setdefault(_FRAMES, [])
    return frames


def _close(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A ':::' line ends the innermost open block if it belongs to that block, not to a container in it."""
    frames = _frames(state)
    if not frames:
        return False
    frame = frames[-1]
    indent = state.sCount[start_line]
    if not frame.indent <= indent < frame.indent + 4:
        return False
    # As a terminator (silent), any such line ends what is open in the block: a paragraph, a table, a
    # list item it is outdented from. Taking the line as the block's end needs the block's own level.
    if not silent and state.level != frame.level:
        return False
    match = _CLOSER.fullmatch(_line_text(state, start_line))
    if match is None or len(match.group(1)) < frame.markers:
        return False
    if not silent:
        frame.closed_at = start_line
        state.line = end_line  # ends the block's own tokenize loop; _consume continues after the closing line
    return True


def _consume(state: StateBlock, start_line: int, end_line: int, markers: int) -> int | None:
    """Parse the block's lines as blocks of their own; return the closing line, if there is one."""
    frame = _Frame(markers, state.level, state.blkIndent)
    frames = _frames(state)
    frames.append(frame)
    parent = state.parentType
    state.parentType = "internal"
    try:
        state.md.block.tokenize(state, start_line + 1, end_line)
    finally:
        frames.pop()
        state.parentType = parent
    if frame.closed_at is not None:
        state.line = frame.closed_at + 1
    return frame.closed_at


def _open_kept(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    markers = _opener(state, start_line)
    if markers is None:
        return False
    if silent:
        return True
    opening = state.push(OPEN, "div", 1)
    opening.markup, opening.block, opening.map = ":" * markers, True, [start_line, start_line + 1]
    closed_at = _consume(state, start_line, end_line, markers)
    closing = state.push(CLOSE, "div", -1)
    closing.markup, closing.block = (":" * markers if closed_at is not None else ""), True
    opening.map = [start_line, state.line]
    return True


def _open_dropped(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    markers = _opener(state, start_line)
    if markers is None:
        return False
    if silent:
        return True
    env, kept = state.env, len(state.tokens)
    state.env = {_FRAMES: _frames(state)}
    try:
        _consume(state, start_line, end_line, markers)
    finally:
        state.env = env
        del state.tokens[kept:]
    return True


def _refusing_inside(reference: RuleFuncBlockType) -> RuleFuncBlockType:
    """The reference-definition rule, reporting definitions made inside an internal block.

    A definition is document-wide: one made inside a block would shape links outside it.
    The public parse never sees it; the error tells the writer their link will not work there."""

    def rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        matched = reference(state, start_line, end_line, silent)
        if matched and not silent and _frames(state) and STATE_KEY in state.env:
            parse: ParseState = state.env[STATE_KEY]
            parse.error(
                start_line, 1, "link reference definitions cannot be inside '::: internal'; write the link in place"
            )
        return matched

    return rule


def mark_internal_blocks(state: StateCore) -> None:
    """After block parsing: flag every token inside an internal block; warn of blocks never closed."""
    parse: ParseState = state.env[STATE_KEY]
    open_blocks: list[Token] = []
    for token in state.tokens:
        if token.type == OPEN:
            open_blocks.append(token)
        if open_blocks:
            token.meta[INTERNAL] = True
        if token.type == CLOSE:
            opener = open_blocks.pop()
            if not token.markup:
                parse.warn(_line(opener), 1, "'::: internal' is never closed; it runs to the end of the document")
        elif open_blocks and token.type == "footnote_reference_open":
            parse.error(
                _line(token), 1, "footnotes cannot be defined inside '::: internal'; write the note in the block itself"
            )


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
        if token.type != "inline" or not token.meta.get(INTERNAL):
            continue
        if any(child.type == "footnote_ref" for child in token.children or ()):
            parse.error(_line(token), 1, "footnote references cannot be used inside '::: internal'")


def _line(token: Token) -> int:
    return token.map[0] if token.map else 0
