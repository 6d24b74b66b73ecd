"""Each roadmap item's committed versions: when its status, horizon, target or visibility changed.

The project's one ``git log`` (:class:`~roadmapgen.load.git.ProjectLog`) lists the commits
touching each item file, and one ``git cat-file --batch`` reads every version of every item
file, so the cost does not grow with one git process per file. A version whose front matter
cannot be read is skipped: history never stops a build. Outside git, or in a shallow clone's
single commit, items simply have the versions there are.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.errors import ContentError
from roadmapgen.load.frontmatter import split_front_matter
from roadmapgen.load.git import ProjectLog, git_names
from roadmapgen.load.layout import SourceFile
from roadmapgen.load.yamlsafe import top_level_scalars

TRACKED = ("status", "horizon", "target", "visibility")
"""The front-matter keys a version keeps: what an item's followers hear about."""


@dataclass(frozen=True, slots=True)
class Version:
    commit: str
    """The commit's short hash."""
    date: dt.date
    fields: tuple[tuple[str, str | None], ...]
    """TRACKED keys and their values in this version, as text."""

    def get(self, name: str) -> str | None:
        return dict(self.fields).get(name)


def item_versions(project_dir: Path, sources: Iterable[SourceFile], log: ProjectLog | None
                  ) -> dict[str, tuple[Version, ...]]:
    """Committed versions of each item file among ``sources``, oldest first, by document key."""
    items = [source for source in sources if source.kind == "item"]
    if log is None or not items:
        return {}
    names = dict(zip(git_names(log.root, project_dir, (source.path for source in items)), (s.key for s in items),
                     strict=True))
    wanted = [(commit, name) for name in names for commit in reversed(log.commits.get(name, ())) if commit.blob]
    texts = _blobs(log.root, [commit.blob for commit, _ in wanted])
    found: dict[str, list[Version]] = {}
    for (commit, name), text in zip(wanted, texts, strict=True):
        fields = _fields(text, name)
        if fields is not None:
            found.setdefault(names[name], []).append(Version(commit.short, commit.day, fields))
    return {key: tuple(versions) for key, versions in found.items()}


def _blobs(root: Path, specs: list[str]) -> list[str | None]:
    """The text of each blob, by id (looked up directly: naming ``commit:path`` would make git walk a
    10,000-entry tree for every one)."""
    if not specs:
        return []
    try:
        done = subprocess.run(["git", "cat-file", "--batch"], cwd=root, input="\n".join(specs).encode() + b"\n",
                              capture_output=True, check=False, timeout=600)
    except (OSError, subprocess.SubprocessError):
        return [None] * len(specs)
    output, position = done.stdout, 0
    texts: list[str | None] = []
    for _ in specs:
        end = output.find(b"\n", position)
        header = output[position:end].split(b" ")
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":
            texts.append(None)
            continue
        size = int(header[2])
        texts.append(output[position:position + size].decode("utf-8", "replace"))
        position += size + 1
    return texts


def _fields(text: str | None, name: str) -> tuple[tuple[str, str | None], ...] | None:
    if text is None:
        return None
    try:
        split = split_front_matter(text.replace("\r\n", "\n"), name)  # a past version: read, not judged
    except ContentError:
        return None
    found = top_level_scalars(split.front_matter, TRACKED)
    if found is None:
        return None
    return tuple((key, found.get(key)) for key in TRACKED)
