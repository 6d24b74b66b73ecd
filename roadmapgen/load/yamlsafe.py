"""Strict YAML: text -> plain Python values plus the position of every key and value.

The C composer (libyaml) builds the node tree when it is available; this module then
walks the nodes itself instead of calling a constructor, because the walk is where
the rules live: no aliases (a bomb shares nodes, so the first repeated node is
caught before anything expands), no duplicate keys, no tags beyond plain data,
no control characters, only text keys.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roadmapgen.errors import ContentError
from roadmapgen.load.text import CONTROL
from roadmapgen.places import KeyPath, Place

_Composer: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_BYTES = 1024 * 1024
# libyaml's composer recurses in C; a flow collection nested ~25k deep crashes it.
MAX_FLOW_DEPTH = 64

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp")
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

@dataclass(frozen=True, slots=True)
class YamlDocument:
    """Plain data (dict / list / scalars) and the place of every key path in it."""

    data: Any
    places: dict[KeyPath, Place]


def read_yaml(text: str, path: str, first_line: int = 1) -> YamlDocument:
    """Parse ``text`` (which starts at ``first_line`` of ``path``) strictly.

    Raises:
        ContentError: on any syntax error or any construct the rules forbid.
    """
    _check_size_and_depth(text, path, first_line)
    try:
        root = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, path, first_line) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ContentError(path, first_line, 1, f"YAML error: {exc}") from None
    walker = _Walker(path, first_line)
    if root is None:
        return YamlDocument(None, {(): Place(first_line, 1, first_line, 1)})
    data = walker.value(root, ())
    return YamlDocument(data, walker.places)


def _check_size_and_depth(text: str, path: str, first_line: int) -> None:
    if len(text) > MAX_YAML_BYTES:
        raise ContentError(path, first_line, 1, "YAML block is larger than 1 MiB")
    depth = 0
    for line_no, line in enumerate(text.split("\n")):
        for column, char in enumerate(line):
            if char in "[{":
                depth += 1
                if depth > MAX_FLOW_DEPTH:
                    raise ContentError(
                        path, first_line + line_no, column + 1,
                        f"YAML is nested more than {MAX_FLOW_DEPTH} levels deep",
                    )
            elif char in "]}":
                depth = max(depth - 1, 0)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark else 0
    column = mark.column if mark else 0
    problem = exc.problem or "invalid YAML"
    lines = text.split("\n")
    bad_char = lines[line][column : column + 1] if line < len(lines) else ""
    if bad_char == "\t" or (problem.startswith("found character") and "\t" in lines[line][: column + 1]):
        message = "tab character in YAML; indent with spaces, not tabs"
    elif "mapping values are not allowed" in problem:
        message = "YAML syntax error: a value contains ': '; put the value in quotes"
    else:
        message = f"YAML syntax error: {problem}"
    return ContentError(path, first_line + line, column + 1, message)


class _Walker:
    """Turns a node tree into plain values, recording places and enforcing the rules."""

    def __init__(self, path: str, first_line: int) -> None:
        self.path = path
        self.first_line = first_line
        self.places: dict[KeyPath, Place] = {}
        self._seen: set[int] = set()
        self._scalars = SafeConstructor()

    def error(self, node: Node, message: str) -> ContentError:
        mark = node.start_mark
        return ContentError(self.path, self.first_line + mark.line, mark.column + 1, message)

    def value(self, node: Node, key_path: KeyPath, key_node: Node | None = None, parent: Node | None = None) -> Any:
        if id(node) in self._seen:
            raise self.error(key_node or parent or node, "YAML anchors and aliases (&name, *name) are not allowed")
        self._seen.add(id(node))
        at = node.start_mark
        key_at = (key_node or node).start_mark
        self.places[key_path] = Place(
            self.first_line + key_at.line, key_at.column + 1,
            self.first_line + at.line, at.column + 1,
        )
        if isinstance(node, MappingNode):
            return self.mapping(node, key_path)
        if isinstance(node, SequenceNode):
            self._require_tag(node, _SEQ_TAG)
            return [self.value(item, (*key_path, i), parent=node) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: MappingNode, key_path: KeyPath) -> dict[str, Any]:
        self._require_tag(node, _MAP_TAG)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key in result:
                first = self.places[(*key_path, key)].line
                raise self.error(key_node, f"duplicate key '{key}' (first given on line {first})")
            result[key] = self.value(value_node, (*key_path, key), key_node)
        return result

    def key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            raise self.error(node, "keys must be plain words, like 'title'")
        return str(node.value)

    def scalar(self, node: Node) -> Hashable:
        if node.tag not in _PLAIN_TAGS:
            raise self.error(node, f"YAML tag '{_short_tag(node.tag)}' is not allowed")
        try:
            value = self._scalars.construct_object(node)
        except ValueError:
            # A date-shaped value that is no date (2026-02-30): the field's rule explains it.
            value = node.value
        except ConstructorError as exc:
            raise self.error(node, f"invalid value: {exc.problem}") from None
        if isinstance(value, str) and CONTROL.search(value):
            raise self.error(node, "control characters are not allowed in text")
        return value  # type: ignore[no-any-return]

    def _require_tag(self, node: Node, tag: str) -> None:
        if node.tag != tag:
            raise self.error(node, f"YAML tag '{_short_tag(node.tag)}' is not allowed")


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")
