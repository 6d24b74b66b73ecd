"""Link stage: validated documents -> :class:`Corpus`, every reference checked.

The corpus is the full, internal truth: every document, who names whom, and when each
file last changed. It is what audiences are projected from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.errors import ContentError
from roadmapgen.load.layout import KINDS, document_key
from roadmapgen.load.yamlsafe import KeyPath
from roadmapgen.model.document import Document
from roadmapgen.model.documents import Feedback, Persona, Release, RoadmapItem


@dataclass(frozen=True, slots=True, order=True)
class Reference:
    """A front-matter reference: document ``source`` names the target in ``field``."""

    source: str
    field: str


@dataclass(frozen=True, slots=True)
class Corpus:
    documents: Mapping[str, Document]
    """Every document by key ('roadmap/sso'), in key order."""
    assets: Mapping[str, Path]
    references: Mapping[str, tuple[str, ...]]
    """Key -> keys it names, in front matter or body links."""
    referrers: Mapping[str, tuple[Reference, ...]]
    """Key -> who names it in their front matter, and in which field."""
    last_changed: Mapping[str, dt.date]

    def of_kind(self, kind: str) -> tuple[Document, ...]:
        return tuple(doc for doc in self.documents.values() if doc.kind == kind)

    def neighbours(self, key: str) -> set[str]:
        """Documents whose change can change what ``key``'s pages show of it."""
        return {*self.references.get(key, ()), *(ref.source for ref in self.referrers.get(key, ()))}

    def referring(self, key: str, kind: str, fields: Iterable[str]) -> tuple[Document, ...]:
        """Documents of ``kind`` naming ``key`` in one of ``fields``, in key order."""
        wanted = set(fields)
        sources = dict.fromkeys(ref.source for ref in self.referrers.get(key, ()) if ref.field in wanted)
        return tuple(doc for doc in (self.documents[source] for source in sources) if doc.kind == kind)


def link(
    documents: Iterable[Document],
    assets: Mapping[str, Path],
    last_changed: Mapping[str, dt.date],
    existing: Iterable[str] = (),
) -> tuple[Corpus, list[ContentError]]:
    """Check every reference. ``existing`` are keys of files that exist but failed to load:
    naming one is not reported again, as the file's own errors already are."""
    by_key = {doc.key: doc for doc in sorted(documents, key=lambda doc: doc.key)}
    broken = set(existing) - set(by_key)
    problems: list[ContentError] = []
    references: dict[str, list[str]] = defaultdict(list)
    referrers: dict[str, list[Reference]] = defaultdict(list)
    for doc in by_key.values():
        for target, key_path in front_matter_references(doc):
            if target in by_key:
                references[doc.key].append(target)
                referrers[target].append(Reference(doc.key, str(key_path[0])))
            elif target not in broken:
                problems.append(_dangling(doc, target, key_path))
        problems.extend(_check_body(doc, by_key, broken, assets, references))
        problems.extend(_check_avatar(doc, assets))
    problems.extend(_duplicate_versions(by_key.values()))
    corpus = Corpus(
        documents=by_key,
        assets=assets,
        references={key: tuple(dict.fromkeys(keys)) for key, keys in references.items()},
        referrers={key: tuple(sorted(set(refs))) for key, refs in referrers.items()},
        last_changed=last_changed,
    )
    return corpus, problems


def front_matter_references(doc: Document) -> Iterator[tuple[str, KeyPath]]:
    """(target key, key path of the reference) for every slug the front matter names."""
    fields = doc.fields
    if isinstance(fields, RoadmapItem):
        if fields.objective:
            yield f"objectives/{fields.objective}", ("objective",)
        for index, slug in enumerate(fields.personas):
            yield f"personas/{slug}", ("personas", index)
        for index, story in enumerate(fields.stories):
            yield f"personas/{story.persona}", ("stories", index, "persona")
    elif isinstance(fields, Release):
        for index, slug in enumerate(fields.ships):
            yield f"roadmap/{slug}", ("ships", index)
    elif isinstance(fields, Feedback):
        if fields.persona:
            yield f"personas/{fields.persona}", ("persona",)
        for index, slug in enumerate(fields.items):
            yield f"roadmap/{slug}", ("items", index)


def _content_prefix(doc: Document) -> str:
    return doc.path.removesuffix(doc.source.content_path)


def _dangling(doc: Document, target: str, key_path: KeyPath) -> ContentError:
    folder, slug = target.split("/", 1)
    kind = next(kind for kind in KINDS.values() if kind.folder == folder)
    line, column = doc.value_place(*key_path)
    missing = f"{_content_prefix(doc)}{target}{kind.suffix}"
    return ContentError(doc.path, line, column, f"no {kind.label} '{slug}' (there is no {missing})")


def _check_body(
    doc: Document,
    by_key: Mapping[str, Document],
    broken: set[str],
    assets: Mapping[str, Path],
    references: dict[str, list[str]],
) -> Iterator[ContentError]:
    if doc.body is None:
        return
    for link in doc.body.links:
        target = document_key(link.target)
        if target in by_key:
            references[doc.key].append(target)
        elif target not in broken:
            yield ContentError(doc.path, link.line, link.column, f"link to a missing file: {_content_prefix(doc)}{link.target}")
    for use in doc.body.assets:
        if use.path not in assets:
            yield ContentError(doc.path, use.line, use.column, f"missing file: {_content_prefix(doc)}{use.path}")


def _check_avatar(doc: Document, assets: Mapping[str, Path]) -> Iterator[ContentError]:
    fields = doc.fields
    if isinstance(fields, Persona) and fields.avatar and fields.avatar not in assets:
        line, column = doc.value_place("avatar")
        yield ContentError(doc.path, line, column, f"avatar file not found: {_content_prefix(doc)}{fields.avatar}")


def _duplicate_versions(documents: Iterable[Document]) -> Iterator[ContentError]:
    first_by_version: dict[str, Document] = {}
    for doc in documents:
        if not isinstance(doc.fields, Release):
            continue
        version = doc.fields.version.lower()
        first = first_by_version.setdefault(version, doc)
        if first is not doc:
            line, column = doc.value_place("version")
            yield ContentError(doc.path, line, column, f"version {doc.fields.version} appears twice (also in {first.path})")
