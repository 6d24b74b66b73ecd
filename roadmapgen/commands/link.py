"""`roadmapgen link`: name an item in the ``items:`` of every feedback entry with a tag, in place.

Triage in bulk, without a hand edit per file and without a YAML dump that would rewrite
the file: ruamel.yaml (a round-trip library) composes the front matter with the exact
position of every node, and the edit touches only the ``items`` value — one element added
to a flow list (``items: [a, b]``), one line added to a block list, or one ``items:``
line added at the end of the front matter. Every other byte (comments, order, quoting,
line endings, the body) stays as it was. The edited file is then read by `check`'s own
reader and must give the same fields with the item added, and pass every check the file
passed alone; otherwise it is left untouched and reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roadmapgen.errors import ContentError, Severity
from roadmapgen.kinds.front_matter import Feedback
from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.discover import ProjectFiles
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.graph import document_links
from roadmapgen.model.read import parse_document
from roadmapgen.write import replace_file

_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Selection:
    """Which feedback entries to link: any of ``tags`` (case aside), from ``source``, given on or after ``since``."""

    tags: frozenset[str]
    source: str | None = None
    since: dt.date | None = None

    def takes(self, fields: Feedback) -> bool:
        return (bool(self.tags & {tag.casefold() for tag in fields.tags})
                and (self.source is None or fields.source == self.source)
                and (self.since is None or fields.date >= self.since))


@dataclass
class LinkResult:
    linked: list[str] = field(default_factory=list)
    """The files that name the item now (or would, in a dry run)."""
    already: int = 0
    problems: list[ContentError] = field(default_factory=list)


def link_feedback(files: ProjectFiles, item: str, selection: Selection, *, dry_run: bool = False) -> LinkResult:
    """Add ``item`` to the ``items`` of every feedback file ``selection`` takes."""
    result = LinkResult()
    parser = BodyParser()
    keys = {source.key for source in files.documents}
    for source in (source for source in files.documents if source.kind == "feedback"):
        try:
            data = source.absolute.read_bytes()
        except OSError as exc:
            result.problems.append(ContentError(source.path, 1, 1, f"cannot read file: {exc.strerror}"))
            continue
        read = parse_document(source, data, parser)
        fields = read.document.fields if read.document is not None else None
        if not isinstance(fields, Feedback) or not selection.takes(fields):
            continue  # a file check refuses is check's to report; link only edits files it can read
        if item in fields.items:
            result.already += 1
            continue
        if source.absolute.is_symlink():
            result.problems.append(ContentError(source.path, 1, 1, "left as it is: a symbolic link; edit the file "
                                                                   "it points to"))
            continue
        edited = _edited(data, item, source)
        if isinstance(edited, ContentError):
            result.problems.append(edited)
            continue
        problem = _judged(source, edited, fields, item, parser, keys, files)
        if problem is not None:
            result.problems.append(problem)
            continue
        if not dry_run and (failed := replace_file(source.absolute, edited)) is not None:
            result.problems.append(ContentError(source.path, 1, 1, failed))
            continue
        result.linked.append(source.path)
    return result


def _judged(source: SourceFile, edited: bytes, before: Feedback, item: str, parser: BodyParser, keys: set[str],
            files: ProjectFiles) -> ContentError | None:
    """Why the edited file may not replace the old one: it must read as the same entry naming one more item,
    and pass `check` as a file."""
    read = parse_document(source, edited, parser)
    errors = [problem for problem in read.problems if problem.severity is Severity.ERROR]
    if read.document is None or errors:
        first = errors[0] if errors else None
        return ContentError(source.path, first.line if first else 1, first.column if first else 1,
                            f"left as it is: naming '{item}' would make it fail check"
                            + (f" ({first.message})" if first else ""))
    if read.document.fields != before.model_copy(update={"items": (*before.items, item)}):
        return ContentError(source.path, 1, 1, f"left as it is: its items could not be edited without changing "
                                               f"anything else; add '{item}' by hand")
    links = document_links(read.document, keys, (), files.assets)
    if links.problems:
        first = links.problems[0]
        return ContentError(source.path, first.line, first.column, f"left as it is: {first.message}")
    return None


def _edited(data: bytes, item: str, source: SourceFile) -> bytes | ContentError:
    """The file's bytes with ``item`` added to its ``items``; every other byte as it was."""
    text = data.decode("utf-8")
    bom = _BOM if text.startswith(_BOM) else ""
    lines = text[len(bom):].splitlines(keepends=True)
    close = next((index for index in range(1, len(lines)) if lines[index].rstrip() == "---"), None)
    if not lines or lines[0].rstrip() != "---" or close is None:
        return ContentError(source.path, 1, 1, "has no front matter between '---' lines")
    front = lines[1:close]
    try:
        root = YAML(typ="rt").compose("".join(front))
    except YAMLError as exc:
        return ContentError(source.path, 1, 1, f"cannot be edited: {exc}")
    if not isinstance(root, MappingNode):
        return ContentError(source.path, 2, 1, "cannot be edited: its front matter is not a list of keys")
    value = next((node for key, node in root.value if isinstance(key, ScalarNode) and key.value == "items"), None)
    changed = _with_item(front, value, item, _line_end(lines[0]))
    if isinstance(changed, str):
        return ContentError(source.path, 2 + (value.start_mark.line if value else 0), 1, changed)
    return (bom + "".join([lines[0], *changed, *lines[close:]])).encode("utf-8")


def _with_item(front: list[str], value: Node | None, item: str, end: str) -> list[str] | str:
    """The front matter's lines with ``item`` added, or why it cannot be."""
    lines = list(front)
    if value is None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += end
        return [*lines, f"items: [{item}]{end}"]
    if not isinstance(value, SequenceNode) or any(not isinstance(node, ScalarNode) for node in value.value):
        return "cannot be edited: its 'items' is not a list of slugs"
    if value.flow_style:
        last = value.value[-1].end_mark if value.value else None
        line, column = (last.line, last.column) if last else (value.start_mark.line, value.start_mark.column + 1)
        insert = f", {item}" if last else item
        lines[line] = lines[line][:column] + insert + lines[line][column:]
        return lines
    last_node = value.value[-1]
    line = last_node.start_mark.line
    if last_node.end_mark.line != line:
        return "cannot be edited: its last item spans lines"
    prefix = lines[line][:last_node.start_mark.column]
    return [*lines[:line + 1], f"{prefix}{item}{_line_end(lines[line])}", *lines[line + 1:]]


def _line_end(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\r" if line.endswith("\r") else "\n"
