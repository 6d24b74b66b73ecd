"""Where theme files are: the built-in theme (inside the package, or at the top of a checkout) and a
project's theme over it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import roadmapgen


def builtin_theme() -> Path:
    """The built-in theme: inside the installed package, or at the top of a source checkout."""
    package = Path(roadmapgen.__file__).parent
    for candidate in (package / "themes" / "default", package.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("the built-in theme is missing from this roadmapgen installation")


def theme_chain(project_theme: Path | None) -> tuple[Path, ...]:
    """Theme folders, most specific first."""
    builtin = builtin_theme()
    return (project_theme, builtin) if project_theme and project_theme.resolve() != builtin.resolve() else (builtin,)


def static_files(themes: Sequence[Path]) -> dict[str, Path]:
    """'style.css' -> the file that wins, themes earlier in the chain first."""
    found: dict[str, Path] = {}
    for theme in reversed(themes):
        static = theme / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(static).as_posix()] = path
    return dict(sorted(found.items()))
