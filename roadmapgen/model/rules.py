"""Rules within one document that involve more than one key (content format §3)."""

from __future__ import annotations

from collections.abc import Callable

from roadmapgen.errors import ContentError, warning
from roadmapgen.kinds.front_matter import Competitor, Item, Metric, Release
from roadmapgen.model.document import Document


def document_rules(document: Document) -> list[ContentError]:
    check = _RULES.get(type(document.fields))
    return check(document) if check else []


def _release(document: Document) -> list[ContentError]:
    fields = document.fields
    assert isinstance(fields, Release)
    if fields.version == document.slug:
        return []
    line, column = document.value_place("version")
    return [
        ContentError(
            document.path, line, column,
            f"version '{fields.version}' does not match the file name '{document.slug}.md'",
        )
    ]


def _item(document: Document) -> list[ContentError]:
    fields = document.fields
    assert isinstance(fields, Item)
    if fields.horizon is not None or fields.status in Item.HORIZON_OPTIONAL:
        return []
    line, column = document.value_place()
    return [
        ContentError(
            document.path, line, column,
            f"missing required key 'horizon' (now, next or later): an item with status '{fields.status}' needs one",
        )
    ]


def _metric(document: Document) -> list[ContentError]:
    fields = document.fields
    assert isinstance(fields, Metric)
    if fields.responses is not None:
        return _survey_metric(document, fields)
    for key in ("period", "min_responses"):
        if key in fields.model_fields_set:
            line, column = document.value_place(key)
            return [ContentError(document.path, line, column,
                                 f"'{key}' only applies to values computed from 'responses'")]
    if fields.points is None:
        line, column = document.value_place()
        return [ContentError(document.path, line, column, "missing required key 'points' (a list of {date, value}), "
                             "or 'responses' naming a CSV of survey responses")]
    problems = []
    seen: set[object] = set()
    for index, point in enumerate(fields.points):
        if point.date in seen:
            line, column = document.value_place("points", index, "date")
            problems.append(ContentError(document.path, line, column, f"a second value for {point.date.isoformat()}"))
        seen.add(point.date)
    return problems


def _survey_metric(document: Document, fields: Metric) -> list[ContentError]:
    if fields.points is not None:
        line, column = document.value_place("points")
        return [ContentError(document.path, line, column,
                             "give either 'points' or 'responses', not both: values come from the responses")]
    if fields.kind == "kpi":
        line, column = document.value_place("responses")
        return [ContentError(document.path, line, column,
                             "'responses' needs a survey metric: kind nps, csat or ces (a kpi has no scale)")]
    return []


def _competitor(document: Document) -> list[ContentError]:
    fields = document.fields
    assert isinstance(fields, Competitor)
    if fields.visibility != "public":
        return []
    line, column = document.value_place("visibility")
    return [warning(document.path, line, column,
                    "competitor analysis is always internal: 'visibility: public' has no effect")]


_RULES: dict[type, Callable[[Document], list[ContentError]]] = {
    Competitor: _competitor,
    Release: _release,
    Item: _item,
    Metric: _metric,
}
