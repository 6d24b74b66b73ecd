"""``python -m roadmapgen``: the same as the ``roadmapgen`` command."""

import sys

from roadmapgen.cli import main

sys.exit(main())
