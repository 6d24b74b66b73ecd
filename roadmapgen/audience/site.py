"""Assemble one audience's site from its per-document views, then check the wall held."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from roadmapgen.audience import views as v
from roadmapgen.audience.guard import check_public
from roadmapgen.audience.kinds import project_document
from roadmapgen.audience.project import Audience, Projector, item_card, item_view_order
from roadmapgen.config import SiteConfig
from roadmapgen.errors import ContentError
from roadmapgen.memo import IdentityMemo
from roadmapgen.model.documents import Persona
from roadmapgen.model.graph import Corpus


def today_for(corpus: Corpus, source_date: dt.date | None) -> dt.date:
    """The date stale flags count from: SOURCE_DATE_EPOCH, else the project's latest change."""
    if source_date is not None:
        return source_date
    return max(corpus.last_changed.values(), default=dt.date(1970, 1, 1))


def project_views(projector: Projector) -> tuple[dict[str, Any], list[ContentError]]:
    """Every document this audience shows -> its view, by key."""
    views: dict[str, Any] = {}
    problems: list[ContentError] = []
    for doc in projector.corpus.documents.values():
        if projector.shows(doc):
            views[doc.key], found = project_document(projector, doc)
            problems.extend(found)
    return views, problems


def project_site(
    corpus: Corpus, config: SiteConfig, audience: Audience, source_date: dt.date | None = None
) -> tuple[v.PublicSite, list[ContentError]]:
    # Each item's card appears on many pages (personas, objectives, releases, feedback): make it once.
    cards = IdentityMemo(functools.partial(item_card, internal=audience is Audience.INTERNAL))
    projector = Projector(corpus, config, audience, today_for(corpus, source_date), cards)
    views, problems = project_views(projector)
    return assemble(projector, views), problems


def assemble(
    projector: Projector, views: Mapping[str, Any], item_order: Callable[[v.ItemView], Any] = item_view_order
) -> v.PublicSite:
    """Order the views into a site. Public orders use public fields only.

    ``item_order`` is :func:`item_view_order`, or a memo of it in a live preview."""
    buckets: dict[type, list[Any]] = {}
    for view in views.values():
        buckets.setdefault(v.PUBLIC_VIEW_OF.get(type(view), type(view)), []).append(view)

    def of(kind: type) -> list[Any]:
        return buckets.get(kind, [])

    settings = projector.config.settings
    internal = projector.internal
    common = dict(
        info=v.SiteInfo(
            product=settings.product, tagline=settings.tagline, language=settings.language,
            audience=projector.audience.value,
            base_url=settings.internal_base_url if internal else settings.base_url,
        ),
        vision=views.get("vision"),
        objectives=tuple(sorted(of(v.ObjectiveView), key=lambda o: (o.title.lower(), o.slug))),
        personas=tuple(sorted(of(v.PersonaView), key=lambda p: (p.name.lower(), p.slug))),
        items=tuple(sorted(of(v.ItemView), key=item_order)),
        releases=tuple(sorted(of(v.ReleaseView), key=lambda r: (r.date, r.slug), reverse=True)),
        metrics=tuple(sorted(of(v.MetricView), key=lambda m: (m.name.lower(), m.slug))),
        assets=_assets(projector, views),
    )
    if not internal:
        site = v.PublicSite(**common)
        check_public(site)
        return site
    research = settings.research
    return v.InternalSite(
        **common,
        feedback=tuple(sorted(of(v.FeedbackView), key=lambda f: (f.date, f.slug), reverse=True)),
        research=v.ResearchGoal(
            interviews_per_quarter=research.interviews_per_quarter if research else None, today=projector.today
        ),
    )


def _assets(projector: Projector, views: Mapping[str, Any]) -> tuple[str, ...]:
    """Internal: every asset. Public: avatars and images its pages show, nothing else."""
    corpus = projector.corpus
    if projector.internal:
        return tuple(corpus.assets)
    used: set[str] = set()
    for key in views:
        doc = corpus.documents[key]
        if isinstance(doc.fields, Persona) and doc.fields.avatar:
            used.add(doc.fields.avatar)
        if doc.body is not None:
            used.update(use.path for use in doc.body.assets if not use.internal)
    return tuple(sorted(used))
