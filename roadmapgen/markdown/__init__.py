"""Markdown stage: a document body -> HTML for each audience, parsed once."""
