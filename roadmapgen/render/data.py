"""Files that are data, written with json.dumps rather than templates: feeds, roadmap.json, robots.txt."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from roadmapgen.audience import views as v
from roadmapgen.audience.site import Site
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.pages.plan import FEED_LIMIT, PageSpec

DataWriter = Callable[[Site, PageSpec], str]


def _encode(value: Any) -> Any:
    """json's hook for what it cannot encode itself: views (without bodies) and dates."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, v.Html):
        return str(value)
    if dataclasses.is_dataclass(value):
        fields = value.__dataclass_fields__
        data = {name: getattr(value, name) for name in fields if name != "body"}
        if "extra" in data:
            data["extra"] = dict(data["extra"])
        return data
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _dump(data: Any, root: str) -> str:
    """Compact JSON (the C encoder; indenting would switch to the slow Python one), URLs made absolute."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_encode)
    return text.replace("\\u0000", json.dumps(root)[1:-1]) + "\n"


def roadmap_json(site: Site, spec: PageSpec) -> str:
    return _dump({"product": site.info.product, "items": site.items}, spec.root)


def json_feed(site: Site, spec: PageSpec) -> str:
    root = spec.root
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{site.info.product} releases",
        "home_page_url": root or None,
        "feed_url": f"{root}feed.json" if root else None,
        "language": site.info.language,
        "items": [_json_feed_item(release, root) for release in site.releases[:FEED_LIMIT]],
    }
    return _dump({key: value for key, value in feed.items() if value is not None}, root)


def _json_feed_item(release: v.ReleaseView, root: str) -> dict[str, Any]:
    url = release.url.replace(ROOT, root)
    item = {
        "id": url,
        "url": url,
        "title": f"{release.version}: {release.title}" if release.title else release.version,
        "content_html": str(release.body),
        "summary": release.summary,
        "date_published": f"{release.date.isoformat()}T00:00:00Z",
    }
    return {key: value for key, value in item.items() if value is not None}


def robots_txt(site: Site, spec: PageSpec) -> str:
    if site.info.is_internal:
        return "User-agent: *\nDisallow: /\n"
    sitemap = f"Sitemap: {spec.root}sitemap.xml\n" if spec.root else ""
    return f"User-agent: *\nAllow: /\n{sitemap}"


WRITERS: Mapping[str, DataWriter] = {
    "roadmap.json": roadmap_json,
    "feed.json": json_feed,
    "robots.txt": robots_txt,
}
