"""Remember a function's result per argument *object*, across rebuilds of a live preview.

Documents and views are immutable and are reused as they are while their file does not
change, so "the same object" means "the same input". Each rebuild is one round: results
for objects not asked for in a round are forgotten at the next, so memory follows the
site instead of its history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

A = TypeVar("A")
R = TypeVar("R")


class IdentityMemo(Generic[A, R]):
    def __init__(self, compute: Callable[[A], R]) -> None:
        self.compute = compute
        self._previous: dict[int, tuple[A, R]] = {}
        self._current: dict[int, tuple[A, R]] = {}

    def __call__(self, argument: A) -> R:
        entry = self._current.get(id(argument)) or self._previous.get(id(argument))
        if entry is None or entry[0] is not argument:  # an id can be reused once its object is gone
            entry = (argument, self.compute(argument))
        self._current[id(argument)] = entry
        return entry[1]

    def next_round(self) -> None:
        self._previous, self._current = self._current, {}
