"""Where roadmapgen's documentation lives, for messages: a pip-installed user has no docs/ folder."""

from __future__ import annotations

from importlib import metadata

DOCS = "https://github.com/roadmapgen/roadmapgen/tree/main/docs"
"""The same address as the package's Documentation URL (pyproject.toml), for a checkout without metadata."""


def docs_url(page: str = "") -> str:
    """The web address of the docs, or of one page of them ('publishing.md')."""
    try:
        entries = metadata.metadata("roadmapgen").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        entries = []
    found = next((url for label, _, url in (entry.partition(", ") for entry in entries) if label == "Documentation"),
                 DOCS)
    return f"{found.rstrip('/')}/{page}" if page else found
