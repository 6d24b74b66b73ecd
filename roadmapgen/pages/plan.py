"""Plan stage: a site's views -> the pages to write, each with what it shows and depends on.

Only views come in, so a page can show nothing the audience stage did not allow. Each
:class:`PageSpec` lists the documents its context was built from (``deps``): a key like
'roadmap/sso', or '*item' for every item. Serve re-renders a page when one of them
changes; caches key pages on them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
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


@dataclass(frozen=True, slots=True, kw_only=True)
class PageSpec:
    page: PageInfo
    template: str
    """A Jinja template, or the name of a data writer (see :mod:`roadmapgen.render.data`)."""
    context: Mapping[str, Any] = field(default_factory=dict)
    deps: frozenset[str]
    root: str
    """What ROOT becomes in this file: a relative path up to the site root, or an absolute URL."""


@dataclass(frozen=True, slots=True)
class Plan:
    nav: tuple[NavLink, ...]
    pages: tuple[PageSpec, ...]


def relative_root(path: str) -> str:
    depth = path.count("/")
    return "../" * depth if depth else "./"


def _html(path: str, template: str, title: str, section: str, deps: frozenset[str], **context: Any) -> PageSpec:
    url = ROOT + path.removesuffix("index.html")
    description = context.pop("description", None)
    info = PageInfo(path=path, url=url, title=title, section=section, description=description)
    return PageSpec(page=info, template=template, context=context, deps=deps, root=relative_root(path))


def plan_pages(site: v.PublicSite) -> Plan:
    pages = [*_overview_pages(site), *_document_pages(site), *_data_files(site)]
    if isinstance(site, v.InternalSite):
        pages.extend(_internal_pages(site))
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
    board = aggregates.board(site.items)
    everything = frozenset({"vision", every("item"), every("release")})
    yield _html("index.html", "home.html", site.info.product, "home", everything,
                board=board, latest=site.releases[:3], description=site.vision.statement if site.vision else site.info.tagline)
    yield _html("roadmap/index.html", "board.html", "Roadmap", "roadmap", frozenset({every("item")}), board=board)
    yield _html("releases/index.html", "changelog.html", "Releases", "releases", frozenset({every("release")}),
                releases=site.releases)
    yield replace(_html("404.html", "404.html", "Page not found", "none", frozenset()), root=_absolute_path(site))
    if site.personas:
        yield _html("personas/index.html", "personas.html", "Personas", "personas", frozenset({every("persona")}),
                    personas=site.personas)
    if site.objectives:
        yield _html("objectives/index.html", "objectives.html", "Objectives", "objectives",
                    frozenset({every("objective")}), objectives=site.objectives)
    if site.metrics:
        charts = tuple((metric, line_chart(metric.name, metric.points, metric.unit, getattr(metric, "target", None)))
                       for metric in site.metrics)
        yield _html("metrics/index.html", "metrics.html", "Metrics", "metrics", frozenset({every("metric")}),
                    charts=charts)


def _document_pages(site: v.PublicSite) -> Iterator[PageSpec]:
    for item in site.items:
        yield _html(f"roadmap/{item.slug}/index.html", "item.html", item.title, "roadmap",
                    frozenset({f"roadmap/{item.slug}"}), item=item, description=item.summary)
    for release in site.releases:
        yield _html(f"releases/{release.slug}/index.html", "release.html", _release_title(release), "releases",
                    frozenset({f"releases/{release.slug}"}), release=release, description=release.summary)
    for persona in site.personas:
        yield _html(f"personas/{persona.slug}/index.html", "persona.html", persona.name, "personas",
                    frozenset({f"personas/{persona.slug}"}), persona=persona, description=persona.quote)
    for objective in site.objectives:
        yield _html(f"objectives/{objective.slug}/index.html", "objective.html", objective.title, "objectives",
                    frozenset({f"objectives/{objective.slug}"}), objective=objective, description=objective.summary)


def _internal_pages(site: v.InternalSite) -> Iterator[PageSpec]:
    ranked, unscored = aggregates.priorities(site.items)
    yield _html("priorities/index.html", "priorities.html", "Priorities", "priorities", frozenset({every("item")}),
                ranked=ranked, unscored=unscored)
    yield _html("research/index.html", "research.html", "Research", "research",
                frozenset({every("feedback"), every("persona")}), research=aggregates.research(site))
    yield _html("feedback/index.html", "feedback-list.html", "Feedback", "feedback", frozenset({every("feedback")}),
                feedback=site.feedback)
    for entry in site.feedback:
        title = entry.customer or f"{entry.source.capitalize()} feedback"
        yield _html(f"feedback/{entry.slug}/index.html", "feedback.html", title, "feedback",
                    frozenset({f"feedback/{entry.slug}"}), entry=entry)


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
