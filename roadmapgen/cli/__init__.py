"""The command line: the only package that prints, reads the environment or exits.

Each command is a module here with ``register`` (its parser) and ``run`` (what it does with
what was asked, returning the exit code); :func:`make_parser` assembles them, as MkDocs'
``commands`` are. Exit codes: 0 success, 1 the content has errors or the build could not
finish (nothing written), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from roadmapgen import __version__
from roadmapgen.cli import build, check, ci, diff, importing, init, link, new, schema, serve, strings
from roadmapgen.cli.common import EXIT_OK, EXIT_USAGE, Stop
from roadmapgen.errors import UsageError

COMMANDS = (build, check, serve, new, init, schema, strings, diff, ci, importing, link)
"""In the order --help lists them."""

DESCRIPTION = """\
Build an internal and a public roadmap site from Markdown and YAML in git.

The internal site shows everything: evidence, RICE priorities, owners, stories and
metrics. The public site shows only what is marked 'visibility: public'."""

EPILOG = """\
PROJECT is the folder holding roadmapgen.yaml, or any folder inside it.
Exit codes: 0 success, 1 the content has errors or the build could not finish (nothing is
written), 2 usage error.
Content errors are printed as PATH:LINE:COL: error: MESSAGE."""


def run() -> NoReturn:
    """The ``roadmapgen`` command: :func:`main`, then exit without tearing down the heap.

    Freeing a large build's millions of objects one by one takes Python up to a second
    (a quarter of a one-file rebuild of 10,000 items); the operating system frees them at
    once. Everything the command writes is closed by then; only the standard streams
    need flushing."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`roadmapgen build | head`) or stream
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    # A build creates hundreds of thousands of long-lived objects (tokens, documents, views)
    # and no garbage cycles worth collecting while it runs; the collector's frequent passes
    # over them cost a tenth of the run. Collect rarely instead.
    gc.set_threshold(100_000, 50, 100)
    try:
        code: int = args.run(args)
        return code
    except UsageError as exc:
        print(f"roadmapgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Stop as stop:
        return stop.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`roadmapgen diff ... | head`): what it wanted was written.
        _silence_stdout()
        return EXIT_OK


def _silence_stdout() -> None:
    """Send what is still buffered for a closed pipe nowhere, so the exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roadmapgen", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"roadmapgen {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(commands)
    return parser
