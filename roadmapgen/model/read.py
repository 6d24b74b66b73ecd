"""Read stage: one content file -> a validated :class:`Document`, or its problems.

A pure function of the file's bytes and path, so results can be cached by content
hash and computed in parallel; cross-document checks wait for :mod:`graph`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from roadmapgen.errors import ContentError, Severity
from roadmapgen.kinds.fields import FrontMatter
from roadmapgen.kinds.registry import KINDS
from roadmapgen.kinds.source import SourceFile
from roadmapgen.load.text import decode, split_front_matter
from roadmapgen.load.yamlsafe import YamlDocument, read_yaml
from roadmapgen.markdown.body import Body
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.document import Document
from roadmapgen.model.graph import front_matter_references
from roadmapgen.model.rules import document_rules
from roadmapgen.packs import PackWriter
from roadmapgen.places import KeyPath, Place
from roadmapgen.validation import validate

MAX_FILE_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadResult:
    document: Document | None
    problems: tuple[ContentError, ...]

    def with_body_in(self, writer: PackWriter) -> ReadResult:
        """The same result with its body's HTML in ``writer``'s pack (see :mod:`roadmapgen.packs`)."""
        document = self.document
        if document is None or document.body is None:
            return self
        return replace(self, document=replace(document, body=document.body.stored(writer)))


def file_digest(source: SourceFile, data: bytes | str) -> str:
    digest = hashlib.blake2b(source.path.encode(), digest_size=16)
    digest.update(b"\0")
    digest.update(data if isinstance(data, bytes) else data.encode())
    return digest.hexdigest()


def read_bytes(source: SourceFile) -> bytes | ReadResult:
    """The file's bytes, or the result saying why they cannot be read."""
    try:
        return source.absolute.read_bytes()
    except OSError as exc:
        return ReadResult(None, (ContentError(source.path, 1, 1, f"cannot read file: {exc.strerror}"),))


def read_document(source: SourceFile, parser: BodyParser) -> ReadResult:
    data = read_bytes(source)
    return data if isinstance(data, ReadResult) else parse_document(source, data, parser)


def parse_document(source: SourceFile, data: bytes, parser: BodyParser) -> ReadResult:
    """The file's bytes -> its validated document and problems."""
    if len(data) > MAX_FILE_BYTES:
        return ReadResult(None, (ContentError(source.path, 1, 1, "file is larger than 4 MiB"),))
    problems: list[ContentError] = []
    try:
        front_matter, body = _split(source, data, parser, problems)
    except ContentError as error:
        return ReadResult(None, (error, *problems))
    fields, errors = validate(KINDS[source.kind].model, front_matter.data, front_matter.places, source.path)
    problems.extend(errors)
    if fields is None:
        return ReadResult(None, tuple(problems))
    meta = file_digest(source, fields.model_dump_json()) if body is not None else file_digest(source, data)
    document = Document(source, fields, front_matter.places, body, file_digest(source, data), meta)
    problems.extend(document_rules(document))
    return ReadResult(replace(document, places=_places_for_later(document)), tuple(problems))


def checked_front_matter(source: SourceFile, data: bytes) -> FrontMatter | None:
    """The front matter of ``data`` (a past version of ``source``, say) if `check` finds no error in
    it — the same decoding, strict YAML, model and rules as for the file today — else None.
    The body is not parsed: nothing a past version's body holds is ever used."""
    if len(data) > MAX_FILE_BYTES:
        return None
    try:
        text = decode(data, source.path)
        if KINDS[source.kind].has_body:
            split = split_front_matter(text, source.path)
            front_matter = read_yaml(split.front_matter, source.path, split.front_matter_line)
        else:
            front_matter = read_yaml(text, source.path)
    except ContentError:
        return None
    fields, errors = validate(KINDS[source.kind].model, front_matter.data, front_matter.places, source.path)
    if fields is None or errors:
        return None
    document = Document(source, fields, front_matter.places, None, "", "")
    if any(problem.severity is Severity.ERROR for problem in document_rules(document)):
        return None
    return fields


def _places_for_later(document: Document) -> dict[KeyPath, Place]:
    """The key positions later stages can still report on: references, avatar and version.

    Every other problem a front matter can have is found here, while reading; keeping the
    position of every key of every document would double a large project's memory; top-level keys
    are few and are what the rules across documents (model/consistency.py) point at."""
    top_level = {path for path in document.places if len(path) == 1}  # for the rules across documents
    wanted = {
        (),
        *top_level,
        *((name,) for name in KINDS[document.kind].asset_fields),
        *(key_path for _, key_path in front_matter_references(document)),
    }
    return {path: place for path, place in document.places.items() if path in wanted}


def _split(
    source: SourceFile, data: bytes, parser: BodyParser, problems: list[ContentError]
) -> tuple[YamlDocument, Body | None]:
    text = decode(data, source.path)
    if not KINDS[source.kind].has_body:
        return read_yaml(text, source.path), None
    split = split_front_matter(text, source.path)
    body, body_problems = parser.parse(
        split.body, path=source.path, content_path=source.content_path, first_line=split.body_line
    )
    problems.extend(body_problems)
    return read_yaml(split.front_matter, source.path, split.front_matter_line), body
