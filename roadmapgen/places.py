"""Where things are in a file: the line and column of every key and value the YAML reader saw."""

from __future__ import annotations

from typing import NamedTuple

KeyPath = tuple[str | int, ...]


class Place(NamedTuple):
    """Where a key and its value start in the file (1-based).

    A tuple rather than a dataclass: every key of every document has one, and caches
    load tuples several times faster."""

    line: int
    column: int
    value_line: int
    value_column: int
