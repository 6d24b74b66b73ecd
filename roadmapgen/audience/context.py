"""Audience stage: Corpus + audience -> the site's views; the audience wall.

The public projection starts from nothing and copies in what :mod:`views` allows:
public documents only, their public fields only, references only through public
fields and only to public documents. Sort orders and aggregates use public fields
alone, so editing anything internal cannot move a byte of the public site.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from roadmapgen.audience import views as v
from roadmapgen.audience.public import is_published, public_corpus, public_settings
from roadmapgen.colours import derive
from roadmapgen.config import BRAND_IMAGE_TYPES, ProjectConfig, Settings
from roadmapgen.errors import ContentError, warning
from roadmapgen.i18n import Strings
from roadmapgen.kinds.fields import target_order
from roadmapgen.kinds.front_matter import Feedback, Item, Persona
from roadmapgen.kinds.registry import KINDS
from roadmapgen.kinds.source import document_key, kind_of_content_path
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.model.document import Document
from roadmapgen.model.graph import Corpus


class Audience(StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"


PUBLIC_REFERENCE_FIELDS = frozenset(ref.field for kind in KINDS.values() for ref in kind.references if ref.public)
"""Front-matter references the public site may follow (all of them public fields)."""
ALL_REFERENCE_FIELDS = frozenset(ref.field for kind in KINDS.values() for ref in kind.references)


def page_path(doc: Document) -> str:
    """Where a document is shown, relative to the site root ('' is the home page)."""
    return KINDS[doc.kind].page_path(doc.slug)


@dataclass(frozen=True, slots=True)
class ViewContext:
    """Projects single documents for one audience; the unit incremental rebuilds reuse.

    A public context holds the public corpus and public settings only (see
    :func:`view_context`): it cannot hand out what it never had."""

    corpus: Corpus
    settings: Settings
    strings: Strings
    """The theme's words for this audience (the public site's leave out the internal pages' words)."""
    brand: v.BrandView
    audience: Audience
    today: dt.date
    card_of: Callable[[Document], v.ItemCard] | None = None
    """A memo of :func:`item_card` for this audience, when a live preview keeps one."""

    @property
    def internal(self) -> bool:
        return self.audience is Audience.INTERNAL

    def shows(self, doc: Document) -> bool:
        return self.internal or is_published(doc)

    def reference_fields(self) -> frozenset[str]:
        return ALL_REFERENCE_FIELDS if self.internal else PUBLIC_REFERENCE_FIELDS

    def visible(self, key: str) -> Document | None:
        doc = self.corpus.documents.get(key)
        return doc if doc is not None and self.shows(doc) else None

    def ref(self, key: str) -> v.PageRef | None:
        doc = self.visible(key)
        return None if doc is None else v.PageRef(slug=doc.slug, title=title_of(doc), url=ROOT + page_path(doc))

    def refs(self, keys: Iterable[str]) -> tuple[v.PageRef, ...]:
        return tuple(ref for ref in map(self.ref, dict.fromkeys(keys)) if ref is not None)

    def referring(self, doc: Document, kind: str, *fields: str) -> tuple[Document, ...]:
        allowed = self.reference_fields().intersection(fields)
        return tuple(d for d in self.corpus.referring(doc.key, kind, allowed) if self.shows(d))

    def body(self, doc: Document) -> v.Html:
        """The body for this audience: each document link leads to its page here, or is only text."""
        if doc.body is None:
            return v.Html(Markup(""))
        body = doc.body
        html, links = (body.internal_html, body.links) if self.internal else (body.public_html, body.public_links)
        anchors = []
        for link in links:
            target = self.visible(document_key(link.target))
            anchors.append(None if target is None else (ROOT + page_path(target) + link.fragment, link.title))
        return v.Html(html, tuple(anchors), self.strings.text("internal.block") if self.internal else "")

    def card(self, doc: Document) -> v.ItemCard:
        return self.card_of(doc) if self.card_of else item_card(doc, self.internal)

    def cards(self, docs: Iterable[Document]) -> tuple[v.ItemCard, ...]:
        return tuple(sorted((self.card(doc) for doc in docs), key=item_view_order))

    def feedback_refs(self, doc: Document, field: str) -> tuple[v.FeedbackRef, ...]:
        """Feedback naming ``doc`` in ``field``, newest first."""
        refs = (feedback_ref(entry) for entry in self.referring(doc, "feedback", field))
        return tuple(sorted(refs, key=lambda ref: (ref.date, ref.slug), reverse=True))


def view_context(corpus: Corpus, config: ProjectConfig, audience: Audience, today: dt.date,
                 card_of: Callable[[Document], v.ItemCard] | None = None) -> ViewContext:
    """The context for ``audience``; a public one is made from the public corpus, settings and strings alone."""
    brand = brand_view(config)
    if audience is Audience.INTERNAL:
        return ViewContext(corpus, config.settings, config.strings, brand, audience, today, card_of)
    return ViewContext(public_corpus(corpus, today), public_settings(config.settings), config.strings.public(),
                       brand, audience, today, card_of)


LOGO_HEIGHT, LOGO_MAX_WIDTH = 32, 240


def brand_view(config: ProjectConfig) -> v.BrandView:
    """The brand as pages show it: the same on both sites (it is public by nature)."""
    brand = config.settings.brand
    width = height = None
    if brand.logo and config.logo_size:
        natural_width, natural_height = config.logo_size
        scale = min(LOGO_HEIGHT / natural_height, LOGO_MAX_WIDTH / natural_width)
        width, height = max(round(natural_width * scale), 1), max(round(natural_height * scale), 1)
    favicon_type = BRAND_IMAGE_TYPES[posixpath.splitext(brand.favicon)[1].lower()] if brand.favicon else None
    return v.BrandView(logo=ROOT + quote(brand.logo) if brand.logo else None, logo_width=width, logo_height=height,
                       favicon=ROOT + quote(brand.favicon) if brand.favicon else None, favicon_type=favicon_type,
                       accent=derive(brand.accent) if brand.accent else None)


def hidden_link_warnings(corpus: Corpus, doc: Document) -> list[ContentError]:
    """Links of a public document that the public site shows as text (their target is not public)."""
    if doc.body is None or not is_published(doc):
        return []
    problems = []
    for link in doc.body.public_links:
        target = corpus.documents.get(document_key(link.target))
        if target is None or not is_published(target):
            kind = kind_of_content_path(link.target)
            label = kind.label if kind else "document"
            problems.append(
                warning(
                    doc.path,
                    link.line,
                    link.column,
                    f"link to internal {label} '{link.target}' is shown as plain text on the public site",
                )
            )
    return problems


def item_card(doc: Document, internal: bool) -> v.ItemCard:
    """A roadmap item as lists show it; depends on the item's own fields only."""
    f = doc.fields
    assert isinstance(f, Item)
    url = ROOT + page_path(doc)
    if not internal:
        return v.ItemCard(slug=doc.slug, url=url, title=f.title, status=f.status, horizon=f.horizon, summary=f.summary,
                          target=f.target, tags=f.tags)
    return v.InternalItemCard(slug=doc.slug, url=url, title=f.title, status=f.status, horizon=f.horizon,
                              summary=f.summary, target=f.target, tags=f.tags, visibility=f.visibility, owner=f.owner,
                              score=f.rice.score if f.rice else None)


def item_view_order(item: v.ItemCard) -> tuple[tuple[int, int, int], str, str]:
    """Items in display order: by when the target ends (undated last), then title; public fields only."""
    return (target_order(item.target), item.title.lower(), item.slug)


def title_of(doc: Document) -> str:
    return KINDS[doc.kind].title(doc.fields)


def feedback_ref(doc: Document) -> v.FeedbackRef:
    f = doc.fields
    assert isinstance(f, Feedback)
    return v.FeedbackRef(slug=doc.slug, url=ROOT + page_path(doc), date=f.date, source=f.source,
                         sentiment=f.sentiment, customer=f.customer, quote=f.quote, persona=f.persona,
                         segment=f.segment, plan=f.plan, revenue=f.revenue)


def extra_rows(extra: dict[str, Any] | None) -> tuple[tuple[str, str], ...]:
    """Free-form ``extra`` data as (key, text) rows for the internal site."""
    if not extra:
        return ()
    return tuple(
        (key, value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str, ensure_ascii=False))
        for key, value in sorted(extra.items())
    )


def avatar_url(persona: Persona) -> str | None:
    return ROOT + quote(persona.avatar) if persona.avatar else None

