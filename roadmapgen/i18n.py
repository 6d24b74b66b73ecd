"""The theme's words in the site's language: catalogues, plural forms, dates, numbers and money.

A theme keeps one catalogue per language in ``strings/<language>.yaml``: keys (nested maps
are joined with dots) to text, where ``{name}`` stands for a value the template gives and
a map of CLDR plural forms (``one``, ``other``...) gives a text by count. The built-in
theme has complete catalogues for en, de, fr and es; a project's theme may add or replace
keys, and ``strings:`` in roadmapgen.yaml replaces any single one. A language roadmapgen
has no catalogue for gets English words with that language's dates and numbers.

Texts are data, never code: only ``{name}`` placeholders are filled (no attribute, index
or format spec, so a text cannot reach into the values it is given), and the HTML form
escapes the text and every value that is not already markup. Keys under ``internal.`` are
words only internal pages use; the public site's strings leave them out, like every other
internal thing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent
from markupsafe import Markup, escape

from roadmapgen.errors import ContentError, did_you_mean
from roadmapgen.load.text import decode
from roadmapgen.load.yamlsafe import read_yaml
from roadmapgen.places import Place

PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})
BUILT_IN_LANGUAGES = ("en", "de", "fr", "es")
INTERNAL_PREFIX = "internal."
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_TARGET = re.compile(r"^(\d{4})-(?:Q([1-4])|(\d{2})|(\d{2})-(\d{2}))$")

Entry = str | Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Strings:
    """One site's words: the catalogue for its language, with its locale's dates and numbers."""

    language: str
    table: Mapping[str, Entry]
    locale: Locale

    def text(self, key: str, /, count: float | None = None, **values: object) -> str:
        """The text of ``key`` (by ``count``'s plural form, when it has forms), its placeholders filled."""
        return _fill(self._entry(key, count), {"count": self.number(count) if count is not None else "", **values},
                     str)

    def __call__(self, key: str, /, count: float | None = None, **values: object) -> Markup:
        """The text as HTML: escaped, with values escaped unless they are markup already (a link)."""
        return Markup(_fill(str(escape(self._entry(key, count))),  # noqa: S704 -- escaped here and in _fill
                            {"count": self.number(count) if count is not None else "", **values},
                            lambda value: str(escape(value))))

    def has(self, key: str) -> bool:
        return key in self.table

    def _entry(self, key: str, count: float | None) -> str:
        entry = self.table.get(key)
        if entry is None:
            raise KeyError(f"no string '{key}' in the theme's catalogue{did_you_mean(key, self.table)}")
        if isinstance(entry, str):
            return entry
        form = self.locale.plural_form(abs(count)) if count is not None else "other"
        return entry.get(form) or entry["other"]

    def date(self, day: dt.date) -> str:
        return format_date(day, self.text("format.date"), locale=self.locale)

    def month(self, day: dt.date) -> str:
        return format_date(day, self.text("format.month"), locale=self.locale)

    def number(self, value: float) -> str:
        """1920.0 -> '1,920' (en), '1.920' (de); at most two decimals."""
        return format_decimal(value, format="#,##0.##", locale=self.locale)

    def percent(self, share: float) -> str:
        return format_percent(share, locale=self.locale)

    def money(self, value: float, currency: str) -> str:
        """Whole units, the locale's way: '$120,000', '120.000 €'."""
        pattern = self.locale.currency_formats["standard"].pattern.split(";")[0]
        whole = re.sub(r"\.0+", "", pattern)
        return format_currency(value, currency, format=whole, locale=self.locale, currency_digits=False)

    def target(self, target: str | None) -> str:
        """'2026-Q3' -> 'Q3 2026', '2026-09' -> 'Sep 2026', '2026-09-30' -> '30 Sep 2026', in the site's words."""
        match = _TARGET.match(target or "")
        if not match:
            return target or ""
        year, quarter, month, day_month, day = match.groups()
        if quarter:
            return self.text("format.quarter", quarter=quarter, year=year)
        if month:
            return self.month(dt.date(int(year), int(month), 1))
        return self.date(dt.date(int(year), int(day_month), int(day)))

    def public(self) -> Strings:
        """These strings without the internal pages' words."""
        return Strings(self.language, {key: entry for key, entry in self.table.items()
                                       if not key.startswith(INTERNAL_PREFIX)}, self.locale)


def _fill(text: str, values: Mapping[str, object], convert: Any) -> str:
    """``text`` with each ``{name}`` replaced by its value; an unknown name stays as it is."""
    return _PLACEHOLDER.sub(lambda m: convert(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def placeholders(entry: Entry) -> set[str]:
    texts = [entry] if isinstance(entry, str) else list(entry.values())
    return {name for text in texts for name in _PLACEHOLDER.findall(text)}


def locale_of(language: str) -> Locale:
    """babel's locale for a BCP 47 tag ('en-GB' -> en_GB), or English when CLDR does not know it."""
    for tag in (language.replace("-", "_"), language.split("-")[0]):
        try:
            return Locale.parse(tag)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


def catalogue_names(language: str) -> tuple[str, ...]:
    """The catalogue files for ``language``, most general first: en, then de, then de-AT."""
    parts = language.split("-")
    names = ["en"] + ["-".join(parts[:n]) for n in range(1, len(parts) + 1)]
    return tuple(dict.fromkeys(names))


def load_strings(themes: Sequence[Path], language: str, overrides: Mapping[str, str],
                 places: Mapping[tuple[str | int, ...], Place], config_path: str
                 ) -> tuple[Strings, list[ContentError]]:
    """The site's strings: each theme's catalogues (the built-in one last in ``themes``, so first here),
    the language's over English, then the config's ``strings``."""
    table: dict[str, Entry] = {}
    problems: list[ContentError] = []
    for theme in reversed(themes):
        for name in catalogue_names(language):
            path = theme / "strings" / f"{name}.yaml"
            if path.is_file():
                found, errors = _read_catalogue(path)
                table.update(found)
                problems.extend(errors)
    for key, text in overrides.items():
        place = places.get(("strings", key), Place(1, 1, 1, 1))
        line, column = place.line, place.column
        if key not in table:
            problems.append(ContentError(config_path, line, column, f"'strings': no string '{key}' in the theme"
                                                                    f"{did_you_mean(key, table)}; "
                                                                    "`roadmapgen strings` lists them"))
            continue
        unknown = placeholders(text) - placeholders(table[key])
        if unknown:
            problems.append(ContentError(config_path, line, column,
                                         f"'strings': '{key}' can use {_names(placeholders(table[key]))}, "
                                         f"not {_names(unknown)}"))
            continue
        table[key] = text if isinstance(table[key], str) else {form: text for form in table[key]}
    return Strings(language, table, locale_of(language)), problems


def _names(names: set[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "no placeholders"


def _read_catalogue(path: Path) -> tuple[dict[str, Entry], list[ContentError]]:
    shown = path.as_posix()
    try:
        data = read_yaml(decode(path.read_bytes(), shown), shown, 1).data
    except ContentError as error:
        return {}, [error]
    except OSError as exc:
        return {}, [ContentError(shown, 1, 1, f"cannot read file: {exc.strerror}")]
    found: dict[str, Entry] = {}
    problems: list[ContentError] = []
    _flatten(data, "", found, problems, shown)
    return found, problems


def _flatten(data: object, prefix: str, found: dict[str, Entry], problems: list[ContentError], shown: str) -> None:
    if not isinstance(data, Mapping):
        problems.append(ContentError(shown, 1, 1, f"'{prefix.rstrip('.') or 'the file'}' must map keys to texts"))
        return
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, str):
            found[name] = value
        elif isinstance(value, Mapping) and value and set(value) <= PLURAL_FORMS and "other" in value \
                and all(isinstance(text, str) for text in value.values()):
            found[name] = {str(form): str(text) for form, text in value.items()}
        else:
            _flatten(value, f"{name}.", found, problems, shown)
