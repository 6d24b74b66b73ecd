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
    assert set(json.loads(result.out)["$defs"]) >= set(SCHEMA_TYPES)  # and the models they share
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


# --- The schemas and `check` agree: on generated mutations of every kind, they disagree only where the
# documented list says a schema cannot express the rule (docs/editors.md, "What only check knows").

CHECK_ONLY = {
    "decimal integer": "a whole number written with a decimal point",
    "infinite number": "infinite numbers",
    "date where text belongs": "a date where text belongs",
    "day that does not exist": "a day that does not exist",
    "version and file name": "a release's version is its file name",
}
"""Why `check` and a schema may disagree on a value, each with the words docs/editors.md says it in."""


def _json_like(value):
    """What an editor's YAML reader hands a schema: dates as text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_like(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_like(v) for v in value]
    return value


def _values_for(field, name: str):
    """Values to try in a field, each with why `check` and the schema may disagree on it (or None)."""
    import math
    import typing

    from pydantic import BaseModel

    annotation = field.annotation
    checks = set()
    options = [annotation]
    while options:
        current = options.pop()
        for meta in getattr(current, "__metadata__", ()):
            checks.add(getattr(getattr(meta, "func", None), "__name__", ""))
        options.extend(typing.get_args(current))
    text = repr(annotation)
    common = [("", None), (123, None), (True, None), (None, None), ({"a": 1}, None), (["a"], None),
              ("plain words", None), (dt.date(2026, 1, 5), "date where text belongs")]
    if "_check_slug" in checks:
        return common + [("Bad Slug", None), ("ok-slug", None), ("a--b", None), ([["x"]], None)]
    if name == "version":
        return common + [("9.9.9", "version and file name"), ("1..2", None), ("-1", None)]
    if "_to_day" in text or "Day" in text or "datetime.date" in text:
        return common + [("2026-13-01", None), ("2026-02-30", "day that does not exist"), ("2026-1-5", None),
                         (dt.date(2026, 1, 1), None), ("soon", None)]
    if "_to_target" in checks or "Target" in text or name == "target" and "str" in text:
        return common + [("2026-Q5", None), ("2026-13", None), ("2026-02-30", "day that does not exist"),
                         ("2026-Q4", None), ("2026-12", None), ("2026-12-31", None)]
    if "_check_web_address" in checks:
        return common + [("javascript:alert(1)", None), ("https://ok.example/", None), ("https://exa mple/", None),
                         ("HTTP://OK.example/", None)]
    if "_check_feedback_url" in checks:
        return common + [("https://x.example/?i={slug}", None), ("https://x.example/?i={other}", None),
                         ("ftp://x.example/", None), ("https:///x", None), ("https://x.example/{slug:>3}", None),
                         ("mailto:pm@example.com?subject={title}", None), ("https://x.example/{{literal}}", None)]
    if "_check_asset_path" in checks:
        return common + [("assets/a.png", None), ("assets/../x.png", None), ("/etc/passwd", None),
                         ("assets\\a.png", None), ("img/a.png", None), ("assets/x/../../y", None)]
    if "_check_responses_path" in checks:
        return common + [("metrics/x.csv", None), ("metrics/.x.csv", None), ("x.csv", None), ("metrics/a/b.csv", None)]
    if "Literal" in text:
        literal = next(option for option in _flatten(annotation) if typing.get_origin(option) is typing.Literal)
        return common + [("bogus", None), (typing.get_args(literal)[0], None)]
    if "tuple" in text:
        return common + [("notalist", None), ([], None), ([1], None), (["ok"], None)]
    if "int" in text and "float" not in text:
        return common + [(-1, None), (900.0, "decimal integer"), ("9", None), (5, None)]
    if "float" in text:
        return common + [(-1, None), ("x", None), (0, None), (0.5, None), (3, None), (math.inf, "infinite number")]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) or "BaseModel" in text:
        return common + [({}, None), ({"bogus": 1}, None)]
    return common


def _flatten(annotation):
    import typing

    found = [annotation]
    for arg in typing.get_args(annotation):
        found.extend(_flatten(arg))
    return found


def _mutations(model, data: dict):
    yield "unknown key", {**data, "visiblity": "public"}, None
    for name, field in model.model_fields.items():
        if name in data:
            yield f"{name} removed", {k: v for k, v in data.items() if k != name}, None
        for value, reason in _values_for(field, name):
            yield f"{name}={value!r}", {**data, name: value}, reason


def _example_data(kind: str, path: Path):
    from roadmapgen.load.text import decode, split_front_matter
    from roadmapgen.load.yamlsafe import read_yaml

    text = decode(path.read_bytes(), str(path))
    if kind == "config" or path.suffix == ".yaml":
        return read_yaml(text, str(path)).data, None
    split = split_front_matter(text, str(path))
    return read_yaml(split.front_matter, str(path)).data, split.body


def _check_accepts(kind: str, path: Path, data: dict, body: str | None) -> bool:
    """What `check` says of the file alone (references to other files are the corpus's to judge)."""
    from roadmapgen.config import Settings
    from roadmapgen.errors import Severity
    from roadmapgen.kinds.source import SourceFile
    from roadmapgen.markdown.parser import BodyParser
    from roadmapgen.model.read import parse_document
    from roadmapgen.places import Place
    from roadmapgen.validation import validate

    if kind == "config":
        fields, problems = validate(Settings, data, {(): Place(1, 1, 1, 1)}, "roadmapgen.yaml")
        return fields is not None and not problems
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    raw = front if body is None else f"---\n{front}---\n{body}"
    content_path = path.relative_to(REPO / "content").as_posix()
    source = SourceFile(kind, path.stem, f"content/{content_path}", content_path, path)
    result = parse_document(source, raw.encode(), BodyParser())
    return result.document is not None and not any(p.severity is Severity.ERROR for p in result.problems)


def test_the_schemas_and_check_agree_on_generated_mutations() -> None:
    from roadmapgen.config import Settings

    models = {"config": Settings, **{name: kind.model for name, kind in KINDS.items()}}
    firsts = {}
    for kind, path in _example_files():
        firsts.setdefault(kind, path)
    disagreements, tried = [], 0
    for kind, path in firsts.items():
        validator = jsonschema.Draft202012Validator(schema_for(kind))
        data, body = _example_data(kind, path)
        assert _check_accepts(kind, path, data, body) and validator.is_valid(_json_like(data)), path
        for label, mutated, reason in _mutations(models[kind], data):
            tried += 1
            if _check_accepts(kind, path, mutated, body) != validator.is_valid(_json_like(mutated)):
                disagreements.append((kind, label, reason))
    unexplained = [(kind, label) for kind, label, reason in disagreements if reason not in CHECK_ONLY]
    assert unexplained == [], unexplained
    assert tried > 500 and disagreements  # the list is not empty by accident: it is what schemas cannot say


def test_the_docs_list_what_only_check_knows() -> None:
    editors = (REPO / "docs/editors.md").read_text(encoding="utf-8")
    section = editors.split("## What only `check` knows", 1)[1]
    assert all(words.lower() in section.lower() for words in CHECK_ONLY.values())
    for kind in ("config", *KINDS):
        assert f"`{kind}`" in editors, kind


def test_every_reference_and_date_has_its_pattern_in_the_schema() -> None:
    """Editors ignore `format`: a reference, a date or a target must carry a pattern an editor checks."""
    item = schema_for("item")
    assert item["properties"]["objective"]["anyOf"][0]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert item["properties"]["personas"]["items"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
    release = schema_for("release")
    assert release["properties"]["date"]["pattern"].startswith("^[0-9]{4}-")
    assert release["properties"]["date"]["format"] == "date"


def test_every_ref_of_the_whole_schema_resolves() -> None:
    whole = schema_for(None)
    jsonschema.Draft202012Validator.check_schema(whole)
    text = json.dumps(whole)
    for name in set(__import__("re").findall(r'"#/\$defs/([^"]+)"', text)):
        assert name in whole["$defs"], name
    assert "$schema" not in json.dumps(whole["$defs"])
    validator = jsonschema.Draft202012Validator({**whole, "$ref": "#/$defs/item"})
    assert validator.is_valid({"title": "A", "status": "planned", "horizon": "now",
                               "rice": {"reach": 1, "impact": 1, "confidence": 1, "effort": 1},
                               "stories": [{"persona": "pat", "want": "x"}]})
