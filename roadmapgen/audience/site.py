"""One audience's site: which documents it shows, in what order, and their views on demand.

What pages exist and in what order comes from the documents' own fields, cheaply; a
document's view is projected when a page first asks for it, and checked against the
audience wall as it is made. A rebuild that renders two pages projects only what those
two pages show.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar

from roadmapgen.audience import views as v
from roadmapgen.audience.context import (
    Audience,
    ViewContext,
    hidden_link_warnings,
    item_card,
    title_of,
    view_context,
)
from roadmapgen.audience.make_views import make_view
from roadmapgen.audience.tags import Tag, TagIndex
from roadmapgen.config import ANALYTICS_SOURCES, ProjectConfig
from roadmapgen.errors import ContentError
from roadmapgen.kinds.fields import fill_feedback_url
from roadmapgen.kinds.front_matter import Item
from roadmapgen.kinds.registry import KINDS
from roadmapgen.memo import IdentityMemo
from roadmapgen.model.document import Document
from roadmapgen.model.graph import Corpus

OrderKey = Callable[[Document], tuple[object, ...]]


def today_for(corpus: Corpus, source_date: dt.date | None) -> dt.date:
    """The date stale flags count from: SOURCE_DATE_EPOCH, else the project's latest change."""
    if source_date is not None:
        return source_date
    return max(corpus.last_changed.values(), default=dt.date(1970, 1, 1))


def display_order(doc: Document) -> tuple[Any, ...]:
    """Where a document sorts among its kind (reversed for newest-first kinds); public fields only."""
    return KINDS[doc.kind].order(doc.fields, doc.slug)


def entry_of(doc: Document) -> v.Entry:
    kind = KINDS[doc.kind]
    description = getattr(doc.fields, kind.description) if kind.description else None
    return v.Entry(key=doc.key, kind=doc.kind, slug=doc.slug, title=title_of(doc), description=description)


V = TypeVar("V")


class Site:
    """What templates and the page plan receive of one audience's site: its views, in display order.

    Views are made when first asked for, so a rebuild that renders a few pages makes only the
    views those pages show. This class is the public site; :class:`InternalSite` adds the
    internal views and pages' data. Each accessor returns the view types of its site, so a
    public template holds public views and nothing else."""

    def __init__(self, context: ViewContext, views: Mapping[str, v.View] | None = None,
                 order: OrderKey = display_order, entry: Callable[[Document], v.Entry] = entry_of,
                 tag_index: TagIndex | None = None, changed: Collection[str] | None = None) -> None:
        """``views`` already made (a live preview's), and memos of ``order`` and ``entry``, may be given."""
        self._context = context
        self._views: dict[str, v.View] = dict(views or {})
        self._entry = entry
        self._lists: dict[str, tuple[v.View, ...]] = {}
        # A live preview's index, brought up to date with the documents that changed since the last site.
        self._tag_index = tag_index or TagIndex()
        self._changed = changed
        self._tags: tuple[Tag, ...] | None = None
        self._assets: tuple[str, ...] | None = None
        settings = context.settings
        self.info = v.SiteInfo(
            product=settings.product, tagline=settings.tagline, language=settings.language,
            audience=context.audience.value,
            base_url=settings.internal_base_url if context.internal else settings.base_url,
            feedback_url=fill_feedback_url(
                settings.feedback_url, slug="roadmap", title=context.strings.text("site.roadmap_of",
                                                                                  product=settings.product),
                url=f"{settings.base_url}roadmap/") if settings.feedback_url else None,
            search=settings.search.internal if context.internal else settings.search.public,
            strings=context.strings, brand=context.brand,
            subscribe_url=None if context.internal else settings.subscribe_url,
            analytics=None if context.internal or settings.analytics is None else v.AnalyticsView(
                provider=settings.analytics.provider, site=settings.analytics.site,
                src=settings.analytics.src or ANALYTICS_SOURCES[settings.analytics.provider]),
        )
        shown: dict[str, list[Document]] = {kind: [] for kind in KINDS}
        for doc in context.corpus.documents.values():
            if context.shows(doc):
                shown[doc.kind].append(doc)
        self._keys = {kind: tuple(doc.key for doc in sorted(docs, key=order, reverse=KINDS[kind].newest_first))
                      for kind, docs in shown.items()}

    def view(self, key: str) -> v.View:
        """The view of one document this site shows."""
        found = self._views.get(key)
        if found is None:
            found = self._views[key] = make_view(self._context, self._context.corpus.documents[key])
        return found

    def made(self) -> dict[str, v.View]:
        """The views made so far, by key."""
        return self._views

    def all(self, kind: str) -> tuple[v.View, ...]:
        """The views of every document of ``kind`` this site shows, in display order."""
        found = self._lists.get(kind)
        if found is None:
            found = self._lists[kind] = tuple(self.view(key) for key in self._keys[kind])
        return found

    def _all_of(self, kind: str, view_type: type[V]) -> tuple[V, ...]:
        """:meth:`all`, as the type this site makes for ``kind``.

        Raises:
            TypeError: if a view is of another type (a bug in a projection, never in content).
        """
        views = self.all(kind)
        if not _all_are(views, view_type):
            raise TypeError(f"a view of {kind} is not a {view_type.__name__}")
        return views

    def entries(self, kind: str) -> tuple[v.Entry, ...]:
        """The documents of ``kind`` this site shows, in display order, without making their views."""
        documents = self._context.corpus.documents
        return tuple(self._entry(documents[key]) for key in self._keys[kind])

    @property
    def tags(self) -> tuple[Tag, ...]:
        """Every tag of the items this site shows, by slug, from their fields alone (no view is made)."""
        if self._tags is None:
            self._tags = self._make_tags()
        return self._tags

    def _make_tags(self) -> tuple[Tag, ...]:
        context = self._context
        documents = context.corpus.documents

        def tags_of(key: str) -> tuple[str, ...] | None:
            doc = documents.get(key)
            if doc is None or not isinstance(doc.fields, Item) or not context.shows(doc):
                return None
            return doc.fields.tags

        if self._changed is not None and self._tag_index.ready:
            return self._tag_index.update(self._changed, tags_of)
        return self._tag_index.build(self._keys["item"], tags_of)

    def _only(self, kind: str, view_type: type[V]) -> V | None:
        """The view of the one document of a single-file kind (the vision), if this site shows it."""
        keys = self._keys[kind]
        if not keys:
            return None
        view = self.view(keys[0])
        if not isinstance(view, view_type):
            raise TypeError(f"the view of {keys[0]} is not a {view_type.__name__}")
        return view

    @property
    def vision(self) -> v.VisionView | None:
        return self._only("vision", v.VisionView)

    @property
    def objectives(self) -> tuple[v.ObjectiveView, ...]:
        return self._all_of("objective", v.ObjectiveView)

    @property
    def personas(self) -> tuple[v.PersonaView, ...]:
        return self._all_of("persona", v.PersonaView)

    @property
    def items(self) -> tuple[v.ItemView, ...]:
        return self._all_of("item", v.ItemView)

    @property
    def releases(self) -> tuple[v.ReleaseView, ...]:
        """Newest first."""
        return self._all_of("release", v.ReleaseView)

    @property
    def metrics(self) -> tuple[v.MetricView, ...]:
        return self._all_of("metric", v.MetricView)

    @property
    def assets(self) -> tuple[str, ...]:
        """Files under assets/ this site copies. Internal: every one. Public: the avatars and images its
        pages show, nothing else."""
        if self._assets is None:
            self._assets = self._used_assets()
        return self._assets

    def _used_assets(self) -> tuple[str, ...]:
        corpus = self._context.corpus
        if self._context.internal:
            return tuple(corpus.assets)
        brand = self._context.settings.brand
        used: set[str] = {path for path in (brand.logo, brand.favicon) if path}
        for doc in corpus.documents.values():  # the public corpus: public documents, public fields
            used.update(path for name in KINDS[doc.kind].asset_fields if (path := getattr(doc.fields, name, None)))
            if doc.body is not None:
                used.update(use.path for use in doc.body.public_assets)
        return tuple(sorted(used))


class InternalSite(Site):
    """The internal site: every document, as the internal views, and what only the team's pages show."""

    @property
    def vision(self) -> v.InternalVisionView | None:
        return self._only("vision", v.InternalVisionView)

    @property
    def objectives(self) -> tuple[v.InternalObjectiveView, ...]:
        return self._all_of("objective", v.InternalObjectiveView)

    @property
    def personas(self) -> tuple[v.InternalPersonaView, ...]:
        return self._all_of("persona", v.InternalPersonaView)

    @property
    def items(self) -> tuple[v.InternalItemView, ...]:
        return self._all_of("item", v.InternalItemView)

    @property
    def releases(self) -> tuple[v.InternalReleaseView, ...]:
        """Newest first."""
        return self._all_of("release", v.InternalReleaseView)

    @property
    def metrics(self) -> tuple[v.InternalMetricView, ...]:
        return self._all_of("metric", v.InternalMetricView)

    @property
    def feedback(self) -> tuple[v.FeedbackView, ...]:
        """Newest first."""
        return self._all_of("feedback", v.FeedbackView)

    @property
    def competitors(self) -> tuple[v.CompetitorView, ...]:
        return self._all_of("competitor", v.CompetitorView)

    @property
    def research(self) -> v.ResearchGoal:
        settings = self._context.settings
        goal = settings.research
        return v.ResearchGoal(interviews_per_quarter=goal.interviews_per_quarter if goal else None,
                              target_segments=goal.target_segments if goal else (),
                              stale_after_days=settings.stale_after_days, today=self._context.today,
                              currency=settings.currency)


def _all_are(views: tuple[v.View, ...], view_type: type[V]) -> TypeGuard[tuple[V, ...]]:
    return all(isinstance(view, view_type) for view in views)


def internal(site: Site) -> InternalSite:
    """``site``, which a page only the internal site has was planned for.

    Raises:
        TypeError: if it is the public site (a planning bug: such a page is never planned there).
    """
    if not isinstance(site, InternalSite):
        raise TypeError("an internal page was planned for the public site")
    return site


def _site_for(context: ViewContext, views: Mapping[str, v.View] | None = None, order: OrderKey = display_order,
              entry: Callable[[Document], v.Entry] = entry_of, tag_index: TagIndex | None = None,
              changed: Collection[str] | None = None) -> Site:
    kind = InternalSite if context.internal else Site
    return kind(context, views, order, entry, tag_index, changed)


class ViewMemos:
    """Per-object memos of what a site computes for each document; a live preview keeps them
    across rebuilds, so an unchanged document's card, sort key and entry are made once."""

    def __init__(self, audience: Audience) -> None:
        # Each item's card appears on many pages (personas, objectives, releases, feedback): make it once.
        self.cards = IdentityMemo(functools.partial(item_card, internal=audience is Audience.INTERNAL))
        self.order = IdentityMemo(display_order)
        self.entries = IdentityMemo(entry_of)
        self.tags = TagIndex()

    def next_round(self) -> None:
        for memo in (self.cards, self.order, self.entries):
            memo.next_round()


@dataclass(frozen=True, slots=True)
class AudienceSite:
    """One audience's site, the corpus it was made from, and the warnings it causes, by document."""

    site: Site
    corpus: Corpus
    warnings: Mapping[str, tuple[ContentError, ...]]

    def problems(self) -> list[ContentError]:
        return [problem for found in self.warnings.values() for problem in found]


def open_site(corpus: Corpus, config: ProjectConfig, audience: Audience, source_date: dt.date | None,
              memos: ViewMemos, views: Mapping[str, v.View] | None = None) -> AudienceSite:
    """The site for ``audience``; views are made when pages ask for them (``views``: made already)."""
    context = view_context(corpus, config, audience, today_for(corpus, source_date), memos.cards)
    site = _site_for(context, views, memos.order, memos.entries, memos.tags)
    return AudienceSite(site, corpus, link_warnings(corpus, audience, corpus.documents))


def update_site(previous: AudienceSite, views: Mapping[str, v.View], corpus: Corpus, config: ProjectConfig,
                changed: Collection[str], source_date: dt.date | None,
                memos: ViewMemos) -> tuple[AudienceSite, set[str]]:
    """:func:`open_site` after the documents ``changed`` changed: the new site keeps every view of
    ``views`` that cannot have changed, and the keys whose view did change (or was never made)."""
    old = previous.site._context
    audience = old.audience
    today = today_for(corpus, source_date)
    affected = set(changed) if today == old.today else set(corpus.documents) | set(previous.corpus.documents)
    for key in changed:
        affected |= corpus.neighbours(key) | previous.corpus.neighbours(key)
    context = view_context(corpus, config, audience, today, memos.cards)
    kept = dict(views)
    changed_views = set()
    for key in affected:
        before = kept.pop(key, None)
        doc = context.corpus.documents.get(key)
        if doc is None or not context.shows(doc) or before is None:
            changed_views.add(key)  # a view nobody made is on no rendered page
            continue
        kept[key] = make_view(context, doc)
        if kept[key] != before:
            changed_views.add(key)
    warnings = {key: found for key, found in previous.warnings.items() if key not in affected}
    warnings.update(link_warnings(corpus, audience, affected))
    site = _site_for(context, kept, memos.order, memos.entries, memos.tags, changed=affected)
    return AudienceSite(site, corpus, warnings), changed_views


def link_warnings(corpus: Corpus, audience: Audience, keys: Iterable[str]) -> dict[str, tuple[ContentError, ...]]:
    """For the public site: links of the documents ``keys`` that it shows as plain text (their target is internal)."""
    if audience is Audience.INTERNAL:
        return {}
    found = {}
    for key in keys:
        doc = corpus.documents.get(key)
        if doc is not None and (problems := hidden_link_warnings(corpus, doc)):
            found[key] = tuple(problems)
    return found


def site_with_warnings(
    corpus: Corpus, config: ProjectConfig, audience: Audience, source_date: dt.date | None = None
) -> tuple[Site, list[ContentError]]:
    """The site for ``audience``, and the warnings it causes (links shown as plain text)."""
    projected = open_site(corpus, config, audience, source_date, ViewMemos(audience))
    return projected.site, projected.problems()


def make_all_views(site: Site, kinds: Iterable[str] = tuple(KINDS)) -> None:
    """Make every view now (used by tests and to check the whole public site at once)."""
    for kind in kinds:
        for entry in site.entries(kind):
            site.view(entry.key)

