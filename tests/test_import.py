"""`roadmapgen import feedback`: CSV rows in, checked feedback documents out, idempotently (issue 14, part 1)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmapgen.errors import Report
from roadmapgen.model.loading import load_project
from tests.conftest import REPO

EXAMPLE_IMPORT = ("import", "feedback", "imports/helpdesk-tickets-2026-11.csv", "--source", "support",
                  "--map", "import_id=Ticket ID", "--map", "date=Created at", "--map", "customer=Organization",
                  "--map", "quote=Subject", "--map", "items=Roadmap item", "--map", "body=Description")
"""The command docs/import.md shows, which made the example's support feedback."""


def rows_csv(*rows: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(name for row in rows for name in row)),
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_the_example_feedback_is_exactly_what_its_export_imports(example_project: Path, run_cli,
                                                                 monkeypatch) -> None:
    """Running the documented import on the example again finds every row already there."""
    (example_project / "imports").mkdir()
    (example_project / "imports/helpdesk-tickets-2026-11.csv").write_bytes(
        (REPO / "imports/helpdesk-tickets-2026-11.csv").read_bytes())
    monkeypatch.chdir(example_project)
    before = snapshot(example_project / "content")
    result = run_cli(*EXAMPLE_IMPORT)
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1] == ("imports/helpdesk-tickets-2026-11.csv: 0 created, 8 skipped (already "
                                           "imported), 0 rejected.")
    assert snapshot(example_project / "content") == before


def test_an_import_writes_checked_documents_once(small_project: Path, run_cli, tmp_path: Path) -> None:
    export = tmp_path / "survey.csv"
    export.write_text(rows_csv(
        {"Submitted": "2026-03-04 10:00:00", "Company": "Acme", "Feeling": "Negative", "Comment": "Too slow",
         "Themes": "speed, reports", "Item": "alpha", "Persona": "pat"},
        {"Submitted": "2026-03-05", "Company": "Globex", "Feeling": "positive", "Comment": "Love it",
         "Themes": "", "Item": "", "Persona": ""},
    ))
    mapping = ("--map", "date=Submitted", "--map", "customer=Company", "--map", "sentiment=Feeling",
               "--map", "quote=Comment", "--map", "tags=Themes", "--map", "items=Item", "--map", "persona=Persona")
    first = run_cli("import", "feedback", export, small_project, "--source", "survey", *mapping)
    assert first.code == 0, first.err
    assert first.out.splitlines()[-1].endswith(": 2 created, 0 skipped (already imported), 0 rejected.")
    assert run_cli("check", small_project, "--strict").code == 0
    report = Report()
    project = load_project(small_project, report)
    assert project is not None
    acme = project.corpus.documents["feedback/2026-03-04-survey-acme"].fields
    assert (acme.sentiment, acme.quote, acme.tags, acme.items, acme.persona, acme.source) == (
        "negative", "Too slow", ("speed", "reports"), ("alpha",), "pat", "survey")
    assert acme.import_id.startswith("row-")  # no id column: a hash of the row

    before = snapshot(small_project)
    again = run_cli("import", "feedback", export, small_project, "--source", "survey", *mapping)
    assert again.code == 0
    assert again.out.splitlines()[-1].endswith(": 0 created, 2 skipped (already imported), 0 rejected.")
    assert snapshot(small_project) == before


def test_bad_rows_are_located_and_write_nothing(small_project: Path, run_cli, tmp_path: Path) -> None:
    export = tmp_path / "rows.csv"
    export.write_text(
        "import_id,date,source,sentiment,items,persona,quote\n"
        "a1,2026-11-01,interview,angry,,,x\n"
        "a2,2026-13-01,survey,,,,\"two\nlines\"\n"
        "a3,2026-11-02,email,,,,z\n"
        "a4,2026-11-03,survey,,alpah,pat,w\n"
        "a5,2026-11-04,survey,,alpha,pat,fine\n"
    )
    before = {p.name for p in (small_project / "content/feedback").iterdir()}
    result = run_cli("import", "feedback", export, small_project)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{export}:2:1: error: 'sentiment' must be one of 'positive', 'neutral' or 'negative', not 'angry'",
        f"{export}:3:1: error: 'date' must be a real date like 2026-03-31, not '2026-13-01'",
        f"{export}:5:1: error: 'source' must be one of 'interview', 'survey', 'support', 'sales', 'review', "
        "'analytics', 'focus-group', 'social' or 'other', not 'email'",
        f"{export}:6:1: error: no roadmap item 'alpah' (there is no content/roadmap/alpah.md); did you mean 'alpha'?",
    ]
    assert result.out.splitlines()[-1].endswith(": 1 created, 0 skipped (already imported), 4 rejected.")
    created = {p.name for p in (small_project / "content/feedback").iterdir()} - before
    assert created == {"2026-11-04-survey-a5.md"}
    assert "Traceback" not in result.out + result.err


def test_usage_mistakes_are_usage_errors(small_project: Path, run_cli, tmp_path: Path) -> None:
    export = tmp_path / "rows.csv"
    export.write_text("date,source\n2026-11-01,survey\n")
    typo = run_cli("import", "feedback", export, small_project, "--map", "qoute=Comment")
    assert typo.code == 2 and "'qoute' is not a feedback field (did you mean 'quote'?)" in typo.err
    missing = run_cli("import", "feedback", export, small_project, "--map", "quote=Comment")
    assert missing.code == 1
    assert missing.err.startswith(f"{export}:1:1: error: no column named 'comment'; the header has 'date', 'source'")
    assert run_cli("import", "feedback", tmp_path / "nope.csv", small_project).code == 2


def test_an_existing_file_is_never_overwritten(small_project: Path, run_cli, tmp_path: Path) -> None:
    taken = small_project / "content/feedback/2026-11-01-survey-acme.md"
    taken.write_text("---\ndate: 2026-10-01\nsource: other\n---\nHand-written.\n")
    export = tmp_path / "rows.csv"
    export.write_text("date,source,customer\n2026-11-01,survey,Acme\n")
    assert run_cli("import", "feedback", export, small_project).code == 0
    assert taken.read_text().endswith("Hand-written.\n")
    assert (small_project / "content/feedback/2026-11-01-survey-acme-2.md").is_file()


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(customer=st.one_of(st.just(""), _TEXT), quote=_TEXT, tag=_TEXT.filter(lambda t: not set(t) & set(",;|")),
       body=_TEXT, import_id=_TEXT)
def test_any_row_text_round_trips_into_a_document_inside_feedback(small_project: Path, tmp_path_factory, run_cli,
                                                                  customer: str, quote: str, tag: str,
                                                                  body: str, import_id: str) -> None:
    """Whatever an export holds (YAML syntax, '---', '../', markup), it lands in content/feedback/ as text
    that reads back the same, or the row is refused at its line and nothing is written: never a file that
    `check` rejects. The file is named from the customer, or from the id when there is no customer."""
    folder = tmp_path_factory.mktemp("rows")
    export = folder / "rows.csv"
    export.write_text(rows_csv({"date": "2026-05-01", "source": "review", "customer": customer, "quote": quote,
                                "tags": tag, "body": body, "import_id": import_id}), encoding="utf-8")
    before = {p for p in small_project.rglob("*")}
    result = run_cli("import", "feedback", export, small_project)
    created = sorted({p for p in small_project.rglob("*")} - before)
    if result.code == 1:  # a body check refuses (a ':::' line, say): refused here first
        assert result.err.startswith(f"{export}:2:1: error: ") and created == []
        return
    assert result.code == 0, result.err
    assert run_cli("check", small_project, "--strict").code == 0
    assert len(created) == 1 and created[0].parent == small_project / "content/feedback"
    report = Report()
    project = load_project(small_project, report)
    assert project is not None, [p.format() for p in report]
    fields = project.corpus.documents[f"feedback/{created[0].stem}"].fields
    assert (fields.customer, fields.quote, fields.tags) == (customer.strip() or None, quote.strip(), (tag.strip(),))
    assert fields.import_id == import_id.strip()
    created[0].unlink()


def test_an_import_never_writes_through_a_linked_feedback_folder(small_project: Path, run_cli, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    feedback = small_project / "content/feedback"
    for path in feedback.iterdir():
        path.unlink()
    feedback.rmdir()
    feedback.symlink_to(outside, target_is_directory=True)
    export = tmp_path / "rows.csv"
    export.write_text("date,source,customer\n2026-11-01,survey,Acme\n")
    result = run_cli("import", "feedback", export, small_project)
    assert result.code == 1 and "is a symbolic link" in result.err
    assert list(outside.iterdir()) == []


def test_a_row_check_would_reject_is_refused_at_its_line(small_project: Path, run_cli, tmp_path: Path) -> None:
    """Each would-be file goes through check's reader and rules: its body, its links, its size once YAML
    has escaped it. Before, these were written and every later build failed until someone edited them."""
    export = tmp_path / "rows.csv"
    export.write_text(rows_csv(
        {"date": "2026-11-01", "source": "survey", "body": "Fine <!-- but this is published --> text."},
        {"date": "2026-11-02", "source": "survey", "body": "See [the plan](../roadmap/nope.md)."},
        {"date": "2026-11-03", "source": "survey", "body": "::: secret\nNot a block\n:::"},
        {"date": "2026-11-04", "source": "survey", "quote": "\ufffe" * 100_000, "customer": "\ufffe" * 100_000},
        {"date": "2026-11-05", "source": "survey", "body": "See [the plan](../roadmap/alpha.md)."},
    ), encoding="utf-8")
    before = {p.name for p in (small_project / "content/feedback").iterdir()}
    result = run_cli("import", "feedback", export, small_project)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{export}:2:1: error: HTML comments are not hidden: they would be published as text; use a "
        "'::: internal' block for notes",
        f"{export}:3:1: error: link to a missing file: content/roadmap/nope.md",
        f"{export}:4:1: error: ':::' closes no '::: internal' block",
        f"{export}:4:1: error: unknown block '::: secret'; the only block is '::: internal'",
        f"{export}:7:1: error: YAML block is larger than 1 MiB",  # the row before spans three lines
    ]
    created = {p.name for p in (small_project / "content/feedback").iterdir()} - before
    assert created == {"2026-11-05-survey-row-" + next(iter(created)).rsplit("-row-")[1]}
    assert run_cli("check", small_project, "--strict").code == 0


def test_many_rows_of_one_name_each_get_their_own_file(small_project: Path, run_cli, tmp_path: Path,
                                                      monkeypatch) -> None:
    """Finding a free name costs one look-up per row, however many rows share a name."""
    from roadmapgen.commands.importing import folder as importer

    probes = []

    class CountingSet(set):
        def __contains__(self, name: object) -> bool:
            probes.append(name)
            return super().__contains__(name)

    real_open = importer.FeedbackFolder.open.__func__

    def counting_open(cls, content_dir, files, **options):  # type: ignore[no-untyped-def]
        folder = real_open(cls, content_dir, files, **options)
        folder.taken = CountingSet(folder.taken)
        return folder

    monkeypatch.setattr(importer.FeedbackFolder, "open", classmethod(counting_open))
    (small_project / "content/feedback/2026-11-01-survey-acme.md").write_text("---\ndate: 2026-11-01\n"
                                                                              "source: survey\n---\n")
    export = tmp_path / "rows.csv"
    rows = 1500
    export.write_text("date,source,customer,quote\n" + "".join(f"2026-11-01,survey,Acme,q{n}\n" for n in range(rows)))
    result = run_cli("import", "feedback", export, small_project)
    assert result.code == 0, result.err
    names = {p.name for p in (small_project / "content/feedback").glob("2026-11-01-survey-acme*")}
    assert len(names) == rows + 1 and "2026-11-01-survey-acme-1501.md" in names
    assert len(probes) <= 2 * rows


def test_a_feedback_path_that_is_a_file_is_a_clear_error(small_project: Path, run_cli, tmp_path: Path) -> None:
    feedback = small_project / "content/feedback"
    for path in feedback.iterdir():
        path.unlink()
    feedback.rmdir()
    feedback.write_text("not a folder")
    export = tmp_path / "rows.csv"
    export.write_text("date,source\n2026-11-01,survey\n")
    result = run_cli("import", "feedback", export, small_project)
    assert result.code == 1
    assert result.err.startswith("content/feedback:1:1: error: is a file, not a folder")
    assert "Traceback" not in result.err and feedback.read_text() == "not a folder"


def test_a_cell_past_the_csv_limit_is_located_at_its_row(small_project: Path, run_cli, tmp_path: Path) -> None:
    export = tmp_path / "rows.csv"
    export.write_text(rows_csv({"date": "2026-11-01", "source": "survey", "quote": "ok"},
                               {"date": "2026-11-02", "source": "survey", "quote": "x" * 200_000}))
    result = run_cli("import", "feedback", export, small_project)
    assert result.code == 1
    assert result.err.splitlines() == [f"{export}:3:1: error: not valid CSV: a cell is longer than 131,072 characters"]
