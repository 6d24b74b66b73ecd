"""Link stage: validated documents -> :class:`Corpus`, every reference checked.

The corpus is the full, internal truth: every document, who names whom, and when each
file last changed. Audiences are projected from it.

Each document's references are checked on their own (:func:`document_links`), so a
change to a few files relinks only them and the documents naming what appeared or
disappeared (:func:`relink`); :func:`link` is the same work for every document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from roadmapgen.errors import ContentError
from roadmapgen.kinds.front_matter import Release
from roadmapgen.kinds.registry import FOLDER_KINDS, KINDS
from roadmapgen.kinds.source import document_key, key_of
from roadmapgen.load.versions import Version
from roadmapgen.markdown.body import BodyLink
from roadmapgen.model.consistency import consistency_key, consistency_warnings
from roadmapgen.model.document import Document
from roadmapgen.model.survey import Survey
from roadmapgen.places import KeyPath

BODY = "body"
"""The 'field' of references made by Markdown links."""


@dataclass(frozen=True, slots=True, order=True)
class Reference:
    """Document ``source`` names another one in ``field`` (a front-matter key or 'body')."""

    source: str
    field: str


@dataclass(frozen=True, slots=True)
class Links:
    """What one document names, checked."""

    targets: tuple[tuple[str, str], ...]
    """(target key, field) for every name that resolved, in the order written."""
    problems: tuple[ContentError, ...]
    missing: frozenset[str]
    """Keys it names that no document has; they are checked again when one appears."""


@dataclass(frozen=True, slots=True)
class Corpus:
    documents: Mapping[str, Document]
    """Every document by key ('roadmap/sso')."""
    assets: Mapping[str, Path]
    links: Mapping[str, Links]
    referrers: Mapping[str, tuple[Reference, ...]]
    """Key -> who names it and where, by source key."""
    missing_from: Mapping[str, frozenset[str]]
    """A key no document has -> the documents naming it."""
    last_changed: Mapping[str, dt.date]
    versions: Mapping[str, tuple[Version, ...]] = dataclasses.field(default_factory=dict)
    """Committed versions of each roadmap item, oldest first (see :mod:`roadmapgen.load.versions`)."""
    surveys: Mapping[str, Survey] = dataclasses.field(default_factory=dict)
    """Each metric computed from responses: its periods, counts and intervals (see :mod:`roadmapgen.model.survey`)."""
    unreadable: frozenset[str] = frozenset()
    """Keys of files found that failed to load: rules across documents do not guess about them."""
    consistency: tuple[ContentError, ...] = ()
    """What model/consistency.py finds; kept, so a rebuild that cannot change it does not redo it."""

    def of_kind(self, kind: str) -> tuple[Document, ...]:
        return tuple(doc for doc in self.documents.values() if doc.kind == kind)

    def references(self, key: str) -> tuple[str, ...]:
        links = self.links.get(key)
        return tuple(dict.fromkeys(target for target, _ in links.targets)) if links else ()

    def neighbours(self, key: str) -> set[str]:
        """Documents whose view can change when ``key`` changes: those it names and those naming it."""
        return {*self.references(key), *(ref.source for ref in self.referrers.get(key, ()))}

    def referring(self, key: str, kind: str, fields: Iterable[str]) -> tuple[Document, ...]:
        """Documents of ``kind`` naming ``key`` in one of ``fields``, in key order."""
        wanted = set(fields)
        sources = dict.fromkeys(ref.source for ref in self.referrers.get(key, ()) if ref.field in wanted)
        return tuple(doc for doc in (self.documents[source] for source in sources) if doc.kind == kind)

    def problems(self) -> list[ContentError]:
        found = [problem for links in self.links.values() for problem in links.problems]
        found.extend(_duplicate_versions(self.documents.values()))
        found.extend(self.consistency)
        return found


def link(
    documents: Iterable[Document],
    assets: Mapping[str, Path],
    last_changed: Mapping[str, dt.date],
    existing: Iterable[str] = (),
    versions: Mapping[str, tuple[Version, ...]] | None = None,
    surveys: Mapping[str, Survey] | None = None,
) -> tuple[Corpus, list[ContentError]]:
    """Check every reference of every document.

    ``existing`` are keys of every file found, including those that failed to load:
    naming one of those is not reported again, as the file's own errors already are.
    """
    by_key = {doc.key: doc for doc in sorted(documents, key=lambda doc: doc.key)}
    broken = set(existing) - set(by_key)
    links = {key: document_links(doc, by_key, broken, assets) for key, doc in by_key.items()}
    referrers: dict[str, list[Reference]] = defaultdict(list)
    missing_from: dict[str, set[str]] = defaultdict(set)
    for key, found in links.items():
        for target, field in dict.fromkeys(found.targets):
            referrers[target].append(Reference(key, field))
        for name in found.missing:
            missing_from[name].add(key)
    corpus = Corpus(
        documents=by_key, assets=assets, links=links,
        referrers={key: tuple(refs) for key, refs in referrers.items()},
        missing_from={key: frozenset(keys) for key, keys in missing_from.items()},
        last_changed=last_changed, versions=versions or {}, surveys=surveys or {}, unreadable=frozenset(broken),
        consistency=tuple(consistency_warnings(by_key, broken)),
    )
    return corpus, corpus.problems()


def relink(
    corpus: Corpus,
    changed: Mapping[str, Document | None],
    last_changed: Mapping[str, dt.date],
    existing: Collection[str],
    surveys: Mapping[str, Survey],
) -> tuple[Corpus, list[ContentError]]:
    """``corpus`` with ``changed`` documents replaced (None: removed), relinking only what that touches."""
    documents = dict(corpus.documents)
    for key, doc in changed.items():
        if doc is None:
            documents.pop(key, None)
        else:
            documents[key] = doc
    appeared = {key for key, doc in changed.items() if doc is not None and key not in corpus.documents}
    vanished = {key for key, doc in changed.items() if doc is None and key in corpus.documents}
    recheck = {key for key in changed if key in documents}
    for key in vanished:
        recheck.update(ref.source for ref in corpus.referrers.get(key, ()))
    for key in appeared:
        recheck.update(corpus.missing_from.get(key, ()))
    recheck &= documents.keys()
    broken = set(existing) - documents.keys()
    new_links = {key: document_links(documents[key], documents, broken, corpus.assets) for key in recheck}
    old_links = {key: corpus.links.get(key) for key in recheck | vanished}
    referrers, missing_from = _patch_indexes(corpus, old_links, new_links)
    links = dict(corpus.links)
    for key in vanished:
        links.pop(key, None)
    links.update(new_links)
    ordered = dict(sorted(documents.items())) if appeared else documents
    same = frozenset(broken) == corpus.unreadable and all(
        consistency_key(corpus.documents.get(key)) == consistency_key(doc) for key, doc in changed.items())
    consistency = corpus.consistency if same else tuple(consistency_warnings(documents, broken))
    updated = Corpus(ordered, corpus.assets, links, referrers, missing_from, last_changed, corpus.versions,
                     surveys, frozenset(broken), consistency)
    return updated, updated.problems()


def _patch_indexes(
    corpus: Corpus, old: Mapping[str, Links | None], new: Mapping[str, Links]
) -> tuple[dict[str, tuple[Reference, ...]], dict[str, frozenset[str]]]:
    referrers = dict(corpus.referrers)
    missing_from = dict(corpus.missing_from)
    touched_targets: set[str] = set()
    touched_names: set[str] = set()
    for links in old.values():
        if links is not None:
            touched_targets.update(target for target, _ in links.targets)
            touched_names.update(links.missing)
    for links in new.values():
        touched_targets.update(target for target, _ in links.targets)
        touched_names.update(links.missing)
    sources = set(old) | set(new)
    for target in touched_targets:
        kept = [ref for ref in referrers.get(target, ()) if ref.source not in sources]
        added = [Reference(source, field) for source, links in new.items()
                 for target_key, field in dict.fromkeys(links.targets) if target_key == target]
        merged = tuple(sorted(kept + added))
        if merged:
            referrers[target] = merged
        else:
            referrers.pop(target, None)
    for name in touched_names:
        names = {key for key in missing_from.get(name, ()) if key not in sources}
        names |= {source for source, links in new.items() if name in links.missing}
        if names:
            missing_from[name] = frozenset(names)
        else:
            missing_from.pop(name, None)
    return referrers, missing_from


def document_links(
    doc: Document, present: Collection[str], broken: Collection[str], assets: Mapping[str, Path]
) -> Links:
    """Check what ``doc`` names against the documents and assets there are."""
    targets: list[tuple[str, str]] = []
    problems: list[ContentError] = []
    missing: set[str] = set()
    for target, key_path, body_link in _named(doc):
        if target in present:
            targets.append((target, str(key_path[0]) if key_path else BODY))
            continue
        missing.add(target)
        if target not in broken:
            problems.append(_dangling(doc, target, key_path, body_link, present))
    problems.extend(_missing_files(doc, assets))
    return Links(tuple(targets), tuple(problems), frozenset(missing))


def _named(doc: Document) -> Iterator[tuple[str, KeyPath, BodyLink | None]]:
    """(target key, key path, or the body link) for every name the document uses."""
    for target, key_path in front_matter_references(doc):
        yield target, key_path, None
    for body_link in doc.body.links if doc.body else ():
        yield document_key(body_link.target), (), body_link


def front_matter_references(doc: Document) -> Iterator[tuple[str, KeyPath]]:
    """(target key, key path of the reference) for every slug the front matter names."""
    for ref in KINDS[doc.kind].references:
        value = getattr(doc.fields, ref.field)
        if isinstance(value, str):
            yield key_of(ref.target, value), (ref.field,)
        elif ref.attribute is not None:
            for index, element in enumerate(value):
                yield key_of(ref.target, getattr(element, ref.attribute)), (ref.field, index, ref.attribute)
        elif value is not None:
            for index, slug in enumerate(value):
                yield key_of(ref.target, slug), (ref.field, index)


def _content_prefix(doc: Document) -> str:
    return doc.path.removesuffix(doc.source.content_path)


def _dangling(doc: Document, target: str, key_path: KeyPath, body_link: BodyLink | None,
              present: Collection[str]) -> ContentError:
    prefix = _content_prefix(doc)
    folder, _, slug = target.partition("/")
    slugs = [key.partition("/")[2] for key in present if key.startswith(f"{folder}/")]
    close = difflib.get_close_matches(slug.removesuffix(".md").removesuffix(".yaml"), slugs, n=1, cutoff=0.75)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    if body_link is not None:
        return ContentError(doc.path, body_link.line, body_link.column,
                            f"link to a missing file: {prefix}{body_link.target}{hint}")
    kind = FOLDER_KINDS[folder]
    line, column = doc.value_place(*key_path)
    return ContentError(doc.path, line, column,
                        f"no {kind.label} '{slug}' (there is no {prefix}{target}{kind.suffix}){hint}")


def _missing_files(doc: Document, assets: Mapping[str, Path]) -> Iterator[ContentError]:
    for use in doc.body.assets if doc.body else ():
        if use.path not in assets:
            yield ContentError(doc.path, use.line, use.column, f"missing file: {_content_prefix(doc)}{use.path}")
    for name in KINDS[doc.kind].asset_fields:
        path = getattr(doc.fields, name)
        if path and path not in assets:
            line, column = doc.value_place(name)
            yield ContentError(doc.path, line, column, f"{name} file not found: {_content_prefix(doc)}{path}")


def _duplicate_versions(documents: Iterable[Document]) -> Iterator[ContentError]:
    first_by_version: dict[str, Document] = {}
    for doc in documents:
        if not isinstance(doc.fields, Release):
            continue
        version = doc.fields.version.lower()
        first = first_by_version.setdefault(version, doc)
        if first is not doc:
            line, column = doc.value_place("version")
            yield ContentError(
                doc.path, line, column, f"version {doc.fields.version} appears twice (also in {first.path})"
            )
