"""Body tables and code that may scroll sideways can be reached by keyboard, and footnotes need no heading.

A wide table or code block scrolls inside its own box on a phone; a box that scrolls must take
focus (WCAG 2.1.1, axe's scrollable-region-focusable), so ``<table>`` and ``<pre>`` carry
``tabindex="0"``. The footnotes plugin wraps its list in a ``<section>`` without a heading,
which validators flag on every page with footnotes; a ``<div>`` says the same without one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

FOCUSABLE_PRE = '<pre tabindex="0">'
FOCUSABLE_TABLE = '<table tabindex="0">\n'


def make_focusable(md: MarkdownIt) -> None:
    """Install the render rules on ``md`` (after the table and footnote plugins)."""
    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)
    for name in ("fence", "code_block"):
        md.add_render_rule(name, _pre(renderer.rules[name]))
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("footnote_block_open", _footnotes_open)
    md.add_render_rule("footnote_block_close", _footnotes_close)


Rule = Callable[..., str]


def _pre(default: Rule) -> Rule:
    def render(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        html = default(tokens, idx, options, env)
        return FOCUSABLE_PRE + html[len("<pre>"):] if html.startswith("<pre>") else html

    return render


def _table_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return FOCUSABLE_TABLE


def _footnotes_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return '<hr class="footnotes-sep">\n<div class="footnotes">\n<ol class="footnotes-list">\n'


def _footnotes_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    return "</ol>\n</div>\n"
