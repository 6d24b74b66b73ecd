"""Survey metrics from raw responses: each period's NPS, CSAT or CES, its count and a 95% interval.

A metric naming ``responses: metrics/<file>.csv`` gets its points from here: one per period
with responses, dated the period's last day, rounded. The whole :class:`Survey` (counts and
intervals included) lives on the corpus beside the metric's document, as its versions and
dates do: a document stays a function of its own file's bytes. The public corpus takes the
values alone into the public metric's points, so the public site gets each period's value
and nothing else — not a count, not a row, not the file.

Intervals (95%): NPS, an adjusted Wald interval (one extra promoter, passive and
detractor, so one or two answers give an honest wide range); CSAT, the Wilson score
interval; CES, the mean plus or minus Student's t times the standard error (none for a
single response). Each is clipped to the scale.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from roadmapgen.errors import ContentError
from roadmapgen.kinds.fields import quarter_of
from roadmapgen.kinds.front_matter import Metric, MetricPoint
from roadmapgen.kinds.registry import KINDS
from roadmapgen.load.csv_table import CsvTable, date_part, read_csv
from roadmapgen.load.discover import DataFile
from roadmapgen.model.document import Document

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
_METRICS = KINDS["metric"].folder
"""The score each survey kind asks for, lowest and highest."""
Z95 = 1.959964
_T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
"""Student's t, two-sided 95%, for 1 to 30 degrees of freedom."""


Withheld = Literal["no-answers", "not-over", "few-answers"]
"""Why a period has no public value: no answers, not over by the build's date, fewer than min_responses."""


@dataclass(frozen=True, slots=True)
class SurveyPeriod:
    label: str
    """'2026-10' or '2026-Q4'."""
    end: dt.date
    responses: int
    value: float | None
    """None when the period has no responses."""
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class Survey:
    """What the responses file gave: internal only."""

    source: str
    """The CSV's path relative to the content folder."""
    period: str
    periods: tuple[SurveyPeriod, ...]
    """Every period from the first response's to the last's, empty ones included."""
    digest: str
    """Hash of the file's bytes: pages showing the metric change with it."""
    min_responses: int = 10
    """The answers a period needs before the public site shows its value."""

    @property
    def responses(self) -> int:
        return sum(period.responses for period in self.periods)

    def points(self) -> tuple[MetricPoint, ...]:
        """Each period's value, dated its last day (periods without responses have none): the internal site's."""
        return tuple(MetricPoint.model_construct(date=period.end, value=period.value)
                     for period in self.periods if period.value is not None)

    def withheld(self, period: SurveyPeriod, today: dt.date) -> Withheld | None:
        """Why the public site shows no value for ``period`` on ``today`` (the build's date); None if it shows
        one. A period still running is a partial number dated in the future, and a handful of answers is
        noise (one answer would even be that customer's own score): neither is published."""
        if period.value is None:
            return "no-answers"
        if period.end >= today:
            return "not-over"
        if period.responses < self.min_responses:
            return "few-answers"
        return None

    def public_points(self, today: dt.date) -> tuple[MetricPoint, ...]:
        """The values the public site may show on ``today``: ended periods with enough answers."""
        return tuple(MetricPoint.model_construct(date=period.end, value=period.value)
                     for period in self.periods if self.withheld(period, today) is None)


def t95(degrees: int) -> float:
    if degrees <= len(_T95):
        return _T95[degrees - 1]
    return Z95 + (Z95 ** 3 + Z95) / (4 * degrees)  # Cornish-Fisher: within 0.002 of t beyond 30


def period_of(day: dt.date, period: str) -> tuple[str, dt.date]:
    """The label and last day of the month or quarter holding ``day``."""
    if period == "quarter":
        month = ((day.month - 1) // 3 + 1) * 3
        return quarter_of(day), dt.date(day.year, month, calendar.monthrange(day.year, month)[1])
    return f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def summarise(kind: str, period: str, answers: Iterable[tuple[dt.date, int]]) -> tuple[SurveyPeriod, ...]:
    """Each period's value from (day, score) answers on ``kind``'s scale, gaps included."""
    by_period: dict[tuple[str, dt.date], list[int]] = {}
    for day, score in answers:
        by_period.setdefault(period_of(day, period), []).append(score)
    if not by_period:
        return ()
    first, last = min(end for _, end in by_period), max(end for _, end in by_period)
    found: list[SurveyPeriod] = []
    for end in _period_ends(first, last, period):
        label, _ = period_of(end, period)
        found.append(_period(kind, label, end, by_period.get((label, end), [])))
    return tuple(found)


def _period_ends(first: dt.date, last: dt.date, period: str) -> Iterator[dt.date]:
    """The last day of each month or quarter from ``first``'s to ``last``'s (counted, never past 9999)."""
    step = 3 if period == "quarter" else 1
    month = first.year * 12 + first.month - 1
    while True:
        year, month_of_year = divmod(month, 12)
        end = dt.date(year, month_of_year + 1, calendar.monthrange(year, month_of_year + 1)[1])
        yield end
        if end >= last:
            return
        month += step


def _period(kind: str, label: str, end: dt.date, scores: Sequence[int]) -> SurveyPeriod:
    if not scores:
        return SurveyPeriod(label, end, 0, None, None, None)
    value, low, high = _ESTIMATES[kind](scores)
    return SurveyPeriod(label, end, len(scores), value, low, high)


def nps(scores: Sequence[int]) -> tuple[float, float, float]:
    """% promoters (9-10) minus % detractors (0-6), with an adjusted-Wald interval."""
    n = len(scores)
    promoters, detractors = sum(s >= 9 for s in scores), sum(s <= 6 for s in scores)
    value = 100 * (promoters - detractors) / n
    adjusted_n = n + 3
    p, d = (promoters + 1) / adjusted_n, (detractors + 1) / adjusted_n
    centre = p - d
    margin = Z95 * math.sqrt((p + d - centre ** 2) / adjusted_n)
    return _rounded(value, max(-100.0, 100 * (centre - margin)), min(100.0, 100 * (centre + margin)), 1)


def csat(scores: Sequence[int]) -> tuple[float, float, float]:
    """% of 4 and 5 on a 1-5 scale, with the Wilson score interval."""
    n = len(scores)
    share = sum(s >= 4 for s in scores) / n
    z2 = Z95 ** 2
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    margin = Z95 * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return _rounded(100 * share, max(0.0, 100 * (centre - margin)), min(100.0, 100 * (centre + margin)), 1)


def ces(scores: Sequence[int]) -> tuple[float, float | None, float | None]:
    """The mean on a 1-7 scale, with a t interval (none for one response)."""
    n = len(scores)
    mean = sum(scores) / n
    if n < 2:
        return round(mean, 2), None, None
    spread = math.sqrt(sum((s - mean) ** 2 for s in scores) / (n - 1))
    margin = t95(n - 1) * spread / math.sqrt(n)
    return _rounded(mean, max(1.0, mean - margin), min(7.0, mean + margin), 2)


def _rounded(value: float, low: float, high: float, places: int) -> tuple[float, float, float]:
    return round(value, places), round(low, places), round(high, places)


_ESTIMATES = {"nps": nps, "csat": csat, "ces": ces}


MAX_YEARS = 100
"""A survey's answers span at most this many years: what a metrics page can be asked to show."""
_SCORE = re.compile(r"[0-9]{1,2}")


def read_answers(table: CsvTable, kind: str, shown: str) -> tuple[list[tuple[dt.date, int]], list[ContentError]]:
    """Each row's (day, score), and a located error for each row that has no real date or an off-scale score.

    A row whose score is blank is a response that skipped the question: it is not counted."""
    low, high = SCALES[kind]
    missing = table.missing(("date", "score"))
    if missing:
        return [], [ContentError(shown, 1, 1, f"missing column{'s' * (len(missing) > 1)} {', '.join(missing)}: "
                                              "a responses file has a header line naming 'date' and 'score'")]
    answers, lines, problems = [], [], []
    for row in table.rows:
        text, day_text = row.values.get("score", ""), row.values.get("date", "")
        if not text:
            continue
        day = _day(day_text)
        if day is None:
            problems.append(ContentError(shown, row.line, 1,
                                         f"'date' must be a date like 2026-03-31, not '{_shortened(day_text)}'"))
        elif not (_SCORE.fullmatch(text) and low <= int(text) <= high):
            problems.append(ContentError(shown, row.line, 1,
                                         f"'score' must be a whole number from {low} to {high} for {kind.upper()}, "
                                         f"not '{_shortened(text)}'"))
        else:
            answers.append((day, int(text)))
            lines.append(row.line)
    problems.extend(_outside_span(answers, lines, shown))
    return answers, problems


def _outside_span(answers: list[tuple[dt.date, int]], lines: list[int], shown: str) -> list[ContentError]:
    """An error at each answer dated more than MAX_YEARS before the latest one."""
    if not answers:
        return []
    latest = max(day for day, _ in answers)
    earliest_allowed = dt.date(max(latest.year - MAX_YEARS, 1), latest.month, 1)
    return [ContentError(shown, line, 1, f"'date' {day.isoformat()} is more than {MAX_YEARS} years before the "
                                         f"latest response ({latest.isoformat()}); check the dates")
            for (day, _), line in zip(answers, lines, strict=True) if day < earliest_allowed]


def _shortened(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


def _day(text: str) -> dt.date | None:
    """YYYY-MM-DD, optionally followed by a time (survey tools export timestamps)."""
    day = date_part(text)
    if len(day) != 10 or not day.isascii():
        return None
    try:
        return dt.date.fromisoformat(day)
    except ValueError:
        return None


SurveyRead = tuple["Survey | None", tuple[ContentError, ...]]
"""A metric's survey and the problems of its responses file (None when it has any)."""


def survey_of(fields: Metric, data: bytes, shown: str) -> SurveyRead:
    """The survey the responses file's bytes give the metric, or the file's problems."""
    assert fields.responses is not None
    try:
        table = read_csv(data, shown)
    except ContentError as error:
        return None, (error,)
    answers, problems = read_answers(table, fields.kind, shown)
    periods = summarise(fields.kind, fields.period, answers)
    if not periods and not problems:
        problems.append(ContentError(shown, 1, 1, "no responses with a score: a survey metric needs at least one"))
    if problems:
        return None, tuple(problems)
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return Survey(fields.responses, fields.period, periods, digest, fields.min_responses), ()


def read_survey(document: Document, data_files: Mapping[str, DataFile]) -> SurveyRead:
    """The survey of a metric naming responses; None, with the reasons, when the file is missing or has
    errors (a run with errors stops before any page is made).

    ``data_files``: the data files discovery found, by content path."""
    fields = document.fields
    assert isinstance(fields, Metric) and fields.responses is not None
    if fields.kind not in SCALES:
        return None, ()  # model/rules.py reports it
    data_file = data_files.get(fields.responses)
    if data_file is None:
        line, column = document.value_place("responses")
        return None, (ContentError(document.path, line, column,
                                   f"no such file: '{fields.responses}' in the content folder"),)
    try:
        data = data_file.absolute.read_bytes()
    except OSError as exc:
        return None, (ContentError(data_file.path, 1, 1, f"cannot read file: {exc.strerror}"),)
    return survey_of(fields, data, data_file.path)


def read_surveys(documents: Mapping[str, Document | None], keys: Iterable[str],
                 data_files: Mapping[str, DataFile]) -> dict[str, SurveyRead]:
    """The responses of each metric among ``keys`` that names them, read (documents that failed to
    load are None). A second file read beside the first: a document stays a function of its own
    file's bytes (what the cache and the worker processes rely on), and the survey joins the corpus."""
    found = {}
    for key in keys:
        document = documents.get(key)
        if document is not None and isinstance(document.fields, Metric) and document.fields.responses is not None:
            found[key] = read_survey(document, data_files)
    return found


def stray_data_files(documents: Mapping[str, Document | None], data_files: Mapping[str, DataFile]
                     ) -> list[ContentError]:
    """An error at each data file no metric names: a stray export is refused rather than left unexplained.
    Not judged while a metric file cannot be read (it may be the one naming it)."""
    metrics = {key: doc for key, doc in documents.items() if doc is None or isinstance(doc.fields, Metric)}
    if any(doc is None and key.startswith(f"{_METRICS}/") for key, doc in metrics.items()):
        return []
    named = {doc.fields.responses for doc in metrics.values() if doc is not None and isinstance(doc.fields, Metric)}
    return [ContentError(data_file.path, 1, 1,
                         "no metric names this file; a survey metric's 'responses' key names its CSV of responses")
            for name, data_file in data_files.items() if name not in named]
