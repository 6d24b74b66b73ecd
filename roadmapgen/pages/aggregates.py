"""Whole-site summaries pages show: the board, RICE priorities, research coverage.

Computed from views only, so the public board can only ever count public items.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from roadmapgen.audience import views as v
from roadmapgen.audience.tags import tag_slug
from roadmapgen.model.front_matter import Status

HORIZONS = (("now", "Now"), ("next", "Next"), ("later", "Later"))
FINISHED = ("shipped", "cancelled")


@dataclass(frozen=True, slots=True)
class Column:
    horizon: str
    label: str
    items: tuple[v.ItemView, ...]


@dataclass(frozen=True, slots=True)
class Board:
    columns: tuple[Column, ...]
    shipped: tuple[v.ItemView, ...]
    """Newest release first."""
    cancelled: tuple[v.ItemView, ...]


def board(items: Sequence[v.ItemView]) -> Board:
    active = [item for item in items if item.status not in FINISHED]
    columns = tuple(
        Column(horizon, label, tuple(item for item in active if item.horizon == horizon)) for horizon, label in HORIZONS
    )
    shipped = sorted(
        (item for item in items if item.status == "shipped"),
        key=lambda item: (item.shipped_in[0].date if item.shipped_in else dt.date.min, item.title.lower()),
        reverse=True,
    )
    cancelled = tuple(item for item in items if item.status == "cancelled")
    return Board(columns, tuple(shipped), cancelled)


def recent_changes(items: Iterable[v.ItemView], limit: int) -> tuple[tuple[v.ItemView, v.ChangeEvent], ...]:
    """The latest ``limit`` changes of all items, newest first (ties: by item title)."""
    changes = [(item, event) for item in items for event in item.changes]
    changes.sort(key=lambda pair: (pair[1].date, pair[0].title.lower()), reverse=True)
    return tuple(changes[:limit])


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """What the roadmap can be filtered by: (value, label) pairs taken from the items shown."""

    statuses: tuple[str, ...]
    """In the order of an item's life: planned, in-progress, beta, shipped, paused, cancelled."""
    objectives: tuple[tuple[str, str], ...]
    personas: tuple[tuple[str, str], ...]
    tags: tuple[tuple[str, str], ...]


def filter_options(items: Sequence[v.ItemView]) -> FilterOptions:
    statuses = {item.status for item in items}
    objectives = {item.objective.slug: item.objective.title for item in items if item.objective}
    personas = {ref.slug: ref.title for item in items for ref in item.personas}
    tags: dict[str, str] = {}
    for item in items:
        for tag in item.tags:
            tags.setdefault(tag_slug(tag), tag)

    def by_label(pairs: dict[str, str]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(pairs.items(), key=lambda pair: (pair[1].lower(), pair[0])))

    ordered = tuple(status for status in typing.get_args(Status) if status in statuses)
    return FilterOptions(ordered, by_label(objectives), by_label(personas), by_label(tags))


@dataclass(frozen=True, slots=True)
class Priority:
    rank: int
    item: v.InternalItemView
    evidence: int
    negative: int
    personas: int


def priorities(items: Iterable[v.ItemView]) -> tuple[tuple[Priority, ...], tuple[v.InternalItemView, ...]]:
    """Scored items by RICE score (highest first), and the items without a score."""
    internal = [item for item in items if isinstance(item, v.InternalItemView)]
    scored = sorted(
        (item for item in internal if item.rice is not None and item.status not in FINISHED),
        key=lambda item: (-(item.rice.score if item.rice else 0.0), item.title.lower()),
    )
    ranked = tuple(
        Priority(
            rank=rank,
            item=item,
            evidence=len(item.feedback),
            negative=sum(1 for entry in item.feedback if entry.sentiment == "negative"),
            personas=len({ref.slug for ref in item.personas} | {story.persona.slug for story in item.stories}),
        )
        for rank, item in enumerate(scored, start=1)
    )
    unscored = tuple(item for item in internal if item.rice is None and item.status not in FINISHED)
    return ranked, unscored


def quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True, slots=True)
class QuarterRow:
    quarter: str
    entries: int
    interviews: int
    goal: int | None

    @property
    def percent_of_goal(self) -> int | None:
        return round(100 * self.interviews / self.goal) if self.goal else None


@dataclass(frozen=True, slots=True)
class Research:
    total: int
    by_source: tuple[tuple[str, int], ...]
    by_sentiment: tuple[tuple[str, int], ...]
    by_persona: tuple[tuple[v.PageRef | None, int], ...]
    by_quarter: tuple[QuarterRow, ...]
    """Newest quarter first, including the current one."""


def research(site: v.InternalSite) -> Research:
    entries = site.feedback
    goal = site.research.interviews_per_quarter
    quarters = Counter(quarter(entry.date) for entry in entries)
    interviews = Counter(quarter(entry.date) for entry in entries if entry.source == "interview")
    quarters.setdefault(quarter(site.research.today), 0)
    personas = Counter(entry.persona for entry in entries)
    return Research(
        total=len(entries),
        by_source=tuple(sorted(Counter(entry.source for entry in entries).items(), key=lambda kv: (-kv[1], kv[0]))),
        by_sentiment=tuple(
            (name, sum(1 for e in entries if e.sentiment == name)) for name in ("positive", "neutral", "negative")
        ),
        by_persona=tuple(sorted(personas.items(), key=lambda kv: (-kv[1], kv[0].title if kv[0] else "~"))),
        by_quarter=tuple(
            QuarterRow(name, quarters[name], interviews[name], goal) for name in sorted(quarters, reverse=True)
        ),
    )
