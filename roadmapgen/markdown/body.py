"""What parsing a Markdown body produces, and the scratch state the rules share."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from markupsafe import Markup

from roadmapgen.errors import ContentError, Severity
from roadmapgen.packs import PackWriter, StoredHtml, loaded


@dataclass(frozen=True, slots=True)
class BodyLink:
    """A Markdown link to another content document, e.g. ``[Priya](../personas/priya.md)``."""

    target: str
    """Content path of the linked file, e.g. 'personas/priya.md'."""
    fragment: str
    """'#section' or ''."""
    title: str
    line: int
    column: int
    internal: bool
    """True if the link sits inside a '::: internal' block."""


@dataclass(frozen=True, slots=True)
class AssetUse:
    """A body's use of a file under assets/ (an image or a download)."""

    path: str
    line: int
    column: int
    internal: bool


@dataclass(frozen=True, slots=True)
class Body:
    """A parsed body: HTML for each audience, with links still to be resolved.

    In-site URLs start with :data:`roadmapgen.markdown.placeholders.ROOT`; links to
    documents are placeholders that :func:`~roadmapgen.markdown.placeholders.resolve_links`
    turns into anchors or plain text once the audience's pages are known. The n-th
    placeholder of ``internal_html`` is ``links[n]``; of ``public_html``, ``public_links[n]``.

    A body with internal blocks is parsed twice: the public fields come from a parse in
    which those blocks never existed (see :mod:`roadmapgen.markdown.rules.internal_blocks`).
    Without internal blocks, each public field is the same object as its internal one.
    """

    internal_html: Markup | StoredHtml
    public_html: Markup | StoredHtml
    links: tuple[BodyLink, ...]
    """Every document link, internal blocks included (each says whether it is in one)."""
    assets: tuple[AssetUse, ...]
    """Every use of an asset, internal blocks included."""
    public_links: tuple[BodyLink, ...]
    public_assets: tuple[AssetUse, ...]

    def stored(self, writer: PackWriter) -> Body:
        """This body with its HTML moved to ``writer``'s pack (see :mod:`roadmapgen.packs`)."""
        same = self.public_html is self.internal_html
        internal = writer.put(loaded(self.internal_html))
        public = internal if same else writer.put(loaded(self.public_html))
        return replace(self, internal_html=internal, public_html=public)


@dataclass
class ParseState:
    """Per-parse scratch space the rules write to (kept in markdown-it's ``env``)."""

    content_dir: str
    """Folder of the document inside the content folder, e.g. 'roadmap'."""
    first_line: int
    """Line of the file where the body starts; token lines are counted from it."""
    links: list[BodyLink] = field(default_factory=list)
    assets: list[AssetUse] = field(default_factory=list)
    problems: list[tuple[int, int, str, Severity]] = field(default_factory=list)
    """(file line, column, message, severity)."""

    def line(self, body_line: int) -> int:
        """The file line of a 0-based body line (markdown-it's ``token.map``)."""
        return self.first_line + body_line

    def error(self, body_line: int, column: int, message: str) -> None:
        self.problems.append((self.line(body_line), column, message, Severity.ERROR))

    def warn(self, body_line: int, column: int, message: str) -> None:
        self.problems.append((self.line(body_line), column, message, Severity.WARNING))

    def located(self, path: str) -> list[ContentError]:
        return [
            ContentError(path, line, column, message, severity) for line, column, message, severity in self.problems
        ]


STATE_KEY = "roadmapgen"
