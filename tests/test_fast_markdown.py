"""The compiled Markdown path is the Python parser's twin: a fixed-seed differential suite (issue 21).

Every body the gate lets through must come out of markdown-it-pyrs and the pass over its HTML exactly
as it comes out of markdown-it-py and roadmapgen's rules: both audiences' HTML, the links and assets
with their lines and columns, the problems. Checked on corpus bodies (bench/make_corpus.py), the
CommonMark spec's examples (from markdown-it-py's own source distribution, fetched by scripts/test,
never copied here) and generated documents with links, headings, tables, quotes, fences and
internal blocks in many shapes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from roadmapgen.markdown import fast
from roadmapgen.markdown.parser import BodyParser
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(fast.mode() == "off", reason="the compiled engine is not installed or is turned off")


@pytest.fixture(scope="module")
def parser() -> BodyParser:
    found = BodyParser()
    assert found._fast is not None
    return found


def _both(parser: BodyParser, text: str, content_path: str = "roadmap/x.md") -> tuple[object, object, bool]:
    """(compiled, python, whether the compiled path took it)."""
    options = {"path": "x.md", "content_path": content_path, "first_line": 7}
    expected = parser.parse_in_python(text, **options)
    taken = fast.eligible(text) and parser._fast.parse(text, **options) is not None
    return _comparable(parser.parse(text, **options)), _comparable(expected), taken


def _comparable(result: tuple) -> tuple:
    body, problems = result
    return (str(body.internal_html), str(body.public_html), body.links, body.assets, body.public_links,
            body.public_assets, [problem.format() for problem in problems])


@pytest.mark.slow
def test_the_example_and_corpus_bodies_render_the_same(parser: BodyParser, tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "400", str(tmp_path / "corpus")], check=True,
                   capture_output=True)
    bodies = [path for root in (REPO / "content", tmp_path / "corpus/content") for path in sorted(root.rglob("*.md"))]
    taken = 0
    for path in bodies:
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        folder = path.parent.name
        compiled, python, used = _both(parser, text, f"{folder}/{path.name}")
        assert compiled == python, path
        taken += used
    assert len(bodies) > 500 and taken > 0.9 * len(bodies)  # almost every body takes the compiled path


def _spec_examples() -> list[dict]:
    found = os.environ.get("ROADMAPGEN_COMMONMARK_JSON", "")
    if not found or not Path(found).is_file():
        message = "the CommonMark spec examples (scripts/test fetches markdown-it-py's source distribution)"
        if os.environ.get("ROADMAPGEN_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " are missing, and CI must run this")
        pytest.skip(message + " are not here")
    return json.loads(Path(found).read_text(encoding="utf-8"))


def test_the_commonmark_spec_examples_render_the_same(parser: BodyParser) -> None:
    examples = _spec_examples()
    taken, different = 0, []
    for example in examples:
        compiled, python, used = _both(parser, example["markdown"])
        if compiled != python:
            different.append(example["example"])
        taken += used
    assert different == []
    assert len(examples) > 600 and taken > 0.3 * len(examples)


_WORDS = st.sampled_from(["alpha", "Beta", "snake\\_case", "Caf&eacute;", "a &amp; b", "`code`", "*em*", "**strong**",
                          "~~gone~~", "100%", "x < y", '"quoted"', "it's", "日本", "naïve", "emoji 🎉", "a_b_c",
                          "__init__", "[brackets]", "!bang", "http://bare.example", "<https://auto.example>",
                          "<mail@example.com>", "line\\", "hard  ", "<b>raw</b>", "<script>alert(1)</script>",
                          '<img src=x onerror="alert(1)">'])
_TARGETS = st.sampled_from(["../personas/pat.md", "../personas/pat.md#goals", "sso.md", "../assets/a.png",
                            "../assets/doc%20one.pdf", "https://x.example/a?b=c&d=e", "#local", "/abs/path.md",
                            "../../outside.md", "../personas/pat", "../unknown/x.md", "mailto:a@b.c",
                            "../assets/a b.png", "<../personas/pat.md>", "sso.md?x=1", ""])


def _inline(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["word", "link", "image", "titled", "ref"]))
        word = draw(_WORDS)
        if kind == "word":
            parts.append(word)
        elif kind == "link":
            parts.append(f"[{word}]({draw(_TARGETS)})")
        elif kind == "image":
            parts.append(f"![{word}]({draw(_TARGETS)})")
        elif kind == "titled":
            parts.append(f'[{word}]({draw(_TARGETS)} "Title {word}")')
        else:
            parts.append(f"[{word}][ref]")
    return " ".join(parts)


_SHAPES = ["para", "heading", "setext", "list", "ordered", "quote", "table", "fence", "indented", "internal", "hr",
           "task", "footnote", "lazy", "nested", "refdef", "html", "same-heading", "deep"]


def _block(draw: st.DrawFn, shape: str) -> str:
    text = _inline(draw)
    if shape == "internal":  # an internal block around any other shape, its lines flush with the fences or not
        inner = _block(draw, draw(st.sampled_from([name for name in _SHAPES if name != "internal"])))
        gap = draw(st.sampled_from(["", "\n"]))
        return f"{draw(st.sampled_from(['::: internal', '::: internal', ':::: internal', '::: internal ']))}\n{gap}" \
               f"{inner}\n{gap}{draw(st.sampled_from([':::', ':::', '::::']))}"
    return {
        "para": lambda: text,
        "heading": lambda: f"{'#' * draw(st.integers(1, 6))} {text}",
        "same-heading": lambda: "## Same",
        "setext": lambda: f"{text}\n{draw(st.sampled_from(['===', '---']))}",
        "list": lambda: "\n".join(f"- {_inline(draw)}" for _ in range(draw(st.integers(1, 3)))),
        "ordered": lambda: "\n".join(f"{n}. {_inline(draw)}" for n in range(1, draw(st.integers(2, 4)))),
        "quote": lambda: f"> {text}\n> {_inline(draw)}",
        "table": lambda: f"| a | b |\n|:--|--:|\n| {text.replace('|', '')} | {_inline(draw).replace('|', '')} |",
        "fence": lambda: f"```{draw(st.sampled_from(['', 'py', 'md']))}\n{text}\n```",
        "indented": lambda: f"    {text}",
        "hr": lambda: "***",
        "task": lambda: f"- [x] {text}\n- [ ] {_inline(draw)}",
        "footnote": lambda: f"{text}[^1]\n\n[^1]: note",
        "lazy": lambda: f"> {text}\n{_inline(draw)}",
        "nested": lambda: f"- {text}\n  - {_inline(draw)}\n    > {_inline(draw)}",
        "refdef": lambda: '[ref]: ../personas/pat.md "Ref title"',
        "html": lambda: f"<div onclick=\"x()\">\n{text}\n</div>",
        "deep": lambda: _deep(draw, text),
    }[shape]()


_CUT_SHAPES = [name for name in _SHAPES if name not in ("task", "footnote", "lazy", "refdef")] + ["internal"] * 4
"""Shapes the compiled path takes, internal blocks most of all: bodies it renders piece by piece."""


def _deep(draw: st.DrawFn, text: str) -> str:
    """Nesting around the depth markdown-it-py stops at (20 levels), on one line or over several."""
    depth = draw(st.integers(1, 30))
    return draw(st.sampled_from([
        "- " * depth + text, "> " * depth + text, "- > " * depth + text, "1. " * depth + text,
        "\n".join("  " * level + "- " + text for level in range(depth)),
        "*" * depth + text + "*" * depth, "~~" * depth + text + "~~" * depth, "[" * depth + text + "](sso.md)" * depth,
        "*a " * depth + text + "*" * depth, "![a " * depth + text + "](../assets/a.png)" * depth,
    ]))


@st.composite
def documents(draw: st.DrawFn, shapes: list[str] = _SHAPES) -> str:
    blocks = [_block(draw, draw(st.sampled_from(shapes))) for _ in range(draw(st.integers(1, 8)))]
    joined = blocks[0]
    for block in blocks[1:]:
        joined += draw(st.sampled_from(["\n\n", "\n\n", "\n"])) + block
    return joined + draw(st.sampled_from(["\n", "", "\n\n"]))


@pytest.mark.slow
@seed(20261206)
@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                                      HealthCheck.function_scoped_fixture])
@given(documents())
def test_generated_documents_render_the_same(parser: BodyParser, text: str) -> None:
    compiled, python, _ = _both(parser, text)
    assert compiled == python


@pytest.mark.slow
@seed(20261207)
@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                                      HealthCheck.function_scoped_fixture])
@given(documents(_CUT_SHAPES))
def test_generated_documents_with_internal_blocks_render_the_same(parser: BodyParser, text: str) -> None:
    compiled, python, _ = _both(parser, text)
    assert compiled == python


_MARKER = "ZQXinternalmarker"
_HOSTILE = st.lists(st.sampled_from(list("abc #>-*_~`[]()!<>&\\|:=.1\n ") + [_MARKER, "](", "```", "::: ", "[r]: ",
                                                                             "../personas/pat.md", "\n:::\n"]),
                    max_size=40).map("".join)


@pytest.mark.slow
@seed(20261208)
@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                                      HealthCheck.function_scoped_fixture])
@given(before=documents(_CUT_SHAPES), inside=_HOSTILE, after=documents(_CUT_SHAPES))
def test_nothing_inside_an_internal_block_reaches_the_compiled_public_body(parser: BodyParser, before: str,
                                                                            inside: str, after: str) -> None:
    """Whatever an internal block holds, when the compiled path takes the body its public HTML, links and
    assets are those of the same body with the block empty (but for their lines in the file), and hold no
    trace of the block's text."""
    def public(content: str) -> tuple | None:
        text = f"{before}\n\n::: internal\n{content}\n:::\n\n{after}"
        done = parser._fast.parse(text, path="x.md", content_path="roadmap/x.md", first_line=1)
        if done is None:
            return None
        body = done[0]  # where a link stands in the file moves with the block's length; what it names may not
        return (str(body.public_html), [(link.target, link.fragment, link.title, link.internal) for link in
                body.public_links], [(asset.path, asset.internal) for asset in body.public_assets])

    with_text, empty = public(_MARKER + inside + _MARKER), public("")
    if with_text is None or empty is None:
        return  # the Python parser takes it (its own wall is tested in test_leaks and test_noninterference)
    assert _MARKER not in repr(with_text)
    assert with_text == empty


def test_the_gate_sends_what_only_python_does_right_to_python() -> None:
    for text in ("::: internal\nx\n:::\nno blank line\n", "::: internal\n[r]: ../personas/pat.md\n:::\n",
                 "```\n::: internal\n```\n", "::: internal\n::: internal\nx\n:::\n:::\n", "::: internal\nx\n",
                 "::: internal\n> [!x]\n:::\n\n::: note\n:::\n", "x[^1]\n\n[^1]: y\n", "- [x] done\n",
                 "a <!-- b -->\n", "a\u00a0b\n", "*é*\n", "> quote\nlazy\n", "```\nopen fence\n", ">>>>>> deep\n"):
        assert not fast.eligible(text), text
    assert fast.eligible("# Title\n\nA [link](../personas/pat.md) and `code`.\n\n| a |\n|---|\n| 1 |\n")
    assert fast.eligible("Public.\n\n::: internal\nSecret [x](sso.md).\n:::\n\nPublic again.\n")


def test_the_compiled_path_escapes_raw_html(parser: BodyParser) -> None:
    text = '<script>alert(1)</script>\n\n<div onclick="x()">*hi*</div>\n\nInline <img src=x onerror=alert(1)> too.\n'
    assert fast.eligible(text)
    compiled = parser._fast.parse(text, path="x.md", content_path="roadmap/x.md", first_line=1)
    assert compiled is not None
    html = str(compiled[0].public_html)
    assert "<script" not in html and "<div" not in html and "<img" not in html and "&lt;script&gt;" in html


def test_a_panicking_engine_falls_back(parser: BodyParser) -> None:
    text = "[`\n"  # an input the engine panics on
    body, problems = parser.parse(text, path="x.md", content_path="roadmap/x.md", first_line=1)
    assert _comparable((body, problems)) == _comparable(parser.parse_in_python(
        text, path="x.md", content_path="roadmap/x.md", first_line=1))


def test_the_engine_and_gate_are_part_of_the_cache_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from roadmapgen.model.cache import code_fingerprint

    on = code_fingerprint()
    monkeypatch.setenv(fast.ENV, "0")
    assert code_fingerprint() != on and fast.mode() == "off"
    assert re.fullmatch(r"markdown-it-pyrs [0-9.]+ gate \d+", fast.engine())
