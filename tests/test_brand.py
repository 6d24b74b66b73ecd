"""The public roadmap in the company's own look (issue 24): logo, favicon and an accent held to WCAG AA."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from roadmapgen.colours import AA, DARK_BACKGROUNDS, LIGHT_BACKGROUNDS, accent_problem, contrast, derive
from tests.helpers.sitefiles import write_files

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40" '
        'fill="#e4002b"/></svg>')
BRAND = "brand:\n  logo: assets/brand/logo.svg\n  favicon: assets/brand/icon.png\n  accent: '#E4002B'\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000020000000200806000000737a7af4")


def test_a_branded_site_shows_the_logo_favicon_and_accent(small_project: Path, tmp_path: Path, run_cli) -> None:
    config = small_project / "roadmapgen.yaml"
    config.write_text(config.read_text() + BRAND)
    write_files(small_project, {"content/assets/brand/logo.svg": LOGO, "content/assets/brand/icon.png": PNG})
    result = run_cli("build", small_project, "--out", tmp_path / "out")
    assert result.code == 0, result.out + result.err
    for audience in ("public", "internal"):
        site = tmp_path / "out" / audience
        page = (site / "roadmap/alpha/index.html").read_text()
        assert '<img class="rg-logo" src="../../assets/brand/logo.svg" alt="Acme" width="96" height="32">' in page
        assert '<link rel="icon" href="../../assets/brand/icon.png" type="image/png">' in page
        assert ":root { --accent: #e4002b; --accent-text: #ffffff; }" in page
        dark = r"prefers-color-scheme: dark\) \{ :root \{ --accent: #[0-9a-f]{6}; --accent-text: #[0-9a-f]{6}; }"
        assert re.search(dark, page)
        assert (site / "assets/brand/logo.svg").is_file() and (site / "assets/brand/icon.png").is_file()


def test_without_a_brand_the_theme_has_its_own_favicon(small_project: Path, tmp_path: Path, run_cli) -> None:
    assert run_cli("build", small_project, "--out", tmp_path / "out").code == 0
    page = (tmp_path / "out/public/index.html").read_text()
    assert re.search(r'<link rel="icon" href="\./static/favicon\.svg\?v=[0-9a-f]+" type="image/svg\+xml">', page)
    assert (tmp_path / "out/public/static/favicon.svg").is_file() and "--accent:" not in page.split("</head>")[0]


def test_an_accent_that_cannot_be_read_is_an_error_with_a_shade_that_can(small_project: Path, run_cli) -> None:
    config = small_project / "roadmapgen.yaml"
    config.write_text(config.read_text() + "brand:\n  accent: '#ffd700'\n  logo: assets/brand/missing.svg\n")
    result = run_cli("check", small_project)
    assert result.code == 1
    assert ("roadmapgen.yaml:4:11: error: 'accent' #ffd700 has a contrast of 1.3:1 with the page background; links and "
            "buttons need 4.5:1 (WCAG AA): a darker shade of it, such as #857000, passes") in result.out, result.out
    config.write_text(config.read_text().replace("'#ffd700'", "'#857000'"))
    missing = run_cli("check", small_project)
    assert "roadmapgen.yaml:5:9: error: 'brand.logo': no such file 'assets/brand/missing.svg' in the content folder" \
        in missing.out, missing.out


@given(st.from_regex(r"#[0-9a-f]{6}", fullmatch=True))
def test_any_accent_is_refused_or_gives_readable_shades_in_both_schemes(colour: str) -> None:
    problem = accent_problem(colour)
    if problem is not None:
        suggestion = re.search(r"such as (#[0-9a-f]{6})", problem)
        assert suggestion and accent_problem(suggestion.group(1)) is None
        return
    shades = derive(colour)
    assert all(contrast(shades.light, background) >= AA for background in LIGHT_BACKGROUNDS)
    assert all(contrast(shades.dark, background) >= AA for background in DARK_BACKGROUNDS)
    assert contrast(shades.light_text, shades.light) >= AA and contrast(shades.dark_text, shades.dark) >= AA
