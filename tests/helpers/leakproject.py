"""A project with a unique marker in every place the public site must never show.

Markers are lowercase letters and digits, so HTML escaping, URL encoding, JSON
escaping and slugging all leave them intact. Internal fields are planted from the
models' own field lists: a field added to a model later is planted automatically,
and a field of a type this module cannot plant fails loudly instead of going unchecked.
"""

from __future__ import annotations

import datetime as dt
import itertools
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from roadmapgen.commands.schema import public_keys
from roadmapgen.kinds.registry import KINDS


@dataclass
class Markers:
    """Hands out unique markers and remembers where each was planted."""

    prefix: str = "rgleak"
    planted: dict[str, str] = field(default_factory=dict)
    """marker text -> where it was planted."""
    numbers: dict[float, str] = field(default_factory=dict)
    dates: dict[dt.date, str] = field(default_factory=dict)
    _count: itertools.count = field(default_factory=lambda: itertools.count(1))

    def text(self, where: str) -> str:
        marker = f"{self.prefix}{next(self._count):03d}{''.join(ch for ch in where.lower() if ch.isalnum())[:24]}"
        self.planted[marker] = where
        return marker

    def number(self, where: str, integer: bool = True) -> float:
        value = 7_300_000 + next(self._count) * 7919
        number = value if integer else value + 0.5
        self.numbers[number] = where
        return number

    def date(self, where: str) -> dt.date:
        day = dt.date(2011, 1, 1) + dt.timedelta(days=next(self._count) * 3)
        self.dates[day] = where
        return day


def plant(model: type[BaseModel], where: str, markers: Markers, persona_slug: str) -> dict[str, Any]:
    """A value for every field of ``model``, each carrying its own marker."""
    return {name: _value(info.annotation, f"{where}.{name}", markers, persona_slug, name)
            for name, info in model.model_fields.items()}


def _value(annotation: Any, where: str, markers: Markers, persona_slug: str, name: str) -> Any:
    origin = typing.get_origin(annotation)
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if origin is typing.Annotated:
        checks = {getattr(getattr(meta, "func", None), "__name__", "") for meta in typing.get_args(annotation)[1:]}
        if "_check_web_address" in checks:
            return f"https://{markers.text(where)}.example/"
        if "_check_feedback_url" in checks:  # a link template
            return f"https://{markers.text(where)}.example/?about={{slug}}"
        return _value(args[0], where, markers, persona_slug, name)
    if origin in (types.UnionType, typing.Union):
        return _value(args[0], where, markers, persona_slug, name)
    if origin is tuple:
        return [_value(args[0], f"{where}[0]", markers, persona_slug, name)]
    if origin is dict or annotation is dict:
        return {markers.text(f"{where}.key"): markers.text(f"{where}.value")}
    if origin is typing.Literal:
        return args[-1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation.__name__ == "Rice":
            return {"reach": markers.number(f"{where}.reach"), "impact": 3, "confidence": 1, "effort": 1}
        values = plant(annotation, where, markers, persona_slug)
        values.pop("visibility", None)
        return values
    if name == "persona":
        return persona_slug
    if annotation is str:
        return markers.text(where)
    if annotation is float:
        return markers.number(where, integer=False)
    if annotation is int:
        return int(markers.number(where))
    if annotation is dt.date:
        return markers.date(where)
    raise TypeError(
        f"the leak test cannot plant a marker in {where} ({annotation!r}); teach tests/helpers/leakproject.py"
    )


def internal_fields(kind: str) -> list[str]:
    """Every front-matter key of ``kind`` that the public site must not show."""
    return [name for name in KINDS[kind].model.model_fields if name not in public_keys(kind) and name != "visibility"]


def accepts_public(kind: str) -> bool:
    """Whether a document of ``kind`` may say ``visibility: public`` (feedback may not; competitors may, to no "
    "effect)."""
    schema = KINDS[kind].model.model_json_schema()["properties"]["visibility"]
    return "public" in schema.get("enum", [schema.get("const")])


def plain(annotation: Any) -> Any:
    """An unremarkable value of a field's type, for a public field that must be given: no marker."""
    origin = typing.get_origin(annotation)
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if origin is typing.Annotated or origin in (types.UnionType, typing.Union):
        return plain(args[0])
    if origin is typing.Literal:
        return args[0]
    if origin is tuple:
        return []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {name: plain(info.annotation) for name, info in annotation.model_fields.items() if info.is_required()}
    return {str: "Plain public words", int: 1, float: 1.0, dt.date: "2026-01-01"}[annotation]
