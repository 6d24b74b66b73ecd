"""Markdown body -> :class:`Body`: the internal HTML, and the public HTML from its own parse.

CommonMark with tables, strikethrough, task lists and footnotes; raw HTML is escaped
(shown as text), never passed through; markdown-it's link validation keeps
``javascript:`` and similar URLs out. A body without ``::: internal`` blocks is parsed
once and serves both sites. A body with them is parsed a second time by a parser whose
internal-block rule discards the block, its tokens and its definitions: nothing inside
a block can shape the public HTML, whatever Markdown it holds.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from roadmapgen.errors import ContentError
from roadmapgen.markdown.body import STATE_KEY, Body, ParseState
from roadmapgen.markdown.fast import FastParser
from roadmapgen.markdown.fast import mode as fast_mode
from roadmapgen.markdown.placeholders import LINK_CLOSE, link_open
from roadmapgen.markdown.rules.content_links import DOC_LINK, record_content_links
from roadmapgen.markdown.rules.focusable import make_focusable
from roadmapgen.markdown.rules.heading_ids import assign_heading_ids
from roadmapgen.markdown.rules.html_comments import refuse_html_comments
from roadmapgen.markdown.rules.internal_blocks import (
    CLOSE,
    INTERNAL_BLOCK_CLOSE,
    INTERNAL_BLOCK_OPEN,
    OPEN,
    internal_block_plugin,
    mark_internal_blocks,
    refuse_internal_footnote_refs,
    refuse_stray_fences,
)
from roadmapgen.markdown.rules.nesting import warn_deep_nesting


class BodyParser:
    """Parses bodies; one instance per process, reused for every document."""

    def __init__(self) -> None:
        self._md = make_markdown(keep_internal=True)
        self._public_md = make_markdown(keep_internal=False)
        self._fast = FastParser() if fast_mode() == "on" else None

    def parse(self, text: str, *, path: str, content_path: str, first_line: int) -> tuple[Body, list[ContentError]]:
        """Parse ``text``, the body of ``path`` starting at ``first_line`` of the file: by the compiled
        engine when it provably renders it as we do (see :mod:`roadmapgen.markdown.fast`), else here.

        Problems are those of the internal parse, which sees everything."""
        if self._fast is not None:  # it runs the gate itself, and says None to what it does not take
            done = self._fast.parse(text, path=path, content_path=content_path, first_line=first_line)
            if done is not None:
                return done
        return self.parse_in_python(text, path=path, content_path=content_path, first_line=first_line)

    def parse_in_python(self, text: str, *, path: str, content_path: str, first_line: int
                        ) -> tuple[Body, list[ContentError]]:
        """:meth:`parse` by markdown-it-py and roadmapgen's rules, whatever the body."""
        state = ParseState(content_dir=posixpath.dirname(content_path), first_line=first_line)
        internal_html, tokens = self._parse(self._md, text, state)
        links, assets = tuple(state.links), tuple(state.assets)
        if not any(token.type == OPEN for token in tokens):
            return Body(internal_html, internal_html, links, assets, links, assets), state.located(path)
        public = ParseState(content_dir=state.content_dir, first_line=first_line)
        public_html, _ = self._parse(self._public_md, text, public)
        body = Body(internal_html, public_html, links, assets, tuple(public.links), tuple(public.assets))
        return body, state.located(path)

    @staticmethod
    def _parse(md: MarkdownIt, text: str, state: ParseState) -> tuple[Markup, list[Token]]:
        env: dict[str, Any] = {STATE_KEY: state}
        tokens = md.parse(text, env)
        # Markup once, here: wrapping later would copy every body into every view.
        return Markup(md.renderer.render(tokens, md.options, env)), tokens  # noqa: S704 -- the renderer escapes; html is off


def make_markdown(*, keep_internal: bool) -> MarkdownIt:
    """The body parser; ``keep_internal=False`` makes the public one, which drops internal blocks whole."""
    md = (
        MarkdownIt("commonmark", {"html": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin, label=True)  # each checkbox inside a <label>: named for screen readers
        .use(internal_block_plugin, keep=keep_internal)
    )
    md.add_render_rule(OPEN, _render_internal_block)
    md.add_render_rule(CLOSE, _render_internal_block)
    md.core.ruler.after("block", "rg_internal_blocks", mark_internal_blocks)
    md.core.ruler.after("block", "rg_deep_nesting", warn_deep_nesting)
    md.core.ruler.after("inline", "rg_stray_fences", refuse_stray_fences)
    md.core.ruler.after("inline", "rg_internal_footnote_refs", refuse_internal_footnote_refs)
    md.core.ruler.after("inline", "rg_html_comments", refuse_html_comments)
    md.core.ruler.after("inline", "rg_content_links", record_content_links)
    md.core.ruler.after("inline", "rg_heading_ids", assign_heading_ids)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    make_focusable(md)
    return md


def _render_internal_block(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return INTERNAL_BLOCK_OPEN if tokens[idx].nesting == 1 else INTERNAL_BLOCK_CLOSE


def _render_link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    index = tokens[idx].meta.get(DOC_LINK)
    return link_open(index) if index is not None else self.renderToken(tokens, idx, options, env)


def _render_link_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    if tokens[idx].meta.get(DOC_LINK) is not None:
        return LINK_CLOSE
    return self.renderToken(tokens, idx, options, env)
