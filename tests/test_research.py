"""Trends, unplanned demand, target segments and persona coverage on the internal site (issue 14, parts 3-4)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers.sitefiles import text_of, write_files


def feedback(slug: str, day: str, *, persona: str | None = None, items: str = "", tags: str = "") -> dict[str, str]:
    lines = [f"date: {day}", "source: support", f"quote: Quote {slug}"]
    lines += [f"persona: {persona}"] if persona else []
    lines += [f"items: [{items}]"] if items else []
    lines += [f"tags: [{tags}]"] if tags else []
    return {f"content/feedback/{slug}.md": "---\n" + "\n".join(lines) + "\n---\n"}


def persona(slug: str, segment: str) -> dict[str, str]:
    return {f"content/personas/{slug}.md": f"---\nname: {slug.title()}\nrole: Agent\nsegment: {segment}\n---\n"}


RESEARCH_PROJECT = {
    # SOURCE_DATE_EPOCH in the tests is 2026-11-21: the current quarter is 2026-Q4.
    "roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/\nstale_after_days: 60\n"
                       "research:\n  target_segments: [Growth]\n",
    **persona("gwen", "Growth"), **persona("stan", "Starter"), **persona("nell", "Enterprise"),
    "content/roadmap/gamma.md": "---\ntitle: Gamma\nstatus: planned\nhorizon: later\npersonas: [stan]\n---\n",
    "content/roadmap/delta.md": "---\ntitle: Delta\nstatus: planned\nhorizon: next\n---\n",
    **feedback("q2-billing", "2026-05-02", persona="stan", tags="billing"),
    **feedback("q3-billing", "2026-08-02", persona="stan", tags="billing, exports"),
    **feedback("q4-billing-1", "2026-10-02", persona="gwen", tags="billing"),
    **feedback("q4-billing-2", "2026-11-02", persona="gwen", tags="billing"),
    **feedback("q4-exports", "2026-11-03", persona="stan", items="gamma", tags="exports"),
    **feedback("q4-alpha", "2026-11-04", persona="gwen", items="alpha"),
    **feedback("old-nell", "2026-06-01", persona="nell", items="delta"),
}


def test_trends_count_feedback_per_tag_per_quarter(small_project: Path, out_dir: Path, run_cli) -> None:
    write_files(small_project, RESEARCH_PROJECT)
    assert run_cli("build", small_project, "--out", out_dir).code == 0
    page = text_of(out_dir / "internal/research/index.html")
    assert "Tag 2026-Q1 2026-Q2 2026-Q3 2026-Q4 Trend billing 0 1 1 2 Rising exports 0 0 1 1 —" in page


def test_unplanned_demand_groups_feedback_naming_no_item_target_segments_first(
        small_project: Path, out_dir: Path, run_cli) -> None:
    write_files(small_project, RESEARCH_PROJECT)
    assert run_cli("build", small_project, "--out", out_dir).code == 0
    page = text_of(out_dir / "internal/research/index.html")
    assert "4 pieces of feedback name no roadmap item" in page
    by_tag = page[page.index("By tag"):page.index("By persona")]
    # billing: four unplanned entries, two from Gwen (Growth, a target segment): first, marked.
    assert re.search(r"billing 4 Target segment Quote q4-billing-2 .* Quote q4-billing-1 .* Quote q3-billing .* "
                     r"Quote q2-billing", by_tag)
    assert "Quote q4-exports" not in by_tag  # it names gamma: planned
    by_persona = page[page.index("By persona"):page.index("By segment")]
    assert by_persona.index("Gwen 2 Target segment") < by_persona.index("Stan 2")
    segments = page[page.index("By segment"):]
    assert segments.startswith("By segment Segment Entries Growth Target segment 3 Starter 3 Enterprise 1")


def test_target_segment_evidence_is_counted_apart_on_the_priorities_page(
        small_project: Path, out_dir: Path, run_cli) -> None:
    write_files(small_project, RESEARCH_PROJECT)
    assert run_cli("build", small_project, "--out", out_dir).code == 0
    page = text_of(out_dir / "internal/priorities/index.html")
    assert "Score Target evidence Evidence Customers Customer revenue Personas" in page
    # Alpha: the feedback 'call' (Pat, no segment) and q4-alpha (Gwen, Growth).
    assert re.search(r"Alpha .* 25 1 2 0 — 1 ", page), page  # no entry names a customer: none counted
    # Unscored items: Gamma and Delta; neither has target evidence, so their order is the board's.
    assert "Not scored yet" in page


def test_persona_coverage_flags_gaps(small_project: Path, out_dir: Path, run_cli) -> None:
    write_files(small_project, RESEARCH_PROJECT)
    assert run_cli("build", small_project, "--out", out_dir).code == 0
    page = text_of(out_dir / "internal/personas/index.html")
    coverage = page[page.index("Coverage"):]
    assert "Gwen Target segment 0 0 0 3 Nothing in Now or Next" in coverage
    assert "Nell 0 0 0 0 Nothing in Now or Next No evidence in 60 days (last 1 Jun 2026 )" in coverage
    assert "Pat Doe 1 0 0 0 No evidence in 60 days (last 1 Feb 2026 )" in coverage
    assert "Stan 0 0 1 1 Nothing in Now or Next" in coverage
    assert coverage.rstrip().endswith("Items naming no persona Delta Next")
    public = (out_dir / "public/personas/index.html").read_text()
    assert "Coverage" not in public and "Nothing in Now" not in public
