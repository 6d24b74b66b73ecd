"""``python -m roadmapgen``: the same as the ``roadmapgen`` command."""

from roadmapgen.cli import run

run()
