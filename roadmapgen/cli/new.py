"""`roadmapgen new`: a new document from its kind's template, internal until made public."""

from __future__ import annotations

import argparse
import datetime as dt
import os

from roadmapgen.cli.common import EXIT_OK, project_argument, project_config, source_date
from roadmapgen.commands.scaffold import NEW_KINDS, new_document
from roadmapgen.kinds.registry import KINDS


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    labels = [KINDS[kind].label for kind in NEW_KINDS]
    command = commands.add_parser(
        "new", help="start a new document from a template",
        description=f"Write a new {', '.join(labels[:-1])} or {labels[-1]} from a template that passes "
                    "'roadmapgen check'. NAME is a title ('Bulk export') or a file name ('bulk-export'); for a "
                    "release, its version. New documents are internal until you write 'visibility: public'.",
    )
    command.add_argument("kind", choices=NEW_KINDS, metavar="KIND", help=", ".join(NEW_KINDS))
    command.add_argument("name", metavar="NAME", help="the title or file name; a release's version")
    project_argument(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = project_config(args.project)
    path = new_document(config.content_dir, args.kind, args.name, source_date() or dt.date.today())
    print(f"Created {os.path.relpath(path)}")
    return EXIT_OK
