"""Every document kind, declared once: where its files live, its model, what it names,
what the public site may show of it, its pages and its scaffold.

Each stage reads this table instead of spelling the kinds out: discovery (folders and
file names), linking (references and asset fields), the audience wall (the allow-list:
a kind whose ``public_fields`` is None never reaches the public corpus), page plans
(one page per document, overview pages, navigation), ``schema`` and ``new``. The one
thing a kind declares elsewhere is code: its projection into views, in
:mod:`roadmapgen.audience.make_views`, which refuses to import when a kind here has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from roadmapgen.kinds.fields import FrontMatter, target_order
from roadmapgen.kinds.front_matter import (
    Competitor,
    Feedback,
    Item,
    Metric,
    Objective,
    Persona,
    Release,
    Vision,
)
from roadmapgen.kinds.slugs import is_slug, is_version

OrderKey = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    """A front-matter key naming documents of another kind by slug."""

    field: str
    target: str
    """The kind named."""
    public: bool = False
    """Whether the public site may follow it (only ever between public documents)."""
    attribute: str | None = None
    """For a list of objects (``stories``), the attribute of each that holds the slug."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A kind's overview page at ``<section>/``, listing its documents' views."""

    template: str
    title: str
    """The key of its title in the theme's strings ('nav.personas')."""
    description: str
    """The key of its one-line description (the page's meta description)."""
    variable: str
    """The name the template receives the views under."""
    nav: int
    """Place in the navigation; overview pages that are not a kind's sit between (see pages.plan)."""


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    label: str
    """What messages call one document: 'roadmap item'."""
    folder: str
    """Folder under content/; '' for the single file named by ``file``."""
    model: type[FrontMatter]
    suffix: str = ".md"
    file: str | None = None
    data_suffix: str | None = None
    """Files of this suffix may sit beside the documents when a document names them (never published)."""
    slug_rule: Literal["slug", "version"] = "slug"
    public_fields: frozenset[str] | None = None
    """The allow-list: front-matter keys the public site may show. None: never public."""
    references: tuple[Reference, ...] = ()
    asset_fields: tuple[str, ...] = ()
    """Keys naming a file under assets/ (checked to exist; copied when the key is public)."""
    section: str = ""
    """URL folder of its pages ('roadmap' -> roadmap/<slug>/)."""
    page_template: str | None = None
    """Template of each document's own page; None: no page of its own."""
    page_variable: str = ""
    feed_template: str | None = None
    """Template of each document's own Atom feed at <section>/<slug>/feed.xml (sites with a base URL)."""
    listing: Listing | None = None
    title: Callable[[Any], str] = lambda fields: str(fields.title)
    description: str | None = None
    """The key whose text describes a page (meta description, search)."""
    order: Callable[[Any, str], OrderKey] = lambda fields, slug: (str(fields.title).lower(), slug)
    newest_first: bool = False
    scaffold: str | None = None
    """File name of its `roadmapgen new` template in roadmapgen/scaffolds/."""
    starter: str | None = None
    """The name `roadmapgen init` gives the one document of this kind a new project starts with (None: none)."""
    public_wording: str | None = None
    """A key whose set values replace the public fields of the same names on the public site
    (``public: {title, summary}``); the team's own wording never enters the public corpus."""
    diff_fields: tuple[str, ...] = ()
    """View fields `diff` reports changes of, in order; those before a title or name also sum a
    document up when it is added or removed ('later · planned')."""

    @property
    def has_body(self) -> bool:
        return self.suffix == ".md"

    @property
    def can_be_public(self) -> bool:
        return self.public_fields is not None

    def valid_slug(self, slug: str) -> bool:
        return is_version(slug) if self.slug_rule == "version" else is_slug(slug)

    def page_path(self, slug: str) -> str:
        """Where a document of this kind is shown, relative to the site root."""
        if self.file is not None:
            return ""
        if self.page_template is None:
            return f"{self.section}/#{slug}"
        return f"{self.section}/{slug}/"

    def scaffold_text(self) -> str:
        assert self.scaffold is not None
        return resources.files("roadmapgen.scaffolds").joinpath(self.scaffold).read_text(encoding="utf-8")


def _by_name(fields: Any, slug: str) -> OrderKey:
    return (fields.name.lower(), slug)


def _by_date(fields: Any, slug: str) -> OrderKey:
    return (fields.date, slug)


def release_order(fields: Release, slug: str) -> OrderKey:
    """Releases oldest first: date, then version compared number by number."""
    parts = tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"(\d+)", fields.version) if p)
    return (fields.date, parts, slug)


def _item_order(fields: Item, slug: str) -> OrderKey:
    """By when the target ends (undated last), then title: public fields only."""
    return (target_order(fields.target), fields.title.lower(), slug)


def _release_title(fields: Release) -> str:
    return f"{fields.version}: {fields.title}" if fields.title else fields.version


def _feedback_title(fields: Feedback) -> str:
    return fields.customer or f"{fields.source.replace('-', ' ').capitalize()} feedback, {fields.date.isoformat()}"


_VISIBLE = "visibility"

_KINDS = (
    Kind("vision", "vision", "", Vision, file="vision.md",
         public_fields=frozenset({"title", "statement", _VISIBLE}), description="statement",
         diff_fields=("title", "statement", "visibility")),
    Kind("item", "roadmap item", "roadmap", Item,
         public_fields=frozenset({"title", "status", "horizon", "summary", "target", "objective", "personas", "tags",
                                  "public", "feedback_url", _VISIBLE}),
         public_wording="public",
         references=(Reference("objective", "objective", public=True), Reference("personas", "persona", public=True),
                     Reference("stories", "persona", attribute="persona"), Reference("competitors", "competitor")),
         section="roadmap", page_template="item.html", page_variable="item", feed_template="item-feed.xml",
         description="summary", order=_item_order, scaffold="item.md", starter="First roadmap item",
         diff_fields=("horizon", "status", "target", "title", "visibility")),
    Kind("release", "release", "releases", Release, slug_rule="version",
         public_fields=frozenset({"version", "date", "title", "summary", "ships", _VISIBLE}),
         references=(Reference("ships", "item", public=True),),
         section="releases", page_template="release.html", page_variable="release", title=_release_title,
         description="summary", order=release_order, newest_first=True, scaffold="release.md", starter="0.1.0",
         diff_fields=("date", "title", "summary", "ships", "visibility")),
    Kind("persona", "persona", "personas", Persona,
         public_fields=frozenset({"name", "role", "avatar", "segment", "quote", "goals", "pain_points", "motivations",
                                  _VISIBLE}),
         asset_fields=("avatar",), section="personas", page_template="persona.html", page_variable="persona",
         listing=Listing("personas.html", "nav.personas", "persona.lead", "personas", nav=30), title=lambda f: f.name,
         description="quote", order=_by_name, scaffold="persona.md", starter="First persona",
         diff_fields=("role", "segment", "name", "quote", "visibility")),
    Kind("objective", "objective", "objectives", Objective,
         public_fields=frozenset({"title", "summary", _VISIBLE}),
         section="objectives", page_template="objective.html", page_variable="objective",
         listing=Listing("objectives.html", "nav.objectives", "objective.lead", "objectives", nav=40),
         description="summary",
         scaffold="objective.md", starter="Grow retention", diff_fields=("title", "summary", "visibility")),
    Kind("metric", "metric", "metrics", Metric, suffix=".yaml", data_suffix=".csv",
         public_fields=frozenset({"name", "kind", "unit", "points", _VISIBLE}),
         section="metrics", title=lambda f: f.name, order=_by_name, scaffold="metric.yaml",
         diff_fields=("kind", "name", "unit", "target", "visibility")),
    Kind("feedback", "feedback entry", "feedback", Feedback,
         references=(Reference("persona", "persona"), Reference("items", "item")),
         section="feedback", page_template="feedback.html", page_variable="entry",
         listing=Listing("feedback-list.html", "internal.nav.feedback", "internal.feedback.lead", "feedback", nav=80),
         title=_feedback_title,
         order=_by_date, newest_first=True, scaffold="feedback.md", starter="First interview",
         diff_fields=("source", "date", "customer", "sentiment", "quote")),
    Kind("competitor", "competitor", "competitors", Competitor,
         section="market", page_template="competitor.html", page_variable="competitor",
         listing=Listing("market.html", "internal.nav.market", "internal.market.lead", "competitors", nav=90),
         title=lambda f: f.name,
         description="segment", order=_by_name, scaffold="competitor.md",
         diff_fields=("segment", "name", "pricing", "last_reviewed")),
)

KINDS: Mapping[str, Kind] = {kind.name: kind for kind in _KINDS}
"""Every kind by name, in the order plans and the sitemap list their pages."""
FOLDER_KINDS: Mapping[str, Kind] = {kind.folder: kind for kind in _KINDS if kind.file is None}
FILE_KINDS: Mapping[str, Kind] = {kind.file: kind for kind in _KINDS if kind.file is not None}
MODEL_KINDS: Mapping[type[FrontMatter], Kind] = {kind.model: kind for kind in _KINDS}


def kind_of_fields(fields: FrontMatter) -> Kind:
    return MODEL_KINDS[type(fields)]


def _check(kinds: Mapping[str, Kind]) -> None:
    """Refuse, at import, a registry whose entries contradict each other."""
    for kind in kinds.values():
        for ref in kind.references:
            if ref.target not in kinds:
                raise RuntimeError(f"kind {kind.name}: reference '{ref.field}' names unknown kind {ref.target}")
            if ref.public and ref.field not in (kind.public_fields or ()):
                raise RuntimeError(f"kind {kind.name}: public reference '{ref.field}' is not a public field")
        if kind.public_wording is not None and kind.public_wording not in (kind.public_fields or ()):
            raise RuntimeError(f"kind {kind.name}: public wording '{kind.public_wording}' is not a public field")
        for name in (*kind.asset_fields, *(ref.field for ref in kind.references), *filter(None, [kind.public_wording])):
            if name not in kind.model.model_fields:
                raise RuntimeError(f"kind {kind.name}: '{name}' is not a field of {kind.model.__name__}")


_check(KINDS)
