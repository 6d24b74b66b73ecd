"""Core rule: say so when a body nests deeper than the parser follows.

markdown-it stops at ``maxNesting`` levels (20 in CommonMark mode) to keep its recursion
bounded, and drops what lies deeper without a word: a 21st level of quotes or lists would
vanish from the page. A container opened at the last level the parser follows may have lost
its content, so it is a located warning (an error under ``--strict``).
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore

from roadmapgen.markdown.body import STATE_KEY, ParseState


def warn_deep_nesting(state: StateCore) -> None:
    parse: ParseState = state.env[STATE_KEY]
    limit = state.md.options["maxNesting"]
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        # A container at the last level followed comes out empty: what it held was deeper than the limit.
        if token.nesting == 1 and token.level >= limit - 1 and tokens[index + 1].nesting == -1:
            line = (token.map or (0, 0))[0]
            parse.warn(line, 1, f"nested more than {limit - 1} levels deep: Markdown shows no more, and what lies "
                                "deeper is left out; flatten the quotes or lists here")
            return
