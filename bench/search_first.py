#!/usr/bin/env python3
"""What a customer's first search costs: requests and bytes from typing a word to the first results.

Builds the N-item corpus's public site (or takes --site), serves it, opens a persona page in
headless Chromium, types each query once in a fresh page and counts every request made after
typing until the first result is shown, with the bytes they transferred. The goal (issue 21):
at 10,000 items, at most 20 requests and 300 KB.

    python bench/search_first.py --size 10000
    python bench/search_first.py --site /tmp/out/public
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import subprocess
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, WORK, corpus  # noqa: E402

QUERIES = ("dashboard", "encryption", "billing", "export", "workflow latency")


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def first_search(browser: object, site: str, query: str) -> tuple[int, int]:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(site + "personas/")
    requests: list[object] = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.get_by_role("searchbox", name="Search").fill(query)
    page.locator(".rg-search-results li").first.wait_for(timeout=60_000)
    sizes = [request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"] for request in requests]
    page.close()
    return len(sizes), sum(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--site", type=Path, help="a built public site (default: build the corpus's)")
    args = parser.parse_args()
    site = args.site
    if site is None:
        project, _ = corpus(args.size)
        out = WORK / f"search-first-{args.size}"
        subprocess.run([sys.executable, "-m", "roadmapgen", "build", str(project), "--out", str(out),
                        "--audience", "public", "--no-cache"], check=True, cwd=REPO, capture_output=True)
        site = out / "public"
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        found = {query: first_search(browser, url, query) for query in QUERIES}
        browser.close()
    server.shutdown()
    for query, (requests, size) in found.items():
        print(f"{query!r:>20}: {requests:3d} requests, {size / 1024:7.1f} KB")
    print(f"median: {statistics.median(r for r, _ in found.values())} requests, "
          f"{statistics.median(s for _, s in found.values()) / 1024:.1f} KB")


if __name__ == "__main__":
    main()
