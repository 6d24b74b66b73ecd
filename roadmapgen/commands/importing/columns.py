"""``--map FIELD=COLUMN``: which column of an export fills which field.

The fields are the Feedback model's own (so a field added to the model can be imported
the day it exists), ``body`` for the text under the front matter, and ``extra.NAME`` for
the team's free-form data. Columns are matched without regard to case or surrounding
spaces, as survey tools are inconsistent about both.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic.fields import FieldInfo

from roadmapgen.errors import did_you_mean
from roadmapgen.kinds.fields import FrontMatter
from roadmapgen.kinds.front_matter import Feedback

EXTRA_PREFIX = "extra."
_EXTRA_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


def _columns_of(model: type[FrontMatter]) -> tuple[str, ...]:
    """What a column can fill: the model's keys an export can hold (not the visibility every feedback
    entry has, nor the team's free-form extra, which takes extra.NAME), in the model's order, and ``body``."""
    return (*(name for name in model.model_fields if name not in ("visibility", "extra")), "body")


def _is_list(field: FieldInfo) -> bool:
    return typing.get_origin(field.annotation) is tuple


def _is_word(field: FieldInfo) -> bool:
    """A field of fixed words (a Literal, or an optional one)."""
    annotation = field.annotation
    options = (annotation, *typing.get_args(annotation))
    return any(typing.get_origin(option) is typing.Literal for option in options)


def _is_number(field: FieldInfo) -> bool:
    """A number field (a float or int, maybe optional, maybe with constraints)."""
    options = [field.annotation]
    while options:
        option = options.pop()
        if option in (int, float):
            return True
        options.extend(typing.get_args(option))
    return False


FIELDS = _columns_of(Feedback)
"""What a column can fill, from the Feedback model (see :func:`_columns_of`)."""
LISTS = frozenset(name for name, field in Feedback.model_fields.items() if _is_list(field))
"""Keys holding a list: a cell separates them with ',', ';' or '|'."""
WORDS = frozenset(name for name, field in Feedback.model_fields.items() if _is_word(field)) - {"visibility"}
"""Keys whose values are a fixed vocabulary: exports capitalise them ('Negative')."""
NUMBERS = frozenset(name for name, field in Feedback.model_fields.items() if _is_number(field))
"""Keys holding a number: exports write '$12,000' or '12000 USD'."""
RESPONSE_FIELDS = ("date", "score", "id")


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Field -> the column (lowercased) that fills it; extra names -> their columns."""

    fields: Mapping[str, str]
    extra: Mapping[str, str]

    def columns(self) -> set[str]:
        return {*self.fields.values(), *self.extra.values()}


def parse_mapping(pairs: Iterable[str], fields: tuple[str, ...] = FIELDS, *, extra: bool = True,
                  what: str = "feedback") -> ColumnMap:
    """``FIELD=COLUMN`` pairs -> a :class:`ColumnMap`.

    Raises:
        ValueError: naming the pair that is not FIELD=COLUMN with a known FIELD.
    """
    found: dict[str, str] = {}
    extras: dict[str, str] = {}
    for pair in pairs:
        name, equals, column = pair.partition("=")
        name = name.strip()
        if not equals or not column.strip():
            raise ValueError(f"--map {pair!r}: write FIELD=COLUMN, like quote='What did they say?'")
        if extra and name.lower().startswith(EXTRA_PREFIX):
            key = name[len(EXTRA_PREFIX):]
            if not _EXTRA_NAME.fullmatch(key):
                raise ValueError(f"--map {pair!r}: an extra field's name is a letter, then letters, digits, '_' or "
                                 "'-', like extra.nps_campaign")
            extras[key] = column.strip().lower()
            continue
        name = name.lower()
        if name not in fields:
            more = ", extra.NAME" if extra else ""
            raise ValueError(f"--map {pair!r}: '{name}' is not a {what} field{did_you_mean(name, fields)}; "
                             f"fields: {', '.join(fields)}{more}")
        found[name] = column.strip().lower()
    return ColumnMap(found, extras)


_NUMBER = re.compile(r"[^\d.,-]*\s*(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*[^\d.,]*")


def number_of(text: str) -> float | int | None:
    """'$12,000', '12000 USD', '1,234.50' -> the number; None for anything else ('12.000,00' is ambiguous)."""
    match = _NUMBER.fullmatch(text.strip())
    if match is None:
        return None
    number = match.group(1).replace(",", "")
    return float(number) if "." in number else int(number)
