"""`roadmapgen import responses`: survey answers into a metric's responses file, and nothing personal.

A survey tool's export holds e-mail addresses, names and comments beside each score. Only
three things cross into the repository: the day (no time), the score, and a one-way hash
of the answer's id (or of the whole row, when the export has no id), so that importing
the same export again adds nothing. Scores in words map as sentiment does (Good and Bad
for CSAT; Promoter, Passive and Detractor for NPS; a CES takes numbers only, as it is a
mean). The file that results is read back by the survey reader the build uses before it
replaces the old one, so an import never leaves a metric `check` refuses.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from roadmapgen.commands.importing import dates, scales
from roadmapgen.commands.importing.columns import ColumnMap
from roadmapgen.errors import ContentError, UsageError, did_you_mean
from roadmapgen.kinds.front_matter import Metric
from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.csv_table import CsvRow, CsvTable, read_csv
from roadmapgen.load.discover import ProjectFiles
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.read import read_document
from roadmapgen.model.survey import survey_of
from roadmapgen.write import replace_file

HEADER = ("date", "score", "id")


@dataclass(frozen=True, slots=True)
class ResponsesImport:
    mapping: ColumnMap
    date_format: str | None = None
    dry_run: bool = False


@dataclass
class ResponsesResult:
    target: str = ""
    """The responses file, as messages show it."""
    added: int = 0
    skipped: int = 0
    """Answers already in the file (by id)."""
    unanswered: int = 0
    """Rows without a score."""
    problems: list[ContentError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return len({problem.line for problem in self.problems if problem.line > 1})


def answer_id(metric: str, text: str) -> str:
    """One-way: the file can tell an answer it holds, never whose it was."""
    return hashlib.sha256(f"roadmapgen-response\x1f{metric}\x1f{text}".encode()).hexdigest()[:16]


def survey_metric(files: ProjectFiles, slug: str) -> tuple[SourceFile, Metric]:
    """The metric ``slug`` and its front matter, if it takes its values from responses.

    Raises:
        UsageError: no such metric, or one whose file has errors or no responses file.
    """
    metrics = {source.slug: source for source in files.documents if source.kind == "metric"}
    source = metrics.get(slug)
    if source is None:
        raise UsageError(f"no metric '{slug}'{did_you_mean(slug, metrics)}; metrics: {', '.join(metrics) or 'none'}")
    read = read_document(source, BodyParser())
    if read.document is None or not isinstance(read.document.fields, Metric):
        first = read.problems[0].format() if read.problems else source.path
        raise UsageError(f"cannot read the metric: {first}")
    fields = read.document.fields
    if fields.responses is None:
        raise UsageError(f"{source.path}: the metric has no responses file; give it 'responses: "
                         f"metrics/{slug}-responses.csv' (in place of its points) and import again")
    return source, fields


def import_responses(data: bytes, shown: str, content_dir: Path, files: ProjectFiles, slug: str,
                     how: ResponsesImport) -> ResponsesResult:
    """Append the new answers of the export ``data`` to metric ``slug``'s responses file."""
    _, metric = survey_metric(files, slug)
    assert metric.responses is not None
    target = content_dir / metric.responses
    result = ResponsesResult(target=f"{files.content_shown}/{metric.responses}")
    if target.is_symlink() or not target.parent.resolve().is_relative_to(content_dir.resolve()):
        result.problems.append(ContentError(result.target, 1, 1, "is a symbolic link or outside the content folder: "
                                                                 "import writes only into a real file in metrics/"))
        return result
    try:
        table = read_csv(data, shown)
        existing = target.read_bytes() if target.exists() else b""
        header = read_csv(existing, result.target).columns if existing else HEADER
    except ContentError as error:
        result.problems.append(error)
        return result
    except OSError as exc:
        result.problems.append(ContentError(result.target, 1, 1, f"cannot read file: {exc.strerror}"))
        return result
    columns = {name: how.mapping.fields.get(name, name) for name in HEADER}
    problem = _missing(table, columns, header, shown, result.target)
    if problem is not None:
        result.problems.append(problem)
        return result
    if "id" not in header:
        result.notes.append(f"{result.target} has no 'id' column: these answers cannot be told apart from the "
                            "same answers imported again")
    lines = _new_lines(table, columns, header, _ids_in(existing, result.target), metric, slug, how, shown, result)
    if lines:
        _write(target, existing, header, lines, metric, how, result)
    return result


def _missing(table: CsvTable, columns: dict[str, str], header: tuple[str, ...], shown: str, target: str
             ) -> ContentError | None:
    if "date" not in header or "score" not in header:
        return ContentError(target, 1, 1, "a responses file has a header line naming 'date' and 'score'")
    needed = [columns["date"], columns["score"], *([columns["id"]] if columns["id"] != "id" else [])]
    missing = [column for column in needed if column not in table.columns]
    if missing:
        return ContentError(shown, 1, 1, f"no column named {', '.join(map(repr, missing))} (give --map date=COLUMN "
                                         f"and --map score=COLUMN); the header has "
                                         f"{', '.join(map(repr, table.columns))}")
    return None


def _ids_in(existing: bytes, shown: str) -> set[str]:
    return {row.values["id"] for row in read_csv(existing, shown).rows if row.values.get("id")} if existing else set()


def _new_lines(table: CsvTable, columns: dict[str, str], header: tuple[str, ...], seen: set[str], metric: Metric,
               slug: str, how: ResponsesImport, shown: str, result: ResponsesResult) -> list[dict[str, str]]:
    lines = []
    for row in table.rows:
        try:
            score = scales.score_of(row.values.get(columns["score"], ""), metric.kind)
        except ValueError as exc:
            result.problems.append(ContentError(shown, row.line, 1, f"'score' {exc}"))
            continue
        if score is None:
            result.unanswered += 1
            continue
        text = row.values.get(columns["date"], "")
        day = dates.day_of(text, how.date_format)
        if day is None:
            cells = (other.values.get(columns["date"], "") for other in table.rows)
            result.problems.append(ContentError(shown, row.line, 1, dates.problem(text, how.date_format, cells)))
            continue
        identity = answer_id(slug, _identity(table, row, columns["id"]))
        if identity in seen:
            result.skipped += 1
            continue
        seen.add(identity)
        values = {"date": day.isoformat(), "score": str(score), "id": identity}
        lines.append({column: values.get(column, "") for column in header})
    return lines


def _identity(table: CsvTable, row: CsvRow, id_column: str) -> str:
    """The answer's own id, or all its cells when the export gives none."""
    given = row.values.get(id_column, "") if id_column in table.columns else ""
    return f"id\x1f{given}" if given else "row\x1f" + "\x1f".join(row.values.get(name, "") for name in table.columns)


def _write(target: Path, existing: bytes, header: tuple[str, ...], lines: list[dict[str, str]], metric: Metric,
           how: ResponsesImport, result: ResponsesResult) -> None:
    """The file with the new lines after the old bytes, checked as the build reads it, swapped in whole."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(header), lineterminator="\n")
    if not existing:
        writer.writeheader()
    writer.writerows(lines)
    prefix = existing if not existing or existing.endswith(b"\n") else existing + b"\n"
    data = prefix + out.getvalue().encode()
    _, problems = survey_of(metric, data, result.target)
    if problems:
        result.problems.extend(problems)
        return
    result.added = len(lines)
    if how.dry_run:
        return
    failed = replace_file(target, data)
    if failed is not None:
        result.added = 0
        result.problems.append(ContentError(result.target, 1, 1, failed))
