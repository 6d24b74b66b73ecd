"""The compiled path: markdown-it-pyrs (markdown-it in Rust) for bodies it provably renders as we do.

markdown-it-pyrs renders a typical body many times faster than markdown-it-py, but it runs no
Python rules. So it takes only bodies that need none of ours beyond what a pass over its HTML
can do, and gives back exactly what :class:`~roadmapgen.markdown.parser.BodyParser` would:

- **The gate** (:func:`eligible`, :func:`segments`) sends to the Python parser every body with a
  footnote, a task list or an HTML comment, and every shape where the two engines are known to
  differ: Unicode whitespace, non-ASCII characters next to emphasis markers, a line continuing a
  quote lazily, deep nesting, a fence left open, an escape or entity in an image's alt text.
- **Internal blocks by construction.** A body with ``::: internal`` blocks is taken only when
  each is the plainest kind (exact fence lines at the margin, blank lines outside them, no other
  ``:::``, no link reference definition in the body). It is cut into pieces and each piece
  rendered on its own; the public HTML is put together from the pieces outside the blocks alone,
  so the engine never sees an internal piece when it makes the public HTML's links, assets and
  heading ids.
- **The pass over the HTML** gives headings their ids (the same rule, from the same heading
  text), turns document links into placeholders and asset links into site paths (the same
  decisions, located the same way, by :mod:`~roadmapgen.markdown.rules.content_links`), and
  makes tables and code focusable. Raw HTML is off in both engines, so every tag in the HTML is
  the renderer's own and the pass can read it.
- Anything unexpected (a count that does not match, the engine panicking, which it does on a few
  inputs with an exception outside ``Exception``) falls back to the Python parser.

``scripts/test`` runs a fixed-seed differential suite (tests/test_fast_markdown.py) over corpus
bodies, the CommonMark spec and generated documents, and the leak and non-interference tests
with the fast path forced on. ``ROADMAPGEN_FAST_MARKDOWN=0`` turns it off, ``=force`` uses it for
every body the gate lets through even in tests; the engine's version and :data:`GATE_VERSION`
are part of the build cache's key.
"""

from __future__ import annotations

import importlib
import os
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from roadmapgen.errors import ContentError
from roadmapgen.markdown.body import Body, ParseState
from roadmapgen.markdown.placeholders import LINK_CLOSE, link_open
from roadmapgen.markdown.rules.content_links import Where, resolve_image, resolve_link
from roadmapgen.markdown.rules.focusable import FOCUSABLE_PRE, FOCUSABLE_TABLE
from roadmapgen.markdown.rules.heading_ids import number_headings
from roadmapgen.markdown.rules.internal_blocks import INTERNAL_BLOCK_CLOSE, INTERNAL_BLOCK_OPEN

GATE_VERSION = 4
"""Raised whenever the gate or the pass over the HTML changes: cached bodies are made again."""
ENV = "ROADMAPGEN_FAST_MARKDOWN"

_pyrs: Any
try:  # an optional engine: wheels exist for the common platforms; elsewhere the Python parser does it all
    _pyrs = importlib.import_module("markdown_it_pyrs")
except ImportError:  # pragma: no cover - depends on the platform
    _pyrs = None


def mode() -> str:
    """'off' (ROADMAPGEN_FAST_MARKDOWN=0, or no engine here) or 'on'; part of the cache key.

    Raises:
        RuntimeError: ROADMAPGEN_FAST_MARKDOWN=force (tests, CI) where the engine is not installed.
    """
    setting = os.environ.get(ENV, "").strip().lower()
    if setting in ("0", "off", "false", "no"):
        return "off"
    if _pyrs is None:
        if setting == "force":
            raise RuntimeError(f"{ENV}=force, but markdown-it-pyrs is not installed here")
        return "off"
    return "on"


def engine() -> str:
    return f"markdown-it-pyrs {_pyrs.__version__} gate {GATE_VERSION}" if _pyrs is not None else "none"


_NON_ASCII_SPACE = re.compile(r"[\u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")
_EMPHASIS_NEAR_NON_ASCII = re.compile(r"[^\x00-\x7f][*_]|[*_][^\x00-\x7f]")
_TASK = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\]", re.M)
_QUOTE = re.compile(r"^ {0,3}>")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CONTAINER_PREFIX = re.compile(r"^[ >\-*+.)0-9]*", re.M)
_MAX_PREFIX = 14
_INLINE_NESTERS = re.compile(r"[*_~\[]")
_MAX_INLINE_NESTERS = 36
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
"""markdown-it-py follows 20 levels; these bounds keep a body well inside them."""
_REFERENCE = re.compile(r"^ {0,3}\[[^\n]*\]:", re.M)
"""Anything that may be a link reference definition (the Python parser reports those made inside a block)."""
_DEEP = re.compile(r"^(?:[ \t]*>){6}", re.M)
"""Six quotes on a line; deeper indentation is bounded by the container prefix's length."""
_TAG = re.compile(r'<a href="([^"]*)"((?: title="[^"]*")?)>|</a>|<img src="([^"]*)"|<h([1-6])>')


def eligible(text: str) -> bool:
    """Whether ``text`` is a body the compiled path renders exactly as the Python parser does."""
    return segments(text) is not None


@dataclass(frozen=True)
class Segment:
    """A run of a body's lines: outside every internal block, or one internal block's content."""

    first: int
    """The 0-based body line the segment starts at."""
    text: str
    internal: bool


_OPENER_LINE, _CLOSER_LINE = "::: internal", ":::"


def segments(text: str) -> list[Segment] | None:
    """The body cut at its internal blocks, or None when the Python parser must take it.

    Only the plainest blocks are cut: an exact ``::: internal`` line and an exact ``:::`` line at the
    margin, outside any fence, each with a blank line (or the body's edge) on its outer side, no
    ``:::`` anywhere else and no link reference definition in the body (a definition is
    document-wide, so a cut would move it). Each piece must pass the gate on its own."""
    if "[^" in text or "<!--" in text or "\t" in text or "\r" in text:
        return None
    if _NON_ASCII_SPACE.search(text) or _EMPHASIS_NEAR_NON_ASCII.search(text) or _TASK.search(text):
        return None
    if _DEEP.search(text) or _container_prefix_too_long(text):
        return None
    if any(_paragraph_unsafe(chunk) for chunk in _BLANK_LINE.split(text)):
        return None
    lines = text.split("\n")
    if ":::" not in text:
        return [Segment(0, text, False)] if _quotes_and_fences_plain(lines) else None
    return None if _REFERENCE.search(text) else _cut(lines)


def _container_prefix_too_long(text: str) -> bool:
    """Whether a line's container prefix (indent, ``>``, list markers) may nest blocks near the depth
    markdown-it-py stops at.

    Past it the engines differ (the Python one stops, the compiled one goes on), and very deep
    nesting overflows the compiled engine's stack, which no exception can catch. Every level of
    block nesting takes at least one character of a line's container prefix, so its length bounds
    the depth from above."""
    return max(len(prefix) for prefix in _CONTAINER_PREFIX.findall(text)) > _MAX_PREFIX


def _paragraph_unsafe(chunk: str) -> bool:
    """Whether a paragraph (a run of lines between blank ones) may nest inline markup near that depth
    (every level takes an emphasis, strikethrough or bracket character), or may hold an image whose alt
    text has an escape or an entity (the engine drops those characters from alt). Linear in the text."""
    if len(_INLINE_NESTERS.findall(chunk)) > _MAX_INLINE_NESTERS:
        return True
    return "![" in chunk and ("\\" in chunk or "&" in chunk)


def _cut(lines: list[str]) -> list[Segment] | None:
    pieces: list[Segment] = []
    start, internal, fence = 0, False, None
    for index, line in enumerate(lines):
        fence = _fence_after(line, fence)
        if ":::" not in line:
            continue
        if fence is not None or line != (_CLOSER_LINE if internal else _OPENER_LINE):
            return None
        outer = index + 1 if internal else index - 1
        if 0 <= outer < len(lines) and lines[outer].strip():
            return None
        pieces.append(Segment(start, "\n".join(lines[start:index]) + "\n", internal))
        start, internal = index + 1, not internal
    if internal:
        return None
    pieces.append(Segment(start, "\n".join(lines[start:]), False))
    kept = [piece for piece in pieces if piece.internal or piece.text.strip()]
    if not all(_quotes_and_fences_plain(piece.text.split("\n")) for piece in kept):
        return None
    return kept


def _fence_after(line: str, fence: str | None) -> str | None:
    """The fence open after ``line``, given the one open before it."""
    opened = _FENCE.match(line)
    if fence is None:
        return opened.group(1) if opened else None
    if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) \
            and not line.strip().strip(fence[0]):
        return None
    return fence


def _quotes_and_fences_plain(lines: list[str]) -> bool:
    """No quote continued lazily (a line after a quote line that is neither a quote nor blank), and
    every fence closed."""
    fence: str | None = None
    for index, line in enumerate(lines):
        inside = fence is not None
        fence = _fence_after(line, fence)
        if inside or fence is not None:
            continue
        if _QUOTE.match(line) and index + 1 < len(lines):
            following = lines[index + 1]
            if following.strip() and not _QUOTE.match(following):
                return False
    return fence is None


# CommonMark without raw HTML (the engine's "commonmark" preset turns it on and has no way to turn it off),
# plus the extensions bodies use, as the Python parser is configured.
_RULES = ("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference", "autolink",
          "backticks", "emphasis", "entity", "escape", "image", "link", "newline", "table", "strikethrough")


class FastParser:
    """The compiled engine with the Markdown extensions bodies use (tables, strikethrough)."""

    def __init__(self) -> None:
        assert _pyrs is not None
        self._md = _pyrs.MarkdownIt("zero").enable_many(list(_RULES))

    def parse(self, text: str, *, path: str, content_path: str, first_line: int
              ) -> tuple[Body, list[ContentError]] | None:
        """The body, or None when the Python parser must do it."""
        pieces = segments(text)
        if pieces is None:
            return None
        attempts = [self._render(piece.text) for piece in pieces]
        rendered = [done for done in attempts if done is not None]
        if len(rendered) != len(attempts):
            return None
        content_dir = posixpath.dirname(content_path)
        state = ParseState(content_dir=content_dir, first_line=first_line)
        internal_html = _assemble(pieces, rendered, state, public=False)
        if internal_html is None:
            return None
        links, assets = tuple(state.links), tuple(state.assets)
        if not any(piece.internal for piece in pieces):
            return Body(internal_html, internal_html, links, assets, links, assets), state.located(path)
        public = ParseState(content_dir=content_dir, first_line=first_line)
        public_html = _assemble(pieces, rendered, public, public=True)
        if public_html is None:
            return None
        body = Body(internal_html, public_html, links, assets, tuple(public.links), tuple(public.assets))
        return body, state.located(path)  # problems are the internal parse's, which sees everything

    def _render(self, text: str) -> Rendered | None:
        try:
            return self._md.render(text), _walk(self._md.tree(text))
        except BaseException as exc:  # noqa: BLE001 - the engine panics with a BaseException on some inputs
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            return None


def _assemble(pieces: list[Segment], rendered: list[Rendered], state: ParseState, *, public: bool) -> Markup | None:
    """One audience's HTML from the rendered pieces. The public one leaves internal blocks out whole, so
    its heading ids are numbered among public headings only, as the Python parser's public parse does."""
    shown = [(piece, html, found) for piece, (html, found) in zip(pieces, rendered, strict=True)
             if not (public and piece.internal)]
    headings = [(piece, node) for piece, _, found in shown for kind, node, _ in found if kind == "heading"]
    slugs = iter(number_headings([(_heading_text(node), piece.internal) for piece, node in headings]))
    out: list[str] = []
    for piece, html, found in shown:
        piece_slugs = [next(slugs) for kind, _, _ in found if kind == "heading"]
        rewritten = _rewrite(html, found, piece, state, piece_slugs)
        if rewritten is None:
            return None
        out.append(f"{INTERNAL_BLOCK_OPEN}{rewritten}{INTERNAL_BLOCK_CLOSE}" if piece.internal else rewritten)
    return Markup("".join(out))  # noqa: S704 -- the engine escapes; raw HTML is off


_INLINE_HOLDERS = ("paragraph", "heading", "lheading", "tcell")
_BLOCKS = frozenset({"paragraph", "heading", "lheading", "bullet_list", "ordered_list", "blockquote", "code_block",
                     "fence", "hr", "table", "html_block", "list_item"})
_LINKS = ("link", "autolink")


Span = tuple[int, int]
Found = tuple[str, Any, Span | None]
"""A node the pass over the HTML needs ('heading', 'link', 'autolink', 'image'), with its inline block's span."""
Rendered = tuple[str, list[Found]]
"""A piece's HTML from the engine, and the nodes the pass over it needs."""
_LEAVES = frozenset({"text", "softbreak", "hardbreak", "code_inline", "fence", "code_block", "hr", "definition"})


def _walk(tree: Any) -> list[Found]:
    """The nodes the pass needs, in document order, each with the source span of its inline block."""
    found: list[Found] = []
    stack: list[tuple[Any, Span | None, Span | None]] = [(tree, None, None)]
    while stack:
        node, holder, row = stack.pop()
        name = node.name
        if name in _LEAVES:
            continue
        if name == "trow":
            row = node.srcmap
        if name in _INLINE_HOLDERS:
            holder = row if name == "tcell" and row is not None else node.srcmap
        elif name == "list_item":  # a tight list item holds its paragraph's inline nodes itself
            inline = [child.srcmap for child in node.children if child.name not in _BLOCKS and child.srcmap]
            if inline:
                holder = (min(span[0] for span in inline), max(span[1] for span in inline))
        if name in ("heading", "lheading"):
            found.append(("heading", node, holder))
        elif name in _LINKS or name == "image":
            found.append((name, node, holder))
        stack.extend((child, holder, row) for child in reversed(node.children))
    return found


def _lines(srcmap: Span | None, starts: list[int]) -> Span | None:
    """UTF-8 byte offsets -> [first line, line after the last), as markdown-it-py maps a block."""
    if srcmap is None:
        return None
    begin, end = srcmap
    first = _line_of(begin, starts)
    return first, max(_line_of(max(end - 1, begin), starts) + 1, first + 1)


def _line_of(offset: int, starts: list[int]) -> int:
    low, high = 0, len(starts) - 1
    while low < high:  # the last line start at or before offset
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _heading_text(node: Any) -> str:
    """What the heading rule reads: text, code and escaped or entity characters, not an image's alt."""
    if node.name == "image":
        return ""
    if node.name in ("text", "text_special"):
        return str(node.meta.get("content", ""))
    return "".join(_heading_text(child) for child in node.children)


def _rewrite(html: str, found: list[Found], piece: Segment, state: ParseState, slugs: list[str]) -> str | None:
    """The engine's HTML as the Python parser writes it, or None if the two do not line up."""
    lines = piece.text.split("\n")
    starts = [0]  # the engine's source maps count UTF-8 bytes, not characters
    for source_line in lines[:-1]:
        starts.append(starts[-1] + len(source_line.encode("utf-8")) + 1)
    links = [(node, holder) for kind, node, holder in found if kind in _LINKS]
    images = [(node, holder) for kind, node, holder in found if kind == "image"]
    out: list[str] = []
    position, link_index, image_index, heading_index = 0, 0, 0, 0
    open_doc_link = False
    for match in _TAG.finditer(html):
        out.append(html[position:match.start()])
        position = match.end()
        whole = match.group(0)
        if whole == "</a>":
            out.append(LINK_CLOSE if open_doc_link else whole)
            open_doc_link = False
        elif match.group(4):
            if heading_index >= len(slugs):
                return None
            out.append(f'<h{match.group(4)} id="{escapeHtml(slugs[heading_index])}">')
            heading_index += 1
        elif match.group(3) is not None:
            if image_index >= len(images):
                return None
            node, holder = images[image_index]
            image_index += 1
            url = str(node.meta.get("url", ""))
            line, column = Where(_lines(holder, starts), lines).find(url)
            source = resolve_image(state, url, piece.first + line, column, piece.internal)
            out.append(f'<img src="{escapeHtml(source)}"' if source is not None else whole)
        else:
            if link_index >= len(links):
                return None
            node, holder = links[link_index]
            link_index += 1
            url = str(node.meta.get("url", ""))
            if node.name == "autolink":
                out.append(whole)
                continue
            line, column = Where(_lines(holder, starts), lines).find(url)
            title = str(node.meta.get("title", "") or "")
            outcome = resolve_link(state, url, title, piece.first + line, column, piece.internal)
            if isinstance(outcome, int):
                out.append(link_open(outcome))
                open_doc_link = True
            elif outcome is not None:
                out.append(f'<a href="{escapeHtml(outcome)}"{match.group(2)}>')
            else:
                out.append(whole)
    out.append(html[position:])
    if (heading_index, link_index, image_index) != (len(slugs), len(links), len(images)):
        return None
    rewritten = "".join(out).replace("<table>\n", FOCUSABLE_TABLE).replace("<pre>", FOCUSABLE_PRE)
    # markdown-it-py closes an empty quote on the same line
    return rewritten.replace("<blockquote>\n</blockquote>", "<blockquote></blockquote>")
