"""The public corpus: public documents only, each cut down to its public fields, body and links.

The public site is made from this corpus alone, so no object a public template can reach
— the site, a view, a document behind it — holds anything internal: not a field, not the
internal body, not the slug of an internal document named in a public one. The
registry's ``public_fields`` are the allow-list: a field added to a model is internal until
it is named there, and a kind without one (feedback, competitors) never reaches the public
corpus at all, whatever its front matter says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from roadmapgen.config import Settings
from roadmapgen.kinds.fields import FrontMatter, StrictModel
from roadmapgen.kinds.registry import KINDS
from roadmapgen.kinds.source import document_key, key_of
from roadmapgen.load.versions import Version
from roadmapgen.markdown.body import Body, BodyLink
from roadmapgen.model.document import Document
from roadmapgen.model.graph import Corpus
from roadmapgen.model.survey import Survey

PUBLIC_FIELDS: Mapping[str, frozenset[str]] = {
    name: kind.public_fields for name, kind in KINDS.items() if kind.public_fields is not None
}
"""Kind -> the front-matter keys the public site may show (content format §3 'pub'), from the registry."""

PUBLIC_REFERENCES: Mapping[str, str] = {
    ref.field: ref.target for kind in KINDS.values() for ref in kind.references if ref.public
}
"""Public fields that name other documents -> the kind they name; only public targets stay."""

PUBLIC_SETTINGS = frozenset({"product", "tagline", "base_url", "language", "feedback_url", "search", "brand",
                             "subscribe_url", "analytics"})
"""What the public site may know of roadmapgen.yaml."""

HIDDEN = BodyLink(target="", fragment="", title="", line=0, column=0, internal=False)
"""Stands in the public corpus for a body link whose target is not public: its text stays, nothing else."""

M = TypeVar("M", bound=StrictModel)


def is_published(doc: Document) -> bool:
    """Whether the public site shows ``doc``: it says ``visibility: public`` and its kind can be public."""
    return doc.kind in PUBLIC_FIELDS and doc.is_public


def public_corpus(corpus: Corpus, today: dt.date) -> Corpus:
    """The documents the public site shows on ``today``, with public fields, the public body and public
    references only."""
    shown = {key for key, doc in corpus.documents.items() if is_published(doc)}
    documents = {key: public_document(corpus.documents[key], shown, corpus.surveys.get(key), today) for key in shown}
    referrers = {}
    for key in shown:
        refs = tuple(
            ref for ref in corpus.referrers.get(key, ()) if ref.field in PUBLIC_REFERENCES and ref.source in shown
        )
        if refs:
            referrers[key] = refs
    versions = {key: public_versions(corpus.versions[key]) for key in shown if key in corpus.versions}
    return Corpus(documents=documents, assets={}, links={}, referrers=referrers, missing_from={}, last_changed={},
                  versions={key: found for key, found in versions.items() if found})


def public_versions(versions: tuple[Version, ...]) -> tuple[Version, ...]:
    """The versions committed while the item was public, without their commits and visibility:
    followers of the public site hear of changes made in public, and of nothing before."""
    return tuple(
        Version("", version.date, tuple((name, value) for name, value in version.fields if name != "visibility"),
                version.baseline)
        for version in versions if version.get("visibility") == "public"
    )


def public_settings(settings: Settings) -> Settings:
    return _allowed(settings, PUBLIC_SETTINGS)


def public_document(doc: Document, shown: set[str], survey: Survey | None, today: dt.date) -> Document:
    """``doc`` cut to its public fields, body and references; a survey metric's publishable values (ended
    periods with enough answers on ``today``) become its points."""
    names, overrides = PUBLIC_FIELDS[doc.kind], _public_references(doc.fields, shown)
    if survey is not None:
        overrides["points"] = survey.public_points(today)  # the values alone: no count, interval or file
    wording_key = KINDS[doc.kind].public_wording
    if wording_key is not None:
        # The public wording takes the place of the team's; the block itself is not kept.
        names = names - {wording_key}
        wording = getattr(doc.fields, wording_key)
        if wording is not None:
            overrides.update({name: value for name, value in wording if value is not None})
    fields = _allowed(doc.fields, names, overrides)
    return Document(
        source=replace(doc.source, absolute=Path(doc.source.path)), fields=fields, places={},
        body=_public_body(doc.body, shown) if doc.body is not None else None, digest="", meta_digest="",
    )


def _public_references(fields: FrontMatter, shown: set[str]) -> dict[str, Any]:
    """Each public reference field with only the slugs of documents the public site shows."""
    kept: dict[str, Any] = {}
    for name, target in PUBLIC_REFERENCES.items():
        value = getattr(fields, name, None)
        if isinstance(value, str):
            kept[name] = value if key_of(target, value) in shown else None
        elif isinstance(value, tuple):
            kept[name] = tuple(slug for slug in value if key_of(target, slug) in shown)
    return kept


def _public_body(body: Body, shown: set[str]) -> Body:
    links = tuple(link if document_key(link.target) in shown else HIDDEN for link in body.public_links)
    return Body(body.public_html, body.public_html, links, body.public_assets, links, body.public_assets)


def _allowed(model: M, names: frozenset[str], overrides: Mapping[str, Any] | None = None) -> M:
    """A copy of ``model`` holding only ``names`` (the rest at their defaults), built from nothing."""
    values = {name: getattr(model, name) for name in names}
    values.update(overrides or {})
    return type(model).model_construct(**values)
