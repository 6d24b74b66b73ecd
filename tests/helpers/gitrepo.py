"""Running git in tests: a fixed identity, no user or system configuration, dates when asked."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

IDENTITY = {"GIT_AUTHOR_NAME": "PM", "GIT_AUTHOR_EMAIL": "pm@example.com", "GIT_COMMITTER_NAME": "PM",
            "GIT_COMMITTER_EMAIL": "pm@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str, day: str | None = None) -> str:
    """git's output; ``day`` (YYYY-MM-DD) dates a commit, as author and committer."""
    env = {**os.environ, **IDENTITY}
    if day is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout
