"""`roadmapgen link`: name an item in every feedback entry with a tag, editing the files in place."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import typing

from roadmapgen.cli.common import EXIT_CONTENT, EXIT_OK, print_problems, project_argument, project_config
from roadmapgen.commands.importing.known import ItemNames
from roadmapgen.commands.link import Selection, link_feedback
from roadmapgen.errors import Report, UsageError, did_you_mean
from roadmapgen.kinds.front_matter import FeedbackSource
from roadmapgen.load.discover import discover


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sources = typing.get_args(FeedbackSource)
    command = commands.add_parser(
        "link", help="name an item in the feedback entries with a tag",
        description="Add ITEM (its slug or exact title) to the 'items' of every feedback entry tagged TAG, "
                    "editing each file in place: comments, key order, quoting and the body stay byte for byte "
                    "as they were. A file that would stop passing 'roadmapgen check' is left as it is and "
                    "reported.",
        epilog="Exit codes: 0 every matching entry names the item, 1 some files were left as they were, "
               "2 usage error.",
    )
    command.add_argument("item", metavar="ITEM", help="the item's slug or exact title")
    project_argument(command)
    command.add_argument("--feedback-tag", action="append", required=True, metavar="TAG",
                         help="link entries with this tag (case aside); repeat for any of several")
    command.add_argument("--source", choices=sources, metavar="SOURCE",
                         help="only entries from this source: " + ", ".join(sources))
    command.add_argument("--since", type=_day, metavar="DATE", help="only entries given on or after DATE (YYYY-MM-DD)")
    command.add_argument("--dry-run", action="store_true", help="say which files would change; change none")
    command.set_defaults(run=run)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-01") from None


def run(args: argparse.Namespace) -> int:
    config = project_config(args.project)
    files, _ = discover(config.project_dir, config.content_dir)
    names = ItemNames.read(files)
    try:
        item = names.slug_of(args.item)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if item not in names.slugs:
        raise UsageError(f"no roadmap item '{args.item}'{did_you_mean(args.item, names.slugs)}")
    selection = Selection(frozenset(tag.casefold() for tag in args.feedback_tag), args.source, args.since)
    result = link_feedback(files, item, selection, dry_run=args.dry_run)
    print_problems(Report(result.problems), sys.stderr)
    verb = "Would link" if args.dry_run else "Linked"
    for path in result.linked:
        print(f"{verb} {path}")
    print(f"{item}: {len(result.linked)} {'would be linked' if args.dry_run else 'linked'}, {result.already} already "
          f"linked, {len(result.problems)} left as they were.")
    return EXIT_CONTENT if result.problems else EXIT_OK
