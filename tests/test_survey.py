"""Survey metrics computed from a CSV of raw responses (issue 14, part 2)."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmapgen.kinds.source import SourceFile
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.read import parse_document
from roadmapgen.model.survey import ces, csat, nps, summarise, survey_of
from tests.helpers.sitefiles import write_files

D = dt.date


def answers(*pairs: tuple[str, int]) -> list[tuple[dt.date, int]]:
    return [(D.fromisoformat(day), score) for day, score in pairs]


def test_nps_is_promoters_minus_detractors() -> None:
    # 10 and 9 promote, 8 and 7 are passive, 6 and 0 detract: 2 - 2 of 6 = 0.
    assert nps([10, 9, 8, 7, 6, 0])[0] == 0.0
    # 3 promoters, 1 passive, 1 detractor of 5: 60% - 20% = 40.
    assert nps([9, 9, 10, 8, 3])[0] == 40.0
    assert nps([0, 1, 2])[0] == -100.0


def test_csat_is_the_share_of_fours_and_fives_with_the_wilson_interval() -> None:
    # 2 of 4: the Wilson 95% interval is 15.0% to 85.0% (a textbook value).
    assert csat([5, 4, 3, 1]) == (50.0, 15.0, 85.0)
    assert csat([5, 5, 5, 5, 5, 5, 5, 5, 5, 1])[0] == 90.0


def test_ces_is_the_mean_with_a_t_interval() -> None:
    # Mean 2, standard deviation 1, n 3: 2 ± 4.303 / sqrt(3) = 2 ± 2.48, clipped at 1 below.
    assert ces([1, 2, 3]) == (2.0, 1.0, 4.48)
    # 40 answers of 4 and 5 alternating: mean 4.5, sd 0.5064, t(39) 2.0227: 4.5 ± 0.16.
    value, low, high = ces([4, 5] * 20)
    assert (value, low, high) == (4.5, 4.34, 4.66)


def test_a_single_response_has_a_value_and_an_honest_interval() -> None:
    assert nps([10]) == (100.0, -56.3, 100.0)   # adjusted Wald: one extra of each group
    assert csat([5]) == (100.0, 20.7, 100.0)    # Wilson for 1 of 1
    assert ces([3]) == (3.0, None, None)        # no spread to measure from one answer


def test_periods_run_from_the_first_answer_to_the_last_with_empty_ones_kept() -> None:
    periods = summarise("nps", "month", answers(("2026-01-05", 10), ("2026-01-30", 3), ("2026-03-02", 9)))
    assert [(p.label, p.end, p.responses, p.value) for p in periods] == [
        ("2026-01", D(2026, 1, 31), 2, 0.0),
        ("2026-02", D(2026, 2, 28), 0, None),
        ("2026-03", D(2026, 3, 31), 1, 100.0),
    ]
    assert periods[1].low is None and periods[1].high is None


def test_quarters_group_three_months() -> None:
    periods = summarise("csat", "quarter", answers(("2026-01-05", 5), ("2026-03-31", 2), ("2026-04-01", 4)))
    assert [(p.label, p.end, p.responses, p.value) for p in periods] == [
        ("2026-Q1", D(2026, 3, 31), 2, 50.0),
        ("2026-Q2", D(2026, 6, 30), 1, 100.0),
    ]


@given(st.lists(st.integers(0, 10), min_size=1, max_size=300))
def test_any_nps_lies_on_its_scale_inside_its_interval(scores: list[int]) -> None:
    value, low, high = nps(scores)
    assert -100 <= low <= high <= 100
    assert low - 0.1 <= value <= high + 0.1 or len(scores) < 3


SURVEY = {
    "content/metrics/nps.yaml": ("name: NPS\nkind: nps\nvisibility: public\nresponses: metrics/answers.csv\n"
                                 "min_responses: 3\n"),
    "content/metrics/answers.csv": (
        "id,date,score,comment\n"
        "1,2026-01-03,10,secretcomment one\n"
        "2,2026-01-20 14:02:11,6,\"multi\nline secretcomment\"\n"
        "3,2026-01-21T09:00:00Z,9,\n"
        "4,2026-03-01,8,\n"
        "5,2026-03-02,,skipped the question\n"
    ),
}


def test_a_survey_metric_shows_counts_internally_and_values_alone_publicly(
        small_project: Path, out_dir: Path, run_cli) -> None:
    write_files(small_project, SURVEY)
    result = run_cli("build", small_project, "--out", out_dir)
    assert result.code == 0, result.out + result.err
    internal = (out_dir / "internal/metrics/index.html").read_text()
    assert "4 responses in <code>metrics/answers.csv</code>, by month" in internal
    assert "2026-01</time></th><td class=\"rg-num\">33.3</td><td class=\"rg-num\">3</td>" in internal
    assert "No responses" in internal  # February
    assert "<strong>Not shown</strong>: 1 answer, fewer than 3" in internal  # March
    public = (out_dir / "public/metrics/index.html").read_text()
    assert "33.3" in public and "answers.csv" not in public and "responses" not in public.lower()
    assert "2026-03-31" not in public  # March has one answer: that customer's own score, never published
    for site in ("internal", "public"):
        everything = b"".join(p.read_bytes() for p in (out_dir / site).rglob("*") if p.is_file())
        assert b"secretcomment" not in everything
        assert not list((out_dir / site).rglob("*.csv"))


@pytest.mark.parametrize(("files", "expected"), [
    ({"content/metrics/answers.csv": "date,score\n2026-01-03,10\n2026-01-04,11\n"},
     "content/metrics/answers.csv:3:1: error: 'score' must be a whole number from 0 to 10 for NPS, not '11'"),
    # The quoted score spans lines 2 and 3, so the row after it starts on line 4.
    ({"content/metrics/answers.csv": "date,score\n2026-01-03,\"9\n\"\n2026-01-04,9.5\n"},
     "content/metrics/answers.csv:4:1: error: 'score' must be a whole number from 0 to 10 for NPS, not '9.5'"),
    ({"content/metrics/answers.csv": "date,score\n2026-01-03,7\n03/01/2026,9\n"},
     "content/metrics/answers.csv:3:1: error: 'date' must be a date like 2026-03-31, not '03/01/2026'"),
    ({"content/metrics/answers.csv": "when,rating\n2026-01-03,7\n"},
     "content/metrics/answers.csv:1:1: error: missing columns date, score: a responses file has a header line "
     "naming 'date' and 'score'"),
    ({"content/metrics/answers.csv": "date,score\n"},
     "content/metrics/answers.csv:1:1: error: no responses with a score: a survey metric needs at least one"),
    ({"content/metrics/nps.yaml": "name: NPS\nkind: nps\nresponses: metrics/missing.csv\n"},
     "content/metrics/nps.yaml:3:12: error: no such file: 'metrics/missing.csv' in the content folder"),
    ({"content/metrics/nps.yaml": "name: NPS\nkind: nps\nresponses: ../secrets.csv\n"},
     "content/metrics/nps.yaml:3:12: error: 'responses' must name a CSV file in metrics/, like "
     "metrics/nps-responses.csv, not '../secrets.csv'"),
    ({"content/metrics/nps.yaml": "name: NPS\nkind: kpi\nresponses: metrics/answers.csv\n"},
     "content/metrics/nps.yaml:3:12: error: 'responses' needs a survey metric: kind nps, csat or ces (a kpi has "
     "no scale)"),
    ({"content/metrics/nps.yaml": "name: NPS\nkind: nps\nresponses: metrics/answers.csv\n"
                                  "points: [{date: 2026-01-31, value: 3}]\n"},
     "content/metrics/nps.yaml:4:9: error: give either 'points' or 'responses', not both: values come from the "
     "responses"),
    ({"content/metrics/nps.yaml": "name: NPS\nkind: nps\n"},
     "content/metrics/nps.yaml:1:1: error: missing required key 'points' (a list of {date, value}), or "
     "'responses' naming a CSV of survey responses"),
    ({"content/metrics/answers.csv": "date,score\n2026-01-03,--5\n"},
     "content/metrics/answers.csv:2:1: error: 'score' must be a whole number from 0 to 10 for NPS, not '--5'"),
    ({"content/metrics/answers.csv": "date,score\n2026-01-03,\u00b2\n"},
     "content/metrics/answers.csv:2:1: error: 'score' must be a whole number from 0 to 10 for NPS, not '\u00b2'"),
    ({"content/metrics/answers.csv": "date,score\n2026-01-03,\u0663\n"},
     "content/metrics/answers.csv:2:1: error: 'score' must be a whole number from 0 to 10 for NPS, not '\u0663'"),
    ({"content/metrics/answers.csv": "date,score\n2026-01-03," + "9" * 5000 + "\n"},
     "content/metrics/answers.csv:2:1: error: 'score' must be a whole number from 0 to 10 for NPS, not '"
     + "9" * 40 + "…'"),
    ({"content/metrics/answers.csv": "date,score\n\u0662\u0660\u0662\u0666-01-03,5\n"},
     "content/metrics/answers.csv:2:1: error: 'date' must be a date like 2026-03-31, not "),
    ({"content/metrics/answers.csv": "date,score\n0001-01-01,5\n2026-01-03,7\n9999-12-31,9\n"},
     "content/metrics/answers.csv:2:1: error: 'date' 0001-01-01 is more than 100 years before the latest response "
     "(9999-12-31); check the dates"),
    ({"content/metrics/stray.csv": "date,score\n"},
     "content/metrics/stray.csv:1:1: error: no metric names this file; a survey metric's 'responses' key names "
     "its CSV of responses"),
])
def test_bad_responses_are_located_errors(files: dict[str, str], expected: str, small_project: Path,
                                          out_dir: Path, run_cli) -> None:
    write_files(small_project, {**SURVEY, **files})
    result = run_cli("build", small_project, "--out", out_dir)
    assert result.code == 1
    assert any(line.startswith(expected) for line in (result.out + result.err).splitlines()), result.err
    assert "Traceback" not in result.out + result.err
    assert not out_dir.exists()


@given(st.text(max_size=60))
def test_a_responses_path_can_only_name_a_csv_directly_in_metrics(value: str) -> None:
    """Any text 'responses' accepts names one visible file right in metrics/: never a folder above it."""
    from pydantic import TypeAdapter, ValidationError

    from roadmapgen.kinds.fields import ResponsesPath

    try:
        accepted = TypeAdapter(ResponsesPath).validate_python(value)
    except ValidationError:
        return
    folder, name = accepted.split("/", 1)
    assert folder == "metrics" and name.endswith(".csv") and not name.startswith(".")
    assert "/" not in name and "\\" not in name and posixpath.normpath(accepted) == accepted


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_in_a_responses_file_give_values_or_located_errors(data: bytes) -> None:
    """Whatever a responses file holds, the metric gets points only when the file has no problem,
    and every problem is located in the file; nothing raises."""
    document = parse_document(SourceFile("metric", "nps", "content/metrics/nps.yaml", "metrics/nps.yaml",
                                         Path("nps.yaml")),
                              b"name: NPS\nkind: nps\nresponses: metrics/answers.csv\n", BodyParser()).document
    assert document is not None
    survey, problems = survey_of(document.fields, data, "content/metrics/answers.csv")
    assert all(problem.path == "content/metrics/answers.csv" and problem.line >= 1 for problem in problems)
    if problems:
        assert survey is None
    else:
        assert survey is not None and survey.points()
        assert all(-100 <= point.value <= 100 for point in survey.points())


def test_a_survey_may_reach_the_last_day_a_date_can_have(small_project: Path, out_dir: Path, run_cli) -> None:
    write_files(small_project, {**SURVEY, "content/metrics/answers.csv": "date,score\n9999-12-31,9\n9999-10-01,3\n"})
    result = run_cli("build", small_project, "--out", out_dir)
    assert result.code == 0, result.err
    assert "9999-12" in (out_dir / "internal/metrics/index.html").read_text()


_DAYS = st.dates().map(dt.date.isoformat) | st.sampled_from(
    ["9999-12-31", "0001-01-01", "\u0662\u0660\u0662\u0666-01-03", "2026-02-30", "2026-01-03T25:00", ""])
_SCORES = (st.integers(min_value=-10**6, max_value=10**6).map(str)
           | st.sampled_from(["--5", "\u00b2", "\u0663", "9" * 5000, "1e1", " 5", "+5", "0x5", "5.0"])
           | st.text(alphabet="0123456789-\u0660\u0663\u00b2", max_size=8))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_DAYS, _SCORES), max_size=12), st.sampled_from(["nps", "csat", "ces"]),
       st.sampled_from(["month", "quarter"]))
def test_any_dates_and_scores_give_bounded_values_or_located_errors(rows: list[tuple[str, str]], kind: str,
                                                                   period: str) -> None:
    """Extreme dates, digits of other scripts, signs and huge numbers: a value per period, at most 100
    years of periods, or an error at the row's line; nothing raises."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([("date", "score"), *rows])
    yaml = f"name: S\nkind: {kind}\nresponses: metrics/answers.csv\nperiod: {period}\n".encode()
    document = parse_document(SourceFile("metric", "s", "content/metrics/s.yaml", "metrics/s.yaml", Path("s.yaml")),
                              yaml, BodyParser()).document
    assert document is not None
    survey, problems = survey_of(document.fields, out.getvalue().encode(), "content/metrics/answers.csv")
    assert all(1 <= problem.line <= len(rows) + 1 for problem in problems)
    if not problems:
        assert survey is not None and len(survey.periods) <= 100 * 12 + 12


# -- honest public numbers (issue 23) ------------------------------------------------------------

HONEST = {
    "content/metrics/nps.yaml": "name: NPS\nkind: nps\nvisibility: public\nresponses: metrics/answers.csv\n",
    "content/metrics/answers.csv": (
        "date,score\n"
        + "".join(f"2026-10-{day:02d},{9 if day % 3 else 4}\n" for day in range(1, 13))  # October: 12, ended
        + "".join(f"2026-11-{day:02d},10\n" for day in range(1, 7))  # November: ended, but 6 answers
        + "".join(f"2026-12-{day:02d},10\n" for day in range(1, 13))  # December: 12, not over on 6 Dec
        + "2027-01-15,10\n"  # dated after the build: a future period
    ),
}


def test_public_survey_values_are_only_ended_periods_with_enough_answers(small_project: Path, out_dir: Path,
                                                                       run_cli, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796515200")  # 2026-12-06
    write_files(small_project, HONEST)
    assert run_cli("build", small_project, "--out", out_dir).code == 0
    public = (out_dir / "public/metrics/index.html").read_text()
    shown = re.findall(r"<title>(\d{4}-\d{2}-\d{2}): ", public)
    assert shown == ["2026-10-31"]  # October alone: November is small, December partial, January future
    assert "33.3" in public  # October's NPS: 8 promoters, 4 detractors of 12
    internal = (out_dir / "internal/metrics/index.html").read_text()
    for label, reason in (("2026-11", "6 answers, fewer than 10"), ("2026-12", "the period is not over"),
                          ("2027-01", "the period is not over")):
        assert re.search(rf"{label}</time></th>.*?<strong>Not shown</strong>: {reason}</td>", internal), label
    assert "2026-10</time></th><td class=\"rg-num\">33.3</td><td class=\"rg-num\">12</td>" in internal


def test_a_survey_without_a_publishable_period_says_so_publicly(small_project: Path, out_dir: Path, run_cli,
                                                               monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796515200")  # 2026-12-06
    write_files(small_project, {**HONEST, "content/metrics/answers.csv": "date,score\n2026-12-01,10\n"})
    assert run_cli("build", small_project, "--out", out_dir).code == 0
    public = (out_dir / "public/metrics/index.html").read_text()
    assert "No value published yet." in public and "<svg" not in public.split("<main")[1]


def test_the_public_diff_publishes_no_partial_or_small_period(small_project: Path, run_cli) -> None:
    """The pull-request comment follows the public site: six answers from early December are not news."""
    from tests.helpers.gitrepo import git

    write_files(small_project, {**HONEST, "content/metrics/answers.csv": HONEST["content/metrics/answers.csv"]
                                .split("2026-11-01")[0]})
    git(small_project, "init", "-q", "-b", "main")
    git(small_project, "add", "-A")
    git(small_project, "commit", "-q", "-m", "october", day="2026-11-02")
    with (small_project / "content/metrics/answers.csv").open("a") as answers:
        answers.write("".join(f"2026-12-0{day},10\n" for day in range(1, 7)))
    git(small_project, "commit", "-q", "-am", "six December answers", day="2026-12-05")
    public = run_cli("diff", "HEAD~1..HEAD", small_project, "--audience", "public", "--format", "json")
    assert public.code == 0 and json.loads(public.out)["changes"] == []
    internal = run_cli("diff", "HEAD~1..HEAD", small_project, "--format", "json")
    assert [c["before"] for c in json.loads(internal.out)["changes"] if c["change"] == "points"] == [
        "1 new point, latest 100 on 2026-12-31"]
