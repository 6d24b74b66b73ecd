"""The Jinja environment: theme lookup, the sandbox, autoescaping, strict undefined, pure filters.

Lookup order: the project's ``themes/<name>/templates`` over the built-in theme; a
project template can extend the built-in one as ``"!default/item.html"``. The
environment holds no site data: each render passes ``site``, ``nav`` and ``page``.

Templates run in Jinja's immutable sandbox: private and dunder attributes
(``site._context``, ``__class__``, ``__globals__``) and anything that changes data are
out of reach, and asking for them is a template error at the template's file and line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from babel.numbers import format_currency
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

import roadmapgen
from roadmapgen.audience.tags import tag_slug
from roadmapgen.markdown.placeholders import ROOT
from roadmapgen.pages.charts import MONTHS

STATUS_LABELS = {
    "planned": "Planned", "in-progress": "In progress", "beta": "Beta",
    "shipped": "Shipped", "paused": "Paused", "cancelled": "Cancelled",
}
HORIZON_LABELS = {"now": "Now", "next": "Next", "later": "Later"}
SOURCE_LABELS = {"focus-group": "Focus group", "social": "Social media and communities"}
_ID = re.compile(r'(\sid="|\shref="#)')
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_TARGET = re.compile(r"^(\d{4})-(?:Q([1-4])|(\d{2})|(\d{2})-(\d{2}))$")


def builtin_theme() -> Path:
    """The built-in theme: inside the installed package, or at the top of a source checkout."""
    package = Path(roadmapgen.__file__).parent
    for candidate in (package / "themes" / "default", package.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("the built-in theme is missing from this roadmapgen installation")


def theme_chain(project_theme: Path | None) -> tuple[Path, ...]:
    """Theme folders, most specific first."""
    builtin = builtin_theme()
    return (project_theme, builtin) if project_theme and project_theme.resolve() != builtin.resolve() else (builtin,)


def static_files(themes: Sequence[Path]) -> dict[str, Path]:
    """'style.css' -> the file that wins, themes earlier in the chain first."""
    found: dict[str, Path] = {}
    for theme in reversed(themes):
        static = theme / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(static).as_posix()] = path
    return dict(sorted(found.items()))


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
        date=format_date, isodate=lambda day: day.isoformat(), rfc3339=lambda day: f"{day.isoformat()}T00:00:00Z",
        status=lambda status: STATUS_LABELS.get(status, status),
        source=lambda source: SOURCE_LABELS.get(source, source.capitalize()),
        horizon=lambda h: HORIZON_LABELS.get(h, h or ""),
        target=format_target, number=format_number, scope_ids=scope_ids, percent=format_percent,
        demote=demote_headings, tag_slug=tag_slug, money=format_money,
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


def format_date(day: dt.date) -> str:
    """'12 May 2026' in every locale, so builds do not depend on the machine."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def format_target(target: str | None) -> str:
    """'2026-Q3' -> 'Q3 2026', '2026-09' -> 'Sep 2026', '2026-09-30' -> '30 Sep 2026'."""
    match = _TARGET.match(target or "")
    if not match:
        return target or ""
    year, quarter, month, day_month, day = match.groups()
    if quarter:
        return f"Q{quarter} {year}"
    if month:
        return f"{MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {MONTHS[int(day_month) - 1]} {year}"


def format_number(value: float) -> str:
    """1920.0 -> '1,920'; 2.5 -> '2.5'."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text or "0"


def format_money(value: float, currency: str) -> str:
    """120000.0, 'USD' -> '$120,000': whole units, the currency's own symbol (babel's data)."""
    return format_currency(value, currency, locale="en", format="¤#,##0", currency_digits=False)


def format_percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def scope_ids(html: Any, prefix: str) -> Markup:
    """Prefix a body's ids and in-page links, so several bodies can share one page."""
    safe = re.sub(r"[^A-Za-z0-9_-]", "-", prefix)
    # escape(): a body (Markup) stays as it is; plain text a theme passes in is escaped, never trusted.
    return Markup(_ID.sub(lambda m: f"{m.group(1)}{safe}-", str(escape(html))))  # noqa: S704


def demote_headings(html: Any, levels: int = 1) -> Markup:
    """Lower a body's headings (h2 -> h3), for bodies shown under a page's own headings."""
    return Markup(_HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + levels, 6)}", str(escape(html))))  # noqa: S704
