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
from typing import Any

from roadmapgen.audience import views as v
from roadmapgen.audience.context import (
    Audience,
    Projector,
    hidden_link_warnings,
    item_card,
    make_projector,
    title_of,
)
from roadmapgen.audience.make_views import project_document
from roadmapgen.audience.tags import Tag, TagIndex
from roadmapgen.config import ConfigFile, SiteConfig
from roadmapgen.errors import ContentError
from roadmapgen.kinds.fields import fill_feedback_url
from roadmapgen.kinds.source import KINDS
from roadmapgen.memo import IdentityMemo
from roadmapgen.model.document import Document
from roadmapgen.model.graph import Corpus

OrderKey = Callable[[Document], Any]


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


class SiteViews:
    """A site's views in display order, projected on first use (see :class:`views.Site`)."""

    def __init__(self, projector: Projector, views: Mapping[str, Any] | None = None,
                 order: OrderKey = display_order, entry: Callable[[Document], v.Entry] = entry_of,
                 tag_index: TagIndex | None = None, changed: Collection[str] | None = None) -> None:
        """``views`` already projected (a live preview's), and memos of ``order`` and ``entry``, may be given."""
        self._projector = projector
        self._views: dict[str, Any] = dict(views or {})
        self._entry = entry
        # A live preview's index, brought up to date with the documents that changed since the last site.
        self._tag_index = tag_index or TagIndex()
        self._changed = changed
        settings = projector.settings
        self.info = v.SiteInfo(
            product=settings.product, tagline=settings.tagline, language=settings.language,
            audience=projector.audience.value,
            base_url=settings.internal_base_url if projector.internal else settings.base_url,
            feedback_url=fill_feedback_url(settings.feedback_url, slug="roadmap", title=f"{settings.product} roadmap",
                                           url=f"{settings.base_url}roadmap/") if settings.feedback_url else None,
        )
        shown: dict[str, list[Document]] = {kind: [] for kind in KINDS}
        for doc in projector.corpus.documents.values():
            if projector.shows(doc):
                shown[doc.kind].append(doc)
        self._keys = {kind: tuple(doc.key for doc in sorted(docs, key=order, reverse=KINDS[kind].newest_first))
                      for kind, docs in shown.items()}

    def view(self, key: str) -> Any:
        found = self._views.get(key)
        if found is None:
            found = self._views[key] = project_document(self._projector, self._projector.corpus.documents[key])
        return found

    def projected(self) -> dict[str, Any]:
        """The views made so far, by key."""
        return self._views

    def all(self, kind: str) -> tuple[Any, ...]:
        """The views of every document of ``kind`` this site shows, in display order."""
        return tuple(self.view(key) for key in self._keys[kind])

    @functools.cached_property
    def tags(self) -> tuple[Tag, ...]:
        """Every tag of the items this site shows, from their fields alone (no view is made)."""
        projector = self._projector
        documents = projector.corpus.documents

        def tags_of(key: str) -> tuple[str, ...] | None:
            doc = documents.get(key)
            shown = doc is not None and doc.kind == "item" and projector.shows(doc)
            return tuple(getattr(doc.fields, "tags", ())) if shown and doc is not None else None

        if self._changed is not None and self._tag_index.ready:
            return self._tag_index.update(self._changed, tags_of)
        return self._tag_index.build(self._keys["item"], tags_of)

    def entries(self, kind: str) -> tuple[v.Entry, ...]:
        documents = self._projector.corpus.documents
        return tuple(self._entry(documents[key]) for key in self._keys[kind])

    @property
    def vision(self) -> v.VisionView | None:
        return self.view("vision") if self._keys["vision"] else None

    @functools.cached_property
    def objectives(self) -> tuple[v.ObjectiveView, ...]:
        return self.all("objective")

    @functools.cached_property
    def personas(self) -> tuple[v.PersonaView, ...]:
        return self.all("persona")

    @functools.cached_property
    def items(self) -> tuple[v.ItemView, ...]:
        return self.all("item")

    @functools.cached_property
    def releases(self) -> tuple[v.ReleaseView, ...]:
        return self.all("release")

    @functools.cached_property
    def metrics(self) -> tuple[v.MetricView, ...]:
        return self.all("metric")

    @functools.cached_property
    def assets(self) -> tuple[str, ...]:
        """Internal: every asset. Public: avatars and images its pages show, nothing else."""
        corpus = self._projector.corpus
        if self._projector.internal:
            return tuple(corpus.assets)
        used: set[str] = set()
        for doc in corpus.documents.values():  # the public corpus: public documents, public fields
            used.update(path for name in KINDS[doc.kind].asset_fields if (path := getattr(doc.fields, name, None)))
            if doc.body is not None:
                used.update(use.path for use in doc.body.public_assets)
        return tuple(sorted(used))


class InternalSiteViews(SiteViews):
    @functools.cached_property
    def feedback(self) -> tuple[v.FeedbackView, ...]:
        return self.all("feedback")

    @functools.cached_property
    def research(self) -> v.ResearchGoal:
        goal = self._projector.settings.research
        settings = self._projector.settings
        return v.ResearchGoal(interviews_per_quarter=goal.interviews_per_quarter if goal else None,
                              target_segments=goal.target_segments if goal else (),
                              stale_after_days=settings.stale_after_days, today=self._projector.today)


def make_site(projector: Projector, views: Mapping[str, Any] | None = None, order: OrderKey = display_order,
              entry: Callable[[Document], v.Entry] = entry_of, tag_index: TagIndex | None = None,
              changed: Collection[str] | None = None) -> SiteViews:
    kind = InternalSiteViews if projector.internal else SiteViews
    return kind(projector, views, order, entry, tag_index, changed)


class SiteMemos:
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
class ProjectedSite:
    """One audience's site, the corpus it was made from, and the warnings it causes, by document."""

    site: SiteViews
    corpus: Corpus
    warnings: Mapping[str, tuple[ContentError, ...]]

    def problems(self) -> list[ContentError]:
        return [problem for found in self.warnings.values() for problem in found]


def project(corpus: Corpus, settings: ConfigFile, audience: Audience, source_date: dt.date | None,
            memos: SiteMemos, views: Mapping[str, Any] | None = None) -> ProjectedSite:
    """The site for ``audience``; views are made when pages ask for them (``views``: made already)."""
    projector = make_projector(corpus, settings, audience, today_for(corpus, source_date), memos.cards)
    site = make_site(projector, views, memos.order, memos.entries, memos.tags)
    return ProjectedSite(site, corpus, link_warnings(corpus, audience, corpus.documents))


def reproject(previous: ProjectedSite, views: Mapping[str, Any], corpus: Corpus, settings: ConfigFile,
              changed: Collection[str], source_date: dt.date | None,
              memos: SiteMemos) -> tuple[ProjectedSite, set[str]]:
    """:func:`project` after the documents ``changed`` changed: the new site keeps every view of
    ``views`` that cannot have changed, and the keys whose view did change (or was never made)."""
    old = previous.site._projector
    audience = old.audience
    today = today_for(corpus, source_date)
    affected = set(changed) if today == old.today else set(corpus.documents) | set(previous.corpus.documents)
    for key in changed:
        affected |= corpus.neighbours(key) | previous.corpus.neighbours(key)
    projector = make_projector(corpus, settings, audience, today, memos.cards)
    kept = dict(views)
    changed_views = set()
    for key in affected:
        before = kept.pop(key, None)
        doc = projector.corpus.documents.get(key)
        if doc is None or not projector.shows(doc) or before is None:
            changed_views.add(key)  # a view nobody made is on no rendered page
            continue
        kept[key] = project_document(projector, doc)
        if kept[key] != before:
            changed_views.add(key)
    warnings = {key: found for key, found in previous.warnings.items() if key not in affected}
    warnings.update(link_warnings(corpus, audience, affected))
    site = make_site(projector, kept, memos.order, memos.entries, memos.tags, changed=affected)
    return ProjectedSite(site, corpus, warnings), changed_views


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


def project_site(
    corpus: Corpus, config: SiteConfig, audience: Audience, source_date: dt.date | None = None
) -> tuple[SiteViews, list[ContentError]]:
    """The site for ``audience``, and the warnings it causes (links shown as plain text)."""
    projected = project(corpus, config.settings, audience, source_date, SiteMemos(audience))
    return projected.site, projected.problems()


def project_all(site: SiteViews, kinds: Iterable[str] = tuple(KINDS)) -> None:
    """Make every view now (used by tests and to check the whole public site at once)."""
    for kind in kinds:
        for entry in site.entries(kind):
            site.view(entry.key)

