"""What the commands share: the PROJECT argument, the cache options, the clock, and printing problems.

The command line (this package) is the only place that prints, reads the environment or
chooses an exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import TextIO

from roadmapgen.audience.context import Audience
from roadmapgen.commands.build import BuildOptions
from roadmapgen.config import ProjectConfig, load_config
from roadmapgen.errors import Report, UsageError
from roadmapgen.model.loading import find_project
from roadmapgen.seal import default_key_file

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

def project_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("project", nargs="?", default=".", metavar="PROJECT",
                         help="the project folder or a folder inside it (default: the current folder)")


def performance_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--no-cache", action="store_true",
                         help="read every file and render every page again, ignoring the cache and the previous output")
    command.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        help="where to keep the cache (default: .roadmapgen-cache in the project); keep it between CI runs",
    )
    command.add_argument("--jobs", metavar="N", type=int, default=0,
                         help="worker processes (default: one per core)")


def build_options(args: argparse.Namespace, *, audiences: tuple[Audience, ...] = tuple(Audience),
                  output_dir: Path | None = None) -> BuildOptions:
    """What ``build`` and ``check`` were asked: strictness, the cache and worker options, the clock."""
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per core) or more")
    return BuildOptions(audiences=audiences, output_dir=output_dir, strict=args.strict, source_date=source_date(),
                        jobs=args.jobs, use_cache=not args.no_cache, cache_dir=args.cache_dir,
                        cache_key_file=cache_key_file())


def cache_key_file() -> Path:
    """Where the key sealing the build cache lives: ROADMAPGEN_CACHE_KEY_FILE, else the user's cache folder."""
    named = os.environ.get("ROADMAPGEN_CACHE_KEY_FILE")
    if named:
        return Path(named)
    cache_home = os.environ.get("XDG_CACHE_HOME")
    return default_key_file(Path(cache_home) if cache_home and os.path.isabs(cache_home) else None)


def source_date() -> dt.date | None:
    """The date from SOURCE_DATE_EPOCH, the reproducible-builds clock."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {value!r}") from None


def print_problems(report: Report, out: TextIO = sys.stderr) -> None:
    for problem in report:
        print(problem.format(), file=out)


def count(report: Report) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


class Stop(Exception):
    """Ends a command with ``code``; what went wrong was printed already."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def project_config(project: str) -> ProjectConfig:
    """The configuration of the project holding ``project``.

    Raises:
        Stop: when roadmapgen.yaml has errors (printed).
    """
    config, problems = load_config(find_project(Path(project)))
    if config is None:
        print_problems(Report(problems))
        raise Stop(EXIT_CONTENT)
    return config
