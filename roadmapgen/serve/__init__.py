"""Live preview: an in-memory site rebuilt incrementally, served over HTTP with live reload."""
