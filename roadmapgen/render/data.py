"""Files that are data, written with json.dumps rather than templates: feeds, roadmap.json and its schema,
robots.txt.

``roadmap.json`` is an interface other tools read: its shape is version 1, described by
``roadmap.schema.json`` beside it (docs/content.md says what may change in which version). A key
is absent when the item has no value for it; lists are always there, empty or not."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from roadmapgen.audience import views as v
from roadmapgen.audience.site import Site
from roadmapgen.i18n import Strings
from roadmapgen.kinds.fields import target_end
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.pages.aggregates import recent_changes
from roadmapgen.pages.plan import FEED_LIMIT, PageSpec
from roadmapgen.render.words import change_text

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


ROADMAP_JSON_VERSION = 1


def roadmap_json(site: Site, spec: PageSpec) -> str:
    items = [_item_record(item, site.info.strings) for item in site.items]
    return _dump({"version": ROADMAP_JSON_VERSION, "product": site.info.product, "items": items}, spec.root)


def _item_record(item: v.ItemView, strings: Strings) -> dict[str, Any]:
    """The item's record, its target followed by the target's display form and last day."""
    record: dict[str, Any] = {}
    for key, value in _record(item).items():
        record[key] = value
        if key == "target" and item.target:
            record["target_label"] = strings.target(item.target)
            record["target_end"] = target_end(item.target).isoformat()
    return record


def _record(value: object) -> Any:
    """A view as JSON data: its fields but the body, without the ones that hold nothing."""
    if isinstance(value, tuple):
        return [_record(part) for part in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        record = {name: _record(found) for name, found in fields.items()
                  if name != "body" and found is not None and found != "" and not (name == "extra" and not found)}
        if "extra" in record:
            record["extra"] = {key: text for key, text in fields["extra"]}
        return record
    return value


def roadmap_schema(site: Site, spec: PageSpec) -> str:
    """The JSON Schema of this site's roadmap.json (the internal site's items carry more fields)."""
    return _dump(_roadmap_schema(site.info.is_internal, spec.root), spec.root)


def _roadmap_schema(internal: bool, root: str) -> dict[str, Any]:
    text, url, day = {"type": "string"}, {"type": "string", "format": "uri"}, {"type": "string", "format": "date"}
    texts = {"type": "array", "items": text}

    def record(required: list[str], optional: dict[str, Any], **properties: Any) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": False, "required": required,
                "properties": {**properties, **optional}}

    ref = record(["slug", "title", "url"], {}, slug=text, title=text, url=url)
    release = record(["slug", "url", "version", "date"], {}, slug=text, url=url, version=text, date=day)
    change = record(["date", "change"], {"before": text, "after": text, "release": {"$ref": "#/$defs/release"},
                                          **({"commit": text} if internal else {})},
                    date=day, change={"enum": ["added", "visibility", "moved", "status", "retargeted", "shipped"]})
    item_fields = {"horizon": {"enum": ["now", "next", "later"]}, "summary": text, "target": text,
                   "target_label": text, "target_end": day, "objective": {"$ref": "#/$defs/ref"},
                   "feedback_url": {"type": "string"}}
    if internal:
        item_fields |= {
            "visibility": {"enum": ["public", "internal"]}, "owner": text, "public_title": text,
            "public_summary": text, "last_changed": day, "stale": {"type": "boolean"},
            "rice": record(["reach", "impact", "confidence", "effort", "score"], {}, reach={"type": "integer"},
                           impact={"type": "number"}, confidence={"type": "number"}, effort={"type": "number"},
                           score={"type": "number"}),
            "stories": {"type": "array", "items": record(["persona", "want"], {"so_that": text},
                                                        persona={"$ref": "#/$defs/ref"}, want=text)},
            "competitors": {"type": "array", "items": {"$ref": "#/$defs/ref"}},
            "feedback": {"type": "array", "items": record(
                ["slug", "url", "date", "source"],
                {"sentiment": text, "customer": text, "quote": text, "persona": text, "segment": text, "plan": text,
                 "revenue": {"type": "number", "minimum": 0}},
                slug=text, url=url, date=day, source=text)},
            "extra": {"type": "object", "additionalProperties": text},
        }
    item = record(["slug", "url", "title", "status", "tags", "personas", "shipped_in", "changes"], item_fields,
                  slug=text, url=url, title=text,
                  status={"enum": ["planned", "in-progress", "beta", "shipped", "paused", "cancelled"]},
                  tags=texts, personas={"type": "array", "items": {"$ref": "#/$defs/ref"}},
                  shipped_in={"type": "array", "items": {"$ref": "#/$defs/release"}},
                  changes={"type": "array", "items": {"$ref": "#/$defs/change"}})
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"roadmap.json, version {ROADMAP_JSON_VERSION} ({'internal' if internal else 'public'} site)",
        "type": "object", "additionalProperties": False, "required": ["version", "product", "items"],
        "properties": {"version": {"const": ROADMAP_JSON_VERSION}, "product": text,
                       "items": {"type": "array", "items": {"$ref": "#/$defs/item"}}},
        "$defs": {"ref": ref, "release": release, "change": change, "item": item},
    }
    if root:
        schema = {"$id": f"{root}roadmap.schema.json", **schema}
    return schema


def json_feed(site: Site, spec: PageSpec) -> str:
    root = spec.root
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.info.strings.text("releases.feed_title", product=site.info.product),
        "home_page_url": root or None,
        "feed_url": f"{root}feed.json" if root else None,
        "language": site.info.language,
        "items": [_json_feed_item(release, root) for release in site.releases[:FEED_LIMIT]],
        # JSON Feed's extension: the latest roadmap changes, in the site's words (what widget.js shows).
        "_roadmapgen": {"about": "https://github.com/roadmapgen/roadmapgen", "changes": [
            {"date": event.date.isoformat(), "title": item.title, "url": item.url.replace(ROOT, root),
             "change": change_text(event, site.info.strings)}
            for item, event in recent_changes(site.items, WIDGET_CHANGES)]},
    }
    return _dump({key: value for key, value in feed.items() if value is not None}, root)


WIDGET_CHANGES = 10
"""Roadmap changes feed.json carries for the widget."""


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
    "roadmap.schema.json": roadmap_schema,
    "feed.json": json_feed,
    "robots.txt": robots_txt,
}
