"""`roadmapgen diff`: how the roadmap changed between two git revisions, as one audience sees it.

Each side is loaded like a build loads it and projected through the audience wall, so
the public diff is made only of what the public site shows: an item made public counts
as added, one made internal as removed, and nothing internal appears in the output.
"""

from __future__ import annotations

import functools
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from roadmapgen.audience.projector import Audience
from roadmapgen.audience.site import SiteViews, project_site
from roadmapgen.errors import ContentError, Report, UsageError
from roadmapgen.load.git import run_git
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.model.read_all import read_all
from roadmapgen.parallel import usable_cores
from roadmapgen.project import load_corpus, scan_project

CHANGE_ORDER = ("added", "removed", "moved", "status", "retargeted", "renamed")


@dataclass(frozen=True, slots=True)
class ItemState:
    """What a site shows of one roadmap item, as far as a roadmap diff cares."""

    slug: str
    title: str
    status: str
    horizon: str | None
    target: str | None
    url: str

    def placement(self) -> str:
        return " · ".join(part for part in (self.horizon, self.status, self.target) if part)


@dataclass(frozen=True, slots=True)
class Change:
    change: str
    """One of CHANGE_ORDER."""
    slug: str
    title: str
    url: str
    before: str | None
    after: str | None


@dataclass(slots=True)
class DiffResult:
    before: str
    after: str
    audience: Audience
    changes: list[Change] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def compare(before: Mapping[str, ItemState], after: Mapping[str, ItemState]) -> list[Change]:
    """Every change from ``before`` to ``after``, by kind of change (CHANGE_ORDER), then slug."""
    changes = []
    for slug in sorted(before.keys() | after.keys()):
        old, new = before.get(slug), after.get(slug)
        if old is None and new is not None:
            changes.append(Change("added", slug, new.title, new.url, None, new.placement()))
        elif new is None and old is not None:
            changes.append(Change("removed", slug, old.title, old.url, old.placement(), None))
        elif old is not None and new is not None:
            changes.extend(_changed(old, new))
    return sorted(changes, key=lambda c: (CHANGE_ORDER.index(c.change), c.slug))


def _changed(old: ItemState, new: ItemState) -> Iterator[Change]:
    def change(kind: str, before: str | None, after: str | None) -> Change:
        return Change(kind, new.slug, new.title, new.url, before, after)

    # A horizon that appears or goes with the status (shipped, cancelled) is told by the status change.
    if old.horizon and new.horizon and old.horizon != new.horizon:
        yield change("moved", old.horizon, new.horizon)
    if old.status != new.status:
        yield change("status", old.status, new.status)
    if old.target != new.target:
        yield change("retargeted", old.target, new.target)
    if old.title != new.title:
        yield change("renamed", old.title, new.title)


def roadmap_of(site: SiteViews) -> dict[str, ItemState]:
    base = site.info.base_url or ""
    states = {}
    for entry in site.entries("item"):
        view = site.view(entry.key)
        states[view.slug] = ItemState(slug=view.slug, title=view.title, status=view.status, horizon=view.horizon,
                                      target=view.target, url=view.url.replace(ROOT, base))
    return states


def diff(project_dir: Path, before: str, after: str | None, audience: Audience) -> DiffResult:
    """The roadmap changes from revision ``before`` to ``after`` (None: the working tree).

    Raises:
        UsageError: if the project is not in git or a revision does not exist.
    """
    result = DiffResult(before=before, after=after or "the working tree", audience=audience)
    with _checkout(project_dir, before) as old_dir:
        old = _roadmap(old_dir, audience, result.report, f"{before}:")
    if after is None:
        new = _roadmap(project_dir, audience, result.report, "")
    else:
        with _checkout(project_dir, after) as new_dir:
            new = _roadmap(new_dir, audience, result.report, f"{after}:")
    if old is not None and new is not None:
        result.changes = compare(old, new)
    return result


def _roadmap(project_dir: Path, audience: Audience, report: Report, label: str) -> dict[str, ItemState] | None:
    """The roadmap as ``audience`` sees it; None, with the errors in ``report``, if it does not load.

    Messages about a revision's files name the revision ('v1.2:content/roadmap/sso.md:3:1: ...')."""
    problems = Report()
    scanned = scan_project(project_dir, problems)
    state = None
    if scanned is not None:
        config, files = scanned
        corpus = load_corpus(config, files, problems, functools.partial(read_all, jobs=usable_cores()))
        if not problems.failed:
            site, _warnings = project_site(corpus, config, audience)
            state = roadmap_of(site)
    report.extend(ContentError(label + p.path, p.line, p.column, p.message) for p in problems.errors)
    return state


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    result = run_git(cwd, *args, timeout=600)
    if result is None:
        raise UsageError("cannot run git; diff compares git revisions")
    return result


def _text(process: subprocess.CompletedProcess[bytes]) -> str:
    return process.stdout.decode("utf-8", "replace").strip()


def commit_of(folder: Path, name: str) -> str | None:
    """The commit git, run in ``folder``, knows as ``name``; None if it knows none."""
    found = _git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    return _text(found) if found.returncode == 0 else None


@contextmanager
def _checkout(project_dir: Path, revision: str) -> Iterator[Path]:
    """The project as it was at ``revision``, in a temporary folder (the repository is not touched)."""
    top = _git(project_dir, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UsageError(f"{project_dir} is not in a git repository; diff compares git revisions")
    commit = commit_of(project_dir, revision)
    if commit is None:
        raise UsageError(f"{revision!r} is not a revision in this repository")
    root = Path(_text(top)).resolve()
    prefix = project_dir.resolve().relative_to(root).as_posix()
    with tempfile.TemporaryDirectory(prefix="roadmapgen-diff-") as temporary:
        archive = Path(temporary) / "revision.tar"
        pathspec = [] if prefix == "." else ["--", prefix]
        made = _git(root, "archive", "--format=tar", f"--output={archive}", commit, *pathspec)
        if made.returncode != 0:
            raise UsageError(
                f"the project did not exist at {revision!r}: {made.stderr.decode(errors='replace').strip()}"
            )
        tree = Path(temporary) / "tree"
        if not hasattr(tarfile, "data_filter"):
            raise UsageError("diff needs Python 3.11.4 or later (for safe archive extraction)")
        with tarfile.open(archive) as tar:
            _extract(tar, tree)
        yield tree / prefix


def _extract(tar: tarfile.TarFile, tree: Path) -> None:
    """Extract a revision safely: the 'data' filter refuses absolute paths, links out of the
    tree and special files. A symbolic link it refuses (absolute, or leading out of the tree)
    is made afterwards, as the revision has it, once nothing else can be written through it:
    loading then reports it exactly as ``build`` reports such a link in a working tree."""
    refused: list[tarfile.TarInfo] = []

    def keep(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        try:
            return tarfile.data_filter(member, path)
        except (tarfile.AbsoluteLinkError, tarfile.LinkOutsideDestinationError):
            if not member.issym():
                raise
            refused.append(member)
            return None

    try:
        tar.extractall(tree, filter=keep)  # noqa: S202 -- `keep` is the filter: regular files and folders inside `tree`
    except tarfile.FilterError as exc:
        raise UsageError(f"cannot read the revision safely: {exc}") from None
    root = tree.resolve()
    for member in refused:
        link = tree / member.name
        if link.parent.resolve().is_relative_to(root) and not (link.exists() or link.is_symlink()):
            link.symlink_to(member.linkname)


_VERBS = {"added": "added", "removed": "removed", "moved": "moved", "status": "status changed",
          "retargeted": "retargeted", "renamed": "renamed"}


def _heading(result: DiffResult) -> str:
    return f"from {result.before} to {result.after} ({result.audience.value} site)"


def _span(change: Change) -> str:
    if change.change == "added":
        return change.after or ""
    if change.change == "removed":
        return change.before or ""
    return f"{change.before or 'none'} → {change.after or 'none'}"


def as_text(result: DiffResult) -> str:
    if not result.changes:
        return f"No roadmap changes {_heading(result)}."
    width = max(len(change.slug) for change in result.changes)
    lines = [f"Roadmap changes {_heading(result)}: {_tally(result.changes)}"]
    for change in result.changes:
        detail = _span(change) if change.change == "renamed" else f"{change.title}: {_span(change)}"
        lines.append(f"  {_VERBS[change.change]:<15} {change.slug:<{width}}  {detail}")
    return "\n".join(lines)


def _tally(changes: list[Change]) -> str:
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in CHANGE_ORDER}
    return ", ".join(f"{count} {_VERBS[kind]}" for kind, count in counts.items() if count)


_MARKDOWN_SPECIAL = str.maketrans({char: f"\\{char}" for char in "\\`*_[]<>|#!~"})


def _md(text: str | None) -> str:
    """Text as itself in a Markdown table cell: no links, HTML or cell breaks of its own."""
    return (text or "").replace("\n", " ").translate(_MARKDOWN_SPECIAL)


def as_markdown(result: DiffResult) -> str:
    """A table for a pull-request comment."""
    if not result.changes:
        return f"**Roadmap:** no changes {_md(_heading(result))}.\n"
    lines = [f"**Roadmap changes** {_md(_heading(result))}: {_tally(result.changes)}", "",
             "| Change | Item | Before | After |", "|---|---|---|---|"]
    for change in result.changes:
        item = (
            f"[{_md(change.title)}](<{change.url}>)"
            if change.url.startswith(("https://", "http://"))
            else _md(change.title)
        )
        lines.append(f"| {_VERBS[change.change]} | {item} | {_md(change.before)} | {_md(change.after)} |")
    return "\n".join(lines) + "\n"


def as_json(result: DiffResult) -> str:
    data = {"from": result.before, "to": result.after, "audience": result.audience.value,
            "changes": [{"change": c.change, "slug": c.slug, "title": c.title, "url": c.url,
                         "before": c.before, "after": c.after} for c in result.changes]}
    return json.dumps(data, indent=2, ensure_ascii=False)


FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json}
