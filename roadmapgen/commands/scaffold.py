"""Scaffolding: `roadmapgen new` (one document) and `roadmapgen init` (a whole starter project).

Every file made here passes `roadmapgen check` as it is, and is internal until its author
writes `visibility: public`: a half-written page must never reach customers by default.
Optional fields are left as comments, so the file shows what may be said without saying
anything untrue.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.config import CONFIG_FILE
from roadmapgen.errors import UsageError
from roadmapgen.kinds.fields import quarter_of
from roadmapgen.kinds.registry import KINDS, Kind
from roadmapgen.kinds.slugs import MAX_SLUG, shortened, slugify

NEW_KINDS = tuple(name for name, kind in KINDS.items() if kind.scaffold is not None)
"""Kinds `roadmapgen new` can start, each from its file in roadmapgen/scaffolds/."""


@dataclass(frozen=True, slots=True)
class Name:
    """What the user typed, as a file name (slug) and as a title."""

    slug: str
    title: str


def name_for(kind: Kind, typed: str) -> Name:
    """'Bulk export' -> bulk-export / Bulk export; 'bulk-export' -> bulk-export / Bulk export.

    Releases take the version as it is ('3.8.0').

    Raises:
        UsageError: if no valid file name can be made from it.
    """
    typed = typed.strip()
    if kind.slug_rule == "version":
        if len(typed) > MAX_NAME:
            raise UsageError(f"a release version has at most {MAX_NAME} characters, not {len(typed)}")
        if not kind.valid_slug(typed):
            raise UsageError(f"{typed!r} is not a release version: use letters, digits and . + - (e.g. 3.8.0)")
        return Name(typed, typed)
    if kind.valid_slug(typed) and len(typed) <= MAX_SLUG:
        return Name(typed, typed.replace("-", " ").capitalize())
    slug = shortened(slugify(typed))
    if not slug:
        raise UsageError(f"cannot make a file name from {typed!r}: use letters or digits")
    return Name(slug, typed)


MAX_NAME = 200
"""A release version longer than this is refused (a title becomes a slug of at most MAX_SLUG)."""


def new_document(content_dir: Path, kind_name: str, typed: str, today: dt.date) -> Path:
    """Write a new document of ``kind_name`` and return its path.

    Raises:
        UsageError: on a bad name or if the file already exists.
    """
    kind = KINDS[kind_name]
    name = name_for(kind, typed)
    path = content_dir / kind.folder / f"{name.slug}{kind.suffix}"
    text = kind.scaffold_text().format(slug=name.slug, title=_yaml_string(name.title), today=today.isoformat(),
                                        quarter=quarter_of(today))
    _create(path, text)
    return path


def _yaml_string(text: str) -> str:
    """A plain scalar when YAML reads it back as the same string, else a double-quoted one."""
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 ._()/+&'-]*", text) and not text.endswith((" ", ":"))
    if plain and text.lower() not in {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}:
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _create(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        raise UsageError(f"{path} already exists; choose another name or edit that file") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


_CONFIG = """\
# roadmapgen settings (every key: `roadmapgen schema config`)
product: {product}
# tagline: One line on what the product does for whom.
base_url: https://roadmap.example.com/   # where the public site will live
# internal_base_url: https://roadmap.internal.example.com/
language: en
research:
  interviews_per_quarter: 12             # internal: the team's goal for customer interviews
"""

_VISION = """\
---
title: Our vision
statement: In one sentence, the change we want to make for our customers.
visibility: internal                 # 'public' puts the vision on the customer site's home page
---
Where we are going and why, for customers to read once it is public.
"""

_METRIC = """\
# A customer metric: nps, csat, ces or kpi. Add a point each month.
name: Net Promoter Score
kind: nps
# unit: points
target: 40                           # internal
points:
  - {{date: {today}, value: 30}}
visibility: internal                 # 'public' draws its chart on the customer site
"""

_GITIGNORE = """\
# roadmapgen: built sites and the build cache
/site/
/.roadmapgen-cache/
"""

_STARTER = tuple((name, kind.starter) for name, kind in KINDS.items() if kind.scaffold and kind.starter)
"""The documents of a new project beyond its vision and metric: one per kind the registry gives a starter."""


def _usable_folder(folder: Path) -> None:
    """Refuse a folder that is a file, or that would sit inside one."""
    for place in (folder, *folder.parents):
        if place.exists():
            if not place.is_dir():
                what = "is a file" if place == folder else f"is inside {place}, which is a file"
                raise UsageError(f"cannot start a project in {folder}: it {what}")
            return


def init_project(folder: Path, today: dt.date) -> list[Path]:
    """Start a project in ``folder`` (made if missing); the files written.

    Raises:
        UsageError: if a project or content folder is already there.
    """
    folder = folder.resolve()
    _usable_folder(folder)
    for existing in (folder / CONFIG_FILE, folder / "content"):
        if existing.exists():
            raise UsageError(f"{existing} already exists; 'roadmapgen init' only starts new projects")
    content = folder / "content"
    product = folder.name.replace("-", " ").replace("_", " ").strip().title() or "Our product"
    written = []
    for path, text in ((folder / CONFIG_FILE, _CONFIG.format(product=_yaml_string(product))),
                       (content / "vision.md", _VISION),
                       (content / "metrics" / "nps.yaml", _METRIC.format(today=today.isoformat()))):
        _create(path, text)
        written.append(path)
    written.extend(new_document(content, kind, name, today) for kind, name in _STARTER)
    (content / "assets").mkdir(exist_ok=True)
    if not (folder / ".gitignore").exists():
        _create(folder / ".gitignore", _GITIGNORE)
        written.append(folder / ".gitignore")
    return written
