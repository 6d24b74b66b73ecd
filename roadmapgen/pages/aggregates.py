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
from roadmapgen.audience.site import InternalSite
from roadmapgen.audience.tags import tag_slug
from roadmapgen.kinds.fields import quarter_of
from roadmapgen.kinds.front_matter import Status
from roadmapgen.pages.evidence import Customers, CustomerValue, customers

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
    target_evidence: int
    """Evidence from customers of the target segments (research.target_segments)."""
    negative: int
    personas: int
    value: CustomerValue
    """The customers behind the evidence, each once, and their revenue."""


def priorities(items: Iterable[v.InternalItemView], known: Customers
               ) -> tuple[tuple[Priority, ...], tuple[v.InternalItemView, ...]]:
    """Scored items by RICE score (highest first), and the items without a score, those with evidence
    from the target segments first."""
    internal = list(items)
    scored = sorted(
        (item for item in internal if item.rice is not None and item.status not in FINISHED),
        key=lambda item: (-(item.rice.score if item.rice else 0.0), item.title.lower()),
    )
    ranked = tuple(
        Priority(
            rank=rank,
            item=item,
            evidence=len(item.feedback),
            target_evidence=sum(1 for entry in item.feedback if known.in_target(entry)),
            negative=sum(1 for entry in item.feedback if entry.sentiment == "negative"),
            personas=len({ref.slug for ref in item.personas} | {story.persona.slug for story in item.stories}),
            value=known.value(item.feedback),
        )
        for rank, item in enumerate(scored, start=1)
    )
    unscored = sorted((item for item in internal if item.rice is None and item.status not in FINISHED),
                      key=lambda item: -sum(1 for entry in item.feedback if known.in_target(entry)))
    return ranked, tuple(unscored)


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
class TagTrend:
    tag: str
    counts: tuple[int, ...]
    """Entries per quarter, in the order of :attr:`Research.trend_quarters`."""

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def rising(self) -> bool:
        """More in the latest quarter than in the one before."""
        return len(self.counts) > 1 and self.counts[-1] > self.counts[-2]


@dataclass(frozen=True, slots=True)
class DemandGroup:
    """Feedback naming no roadmap item, sharing a tag or a persona: a request without a plan yet."""

    label: str
    persona: v.PageRef | None
    entries: tuple[v.FeedbackView, ...]
    """Newest first."""
    target: bool
    """From a persona of a target segment."""


@dataclass(frozen=True, slots=True)
class Research:
    total: int
    by_source: tuple[tuple[str, int], ...]
    by_sentiment: tuple[tuple[str, int], ...]
    by_persona: tuple[tuple[v.PageRef | None, int], ...]
    by_segment: tuple[tuple[str | None, int, bool], ...]
    """(segment, entries, whether it is a target segment): target segments first."""
    by_quarter: tuple[QuarterRow, ...]
    """Newest quarter first, including the current one."""
    trend_quarters: tuple[str, ...]
    """The last quarters the trend table counts, oldest first."""
    trends: tuple[TagTrend, ...]
    unplanned_by_tag: tuple[DemandGroup, ...]
    unplanned_by_persona: tuple[DemandGroup, ...]
    unplanned: int
    target_segments: tuple[str, ...]


TREND_QUARTERS = 4


def research(site: InternalSite) -> Research:
    entries = site.feedback
    goal = site.research.interviews_per_quarter
    quarters = Counter(quarter_of(entry.date) for entry in entries)
    interviews = Counter(quarter_of(entry.date) for entry in entries if entry.source == "interview")
    quarters.setdefault(quarter_of(site.research.today), 0)
    personas = Counter(entry.persona for entry in entries)
    recent = last_quarters(site.research.today, TREND_QUARTERS)
    known = customers(site)
    return Research(
        total=len(entries),
        by_source=tuple(sorted(Counter(entry.source for entry in entries).items(), key=lambda kv: (-kv[1], kv[0]))),
        by_sentiment=tuple(
            (name, sum(1 for e in entries if e.sentiment == name)) for name in ("positive", "neutral", "negative")
        ),
        by_persona=tuple(sorted(personas.items(), key=lambda kv: (-kv[1], kv[0].title if kv[0] else "~"))),
        by_segment=_by_segment(entries, known),
        by_quarter=tuple(
            QuarterRow(name, quarters[name], interviews[name], goal) for name in sorted(quarters, reverse=True)
        ),
        trend_quarters=recent,
        trends=_trends(entries, recent),
        unplanned_by_tag=_unplanned(site, known, by_tag=True),
        unplanned_by_persona=_unplanned(site, known, by_tag=False),
        unplanned=sum(1 for entry in entries if not entry.items),
        target_segments=site.research.target_segments,
    )


def last_quarters(today: dt.date, count: int) -> tuple[str, ...]:
    """The ``count`` quarters up to today's, oldest first: '2026-Q1' ... '2026-Q4'."""
    index = today.year * 4 + (today.month - 1) // 3
    return tuple(f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1))


def _by_segment(entries: Sequence[v.FeedbackView], known: Customers) -> tuple[tuple[str | None, int, bool], ...]:
    counts = Counter(known.segment_of(entry) for entry in entries)
    targets = known.target_segments
    return tuple(sorted(((name, count, name in targets) for name, count in counts.items()),
                        key=lambda row: (not row[2], row[0] is None, -row[1], row[0] or "")))


def _trends(entries: Sequence[v.FeedbackView], recent: tuple[str, ...]) -> tuple[TagTrend, ...]:
    counts: dict[str, Counter[str]] = {}
    for entry in entries:
        for tag in dict.fromkeys(entry.tags):
            counts.setdefault(tag, Counter())[quarter_of(entry.date)] += 1
    trends = (TagTrend(tag, tuple(by_quarter[name] for name in recent)) for tag, by_quarter in counts.items())
    return tuple(sorted((trend for trend in trends if trend.total),
                        key=lambda trend: (-trend.counts[-1], -trend.total, trend.tag.lower())))


def _unplanned(site: InternalSite, known: Customers, *, by_tag: bool) -> tuple[DemandGroup, ...]:
    groups: dict[str, list[v.FeedbackView]] = {}
    personas: dict[str, v.PageRef | None] = {}
    for entry in site.feedback:
        if entry.items:
            continue
        if by_tag:
            for tag in dict.fromkeys(entry.tags or ("",)):
                groups.setdefault(tag, []).append(entry)
        else:
            label = entry.persona.title if entry.persona else ""
            personas[label] = entry.persona
            groups.setdefault(label, []).append(entry)
    found = (DemandGroup(label, personas.get(label), tuple(group),
                         any(known.in_target(entry) for entry in group))
             for label, group in groups.items())
    return tuple(sorted(found, key=lambda g: (not g.target, g.label == "", -len(g.entries), g.label.lower())))


@dataclass(frozen=True, slots=True)
class PersonaCoverage:
    persona: v.InternalPersonaView
    horizons: tuple[int, int, int]
    """Open items for the persona in Now, Next and Later."""
    recent_evidence: int
    """Feedback from customers like them in the last stale_after_days."""
    last_evidence: dt.date | None
    target: bool

    @property
    def nothing_soon(self) -> bool:
        return self.horizons[0] == self.horizons[1] == 0


@dataclass(frozen=True, slots=True)
class Coverage:
    rows: tuple[PersonaCoverage, ...]
    items_for_nobody: tuple[v.InternalItemView, ...]
    """Open items naming no persona, in a list or a story."""
    stale_after_days: int


def target_personas(site: InternalSite) -> frozenset[str]:
    """Slugs of the personas whose segment is one of research.target_segments."""
    segments = set(site.research.target_segments)
    return frozenset(persona.slug for persona in site.personas if persona.segment in segments)


def coverage(site: InternalSite) -> Coverage:
    """Who the roadmap serves: each persona's open items by horizon and how fresh their evidence is."""
    goal = site.research
    since = goal.today - dt.timedelta(days=goal.stale_after_days)
    open_items = [item for item in site.items if item.status not in FINISHED]
    targets = target_personas(site)
    rows = []
    for persona in site.personas:
        mine = [item for item in open_items if persona.slug in _persona_slugs(item)]
        heard = [entry.date for entry in persona.feedback]
        now, soon, later = (sum(1 for item in mine if item.horizon == horizon) for horizon, _ in HORIZONS)
        rows.append(PersonaCoverage(
            persona=persona,
            horizons=(now, soon, later),
            recent_evidence=sum(1 for day in heard if day >= since),
            last_evidence=max(heard, default=None), target=persona.slug in targets,
        ))
    rows.sort(key=lambda row: (not row.target, row.persona.name.lower()))
    return Coverage(tuple(rows), tuple(item for item in open_items if not _persona_slugs(item)),
                    goal.stale_after_days)


def _persona_slugs(item: v.InternalItemView) -> set[str]:
    return {ref.slug for ref in item.personas} | {story.persona.slug for story in item.stories}
