"""roadmapgen: an internal and a public roadmap site from Markdown and YAML in git."""

__version__ = "0.2.0"
