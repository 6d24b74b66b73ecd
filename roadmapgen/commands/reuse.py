"""Which files of the previous build can be reused, and how to tell.

A page is a function of the views of its ``deps`` (plus the theme, the config and the
navigation), and the view of a document is a function of that document and its
neighbours (the documents it names and those naming it; for the internal site also its
last-change date and "today"). So a page's fingerprint hashes the content digests of
exactly those documents: if it is unchanged, the page's bytes are unchanged.

The previous build's fingerprints and file stats (the manifest) live in the cache folder,
one file per output folder, so the output itself stays byte-identical between builds. A file
is reused only if its fingerprint matches and the file on disk is still the one the build
wrote (size and modification time), so a hand-edited output is
never carried forward.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from roadmapgen.load.git import git_output
from roadmapgen.model.cache import file_stamp
from roadmapgen.model.graph import Corpus
from roadmapgen.pages.plan import PageSpec
from roadmapgen.seal import Seal

FileRecord = tuple[str, int, int]
"""(fingerprint, size, mtime_ns) of a written file."""


def _hash(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def tree_digest(paths: Iterable[Path]) -> str:
    """Content hash of files (the theme's templates and static files)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(paths):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class DocumentPrints:
    """Per document: ``meta`` covers what lists show of it, ``full`` adds its body."""

    meta: dict[str, str]
    full: dict[str, str]


def document_fingerprints(corpus: Corpus) -> DocumentPrints:
    """Each document's hashes together with its neighbours' front matter: what its views are made of.

    A view shows its own document and, of its neighbours, front-matter fields only (titles,
    cards, dates); so a body edit changes the document's ``full`` print and nothing else."""
    docs = corpus.documents
    # An item's committed versions are part of what lists show of it (its changes), though its file
    # may be the same: a commit alone can add a change.
    # A survey's responses file, too, is part of what lists and pages show of its metric.
    surveys = corpus.surveys
    meta = {key: _hash(doc.meta_digest, repr(corpus.versions.get(key, ())),
                       surveys[key].digest if key in surveys else "",
                       *sorted(docs[n].meta_digest for n in corpus.neighbours(key) if n in docs))
            for key, doc in docs.items()}
    full = {key: _hash(doc.digest, meta[key]) for key, doc in docs.items()}
    return DocumentPrints(meta, full)


@dataclass
class Fingerprints:
    """Page fingerprints for one site of one build."""

    salt: str
    """Everything every page depends on: code, theme, config, audience, navigation, today."""
    documents: dict[str, str]
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_site(cls, corpus: Corpus, prints: DocumentPrints, salt: str, internal: bool) -> Fingerprints:
        """The internal site also shows each document's last-change date on its own page."""
        dates = corpus.last_changed if internal else {}
        documents = {key: f"{full}{dates.get(key, '')}" for key, full in prints.full.items()}
        kinds: dict[str, list[str]] = {}
        for key, doc in corpus.documents.items():
            kinds.setdefault(f"*{doc.kind}", []).append(prints.meta[key])
            kinds.setdefault(f"*{doc.kind}+body", []).append(documents[key])
        return cls(salt, documents, {kind: _hash(*prints_) for kind, prints_ in kinds.items()})

    def page(self, spec: PageSpec) -> str:
        deps = sorted(spec.deps)
        return _hash(self.salt, spec.page.path, spec.template, spec.root,
                     *(self.kinds.get(dep) or self.documents.get(dep, "-") for dep in deps), *deps)


def file_record(path: str, fingerprint: str) -> FileRecord:
    stat = os.stat(path)
    return (fingerprint, stat.st_size, stat.st_mtime_ns)


@dataclass
class Manifest:
    """What the previous build wrote: its inputs and every file of every site."""

    inputs: str | None = None
    """:func:`input_stamp` of what it read: paths, sizes and times."""
    sites: dict[str, dict[str, FileRecord]] = field(default_factory=dict)
    content: str | None = None
    """:func:`input_digest` of what it read: paths and bytes (for a build run right after it)."""

    @classmethod
    def load(cls, path: Path, seal: Seal, output_dir: Path) -> Manifest:
        """The manifest sealed for ``output_dir`` at ``path``; an empty one for anything else."""
        try:
            payload = seal.open(_purpose(output_dir), path.read_bytes())
            if payload is None:
                return cls()
            data = json.loads(payload)
            sites = {str(name): {str(path): _record(record) for path, record in files.items()}
                     for name, files in data["sites"].items()}
            inputs, content = data.get("inputs"), data.get("content")
            return cls(inputs if isinstance(inputs, str) else None, sites,
                       content if isinstance(content, str) else None)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return cls()

    def save(self, path: Path, seal: Seal, output_dir: Path) -> None:
        data = {"inputs": self.inputs, "content": self.content, "sites": self.sites}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(seal.seal(_purpose(output_dir), json.dumps(data, separators=(",", ":")).encode()))
        except OSError:
            pass  # without a manifest the next build renders everything again; nothing is wrong

    def reusable(self, output_dir: Path, audience: str, path: str, fingerprint: str) -> str | None:
        """The previous build's file for ``path`` if it has ``fingerprint`` and nobody touched it."""
        record = self.sites.get(audience, {}).get(path)
        if record is None or record[0] != fingerprint:
            return None
        existing = f"{output_dir}/{audience}/{path}"  # text, not pathlib: this runs for every file
        try:
            stat = os.stat(existing)
        except OSError:
            return None
        return existing if (stat.st_size, stat.st_mtime_ns) == tuple(record[1:]) else None

    def up_to_date(self, output_dir: Path, audiences: Sequence[str], *, inputs: str | None = None,
                   content: str | None = None) -> bool:
        """True if the last build had exactly these inputs (by stamp, or by content) and its files are all
        still there, untouched."""
        same = (inputs is not None and self.inputs == inputs) or (content is not None and self.content == content)
        if not same or any(audience not in self.sites for audience in audiences):
            return False
        return all(self.reusable(output_dir, audience, path, record[0]) is not None
                   for audience in audiences for path, record in self.sites[audience].items())


def _purpose(output_dir: Path) -> str:
    return f"manifest:{output_dir.resolve()}"


def _record(value: object) -> FileRecord:
    if not isinstance(value, list) or len(value) != 3:
        raise TypeError("not a file record")
    fingerprint, size, mtime_ns = value
    if not (isinstance(fingerprint, str) and type(size) is int and type(mtime_ns) is int):
        raise TypeError("not a file record")
    return fingerprint, size, mtime_ns


def input_stamp(paths: Iterable[Path], extra: Mapping[str, str]) -> tuple[str, int]:
    """A fingerprint of every input's path, size and times, and the newest change time."""
    digest = hashlib.blake2b(digest_size=16)
    newest = 0
    for key in sorted(extra):
        digest.update(f"{key}={extra[key]};".encode())
    for path in sorted(paths, key=str):  # as text: comparing Path objects costs more than the stat calls
        size, mtime_ns, ctime_ns = file_stamp(path)
        newest = max(newest, ctime_ns)
        digest.update(f"{path}\0{size}\0{mtime_ns}\0{ctime_ns}\n".encode())
    return digest.hexdigest(), newest


def input_digest(paths: Iterable[Path], extra: Mapping[str, str]) -> str:
    """A fingerprint of every input's path and bytes: exact whenever it was taken, where file times are
    not (a file saved twice within one tick of the clock keeps its time)."""
    digest = hashlib.blake2b(digest_size=16)
    for key in sorted(extra):
        digest.update(f"{key}={extra[key]};".encode())
    for path in sorted(paths, key=str):
        digest.update(f"{path}\0".encode())
        try:
            digest.update(hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        except OSError:
            digest.update(b"unreadable")
    return digest.hexdigest()


def git_head(project_dir: Path) -> str:
    """The checked-out commit (history dates depend on it), or '' outside git."""
    return (git_output(project_dir, "rev-parse", "HEAD", timeout=10) or "").strip()
