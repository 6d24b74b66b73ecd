"""Files that are data, written with json.dumps rather than templates: feeds, roadmap.json, robots.txt."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup

from roadmapgen.audience import views as v
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.pages.plan import PageSpec

DataWriter = Callable[[v.PublicSite, PageSpec], str]


def to_data(value: Any, root: str, skip: frozenset[str] = frozenset({"body"})) -> Any:
    """A view as JSON-ready data: fields by name, dates as ISO text, URLs made absolute."""
    if isinstance(value, Markup):
        return str(value).replace(ROOT, root)
    if isinstance(value, str):
        return value.replace(ROOT, root)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [to_data(item, root, skip) for item in value]
    if dataclasses.is_dataclass(value):
        return {f.name: _field_data(f.name, getattr(value, f.name), root, skip) for f in dataclasses.fields(value) if f.name not in skip}
    return value


def _field_data(name: str, value: Any, root: str, skip: frozenset[str]) -> Any:
    if name == "extra":
        return {key: text for key, text in value}
    return to_data(value, root, skip)


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def roadmap_json(site: v.PublicSite, spec: PageSpec) -> str:
    items = [to_data(item, spec.root) for item in spec.values()["items"]]
    return _dump({"product": site.info.product, "items": items})


def json_feed(site: v.PublicSite, spec: PageSpec) -> str:
    root = spec.root
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{site.info.product} releases",
        "home_page_url": root or None,
        "feed_url": f"{root}feed.json" if root else None,
        "language": site.info.language,
        "items": [_json_feed_item(release, root) for release in spec.values()["releases"]],
    }
    return _dump({key: value for key, value in feed.items() if value is not None})


def _json_feed_item(release: v.ReleaseView, root: str) -> dict[str, Any]:
    url = release.url.replace(ROOT, root)
    item = {
        "id": url,
        "url": url,
        "title": f"{release.version}: {release.title}" if release.title else release.version,
        "content_html": to_data(release.body, root),
        "summary": release.summary,
        "date_published": f"{release.date.isoformat()}T00:00:00Z",
    }
    return {key: value for key, value in item.items() if value is not None}


def robots_txt(site: v.PublicSite, spec: PageSpec) -> str:
    if site.info.is_internal:
        return "User-agent: *\nDisallow: /\n"
    sitemap = f"Sitemap: {spec.root}sitemap.xml\n" if spec.root else ""
    return f"User-agent: *\nAllow: /\n{sitemap}"


WRITERS: Mapping[str, DataWriter] = {
    "roadmap.json": roadmap_json,
    "feed.json": json_feed,
    "robots.txt": robots_txt,
}
