"""The Jinja environment: theme lookup, the sandbox, autoescaping, strict undefined, filters.

Lookup order: the project's ``themes/<name>/templates`` over the built-in theme; a
project template can extend the built-in one as ``"!default/item.html"``. The
environment holds no site data: each render passes ``site``, ``nav``, ``page`` and ``t`` (the
site's strings: ``{{ t("board.title") }}``); filters that name words or format dates and
numbers read the site's language from ``site``.

Templates run in Jinja's immutable sandbox: private and dunder attributes
(``site._context``, ``__class__``, ``__globals__``) and anything that changes data are
out of reach, and asking for them is a template error at the template's file and line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from roadmapgen.audience import views as v
from roadmapgen.audience.tags import tag_slug
from roadmapgen.i18n import Strings
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.render.words import change_html
from roadmapgen.themes import builtin_theme, static_files

_ID = re.compile(r'(\sid="|\shref="#)')
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def make_environment(themes: Sequence[Path]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(theme / "templates") for theme in themes]),
        jinja2.PrefixLoader({"!default": jinja2.FileSystemLoader(str(builtin_theme() / "templates"))}),
    ])
    env = ImmutableSandboxedEnvironment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(
        isodate=lambda day: day.isoformat(), rfc3339=lambda day: f"{day.isoformat()}T00:00:00Z",
        scope_ids=scope_ids, demote=demote_headings, tag_slug=tag_slug, **_WORD_FILTERS,
    )
    versions = _static_versions(static_files(themes))
    env.globals["static"] = lambda name: ROOT + f"static/{name}?v={versions[name]}"
    env.globals["url"] = lambda path: ROOT + path
    css = static_files(themes)
    # A theme's own stylesheet, for pages that cannot rely on a path to it (404.html); "</" is
    # escaped so the text cannot end the <style> element early.
    env.globals["inline_static"] = lambda name: Markup(css[name].read_text(encoding="utf-8").replace("</", "<\\/"))  # noqa: S704
    return env


def _static_versions(files: Mapping[str, Path]) -> dict[str, str]:
    return {name: hashlib.blake2b(path.read_bytes(), digest_size=4).hexdigest() for name, path in files.items()}


def _strings(context: Context) -> Strings:
    strings: Strings = context["site"].info.strings
    return strings


def _word(prefix: str) -> Callable[[Context, str | None], str]:
    """A filter naming a fixed word in the site's language: 'planned'|status -> 'Planned', 'Geplant'."""

    @jinja2.pass_context
    def word(context: Context, value: str | None) -> str:
        return _strings(context).text(f"{prefix}.{value}") if value else ""

    return word


@jinja2.pass_context
def _change(context: Context, event: v.ChangeEvent) -> Markup:
    return change_html(event, _strings(context))


@jinja2.pass_context
def _status_or_horizon(context: Context, value: str) -> str:
    """A word that is a status or a horizon ('planned', 'later'), as an item's first version lists them."""
    strings = _strings(context)
    key = next((f"{prefix}.{value}" for prefix in ("status", "horizon") if strings.has(f"{prefix}.{value}")), None)
    return strings.text(key) if key else value


def _format(method: str) -> Callable[..., str]:
    """A filter formatting a value the site's language's way (a date, a number, a target, money)."""

    @jinja2.pass_context
    def formatted(context: Context, value: Any, *args: Any) -> str:
        return str(getattr(_strings(context), method)(value, *args))

    return formatted


_WORD_FILTERS: Mapping[str, Callable[..., str]] = {
    "status": _word("status"), "horizon": _word("horizon"), "source": _word("source"),
    "sentiment": _word("sentiment"), "date": _format("date"), "month": _format("month"),
    "number": _format("number"), "percent": _format("percent"), "target": _format("target"),
    "money": _format("money"), "word": _status_or_horizon, "change": _change,
}
"""Filters whose words and formats come from the site's strings (:mod:`roadmapgen.i18n`)."""


def scope_ids(html: Any, prefix: str) -> Markup:
    """Prefix a body's ids and in-page links, so several bodies can share one page."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", prefix)
    # escape(): a body (Markup) stays as it is; plain text a theme passes in is escaped, never trusted.
    return Markup(_ID.sub(lambda m: f"{m.group(1)}{safe}-", str(escape(html))))  # noqa: S704


def demote_headings(html: Any, levels: int = 1) -> Markup:
    """Lower a body's headings (h2 -> h3), for bodies shown under a page's own headings."""
    return Markup(_HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + levels, 6)}", str(escape(html))))  # noqa: S704
