"""Evidence as teams really have it (issue 23): exports from real tools imported with the command lines
docs/feedback-loop.md gives, scores read on their scale, ids per source, rows found by their content,
survey answers without personal data, customer value on the priorities page, and `link`."""

from __future__ import annotations

import csv
import io
import re
import shlex
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmapgen.commands.importing import scales
from roadmapgen.commands.importing.dates import formats_reading
from roadmapgen.errors import Report
from roadmapgen.kinds.front_matter import Feedback
from roadmapgen.model.loading import load_project
from tests.conftest import REPO, copy_example
from tests.helpers import exports
from tests.helpers.sitefiles import replace_in, text_of, write_files

DOC = REPO / "docs/feedback-loop.md"


def documented_commands() -> list[list[str]]:
    """Every `roadmapgen import` command line of docs/feedback-loop.md that reads a file under exports/."""
    text = DOC.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for block in re.findall(r"```sh\n(.*?)```", text, re.S) for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("roadmapgen import ") and " exports/" in line]


@pytest.fixture
def exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example project, its CSAT metric taking responses (as the Google Forms recipe says), the exports
    beside it, the working folder in it."""
    project = copy_example(tmp_path / "example")
    replace_in(project / "content/metrics/csat.yaml", "points:", "responses: metrics/csat-responses.csv\nold_points:")
    csat = project / "content/metrics/csat.yaml"
    csat.write_text(csat.read_text().split("old_points:")[0])
    exports.write_exports(project)
    monkeypatch.chdir(project)
    return project


def _feedback(project: Path) -> dict[str, Feedback]:
    loaded = load_project(project, Report())
    assert loaded is not None
    return {key: doc.fields for key, doc in loaded.corpus.documents.items() if isinstance(doc.fields, Feedback)}


def test_every_documented_export_imports_with_its_command_line(exported: Path, run_cli) -> None:
    commands = documented_commands()
    assert {command[2] for command in commands} == set(exports.EXPORTS)  # each export has its recipe
    before = {f"feedback/{path.stem}" for path in (exported / "content/feedback").iterdir()}
    for command in commands:
        result = run_cli(*command)
        assert result.code == 0 and result.err == "", (command, result.err)
    assert run_cli("check", ".", "--strict").code == 0
    entries = {key: fields for key, fields in _feedback(exported).items() if key not in before}

    # Delighted: a row per comment (rows without one are scores, not feedback); sentiment from the score.
    rows = list(csv.DictReader(io.StringIO(exports.delighted().decode("utf-8-sig"))))
    with_comment = [row for row in rows if row["Comment"]]
    delighted = {fields.import_id: fields for fields in entries.values() if fields.source == "survey"
                 and fields.import_id and fields.import_id.isdigit()}
    assert len(delighted) == len(with_comment) == 160 - sum(1 for row in rows if not row["Comment"])
    sample = delighted["40002"]  # score 3: a detractor; "$26,400"-style revenue from its company
    assert (sample.sentiment, sample.customer, sample.plan, sample.date.isoformat()) == (
        "negative", "Fernway Outdoors", "Growth", "2026-11-03")
    assert sample.revenue == 9600 and sample.segment == "Growth plan, 5–20 agents"
    assert delighted["40000"].quote == "Love the shared inbox 😍"
    assert delighted["40004"].quote == "Good, but:\nthe mobile app crashes\nwhen attaching photos"

    # Zendesk and HubSpot both have a record 88125: two sources, two entries.
    collided = sorted(fields.source for fields in entries.values() if fields.import_id == "88125")
    assert collided == ["sales", "support"]
    zendesk = {fields.import_id: fields for fields in entries.values() if fields.source == "support"}
    assert zendesk["88125"].items == ("slack-integration",) and zendesk["88125"].sentiment == "positive"
    assert zendesk["88126"].sentiment == "negative" and zendesk["88127"].sentiment is None  # Offered
    hubspot = next(fields for fields in entries.values() if fields.source == "sales" and fields.import_id == "88125")
    assert hubspot.revenue == 172800 and hubspot.extra == {"industry": "Logistics"}

    # Google Forms: US dates, items by title, words for satisfaction; rows without a suggestion skipped.
    forms = sorted((f.date.isoformat(), f.sentiment, f.items) for f in entries.values()
                   if f.import_id and f.import_id.startswith("row-"))
    assert forms == [("2026-11-28", "positive", ()), ("2026-12-03", "positive", ("slack-integration",)),
                     ("2026-12-04", "negative", ("saml-sso",))]

    # Responses: date, score and a hash; nothing personal anywhere in the content.
    csat = (exported / "content/metrics/csat-responses.csv").read_text()
    assert csat.splitlines()[0] == "date,score,id" and len(csat.splitlines()) == 5
    assert [line.split(",")[:2] for line in csat.splitlines()[1:]] == [
        ["2026-12-03", "5"], ["2026-12-04", "1"], ["2026-12-04", "3"], ["2026-11-28", "5"]]
    content = b"".join(path.read_bytes() for path in (exported / "content").rglob("*") if path.is_file())
    assert not [text for text in exports.PERSONAL if text.encode() in content]

    # Every command again: nothing new.
    for command in commands:
        again = run_cli(*command)
        assert again.code == 0
        assert re.search(r": 0 (created|added),", again.out), (command, again.out)


def test_a_rerun_without_the_id_mapping_finds_the_rows_by_their_content(exported: Path, run_cli) -> None:
    command = next(command for command in documented_commands() if command[2] == "exports/delighted.csv")
    assert run_cli(*command).code == 0
    without_id = [part for index, part in enumerate(command)
                  if part != "--map" or not command[index + 1].startswith("import_id=")]
    without_id = [part for part in without_id if not part.startswith("import_id=")]
    files = set((exported / "content/feedback").iterdir())
    again = run_cli(*without_id)
    assert again.code == 0, again.err
    assert set((exported / "content/feedback").iterdir()) == files
    assert re.search(r"exports/delighted.csv:\d+: already imported as content/feedback/\S+ under another id",
                     again.out)
    assert "0 created" in again.out and "map import_id to the column the first import used" in again.out


def test_a_date_in_another_format_names_the_option_that_reads_it(exported: Path, run_cli) -> None:
    result = run_cli("import", "feedback", "exports/google-forms.csv", "--source", "survey", "--map",
                     "date=Timestamp", "--map", "quote=What should we build next?", "--dry-run")
    assert result.code == 1
    assert "exports/google-forms.csv:2:1: error: 'date' must be a date like 2026-03-31, not '12/3/2026 15:40:12'; " \
           "for other formats give --date-format '%m/%d/%Y %H:%M:%S'" in result.err
    assert formats_reading(["Nov 28, 2026 9:02 AM", "Dec 1, 2026 10:15 PM"])[0] == "%b %d, %Y %I:%M %p"
    wrong = run_cli("import", "feedback", "exports/google-forms.csv", "--source", "survey", "--date-format", "%H:%M")
    assert wrong.code == 2 and "needs a year (%Y), a month (%m, %b or %B) and a day (%d)" in wrong.err


def test_a_score_mapped_as_a_sentiment_says_how_to_read_it(exported: Path, run_cli) -> None:
    result = run_cli("import", "feedback", "exports/typeform.csv", "--source", "survey", "--map", "sentiment=#",
                     "--map", f"sentiment={exports.TYPEFORM_NPS}", "--map", "date=Submitted At", "--dry-run")
    assert result.code == 1
    assert "'sentiment' must be positive, neutral or negative, not '10'; for a column of scores give " \
           "--sentiment-from COLUMN" in result.err


def test_items_by_title_with_suggestions(exported: Path, run_cli) -> None:
    (exported / "rows.csv").write_text("date,source,items,quote\n"
                                       "2026-11-01,survey,Reply to tickets from Slak,a\n"
                                       "2026-11-02,survey,\"single sign-on  with saml; dark-mode\",b\n")
    result = run_cli("import", "feedback", "rows.csv", "--dry-run")
    assert result.code == 1
    assert result.err.splitlines() == [
        "rows.csv:2:1: error: 'items': 'Reply to tickets from Slak' is neither an item's slug nor its title (did "
        "you mean 'Reply to tickets from Slack', slack-integration?)"]
    assert "Would create" in result.out and "1 would be created" in result.out


def test_a_dry_run_writes_nothing(exported: Path, run_cli) -> None:
    before = {path: path.read_bytes() for path in (exported / "content").rglob("*") if path.is_file()}
    for command in documented_commands():
        assert run_cli(*command, "--dry-run").code == 0
    assert {path: path.read_bytes() for path in (exported / "content").rglob("*") if path.is_file()} == before


def test_responses_refuse_what_a_metric_cannot_count(exported: Path, run_cli) -> None:
    (exported / "ces.csv").write_text("when,answer\n2026-11-02,Easy\n")
    on_points = run_cli("import", "responses", "ces.csv", "ces", "--map", "date=when", "--map", "score=answer")
    assert on_points.code == 2 and "the metric has no responses file" in on_points.err
    replace_in(exported / "content/metrics/ces.yaml", "points:", "responses: metrics/ces-responses.csv\nx:")
    ces = exported / "content/metrics/ces.yaml"
    ces.write_text(ces.read_text().split("x:")[0])
    words = run_cli("import", "responses", "ces.csv", "ces", "--map", "date=when", "--map", "score=answer")
    assert words.code == 1 and "a CES is a mean of scores: words cannot stand in for them" in words.err
    assert not (exported / "content/metrics/ces-responses.csv").exists()
    unknown = run_cli("import", "responses", "ces.csv", "cse")
    assert unknown.code == 2 and "no metric 'cse' (did you mean 'ces'?)" in unknown.err


# -- the class: every score and word ---------------------------------------------------------------

@given(st.sampled_from(["nps", "csat", "ces"]), st.integers(-5, 15))
def test_every_score_lands_in_the_band_the_docs_give(scale: str, score: int) -> None:
    low, high = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}[scale]
    bands = {"nps": (9, 7), "csat": (4, 3), "ces": (5, 4)}[scale]
    if not low <= score <= high:
        with pytest.raises(ValueError):
            scales.sentiment_of(str(score), scale)  # type: ignore[arg-type]
        return
    expected = "positive" if score >= bands[0] else "neutral" if score >= bands[1] else "negative"
    assert scales.sentiment_of(str(score), scale) == expected  # type: ignore[arg-type]


@given(st.text(max_size=30))
def test_any_answer_is_a_sentiment_no_answer_or_a_clear_error(cell: str) -> None:
    try:
        found = scales.sentiment_of(cell, "words")
    except ValueError as exc:
        assert "is not an answer roadmapgen knows" in str(exc)
    else:
        assert found in ("positive", "neutral", "negative", None)


def test_the_scale_is_told_from_the_name_then_the_scores() -> None:
    assert scales.guess_scale("How likely are you to recommend us?", ["1", "2"]) == "nps"
    assert scales.guess_scale("Score", ["1", "5", "", "Offered"]) == "csat"
    assert scales.guess_scale("Score", ["6", "7"]) == "ces"
    assert scales.guess_scale("Score", ["0", "4"]) == "nps"
    assert scales.guess_scale("Rating", ["Good", "Bad"]) == "words"


# -- customer value ------------------------------------------------------------------------------

VALUE_PROJECT = {
    "roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/\ncurrency: EUR\n"
                       "research: {target_segments: [Growth]}\n",
    "content/roadmap/alpha.md": "---\ntitle: Alpha\nstatus: planned\nhorizon: now\n"
                                "rice: {reach: 10, impact: 1, confidence: 1, effort: 1}\n---\n",
    "content/roadmap/beta.md": "---\ntitle: Beta\nstatus: planned\nhorizon: next\n---\n",
    # Acme: three entries on alpha, its revenue given twice (the latest, 1,000, counts), once per item.
    "content/feedback/a1.md": "---\ndate: 2026-01-01\nsource: support\ncustomer: Acme\nrevenue: 500\n"
                              "items: [alpha]\n---\n",
    "content/feedback/a2.md": "---\ndate: 2026-02-01\nsource: support\ncustomer: ACME \nitems: [alpha]\n---\n",
    "content/feedback/a3.md": "---\ndate: 2026-03-01\nsource: sales\ncustomer: acme\nrevenue: 1000\n"
                              "items: [alpha, beta]\n---\n",
    # Globex: in the target segment, 2,000.
    "content/feedback/g1.md": "---\ndate: 2026-03-02\nsource: interview\ncustomer: Globex\nsegment: Growth\n"
                              "revenue: 2000\nitems: [beta]\n---\n",
    # Initech: no revenue on record; an entry without a customer counts as evidence only.
    "content/feedback/i1.md": "---\ndate: 2026-03-03\nsource: survey\ncustomer: Initech\nitems: [alpha]\n---\n",
    "content/feedback/n1.md": "---\ndate: 2026-03-04\nsource: survey\nitems: [alpha]\n---\n",
}


def test_customer_value_counts_each_customer_once_per_item(tmp_path: Path, run_cli) -> None:
    project = write_files(tmp_path / "p", VALUE_PROJECT)
    assert run_cli("build", project, "--out", tmp_path / "out").code == 0
    page = text_of(tmp_path / "out/internal/priorities/index.html")
    # Alpha: 5 entries, customers Acme and Initech; revenue 1,000 (Acme once, at its latest), Initech unknown.
    assert re.search(r"1 Alpha .* 10 0 5 2 €1,000 \(1 without revenue\) 0 ", page), page
    demand = page[page.index("Demand by customer value"):]
    rows = re.findall(r"(Alpha|Beta) Internal only Planned (\d+) (\S+) (\d+) (€[\d,]+|—)", demand)
    # Beta first: Globex (target, €2,000) and Acme (€1,000); then Alpha (no target customer).
    assert rows == [("Beta", "1", "€2,000", "2", "€3,000"), ("Alpha", "0", "—", "2", "€1,000")]


# -- link --------------------------------------------------------------------------------------

LINK_FILES = {
    # A block list with comments and odd spacing, Windows line ends and a BOM.
    "content/feedback/block.md": "\ufeff---\r\n# imported 2026-11\r\ndate: 2026-11-01   # the call\r\nsource: "
                                 "support\r\ntags: [Routing, sla]\r\nitems:\r\n  - alpha    # first ask\r\n"
                                 "# keep this comment\r\nquote: 'It''s slow'\r\n---\r\nBody *stays*.\r\n",
    "content/feedback/flow.md": "---\ndate: 2026-11-02\nsource: survey\ntags: [routing]\nitems: [ alpha ]  # x\n"
                                "---\n",
    "content/feedback/none.md": "---\ndate: 2026-11-03\nsource: sales\ntags: [routing]\nquote: |\n  two\n  lines\n"
                                "---\n",
    "content/feedback/done.md": "---\ndate: 2026-11-04\nsource: sales\ntags: [routing]\nitems: [beta]\n---\n",
    "content/feedback/other.md": "---\ndate: 2026-11-05\nsource: sales\ntags: [billing]\n---\n",
    "content/feedback/old.md": "---\ndate: 2026-01-05\nsource: sales\ntags: [routing]\n---\n",
    # A flow mapping: no line can be added without breaking it.
    "content/feedback/flowmap.md": "---\n{date: 2026-11-06, source: sales, tags: [routing]}\n---\n",
}


def test_link_edits_only_the_items_and_refuses_what_would_break(small_project: Path, run_cli) -> None:
    write_files(small_project, {})
    for name, text in LINK_FILES.items():
        path = small_project / name
        path.write_bytes(text.encode())
    before = {name: (small_project / name).read_bytes() for name in LINK_FILES}
    dry = run_cli("link", "Beta", small_project, "--feedback-tag", "ROUTING", "--since", "2026-11-01", "--dry-run")
    assert {(small_project / name).read_bytes() for name in LINK_FILES} == set(before.values())
    result = run_cli("link", "Beta", small_project, "--feedback-tag", "ROUTING", "--since", "2026-11-01")
    assert result.code == 1
    assert dry.out.replace("Would link", "Linked").replace("would be linked", "linked") == result.out
    assert "content/feedback/flowmap.md" in result.err and "left as it is" in result.err
    after = {name: (small_project / name).read_bytes() for name in LINK_FILES}
    assert after["content/feedback/block.md"] == before["content/feedback/block.md"].replace(
        b"  - alpha    # first ask\r\n", b"  - alpha    # first ask\r\n  - beta\r\n")
    assert after["content/feedback/flow.md"] == before["content/feedback/flow.md"].replace(
        b"items: [ alpha ]", b"items: [ alpha, beta ]")
    assert after["content/feedback/none.md"] == before["content/feedback/none.md"].replace(
        b"  lines\n---", b"  lines\nitems: [beta]\n---")
    for untouched in ("done.md", "other.md", "old.md", "flowmap.md"):
        assert after[f"content/feedback/{untouched}"] == before[f"content/feedback/{untouched}"]
    assert "beta: 3 linked, 1 already linked, 1 left as they were." in result.out
    fields = _feedback(small_project)
    assert fields["feedback/block"].items == ("alpha", "beta") and fields["feedback/block"].quote == "It's slow"
    assert fields["feedback/none"].quote == "two\nlines\n"
    unknown = run_cli("link", "Betta", small_project, "--feedback-tag", "routing")
    assert unknown.code == 2
    assert "'Betta' is neither an item's slug nor its title (did you mean 'Beta', beta?)" in unknown.err


_COMMENT = st.sampled_from(["", "  # note", "   #: x", " # ü ✓"])


@st.composite
def feedback_files(draw: st.DrawFn) -> tuple[str, tuple[str, ...]]:
    """A feedback file written any way a person might: key order, comments, quoting, list styles, line ends."""
    end = draw(st.sampled_from(["\n", "\r\n"]))
    items = draw(st.lists(st.sampled_from(["alpha", "gamma", "delta"]), unique=True, max_size=3))
    date = draw(st.sampled_from(["2026-11-01", '"2026-11-01"']))
    source = draw(st.sampled_from(["survey", '"survey"', "'survey'"]))
    tag = draw(st.sampled_from(["routing", "Routing", '"routing"']))
    quote = draw(st.sampled_from(["plain words", '"quoted: yes"', "|\n  block\n  text"]))
    lines = [f"date: {date}{draw(_COMMENT)}", f"source: {source}{draw(_COMMENT)}", f"tags: [{tag}]{draw(_COMMENT)}",
             f"quote: {quote}"]
    style = draw(st.sampled_from(["flow", "block", "absent"]))
    if style == "flow" or (style == "block" and not items):
        lines.append(f"items: [{', '.join(items)}]{draw(_COMMENT)}")
    elif style == "block":
        indent = draw(st.sampled_from(["", "  ", "    "]))
        lines.append("items:" + "".join(f"\n{indent}- {slug}{draw(_COMMENT)}" for slug in items))
    order = draw(st.permutations(lines))
    extra = draw(st.lists(st.sampled_from(["# a comment line", "", "#"]), max_size=2))
    front = "\n".join([*extra, *order]).replace("\n", end)
    return f"---{end}{front}{end}---{end}Body{end}", tuple(items) if style != "absent" else ()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=feedback_files())
def test_link_keeps_every_byte_but_the_item_it_adds(small_project: Path, case: tuple[str, tuple[str, ...]]) -> None:
    from roadmapgen.commands.link import Selection, link_feedback
    from roadmapgen.load.discover import discover

    text, items = case
    path = small_project / "content/feedback/any.md"
    path.write_bytes(text.encode())
    files, _ = discover(small_project, small_project / "content")
    result = link_feedback(files, "beta", Selection(frozenset({"routing"})))
    after = path.read_bytes().decode()
    if result.problems:
        assert after == text  # refused: untouched
        return
    assert result.linked == ["content/feedback/any.md"]
    read = _feedback(small_project)["feedback/any"]
    assert read.items == (*items, "beta")
    # Removing what link added gives back the file: one ", beta", "beta", "- beta" line or "items: [beta]" line.
    candidates = {after.replace(", beta", "", 1), after.replace("[beta]", "[]", 1)}
    candidates |= {re.sub(r"(\r?\n)[ ]*- beta(?=\r?\n)", "", after, count=1),
                   re.sub(r"items: \[beta\](\r?\n)(?=---)", "", after, count=1)}
    assert text in candidates, (text, after)
