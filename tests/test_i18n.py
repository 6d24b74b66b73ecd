"""The theme in the site's language (issue 24): complete catalogues for en, de, fr and es, no English
word left in a template or a built page, `strings:` overrides, `roadmapgen strings`, locale dates."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from roadmapgen.commands.build import BuildOptions, build
from roadmapgen.i18n import BUILT_IN_LANGUAGES, _read_catalogue, load_strings, placeholders
from roadmapgen.themes import builtin_theme
from tests.conftest import copy_example
from tests.helpers.sitefiles import replace_in

STRINGS = builtin_theme() / "strings"
TEMPLATES = builtin_theme() / "templates"


def catalogue(language: str) -> dict:
    found, problems = _read_catalogue(STRINGS / f"{language}.yaml")
    assert problems == []
    return found


@pytest.mark.parametrize("language", [name for name in BUILT_IN_LANGUAGES if name != "en"])
def test_every_built_in_catalogue_is_complete(language: str) -> None:
    english, other = catalogue("en"), catalogue(language)
    assert sorted(set(english) - set(other)) == [] and sorted(set(other) - set(english)) == []
    differing = {key for key in english if placeholders(english[key]) != placeholders(other[key])}
    assert differing == set()
    plural = {key for key, entry in english.items() if isinstance(entry, dict)}
    assert {key for key, entry in other.items() if isinstance(entry, dict)} == plural
    assert all("other" in other[key] for key in plural)


def _words_left(source: str) -> list[str]:
    """Natural-language words a template writes itself, outside t(...) and expressions: none may be left."""
    for pattern in (r"\{#.*?#\}", r"<meta [^>]*>", r"<script>.*?</script>", r"<style>.*?</style>",
                    r"\{\{.*?\}\}", r"\{%.*?%\}", r"<code>.*?</code>", r"<generator>.*?</generator>",
                    r'\bdata-[a-z-]+(="[^"]*")?', r"[a-z]+\.xml"):
        source = re.sub(pattern, " ", source, flags=re.S)
    attributes = " ".join(value for _, value in re.findall(r'\b(aria-label|title|alt|placeholder|content)="([^"]*)"',
                                                           source))
    text = re.sub(r"<[^>]+>", " ", source) + " " + attributes
    return re.findall(r"[^\W\d_]{2,}", text)


def test_templates_write_no_words_of_their_own() -> None:
    left = {path.name: words for path in sorted(TEMPLATES.rglob("*")) if path.suffix in (".html", ".xml")
            and (words := _words_left(path.read_text(encoding="utf-8")))}
    assert left == {}
    assert _words_left('<p>Nothing found</p><a title="Home">{{ t("x") }}</a>') == ["Nothing", "found", "Home"]


def _fragments(entry: object) -> set[str]:
    """The longer literal pieces of an English text: what would show if a page kept the English."""
    texts = [entry] if isinstance(entry, str) else list(entry.values())
    pieces = {piece.strip(" .,:;()·") for text in texts for piece in re.split(r"\{[a-z_]+\}", text)}
    return {piece for piece in pieces if len(piece) >= 12 and len(piece.split()) >= 2}


def _site_text(folder: Path) -> str:
    pages = [path.read_text(encoding="utf-8") for path in folder.rglob("*") if path.suffix in (".html", ".xml")]
    return " ".join(html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))) for page in pages)


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_the_example_in_each_language_keeps_no_english_theme_word(tmp_path: Path, language: str) -> None:
    project = copy_example(tmp_path / "example")
    replace_in(project / "roadmapgen.yaml", "language: en", f"language: {language}")
    result = build(project, BuildOptions(output_dir=tmp_path / "out"))
    assert result.ok, [p.format() for p in result.report]
    english, other = catalogue("en"), catalogue(language)
    content = " ".join(path.read_text(encoding="utf-8") for path in project.rglob("*") if path.suffix in (
        ".md", ".yaml")).casefold()  # the example's own words are English: they are not the theme's
    checked = {piece for key, entry in english.items() if entry != other[key] for piece in _fragments(entry)
               if piece.casefold() not in content}
    assert len(checked) > 120  # the theme's own sentences, not the example's
    for audience in ("public", "internal"):
        text = _site_text(tmp_path / "out" / audience)
        left = sorted(piece for piece in checked if piece in text)
        assert left == [], (audience, left[:10])
        assert other["board.lead"] in text
    page = (tmp_path / "out/public/releases/index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in page
    month = {"de": "Okt.", "fr": "oct.", "es": "oct"}[language]
    assert re.search(rf"<time datetime=\"2026-10-06\">6\.? {re.escape(month)} 2026</time>", page), page[:2000]


def test_one_string_changed_in_the_config(tmp_path: Path, run_cli) -> None:
    project = copy_example(tmp_path / "example")
    with (project / "roadmapgen.yaml").open("a", encoding="utf-8") as config:
        config.write('strings:\n  board.lead: "Where Brightdesk is heading."\n  home.more_in: "{count} more"\n')
    assert run_cli("build", project, "--out", tmp_path / "out").code == 0
    assert "Where Brightdesk is heading." in (tmp_path / "out/public/roadmap/index.html").read_text()
    with (project / "roadmapgen.yaml").open("a", encoding="utf-8") as config:
        config.write('  board.lede: "x"\n  card.target: "by {when}"\n')
    bad = run_cli("check", project)
    assert bad.code == 1
    assert "roadmapgen.yaml:18:3: error: 'strings': no string 'board.lede' in the theme (did you mean 'board.lead'?)" \
        in bad.out, bad.out
    assert "'strings': 'card.target' can use {target}, not {when}" in bad.out


def test_strings_lists_every_key_in_the_sites_language(small_project: Path, run_cli) -> None:
    result = run_cli("strings", small_project, "--language", "fr")
    assert result.code == 0
    listed = yaml.safe_load(result.out)
    assert set(listed) == set(catalogue("en")) and listed["nav.roadmap"] == "Feuille de route"


def test_a_language_without_a_catalogue_gets_english_words_and_its_own_dates() -> None:
    strings, problems = load_strings((builtin_theme(),), "nl", {}, {}, "roadmapgen.yaml")
    import datetime as dt

    assert problems == [] and strings.text("nav.roadmap") == "Roadmap"
    assert strings.date(dt.date(2026, 5, 12)) == "12 mei 2026"
    assert strings.number(1920.5) == "1.920,5"


def test_the_public_site_gets_no_internal_words() -> None:
    strings, _ = load_strings((builtin_theme(),), "en", {}, {}, "roadmapgen.yaml")
    public = strings.public()
    assert not [key for key in public.table if key.startswith("internal.")]
    assert strings.has("internal.banner") and not public.has("internal.banner")


def test_a_text_cannot_reach_into_its_values() -> None:
    """Only {name} placeholders are filled: no attribute, index or format spec; values are escaped."""
    strings, _ = load_strings((builtin_theme(),), "en", {"board.lead": "{x.__class__} {x[0]} {x!r} <b>"}, {},
                              "roadmapgen.yaml")
    assert strings("board.lead", x="<i>") == "{x.__class__} {x[0]} {x!r} &lt;b&gt;"
    assert strings("card.target", target="<i>") == "Target &lt;i&gt;"
