"""Markdown body -> :class:`Body`: one parse, then one render per audience.

CommonMark with tables, strikethrough, task lists and footnotes; raw HTML is escaped
(shown as text), never passed through; markdown-it's link validation keeps
``javascript:`` and similar URLs out. The public render is the same token stream
minus the tokens of ``::: internal`` blocks.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from markupsafe import Markup
from mdit_py_plugins.tasklists import tasklists_plugin

from roadmapgen.errors import ContentError
from roadmapgen.markdown.body import STATE_KEY, Body, ParseState
from roadmapgen.markdown.placeholders import LINK_CLOSE, link_open
from roadmapgen.markdown.rules.content_links import DOC_LINK, record_content_links
from roadmapgen.markdown.rules.heading_ids import assign_heading_ids
from roadmapgen.markdown.rules.html_comments import refuse_html_comments
from roadmapgen.markdown.rules.internal_blocks import (
    BLOCK_NAME,
    INTERNAL,
    mark_internal_blocks,
    refuse_internal_footnote_refs,
    refuse_stray_fences,
)

INTERNAL_BLOCK_OPEN = '<div class="internal-block" role="note">\n<p class="internal-label">Internal</p>\n'
INTERNAL_BLOCK_CLOSE = "</div>\n"


class BodyParser:
    """Parses bodies; one instance per process, reused for every document."""

    def __init__(self) -> None:
        self._md = make_markdown()

    def parse(self, text: str, *, path: str, content_path: str, first_line: int) -> tuple[Body, list[ContentError]]:
        """Parse ``text``, the body of ``path`` starting at ``first_line`` of the file."""
        state = ParseState(content_dir=posixpath.dirname(content_path), first_line=first_line)
        env: dict[str, Any] = {STATE_KEY: state}
        tokens = self._md.parse(text, env)
        internal_html = self._render(tokens, env)
        public_tokens = [token for token in tokens if not token.meta.get(INTERNAL)]
        public_html = internal_html if len(public_tokens) == len(tokens) else self._render(public_tokens, env)
        body = Body(internal_html, public_html, tuple(state.links), tuple(state.assets))
        return body, state.located(path)

    def _render(self, tokens: Sequence[Token], env: EnvType) -> Markup:
        # Markup once, here: wrapping later would copy every body into every view.
        return Markup(self._md.renderer.render(tokens, self._md.options, env))


def make_markdown() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin)
        .use(container_plugin, name=BLOCK_NAME, render=_render_internal_block)
    )
    md.core.ruler.after("block", "rg_internal_blocks", mark_internal_blocks)
    md.core.ruler.after("inline", "rg_stray_fences", refuse_stray_fences)
    md.core.ruler.after("inline", "rg_internal_footnote_refs", refuse_internal_footnote_refs)
    md.core.ruler.after("inline", "rg_html_comments", refuse_html_comments)
    md.core.ruler.after("inline", "rg_content_links", record_content_links)
    md.core.ruler.after("inline", "rg_heading_ids", assign_heading_ids)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
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
