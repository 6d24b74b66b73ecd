"""Hostile content cannot inject markup or script, break out of the project, or hang the build."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nh3
import pytest

from roadmapgen.commands.build import BuildOptions, build
from roadmapgen.errors import Report
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.loading import load_project
from tests.helpers.sitefiles import write_files

THEME_SCRIPT = re.compile(r"((\.\./|\./)*|/([\w.-]+/)*)static/[a-z]+\.js\?v=[0-9a-f]+")
"""The theme's own scripts (search, filters), loaded from static/: the only <script> a page may have."""
HOSTILE_TEXT = "\"><script>alert(1)</script><img src=x onerror=alert(2)>' onmouseover='alert(3)"
BAD_URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "java\tscript:alert(1)", " javascript:alert(1)",
]
HOSTILE_BODY = "\n\n".join([
    "<script>alert('body')</script>",
    "<img src=x onerror=alert('img')>",
    "<iframe src=https://evil.example></iframe>",
    *[f"[link {n}]({url}) and ![image {n}]({url})" for n, url in enumerate(BAD_URLS)],
    "<javascript:alert('autolink')>",
    '[quote](https://ok.example/"><script>alert(4)</script>)',
    "[title](https://ok.example \"x\\\" onmouseover=\\\"alert(5)\")",
    "# location\n\n## Search Index\n\n## rg-main",
])
SAFE_SCHEMES = {"", "http", "https", "mailto"}


@pytest.fixture
def hostile_site(small_project: Path, tmp_path: Path) -> Path:
    quoted = HOSTILE_TEXT.replace('"', '\\"')
    write_files(
        small_project,
        {
            "content/roadmap/alpha.md": (
                f'---\ntitle: "{quoted}"\nstatus: planned\nhorizon: now\nsummary: "{quoted}"\n'
                f'tags: ["{quoted}"]\ntarget: 2026-Q3\nowner: "{quoted}"\nvisibility: public\n---\n{HOSTILE_BODY}\n'
            ),
            "content/personas/pat.md": f'---\nname: "{quoted}"\nrole: "{quoted}"\nquote: "{quoted}"\n'
            f'goals: ["{quoted}"]\navatar: assets/pat.svg\nvisibility: public\n---\n{HOSTILE_BODY}\n',
        },
    )
    result = build(small_project, BuildOptions(output_dir=tmp_path / "out"))
    assert result.ok, [p.format() for p in result.report]
    return tmp_path / "out"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    handle_startendtag = handle_starttag


def _elements(path: Path) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_no_script_handler_or_bad_url_in_any_page(hostile_site: Path, audience: str) -> None:
    problems = []
    for page in sorted((hostile_site / audience).rglob("*.html")):
        for tag, attrs in _elements(page):
            where = f"{page.relative_to(hostile_site)} <{tag}>"
            theme_script = tag == "script" and THEME_SCRIPT.fullmatch(dict(attrs).get("src") or "")
            if tag in ("script", "iframe", "object", "embed", "x") and not theme_script:
                problems.append(f"{where}: element")
            for name, value in attrs:
                if name.startswith("on"):
                    problems.append(f"{where}: {name}=")
                if name in ("href", "src", "action", "srcset", "formaction") and value is not None:
                    scheme = urlsplit(value.strip().lower()).scheme
                    if scheme not in SAFE_SCHEMES:
                        problems.append(f"{where}: {name}={value!r}")
    assert problems == []


def test_hostile_text_is_shown_as_text(hostile_site: Path) -> None:
    item = (hostile_site / "public/roadmap/alpha/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in item
    assert "&lt;script&gt;alert('body')&lt;/script&gt;" in item


def test_heading_ids_cannot_shadow_the_themes_ids(hostile_site: Path) -> None:
    item = (hostile_site / "public/roadmap/alpha/index.html").read_text()
    assert '<h2 id="h-rg-main">' in item
    assert item.count('id="rg-main"') == 1


def test_rendered_bodies_are_a_sanitizer_fixed_point() -> None:
    """Oracle: nh3 with an allow-list of what Markdown may produce removes nothing."""
    text = "\n\n".join([HOSTILE_BODY, "| a | b |\n|:--|--:|\n| 1 | 2 |", "- [x] done\n- [ ] open",
                        "Note[^1]\n\n[^1]: Footnote.", "~~gone~~ **bold** `code`", "```py\nx = 1\n```"])
    body, _ = BodyParser().parse(text, path="x.md", content_path="roadmap/x.md", first_line=1)
    tags = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "em", "strong", "s", "code", "pre", "ul", "ol", "li",
            "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "input", "sup", "section", "div",
            "label"}
    attributes = {"*": {"id", "class"}, "a": {"href", "title"}, "img": {"src", "alt", "title"},
                  "th": {"style"}, "td": {"style"}, "input": {"type", "checked", "disabled"}, "div": {"role"},
                  "table": {"tabindex"}, "pre": {"tabindex"}}  # scroll boxes a keyboard can reach
    cleaned = nh3.clean(body.internal_html, tags=tags, attributes=attributes, url_schemes={"http", "https", "mailto"},
                        link_rel=None, strip_comments=True)
    assert _elements_of(cleaned) == _elements_of(body.internal_html)


def _elements_of(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    return [(tag, sorted((k, v or "") for k, v in attrs)) for tag, attrs in parser.found]


@pytest.mark.slow
@pytest.mark.timeout(30)
@pytest.mark.parametrize(("text", "rendered", "said"), [
    ("*" * 100_000, lambda html: html.strip() == "<hr />", []),
    ("?c_" * 100_000, lambda html: html.count("?c_") == 100_000, []),
    # markdown-it caps nesting and drops what lies deeper: said, at the line, never silent
    (">" * 10_000 + " deep", lambda html: 0 < html.count("<blockquote>") <= 100,
     ["x.md:1:1: warning: nested more than 19 levels deep"]),
    ("[" * 10_000, lambda html: html.count("[") == 10_000, []),
    ("| a |\n|---|\n" + "| x |\n" * 50_000, lambda html: html.count("<tr>") == 50_001, []),
    # deep enough to overflow the compiled engine's stack (a crash no exception catches): the gate must say no
    ("- " * 100_000 + "x", lambda html: 0 < html.count("<ul>") <= 20,
     ["x.md:1:1: warning: nested more than 19 levels deep"]),
    ("- > " * 50_000 + "x", lambda html: 0 < html.count("<blockquote>") <= 20,
     ["x.md:1:1: warning: nested more than 19 levels deep"]),
    ("*a " * 50_000 + "x" + "*" * 50_000, lambda html: html.count("<em>") == 50_000, []),
    ("~~a " * 50_000 + "x" + "~~" * 50_000, lambda html: html.count("<s>") == 50_000, []),
    ("![a " * 50_000 + "x" + "](../assets/a.png)" * 50_000, lambda html: html.count("<img") == 1, []),
    ("![x" * 100_000, lambda html: html.count("![x") == 100_000, []),
], ids=["stars", "oss-fuzz-55401", "nested-quotes", "brackets", "long-table", "nested-lists", "lists-and-quotes",
        "nested-emphasis", "nested-strikethrough", "nested-images", "open-images"])
def test_pathological_markdown_finishes(text: str, rendered, said: list[str]) -> None:
    """Each finishes within the timeout and renders what CommonMark says; what it cannot show is said."""
    body, problems = BodyParser().parse(text, path="x.md", content_path="roadmap/x.md", first_line=1)
    assert len(problems) == len(said)
    assert all(problem.format().startswith(line) for problem, line in zip(problems, said, strict=True))
    assert rendered(str(body.internal_html))
    assert body.public_html == body.internal_html


def test_bom_and_crlf_read_the_same(tmp_path: Path) -> None:
    text = "---\ntitle: Alpha\nstatus: planned\nhorizon: now\n---\nBody line one.\nLine two.\n"
    variants = {
        "plain": text.encode(), "bom": b"\xef\xbb\xbf" + text.encode(), "crlf": text.replace("\n", "\r\n").encode(),
        "bom-crlf": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    }
    seen = {}
    for name, data in variants.items():
        project = write_files(tmp_path / name, {"roadmapgen.yaml": "product: A\nbase_url: https://a.example/\n",
                                                "content/roadmap/alpha.md": data})
        loaded = load_project(project, Report())
        assert loaded is not None
        doc = loaded.corpus.documents["roadmap/alpha"]
        seen[name] = (doc.fields, doc.body.internal_html if doc.body else None, dict(doc.places))
    assert len(set(map(repr, seen.values()))) == 1


def test_symlink_out_of_the_project_is_refused(small_project: Path, tmp_path: Path, run_cli) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: rgcanarysymlink\nstatus: planned\nhorizon: now\nvisibility: public\n---\n")
    os.symlink(secret, small_project / "content/roadmap/linked.md")
    result = run_cli("build", small_project)
    assert result.code == 1
    assert "content/roadmap/linked.md:1:1: error: symbolic link points outside the project" in result.err
    assert not (small_project / "site").exists()


def test_editor_litter_is_ignored(small_project: Path, run_cli) -> None:
    write_files(small_project, {"content/roadmap/.alpha.md.swp": "x", "content/roadmap/alpha.md~": "x",
                                "content/roadmap/4913": "", "content/.DS_Store": "x"})
    os.symlink("nowhere@host", small_project / "content/roadmap/.#alpha.md")
    assert run_cli("check", small_project).code == 0
