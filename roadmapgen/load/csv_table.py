"""Read a CSV of survey responses: each row's date and score as text, with the line it starts on.

Only the ``date`` and ``score`` columns are read; every other column of a survey tool's
export (comments, e-mail addresses) is left in the file and never reaches a page.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from roadmapgen.errors import ContentError
from roadmapgen.load.text import decode

REQUIRED_COLUMNS = ("date", "score")
MAX_CSV_BYTES = 64 * 1024 * 1024
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]")


def date_part(text: str) -> str:
    """'2026-11-03T15:40:12Z' -> '2026-11-03': the day of a timestamp, as exports write them; other
    text as it is, for the caller to judge."""
    match = _TIMESTAMP.match(text)
    return match.group(1) if match else text


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int
    """The line the row starts on, counting the header as line 1."""
    values: dict[str, str]
    """Column name (lowercased, trimmed) -> its text, trimmed."""


@dataclass(frozen=True, slots=True)
class CsvTable:
    columns: tuple[str, ...]
    """The header's column names, lowercased and trimmed."""
    rows: tuple[CsvRow, ...]

    def missing(self, wanted: tuple[str, ...]) -> list[str]:
        return [name for name in wanted if name not in self.columns]


def read_csv(data: bytes, shown: str) -> CsvTable:
    """Every non-blank data row of a UTF-8 CSV with a header line.

    Raises:
        ContentError: at the line where the file stops being readable CSV.
    """
    if len(data) > MAX_CSV_BYTES:
        raise ContentError(shown, 1, 1, "file is larger than 64 MiB")
    reader = csv.reader(io.StringIO(decode(data, shown), newline=""), strict=True)
    start = 1
    try:
        columns = tuple(name.strip().lower() for name in next(reader, []))
        rows = []
        start = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append(CsvRow(start, {name: cell.strip() for name, cell in zip(columns, record, strict=False)}))
            start = reader.line_num + 1
    except csv.Error as error:
        found = str(error)
        if "field larger than field limit" in found:
            found = f"a cell is longer than {csv.field_size_limit():,} characters"
        raise ContentError(shown, start, 1, f"not valid CSV: {found}") from None
    return CsvTable(columns, tuple(rows))
