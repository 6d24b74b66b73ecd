"""Plan stage: a site's views -> the pages to write, each with what it shows and depends on.

Only views come in, so a page can show nothing the audience stage did not allow. Each
:class:`PageSpec` lists the documents its context was built from (``deps``): a key like
'roadmap/sso', or '*item' for every item. Serve re-renders a page when one of them
changes; caches key pages on them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from roadmapgen.audience import views as v
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.pages import aggregates
from roadmapgen.pages.charts import line_chart

FEED_LIMIT = 50


def every(kind: str) -> str:
    """The dependency on every document of ``kind``."""
    return f"*{kind}"


@dataclass(frozen=True, slots=True)
class NavLink:
    section: str
    label: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PageInfo:
    """What every template receives as ``page``."""

    path: str
    """Output file, e.g. 'roadmap/sso/index.html'."""
    url: str
    """The page's URL (ROOT-relative), e.g. ROOT + 'roadmap/sso/'."""
    title: str
    section: str
    """Which navigation entry is current."""
    description: str | None = None

    @property
    def link(self) -> str:
        """The page's address inside the site, e.g. 'roadmap/sso/'."""
        return self.path.removesuffix("index.html")


Context = Mapping[str, Any] | Callable[[], Mapping[str, Any]]
"""A page's template values, or a function making them when the page is rendered.

Summaries over the whole site (the board, priorities) are made lazily: a live preview
then only pays for them when someone looks at the page."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PageSpec:
    page: PageInfo
    template: str
    """A Jinja template, or the name of a data writer (see :mod:`roadmapgen.render.data`)."""
    context: Context = field(default_factory=dict)
    deps: frozenset[str]
    root: str
    """What ROOT becomes in this file: a relative path up to the site root, or an absolute URL."""

    def values(self) -> Mapping[str, Any]:
        return self.context() if callable(self.context) else self.context


@dataclass(frozen=True, slots=True)
class Plan:
    nav: tuple[NavLink, ...]
    pages: tuple[PageSpec, ...]


def relative_root(path: str) -> str:
    depth = path.count("/")
    return "../" * depth if depth else "./"


def _html(path: str, template: str, title: str, section: str, deps: frozenset[str],
          context: Context | None = None, description: str | None = None) -> PageSpec:
    url = ROOT + path.removesuffix("index.html")
    info = PageInfo(path=path, url=url, title=title, section=section, description=description)
    return PageSpec(page=info, template=template, context=context or {}, deps=deps, root=relative_root(path))


PagesOf = Callable[[Any], tuple[PageSpec, ...]]
"""A document view -> its own pages (see :func:`pages_of`); a live preview memoizes it."""


def plan_pages(site: v.PublicSite, own_pages: PagesOf | None = None) -> Plan:
    """Every file of the site: overviews, each document's own pages, data files, sitemap."""
    own_pages = own_pages or pages_of
    documents: list[Any] = [*site.items, *site.releases, *site.personas, *site.objectives]
    if isinstance(site, v.InternalSite):
        documents.extend(site.feedback)
    pages = [*_overview_pages(site)]
    if isinstance(site, v.InternalSite):
        pages.extend(_internal_pages(site))
    pages.extend(spec for view in documents for spec in own_pages(view))
    pages.extend(_data_files(site))
    html_pages = tuple(spec.page for spec in pages if spec.page.path.endswith(".html") and spec.page.path != "404.html")
    pages.append(_sitemap(site, html_pages))
    return Plan(nav=_nav(site), pages=tuple(pages))


def _nav(site: v.PublicSite) -> tuple[NavLink, ...]:
    links = [NavLink("roadmap", "Roadmap", ROOT + "roadmap/"), NavLink("releases", "Releases", ROOT + "releases/")]
    for section, label, views in (("personas", "Personas", site.personas), ("objectives", "Objectives", site.objectives),
                                  ("metrics", "Metrics", site.metrics)):
        if views:
            links.append(NavLink(section, label, f"{ROOT}{section}/"))
    if isinstance(site, v.InternalSite):
        links += [NavLink("priorities", "Priorities", ROOT + "priorities/"),
                  NavLink("research", "Research", ROOT + "research/"),
                  NavLink("feedback", "Feedback", ROOT + "feedback/")]
    return tuple(links)


def _overview_pages(site: v.PublicSite) -> Iterator[PageSpec]:
    board = functools.cache(lambda: aggregates.board(site.items))
    everything = frozenset({"vision", every("item"), every("release")})
    yield _html("index.html", "home.html", site.info.product, "home", everything,
                lambda: {"board": board(), "latest": site.releases[:3]},
                description=site.vision.statement if site.vision else site.info.tagline)
    yield _html("roadmap/index.html", "board.html", "Roadmap", "roadmap", frozenset({every("item")}),
                lambda: {"board": board()})
    yield _html("releases/index.html", "changelog.html", "Releases", "releases", frozenset({every("release")}),
                {"releases": site.releases})
    yield replace(_html("404.html", "404.html", "Page not found", "none", frozenset()), root=_absolute_path(site))
    if site.personas:
        yield _html("personas/index.html", "personas.html", "Personas", "personas", frozenset({every("persona")}),
                    {"personas": site.personas})
    if site.objectives:
        yield _html("objectives/index.html", "objectives.html", "Objectives", "objectives",
                    frozenset({every("objective")}), {"objectives": site.objectives})
    if site.metrics:
        yield _html("metrics/index.html", "metrics.html", "Metrics", "metrics", frozenset({every("metric")}),
                    lambda: {"charts": _charts(site.metrics)})


def _charts(metrics: tuple[v.MetricView, ...]) -> tuple[tuple[v.MetricView, Any], ...]:
    return tuple((metric, line_chart(metric.name, metric.points, metric.unit, getattr(metric, "target", None)))
                 for metric in metrics)


def pages_of(view: Any) -> tuple[PageSpec, ...]:
    """A document's own pages: one per item, release, persona, objective and feedback entry."""
    if isinstance(view, v.ItemView):
        return (_html(f"roadmap/{view.slug}/index.html", "item.html", view.title, "roadmap",
                      frozenset({f"roadmap/{view.slug}"}), {"item": view}, view.summary),)
    if isinstance(view, v.ReleaseView):
        return (_html(f"releases/{view.slug}/index.html", "release.html", _release_title(view), "releases",
                      frozenset({f"releases/{view.slug}"}), {"release": view}, view.summary),)
    if isinstance(view, v.PersonaView):
        return (_html(f"personas/{view.slug}/index.html", "persona.html", view.name, "personas",
                      frozenset({f"personas/{view.slug}"}), {"persona": view}, view.quote),)
    if isinstance(view, v.ObjectiveView):
        return (_html(f"objectives/{view.slug}/index.html", "objective.html", view.title, "objectives",
                      frozenset({f"objectives/{view.slug}"}), {"objective": view}, view.summary),)
    if isinstance(view, v.FeedbackView):
        title = view.customer or f"{view.source.capitalize()} feedback"
        return (_html(f"feedback/{view.slug}/index.html", "feedback.html", title, "feedback",
                      frozenset({f"feedback/{view.slug}"}), {"entry": view}),)
    return ()


def _internal_pages(site: v.InternalSite) -> Iterator[PageSpec]:
    def priorities() -> Mapping[str, Any]:
        ranked, unscored = aggregates.priorities(site.items)
        return {"ranked": ranked, "unscored": unscored}

    yield _html("priorities/index.html", "priorities.html", "Priorities", "priorities", frozenset({every("item")}),
                priorities)
    yield _html("research/index.html", "research.html", "Research", "research",
                frozenset({every("feedback"), every("persona")}), lambda: {"research": aggregates.research(site)})
    yield _html("feedback/index.html", "feedback-list.html", "Feedback", "feedback", frozenset({every("feedback")}),
                {"feedback": site.feedback})


def _release_title(release: v.ReleaseView) -> str:
    return f"{release.version}: {release.title}" if release.title else release.version


def _data_files(site: v.PublicSite) -> Iterator[PageSpec]:
    root = site.info.base_url or ""
    releases = frozenset({every("release")})
    feed = site.releases[:FEED_LIMIT]
    for path, writer, deps, context in (
        ("feed.xml", "feed.xml", releases, {"releases": feed}),
        ("feed.json", "feed.json", releases, {"releases": feed}),
        ("roadmap.json", "roadmap.json", frozenset({every("item")}), {"items": site.items}),
        ("robots.txt", "robots.txt", frozenset(), {}),
    ):
        info = PageInfo(path=path, url=ROOT + path, title=path, section="none")
        yield PageSpec(page=info, template=writer, context=context, deps=deps, root=root)


def _sitemap(site: v.PublicSite, pages: tuple[PageInfo, ...]) -> PageSpec:
    info = PageInfo(path="sitemap.xml", url=ROOT + "sitemap.xml", title="sitemap", section="none")
    deps = frozenset({every(kind) for kind in ("item", "release", "persona", "objective", "metric", "feedback")})
    return PageSpec(page=info, template="sitemap.xml", context={"pages": pages}, deps=deps, root=site.info.base_url or "")


def _absolute_path(site: v.PublicSite) -> str:
    """The site root as an absolute path, for pages served from any URL (404.html)."""
    return urlsplit(site.info.base_url).path if site.info.base_url else "/"
