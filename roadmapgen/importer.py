"""`roadmapgen import feedback`: one internal feedback document per row of a CSV export.

Each row is validated by the same model and reference rules as `roadmapgen check`
(:class:`~roadmapgen.model.front_matter.Feedback`, the slugs of existing personas and
items), at the row's line in the CSV. A row that fails writes nothing; the others are
written. Every document records the row's ``import_id`` (the export's own id column,
else a hash of the row), and a row whose id is already in content/feedback/ is
skipped: running the same import twice changes nothing. Existing files are never
overwritten.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from roadmapgen.errors import ContentError, did_you_mean
from roadmapgen.load.discover import ProjectFiles
from roadmapgen.load.frontmatter import decode, split_front_matter
from roadmapgen.load.layout import SourceFile
from roadmapgen.load.responses import CsvRow, CsvTable, date_part, read_csv
from roadmapgen.load.yamlsafe import Place, read_yaml
from roadmapgen.model.document import Document
from roadmapgen.model.front_matter import Feedback
from roadmapgen.model.graph import Links, document_links
from roadmapgen.registry import KINDS, slugify
from roadmapgen.validation import validate

FIELDS = ("date", "source", "customer", "persona", "items", "sentiment", "quote", "tags", "import_id", "body")
"""What a column can fill: the feedback keys an export can hold, and ``body`` (the document's text)."""
LISTS = frozenset({"items", "tags"})
WORDS = frozenset({"source", "sentiment"})
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
    seen = existing_import_ids(files)
    folder = content_dir / KINDS["feedback"].folder
    if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(content_dir.resolve())):
        result.problems.append(ContentError(shown, 1, 1, f"{folder} is a symbolic link: import writes only into "
                                                         "a real feedback folder inside the content folder"))
        return result
    for row in table.rows:
        values = {name: row.values[column] for name, column in columns.items() if row.values.get(column)}
        import_id = values.get("import_id") or row_hash(table, row)
        if import_id in seen:
            result.skipped += 1
            continue
        document, problems = _document(values, import_id, source, row.line, shown, files)
        if problems:
            result.problems.extend(problems)
            continue
        seen.add(import_id)
        result.created.append(_write(folder, document, values.get("body", "")))
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


def _document(values: Mapping[str, str], import_id: str, source: str | None, line: int, shown: str,
              files: ProjectFiles) -> tuple[dict[str, Any], list[ContentError]]:
    """The front matter for one row, validated by `check`'s own model and reference rules; or the row's
    problems, at its line in the CSV."""
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
        problems = list(_links(fields, files).problems)
    return data, [ContentError(shown, line, 1, problem.message) for problem in problems]


def _links(fields: Feedback, files: ProjectFiles) -> Links:
    """What `check` says of the persona and items the row names."""
    kind = KINDS["feedback"]
    content_path = f"{kind.folder}/imported.md"
    source = SourceFile(kind.name, "imported", posixpath.join(files.content_shown, content_path), content_path,
                        Path())
    document = Document(source, fields, {}, None, "", "")
    return document_links(document, {s.key for s in files.documents}, (), {})


def _write(folder: Path, data: dict[str, Any], body: str) -> Path:
    """A new file for the row, named by its date, source and customer; an existing file is never touched."""
    stem = slugify(f"{data['date']} {data['source']} {data.get('customer') or data['import_id']}")[:80].strip("-")
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    text = f"---\n{front}---\n{body.strip()}\n" if body.strip() else f"---\n{front}---\n"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, 10_000):
        path = folder / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        try:
            with path.open("x", encoding="utf-8", newline="\n") as file:
                file.write(text)
            return path
        except FileExistsError:
            continue
    raise OSError(f"{folder}: too many files named {stem}")
