"""Rules across documents that keep the roadmap honest: warnings, errors under ``--strict``.

Each is something a customer would see as a contradiction: a release shipping an item the
roadmap still calls "Beta" in Now, a shipped item no release notes mention, a shipped item
still sitting in a horizon, two items of the same name.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from roadmapgen.errors import ContentError, warning
from roadmapgen.kinds.front_matter import Item, Release
from roadmapgen.model.document import Document

FINISHED = ("shipped", "cancelled")


_READ = ("status", "horizon", "title", "ships")
"""The keys the rules read; a change elsewhere (a body, an owner) cannot change what they find."""


def consistency_key(doc: Document | None) -> tuple[object, ...] | None:
    """What the rules read of ``doc``, positions included: equal keys, equal findings."""
    if doc is None or not isinstance(doc.fields, (Item, Release)):
        return None
    places = tuple(place for path, place in doc.places.items() if path and path[0] in _READ)
    return (doc.key, tuple(getattr(doc.fields, name, None) for name in _READ), places)


def consistency_warnings(documents: Mapping[str, Document], unreadable: Collection[str] = ()) -> Iterator[ContentError]:
    """The warnings; ``unreadable`` files (their own errors are reported) may be what would have answered them."""
    items = {doc.slug: doc for doc in documents.values() if isinstance(doc.fields, Item)}
    releases = [doc for doc in documents.values() if isinstance(doc.fields, Release)]
    shipped_by: dict[str, list[Document]] = {}
    for release in releases:
        assert isinstance(release.fields, Release)
        for index, slug in enumerate(release.fields.ships):
            shipped_by.setdefault(slug, []).append(release)
            item = items.get(slug)
            if item is not None and getattr(item.fields, "status", None) != "shipped":
                line, column = release.value_place("ships", index)
                yield warning(release.path, line, column,
                              f"ships '{slug}', whose status is '{getattr(item.fields, 'status', '')}' "
                              f"(in {item.path}); set it to 'shipped'")
    releases_unknown = any(key.startswith("releases/") for key in unreadable)
    for slug, item in items.items():
        yield from _item_warnings(item, shipped_by.get(slug, []), releases_unknown)
    yield from _same_titles(items.values())


def _item_warnings(item: Document, releases: list[Document], releases_unknown: bool) -> Iterator[ContentError]:
    fields = item.fields
    assert isinstance(fields, Item)
    if fields.status == "shipped" and not releases and not releases_unknown:
        line, column = item.value_place("status")
        yield warning(item.path, line, column,
                      "status is 'shipped' but no release ships it: add it to a release's 'ships'")
    if fields.status in FINISHED and fields.horizon is not None:
        line, column = item.value_place("horizon")
        yield warning(item.path, line, column,
                      f"a {fields.status} item has no horizon: remove 'horizon: {fields.horizon}'")


def _same_titles(items: Iterable[Document]) -> Iterator[ContentError]:
    first: dict[str, Document] = {}
    for item in sorted(items, key=lambda doc: doc.key):
        assert isinstance(item.fields, Item)
        title = item.fields.title.strip().lower()
        earlier = first.setdefault(title, item)
        if earlier is not item:
            line, column = item.value_place("title")
            yield warning(item.path, line, column, f"another item has the same title: {earlier.path}")
