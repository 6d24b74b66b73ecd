"""`roadmapgen schema`: generated from the models, and true to them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from roadmapgen.commands.schema import SCHEMA_TYPES, schema_for
from roadmapgen.kinds.registry import KINDS
from tests.conftest import REPO


def _jsonable(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yaml":
        return _jsonable(yaml.safe_load(text))
    return _jsonable(yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n")))


def _example_files():
    """Every file of the example, of every kind the registry knows (and the config)."""
    yield "config", REPO / "roadmapgen.yaml"
    for name, kind in KINDS.items():
        if kind.file is not None:
            yield name, REPO / "content" / kind.file
        else:
            yield from ((name, path) for path in sorted((REPO / "content" / kind.folder).glob(f"*{kind.suffix}")))


def test_the_example_has_a_file_of_every_kind() -> None:
    assert {kind for kind, _ in _example_files()} == {"config", *KINDS}


@pytest.mark.parametrize(("kind", "path"), list(_example_files()), ids=lambda x: str(x).rsplit("/", 2)[-1])
def test_every_example_file_matches_its_schema(kind: str, path: Path) -> None:
    jsonschema.validate(_front_matter(path), schema_for(kind))


def test_schema_rejects_a_misspelt_key() -> None:
    with pytest.raises(jsonschema.ValidationError, match="visiblity"):
        jsonschema.validate({"title": "A", "status": "planned", "horizon": "now", "visiblity": "public"},
                            schema_for("item"))


def test_schema_says_what_is_public() -> None:
    item = schema_for("item")["properties"]
    assert item["title"]["description"].endswith("Shown on the public site when the document is public.")
    assert item["owner"]["description"].endswith("Internal: never on the public site.")
    assert item["rice"]["description"].endswith("Internal: never on the public site.")


def test_schema_command_prints_every_type(run_cli) -> None:
    result = run_cli("schema")
    assert result.code == 0
    assert sorted(json.loads(result.out)["$defs"]) == sorted(SCHEMA_TYPES)
    one = run_cli("schema", "persona")
    assert json.loads(one.out)["title"] == "Persona"


def test_list_lengths_use_the_array_keywords() -> None:
    """A metric needs at least one point: minItems, which validators apply to arrays (minLength is for strings)."""
    points = schema_for("metric")["properties"]["points"]["anyOf"][0]
    assert points["minItems"] == 1 and "minLength" not in points
    with pytest.raises(jsonschema.ValidationError, match="should be non-empty|is too short"):
        jsonschema.validate({"name": "NPS", "kind": "nps", "points": []}, schema_for("metric"))


def test_a_metric_needs_points_or_responses_and_not_both() -> None:
    schema = schema_for("metric")
    jsonschema.validate({"name": "NPS", "kind": "nps", "responses": "metrics/nps.csv"}, schema)
    jsonschema.validate({"name": "NPS", "kind": "nps", "points": [{"date": "2026-01-31", "value": 3}]}, schema)
    for both_or_neither in ({"name": "NPS", "kind": "nps"},
                            {"name": "NPS", "kind": "nps", "responses": "metrics/nps.csv",
                             "points": [{"date": "2026-01-31", "value": 3}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(both_or_neither, schema)
