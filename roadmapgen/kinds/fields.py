"""Field types shared by the front-matter models, each with its rule and its JSON Schema."""

from __future__ import annotations

import calendar
import datetime as dt
import posixpath
import re
import string
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from roadmapgen.kinds.slugs import SLUG_PATTERN, is_slug
from roadmapgen.validation import describe

T = TypeVar("T")

_TARGET = re.compile(r"^(\d{4})-(?:Q([1-4])|(\d{2})|(\d{2})-(\d{2}))$")
_MONTH = "(?:0[1-9]|1[0-2])"
_DAY_OF_MONTH = "(?:0[1-9]|[12][0-9]|3[01])"
DATE_PATTERN = rf"^[0-9]{{4}}-{_MONTH}-{_DAY_OF_MONTH}$"
"""A date's shape for editors, which ignore ``format``; whether the day exists (30 February) only `check` knows."""
TARGET_PATTERN = rf"^[0-9]{{4}}-(?:Q[1-4]|{_MONTH}|{_MONTH}-{_DAY_OF_MONTH})$"


class StrictModel(BaseModel):
    """Base of every model read from YAML: strict types, unknown keys rejected, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class FrontMatter(StrictModel):
    """Base of a document kind's front matter (one model per kind, named in the registry)."""


def rule_error(sentence: str, value: object) -> PydanticCustomError:
    """An error whose text follows the key name: "'target' must be ..., not 'soon'"."""
    return PydanticCustomError("rg", sentence + ", not {got}", {"got": describe(value)})


def _list_to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


Text = Annotated[str, Field(min_length=1)]
"""One line or paragraph of text; empty text is an error."""

Seq = Annotated[tuple[T, ...], BeforeValidator(_list_to_tuple)]
"""A YAML list, kept as an immutable tuple."""


def _check_slug(value: str) -> str:
    if not is_slug(value):
        raise rule_error("must be a slug: the file name without its extension, lowercase words joined by '-'", value)
    return value


Slug = Annotated[str, AfterValidator(_check_slug), WithJsonSchema({"type": "string", "pattern": f"^{SLUG_PATTERN}$"})]
"""The slug of another document: its file name without '.md'."""

Visibility = Literal["public", "internal"]


def _to_day(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise rule_error("must be a date like 2026-03-31 without a time", value)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else value
        except ValueError:
            raise rule_error("must be a real date like 2026-03-31", value) from None
    return value


Day = Annotated[
    dt.date,
    BeforeValidator(_to_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN, "examples": ["2026-03-31"]}),
]
"""A calendar date, written YYYY-MM-DD."""


def _to_target(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise rule_error("must be a quarter, month or day like 2026-Q3, 2026-09 or 2026-09-30", value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        match = _TARGET.match(value)
        if match and _real_target(match):
            return value
    raise rule_error("must be a quarter, month or day like 2026-Q3, 2026-09 or 2026-09-30", value)


def _real_target(match: re.Match[str]) -> bool:
    year, _quarter, month, day_month, day = match.groups()
    if month is not None:
        return 1 <= int(month) <= 12
    if day is not None:
        month_no = int(day_month)
        return 1 <= month_no <= 12 and 1 <= int(day) <= calendar.monthrange(int(year), month_no)[1]
    return True


Target = Annotated[
    str,
    BeforeValidator(_to_target),
    WithJsonSchema({"type": "string", "pattern": TARGET_PATTERN, "examples": ["2026-Q3"]}),
]
"""When an item is expected: a quarter (2026-Q3), a month (2026-09) or a day (2026-09-30)."""


def quarter_of(day: dt.date) -> str:
    """The quarter holding ``day``, written as a target: 2026-11-03 -> '2026-Q4'."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def target_order(target: str | None) -> tuple[int, int, int]:
    """Sort key of a target: when it ends. 2026-Q4 and 2026-12 both end in December; undated last.

    Targets are validated when read, so this only slices (it runs for every item on every sort).
    """
    if not target:
        return (9999, 12, 32)
    year, rest = int(target[:4]), target[5:]
    if rest[0] == "Q":
        return (year, int(rest[1]) * 3, 32)
    if len(rest) == 2:
        return (year, int(rest), 32)
    return (year, int(rest[:2]), int(rest[3:]))


def target_end(target: str) -> dt.date:
    """The last day a target covers: 2026-Q3 -> 2026-09-30, 2026-09 -> 2026-09-30, 2026-09-12 -> itself."""
    year, month, day = target_order(target)
    return dt.date(year, month, day if day <= 31 else calendar.monthrange(year, month)[1])


def _check_asset_path(value: str) -> str:
    if "://" in value or value.startswith(("/", "\\")) or "\\" in value:
        raise rule_error("must be a file path under assets/, like assets/avatars/priya.png", value)
    if not value.startswith("assets/"):
        raise rule_error("must be a file path under assets/, like assets/avatars/priya.png", value)
    if not posixpath.normpath(value).startswith("assets/") or "/../" in f"/{value}/":
        raise rule_error("must stay inside assets/ ('..' is not allowed)", value)
    return value


AssetPath = Annotated[
    str, AfterValidator(_check_asset_path),
    WithJsonSchema({"type": "string", "pattern": r"^assets/(?!.*://)(?!(?:[^/]*/)*\.\.(?:/|$))[^\\]+$",
                    "examples": ["assets/avatars/priya.png"]}),
]
"""A file under content/assets/, written relative to the content folder."""

def _check_responses_path(value: str) -> str:
    folder, slash, name = value.partition("/")
    if folder != "metrics" or not slash or "/" in name or "\\" in name or not name.endswith(".csv") or name == ".csv" \
            or name.startswith("."):
        raise rule_error("must name a CSV file in metrics/, like metrics/nps-responses.csv", value)
    return value


ResponsesPath = Annotated[
    str, AfterValidator(_check_responses_path),
    WithJsonSchema({"type": "string", "pattern": r"^metrics/[^/\\.][^/\\]*\.csv$",
                    "examples": ["metrics/nps-responses.csv"]}),
]
"""A CSV file of survey responses in content/metrics/, written relative to the content folder."""


def _check_web_address(value: str) -> str:
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or any(ch.isspace() for ch in value):
        raise rule_error("must be a web address starting with https:// or http://", value)
    return value


WEB_ADDRESS_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$"
WebAddress = Annotated[
    str, AfterValidator(_check_web_address),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": WEB_ADDRESS_PATTERN}),
]
"""An http or https URL; other schemes (javascript:, data:) are refused so a link can never run code."""

FEEDBACK_PLACEHOLDERS = ("slug", "title", "url")


def _check_feedback_url(value: str) -> str:
    scheme, colon, rest = value.partition(":")
    if not colon or scheme.lower() not in ("https", "http", "mailto") or any(ch.isspace() for ch in value):
        raise rule_error("must be a link starting with https:, http: or mailto:, without spaces", value)
    if scheme.lower() != "mailto" and not rest.startswith("//") or rest.startswith("///"):
        raise rule_error("must be a web address like https://example.com/feedback?item={slug}", value)
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(value)
                  if name is not None]
    except ValueError:
        raise rule_error("has a '{' or '}' that is not part of {slug}, {title} or {url}", value) from None
    if any(name not in FEEDBACK_PLACEHOLDERS or spec or conversion for name, spec, conversion in fields):
        raise rule_error("may only use the placeholders {slug}, {title} and {url}", value)
    return value


FeedbackUrl = Annotated[
    str, AfterValidator(_check_feedback_url),
    WithJsonSchema({"type": "string", "allOf": [
        {"pattern": r"^(?:[Hh][Tt][Tt][Pp][Ss]?://(?!/)|[Mm][Aa][Ii][Ll][Tt][Oo]:)\S*$"},
        {"pattern": r"^(?:[^{}]|\{\{|\}\}|\{(?:slug|title|url)\})*$"},
    ], "examples": ["https://example.com/feedback?item={slug}"]}),
]
"""A link template for feedback on an item: https, http or mailto, with {slug}, {title}, {url}."""


def fill_feedback_url(template: str, *, slug: str, title: str, url: str) -> str:
    """The template with each placeholder's value URL-encoded, so no value can change the link's shape."""
    return template.format(slug=quote(slug, safe=""), title=quote(title, safe=""), url=quote(url, safe=""))


Extra = dict[str, Any]
"""Free-form data for the team's own use; never shown on the public site."""
