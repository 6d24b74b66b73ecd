"""What the project already holds that an import must know: imported rows and items' names.

An import id is unique within its source: Zendesk ticket 88125 and HubSpot record 88125
are two customers. A row whose id is new may still be a row imported before under
another mapping (the first run mapped ``import_id``, the second forgot); such a row has
the same source, date, customer and words as a file already there, and is skipped and
reported rather than written twice. Only files that were there before the import count:
two customers may well write "Great!" on the same day in one export.

Files are read leniently (front matter alone, errors ignored): `check` judges them, the
import only needs to recognise them.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from roadmapgen.errors import ContentError
from roadmapgen.kinds.slugs import is_slug
from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.discover import ProjectFiles
from roadmapgen.load.text import decode, split_front_matter
from roadmapgen.load.yamlsafe import read_yaml


def _front_matter(source: SourceFile) -> tuple[dict[str, Any], str] | None:
    try:
        split = split_front_matter(decode(source.absolute.read_bytes(), source.path), source.path)
        data = read_yaml(split.front_matter, source.path, split.front_matter_line).data
    except (ContentError, OSError):
        return None
    return (data, split.body) if isinstance(data, dict) else None


def words(text: str) -> str:
    """Text compared as a reader would: case and spacing aside."""
    return " ".join(text.casefold().split())


Fingerprint = tuple[str, str, str, str]
"""(source, day, customer, words of the quote or body)."""


def fingerprints(front: Mapping[str, Any], body: str) -> set[Fingerprint]:
    """What identifies an entry whatever its id: its words, said by its customer on its day through its source."""
    day = front.get("date")
    source, customer = front.get("source"), front.get("customer")
    if not isinstance(day, dt.date | str) or not isinstance(source, str):
        return set()
    who = words(customer) if isinstance(customer, str) else ""
    texts = {words(text) for text in (front.get("quote"), body) if isinstance(text, str) and text.strip()}
    return {(source, str(day), who, text) for text in texts}


@dataclass
class Imported:
    """The feedback already in the project: ids by source, and each file's fingerprints."""

    ids: set[tuple[str, str]] = field(default_factory=set)
    files_by_print: dict[Fingerprint, str] = field(default_factory=dict)

    @classmethod
    def read(cls, files: ProjectFiles) -> Imported:
        found = cls()
        for source in files.documents:
            read = _front_matter(source) if source.kind == "feedback" else None
            if read is None:
                continue
            data, body = read
            if isinstance(data.get("import_id"), str) and isinstance(data.get("source"), str):
                found.ids.add((data["source"], data["import_id"]))
            for mark in fingerprints(data, body):
                found.files_by_print.setdefault(mark, source.path)
        return found

    def same_content(self, front: Mapping[str, Any], body: str) -> str | None:
        """The file that already holds this entry under another id, if one does."""
        return next((self.files_by_print[mark] for mark in sorted(fingerprints(front, body))
                     if mark in self.files_by_print), None)


@dataclass(frozen=True, slots=True)
class ItemNames:
    """Each item's slug and titles (its own and its public one), for cells that name items either way."""

    slugs: frozenset[str]
    by_title: Mapping[str, tuple[str, ...]]
    """Words of a title -> the slugs of the items bearing it."""
    titles: Mapping[str, str]
    """Slug -> its title, for suggestions."""

    @classmethod
    def read(cls, files: ProjectFiles) -> ItemNames:
        by_title: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        for source in files.documents:
            read = _front_matter(source) if source.kind == "item" else None
            if read is None:
                continue
            data, _ = read
            public = data.get("public")
            named = [data.get("title"), public.get("title") if isinstance(public, dict) else None]
            for title in (text for text in named if isinstance(text, str) and text.strip()):
                titles.setdefault(source.slug, title)
                slugs = by_title.setdefault(words(title), [])
                if source.slug not in slugs:
                    slugs.append(source.slug)
        slugs_found = frozenset(source.slug for source in files.documents if source.kind == "item")
        return cls(slugs_found, {title: tuple(found) for title, found in by_title.items()}, titles)

    def slug_of(self, name: str) -> str:
        """The item ``name`` names, as a slug or an exact title (case and spacing aside).

        Raises:
            ValueError: a sentence saying why ``name`` names no one item.
        """
        if name in self.slugs:
            return name
        found = self.by_title.get(words(name), ())
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(f"'{name}' is the title of {len(found)} items ({', '.join(found)}): give the slug")
        if is_slug(name):
            return name  # a slug of no item: the reference check says so, as `check` would, with its suggestion
        raise ValueError(f"'{name}' is neither an item's slug nor its title{self._suggestion(name)}")

    def _suggestion(self, name: str) -> str:
        by_words = {words(title): slug for slug, title in self.titles.items()}
        close = difflib.get_close_matches(words(name), sorted(by_words), n=1, cutoff=0.6)
        if close:
            slug = by_words[close[0]]
            return f" (did you mean '{self.titles[slug]}', {slug}?)"
        return ""
