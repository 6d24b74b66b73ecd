"""``roadmapgen schema``: JSON Schema of each front-matter type, generated from the models.

Descriptions come from the models' attribute docstrings; each property also says
whether the public site shows it, read from the audience allow-list
(:attr:`roadmapgen.kinds.registry.Kind.public_fields`), the same list the public corpus is cut to.
"""

from __future__ import annotations

from typing import Any

from roadmapgen.config import Settings
from roadmapgen.kinds.fields import StrictModel
from roadmapgen.kinds.registry import KINDS

SCHEMA_TYPES = ("config", *KINDS)


def public_keys(type_name: str) -> frozenset[str]:
    """Front-matter keys of ``type_name`` that the public site may show (the public corpus's allow-list)."""
    kind = KINDS.get(type_name)
    return (kind.public_fields or frozenset()) - {"visibility"} if kind else frozenset()


def _array_lengths(node: Any) -> Any:
    """pydantic writes a list's length bounds as minLength/maxLength (string keywords) when the list is
    read through a validator; JSON Schema says minItems/maxItems for arrays."""
    if isinstance(node, list):
        return [_array_lengths(part) for part in node]
    if not isinstance(node, dict):
        return node
    fixed = {key: _array_lengths(value) for key, value in node.items()}
    if fixed.get("type") == "array":
        for string_key, array_key in (("minLength", "minItems"), ("maxLength", "maxItems")):
            if string_key in fixed:
                fixed[array_key] = fixed.pop(string_key)
    return fixed


SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_for(type_name: str | None) -> dict[str, Any]:
    """The JSON Schema of one type, or of every type (``None``): then each type is a ``$defs`` entry, and the
    models they share (``Rice``, ``Story``, ``MetricPoint`` ...) are hoisted beside them, so every ``$ref``
    resolves from the top."""
    if type_name is None:
        defs: dict[str, Any] = {}
        for name in SCHEMA_TYPES:
            schema = _schema(name)
            defs.update(schema.pop("$defs", {}))
            defs[name] = schema
        return {"$schema": SCHEMA_DIALECT, "title": "roadmapgen content types", "$defs": defs}
    return {"$schema": SCHEMA_DIALECT, **_schema(type_name)}


def _schema(type_name: str) -> dict[str, Any]:
    model: type[StrictModel] = Settings if type_name == "config" else KINDS[type_name].model
    schema: dict[str, Any] = _array_lengths(model.model_json_schema(mode="validation"))
    shown = public_keys(type_name)
    for key, prop in schema.get("properties", {}).items():
        if type_name in KINDS and KINDS[type_name].can_be_public:
            where = (
                "Shown on the public site when the document is public."
                if key in shown
                else "Internal: never on the public site."
            )
            prop["description"] = f"{prop.get('description', '').strip()} {where}".strip()
    return schema
