"""`roadmapgen diff`: how the roadmap changed between two git revisions, as one audience sees it.

Each side is loaded like a build loads it and projected through the audience wall, so
the public diff is made only of what the public site shows: an item made public counts
as added, one made internal as removed, and nothing internal appears in the output.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import html
import json
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from roadmapgen.audience.context import Audience
from roadmapgen.audience.site import Site, site_with_warnings
from roadmapgen.config import CONFIG_FILE
from roadmapgen.errors import ContentError, Report, UsageError
from roadmapgen.kinds.registry import KINDS
from roadmapgen.load.git import is_shallow, run_git
from roadmapgen.load.revision import RevisionError, write_revision
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.model.loading import load_corpus, scan_project
from roadmapgen.model.read_all import read_all
from roadmapgen.parallel import usable_cores

CHANGE_ORDER = ("added", "removed", "visibility", "moved", "status", "retargeted", "renamed", "changed", "points",
                "text")
SUMMARY_END = ("title", "name")
"""Tracked fields before these sum a document up when it is added or removed."""


@dataclass(frozen=True, slots=True)
class DocState:
    """What a site shows of one document, as far as a diff cares: tracked fields as text, body words."""

    key: str
    kind: str
    slug: str
    title: str
    url: str
    fields: tuple[tuple[str, str | None], ...]
    words: tuple[str, ...]
    points: tuple[tuple[str, float], ...]

    def summary(self) -> str:
        shown = []
        for name, value in self.fields:
            if name in SUMMARY_END:
                break
            if value:
                shown.append(value)
        return " · ".join(shown)


@dataclass(frozen=True, slots=True)
class Change:
    change: str
    """One of CHANGE_ORDER."""
    kind: str
    slug: str
    title: str
    url: str
    before: str | None
    after: str | None
    field: str | None = None
    """The field a 'changed' change is about."""


@dataclass(slots=True)
class DiffResult:
    before: str
    after: str
    audience: Audience
    changes: list[Change] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    range: str | None = None
    """The range as the user wrote it ('origin/main...HEAD'), when they wrote one."""


_FIELD_CHANGE = {"horizon": "moved", "status": "status", "target": "retargeted", "title": "renamed", "name": "renamed",
                 "visibility": "visibility"}


def compare(before: Mapping[str, DocState], after: Mapping[str, DocState]) -> list[Change]:
    """Every change from ``before`` to ``after``: by kind of document (registry order), then document,
    then kind of change (CHANGE_ORDER)."""
    changes = []
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old is None and new is not None:
            changes.append(Change("added", new.kind, new.slug, new.title, new.url, None, new.summary()))
        elif new is None and old is not None:
            changes.append(Change("removed", old.kind, old.slug, old.title, old.url, old.summary(), None))
        elif old is not None and new is not None:
            changes.extend(_changed(old, new))
    kinds = list(KINDS)
    return sorted(changes, key=lambda c: (kinds.index(c.kind), c.slug, CHANGE_ORDER.index(c.change), c.field or ""))


def _changed(old: DocState, new: DocState) -> Iterator[Change]:
    def change(kind: str, before: str | None, after: str | None, name: str | None = None) -> Change:
        return Change(kind, new.kind, new.slug, new.title, new.url, before, after, name)

    before = dict(old.fields)
    for name, value in new.fields:
        previous = before.get(name)
        if previous == value:
            continue
        # A horizon that appears or goes with the status (shipped, cancelled) is told by the status change.
        if name == "horizon" and not (previous and value):
            continue
        verb = _FIELD_CHANGE.get(name, "changed")
        yield change(verb, previous, value, None if verb != "changed" else name)
    if old.points != new.points:
        yield change("points", _points(old.points, new.points), None)
    if old.words != new.words:
        yield change("text", _word_change(old.words, new.words), None)


def _points(old: tuple[tuple[str, float], ...], new: tuple[tuple[str, float], ...]) -> str:
    known = dict(old)
    added = [(day, value) for day, value in new if day not in known]
    changed = [day for day, value in new if day in known and known[day] != value]
    removed = len(known.keys() - dict(new).keys())
    parts = []
    if added:
        day, value = added[-1]
        parts.append(f"{len(added)} new point{'s' if len(added) > 1 else ''}, latest {value:g} on {day}")
    if changed:
        parts.append(f"{len(changed)} changed")
    if removed:
        parts.append(f"{removed} removed")
    return ", ".join(parts)


def _word_change(old: tuple[str, ...], new: tuple[str, ...]) -> str:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return f"+{added} / -{removed} words"


NOT_COMPARED = frozenset({"slug", "url", "body", "points", "survey", "changes", "feedback", "shipped_in", "items",
                          "last_changed", "stale", "feedback_url"})
"""View fields a diff does not compare as fields: the page's own address, the body and points (compared
as words and values), and what other documents or the calendar decide (history, evidence naming it,
releases shipping it, items serving it, staleness; feedback_url mostly comes from the config)."""


def tracked_fields(kind: str, view: object) -> tuple[str, ...]:
    """What a diff compares of a document: the kind's headline fields, then every other field this site's
    view shows of it (so an internal diff sees an owner, RICE or public wording change, a public one
    only what customers see)."""
    headline = KINDS[kind].diff_fields
    shown = (item.name for item in dataclasses.fields(view)) if dataclasses.is_dataclass(view) else ()
    return (*(name for name in headline if hasattr(view, name)),
            *(name for name in shown if name not in headline and name not in NOT_COMPARED))


def states_of(site: Site) -> dict[str, DocState]:
    """Every document the site shows, as a diff sees it; URLs absolute when the site knows its base URL."""
    base = site.info.base_url or ""
    states = {}
    for kind in KINDS.values():
        for entry in site.entries(kind.name):
            view = site.view(entry.key)
            url = getattr(view, "url", ROOT).replace(ROOT, base)
            fields = tuple((name, _as_text(getattr(view, name))) for name in tracked_fields(kind.name, view))
            states[entry.key] = DocState(entry.key, kind.name, entry.slug, entry.title, url, fields,
                                         _words(getattr(view, "body", None)), _point_values(view))
    return states


def _as_text(value: object) -> str | None:
    """A field's value as one line: references by their titles, records by their parts."""
    if value is None or value == ():
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple) and all(isinstance(part, tuple) and len(part) == 2 for part in value):
        return "; ".join(f"{key}: {text}" for key, text in value)  # extra data rows
    if isinstance(value, tuple):
        return ", ".join(_as_text(part) or "" for part in value)
    if hasattr(value, "title") and isinstance(value.title, str):
        return value.title
    if dataclasses.is_dataclass(value):
        parts = ((item.name, _as_text(getattr(value, item.name))) for item in dataclasses.fields(value))
        return " · ".join(f"{name} {text}" for name, text in parts if text)
    return str(value)


_TAG = re.compile(r"<[^>]*>")


def _words(body: object) -> tuple[str, ...]:
    """A body's words as readers of this site see them (links resolved for it), without the tags."""
    if body is None:
        return ()
    return tuple(html.unescape(_TAG.sub(" ", str(body))).split())


def _point_values(view: object) -> tuple[tuple[str, float], ...]:
    points = getattr(view, "points", ())
    return tuple((point.date.isoformat(), point.value) for point in points)


def diff(project_dir: Path, before: str, after: str | None, audience: Audience, label: str | None = None) -> DiffResult:
    """The changes from revision ``before`` to ``after`` (None: the working tree); ``label``: the range they came from.

    Raises:
        UsageError: if the project is not in git or a revision does not exist.
    """
    result = DiffResult(before=before, after=after or "the working tree", audience=audience, range=label)
    with _checkout(project_dir, before) as old_dir:
        old = _states(old_dir, audience, result.report, f"{before}:")
    if after is None:
        new = _states(project_dir, audience, result.report, "")
    else:
        with _checkout(project_dir, after) as new_dir:
            new = _states(new_dir, audience, result.report, f"{after}:")
    if old is not None and new is not None:
        result.changes = compare(old, new)
    return result


def _states(project_dir: Path, audience: Audience, report: Report, label: str) -> dict[str, DocState] | None:
    """Every document as ``audience`` sees it; None, with the errors in ``report``, if it does not load.

    Messages about a revision's files name the revision ('v1.2:content/roadmap/sso.md:3:1: ...')."""
    problems = Report()
    scanned = scan_project(project_dir, problems)
    state = None
    if scanned is not None:
        config, files = scanned
        corpus = load_corpus(config, files, problems, functools.partial(read_all, jobs=usable_cores()))
        if not problems.failed:
            site, _warnings = site_with_warnings(corpus, config, audience)
            state = states_of(site)
    report.extend(ContentError(label + p.path, p.line, p.column, p.message) for p in problems.errors)
    return state


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    result = run_git(cwd, *args, timeout=600)
    if result is None:
        raise UsageError("cannot run git; diff compares git revisions")
    return result


def _text(process: subprocess.CompletedProcess[bytes]) -> str:
    return process.stdout.decode("utf-8", "replace").strip()


def split_range(project_dir: Path, text: str) -> tuple[str, str] | None:
    """A git range as ``git diff`` reads it: 'A..B' -> (A, B); 'A...B' -> (where B left A, B).
    A side left empty is HEAD. None if ``text`` is not a range.

    Raises:
        UsageError: if 'A...B' has no common ancestor (or a side is not a revision).
    """
    three = "..." in text
    before, separator, after = text.partition("..." if three else "..")
    if not separator:
        return None
    before, after = before or "HEAD", after or "HEAD"
    if not three:
        return before, after
    for name in (before, after):
        if commit_of(project_dir, name) is None:
            raise UsageError(_missing_revision(project_dir, name))
    base = _git(project_dir, "merge-base", "--end-of-options", before, after)
    if base.returncode != 0:
        raise UsageError(f"{before!r} and {after!r} have no common ancestor")
    return _text(base), after


def _missing_revision(project_dir: Path, name: str) -> str:
    message = f"{name!r} is not a revision in this repository"
    if is_shallow(project_dir):
        return (f"{message}: this is a shallow clone, without the history to compare; fetch it with "
                "'git fetch --unshallow' (in GitHub Actions: actions/checkout with fetch-depth: 0)")
    remote, slash, branch = name.partition("/")
    if slash and remote == "origin":
        return f"{message}; fetch it first with 'git fetch origin {branch}'"
    return message


def commit_of(folder: Path, name: str) -> str | None:
    """The commit git, run in ``folder``, knows as ``name``; None if it knows none."""
    found = _git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    return _text(found) if found.returncode == 0 else None


@contextmanager
def _checkout(project_dir: Path, revision: str) -> Iterator[Path]:
    """The project as it was at ``revision``, in a temporary folder, from its raw blobs (the
    repository is not touched; no attribute, filter or substitution applies)."""
    top = _git(project_dir, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UsageError(f"{project_dir} is not in a git repository; diff compares git revisions")
    commit = commit_of(project_dir, revision)
    if commit is None:
        raise UsageError(_missing_revision(project_dir, revision))
    root = Path(_text(top)).resolve()
    prefix = project_dir.resolve().relative_to(root).as_posix()
    with tempfile.TemporaryDirectory(prefix="roadmapgen-diff-") as temporary:
        tree = Path(temporary) / "tree"
        tree.mkdir()
        try:
            write_revision(root, commit, prefix, tree)
        except RevisionError as exc:
            raise UsageError(f"cannot read {revision!r}: {exc}") from None
        if not (tree / CONFIG_FILE).is_file():
            where = CONFIG_FILE if prefix == "." else f"{prefix}/{CONFIG_FILE}"
            raise UsageError(f"the project did not exist at {revision!r}: it has no {where}")
        yield tree


_VERBS = {"added": "added", "removed": "removed", "visibility": "visibility", "moved": "moved",
          "status": "status changed", "retargeted": "retargeted", "renamed": "renamed", "changed": "changed",
          "points": "new points", "text": "text changed"}
COMMENT_LIMIT = 65_536
"""GitHub's limit for a pull-request comment, in characters."""


def _heading(result: DiffResult) -> str:
    span = f"in {result.range}" if result.range else f"from {result.before} to {result.after}"
    return f"{span} ({result.audience.value} site)"


def _verb(change: Change) -> str:
    if change.change != "changed" or change.field is None:
        return _VERBS[change.change]
    return f"{_FIELD_LABELS.get(change.field, change.field.replace('_', ' '))} changed"


_FIELD_LABELS = {"rice": "RICE", "public_title": "public title", "public_summary": "public summary"}


def _span(change: Change) -> str:
    if change.change == "added":
        return change.after or ""
    if change.change in ("removed", "points", "text"):
        return change.before or ""
    return f"{change.before or 'none'} → {change.after or 'none'}"


def _by_kind(changes: list[Change]) -> dict[str, list[Change]]:
    grouped: dict[str, list[Change]] = {}
    for change in changes:
        grouped.setdefault(change.kind, []).append(change)
    return grouped


def _plural(kind: str) -> str:
    """'Roadmap items', 'Feedback entries'; a kind of one file ('Vision') stays as it is."""
    label = KINDS[kind].label
    label = label[0].upper() + label[1:]
    if KINDS[kind].file is not None:
        return label
    return label[:-1] + "ies" if label.endswith("y") else label + "s"


def as_text(result: DiffResult) -> str:
    if not result.changes:
        return f"No roadmap changes {_heading(result)}."
    width = max(len(change.slug) for change in result.changes)
    verbs = max(18, *(len(_verb(change)) for change in result.changes))
    lines = [f"Roadmap changes {_heading(result)}: {_tally(result.changes)}"]
    for kind, changes in _by_kind(result.changes).items():
        lines.append(f"{_plural(kind)}:")
        for change in changes:
            detail = _span(change) if change.change == "renamed" else f"{change.title}: {_span(change)}"
            lines.append(f"  {_verb(change):<{verbs}} {change.slug:<{width}}  {detail}")
    return "\n".join(lines)


def _tally(changes: list[Change]) -> str:
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in CHANGE_ORDER}
    return ", ".join(f"{count} {_VERBS[kind]}" for kind, count in counts.items() if count)


_MARKDOWN_SPECIAL = str.maketrans({char: f"\\{char}" for char in "\\`*_[]<>|#!~"})


def _md(text: str | None) -> str:
    """Text as itself in a Markdown table cell: no links, HTML or cell breaks of its own."""
    return (text or "").replace("\n", " ").translate(_MARKDOWN_SPECIAL)


def as_markdown(result: DiffResult, limit: int = COMMENT_LIMIT) -> str:
    """One compact table per kind of document, for a pull-request comment; cut to ``limit`` characters."""
    if not result.changes:
        return f"**Roadmap:** no changes {_md(_heading(result))}.\n"
    head = [f"**Roadmap changes** {_md(_heading(result))}: {_tally(result.changes)}", ""]
    if any(change.url.startswith(("https://", "http://")) for change in result.changes):
        head += ["_Links lead to the published site: pages added here work once this is merged._", ""]
    lines: list[str] = []
    for kind, changes in _by_kind(result.changes).items():
        noun = "Item" if kind == "item" else KINDS[kind].label.capitalize()
        lines += [f"#### {_plural(kind)}", "", f"| Change | {noun} | Before | After |", "|---|---|---|---|"]
        lines += [_row(change) for change in changes]
        lines.append("")
    return _fit("\n".join(head), lines, len(result.changes), limit)


def _row(change: Change) -> str:
    name = f"[{_md(change.title)}](<{change.url}>)" if change.url.startswith(("https://", "http://")) else _md(
        change.title)
    before, after = (change.before, change.after) if change.change not in ("points", "text") else ("", change.before)
    return f"| {_verb(change)} | {name} | {_md(before)} | {_md(after)} |"


def _fit(head: str, lines: list[str], total: int, limit: int) -> str:
    """``head`` and as many ``lines`` as fit in ``limit`` characters, with a note saying what was left out."""
    text = head + "\n" + "\n".join(lines)
    if len(text) <= limit:
        return text.rstrip("\n") + "\n"
    kept: list[str] = []
    size = len(head) + 200  # room for the note
    for line in lines:
        if size + len(line) + 1 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    shown = sum(1 for line in kept if line.startswith("| ") and not line.startswith("| Change |"))
    note = (f"_…and {total - shown} more changes, left out to stay within a comment's size; "
            "run `roadmapgen diff` for all of them._")
    return head + "\n" + "\n".join(kept).rstrip("\n") + "\n\n" + note + "\n"


def as_json(result: DiffResult) -> str:
    data = {"from": result.before, "to": result.after, "audience": result.audience.value,
            "changes": [{"change": c.change, "kind": c.kind, "slug": c.slug, "title": c.title, "url": c.url,
                         "field": c.field, "before": c.before, "after": c.after} for c in result.changes]}
    return json.dumps(data, indent=2, ensure_ascii=False)


FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json}
