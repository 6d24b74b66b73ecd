"""Core rule: refuse HTML comments.

Raw HTML is shown as text, so ``<!-- price for ACME is 40k -->`` would be published
word for word; authors who write one expect it hidden. ``::: internal`` is the way.
"""

from __future__ import annotations

from markdown_it.rules_core import StateCore

from roadmapgen.markdown.body import STATE_KEY, ParseState


def refuse_html_comments(state: StateCore) -> None:
    parse: ParseState = state.env[STATE_KEY]
    for block in state.tokens:
        if block.type != "inline" or "<!--" not in block.content:
            continue
        for child in block.children or ():
            if child.type == "text" and "<!--" in child.content:
                line = (block.map or (0, 0))[0]
                offset = next((n for n, text in enumerate(block.content.split("\n")) if "<!--" in text), 0)
                parse.error(
                    line + offset, 1,
                    "HTML comments are not hidden: they would be published as text; "
                    "use a '::: internal' block for notes",
                )
                break
