"""`roadmapgen ci`: the pipeline that checks pull requests and publishes both sites on merge."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from roadmapgen.cli.common import EXIT_OK, project_argument
from roadmapgen.commands.ci import PLATFORMS, CiFile, write_ci
from roadmapgen.model.loading import find_project


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "ci", help="write the CI file that checks, builds and publishes both sites",
        description="Write a CI file at the root of the project's git repository: GitHub Actions "
                    "(.github/workflows/roadmap.yml) or GitLab CI (.gitlab-ci.yml). On pull or merge "
                    "requests it checks the content, builds both sites and reports what the merge "
                    "publishes; on the default branch it publishes the public site to Pages and keeps "
                    "the internal one private. An existing file is never overwritten.",
    )
    command.add_argument("platform", choices=PLATFORMS, metavar="PLATFORM", help=" or ".join(PLATFORMS))
    project_argument(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print_next_steps(write_ci(find_project(Path(args.project)), args.platform))
    return EXIT_OK


def print_next_steps(written: CiFile) -> None:
    print(f"Created {os.path.relpath(written.path)}\nTo finish setting it up:")
    for number, step in enumerate(written.next_steps, start=1):
        print(f"  {number}. {step}")
