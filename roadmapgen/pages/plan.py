"""Plan stage: a site -> the files to write, each with what it shows and depends on.

The plan is made from the site's entries (which documents it shows, in order) without
projecting a single view: each page's template values are a function of the site,
called when the page is rendered. So a rebuild renders, and projects, only what changed.

Each :class:`PageSpec` lists what its values are made from (``deps``):

- a document key ('roadmap/sso'): that document, body included, and its neighbours;
- ``every('item')`` ('*item'): what lists show of every item (its front matter);
- ``every('release', bodies=True)`` ('*release+body'): every release, bodies included.

Live previews invalidate pages by these deps; builds fingerprint pages with them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from markupsafe import Markup

from roadmapgen.audience import views as v
from roadmapgen.audience.site import Site, internal
from roadmapgen.i18n import Strings
from roadmapgen.kinds.registry import KINDS, Kind
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.pages import aggregates, evidence
from roadmapgen.pages.charts import line_chart

FEED_LIMIT = 50
CHANGES_LIMIT = 100
EMBED_CHANGES = 20


def every(kind: str, *, bodies: bool = False) -> str:
    """The dependency on every document of ``kind``: what lists show of them, or all of them."""
    return f"*{kind}+body" if bodies else f"*{kind}"


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


Context = Callable[[Site], Mapping[str, object]]
"""Makes a page's template values from the site, when the page is rendered."""


def _nothing(site: Site) -> Mapping[str, object]:
    return {}


@dataclass(frozen=True, slots=True, kw_only=True)
class PageSpec:
    page: PageInfo
    template: str
    """A Jinja template, or the name of a data writer (see :mod:`roadmapgen.render.data`)."""
    context: Context = field(default=_nothing)
    deps: frozenset[str]
    root: str
    """What ROOT becomes in this file: a relative path up to the site root, or an absolute URL."""

    def values(self, site: Site) -> Mapping[str, object]:
        return self.context(site)


@dataclass(frozen=True, slots=True)
class Plan:
    nav: tuple[NavLink, ...]
    pages: tuple[PageSpec, ...]


def relative_root(path: str) -> str:
    depth = path.count("/")
    return "../" * depth if depth else "./"


def _html(path: str, template: str, title: str, section: str, deps: frozenset[str],
          context: Context = _nothing, description: str | None = None) -> PageSpec:
    url = ROOT + path.removesuffix("index.html")
    info = PageInfo(path=path, url=url, title=title, section=section, description=description)
    return PageSpec(page=info, template=template, context=context, deps=deps, root=relative_root(path))


PagesOf = Callable[[v.Entry], tuple[PageSpec, ...]]
"""A document's entry -> its own pages (see :func:`pages_of`); a live preview memoizes it."""


def plan_pages(site: Site, own_pages: PagesOf | None = None) -> Plan:
    """Every file of the site: overviews, each document's own pages, data files, sitemap."""
    own_pages = own_pages or functools.partial(pages_of, base_url=site.info.base_url)
    internal = site.info.is_internal
    pages = [*_overview_pages(site)]
    if internal:
        pages.extend(_internal_pages(site.info.strings.text))
    for kind in KINDS.values():
        if kind.page_template is not None:  # a site's entries hold only the documents it shows
            pages.extend(spec for entry in site.entries(kind.name) for spec in own_pages(entry))
    pages.extend(_data_files(site))
    html_pages = tuple(spec.page for spec in pages if spec.page.path.endswith(".html") and spec.page.path != "404.html"
                       and not spec.page.path.startswith("embed/"))  # embeds live in frames: not search results
    if site.info.base_url:
        pages.append(_sitemap(site, html_pages))
    return Plan(nav=_nav(site), pages=tuple(pages))


_OVERVIEW_NAV = (
    (10, "roadmap", "nav.roadmap", None, False),
    (20, "releases", "nav.releases", None, False),
    (25, "changes", "nav.changes", None, False),
    (50, "metrics", "nav.metrics", "metric", False),
    (60, "priorities", "internal.nav.priorities", None, True),
    (70, "research", "internal.nav.research", None, True),
)
"""Navigation to overview pages that are not a kind's listing: (place, section, label's string key, shown
if this kind has documents here, internal only). Listings place themselves
(:class:`roadmapgen.kinds.registry.Listing`)."""


def _nav(site: Site) -> tuple[NavLink, ...]:
    internal, text = site.info.is_internal, site.info.strings.text
    links = [(place, NavLink(section, text(label), f"{ROOT}{section}/")) for place, section, label, kind, internal_only
             in _OVERVIEW_NAV if (internal or not internal_only) and (kind is None or site.entries(kind))]
    links += [(kind.listing.nav, NavLink(kind.section, text(kind.listing.title), f"{ROOT}{kind.section}/"))
              for kind in KINDS.values() if kind.listing is not None and site.entries(kind.name)]
    return tuple(link for _, link in sorted(links, key=lambda pair: pair[0]))


def _overview_pages(site: Site) -> Iterator[PageSpec]:
    board = functools.lru_cache(maxsize=1)(lambda s: aggregates.board(s.items))  # home and roadmap pages
    vision, text = site.entries("vision"), site.info.strings.text
    yield _html("index.html", "home.html", site.info.product, "home",
                frozenset({"vision", every("item"), every("release")}),
                lambda s: {"board": board(s), "latest": s.releases[:3]},
                description=vision[0].description if vision else site.info.tagline)
    yield _html("roadmap/index.html", "board.html", text("nav.roadmap"), "roadmap", frozenset({every("item")}),
                lambda s: {"board": board(s), "tags": s.tags, "filters": aggregates.filter_options(s.items)},
                description=text("board.lead"))
    yield _html("releases/index.html", "changelog.html", text("nav.releases"), "releases",
                frozenset({every("release", bodies=True)}), lambda s: {"releases": s.releases},
                description=text("releases.lead_plain"))
    yield replace(_html("404.html", "404.html", text("notfound.title"), "none", frozenset(),
                        description=text("notfound.lead")), root=_absolute_path(site))
    for kind in KINDS.values():
        if kind.listing is not None and site.entries(kind.name):
            yield _listing(kind, site.info.is_internal, text(kind.listing.title), text(kind.listing.description))
    yield from _tag_pages(site)
    changes = frozenset({every("item"), every("release")})
    yield _html("changes/index.html", "changes.html", text("changes.title"), "roadmap", changes,
                lambda s: {"changes": aggregates.recent_changes(s.items, CHANGES_LIMIT)},
                description=text("changes.lead"))
    if site.info.base_url:
        title = text("changes.feed_title", product=site.info.product)
        yield _changes_feed("changes/", title, changes, site.info.base_url,
                            lambda s: aggregates.recent_changes(s.items, FEED_LIMIT))
        yield _html("subscribe/index.html", "subscribe.html", text("subscribe.title"), "subscribe",
                    frozenset({every("item")}), lambda s: {"tags": s.tags}, text("subscribe.describe"))
        yield _widget(site)
    yield _html("embed/roadmap/index.html", "embed-roadmap.html", text("nav.roadmap"), "none",
                frozenset({every("item")}), lambda s: {"board": board(s), "canonical": "roadmap/"},
                text("board.lead"))
    yield _html("embed/changes/index.html", "embed-changes.html", text("changes.title"), "none", changes,
                lambda s: {"changes": aggregates.recent_changes(s.items, EMBED_CHANGES), "canonical": "changes/"},
                text("changes.lead"))
    if site.entries("metric"):
        yield _html("metrics/index.html", "metrics.html", text("nav.metrics"), "metrics", frozenset({every("metric")}),
                    lambda s: {"charts": _charts(s.metrics, s.info.strings)}, description=text("metrics.lead"))


def _listing(kind: Kind, internal: bool, title: str, description: str) -> PageSpec:
    assert kind.listing is not None
    listing, name = kind.listing, kind.name
    extra = _INTERNAL_LISTING_EXTRAS.get(name) if internal else None
    if extra is None:
        return _html(f"{kind.section}/index.html", listing.template, title, kind.section,
                     frozenset({every(name)}), lambda s: {listing.variable: s.all(name)}, description)
    deps, context = extra
    return _html(f"{kind.section}/index.html", listing.template, title, kind.section,
                 frozenset({every(name), *deps}), lambda s: {listing.variable: s.all(name), **context(s)},
                 description)


_INTERNAL_LISTING_EXTRAS: Mapping[str, tuple[frozenset[str], Context]] = {
    # Persona coverage: who the roadmap serves, and whose evidence is old.
    "persona": (frozenset({every("item"), every("feedback")}),
                lambda s: {"coverage": aggregates.coverage(internal(s))}),
}
"""What an internal listing shows beyond its documents: the deps it adds and its extra context."""


def _tag_pages(site: Site) -> Iterator[PageSpec]:
    """tags/ (every item's tags) and tags/<slug>/ (the items carrying it: a change to which items
    those are changes the page's deps, so the page is made again)."""
    tags = site.tags
    if not tags:
        return
    text = site.info.strings.text
    yield _html("tags/index.html", "tags.html", text("nav.tags"), "roadmap", frozenset({every("item")}),
                lambda s: {"tags": tuple((tag, len(tag.keys)) for tag in s.tags)},
                description=text("tag.describe_all", product=site.info.product))
    for tag in tags:
        yield _html(f"tags/{tag.slug}/index.html", "tag.html", text("tag.page_title", tag=tag.label), "roadmap",
                    frozenset(tag.keys), _tag_values(tag.slug), text("tag.describe", tag=tag.label))
        if site.info.base_url:
            yield _changes_feed(f"tags/{tag.slug}/", text("tag.feed_title", tag=tag.label, product=site.info.product),
                                frozenset(tag.keys), site.info.base_url, _tag_changes(tag.slug))


WIDGET_WORDS = ("button", "close", "title", "all", "releases", "changes", "none", "unread")


def _widget(site: Site) -> PageSpec:
    """widget.js: the theme's script with the site's words and colours in it, served from the site's address
    (other sites load it from there, and it finds feed.json beside itself)."""
    strings, accent = site.info.strings, site.info.brand.accent

    def values(s: Site) -> Mapping[str, object]:
        words = {name: strings.text(f"widget.{name}", product=s.info.product) for name in WIDGET_WORDS}
        colours = {"accent": accent.light if accent else "#1f5f99", "text": accent.light_text if accent else "#ffffff",
                   "link": accent.light if accent else "#1f5f99"}
        return {"widget_words": {**words, "language": s.info.language}, "widget_colours": colours}

    info = PageInfo(path="widget.js", url=ROOT + "widget.js", title="widget.js", section="none")
    return PageSpec(page=info, template="widget.js", context=values, deps=frozenset(), root=site.info.base_url or "")


def _tag_changes(slug: str) -> Callable[[Site], object]:
    def changes(site: Site) -> object:
        tag = next(tag for tag in site.tags if tag.slug == slug)
        items = (site.view(entry.key) for entry in site.entries("item") if entry.key in tag.keys)
        return aggregates.recent_changes((item for item in items if isinstance(item, v.ItemView)), FEED_LIMIT)

    return changes


def _changes_feed(home: str, title: str, deps: frozenset[str], base_url: str,
                  changes: Callable[[Site], object]) -> PageSpec:
    """An Atom feed of item changes beside the page ``home`` ('changes/', 'tags/security/')."""
    info = PageInfo(path=f"{home}feed.xml", url=f"{ROOT}{home}feed.xml", title=title, section="none")
    return PageSpec(page=info, template="changes-feed.xml", deps=deps, root=base_url,
                    context=lambda s: {"changes": changes(s), "feed_title": title, "home": home})


def _tag_values(slug: str) -> Context:
    def values(site: Site) -> Mapping[str, object]:
        tag = next(tag for tag in site.tags if tag.slug == slug)
        return {"tag": tag, "items": tuple(site.view(entry.key) for entry in site.entries("item")
                                           if entry.key in tag.keys)}

    return values


def _charts(metrics: tuple[v.MetricView, ...], strings: Strings) -> tuple[tuple[v.MetricView, Markup], ...]:
    """Each metric with its chart; the internal site's charts draw the team's target too."""
    return tuple((metric, line_chart(metric.name, metric.points, metric.unit, strings,
                                     metric.target if isinstance(metric, v.InternalMetricView) else None))
                 for metric in metrics)


def pages_of(entry: v.Entry, base_url: str | None = None) -> tuple[PageSpec, ...]:
    """A document's own page (for kinds that have one, see :attr:`roadmapgen.kinds.registry.Kind.page_template`)."""
    kind = KINDS[entry.kind]
    folder, template, name = kind.section, kind.page_template, kind.page_variable
    assert template is not None
    key = entry.key

    def context(site: Site) -> Mapping[str, object]:
        return {name: site.view(key)}

    page = _html(f"{folder}/{entry.slug}/index.html", template, entry.title, folder, frozenset({key}), context,
                 entry.description)
    if kind.feed_template is None or not base_url:  # a feed needs absolute URLs: the site's address
        return (page,)
    info = PageInfo(path=f"{folder}/{entry.slug}/feed.xml", url=f"{ROOT}{folder}/{entry.slug}/feed.xml",
                    title=entry.title, section="none")
    return page, PageSpec(page=info, template=kind.feed_template, context=context, deps=frozenset({key}),
                          root=base_url)


def _internal_pages(text: Callable[..., str]) -> Iterator[PageSpec]:
    def priorities(site: Site) -> Mapping[str, object]:
        team = internal(site)
        known = evidence.customers(team)
        ranked, unscored = aggregates.priorities(team.items, known)
        return {"ranked": ranked, "unscored": unscored, "target_segments": team.research.target_segments,
                "demand": evidence.demand_by_value(team.items, known, aggregates.FINISHED),
                "currency": team.research.currency}

    def research(site: Site) -> Mapping[str, object]:
        return {"research": aggregates.research(internal(site))}

    yield _html("priorities/index.html", "priorities.html", text("internal.nav.priorities"), "priorities",
                frozenset({every("item"), every("persona"), every("feedback")}), priorities,
                text("internal.priorities.caption"))
    yield _html("research/index.html", "research.html", text("internal.nav.research"), "research",
                frozenset({every("feedback"), every("persona")}), research, text("internal.research.describe"))


def _data_files(site: Site) -> Iterator[PageSpec]:
    root = site.info.base_url or ""
    releases = frozenset({every("release", bodies=True)})

    def feed(s: Site) -> Mapping[str, object]:
        return {"releases": s.releases[:FEED_LIMIT]}

    # Feeds and sitemaps must hold absolute URLs (Atom, sitemaps.org): without the site's address
    # (an internal site without internal_base_url) they are left out.
    json_feed = releases | {every("item")}  # its extension carries the latest roadmap changes (widget.js)
    feeds = (("feed.xml", "feed.xml", releases, feed), ("feed.json", "feed.json", json_feed, feed)) if root else ()
    for path, writer, deps, context in (
        *feeds,
        ("roadmap.json", "roadmap.json", frozenset({every("item")}), lambda s: {"items": s.items}),
        ("roadmap.schema.json", "roadmap.schema.json", frozenset(), _nothing),
        ("robots.txt", "robots.txt", frozenset(), _nothing),
    ):
        info = PageInfo(path=path, url=ROOT + path, title=path, section="none")
        yield PageSpec(page=info, template=writer, context=context, deps=deps, root=root)


def _sitemap(site: Site, pages: tuple[PageInfo, ...]) -> PageSpec:
    info = PageInfo(path="sitemap.xml", url=ROOT + "sitemap.xml", title="sitemap", section="none")
    deps = frozenset(every(kind.name) for kind in KINDS.values() if kind.file is None)
    return PageSpec(page=info, template="sitemap.xml", context=lambda s: {"pages": pages}, deps=deps,
                    root=site.info.base_url or "")


def _absolute_path(site: Site) -> str:
    """The site root as an absolute path, for pages served from any URL (404.html)."""
    return urlsplit(site.info.base_url).path if site.info.base_url else "/"


def path_collisions(plan: Plan) -> list[tuple[PageSpec, PageSpec, str]]:
    """Files of a plan that cannot both be written: (the file, the one in its way, why). Two paths
    collide when they are the same once case is ignored (macOS and Windows ignore it), or when one
    is a file where the other needs a folder ('releases/index.html' and 'releases/index.html/...')."""
    files: dict[str, PageSpec] = {}
    found = []
    for spec in plan.pages:
        path = spec.page.path.casefold()
        if path in files:
            found.append((spec, files[path], "the same file"))
        files.setdefault(path, spec)
    for spec in plan.pages:
        parts = spec.page.path.casefold().split("/")
        for depth in range(1, len(parts)):
            folder = files.get("/".join(parts[:depth]))
            if folder is not None:
                found.append((spec, folder, "a file where this page needs a folder"))
    return found
