"""`roadmapgen build`: both sites into <output_dir>/internal and <output_dir>/public, or nothing."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from roadmapgen.cli.common import (
    EXIT_CONTENT,
    EXIT_OK,
    build_options,
    count,
    performance_options,
    print_problems,
    project_argument,
)
from roadmapgen.commands.build import BuildResult, audiences_for, build
from roadmapgen.model.loading import find_project


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("build", help="build the internal and public sites",
                                  description="Build the sites into <output_dir>/internal and <output_dir>/public.")
    project_argument(command)
    command.add_argument("--out", metavar="DIR", type=Path, help="write here instead of the config's output_dir")
    command.add_argument("--audience", choices=("all", "public", "internal"), default="all",
                         help="which site to build (default: all)")
    command.add_argument("--strict", action="store_true", help="treat every warning as an error")
    performance_options(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = find_project(Path(args.project))
    result = build(project, build_options(args, audiences=tuple(audiences_for(args.audience)), output_dir=args.out))
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    print_problems(result.report, sys.stderr)
    if result.failure is not None:
        print(f"roadmapgen: error: {result.failure}", file=sys.stderr)
        print("Build failed; nothing was written.", file=sys.stderr)
        return EXIT_CONTENT
    if not result.ok:
        print(f"Build failed: {count(result.report)}; nothing was written.", file=sys.stderr)
        return EXIT_CONTENT
    print(summary(result))
    return EXIT_OK


def summary(result: BuildResult) -> str:
    """A one-screen table of what was built, like Hugo's."""
    where = os.path.relpath(result.output_dir) if result.output_dir else "?"
    if result.up_to_date:
        return f"Nothing changed since the last build; {where}/ is up to date ({result.seconds * 1000:.0f} ms)."
    audiences = list(result.sites)
    rows = [
        ("Pages", "pages"),
        ("Feeds and data files", "files"),
        ("Assets", "assets"),
        ("Written this time", "rendered"),
    ]
    header = "                      " + "".join(f"| {a.value.upper():>9} " for a in audiences)
    lines = [header, "-" * 22 + "+-----------" * len(audiences)]
    for label, attr in rows:
        lines.append(f" {label:<21}" + "".join(f"| {getattr(result.sites[a], attr):>9} " for a in audiences))
    lines.append("")
    lines.append(f"Warnings: {len(result.report.warnings)}")
    lines.append(f"Built in {result.seconds * 1000:.0f} ms into {where}/")
    return "\n".join(lines)
