"""Model-level rules that are easiest to see in isolation."""

from __future__ import annotations

from roadmapgen.model.fields import target_order


def test_targets_sort_by_when_they_end() -> None:
    targets = ["2027-Q1", None, "2026-12-15", "2026-Q4", "2026-11", "2026-12"]
    assert sorted(targets, key=target_order) == ["2026-11", "2026-12-15", "2026-Q4", "2026-12", "2027-Q1", None]
