"""The command line: the only module that prints, reads the environment or exits.

Exit codes: 0 success, 1 the content has errors (nothing written), 2 usage error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import signal
import sys
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from roadmapgen import __version__
from roadmapgen.commands.build import BuildOptions, BuildResult, audiences_for, build, check
from roadmapgen.commands.ci import CiFile, write_ci
from roadmapgen.errors import Report, UsageError
from roadmapgen.load.git import repository_root
from roadmapgen.model.loading import find_project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2

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
    _add_build(commands)
    _add_check(commands)
    _add_serve(commands)
    _add_new(commands)
    _add_init(commands)
    _add_schema(commands)
    _add_diff(commands)
    _add_ci(commands)
    _add_import(commands)
    return parser


def _project_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("project", nargs="?", default=".", metavar="PROJECT",
                         help="the project folder or a folder inside it (default: the current folder)")


def _add_build(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    command = commands.add_parser("build", help="build the internal and public sites",
                                  description="Build the sites into <output_dir>/internal and <output_dir>/public.")
    _project_argument(command)
    command.add_argument("--out", metavar="DIR", type=Path, help="write here instead of the config's output_dir")
    command.add_argument("--audience", choices=("all", "public", "internal"), default="all",
                         help="which site to build (default: all)")
    command.add_argument("--strict", action="store_true", help="treat every warning as an error")
    _performance_options(command)
    command.set_defaults(run=run_build)


def _performance_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--no-cache", action="store_true",
                         help="read every file and render every page again, ignoring the cache and the previous output")
    command.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        help="where to keep the cache (default: .roadmapgen-cache in the project); keep it between CI runs",
    )
    command.add_argument("--jobs", metavar="N", type=int, default=0,
                         help="worker processes (default: one per core)")


def _add_check(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    command = commands.add_parser("check", help="report every problem in the content; writes nothing",
                                  description="Check the whole project and report every problem. Writes nothing.")
    _project_argument(command)
    command.add_argument("--format", choices=("text", "json", "github", "gitlab"), default="text",
                         help="text (PATH:LINE:COL: ...), json, github (workflow annotations) or gitlab "
                              "(code-quality report JSON)")
    command.add_argument("--strict", action="store_true", help="treat every warning as an error")
    _performance_options(command)
    command.set_defaults(run=run_check)


def _add_serve(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    command = commands.add_parser(
        "serve", help="preview a site that rebuilds and reloads as you edit",
        description="Build a site in memory, serve it, and rebuild it as files change; the browser reloads "
                    "itself. Errors show in the terminal and over every page. Never writes into output_dir.",
    )
    _project_argument(command)
    command.add_argument("--audience", choices=("internal", "public"), default="internal",
                         help="which site to preview (default: internal)")
    command.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    command.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    command.add_argument("--open", action="store_true", help="open the site in the web browser")
    command.add_argument("--poll", action="store_true",
                         help="find changes by polling (for network drives and containers without file events)")
    command.set_defaults(run=run_serve)


def _add_new(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from roadmapgen.commands.scaffold import NEW_KINDS

    command = commands.add_parser(
        "new", help="start a new document from a template",
        description="Write a new persona, roadmap item, release, objective, metric, feedback entry or "
                    "competitor from a template "
                    "that passes 'roadmapgen check'. NAME is a title ('Bulk export') or a file name "
                    "('bulk-export'); for a release, its version. New documents are internal until you "
                    "write 'visibility: public'.",
    )
    command.add_argument("kind", choices=NEW_KINDS, metavar="KIND", help=", ".join(NEW_KINDS))
    command.add_argument("name", metavar="NAME", help="the title or file name; a release's version")
    _project_argument(command)
    command.set_defaults(run=run_new)


def _add_init(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    command = commands.add_parser(
        "init", help="start a new project",
        description="Start a project in DIR (made if missing): roadmapgen.yaml, a vision, a metric and one "
                    "document of each type, all internal, ready for 'roadmapgen serve'.",
    )
    command.add_argument("dir", metavar="DIR", type=Path, help="the folder to start the project in")
    command.add_argument("--ci", choices=("github", "gitlab"),
                         help="also write the CI file that checks, builds and publishes (see 'roadmapgen ci')")
    command.set_defaults(run=run_init)


def _add_ci(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    command = commands.add_parser(
        "ci", help="write the CI file that checks, builds and publishes both sites",
        description="Write a CI file at the root of the project's git repository: GitHub Actions "
                    "(.github/workflows/roadmap.yml) or GitLab CI (.gitlab-ci.yml). On pull or merge "
                    "requests it checks the content, builds both sites and reports what the merge "
                    "publishes; on the default branch it publishes the public site to Pages and keeps "
                    "the internal one private. An existing file is never overwritten.",
    )
    command.add_argument("platform", choices=("github", "gitlab"), metavar="PLATFORM", help="github or gitlab")
    _project_argument(command)
    command.set_defaults(run=run_ci)


def _add_import(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from roadmapgen.commands.importer import FIELDS
    from roadmapgen.kinds.front_matter import FeedbackSource

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
    _project_argument(command)
    command.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help="fill FIELD from the column named COLUMN, e.g. --map quote=Comment; repeatable")
    command.add_argument("--source", choices=typing.get_args(FeedbackSource), metavar="SOURCE",
                         help="the source of rows without one: " + ", ".join(typing.get_args(FeedbackSource)))
    command.set_defaults(run=run_import)


def _add_schema(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from roadmapgen.commands.schema import SCHEMA_TYPES

    command = commands.add_parser(
        "schema", help="print the JSON Schema of a front-matter type",
        description="Print the JSON Schema of a document type (all types when none is given), "
                    "for editors using yaml-language-server.",
    )
    command.add_argument("type", nargs="?", choices=SCHEMA_TYPES, metavar="TYPE",
                         help=", ".join(SCHEMA_TYPES))
    command.set_defaults(run=run_schema)


def _add_diff(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    command = commands.add_parser(
        "diff",
        help="show how the roadmap changed between git revisions",
        usage=("roadmapgen diff [-h] REV [REV2] [PROJECT] [--audience {internal,public}] [--format "
               "{text,json,markdown}]"),
        description="Compare what a site shows at git revision REV with REV2 (default: the working tree), "
        "document by document: items added, removed, moved between horizons, changed status, retargeted or "
        "renamed; releases, personas, objectives and metrics added, removed or changed; visibility flips; "
        "new metric points; changed text. REV may be a range: A..B (A to B) or A...B (what B adds since "
        "it left A). With --audience public, only what customers would see change: what merging will "
        "newly publish. "
        "With two arguments after REV, the first is REV2; with one, it is REV2 if git knows it "
        "as a revision, else PROJECT.",
    )
    command.add_argument("revisions", nargs="+", metavar="REV", help="REV [REV2] [PROJECT]")
    command.add_argument("--audience", choices=("internal", "public"), default="internal",
                         help="whose view of the roadmap to compare (default: internal)")
    command.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                         help="text, json, or markdown (a table for a pull-request comment)")
    command.set_defaults(run=run_diff)


def source_date() -> dt.date | None:
    """The date from SOURCE_DATE_EPOCH, the reproducible-builds clock."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {value!r}") from None


def run_build(args: argparse.Namespace) -> int:
    project = find_project(Path(args.project))
    options = BuildOptions(audiences=tuple(audiences_for(args.audience)), output_dir=args.out,
                           strict=args.strict, source_date=source_date(), **_performance(args))
    result = build(project, options)
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    print_problems(result.report, sys.stderr)
    if result.failure is not None:
        print(f"roadmapgen: error: {result.failure}", file=sys.stderr)
        print("Build failed; nothing was written.", file=sys.stderr)
        return EXIT_CONTENT
    if not result.ok:
        print(f"Build failed: {_count(result.report)}; nothing was written.", file=sys.stderr)
        return EXIT_CONTENT
    print(summary(result, project))
    return EXIT_OK


def _performance(args: argparse.Namespace) -> dict[str, Any]:
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (one per core) or more")
    return {"jobs": args.jobs, "use_cache": not args.no_cache, "cache_dir": args.cache_dir,
            "cache_key_file": cache_key_file()}


def cache_key_file() -> Path:
    """Where the key sealing the build cache lives: ROADMAPGEN_CACHE_KEY_FILE, else the user's cache folder."""
    from roadmapgen.seal import default_key_file

    named = os.environ.get("ROADMAPGEN_CACHE_KEY_FILE")
    if named:
        return Path(named)
    cache_home = os.environ.get("XDG_CACHE_HOME")
    return default_key_file(Path(cache_home) if cache_home and os.path.isabs(cache_home) else None)


def run_check(args: argparse.Namespace) -> int:
    project = find_project(Path(args.project))
    report = check(project, BuildOptions(strict=args.strict, source_date=source_date(), **_performance(args)))
    FORMATS[args.format](report, sys.stdout, project)
    return EXIT_CONTENT if report.failed else EXIT_OK


def run_serve(args: argparse.Namespace) -> int:
    from roadmapgen.audience.context import Audience
    from roadmapgen.serve.run import ServeOptions, serve

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


def run_new(args: argparse.Namespace) -> int:
    from roadmapgen.commands.scaffold import new_document
    from roadmapgen.config import load_config

    project = find_project(Path(args.project))
    config, problems = load_config(project)
    if config is None:
        print_problems(Report(problems), sys.stderr)
        return EXIT_CONTENT
    path = new_document(config.content_dir, args.kind, args.name, source_date() or dt.date.today())
    print(f"Created {os.path.relpath(path)}")
    return EXIT_OK


def run_init(args: argparse.Namespace) -> int:
    from roadmapgen.commands.scaffold import init_project

    written = init_project(args.dir, source_date() or dt.date.today())
    for path in written:
        print(f"Created {os.path.relpath(path)}")
    if args.ci:
        _print_ci(write_ci(args.dir, args.ci))
    where = os.path.relpath(args.dir)
    print(f"\nNext: roadmapgen serve {where}   (a live preview), then roadmapgen build {where}")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from roadmapgen.commands.importer import import_feedback, parse_mapping
    from roadmapgen.config import load_config
    from roadmapgen.load.discover import discover

    try:
        mapping = parse_mapping(args.map)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    project = find_project(Path(args.project))
    config, problems = load_config(project)
    if config is None:
        print_problems(Report(problems), sys.stderr)
        return EXIT_CONTENT
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


def run_ci(args: argparse.Namespace) -> int:
    _print_ci(write_ci(find_project(Path(args.project)), args.platform))
    return EXIT_OK


def _print_ci(written: CiFile) -> None:
    print(f"Created {os.path.relpath(written.path)}\nTo finish setting it up:")
    for number, step in enumerate(written.next_steps, start=1):
        print(f"  {number}. {step}")


def run_diff(args: argparse.Namespace) -> int:
    from roadmapgen.audience.context import Audience
    from roadmapgen.commands.diff import FORMATS as DIFF_FORMATS
    from roadmapgen.commands.diff import commit_of, diff, split_range

    if len(args.revisions) > 3:
        raise UsageError("diff takes REV [REV2] [PROJECT]")
    before, *rest = args.revisions
    after: str | None = None
    folder = "."
    label = None
    if ".." in before:
        if len(rest) > 1:
            raise UsageError("diff takes A..B [PROJECT]")
        folder = rest[0] if rest else "."
        split = split_range(find_project(Path(folder)), before)
        assert split is not None
        label, (before, after) = before, split
    elif len(rest) == 2:
        after, folder = rest
    elif rest and (commit_of(Path(folder), rest[0]) or not Path(rest[0]).is_dir()):
        after = rest[0]
    elif rest:
        folder = rest[0]
    project = find_project(Path(folder))
    result = diff(project, before, after, Audience(args.audience), label)
    print_problems(result.report, sys.stderr)
    if result.report.failed:
        print(f"Cannot compare: {_count(result.report)}.", file=sys.stderr)
        return EXIT_CONTENT
    print(DIFF_FORMATS[args.format](result))
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from roadmapgen.commands.schema import schema_for

    print(json.dumps(schema_for(args.type), indent=2, ensure_ascii=False))
    return EXIT_OK


def print_problems(report: Report, out: TextIO, project: Path | None = None) -> None:
    for problem in report:
        print(problem.format(), file=out)


def print_check_text(report: Report, out: TextIO, project: Path) -> None:
    print_problems(report, out)
    print(f"{_count(report)}." if report.problems else "No problems found.", file=out)


def print_json(report: Report, out: TextIO, project: Path) -> None:
    problems = [
        {"path": p.path, "line": p.line, "column": p.column, "severity": p.severity.value, "message": p.message}
        for p in report
    ]
    data = {"errors": len(report.errors), "warnings": len(report.warnings), "problems": problems}
    print(json.dumps(data, indent=2, ensure_ascii=False), file=out)


def print_github(report: Report, out: TextIO, project: Path) -> None:
    """GitHub workflow annotations; paths relative to the current folder (the workspace)."""
    for problem in report:
        path = os.path.relpath(project / problem.path)
        properties = f"file={_gh(path, True)},line={problem.line},col={problem.column}"
        print(f"::{problem.severity.value} {properties}::{_gh(problem.message)}", file=out)


def _gh(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def print_gitlab(report: Report, out: TextIO, project: Path) -> None:
    """A GitLab code-quality report: paths from the repository's root, so merge requests show them."""
    root = repository_root(project) or Path.cwd()
    issues = []
    for problem in report:
        path = os.path.relpath(project / problem.path, root).replace(os.sep, "/")
        identity = f"{path}:{problem.line}:{problem.column}:{problem.message}"
        issues.append({
            "description": problem.message, "check_name": "roadmapgen",
            "fingerprint": hashlib.sha256(identity.encode()).hexdigest(),
            "severity": "major" if problem.severity.value == "error" else "minor",
            "location": {"path": path, "lines": {"begin": problem.line}},
        })
    print(json.dumps(issues, indent=2, ensure_ascii=False), file=out)


FORMATS: dict[str, Callable[[Report, TextIO, Path], None]] = {
    "text": print_check_text, "json": print_json, "github": print_github, "gitlab": print_gitlab,
}


def _count(report: Report) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def summary(result: BuildResult, project: Path) -> str:
    """A one-screen table of what was built, like Hugo's."""
    where = os.path.relpath(result.output_dir) if result.output_dir else "?"
    if result.up_to_date:
        return f"Nothing changed since the last build; {where}/ is up to date ({result.seconds * 1000:.0f} ms)."
    audiences = list(result.sites)
    rows = [
        ("Pages", "pages"),
        ("Feeds and data files", "files"),
        ("Assets", "assets"),
        ("Written this time", "rendered"),
    ]
    header = "                      " + "".join(f"| {a.value.upper():>9} " for a in audiences)
    lines = [header, "-" * 22 + "+-----------" * len(audiences)]
    for label, attr in rows:
        lines.append(f" {label:<21}" + "".join(f"| {getattr(result.sites[a], attr):>9} " for a in audiences))
    lines.append("")
    lines.append(f"Warnings: {len(result.report.warnings)}")
    lines.append(f"Built in {result.seconds * 1000:.0f} ms into {where}/")
    return "\n".join(lines)
