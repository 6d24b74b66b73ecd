"""`roadmapgen import feedback` and `roadmapgen import responses`: exports in, checked files out."""

from __future__ import annotations

import argparse
import os
import sys
import typing
from pathlib import Path
from typing import TypeAlias

from roadmapgen.cli.common import EXIT_CONTENT, EXIT_OK, print_problems, project_argument, project_config
from roadmapgen.commands.importing import scales
from roadmapgen.commands.importing.columns import FIELDS, RESPONSE_FIELDS, ColumnMap, parse_mapping
from roadmapgen.commands.importing.dates import check_format
from roadmapgen.commands.importing.feedback import FeedbackImport, import_feedback
from roadmapgen.commands.importing.responses import ResponsesImport, import_responses
from roadmapgen.errors import Report, UsageError
from roadmapgen.kinds.front_matter import FeedbackSource
from roadmapgen.load.discover import ProjectFiles, discover

Parsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(commands: Parsers) -> None:
    command = commands.add_parser(
        "import", help="bring in feedback or survey answers from a CSV export",
        description="Bring customer evidence in from a CSV export (UTF-8, with a header line). 'feedback' "
                    "writes one checked feedback document per row; 'responses' appends survey scores to a "
                    "metric's responses file. See docs/feedback-loop.md for each tool's command line.",
    )
    kinds = command.add_subparsers(dest="what", metavar="WHAT", required=True)
    _register_feedback(kinds)
    _register_responses(kinds)


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument("--date-format", metavar="FORMAT",
                         help="how the date column writes dates, in strftime codes, e.g. '%%m/%%d/%%Y %%H:%%M:%%S' "
                              "(default: an ISO date or timestamp, 2026-11-28 or 2026-11-28T17:02:11Z)")
    command.add_argument("--dry-run", action="store_true", help="check every row and say what would be written; "
                                                                "write nothing")


def _register_feedback(kinds: Parsers) -> None:
    sources = typing.get_args(FeedbackSource)
    command = kinds.add_parser(
        "feedback", help="one internal feedback document per row",
        description="Write one internal feedback document per row of CSV (a survey, support, CRM or form "
                    "tool's export) into content/feedback/. Columns named like the fields map by themselves "
                    f"({', '.join(FIELDS)}); --map renames, and extra.NAME keeps any other column. Each row is "
                    "checked as 'roadmapgen check' would; a bad row is reported at its line and writes nothing. "
                    "An id is unique within its source; rows already imported (by id, or by their date, source, "
                    "customer and words under another id) are skipped; existing files are never overwritten.",
        epilog="Exit codes: 0 every row was imported or skipped, 1 some rows were rejected, 2 usage error.",
    )
    command.add_argument("csv", type=Path, metavar="CSV", help="the CSV file (UTF-8, with a header line)")
    project_argument(command)
    command.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help="fill FIELD from the column named COLUMN, e.g. --map quote=Comment or "
                              "--map extra.plan_tier=Tier; repeatable")
    command.add_argument("--source", choices=sources, metavar="SOURCE",
                         help="the source of rows without one: " + ", ".join(sources))
    command.add_argument("--sentiment-from", metavar="COLUMN",
                         help="derive the sentiment from a column of scores (NPS 0-10, CSAT 1-5, CES 1-7) or "
                              "words (Good/Bad, Satisfied...)")
    command.add_argument("--scale", choices=scales.SCALE_NAMES,
                         help="the scale of --sentiment-from (default: told from the column's name and values)")
    command.add_argument("--skip-empty", action="append", default=[], metavar="COLUMN",
                         help="skip rows whose COLUMN is blank (e.g. a survey's comment); repeatable")
    _common(command)
    command.set_defaults(run=run_feedback)


def _register_responses(kinds: Parsers) -> None:
    command = kinds.add_parser(
        "responses", help="append survey scores to a metric's responses file",
        description="Append the answers of a survey export to the responses file of METRIC (a metric with "
                    "'responses:'): the day, the score and a one-way hash of the answer's id, nothing else - "
                    "no e-mail, name or comment enters the repository. Answers already in the file are "
                    "skipped; rows without a score are not answers. Words map for CSAT (Good, Bad...) and "
                    "NPS (Promoter, Passive, Detractor).",
        epilog="Exit codes: 0 every answer was added or skipped, 1 some rows were rejected, 2 usage error.",
    )
    command.add_argument("csv", type=Path, metavar="CSV", help="the CSV file (UTF-8, with a header line)")
    command.add_argument("metric", metavar="METRIC", help="the metric's slug (its file name without .yaml)")
    project_argument(command)
    command.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help="date=COLUMN and score=COLUMN (needed unless the columns are named so); "
                              "id=COLUMN for the answer's id")
    _common(command)
    command.set_defaults(run=run_responses)


def _mapping(pairs: list[str], fields: tuple[str, ...], what: str) -> ColumnMap:
    try:
        return parse_mapping(pairs, fields, extra=what == "feedback", what=what)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _read(args: argparse.Namespace) -> tuple[bytes, ProjectFiles, Path]:
    if args.date_format is not None and (why := check_format(args.date_format)) is not None:
        raise UsageError(f"--date-format {args.date_format!r} {why}")
    config = project_config(args.project)
    try:
        data = args.csv.read_bytes()
    except OSError as exc:
        raise UsageError(f"{args.csv}: {exc.strerror}") from None
    files, _ = discover(config.project_dir, config.content_dir)
    return data, files, config.content_dir


def run_feedback(args: argparse.Namespace) -> int:
    mapping = _mapping(args.map, FIELDS, "feedback")
    if args.sentiment_from and "sentiment" in mapping.fields:
        raise UsageError("give --sentiment-from or --map sentiment=COLUMN, not both")
    if args.scale and not args.sentiment_from:
        raise UsageError("--scale says how to read --sentiment-from: give both")
    data, files, content_dir = _read(args)
    how = FeedbackImport(mapping, args.source, args.date_format,
                         args.sentiment_from.strip().lower() if args.sentiment_from else None, args.scale,
                         tuple(column.strip().lower() for column in args.skip_empty), args.dry_run)
    result = import_feedback(data, str(args.csv), content_dir, files, how)
    print_problems(Report(result.problems), sys.stderr)
    for note in result.notes:
        print(f"{args.csv}: {note}")
    for line, earlier in result.duplicates[:5]:
        print(f"{args.csv}:{line}: already imported as {earlier} under another id; skipped")
    if len(result.duplicates) > 5:
        print(f"{args.csv}: ... and {len(result.duplicates) - 5} more rows imported before under another id")
    verb = "Would create" if args.dry_run else "Created"
    for path in result.created:
        print(f"{verb} {os.path.relpath(path)}")
    skipped = result.skipped + len(result.duplicates)
    parts = [f"{len(result.created)} {'would be created' if args.dry_run else 'created'}",
             f"{skipped} skipped (already imported)"]
    if result.empty:
        parts.append(f"{result.empty} skipped (empty {', '.join(map(repr, how.skip_empty))})")
    print(f"{args.csv}: {', '.join(parts)}, {result.rejected} rejected.")
    if result.duplicates:
        print("Rows were imported before under other ids: map import_id to the column the first import used "
              "(--map import_id=COLUMN), so each row keeps one id.")
    return EXIT_CONTENT if result.problems else EXIT_OK


def run_responses(args: argparse.Namespace) -> int:
    mapping = _mapping(args.map, RESPONSE_FIELDS, "responses")
    data, files, content_dir = _read(args)
    result = import_responses(data, str(args.csv), content_dir, files, args.metric,
                              ResponsesImport(mapping, args.date_format, args.dry_run))
    print_problems(Report(result.problems), sys.stderr)
    for note in result.notes:
        print(f"note: {note}")
    added = f"{result.added} {'would be added' if args.dry_run else 'added'}"
    print(f"{result.target}: {added}, {result.skipped} skipped (already there), {result.unanswered} without a "
          f"score, {result.rejected} rejected.")
    return EXIT_CONTENT if result.problems else EXIT_OK
