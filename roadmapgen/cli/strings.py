"""`roadmapgen strings`: the theme's words, each under the key `strings:` in roadmapgen.yaml replaces."""

from __future__ import annotations

import argparse
import sys

import yaml

from roadmapgen.cli.common import EXIT_CONTENT, EXIT_OK, print_problems, project_argument, project_config
from roadmapgen.errors import Report
from roadmapgen.i18n import BUILT_IN_LANGUAGES, load_strings
from roadmapgen.themes import theme_chain


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "strings", help="list the theme's words and their keys, in the site's language",
        description="Print every word and sentence of the theme, in the project's language (or --language), "
                    "as YAML: copy any line under 'strings:' in roadmapgen.yaml to change it. Built-in "
                    f"catalogues: {', '.join(BUILT_IN_LANGUAGES)}; another language gets English words with its "
                    "own dates and numbers. Keys under 'internal.' appear on internal pages only.",
    )
    project_argument(command)
    command.add_argument("--language", metavar="LANG", help="list them in this language (a tag like 'de' or 'fr-CA')")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = project_config(args.project)
    strings = config.strings
    problems = Report()
    if args.language:
        strings, found = load_strings(theme_chain(config.theme_dir), args.language, config.settings.strings,
                                      config.places, "roadmapgen.yaml")
        problems.extend(found)
    print(f"# The theme's words in '{strings.language}' ({len(strings.table)} keys). Put any line under `strings:` "
          "in roadmapgen.yaml to change it.")
    print(yaml.safe_dump(dict(strings.table), allow_unicode=True, sort_keys=False, width=10_000), end="")
    if problems.problems:
        print_problems(problems, sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK
