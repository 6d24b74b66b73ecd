"""Markers that rendered HTML carries until a page knows where it sits.

- :data:`ROOT` starts every in-site URL. Each output file replaces it with the path
  from that file to its site root ("../../" for ``roadmap/sso/index.html``), or with
  the absolute base URL in feeds. One ``str.replace`` per file keeps links relative,
  so a site works under any base path, and the same HTML serves every page it is on.
- Links to documents are ``\\x01L<n>\\x01 text \\x01/L\\x01``: only the audience knows
  whether the target is a page there, so it resolves them (:func:`resolve_links`).

Neither marker can come from content: reading a file refuses every control character
but tab and line breaks (:func:`roadmapgen.load.text.decode`), in the body and in
YAML values alike, so any ``\x00`` or ``\x01`` in rendered HTML is the renderer's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markupsafe import Markup, escape

ROOT = "\x00"
_LINK = re.compile("\x01L(\\d+)\x01(.*?)\x01/L\x01", re.DOTALL)


def link_open(index: int) -> str:
    return f"\x01L{index}\x01"


LINK_CLOSE = "\x01/L\x01"
INTERNAL_LABEL = "\x01I\x01"
"""Where an internal block's label goes: its words are the site's language's, known only when printed."""


Anchor = tuple[str, str] | None
"""What one document link becomes on a site: (href, title), or None to keep only its text."""


def resolve_links(html: Markup, anchors: Sequence[Anchor], internal_label: str = "") -> Markup:
    """Turn link placeholders into anchors, or into their bare text where the anchor is None, and label
    internal blocks with ``internal_label``."""
    if "\x01" not in html:
        return html
    html = Markup(str(html).replace(INTERNAL_LABEL, str(escape(internal_label))))  # noqa: S704 -- label escaped
    def anchor(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(anchors):
            raise RuntimeError(f"link placeholder {index} has no anchor: a bug in roadmapgen")
        resolved = anchors[index]
        if resolved is None:
            return match.group(2)
        href, title = resolved
        title_attribute = f' title="{escape(title)}"' if title else ""
        return f'<a href="{escape(href)}"{title_attribute}>{match.group(2)}</a>'

    return Markup(_LINK.sub(anchor, str(html)))  # noqa: S704 -- html is a rendered body; hrefs and titles escaped above


def place(text: str, root: str) -> str:
    """Point every in-site URL of a finished file at ``root`` (relative or absolute)."""
    return text.replace(ROOT, root)
