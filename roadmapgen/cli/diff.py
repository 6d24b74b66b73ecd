"""`roadmapgen diff`: what changes between git revisions, as one audience sees it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from roadmapgen.audience.context import Audience
from roadmapgen.cli.common import EXIT_CONTENT, EXIT_OK, count, print_problems
from roadmapgen.commands.diff import FORMATS, commit_of, diff, split_range
from roadmapgen.errors import UsageError
from roadmapgen.model.loading import find_project


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "diff",
        help="show how the roadmap changed between git revisions",
        usage=("roadmapgen diff [-h] REV [REV2] [PROJECT] [--audience {internal,public}] [--format "
               "{text,json,markdown}]"),
        description="Compare what a site shows at git revision REV with REV2 (default: the working tree), "
        "document by document: items added, removed, moved between horizons, changed status, retargeted or "
        "renamed; releases, personas, objectives and metrics added, removed or changed; visibility flips; "
        "new metric points; changed text. REV may be a range: A..B (A to B) or A...B (what B adds since "
        "it left A). With --audience public, only what customers would see change: what merging will "
        "newly publish. "
        "With two arguments after REV, the first is REV2; with one, it is REV2 if git knows it "
        "as a revision, else PROJECT.",
    )
    command.add_argument("revisions", nargs="+", metavar="REV", help="REV [REV2] [PROJECT]")
    command.add_argument("--audience", choices=tuple(Audience), default="internal",
                         help="whose view of the roadmap to compare (default: internal)")
    command.add_argument("--format", choices=tuple(FORMATS), default="text",
                         help="text, json, or markdown (a table for a pull-request comment)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    before, after, folder, label = _arguments(args.revisions)
    project = find_project(Path(folder))
    result = diff(project, before, after, Audience(args.audience), label)
    print_problems(result.report, sys.stderr)
    if result.report.failed:
        print(f"Cannot compare: {count(result.report)}.", file=sys.stderr)
        return EXIT_CONTENT
    print(FORMATS[args.format](result))
    return EXIT_OK


def _arguments(revisions: list[str]) -> tuple[str, str | None, str, str | None]:
    """(REV, REV2 or None for the working tree, the PROJECT folder, the range as written)."""
    if len(revisions) > 3:
        raise UsageError("diff takes REV [REV2] [PROJECT]")
    before, *rest = revisions
    if ".." in before:
        if len(rest) > 1:
            raise UsageError("diff takes A..B [PROJECT]")
        folder = rest[0] if rest else "."
        split = split_range(find_project(Path(folder)), before)
        assert split is not None
        return split[0], split[1], folder, before
    if len(rest) == 2:
        return before, rest[0], rest[1], None
    if rest and (commit_of(Path("."), rest[0]) or not Path(rest[0]).is_dir()):
        return before, rest[0], ".", None
    return before, None, rest[0] if rest else ".", None
