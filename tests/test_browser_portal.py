"""The public roadmap as a company's own, in real Chromium (issue 24): a branded site and a German one,
the embeds and the widget on a plain host page (axe, light and dark, desktop and phone), links from a frame,
the roadmap's layout shift, and a 300-item project's every public page at phone width."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from roadmapgen.commands.build import BuildOptions, build
from tests.conftest import REPO, copy_example
from tests.helpers.sitefiles import replace_in, write_files
from tests.test_browser import WIDTHS, _axe_violations, _Quiet, browser  # noqa: F401 -- browser is a fixture

pytestmark = pytest.mark.browser

LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 150 40"><rect width="150" height="40" rx="6" '
        'fill="#7b2cbf"/><text x="12" y="27" font-size="20" fill="#fff">Brightdesk</text></svg>')
def _host_page() -> str:
    """A plain page of the product's own, holding the snippet docs/themes.md gives (pointed at /site/)."""
    docs = (REPO / "docs/themes.md").read_text(encoding="utf-8")
    snippet = re.search(r"```html\n(.*?)```", docs, re.S)
    assert snippet, "docs/themes.md shows the embed and widget snippet"
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme app</title></head>\n'
            "<body><header><h1>Acme app</h1></header><main><p>The product's own page.</p><h2>Our roadmap</h2>\n"
            + snippet.group(1).replace("https://roadmap.brightdesk.example/", "/site/") + "</main></body></html>\n")
PAGES = ("index.html", "roadmap/", "roadmap/saml-sso/", "subscribe/", "changes/", "embed/roadmap/", "embed/changes/")


def _serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A branded English site and a German one, each under /site/ beside a plain host page at /."""
    root = tmp_path_factory.mktemp("portal")
    urls, servers = {}, []
    for name, language in (("branded", "en"), ("german", "de")):
        project = copy_example(root / name)
        replace_in(project / "roadmapgen.yaml", "language: en", f"language: {language}")
        with (project / "roadmapgen.yaml").open("a") as config:
            config.write("brand: {logo: assets/brand/logo.svg, accent: '#7b2cbf'}\n"
                         "subscribe_url: https://buttondown.example/brightdesk\n")
        write_files(project, {"content/assets/brand/logo.svg": LOGO})
        assert build(project, BuildOptions(output_dir=root / f"{name}-out")).ok
        served = root / f"{name}-served"
        shutil.copytree(root / f"{name}-out/public", served / "site")
        (served / "index.html").write_text(_host_page())
        url, server = _serve(served)
        urls[name], servers = url, [*servers, server]
    yield urls
    for server in servers:
        server.shutdown()


@pytest.mark.parametrize("site", ["branded", "german"])
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_branded_and_translated_pages_are_accessible(browser, portal, site: str, path: str, width: str,  # noqa: F811
                                                      scheme: str) -> None:
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(portal[site] + "site/" + path)
    assert response is not None and response.ok
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    violations = _axe_violations(page)
    context.close()
    assert errors == [] and overflow <= 1 and violations == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_logo_and_the_accent_show(browser, portal, scheme: str) -> None:  # noqa: F811
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(portal["branded"] + "site/roadmap/")
    logo = page.get_by_role("img", name="Brightdesk")
    assert logo.is_visible() and logo.evaluate("image => image.naturalWidth") > 0
    colour = page.evaluate("getComputedStyle(document.querySelector('main a')).color")
    assert colour == ("rgb(123, 44, 191)" if scheme == "light" else "rgb(168, 106, 221)")
    icon = page.evaluate("fetch(document.querySelector('link[rel=icon]').href).then(r => r.status)")
    assert icon == 200
    context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_widget_on_a_plain_page(browser, portal, width: str, scheme: str) -> None:  # noqa: F811
    """A button with what is new since the last look, a panel of releases and changes by keyboard, nothing
    kept but in the visitor's browser, nothing fetched from anywhere but the roadmap."""
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, color_scheme=scheme)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(portal["branded"])
    button = page.get_by_role("button", name="What's new")
    button.wait_for()
    assert button.get_attribute("aria-expanded") == "false"
    page.wait_for_function("document.querySelector('[data-roadmapgen-widget]').shadowRoot.querySelector('.count')"
                           ".textContent !== ''")
    unread = page.evaluate("document.querySelector('[data-roadmapgen-widget]').shadowRoot.querySelector('.count')"
                           ".textContent")
    assert int(unread) > 0
    button.focus()
    page.keyboard.press("Enter")
    panel = page.get_by_role("region", name="What's new in Brightdesk")
    assert panel.is_visible()
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.tagName") == "H2"
    assert panel.get_by_role("link").count() > 3
    assert _axe_violations(page) == []
    page.keyboard.press("Escape")
    assert panel.is_hidden() and button.get_attribute("aria-expanded") == "false"
    page.reload()
    page.get_by_role("button", name="What's new").wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelector('[data-roadmapgen-widget]').shadowRoot.querySelector('.count')"
                         ".hidden")  # seen: nothing new since
    assert context.cookies() == []
    origin = portal["branded"].rstrip("/")
    assert [url for url in requests if not url.startswith(origin)] == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    context.close()


def test_a_link_in_an_embed_opens_in_the_page_around_it(browser, portal) -> None:  # noqa: F811
    page = browser.new_page()
    page.goto(portal["branded"])
    frame = page.frame_locator("iframe[title=Roadmap]")
    frame.get_by_role("link", name="Single sign-on with SAML").click()
    page.wait_for_url("**/site/roadmap/saml-sso/")
    assert page.get_by_role("heading", level=1).inner_text() == "Single sign-on with SAML"
    page.close()


def test_the_german_site_searches_and_filters_in_german(browser, portal) -> None:  # noqa: F811
    page = browser.new_page()
    page.goto(portal["german"] + "site/roadmap/?status=erledigt")
    assert "„erledigt“" in page.get_by_role("status").inner_text()  # an unknown value is said, not ignored
    page.get_by_label("Schlagwort").select_option("mobile")
    assert page.get_by_role("status").inner_text().endswith("Einträgen passen.")
    assert page.locator("#rg-now [data-rg-filter-empty]").is_visible()  # a column the filter emptied says so
    page.get_by_role("searchbox", name="Suchen").fill("Entra")
    first = page.locator(".rg-search-results li").first
    first.wait_for()
    assert first.locator(".rg-badge").inner_text() == "In Arbeit"
    page.close()


def test_the_internal_navigation_keeps_one_line_on_a_desktop(browser, tmp_path: Path) -> None:  # noqa: F811
    project = copy_example(tmp_path / "example")
    assert build(project, BuildOptions(output_dir=tmp_path / "out")).ok
    url, server = _serve(tmp_path / "out/internal")
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(url + "roadmap/")
    search = page.locator(".rg-search, .rg-search-link").first.bounding_box()
    nav = page.locator(".rg-nav").bounding_box()
    server.shutdown()
    assert search and nav and search["y"] < nav["y"] + nav["height"]


LAYOUT_SHIFT = """new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 1500);
})"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("generated300")
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "300", str(root / "project")], check=True,
                   capture_output=True)
    assert build(root / "project", BuildOptions(output_dir=root / "out", use_cache=False)).ok
    url, server = _serve(root / "out/public")
    yield url, root / "out/public"
    server.shutdown()


def test_the_roadmap_of_300_items_does_not_shift_on_a_phone(browser, generated) -> None:  # noqa: F811
    url, _ = generated
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(url + "roadmap/")
    shift = page.evaluate(LAYOUT_SHIFT)
    context.close()
    print(f"cumulative layout shift on the roadmap of 300 items at 390 px: {shift:.4f}")
    assert shift <= 0.05, f"cumulative layout shift {shift:.3f}"


def test_every_public_page_of_300_items_is_accessible_on_a_phone(browser, generated) -> None:  # noqa: F811
    url, site = generated
    paths = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(paths) > 200
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    found = {}
    for path in paths:
        page.goto(url + path)
        if violations := _axe_violations(page):
            found[path] = violations
    context.close()
    assert found == {}, dict(list(found.items())[:5])
