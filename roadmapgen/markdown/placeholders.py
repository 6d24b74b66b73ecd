"""Markers that rendered HTML carries until a page knows where it sits.

- :data:`ROOT` starts every in-site URL. Each output file replaces it with the path
  from that file to its site root ("../../" for ``roadmap/sso/index.html``), or with
  the absolute base URL in feeds. One ``str.replace`` per file keeps links relative,
  so a site works under any base path, and the same HTML serves every page it is on.
- Links to documents are ``\\x01L<n>\\x01 text \\x01/L\\x01``: only the audience knows
  whether the target is a page there, so it resolves them (:func:`resolve_links`).

Neither marker can come from content: markdown-it turns NUL into U+FFFD and the YAML
reader rejects control characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from roadmapgen.markdown.body import BodyLink

ROOT = "\x00"
_LINK = re.compile("\x01L(\\d+)\x01(.*?)\x01/L\x01", re.DOTALL)


def link_open(index: int) -> str:
    return f"\x01L{index}\x01"


LINK_CLOSE = "\x01/L\x01"


def resolve_links(html: Markup, links: Sequence[BodyLink], page_of: Callable[[BodyLink], str | None]) -> Markup:
    """Turn link placeholders into anchors to ``page_of(link)``, or into their bare text.

    ``page_of`` returns the target's path inside the site (e.g. 'personas/priya/') or
    None when the target is no page of this site; then the text stays and the link goes.
    """
    if "\x01" not in html:
        return html

    def anchor(match: re.Match[str]) -> str:
        link = links[int(match.group(1))]
        page = page_of(link)
        if page is None:
            return match.group(2)
        title = f' title="{escape(link.title)}"' if link.title else ""
        return f'<a href="{ROOT}{escape(page + link.fragment)}"{title}>{match.group(2)}</a>'

    return Markup(_LINK.sub(anchor, str(html)))


def place(text: str, root: str) -> str:
    """Point every in-site URL of a finished file at ``root`` (relative or absolute)."""
    return text.replace(ROOT, root)
