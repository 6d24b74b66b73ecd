"""One change of an item in the site's words: as HTML for pages and Atom entries, as text for the JSON feed
and the widget. The one place that says what each kind of change reads like."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from roadmapgen.audience import views as v
from roadmapgen.i18n import Strings


def _word(strings: Strings, value: str | None) -> str:
    """A status or horizon word ('planned', 'later') in the site's language."""
    if not value:
        return ""
    key = next((f"{prefix}.{value}" for prefix in ("status", "horizon") if strings.has(f"{prefix}.{value}")), None)
    return strings.text(key) if key else value


def change_html(event: v.ChangeEvent, strings: Strings) -> Markup:
    """The change as HTML: escaped words, and a link to the release that shipped it."""
    release = Markup('<a href="{}">{}</a>').format(event.release.url, event.release.version) if event.release else ""
    return Markup(_words(event, strings, strings.__call__, release))  # noqa: S704 -- built from escaped parts


def change_text(event: v.ChangeEvent, strings: Strings) -> str:
    return _words(event, strings, strings.text, event.release.version if event.release else "")


def _words(event: v.ChangeEvent, strings: Strings, text: Callable[..., str], release: str) -> str:
    """``text``: strings.text for plain words, or strings itself for escaped HTML."""
    if event.change == "added":
        summary = ", ".join(_word(strings, part) for part in (event.after or "").split(" · ") if part)
        return f"{text('changes.added')} ({summary})" if summary else str(text("changes.added"))
    if event.change == "moved":
        return str(text("changes.moved", before=_word(strings, event.before), after=_word(strings, event.after)))
    if event.change == "status":
        return str(text("changes.status", before=_word(strings, event.before), after=_word(strings, event.after)))
    if event.change == "retargeted":
        none = strings.text("changes.no_target")
        return str(text("changes.retargeted", before=strings.target(event.before) or none,
                        after=strings.target(event.after) or none))
    if event.change == "visibility":
        return str(text("internal.change.made_public" if event.after == "public" else "internal.change.made_internal"))
    return str(text("changes.shipped", release=release))
