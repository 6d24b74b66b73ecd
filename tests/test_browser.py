"""Every page type in real Chromium, on desktop and phone widths: accessible, no overflow, no JS needed.

Screenshots land in $ROADMAPGEN_SCREENSHOTS (default: pytest's temp folder) for a human look.
Without Chromium these tests skip, except where ROADMAPGEN_REQUIRE_BROWSER=1 (CI), where
they fail: a skipped browser test in CI would hide a broken site.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from roadmapgen.commands.build import BuildOptions, build
from tests.conftest import copy_example

pytestmark = pytest.mark.browser

PAGES = {
    "home": "index.html", "board": "roadmap/", "item": "roadmap/saml-sso/", "changelog": "releases/",
    "release": "releases/3.7.0/", "personas": "personas/", "persona": "personas/maya-agent/",
    "objectives": "objectives/", "objective": "objectives/faster-first-response/", "metrics": "metrics/",
    "not-found": "404.html", "tags": "tags/", "tag": "tags/security/", "item-tasks": "roadmap/sla-policies/",
}
INTERNAL_PAGES = {
    **PAGES, "internal-item": "roadmap/eu-data-residency/", "priorities": "priorities/", "research": "research/",
    "feedback": "feedback/", "feedback-entry": "feedback/2026-08-sales-acme/", "market": "market/",
    "competitor": "market/deskhero/", "imported-feedback": "feedback/2026-11-03-support-pinecrest-health/",
}
WIDTHS = {"desktop": 1280, "phone": 390}


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        message = "Chromium or Playwright is not installed"
        if os.environ.get("ROADMAPGEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message}, and ROADMAPGEN_REQUIRE_BROWSER=1 says browser tests must run")
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("browser")
    result = build(
        copy_example(root / "project"), BuildOptions(output_dir=root / "out", source_date=dt.date(2026, 11, 20))
    )
    assert result.ok
    servers, urls = [], {}
    # Each site is served under the path of its base URL, as it will be hosted (404.html links absolutely).
    for audience, base_path in (("internal", "roadmap/"), ("public", "")):
        served = root / "served" / audience
        shutil.copytree(root / "out" / audience, served / base_path, dirs_exist_ok=True)
        handler = functools.partial(_Quiet, directory=str(served))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[audience] = f"http://127.0.0.1:{server.server_address[1]}/{base_path}"
    yield urls
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("ROADMAPGEN_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _cases() -> list[tuple[str, str, str]]:
    cases = [("public", name, width) for name in PAGES for width in WIDTHS]
    cases += [("internal", name, width) for name in INTERNAL_PAGES for width in WIDTHS]
    return cases


def _axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]}}
    )
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize(("audience", "name", "width"), _cases(), ids=lambda v: str(v))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_is_accessible_and_fits(
    browser, sites, shots: Path, audience: str, name: str, width: str, scheme: str
) -> None:
    path = (INTERNAL_PAGES if audience == "internal" else PAGES)[name]
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(sites[audience] + path)
    assert response is not None and response.ok
    page.screenshot(path=str(shots / f"{audience}-{name}-{width}-{scheme}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    violations = _axe_violations(page)
    context.close()
    assert errors == []
    assert overflow <= 1, f"{path} is {overflow}px wider than a {WIDTHS[width]}px screen"
    assert violations == []


def test_public_board_works_without_javascript(browser, sites) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sites["public"] + "roadmap/")
    assert page.get_by_role("heading", name="Now").is_visible()
    page.get_by_role("link", name="Single sign-on with SAML").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Single sign-on with SAML"
    context.close()


@pytest.mark.parametrize("audience", ["public", "internal"])
@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_finds_an_item_by_a_word_of_its_body(browser, sites, audience: str, width: str, scheme: str) -> None:
    """The index loads only when someone types; results show the item's status and lead to it."""
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 800}, color_scheme=scheme)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(sites[audience] + "personas/")
    assert not [url for url in fetched if "/pagefind/" in url]  # nothing of the index before it is used
    page.get_by_role("searchbox", name="Search").fill("Entra")  # a word of the SSO item's body
    first = page.locator(".rg-search-results li").first
    first.wait_for()
    assert first.locator("a").inner_text() == "Single sign-on with SAML"
    assert first.locator(".rg-badge").inner_text() == "In progress"
    assert _axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    first.locator("a").click()
    page.wait_for_url("**/roadmap/saml-sso/")
    context.close()


def test_without_javascript_search_is_a_link_to_the_roadmap(browser, sites) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sites["public"] + "personas/")
    page.get_by_role("link", name="Find an item").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Roadmap"
    context.close()


def test_pages_print_cleanly(browser, sites) -> None:
    """Printed, an item page keeps its content, drops navigation and search, and shows where links that leave
    the site lead (a relative path means nothing on paper); the roadmap drops its filter form."""
    page = browser.new_page()
    page.goto(sites["public"] + "roadmap/saml-sso/")
    page.emulate_media(media="print")
    assert page.locator(".rg-nav").is_hidden() and page.locator(".rg-footer").is_hidden()
    assert page.get_by_role("heading", level=1).is_visible()

    def after(selector: str) -> str:
        return page.evaluate(f"getComputedStyle(document.querySelector({selector!r}), '::after').content")

    assert after('main a[href^="http"]').startswith('" (https://')
    assert after('main a[href^="../"]') == "none"
    page.goto(sites["public"] + "roadmap/")
    page.emulate_media(media="print")
    assert page.locator("[data-rg-filters]").is_hidden()
    page.close()


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_roadmap_filters_are_kept_in_the_address(browser, sites, width: str, scheme: str) -> None:
    """Choosing a tag filters the board and puts ?tag= in the URL; a reload, or the link shared, restores it."""
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(sites["public"] + "roadmap/")
    page.get_by_label("Tag").select_option("security")
    assert page.url.endswith("roadmap/?tag=security")
    shown = "[data-rg-item]:not([hidden])"
    visible = page.locator(f"{shown} .rg-card-title, {shown} > a").all_inner_texts()
    assert "Single sign-on with SAML" in visible and "Dark mode" not in visible
    assert page.get_by_role("status").inner_text().endswith("items match.")
    assert _axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.reload()
    assert page.get_by_label("Tag").input_value() == "security"
    assert page.get_by_role("link", name="Dark mode").is_hidden()
    page.get_by_label("Persona").select_option("maya-agent")
    assert "tag=security" in page.url and "persona=maya-agent" in page.url
    page.get_by_role("button", name="Clear").click()
    page.wait_for_function("!location.search")
    assert page.get_by_role("link", name="Dark mode").is_visible()
    context.close()


def test_without_javascript_the_filters_stay_hidden_and_tag_pages_work(browser, sites) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sites["public"] + "roadmap/?tag=security")
    assert page.locator("[data-rg-filters]").is_hidden()
    assert page.get_by_role("link", name="Dark mode").is_visible()  # nothing hidden without the script
    page.get_by_role("link", name="Single sign-on with SAML").first.click()
    page.get_by_role("link", name="security").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tagged “security”"
    context.close()


def test_the_feedback_link_carries_the_item_title(browser, sites) -> None:
    page = browser.new_page()
    page.goto(sites["public"] + "roadmap/csat-follow-ups/")
    link = page.get_by_role("link", name="Give feedback on this item")
    assert link.get_attribute("href") == ("https://github.com/brightdesk/roadmap/discussions/new?category=ideas"
                                          "&title=Follow%20up%20on%20unhappy%20ratings")  # the public wording
    page.close()


def test_a_generated_project_fits_a_phone(browser, tmp_path_factory) -> None:
    """Bodies with wide tables, long code lines and many tags (bench/make_corpus.py): before the grid
    columns could shrink, a third of such item pages were wider than a 390 px phone."""
    import subprocess
    import sys

    from tests.conftest import REPO

    root = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), "40", str(root / "project")], check=True,
                   capture_output=True)
    assert build(root / "project", BuildOptions(output_dir=root / "out", use_cache=False)).ok
    site = root / "out/public"
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
    wide = []
    for path in sorted(p.relative_to(site).as_posix() for p in site.glob("roadmap/*/index.html")):
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
        if (overflow := page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) > 1:
            wide.append((path, overflow))
    server.shutdown()
    assert len(list(site.glob("roadmap/*/index.html"))) > 20
    assert wide == []
