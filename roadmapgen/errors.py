"""Problems a user can cause, each at a place in a file they can open.

Every stage reports problems as :class:`ContentError` values collected in a
:class:`Report`; nothing stops at the first bad file. Only the command line turns
a report into text (``PATH:LINE:COL: error: MESSAGE``) and an exit code.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ContentError(Exception):
    """One problem in the project's files, with the place it was found.

    It is an exception so that deep helpers (the YAML reader, the front-matter
    splitter) can raise it; stages catch it per file and collect it.
    """

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        message: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = max(line, 1)
        self.column = max(column, 1)
        self.message = message
        self.severity = severity

    def __reduce__(self) -> tuple[type[ContentError], tuple[str, int, int, str, Severity]]:
        # Problems travel through the cache and between worker processes.
        return (ContentError, (self.path, self.line, self.column, self.message, self.severity))

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}"

    def as_error(self) -> ContentError:
        return ContentError(self.path, self.line, self.column, self.message)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.message)

    def __repr__(self) -> str:
        return f"ContentError({self.format()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentError) and self.format() == other.format()

    def __hash__(self) -> int:
        return hash(self.format())


def warning(path: str, line: int, column: int, message: str) -> ContentError:
    return ContentError(path, line, column, message, Severity.WARNING)


@dataclass
class Report:
    """The problems of one run, in the order stages found them."""

    problems: list[ContentError] = field(default_factory=list)

    def add(self, problem: ContentError) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[ContentError]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[ContentError]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[ContentError]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def make_warnings_errors(self) -> None:
        """``--strict``: every warning becomes an error."""
        self.problems = [p.as_error() for p in self.problems]

    def sorted(self) -> list[ContentError]:
        """Problems by file and line, each reported once."""
        return sorted(set(self.problems), key=ContentError.sort_key)

    def __iter__(self) -> Iterator[ContentError]:
        return iter(self.sorted())


class UsageError(Exception):
    """The command was called wrongly (exit code 2); no file is to blame."""


class ToolError(Exception):
    """A program roadmapgen runs (Pagefind) failed or left output that is not whole; nothing is written."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``(did you mean 'x'?)`` suffix for a likely typo, or an empty string."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
