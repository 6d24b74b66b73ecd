"""Markdown bodies: what the parser makes of headings and deep nesting (issue 21's two defects)."""

from __future__ import annotations

import pytest

from roadmapgen.markdown.parser import BodyParser


def _parse(text: str) -> tuple[str, list[str]]:
    body, problems = BodyParser().parse(text, path="x.md", content_path="roadmap/x.md", first_line=5)
    return body.internal_html, [problem.format() for problem in problems]


def test_heading_ids_keep_escaped_and_entity_characters() -> None:
    html, _ = _parse("## snake\\_case\n\n## Caf&eacute; au lait\n\n## a &amp; b\n")
    assert '<h2 id="snake_case">' in html and '<h2 id="café-au-lait">' in html and '<h2 id="a-b">' in html


@pytest.mark.parametrize("shape", ["> ", "- ", "1. ", "> - "])
@pytest.mark.parametrize("depth", range(1, 32))
def test_content_deeper_than_the_parser_follows_is_never_lost_silently(shape: str, depth: int) -> None:
    """Either the innermost words are on the page, or a located warning says they are not."""
    if shape in ("- ", "1. "):
        text = "".join("   " * level + shape + f"level{level}\n" for level in range(depth))
    else:
        text = shape * depth + "innermost\n"
    html, problems = _parse(text)
    innermost = f"level{depth - 1}" if shape in ("- ", "1. ") else "innermost"
    shown = innermost in html
    warned = any("nested more than" in problem for problem in problems)
    assert shown != warned, (shape, depth, shown, problems)
