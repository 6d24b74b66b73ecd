"""Core rule: relative links and images name content files; record them, check their shape.

``[Priya](../personas/priya.md)`` becomes a link placeholder that each audience resolves
(the target may be internal); ``![shot](../assets/a.png)`` points at the copied asset.
Whether the target exists is checked later, when all documents are known.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, unquote, urlsplit

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from roadmapgen.kinds.source import ASSETS, kind_of_content_path
from roadmapgen.markdown.body import STATE_KEY, AssetUse, BodyLink, ParseState
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.markdown.rules.internal_blocks import INTERNAL

DOC_LINK = "doc_link"
"""``token.meta`` key: index into the body's links, on a link_open and its link_close."""


def record_content_links(state: StateCore) -> None:
    parse: ParseState = state.env[STATE_KEY]
    lines = state.src.split("\n")
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        where = Where(block.map, lines)
        children = block.children
        for index, child in enumerate(children):
            if child.type == "link_open":
                _link(parse, child, _closing(children, index), where, block.meta.get(INTERNAL, False))
            elif child.type == "image":
                _image(parse, child, where, block.meta.get(INTERNAL, False))


class Where:
    """Finds the line and column of a URL inside an inline block's source lines."""

    def __init__(self, block_map: tuple[int, int] | list[int] | None, lines: list[str]) -> None:
        self.first, self.last = block_map or (0, 1)
        self.lines = lines

    def find(self, url: str) -> tuple[int, int]:
        for candidate in (url, unquote(url)):
            for line_no in range(self.first, min(self.last, len(self.lines))):
                column = self.lines[line_no].find(candidate)
                if column >= 0:
                    return line_no, column + 1
        return self.first, 1


def _relative_target(parse: ParseState, url: str, line: int, column: int) -> tuple[str, str] | None:
    """('personas/priya.md', '#goals') for a relative URL; None for others or on error."""
    parts = urlsplit(url)
    if url.startswith("/") and not url.startswith("//"):
        parse.warn(line, column, f"'{unquote(url)}' starts with '/': it breaks when the site is served under a path "
                                 "(GitHub Pages, a subfolder); link to the file, relative to this one")
        return None
    if parts.scheme or parts.netloc or url.startswith("#") or not parts.path:
        return None
    if parts.query:
        parse.error(line, column, f"links to content files cannot have a query ('?{parts.query}')")
        return None
    target = posixpath.normpath(posixpath.join(parse.content_dir, unquote(parts.path)))
    if target == ".." or target.startswith("../") or target == ".":
        parse.error(line, column, f"link '{unquote(url)}' leads outside the content folder")
        return None
    return target, f"#{parts.fragment}" if parts.fragment else ""


def _link(parse: ParseState, token: Token, closing: Token | None, where: Where, internal: bool) -> None:
    url = str(token.attrGet("href") or "")
    line, column = where.find(url)
    outcome = resolve_link(parse, url, str(token.attrGet("title") or ""), line, column, internal)
    if isinstance(outcome, int):
        token.meta[DOC_LINK] = outcome
        if closing is not None:
            closing.meta[DOC_LINK] = outcome
    elif outcome is not None:
        token.attrSet("href", outcome)


def resolve_link(parse: ParseState, url: str, title: str, line: int, column: int, internal: bool) -> int | str | None:
    """What a link at ``line``/``column`` of the body becomes: the index of a document link (recorded in
    ``parse``), an asset's new href, or None (left as written, or an error recorded)."""
    found = _relative_target(parse, url, line, column)
    if found is None:
        return None
    target, fragment = found
    if kind_of_content_path(target) is not None:
        parse.links.append(BodyLink(target, fragment, title, parse.line(line), column, internal))
        return len(parse.links) - 1
    if target.startswith(f"{ASSETS}/"):
        parse.assets.append(AssetUse(target, parse.line(line), column, internal))
        return ROOT + quote(target) + fragment
    parse.error(line, column, f"link '{unquote(url)}' names neither a content document nor a file under assets/"
                              f"{_did_you_mean_document(url, target)}")
    return None


def _image(parse: ParseState, token: Token, where: Where, internal: bool) -> None:
    url = str(token.attrGet("src") or "")
    line, column = where.find(url)
    source = resolve_image(parse, url, line, column, internal)
    if source is not None:
        token.attrSet("src", source)


def resolve_image(parse: ParseState, url: str, line: int, column: int, internal: bool) -> str | None:
    """An image's new src (an asset, recorded in ``parse``), or None (left as written, or an error recorded)."""
    found = _relative_target(parse, url, line, column)
    if found is None:
        return None
    target, _fragment = found
    if not target.startswith(f"{ASSETS}/"):
        parse.error(line, column, f"image '{unquote(url)}' must be a file under assets/")
        return None
    parse.assets.append(AssetUse(target, parse.line(line), column, internal))
    return ROOT + quote(target)


def _did_you_mean_document(url: str, target: str) -> str:
    """'; did you mean '../personas/priya.md'?' when the link lacks only a document's suffix."""
    for suffix in (".md", ".yaml"):
        if kind_of_content_path(target + suffix) is not None:
            path, _, rest = url.partition("#")
            return f"; did you mean '{path.rstrip('/')}{suffix}{'#' + rest if rest else ''}'?"
    return ""


def _closing(children: list[Token], start: int) -> Token | None:
    """The link_close of the link_open at ``start`` (links cannot nest in CommonMark)."""
    for child in children[start + 1 :]:
        if child.type == "link_close":
            return child
    return None
