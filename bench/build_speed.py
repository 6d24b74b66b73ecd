#!/usr/bin/env python3
"""Build speed and peak memory of `roadmapgen build` against Hugo, on the same items, in one run.

For each size the generators run alternately, `--runs` times each:

- hugo: a full build of the same roadmap items (one site, minimal templates);
- hugo + pagefind: that build, then Pagefind's command line over Hugo's output: the peer a user would
  pick for a searchable static site (its time is the sum, its memory the larger of the two);
- roadmapgen cold: both sites and both search indexes, with an empty cache and no previous output;
- roadmapgen unchanged: the same build again (warm cache, previous output in place);
- roadmapgen right after: the same build again at once, within the two seconds file times cannot be
  trusted in (as CI runs a build right after a check, or a script builds twice);
- roadmapgen one file: after editing one item's body.

Prints medians of wall time and of peak memory (PSS of the whole process tree), and the
ratios the speed issue sets targets for.

    python bench/build_speed.py                      # 1k and 10k items, 3 runs each
    python bench/build_speed.py --sizes 10000,100000 --runs 1 --hugo-up-to 10000   # 100k scaling
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, WORK, Run, corpus, hugo_binary, measure, median  # noqa: E402

sys.path.insert(0, str(REPO))
from roadmapgen.search import pagefind_binary  # noqa: E402

ROADMAPGEN = [sys.executable, "-m", "roadmapgen", "build"]
ENV = {"PYTHONPATH": str(REPO)}


def hugo(site: Path, out: Path) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / "resources", ignore_errors=True)
    return measure([hugo_binary(), "--quiet", "--destination", str(out)], cwd=site)


def hugo_and_pagefind(site: Path, out: Path) -> Run:
    built = hugo(site, out)
    indexed = measure([str(pagefind_binary()), "--site", str(out), "--silent"], cwd=out)
    return Run(built.seconds + indexed.seconds, max(built.peak_mib, indexed.peak_mib))


def roadmapgen(project: Path, out: Path, cache: Path) -> Run:
    run = measure([*ROADMAPGEN, str(project), "--out", str(out), "--cache-dir", str(cache)], env=ENV)
    settle(out)
    return run


def settle(out: Path, limit: float = 120.0) -> None:
    """Wait until the previous output, deleted in the background, is gone, so nothing measured
    next (roadmapgen or hugo) competes with that deletion."""
    deadline = time.monotonic() + limit
    while any(out.glob(".*.staging-*")) and time.monotonic() < deadline:
        time.sleep(0.1)


def edit_one(project: Path, run: int) -> None:
    item = project / "content/roadmap/item-00042.md"
    text = item.read_text(encoding="utf-8").split("\nBench edit")[0]
    # A new sentence every time: the corpus outlives a run, and an edit equal to the last one is no edit.
    item.write_text(text + f"\nBench edit {run} {time.time_ns()}.\n", encoding="utf-8")
    time.sleep(2.1)  # older than the build's two-second trust window, like a real save before a build


def bench(size: int, runs: int, with_hugo: bool = True) -> dict[str, list[Run]]:
    project, site = corpus(size)
    out, cache, hugo_out = WORK / f"out-{size}", WORK / f"cache-{size}", WORK / f"hugo-out-{size}"
    results: dict[str, list[Run]] = {"hugo": [], "hugo + pagefind": [], "cold": [], "unchanged": [],
                                     "right after": [], "one file": []}
    for run in range(runs):
        if with_hugo:
            results["hugo"].append(hugo(site, hugo_out))
            results["hugo + pagefind"].append(hugo_and_pagefind(site, hugo_out))
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        results["cold"].append(roadmapgen(project, out, cache))
        time.sleep(2.1)  # past the trust window: 'unchanged' is the stamp's fast path
        results["unchanged"].append(roadmapgen(project, out, cache))
        edit_one(project, run)
        results["one file"].append(roadmapgen(project, out, cache))
        results["right after"].append(roadmapgen(project, out, cache))
        print(
            f"  {size} items, run {run + 1}: "
            + ", ".join(f"{name} {rs[-1].seconds:.2f}s" for name, rs in results.items() if rs),
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated item counts (100000 on request)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each build per size")
    parser.add_argument("--hugo-up-to", type=int, default=10**9, metavar="N",
                        help="run Hugo only for sizes up to N items (Hugo needs about 2.3 GB per 10k items)")
    args = parser.parse_args()
    table = []
    for size in (int(s) for s in args.sizes.split(",")):
        results = bench(size, args.runs, with_hugo=size <= args.hugo_up_to)
        seconds = {name: median([r.seconds for r in rs]) for name, rs in results.items() if rs}
        memory = {name: median([r.peak_mib for r in rs]) for name, rs in results.items() if rs}
        table.append((size, seconds, memory))
    print("\n| items | hugo | hugo + pagefind | roadmapgen cold | unchanged | right after | one file "
          "| peak memory hugo / roadmapgen |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, seconds, memory in table:
        base, peer = seconds.get("hugo"), seconds.get("hugo + pagefind")
        cells = [f"{seconds[name]:.2f} s" + (f" ({seconds[name] / base:.2f}× hugo" + (
            f", {seconds[name] / peer:.2f}× peer)" if name == "cold" and peer else ")") if base else "")
                 for name in ("cold", "unchanged", "right after", "one file")]
        if base:
            mem = f"{memory['hugo']:.0f} / {memory['cold']:.0f} MiB ({memory['cold'] / memory['hugo']:.2f}×)"
        else:
            mem = f"not run / {memory['cold']:.0f} MiB"
        peers = (f"{base:.2f} s | {peer:.2f} s" if base and peer else "not run | not run")
        print(f"| {size:,} | {peers} | " + " | ".join(cells) + f" | {mem} |")
    if len(table) > 1:
        (small, s1, _), (large, s2, _) = table[-2], table[-1]
        print(
            f"\ncold build, {large:,} vs {small:,} items: {s2['cold'] / s1['cold']:.1f}× the time for "
            f"{large / small:.0f}× the items"
        )


if __name__ == "__main__":
    main()
