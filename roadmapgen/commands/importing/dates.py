"""Dates as exports write them -> calendar days.

Without ``--date-format`` a cell must start with an ISO date (``2026-11-28``, or a
timestamp such as ``2026-11-28T17:02:11Z`` or ``2026-11-28 09:02:11 -0800``); the day is
the one written, in the time zone the export wrote it in. With ``--date-format`` (Python's
strftime codes) every cell must match it. When cells do not parse, the error names the
option and the formats that would read every cell of the column, so a Google Forms
``12/3/2026 15:40:12`` gets a ready command line rather than a puzzle.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from roadmapgen.load.csv_table import date_part

COMMON_FORMATS = (
    "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%Y", "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%b %d, %Y %I:%M %p", "%b %d, %Y %I:%M:%S %p", "%b %d, %Y",
    "%B %d, %Y %I:%M %p", "%B %d, %Y", "%d %b %Y %H:%M", "%d %b %Y", "%d %B %Y", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d",
)
"""Formats survey, form and help-desk tools export, tried only to suggest a --date-format."""


_ISO_SHAPED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def check_format(date_format: str) -> str | None:
    """Why ``date_format`` cannot read days (a sentence), or None when it can."""
    has = {code for code in ("%Y", "%y", "%m", "%b", "%B", "%d") if code in date_format}
    if not has & {"%Y", "%y"} or not has & {"%m", "%b", "%B"} or "%d" not in has:
        return "needs a year (%Y), a month (%m, %b or %B) and a day (%d)"
    try:
        dt.datetime.strptime("", date_format)
    except ValueError as exc:
        if "directive" in str(exc):
            return str(exc)
    return None


def day_of(text: str, date_format: str | None) -> dt.date | None:
    """The day ``text`` names, or None when it does not name one in the expected format."""
    try:
        if date_format is not None:
            return dt.datetime.strptime(text.strip(), date_format).date()
        day = date_part(text.strip())
        return dt.date.fromisoformat(day) if len(day) == 10 and day.isascii() else None
    except ValueError:
        return None


def formats_reading(texts: Iterable[str]) -> list[str]:
    """The common formats that read every one of ``texts``."""
    cells = [text.strip() for text in texts if text.strip()]
    return [form for form in COMMON_FORMATS if cells and all(day_of(cell, form) is not None for cell in cells)]


def problem(text: str, date_format: str | None, column_cells: Iterable[str]) -> str:
    """What to say of a cell that is not a day."""
    if date_format is not None:
        return f"'date' '{_short(text)}' does not match --date-format '{date_format}'"
    if _ISO_SHAPED.match(text.strip()):
        return f"'date' must be a real date like 2026-03-31, not '{_short(text)}'"
    found = formats_reading(column_cells)[:2]
    hint = (" or ".join(f"--date-format '{form}'" for form in found) if found
            else "--date-format with its strftime codes, e.g. --date-format '%d/%m/%Y'")
    return f"'date' must be a date like 2026-03-31, not '{_short(text)}'; for other formats give {hint}"


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"
