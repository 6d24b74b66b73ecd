"""The public site's postcondition: nothing in it is of an internal-only type.

The projection already builds public views from the allow-list; this walk checks the
result, so a future edit that passes an internal view or a document to the public
site fails the build loudly instead of publishing it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from roadmapgen.audience import views as v

PUBLIC_TYPES: frozenset[type] = frozenset({
    v.PageRef, v.ItemCard, v.VisionView, v.ObjectiveView, v.PersonaView, v.ReleaseRef,
    v.ItemView, v.ReleaseView, v.MetricPointView, v.MetricView, v.SiteInfo, v.PublicSite,
})
_LEAVES = (str, int, float, type(None))


class LeakError(AssertionError):
    """An internal object reached the public site: a bug in roadmapgen, never in content."""


def check_public(site: v.PublicSite) -> None:
    pending: list[Any] = [site]
    while pending:
        value = pending.pop()
        if isinstance(value, _LEAVES):
            continue
        if isinstance(value, tuple):
            pending.extend(value)
        elif dataclasses.is_dataclass(value):
            if type(value) not in PUBLIC_TYPES:
                raise LeakError(f"{type(value).__name__} on the public site")
            pending.extend(getattr(value, field.name) for field in dataclasses.fields(value))
        elif not _is_public_leaf(value):
            raise LeakError(f"unexpected {type(value).__name__} on the public site")


def _is_public_leaf(value: Any) -> bool:
    import datetime as dt

    return isinstance(value, dt.date)
