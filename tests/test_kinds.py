"""The kind registry, and the kind added through it alone: competitors.

Every stage reads :mod:`roadmapgen.kinds.registry`; these tests read it too, so a kind added
there is checked here without editing a list of kinds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from roadmapgen.kinds.registry import KINDS
from tests.conftest import REPO
from tests.helpers.sitefiles import write_files

THEME = REPO / "themes/default/templates"


@pytest.mark.parametrize("name", list(KINDS))
def test_every_template_a_kind_names_is_in_the_default_theme(name: str) -> None:
    kind = KINDS[name]
    named = [kind.page_template, kind.listing.template if kind.listing else None]
    for template in filter(None, named):
        assert (THEME / template).is_file(), f"{name}: no template {template}"
    if kind.scaffold:
        assert kind.scaffold_text().strip(), name


def test_every_kind_has_a_projection() -> None:
    from roadmapgen.audience.make_views import _BY_KIND

    assert _BY_KIND.keys() == KINDS.keys()


@pytest.fixture(scope="module")
def example_build(tmp_path_factory, request) -> Path:
    from tests.conftest import copy_example

    root = tmp_path_factory.mktemp("kinds")
    project = copy_example(root / "example")
    from roadmapgen.commands.build import BuildOptions, build

    result = build(project, BuildOptions(output_dir=root / "out", use_cache=False))
    assert result.ok, [problem.format() for problem in result.report]
    return root / "out"


def test_market_pages_list_competitors_and_the_items_answering_them(example_build: Path) -> None:
    market = (example_build / "internal/market/index.html").read_text()
    assert 'href="../market/deskhero/">DeskHero</a>' in market and 'href="../market/ticketly/">Ticketly</a>' in market
    page = (example_build / "internal/market/deskhero/index.html").read_text()
    assert "SAML single sign-on and an audit log" in page  # strengths
    assert 'href="https://deskhero.example.com/"' in page
    assert 'href="../../roadmap/saml-sso/"' in page  # items naming it
    assert 'href="../../feedback/2026-08-sales-acme/"' in page  # body link to internal evidence
    item = (example_build / "internal/roadmap/saml-sso/index.html").read_text()
    assert '<a href="../../market/deskhero/">DeskHero</a>' in item
    nav = (example_build / "internal/index.html").read_text()
    assert 'href="./market/">Market</a>' in nav


def test_competitors_never_reach_the_public_site(example_build: Path) -> None:
    public = example_build / "public"
    assert not (public / "market").exists()
    for path in public.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"DeskHero" not in data and b"Ticketly" not in data, path
            assert re.search(rb"[/\"']market/", data) is None, path


COMPETITOR_PROJECT = {
    "roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/\n",
    "content/roadmap/sso.md": "---\ntitle: SSO\nstatus: planned\nhorizon: now\nvisibility: public\n"
                              "competitors: [rival]\n---\nSee [our analysis](../competitors/rival.md).\n",
    "content/competitors/rival.md": "---\nname: Rivalcorp\nvisibility: public\nwebsite: https://rival.example/\n"
                                    "---\nRivalcorp secret plans.\n",
}


def test_a_competitor_marked_public_stays_internal_with_a_warning(tmp_path: Path, run_cli) -> None:
    project = write_files(tmp_path / "p", COMPETITOR_PROJECT)
    result = run_cli("build", project, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    assert ("content/competitors/rival.md:3:13: warning: competitor analysis is always internal: "
            "'visibility: public' has no effect") in result.err
    assert "link to internal competitor 'competitors/rival.md' is shown as plain text" in result.err
    assert (tmp_path / "out/internal/market/rival/index.html").is_file()
    for path in (tmp_path / "out/public").rglob("*"):
        assert "rival" not in path.relative_to(tmp_path / "out/public").as_posix().lower()
        if path.is_file():
            assert b"rival" not in path.read_bytes().lower(), path
    strict = run_cli("check", project, "--strict")
    assert strict.code == 1


@pytest.mark.parametrize("website", ["javascript:alert(1)", "data:text/html,x", "ftp://x.example/", "https://"])
def test_a_competitor_website_must_be_a_web_address(tmp_path: Path, run_cli, website: str) -> None:
    files = dict(COMPETITOR_PROJECT)
    files["content/competitors/rival.md"] = f"---\nname: Rival\nwebsite: {json.dumps(website)}\n---\n"
    project = write_files(tmp_path / "p", files)
    result = run_cli("check", project)
    assert result.code == 1
    assert "content/competitors/rival.md:3:10: error: 'website' must be a web address" in result.out + result.err


def test_an_item_naming_a_missing_competitor_is_an_error(tmp_path: Path, run_cli) -> None:
    files = dict(COMPETITOR_PROJECT)
    files["content/roadmap/sso.md"] = files["content/roadmap/sso.md"].replace("[rival]", "[rivl]")
    result = run_cli("check", write_files(tmp_path / "p", files))
    assert result.code == 1
    assert ("content/roadmap/sso.md:6:15: error: no competitor 'rivl' "
            "(there is no content/competitors/rivl.md)") in result.out + result.err


def test_schema_competitor(run_cli) -> None:
    result = run_cli("schema", "competitor")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["required"] == ["name"]
    assert {"segment", "website", "strengths", "weaknesses", "pricing", "last_reviewed"} <= schema["properties"].keys()
