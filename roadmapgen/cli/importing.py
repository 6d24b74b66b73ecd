"""`roadmapgen import feedback`: one checked, internal feedback document per row of a CSV export."""

from __future__ import annotations

import argparse
import os
import sys
import typing
from pathlib import Path

from roadmapgen.cli.common import EXIT_CONTENT, EXIT_OK, print_problems, project_argument, project_config
from roadmapgen.commands.importer import FIELDS, import_feedback, parse_mapping
from roadmapgen.errors import Report, UsageError
from roadmapgen.kinds.front_matter import FeedbackSource
from roadmapgen.load.discover import discover


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sources = typing.get_args(FeedbackSource)
    command = commands.add_parser(
        "import", help="write a feedback document for each row of a CSV export",
        description="Write one internal feedback document per row of CSV (a survey, support or form "
                    "tool's export) into content/feedback/. Columns named like the fields map by "
                    f"themselves ({', '.join(FIELDS)}); --map renames. Each row is checked as "
                    "'roadmapgen check' would; a bad row is reported at its line and writes nothing. "
                    "Running the same import again skips the rows already imported (by import_id, or "
                    "a hash of the row); existing files are never overwritten.",
        epilog="Exit codes: 0 every row was imported or skipped, 1 some rows were rejected, 2 usage error.",
    )
    command.add_argument("what", choices=("feedback",), metavar="WHAT", help="feedback")
    command.add_argument("csv", type=Path, metavar="CSV", help="the CSV file (UTF-8, with a header line)")
    project_argument(command)
    command.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help="fill FIELD from the column named COLUMN, e.g. --map quote=Comment; repeatable")
    command.add_argument("--source", choices=sources, metavar="SOURCE",
                         help="the source of rows without one: " + ", ".join(sources))
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        mapping = parse_mapping(args.map)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    config = project_config(args.project)
    try:
        data = args.csv.read_bytes()
    except OSError as exc:
        raise UsageError(f"{args.csv}: {exc.strerror}") from None
    files, _ = discover(config.project_dir, config.content_dir)
    result = import_feedback(data, str(args.csv), config.content_dir, files, mapping, args.source)
    print_problems(Report(result.problems), sys.stderr)
    for path in result.created:
        print(f"Created {os.path.relpath(path)}")
    print(f"{args.csv}: {len(result.created)} created, {result.skipped} skipped (already imported), "
          f"{result.rejected} rejected.")
    return EXIT_CONTENT if result.problems else EXIT_OK
