"""Each roadmap item's committed versions: when its status, horizon, target or visibility changed.

The project's one ``git log`` (:class:`~roadmapgen.load.git.ProjectLog`) lists the commits
touching each item file, and one ``git cat-file --batch`` reads every version of every item
file, so the cost does not grow with one git process per file. Outside git, or in a shallow
clone's single commit, items simply have the versions there are.

A past version is an input nobody reviewed — an intermediate commit of a pull request may
never have passed `check` — so it counts only if ``judge`` (`check`'s own reader and rules,
passed in by the caller) accepts it whole; one it does not is skipped, never read half-way.
Its values come from the validated model, never from the file's text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.git import ProjectLog, git_names
from roadmapgen.load.revision import RevisionError, read_blobs

VERSION_FIELDS = ("status", "horizon", "target", "visibility")
"""The front-matter keys a version keeps: what an item's followers hear about."""


@dataclass(frozen=True, slots=True)
class Version:
    commit: str
    """The commit's short hash."""
    date: dt.date
    fields: tuple[tuple[str, str | None], ...]
    """VERSION_FIELDS keys and their values in this version, as text."""
    baseline: bool = False
    """Committed in the project's first commit: the state the roadmap came into git with, not a change."""

    def get(self, name: str) -> str | None:
        return dict(self.fields).get(name)


Judge = Callable[[SourceFile, bytes], object | None]
"""A past version's bytes -> its validated front matter (with VERSION_FIELDS attributes), or None if
`check` rejects it."""


def item_versions(project_dir: Path, sources: Iterable[SourceFile], log: ProjectLog | None, judge: Judge
                  ) -> dict[str, tuple[Version, ...]]:
    """Committed versions of each item file among ``sources`` that ``judge`` accepts, oldest first, by key."""
    items = [source for source in sources if source.kind == "item"]
    if log is None or not items:
        return {}
    names = dict(zip(git_names(log.root, project_dir, (source.path for source in items)), items, strict=True))
    wanted = [(commit, name) for name in names for commit in reversed(log.commits.get(name, ())) if commit.blob]
    try:
        contents = read_blobs(log.root, [commit.blob for commit, _ in wanted])
    except RevisionError:
        return {}
    judged: dict[str, tuple[tuple[str, str | None], ...] | None] = {}
    found: dict[str, list[Version]] = {}
    for (commit, name), data in zip(wanted, contents, strict=True):
        if commit.blob not in judged:
            judged[commit.blob] = None if data is None else _fields(judge(names[name], data))
        fields = judged[commit.blob]
        if fields is not None:
            found.setdefault(names[name].key, []).append(Version(commit.short, commit.day, fields,
                                                                 commit.id == log.baseline))
    return {key: tuple(versions) for key, versions in found.items()}


def _fields(front_matter: object | None) -> tuple[tuple[str, str | None], ...] | None:
    if front_matter is None:
        return None
    values = ((key, getattr(front_matter, key, None)) for key in VERSION_FIELDS)
    return tuple((key, None if value is None else str(value)) for key, value in values)
