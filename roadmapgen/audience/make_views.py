"""One projection per document kind: a document -> its view for the context's audience.

Each function builds the public view field by field from the allow-list, and the
internal view as that plus the internal fields. Only the context's helpers reach
other documents, so the audience rules for references live in one place.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from roadmapgen.audience import views as v
from roadmapgen.audience.context import ViewContext, avatar_url, extra_rows, page_path
from roadmapgen.audience.guard import LeakError, check_public
from roadmapgen.kinds.fields import fill_feedback_url
from roadmapgen.kinds.front_matter import Competitor, Feedback, Item, Metric, Objective, Persona, Release, Vision
from roadmapgen.kinds.registry import KINDS, release_order
from roadmapgen.kinds.source import key_of
from roadmapgen.load.versions import Version
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.model.document import Document


def make_view(p: ViewContext, doc: Document) -> v.View:
    """The view of ``doc`` for ``p``'s audience: the one way any view is made.

    Raises:
        LeakError: if ``p`` does not show ``doc``, or a public view holds a non-public type.
    """
    if not p.shows(doc):
        raise LeakError(f"{doc.key} is not on the {p.audience.value} site")
    view = _BY_KIND[doc.kind](p, doc)
    if not p.internal:
        check_public(view)
    return view


def _fields_of(view: v.View | v.ItemCard, as_type: type[v.ItemCard] | None = None) -> dict[str, Any]:
    """The fields of ``view`` (those ``as_type`` has), for the view that extends it; each is typed where it is made."""
    fields = dataclasses.fields(as_type) if as_type is not None else dataclasses.fields(view)
    return {field.name: getattr(view, field.name) for field in fields}


def _vision(p: ViewContext, doc: Document) -> v.VisionView:
    f = doc.fields
    assert isinstance(f, Vision)
    public = v.VisionView(title=f.title, statement=f.statement, body=p.body(doc))
    if not p.internal:
        return public
    return v.InternalVisionView(**_fields_of(public), visibility=f.visibility, extra=extra_rows(f.extra))


def _objective(p: ViewContext, doc: Document) -> v.ObjectiveView:
    f = doc.fields
    assert isinstance(f, Objective)
    public = v.ObjectiveView(slug=doc.slug, url=ROOT + page_path(doc), title=f.title, summary=f.summary,
                             body=p.body(doc), items=p.cards(p.referring(doc, "item", "objective")))
    if not p.internal:
        return public
    return v.InternalObjectiveView(**_fields_of(public), key_results=f.key_results, owner=f.owner,
                                   visibility=f.visibility, extra=extra_rows(f.extra))


def _persona(p: ViewContext, doc: Document) -> v.PersonaView:
    f = doc.fields
    assert isinstance(f, Persona)
    public = v.PersonaView(slug=doc.slug, url=ROOT + page_path(doc), name=f.name, role=f.role, avatar=avatar_url(f),
                           segment=f.segment, quote=f.quote, goals=f.goals, pain_points=f.pain_points,
                           motivations=f.motivations, body=p.body(doc),
                           items=p.cards(p.referring(doc, "item", "personas", "stories")))
    if not p.internal:
        return public
    return v.InternalPersonaView(**_fields_of(public), channels=f.channels, visibility=f.visibility,
                                 feedback=p.feedback_refs(doc, "persona"), extra=extra_rows(f.extra))


def _item(p: ViewContext, doc: Document) -> v.ItemView:
    f = doc.fields
    assert isinstance(f, Item)
    releases = sorted(p.referring(doc, "release", "ships"), key=_release_order, reverse=True)
    shipped_in = tuple(_release_ref(release) for release in releases)
    public = v.ItemView(
        **_fields_of(p.card(doc), v.ItemCard),
        objective=p.ref(key_of("objective", f.objective)) if f.objective else None,
        personas=p.refs(key_of("persona", slug) for slug in f.personas),
        body=p.body(doc),
        shipped_in=shipped_in,
        feedback_url=_feedback_link(p, doc, f),
        changes=item_changes(p.corpus.versions.get(doc.key, ()), shipped_in),
    )
    if not p.internal:
        return public
    return _internal_item(p, doc, f, _fields_of(public))


_VERSION_CHANGES = (("visibility", "visibility"), ("status", "status"), ("horizon", "moved"), ("target", "retargeted"))
_FINISHED = frozenset({"shipped", "cancelled"})
_EVENT_ORDER = {"added": 0, "visibility": 1, "moved": 2, "status": 3, "retargeted": 4, "shipped": 5}


def item_changes(versions: tuple[Version, ...], shipped_in: tuple[v.ReleaseRef, ...]) -> tuple[v.ChangeEvent, ...]:
    """An item's events, newest first, each change of state told once, as a customer would follow it.

    The versions are what this site may know (see public_versions). The first version adds the item,
    unless it is the project's first commit (the roadmap as it came into git is a baseline, not a wave
    of additions) or the item was already done. Shipping or cancelling is one event: the horizon and
    target that go with it are part of it, and a release that ships the item tells the shipping itself."""
    events: list[v.ChangeEvent] = []
    previous: Version | None = None
    for version in versions:
        if previous is None:
            if not version.baseline and version.get("status") not in _FINISHED:
                summary = " · ".join(value for name, value in version.fields
                                     if value and name in ("horizon", "status"))
                events.append(_event(version, "added", None, summary or None))
        else:
            events += _version_events(previous, version, released=bool(shipped_in))
        previous = version
    events += [v.ChangeEvent(date=release.date, change="shipped", before=None, after=release.version, release=release,
                             commit="") for release in shipped_in]
    return tuple(sorted(events, key=lambda event: (event.date, _EVENT_ORDER[event.change]), reverse=True))


def _version_events(previous: Version, version: Version, *, released: bool) -> list[v.ChangeEvent]:
    """What one commit changed of an item: one event per change a customer would follow."""
    status = version.get("status")
    finishing = status != previous.get("status") and status in _FINISHED
    events = []
    for name, change in _VERSION_CHANGES:
        before, after = previous.get(name), version.get(name)
        if before == after:
            continue
        if name in ("horizon", "target") and finishing:
            continue  # part of the shipping or cancelling
        if name == "horizon" and not (before and after):
            continue  # a horizon that comes or goes with the status is told by the status
        if name == "status" and status == "shipped" and released:
            continue  # the release that ships it is the event, with its notes
        events.append(_event(version, change, before, after))
    return events


def _event(version: Version, change: str, before: str | None, after: str | None) -> v.ChangeEvent:
    return v.ChangeEvent(date=version.date, change=change, before=before, after=after, release=None,
                         commit=version.commit)


def _feedback_link(p: ViewContext, doc: Document, f: Item) -> str | None:
    """The item's feedback link, filled with what the site shows of it (its public wording, on the public site).
    An item customers cannot see gets only a link of its own: the config's form is outside, often public,
    and would carry the internal title there."""
    template = f.feedback_url or (p.settings.feedback_url if f.visibility == "public" else None)
    if template is None:
        return None
    title = f.public.title if f.public and f.public.title else f.title  # on the public site, f.title is that already
    return fill_feedback_url(template, slug=doc.slug, title=title, url=p.settings.base_url + page_path(doc))


def _internal_item(p: ViewContext, doc: Document, f: Item, public: dict[str, Any]) -> v.InternalItemView:
    rice = None
    if f.rice:
        rice = v.RiceView(reach=f.rice.reach, impact=f.rice.impact, confidence=f.rice.confidence,
                          effort=f.rice.effort, score=f.rice.score)
    stories = tuple(
        v.StoryView(persona=ref, want=story.want, so_that=story.so_that)
        for story in f.stories
        if (ref := p.ref(key_of("persona", story.persona))) is not None
    )
    last_changed = p.corpus.last_changed.get(doc.key, p.today)
    return v.InternalItemView(
        **public, visibility=f.visibility, owner=f.owner, rice=rice, stories=stories,
        competitors=p.refs(key_of("competitor", slug) for slug in f.competitors),
        public_title=f.public.title if f.public else None, public_summary=f.public.summary if f.public else None,
        feedback=p.feedback_refs(doc, "items"), last_changed=last_changed,
        stale=(p.today - last_changed).days > p.settings.stale_after_days, extra=extra_rows(f.extra),
    )


def _release_order(doc: Document) -> tuple[Any, ...]:
    f = doc.fields
    assert isinstance(f, Release)
    return release_order(f, doc.slug)


def _release_ref(doc: Document) -> v.ReleaseRef:
    f = doc.fields
    assert isinstance(f, Release)
    return v.ReleaseRef(slug=doc.slug, url=ROOT + page_path(doc), version=f.version, date=f.date)


def _release(p: ViewContext, doc: Document) -> v.ReleaseView:
    f = doc.fields
    assert isinstance(f, Release)
    shipped = (item for slug in dict.fromkeys(f.ships) if (item := p.visible(key_of("item", slug))) is not None)
    public = v.ReleaseView(slug=doc.slug, url=ROOT + page_path(doc), version=f.version, date=f.date, title=f.title,
                           summary=f.summary, ships=tuple(p.card(item) for item in shipped), body=p.body(doc))
    if not p.internal:
        return public
    return v.InternalReleaseView(**_fields_of(public), visibility=f.visibility, extra=extra_rows(f.extra))


def _metric(p: ViewContext, doc: Document) -> v.MetricView:
    f = doc.fields
    assert isinstance(f, Metric)
    survey = p.corpus.surveys.get(doc.key)  # the public corpus has none: its metrics hold the values alone
    given = f.points if f.points is not None else survey.points() if survey is not None else ()
    points = tuple(v.MetricPointView(date=point.date, value=point.value)
                   for point in sorted(given, key=lambda pt: pt.date))
    public = v.MetricView(slug=doc.slug, url=ROOT + page_path(doc), name=f.name, kind=f.kind, unit=f.unit,
                          points=points)
    if not p.internal:
        return public
    rows = tuple(v.SurveyRow(period=period, withheld=survey.withheld(period, p.today))
                 for period in survey.periods) if survey is not None else ()
    return v.InternalMetricView(**_fields_of(public), target=f.target, survey=survey, survey_rows=rows,
                                min_responses=f.min_responses if f.responses else None, visibility=f.visibility,
                                extra=extra_rows(f.extra))


def _feedback(p: ViewContext, doc: Document) -> v.FeedbackView:
    f = doc.fields
    assert isinstance(f, Feedback)
    if not p.internal:
        raise LeakError("feedback on the public site")
    items = [item for slug in dict.fromkeys(f.items) if (item := p.visible(key_of("item", slug))) is not None]
    return v.FeedbackView(
        slug=doc.slug, url=ROOT + page_path(doc), date=f.date, source=f.source, customer=f.customer,
        persona=p.ref(key_of("persona", f.persona)) if f.persona else None, segment=f.segment, plan=f.plan,
        revenue=f.revenue, items=p.cards(items),
        sentiment=f.sentiment, quote=f.quote, tags=f.tags, import_id=f.import_id, body=p.body(doc),
        extra=extra_rows(f.extra),
    )


def _competitor(p: ViewContext, doc: Document) -> v.CompetitorView:
    f = doc.fields
    assert isinstance(f, Competitor)
    if not p.internal:
        raise LeakError("competitor analysis on the public site")
    return v.CompetitorView(
        slug=doc.slug, url=ROOT + page_path(doc), name=f.name, segment=f.segment, website=f.website,
        strengths=f.strengths, weaknesses=f.weaknesses, pricing=f.pricing, last_reviewed=f.last_reviewed,
        items=p.cards(p.referring(doc, "item", "competitors")), body=p.body(doc), extra=extra_rows(f.extra),
    )


_BY_KIND: dict[str, Callable[[ViewContext, Document], v.View]] = {
    "vision": _vision,
    "objective": _objective,
    "persona": _persona,
    "item": _item,
    "release": _release,
    "metric": _metric,
    "feedback": _feedback,
    "competitor": _competitor,
}
if _BY_KIND.keys() != KINDS.keys():
    raise RuntimeError(f"kinds without a projection: {sorted(KINDS.keys() - _BY_KIND.keys())}")
