"""`roadmapgen serve`: a live preview that rebuilds as files change and reloads the browser."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from roadmapgen.audience.context import Audience
from roadmapgen.cli.common import EXIT_OK, project_argument, source_date
from roadmapgen.model.loading import find_project


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser(
        "serve", help="preview a site that rebuilds and reloads as you edit",
        description="Build a site in memory, serve it, and rebuild it as files change; the browser reloads "
                    "itself. Errors show in the terminal and over every page. Never writes into output_dir.",
    )
    project_argument(command)
    command.add_argument("--audience", choices=tuple(Audience), default="internal",
                         help="which site to preview (default: internal)")
    command.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    command.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    command.add_argument("--open", action="store_true", help="open the site in the web browser")
    command.add_argument("--poll", action="store_true",
                         help="find changes by polling (for network drives and containers without file events)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from roadmapgen.serve.run import ServeOptions, serve  # file watching is loaded only to serve

    project = find_project(Path(args.project))
    options = ServeOptions(audience=Audience(args.audience), host=args.host, port=args.port,
                           open_browser=args.open, poll=args.poll, source_date=source_date())
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve(project, options, lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    return EXIT_OK


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
