"""`roadmapgen check`: every problem in the content, as text, JSON, GitHub annotations or a GitLab report."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from roadmapgen.cli.common import (
    EXIT_CONTENT,
    EXIT_OK,
    build_options,
    count,
    performance_options,
    print_problems,
    project_argument,
)
from roadmapgen.commands.build import check
from roadmapgen.errors import Report
from roadmapgen.load.git import repository_root
from roadmapgen.model.loading import find_project


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = commands.add_parser("check", help="report every problem in the content; writes nothing",
                                  description="Check the whole project and report every problem. Writes nothing.")
    project_argument(command)
    command.add_argument("--format", choices=tuple(FORMATS), default="text",
                         help="text (PATH:LINE:COL: ...), json, github (workflow annotations) or gitlab "
                              "(code-quality report JSON)")
    command.add_argument("--strict", action="store_true", help="treat every warning as an error")
    performance_options(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    project = find_project(Path(args.project))
    report = check(project, build_options(args))
    FORMATS[args.format](report, sys.stdout, project)
    return EXIT_CONTENT if report.failed else EXIT_OK


def print_text(report: Report, out: TextIO, project: Path) -> None:
    print_problems(report, out)
    print(f"{count(report)}." if report.problems else "No problems found.", file=out)


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
    "text": print_text, "json": print_json, "github": print_github, "gitlab": print_gitlab,
}
