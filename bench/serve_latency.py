#!/usr/bin/env python3
"""Save-to-served latency of `roadmapgen serve`, against `hugo server` on the same items.

For each project size: start both servers, then edit one item file at a time and time
how long it takes until the changed page is served:

- roadmapgen: an event stream is open for the page (as a browser tab has), so the time
  runs from writing the file to the 'reload' event plus fetching the page;
- hugo: the page is fetched every 2 ms until it shows the change.

    python bench/serve_latency.py                # 1k and 10k items, 21 edits each
    python bench/serve_latency.py --sizes 1000 --edits 9
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, corpus, hugo_binary, median, percentile  # noqa: E402

EDITED = [f"item-{n:05d}" for n in (42, 137, 256, 512, 777)]


def start(
    command: list[str], ready: re.Pattern[str], cwd: Path | None = None
) -> tuple[subprocess.Popen[str], str, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.stdout is not None
    for line in process.stdout:
        match = ready.search(line)
        if match:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # drain
            return process, match.group(1), time.perf_counter() - started
    sys.exit(f"{command[0]} did not start:\n" + (process.stdout.read() if process.stdout else ""))


def get(base: str, path: str) -> str:
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode("utf-8", "replace")
    except (http.client.HTTPException, ConnectionError):
        return ""  # a server swapping the page while it answers; the caller polls again
    finally:
        connection.close()


def listen(base: str, page: str, events: queue.Queue[float]) -> None:
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=3600)
    connection.request("GET", f"/__roadmapgen/events?page={page}")
    stream = connection.getresponse()
    for line in stream.fp:
        if line.startswith(b"event: reload"):
            events.put(time.perf_counter())


def edit(path: Path, token: str) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\nBenchmark edit \w+\.\n", "\n", text)
    path.write_text(text.rstrip("\n") + f"\n\nBenchmark edit {token}.\n", encoding="utf-8")


def roadmapgen_latencies(project: Path, edits: int) -> tuple[list[float], float]:
    process, base, startup = start([sys.executable, "-m", "roadmapgen", "serve", str(project), "--port", "0"],
                                   re.compile(r"Serving the \w+ site at (http://\S+)/"))
    try:
        latencies = []
        for number in range(edits + 3):
            slug = EDITED[number % len(EDITED)]
            page = f"/roadmap/{slug}/"
            get(base, page)
            events: queue.Queue[float] = queue.Queue()
            threading.Thread(target=listen, args=(base, page, events), daemon=True).start()
            time.sleep(0.2)  # the stream is open, like a browser tab showing the page
            token = f"rg{number}x{time.time_ns()}"
            began = time.perf_counter()
            edit(project / "content/roadmap" / f"{slug}.md", token)
            while True:
                events.get(timeout=60)
                if token in get(base, page):
                    break
            if number >= 3:  # the first edits warm caches up
                latencies.append(time.perf_counter() - began)
        return latencies, startup
    finally:
        process.terminate()
        process.wait(10)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hugo_latencies(site: Path, edits: int) -> tuple[list[float], float]:
    command = [hugo_binary(), "server", "--port", str(free_port()), "--bind", "127.0.0.1"]
    process, base, startup = start(command, re.compile(r"Web Server is available at (http://localhost:\d+)"), cwd=site)
    try:
        latencies = []
        for number in range(edits + 3):
            slug = EDITED[number % len(EDITED)]
            page = f"/roadmap/{slug}/"
            get(base, page)
            token = f"hg{number}x{time.time_ns()}"
            began = time.perf_counter()
            edit(site / "content/roadmap" / f"{slug}.md", token)
            while token not in get(base, page):
                time.sleep(0.002)
            if number >= 3:
                latencies.append(time.perf_counter() - began)
        return latencies, startup
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated item counts")
    parser.add_argument("--edits", type=int, default=21, help="timed edits per server and size")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo peer")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        project, hugo_site = corpus(size)
        ours, our_start = roadmapgen_latencies(project, args.edits)
        row = [size, median(ours) * 1000, percentile(ours, 0.9) * 1000, our_start]
        if not args.no_hugo:
            theirs, their_start = hugo_latencies(hugo_site, args.edits)
            row += [median(theirs) * 1000, percentile(theirs, 0.9) * 1000, their_start, median(ours) / median(theirs)]
        rows.append(row)
        print(
            f"{size} items: roadmapgen median {row[1]:.0f} ms"
            + (f", hugo median {row[4]:.0f} ms" if len(row) > 4 else ""),
            flush=True,
        )
    print("\n| items | roadmapgen serve: median / p90 (startup) | hugo server: median / p90 (startup) | ratio |")
    print("|---:|---:|---:|---:|")
    for row in rows:
        peer = f"{row[4]:.0f} / {row[5]:.0f} ms ({row[6]:.1f} s)" if len(row) > 4 else "-"
        ratio = f"{row[7]:.2f}" if len(row) > 4 else "-"
        print(f"| {row[0]:,} | {row[1]:.0f} / {row[2]:.0f} ms ({row[3]:.1f} s) | {peer} | {ratio} |")


if __name__ == "__main__":
    main()
