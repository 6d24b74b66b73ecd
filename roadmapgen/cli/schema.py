"""`roadmapgen schema`: the JSON Schema of a front-matter type, for editors."""

from __future__ import annotations

import argparse
import json

from roadmapgen.cli.common import EXIT_OK
from roadmapgen.commands.schema import SCHEMA_TYPES, schema_for


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "schema", help="print the JSON Schema of a front-matter type",
        description="Print the JSON Schema of a document type (all types when none is given), "
                    "for editors using yaml-language-server.",
    )
    command.add_argument("type", nargs="?", choices=SCHEMA_TYPES, metavar="TYPE",
                         help=", ".join(SCHEMA_TYPES))
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print(json.dumps(schema_for(args.type), indent=2, ensure_ascii=False))
    return EXIT_OK
