"""Bytes of a content file -> text -> front matter and body, with their first lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from roadmapgen.errors import ContentError

_DELIMITER = re.compile(r"---[ \t]*")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab and line breaks: invisible in editors, never text, and
the renderer's own markers are made of them (:mod:`roadmapgen.markdown.placeholders`)."""


@dataclass(frozen=True, slots=True)
class SplitDocument:
    """A Markdown file cut at its ``---`` lines; line numbers are 1-based in the file."""

    front_matter: str
    front_matter_line: int
    body: str
    body_line: int


def decode(data: bytes, path: str) -> str:
    """UTF-8 (a BOM is dropped) with every line ending made ``\\n``.

    Raises:
        ContentError: at the line and column of the first byte that is not UTF-8, or of
            the first control character.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ContentError(
            path, line, column,
            f"file is not UTF-8 (byte 0x{data[exc.start]:02x}); save it with UTF-8 encoding",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        raise ContentError(path, line, column, f"control character U+{ord(control.group()):04X} is not allowed; "
                           "delete it (most editors do not show it)")
    return text


def split_front_matter(text: str, path: str) -> SplitDocument:
    """Cut ``text`` at the opening and closing ``---`` lines.

    Raises:
        ContentError: if the file is empty, lacks front matter, or never closes it.
    """
    if not text.strip():
        raise ContentError(path, 1, 1, "file is empty; a document starts with front matter between '---' lines")
    lines = text.split("\n")
    if not _DELIMITER.fullmatch(lines[0]):
        raise ContentError(path, 1, 1, "missing front matter: the first line must be '---'")
    for index in range(1, len(lines)):
        if _DELIMITER.fullmatch(lines[index]):
            return SplitDocument(
                front_matter="\n".join(lines[1:index]) + "\n",
                front_matter_line=2,
                body="\n".join(lines[index + 1 :]),
                body_line=index + 2,
            )
    raise ContentError(path, 1, 1, "front matter is not closed: add a line '---' after it")
