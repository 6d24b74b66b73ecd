"""What loading git history costs: last-changed dates and item versions at 10k items.

A copy of the 10k corpus becomes a git repository with a history a team might have: the
first commit, then commits that start 2,000 planned items (in progress), retarget 1,000 and make
500 public. It then times, alternately, ``--runs`` times each:

  git log    ``git log --name-only`` over the project alone: git's own floor, the peer
  history    what a build does: one log read (load/git.py), the dates (load/dates.py)
             and every version of every item (load/versions.py)
  check      ``roadmapgen check``, the whole load with history, for scale

and prints medians, with history as a ratio of each.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import REPO, WORK, corpus

sys.path.insert(0, str(REPO))

from roadmapgen.config import load_config  # noqa: E402
from roadmapgen.load.dates import last_changed  # noqa: E402
from roadmapgen.load.discover import discover  # noqa: E402
from roadmapgen.load.git import read_log  # noqa: E402
from roadmapgen.load.versions import item_versions  # noqa: E402
from roadmapgen.model.read import checked_front_matter  # noqa: E402


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com", *args], cwd=cwd,
                   check=True, capture_output=True)


def edit(files: list[Path], pattern: str, replacement: str) -> None:
    for path in files:
        path.write_text(re.sub(pattern, replacement, path.read_text(), count=1, flags=re.M))


def repository(size: int) -> Path:
    """The corpus with a four-commit history, made once."""
    target = WORK / f"history-{size}"
    if (target / ".done").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(corpus(size)[0], target)
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-qm", "first")
    items = sorted((target / "content/roadmap").glob("*.md"))
    planned = [path for path in items if "\nstatus: planned\n" in path.read_text()]
    for message, chosen, pattern, replacement in (
        ("start 2,000 planned items", planned[:2000], r"^status: planned$", "status: in-progress"),
        ("retarget 1,000 items", items[1000:2000], r"^target: .*$", "target: 2027-Q2"),
        ("publish 500 items", items[3000:3500], r"^visibility: .*$", "visibility: public"),
    ):
        edit(chosen, pattern, replacement)
        git(target, "commit", "-qam", message)
    (target / ".done").write_text("ok\n")
    return target


def timed(action) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    project = repository(args.size)
    config, _ = load_config(project)
    assert config is not None
    files, _ = discover(project, config.content_dir)

    def history() -> None:
        log = read_log(project)
        last_changed(project, files.documents, log)
        item_versions(project, files.documents, log, checked_front_matter)

    def git_log() -> None:
        subprocess.run(["git", "log", "--format=%x00%h %ct", "--name-only", "--no-renames", "--", str(project)],
                       cwd=project, check=True, capture_output=True)

    def check() -> None:
        subprocess.run([sys.executable, "-m", "roadmapgen", "check", str(project)], check=True, capture_output=True)

    log = read_log(project)
    versions = item_versions(project, files.documents, log, checked_front_matter)
    print(f"{args.size} items, {sum(map(len, versions.values()))} item versions in 4 commits")
    times: dict[str, list[float]] = {"git log": [], "history": [], "check": []}
    for _ in range(args.runs):
        for name, action in (("git log", git_log), ("history", history), ("check", check)):
            times[name].append(timed(action))
    medians = {name: statistics.median(found) for name, found in times.items()}
    for name, median in medians.items():
        print(f"{name:>8}: median {median * 1000:8.0f} ms  (runs: {', '.join(f'{t * 1000:.0f}' for t in times[name])})")
    print(f"history / git log: {medians['history'] / medians['git log']:.1f}x; "
          f"history / check: {100 * medians['history'] / medians['check']:.0f}%")


if __name__ == "__main__":
    main()
