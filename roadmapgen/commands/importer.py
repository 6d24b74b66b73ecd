"""`roadmapgen import feedback`: one internal feedback document per row of a CSV export.

Each row becomes the bytes of the file it would be, and those bytes go through exactly what
`roadmapgen check --strict` runs on a feedback file — the reader (size limits, strict YAML),
the model, the Markdown rules of the body, the references to personas, items and other
files — before anything is written. A row with any problem writes nothing and is reported
at its line in the CSV; the others are written. Every document records the row's
``import_id`` (the export's own id column, else a hash of the row), and a row whose id is
already in content/feedback/ is skipped: running the same import twice changes nothing.
Existing files are never overwritten.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic.fields import FieldInfo

from roadmapgen.errors import ContentError, did_you_mean
from roadmapgen.kinds.fields import FrontMatter
from roadmapgen.kinds.front_matter import Feedback
from roadmapgen.kinds.registry import KINDS
from roadmapgen.kinds.slugs import shortened, slugify
from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.csv_table import CsvRow, CsvTable, date_part, read_csv
from roadmapgen.load.discover import ProjectFiles, is_ignored
from roadmapgen.load.text import decode, split_front_matter
from roadmapgen.load.yamlsafe import read_yaml
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.graph import document_links
from roadmapgen.model.read import parse_document
from roadmapgen.places import Place
from roadmapgen.validation import validate


def _columns_of(model: type[FrontMatter]) -> tuple[str, ...]:
    """What a column can fill: the model's keys an export can hold (not the visibility every feedback
    entry has, nor the team's free-form extra), in the model's order, and ``body`` (the text)."""
    return (*(name for name in model.model_fields if name not in ("visibility", "extra")), "body")


def _is_list(field: FieldInfo) -> bool:
    return typing.get_origin(field.annotation) is tuple


def _is_word(field: FieldInfo) -> bool:
    """A field of fixed words (a Literal, or an optional one)."""
    annotation = field.annotation
    options = (annotation, *typing.get_args(annotation))
    return any(typing.get_origin(option) is typing.Literal for option in options)


FIELDS = _columns_of(Feedback)
"""What a column can fill, from the Feedback model (see :func:`_columns_of`)."""
LISTS = frozenset(name for name, field in Feedback.model_fields.items() if _is_list(field))
"""Keys holding a list: a cell separates them with ',', ';' or '|'."""
WORDS = frozenset(name for name, field in Feedback.model_fields.items() if _is_word(field)) - {"visibility"}
"""Keys whose values are a fixed vocabulary: exports capitalise them ('Negative')."""
_SPLIT = re.compile(r"\s*[,;|]\s*")


@dataclass
class ImportResult:
    created: list[Path] = field(default_factory=list)
    skipped: int = 0
    problems: list[ContentError] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({problem.line for problem in self.problems if problem.line > 1})


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``FIELD=COLUMN`` pairs -> {field: column (lowercased)}.

    Raises:
        ValueError: naming the pair that is not FIELD=COLUMN with a known FIELD.
    """
    mapping = {}
    for pair in pairs:
        name, equals, column = pair.partition("=")
        name = name.strip().lower()
        if not equals or not column.strip():
            raise ValueError(f"--map {pair!r}: write FIELD=COLUMN, like quote='What did they say?'")
        if name not in FIELDS:
            raise ValueError(f"--map {pair!r}: '{name}' is not a feedback field{did_you_mean(name, FIELDS)}; "
                             f"fields: {', '.join(FIELDS)}")
        mapping[name] = column.strip().lower()
    return mapping


def import_feedback(data: bytes, shown: str, content_dir: Path, files: ProjectFiles, mapping: Mapping[str, str],
                    source: str | None) -> ImportResult:
    """Write a feedback document for each new, valid row of the CSV ``data`` (shown as ``shown``)."""
    result = ImportResult()
    try:
        table = read_csv(data, shown)
    except ContentError as error:
        result.problems.append(error)
        return result
    columns = {name: mapping.get(name, name) for name in FIELDS}
    missing = sorted({column for name, column in mapping.items() if column not in table.columns})
    if missing:
        result.problems.append(ContentError(shown, 1, 1, f"no column named {', '.join(map(repr, missing))}; the "
                                                         f"header has {', '.join(map(repr, table.columns))}"))
        return result
    folder = _Folder.open(content_dir, files)
    if isinstance(folder, ContentError):
        result.problems.append(folder)
        return result
    seen = existing_import_ids(files)
    parser = BodyParser()
    for row in table.rows:
        values = {name: row.values[column] for name, column in columns.items() if row.values.get(column)}
        import_id = values.get("import_id") or row_hash(table, row)
        if import_id in seen:
            result.skipped += 1
            continue
        front, problems = _document(values, import_id, source, row.line, shown)
        if not problems:
            name = folder.free_name(_stem(front))
            text, problems = _checked(front, values.get("body", ""), name, folder, files, parser)
        if not problems:
            written = folder.write(name, text)
            problems = [ContentError(shown, row.line, 1, written)] if isinstance(written, str) else []
        if problems:
            result.problems.extend(ContentError(shown, row.line, 1, problem.message) for problem in problems)
            continue
        seen.add(import_id)
        result.created.append(folder.path / name)
    return result


def row_hash(table: CsvTable, row: CsvRow) -> str:
    """A stable id for a row without one: its cells, in the header's order."""
    cells = "\x1f".join(row.values.get(column, "") for column in table.columns)
    return "row-" + hashlib.sha256(cells.encode()).hexdigest()[:16]


def existing_import_ids(files: ProjectFiles) -> set[str]:
    """The import ids the project's feedback files already record (files that cannot be read hold none)."""
    found = set()
    for source in files.documents:
        if source.kind != "feedback":
            continue
        try:
            split = split_front_matter(decode(source.absolute.read_bytes(), source.path), source.path)
            data = read_yaml(split.front_matter, source.path, split.front_matter_line).data
        except (ContentError, OSError):
            continue
        if isinstance(data, dict) and isinstance(data.get("import_id"), str):
            found.add(data["import_id"])
    return found


def _document(values: Mapping[str, str], import_id: str, source: str | None, line: int, shown: str
              ) -> tuple[dict[str, Any], list[ContentError]]:
    """The front matter for one row, validated by `check`'s own model; or the row's problems, at its line in
    the CSV (the whole file is checked by :func:`_checked` once the front matter is right)."""
    data: dict[str, Any] = {}
    for name in FIELDS:
        text = values.get(name)
        if name == "body" or not text:
            continue
        if name in LISTS:
            data[name] = [part for part in _SPLIT.split(text) if part]
        elif name in WORDS:
            data[name] = text.lower()
        elif name == "date":
            data[name] = date_part(text)
        else:
            data[name] = text
    if "source" not in data and source is not None:
        data["source"] = source
    data["import_id"] = import_id
    data = {name: data[name] for name in FIELDS if name in data}  # the order `new feedback` writes them in
    fields, problems = validate(Feedback, data, {(): Place(line, 1, line, 1)}, shown)
    if fields is not None:
        data["date"] = fields.date
    return data, problems


def _checked(front: dict[str, Any], body: str, name: str, folder: _Folder, files: ProjectFiles,
             parser: BodyParser) -> tuple[bytes, list[ContentError]]:
    """The file for a row, and every problem `check --strict` would find in it: read back through the same
    reader, model, Markdown rules and reference checks as the project's own files."""
    dumped = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=10_000)
    text = f"---\n{dumped}---\n{body.strip()}\n" if body.strip() else f"---\n{dumped}---\n"
    data = text.encode("utf-8")
    kind = KINDS["feedback"]
    content_path = f"{kind.folder}/{name}"
    source = SourceFile(kind.name, name.removesuffix(kind.suffix), posixpath.join(files.content_shown, content_path),
                        content_path, folder.path / name)
    read = parse_document(source, data, parser)
    if read.document is None:
        return data, list(read.problems)
    links = document_links(read.document, {s.key for s in files.documents}, (), files.assets)
    problems = [*read.problems, *links.problems]
    intended = Feedback.model_validate(front)
    if not problems and read.document.fields != intended:
        problems.append(ContentError(source.path, 1, 1, "this row cannot be written so that it reads back the same"))
    return data, problems


def _stem(front: Mapping[str, Any]) -> str:
    """A file name from the row's date, source and customer (or id), short enough for any file system."""
    return shortened(slugify(f"{front['date']} {front['source']} {front.get('customer') or front['import_id']}"))


@dataclass
class _Folder:
    """content/feedback/, with the names taken in it: a free name costs one look-up, however many rows share
    a stem, and an existing file is never touched."""

    path: Path
    taken: set[str]
    next_number: dict[str, int] = field(default_factory=dict)

    @classmethod
    def open(cls, content_dir: Path, files: ProjectFiles) -> _Folder | ContentError:
        folder = content_dir / KINDS["feedback"].folder
        shown = posixpath.join(files.content_shown, KINDS["feedback"].folder)
        if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(content_dir.resolve())):
            return ContentError(shown, 1, 1, "is a symbolic link: import writes only into a real feedback folder "
                                             "inside the content folder")
        if folder.exists() and not folder.is_dir():
            return ContentError(shown, 1, 1, "is a file, not a folder: feedback documents go in a folder of "
                                             "that name; move the file away first")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            taken = {name for name in os.listdir(folder) if not is_ignored(name)}
        except OSError as exc:
            return ContentError(shown, 1, 1, f"cannot use the feedback folder: {exc.strerror}")
        return cls(folder, taken)

    def free_name(self, stem: str) -> str:
        number = self.next_number.get(stem, 1)
        while (name := f"{stem}.md" if number == 1 else f"{stem}-{number}.md") in self.taken:
            number += 1
        self.next_number[stem] = number + 1
        return name

    def write(self, name: str, data: bytes) -> str | None:
        """Write a new file; an error message if it cannot be (it never replaces one)."""
        self.taken.add(name)
        try:
            with open(self.path / name, "xb") as file:
                file.write(data)
        except OSError as exc:
            return f"cannot write {name}: {exc.strerror}"
        return None
