"""The public site's postcondition: nothing in it is of an internal-only type.

The projection already builds public views from the allow-list; this walk checks each
view as the public site makes it, so a future edit that passes an internal view or a
document to the public site fails the build loudly instead of publishing it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from markupsafe import Markup

from roadmapgen.audience import views as v
from roadmapgen.packs import StoredHtml

PUBLIC_TYPES: frozenset[type] = frozenset({
    v.Html, v.PageRef, v.ItemCard, v.VisionView, v.ObjectiveView, v.PersonaView, v.ReleaseRef,
    v.ItemView, v.ReleaseView, v.MetricPointView, v.MetricView, v.SiteInfo, v.ChangeEvent,
})
_LEAVES: frozenset[type] = frozenset({str, Markup, StoredHtml, int, float, bool, type(None), dt.date})
"""StoredHtml is a body's HTML not yet read back from the cache: text like Markup, chosen per audience."""


class LeakError(RuntimeError):
    """An internal object reached the public site: a bug in roadmapgen, never in content."""


def check_public(view: Any) -> None:
    """Walk every object reachable from a view; raise LeakError on any non-public type."""
    pending: list[Any] = [view]
    leaves = _LEAVES
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind in leaves:
            continue
        if kind is tuple:
            pending.extend(value)
        elif kind in PUBLIC_TYPES:
            pending.extend(getattr(value, name) for name in kind.__dataclass_fields__)
        elif dataclasses.is_dataclass(value):
            raise LeakError(f"{kind.__name__} on the public site")
        else:
            raise LeakError(f"unexpected {kind.__name__} on the public site")
