"""`roadmapgen init`: a new project that checks and builds as it is (and, if asked, its CI file)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from roadmapgen.about import docs_url
from roadmapgen.cli.ci import print_next_steps
from roadmapgen.cli.common import EXIT_OK, source_date
from roadmapgen.commands.ci import PLATFORMS, write_ci
from roadmapgen.commands.scaffold import init_project


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "init", help="start a new project",
        description="Start a project in DIR (made if missing): roadmapgen.yaml, a vision, a metric and one "
                    "document of each type, all internal, ready for 'roadmapgen serve'.",
    )
    command.add_argument("dir", metavar="DIR", type=Path, help="the folder to start the project in")
    command.add_argument("--ci", choices=PLATFORMS,
                         help="also write the CI file that checks, builds and publishes (see 'roadmapgen ci')")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    written = init_project(args.dir, source_date() or dt.date.today())
    for path in written:
        print(f"Created {os.path.relpath(path)}")
    if args.ci:
        print_next_steps(write_ci(args.dir, args.ci))
    where = os.path.relpath(args.dir)
    print(f"\nNext: roadmapgen serve {where}   (a live preview), then roadmapgen build {where}")
    print(f"Writing content, publishing, editors: {docs_url()}")
    return EXIT_OK
