"""Typed validation of YAML data: pydantic does the checking, this module says where and why.

Pydantic's messages speak of Python types; a product manager needs the key, the file,
the line and what to write instead. :func:`validate` maps each pydantic error to the
place the YAML reader recorded for that key path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from roadmapgen.errors import ContentError, did_you_mean
from roadmapgen.places import KeyPath, Place

ModelT = TypeVar("ModelT", bound=BaseModel)


def validate(
    model: type[ModelT], data: Any, places: Mapping[KeyPath, Place], path: str
) -> tuple[ModelT | None, list[ContentError]]:
    """Validate ``data`` against ``model``; on failure return every problem, located."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        line, column = _value_place(places, ())
        return None, [
            ContentError(path, line, column, f"expected keys and values (like 'title: ...'), found {describe(data)}")
        ]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [_locate(error, model, places, path) for error in exc.errors(include_url=False)]


def _locate(error: ErrorDetails, model: type[BaseModel], places: Mapping[KeyPath, Place], path: str) -> ContentError:
    loc = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
    kind = error["type"]
    if kind == "missing":
        line, column = _value_place(places, loc[:-1])
    elif kind == "extra_forbidden":
        line, column = _key_place(places, loc)
    else:
        line, column = _value_place(places, loc)
    return ContentError(path, line, column, message(error, loc, model))


def _key_place(places: Mapping[KeyPath, Place], loc: KeyPath) -> tuple[int, int]:
    place = _nearest(places, loc)
    return place.line, place.column


def _value_place(places: Mapping[KeyPath, Place], loc: KeyPath) -> tuple[int, int]:
    place = _nearest(places, loc)
    return place.value_line, place.value_column


def _nearest(places: Mapping[KeyPath, Place], loc: KeyPath) -> Place:
    for end in range(len(loc), -1, -1):
        if loc[:end] in places:
            return places[loc[:end]]
    return Place(1, 1, 1, 1)


def _name(loc: KeyPath) -> str:
    """The key an error is about: 'title', or 'personas' for an entry of that list."""
    keys = [part for part in loc if isinstance(part, str)]
    return keys[-1] if keys else "value"


def _subject(loc: KeyPath) -> str:
    if loc and isinstance(loc[-1], int):
        return f"each entry of '{_name(loc)}'"
    return f"'{_name(loc)}'"


def message(error: ErrorDetails, loc: KeyPath, model: type[BaseModel]) -> str:
    """A plain-language message for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = describe(error.get("input"))
    subject = _subject(loc)
    if kind == "missing":
        return f"missing required key '{_name(loc)}'"
    if kind == "extra_forbidden":
        return f"unknown key '{_name(loc)}'{did_you_mean(_name(loc), _known_keys(model, loc))}"
    if kind == "literal_error":
        return f"{subject} must be one of {ctx.get('expected', '')}, not {got}"
    if kind in _TYPE_WORDS:
        hint = (
            " (put it in quotes to make it text)"
            if kind == "string_type" and isinstance(error.get("input"), (bool, int, float))
            else ""
        )
        return f"{subject} must be {_TYPE_WORDS[kind]}, not {got}{hint}"
    if kind in _BOUNDS:
        word, key = _BOUNDS[kind]
        return f"{subject} must be {word} {_number(ctx.get(key))}, not {got}"
    if kind == "string_too_short":
        return f"{subject} must not be empty"
    if kind == "too_short":
        return f"{subject} needs at least {ctx.get('min_length')} entry"
    if kind == "rg":
        return f"{subject} {error['msg']}"
    if kind in ("value_error", "assertion_error"):
        return f"{subject}: {ctx.get('error', error['msg'])}"
    return f"{subject}: {error['msg']}"  # custom errors carry a complete sentence


_TYPE_WORDS = {
    "string_type": "text",
    "tuple_type": "a list, like [a, b]",
    "list_type": "a list, like [a, b]",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "dict_type": "keys and values",
    "model_type": "keys and values",
    "model_attributes_type": "keys and values",
    "date_type": "a date like 2026-03-31",
    "bool_type": "true or false",
}

_BOUNDS = {
    "greater_than": ("greater than", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("at most", "le"),
}


def describe(value: object) -> str:
    """How a YAML value reads to its author: "a list", "the number 3", "'done'"."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return f"the number {_number(value)}"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else "a text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "keys and values"
    return type(value).__name__


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _known_keys(model: type[BaseModel], loc: KeyPath) -> list[str]:
    """The keys allowed where an unknown key was found (for 'did you mean')."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _model_inside(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_inside(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_inside(arg)
        if found is not None:
            return found
    meta = getattr(annotation, "__origin__", None)
    return _model_inside(meta) if meta not in (None, annotation) else None
