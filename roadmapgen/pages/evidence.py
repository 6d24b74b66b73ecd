"""Evidence weighed by who gave it: each customer once, with their segment and revenue.

Feedback names a customer in free text; the same customer may speak in many entries (a
ticket a week) and must count once per item, or the loudest customer outweighs ten quiet
ones. Names are compared case- and space-insensitively. A customer's revenue and segment
are the latest any entry gives (entries are read oldest first), whichever item that
entry is about: what the team knows of the customer, not of one conversation. An entry
without a segment of its own takes its persona's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from roadmapgen.audience import views as v
from roadmapgen.audience.site import InternalSite

Entry = v.FeedbackRef | v.FeedbackView


def customer_key(name: str) -> str:
    """'ACME  Corp' and 'acme corp' are one customer."""
    return " ".join(name.casefold().split())


def _persona_slug(entry: Entry) -> str | None:
    persona = entry.persona
    return persona if isinstance(persona, str) or persona is None else persona.slug


@dataclass(frozen=True, slots=True)
class CustomerValue:
    """The customers behind a set of entries, each counted once."""

    customers: int
    revenue: float
    """The sum of the customers' revenue (customers whose revenue no entry gives add nothing)."""
    without_revenue: int
    """Customers no entry gives a revenue for."""
    target_customers: int
    """Customers in a target segment (research.target_segments)."""
    target_revenue: float


@dataclass(frozen=True, slots=True)
class Customers:
    """What all the feedback says of each customer, and of segments."""

    persona_segments: Mapping[str, str | None]
    target_segments: frozenset[str]
    revenue: Mapping[str, float]
    segment: Mapping[str, str | None]

    def segment_of(self, entry: Entry) -> str | None:
        """The entry's segment, else its persona's."""
        slug = _persona_slug(entry)
        return entry.segment or (self.persona_segments.get(slug) if slug else None)

    def in_target(self, entry: Entry) -> bool:
        return self.segment_of(entry) in self.target_segments

    def value(self, entries: Iterable[Entry]) -> CustomerValue:
        names = {customer_key(entry.customer) for entry in entries if entry.customer}
        targets = {name for name in names if self.segment.get(name) in self.target_segments}
        return CustomerValue(
            customers=len(names), revenue=sum(self.revenue.get(name, 0.0) for name in names),
            without_revenue=sum(1 for name in names if name not in self.revenue),
            target_customers=len(targets), target_revenue=sum(self.revenue.get(name, 0.0) for name in targets),
        )


def customers(site: InternalSite) -> Customers:
    persona_segments = {persona.slug: persona.segment for persona in site.personas}
    known = Customers(persona_segments, frozenset(site.research.target_segments), {}, {})
    revenue: dict[str, float] = {}
    segment: dict[str, str | None] = {}
    for entry in sorted(site.feedback, key=lambda entry: (entry.date, entry.slug)):
        if not entry.customer:
            continue
        name = customer_key(entry.customer)
        if entry.revenue is not None:
            revenue[name] = float(entry.revenue)
        found = known.segment_of(entry)
        if found is not None or name not in segment:
            segment[name] = found
    return Customers(persona_segments, known.target_segments, revenue, segment)


@dataclass(frozen=True, slots=True)
class ItemDemand:
    item: v.InternalItemView
    value: CustomerValue
    entries: int


def demand_by_value(items: Iterable[v.InternalItemView], known: Customers, finished: Iterable[str]
                    ) -> tuple[ItemDemand, ...]:
    """Open items with at least one named customer, those worth most to the target segments first, then to
    everyone, then by how many customers asked."""
    done = frozenset(finished)
    rows = [ItemDemand(item, known.value(item.feedback), len(item.feedback))
            for item in items if item.status not in done]
    return tuple(sorted((row for row in rows if row.value.customers),
                        key=lambda row: (-row.value.target_revenue, -row.value.target_customers, -row.value.revenue,
                                         -row.value.customers, row.item.title.lower(), row.item.slug)))
