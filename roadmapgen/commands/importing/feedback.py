"""`roadmapgen import feedback`: one internal feedback document per row of a CSV export.

Each row becomes the bytes of the file it would be, and those bytes go through exactly what
`roadmapgen check --strict` runs on a feedback file — the reader (size limits, strict YAML),
the model, the Markdown rules of the body, the references to personas, items and other
files — before anything is written. A row with any problem writes nothing and is reported
at its line in the CSV; the others are written. Every document records the row's
``import_id`` (the export's own id column, else a hash of the row); a row whose id is
already in content/feedback/ for the same source is skipped, and so is a row imported
before under another id (see :mod:`.known`): running an import twice changes nothing.
Existing files are never overwritten.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from roadmapgen.commands.importing import dates, scales
from roadmapgen.commands.importing.columns import FIELDS, LISTS, NUMBERS, WORDS, ColumnMap, number_of
from roadmapgen.commands.importing.folder import FeedbackFolder
from roadmapgen.commands.importing.known import Imported, ItemNames
from roadmapgen.errors import ContentError
from roadmapgen.kinds.front_matter import Feedback
from roadmapgen.kinds.registry import KINDS
from roadmapgen.kinds.slugs import shortened, slugify
from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.csv_table import CsvRow, CsvTable, read_csv
from roadmapgen.load.discover import ProjectFiles
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.graph import document_links
from roadmapgen.model.read import parse_document
from roadmapgen.places import Place
from roadmapgen.validation import validate

_SPLIT = re.compile(r"\s*[,;|]\s*")


@dataclass(frozen=True, slots=True)
class FeedbackImport:
    """How to read an export: its columns, and what the command line adds."""

    mapping: ColumnMap = field(default_factory=lambda: ColumnMap({}, {}))
    source: str | None = None
    """The source of rows without one."""
    date_format: str | None = None
    sentiment_from: str | None = None
    """A column of scores or words to derive the sentiment from (lowercased)."""
    scale: scales.Scale | None = None
    """The scale of ``sentiment_from``; guessed from the column when None."""
    skip_empty: tuple[str, ...] = ()
    """Columns (lowercased) whose blank cell skips the row."""
    dry_run: bool = False


@dataclass
class ImportResult:
    created: list[Path] = field(default_factory=list)
    skipped: int = 0
    """Rows whose id (within their source) is already imported."""
    duplicates: list[tuple[int, str]] = field(default_factory=list)
    """(line, file) of rows imported before under another id."""
    empty: int = 0
    """Rows skipped for a blank cell in a --skip-empty column."""
    problems: list[ContentError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the import decided that the user should know (the scale a score column was read on)."""

    @property
    def rejected(self) -> int:
        return len({problem.line for problem in self.problems if problem.line > 1})


@dataclass
class _Row:
    """One row on its way to a file."""

    line: int
    values: dict[str, str]
    """Field -> the cell that fills it (non-blank)."""
    extra: dict[str, str]
    sentiment_cell: str | None
    hash: str
    """The row's cells, hashed: its id when the export gives none."""


def import_feedback(data: bytes, shown: str, content_dir: Path, files: ProjectFiles, how: FeedbackImport
                    ) -> ImportResult:
    """Write a feedback document for each new, valid row of the CSV ``data`` (shown as ``shown``)."""
    result = ImportResult()
    try:
        table = read_csv(data, shown)
    except ContentError as error:
        result.problems.append(error)
        return result
    wanted = how.mapping.columns() | set(how.skip_empty) | ({how.sentiment_from} if how.sentiment_from else set())
    missing = sorted(column for column in wanted if column not in table.columns)
    if missing:
        result.problems.append(ContentError(shown, 1, 1, f"no column named {', '.join(map(repr, missing))}; the "
                                                         f"header has {', '.join(map(repr, table.columns))}"))
        return result
    folder = FeedbackFolder.open(content_dir, files, create=not how.dry_run)
    if isinstance(folder, ContentError):
        result.problems.append(folder)
        return result
    writer = _Writer(table, shown, how, folder, files, Imported.read(files), ItemNames.read(files))
    if how.sentiment_from:
        result.notes.append(f"sentiment from '{how.sentiment_from}': {scales.describe(writer.scale)}")
    for row in table.rows:
        writer.take(row, result)
    return result


class _Writer:
    """Turns rows into checked files, knowing the export's columns and what the project holds."""

    def __init__(self, table: CsvTable, shown: str, how: FeedbackImport, folder: FeedbackFolder,
                 files: ProjectFiles, imported: Imported, items: ItemNames) -> None:
        self.table, self.shown, self.how, self.folder = table, shown, how, folder
        self.files, self.imported, self.items = files, imported, items
        self.columns = {name: how.mapping.fields.get(name, name) for name in FIELDS}
        self.parser = BodyParser()
        cells = (row.values.get(how.sentiment_from, "") for row in table.rows) if how.sentiment_from else ()
        self.scale: scales.Scale = how.scale or scales.guess_scale(how.sentiment_from or "", cells)
        self.date_column = self.columns["date"]

    def take(self, csv_row: CsvRow, result: ImportResult) -> None:
        if any(not csv_row.values.get(column) for column in self.how.skip_empty):
            result.empty += 1
            return
        row = _Row(csv_row.line, {name: csv_row.values[column] for name, column in self.columns.items()
                                  if csv_row.values.get(column)},
                   {name: csv_row.values[column] for name, column in self.how.mapping.extra.items()
                    if csv_row.values.get(column)},
                   csv_row.values.get(self.how.sentiment_from, "") if self.how.sentiment_from else None,
                   row_hash(self.table, csv_row))
        front, problems = self.front_matter(row)
        body = row.values.get("body", "")
        if not problems:
            if (front["source"], front["import_id"]) in self.imported.ids:
                result.skipped += 1
                return
            earlier = self.imported.same_content(front, body)
            if earlier is not None:
                result.duplicates.append((row.line, earlier))
                return
            name = self.folder.free_name(_stem(front))
            text, problems = self.checked(front, body, name)
        if problems:
            result.problems.extend(ContentError(self.shown, row.line, 1, problem.message) for problem in problems)
            return
        if self.how.dry_run:
            self.folder.claim(name)
        elif (failed := self.folder.write(name, text)) is not None:
            result.problems.append(ContentError(self.shown, row.line, 1, failed))
            return
        self.imported.ids.add((front["source"], front["import_id"]))
        result.created.append(self.folder.path / name)

    def front_matter(self, row: _Row) -> tuple[dict[str, Any], list[ContentError]]:
        """The front matter for one row, validated by `check`'s own model; or the row's problems, at its line
        in the CSV (the whole file is checked by :meth:`checked` once the front matter is right)."""
        data: dict[str, Any] = {}
        problems: list[str] = []
        for name in FIELDS:
            text = row.values.get(name)
            if name == "body" or not text:
                continue
            try:
                data[name] = self.value(name, text)
            except ValueError as exc:
                problems.append(str(exc))
        if row.sentiment_cell is not None:
            try:
                sentiment = scales.sentiment_of(row.sentiment_cell, self.scale)
            except ValueError as exc:
                problems.append(f"'{self.how.sentiment_from}' (--sentiment-from) {exc}")
            else:
                if sentiment is not None:
                    data["sentiment"] = sentiment
        if "source" not in data and self.how.source is not None:
            data["source"] = self.how.source
        data["import_id"] = row.values.get("import_id") or row.hash
        if row.extra:
            data["extra"] = dict(row.extra)
        data = {name: data[name] for name in (*FIELDS, "extra") if name in data}  # the order `new` writes them in
        if problems:
            return data, [ContentError(self.shown, row.line, 1, problem) for problem in problems]
        fields, errors = validate(Feedback, data, {(): Place(row.line, 1, row.line, 1)}, self.shown)
        if fields is not None:
            data["date"] = fields.date
        return data, errors

    def value(self, name: str, text: str) -> Any:
        """A cell as the field's value.

        Raises:
            ValueError: a sentence saying what the cell should hold.
        """
        if name == "date":
            day = dates.day_of(text, self.how.date_format)
            if day is None:
                cells = (row.values.get(self.date_column, "") for row in self.table.rows)
                raise ValueError(dates.problem(text, self.how.date_format, cells))
            return day.isoformat()
        if name == "items":
            try:
                return [self.items.slug_of(part) for part in _items_in(text, self.items)]
            except ValueError as exc:
                raise ValueError(f"'items': {exc}") from None
        if name in LISTS:
            return [part for part in _SPLIT.split(text) if part]
        if name in NUMBERS:
            number = number_of(text)
            if number is None:
                raise ValueError(f"'{name}' must be a number like 12000 or $12,000, not '{text[:40]}'")
            return number
        if name == "sentiment" and text.strip().isdigit():
            raise ValueError(f"'sentiment' must be positive, neutral or negative, not '{text}'; for a column of "
                             "scores give --sentiment-from COLUMN instead of --map sentiment=COLUMN")
        return text.lower() if name in WORDS else text

    def checked(self, front: dict[str, Any], body: str, name: str) -> tuple[bytes, list[ContentError]]:
        """The file for a row, and every problem `check --strict` would find in it: read back through the same
        reader, model, Markdown rules and reference checks as the project's own files."""
        dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000)
        text = f"---\n{dumped}---\n{body.strip()}\n" if body.strip() else f"---\n{dumped}---\n"
        data = text.encode("utf-8")
        kind = KINDS["feedback"]
        content_path = f"{kind.folder}/{name}"
        source = SourceFile(kind.name, name.removesuffix(kind.suffix),
                            posixpath.join(self.files.content_shown, content_path), content_path,
                            self.folder.path / name)
        read = parse_document(source, data, self.parser)
        if read.document is None:
            return data, list(read.problems)
        links = document_links(read.document, {s.key for s in self.files.documents}, (), self.files.assets)
        problems = [*read.problems, *links.problems]
        if not problems and read.document.fields != Feedback.model_validate(front):
            problems.append(ContentError(source.path, 1, 1, "this row cannot be written so that it reads back the "
                                                            "same"))
        return data, problems


def _items_in(cell: str, items: ItemNames) -> list[str]:
    """The item names in a cell: the whole cell when it is one title (titles may hold commas), else its parts."""
    try:
        items.slug_of(cell)
    except ValueError:
        return [part for part in _SPLIT.split(cell) if part]
    return [cell]


def row_hash(table: CsvTable, row: CsvRow) -> str:
    """A stable id for a row without one: its cells, in the header's order."""
    cells = "\x1f".join(row.values.get(column, "") for column in table.columns)
    return "row-" + hashlib.sha256(cells.encode()).hexdigest()[:16]


def _stem(front: Mapping[str, Any]) -> str:
    """A file name from the row's date, source and customer (or id), short enough for any file system."""
    return shortened(slugify(f"{front['date']} {front['source']} {front.get('customer') or front['import_id']}"))
