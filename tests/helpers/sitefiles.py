"""Inline multi-file fixtures, written the way Hugo's txtar tests are:

    -- roadmapgen.yaml --
    product: Acme
    -- content/roadmap/a.md --
    ---
    title: A
    ---
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_HEADER = re.compile(r"^-- (.+?) --$", re.MULTILINE)


def parse_files(spec: str) -> dict[str, str]:
    parts = _HEADER.split(spec)
    return {name.strip(): body.lstrip("\n") for name, body in zip(parts[1::2], parts[2::2], strict=True)}


def write_files(root: Path, spec: str | dict[str, str | bytes]) -> Path:
    files = parse_files(spec) if isinstance(spec, str) else spec
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path: what golden and determinism tests compare."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a file as a writer would: ``old``, which must be there, becomes ``new``."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def text_of(page: Path) -> str:
    """The page's main content as a reader hears it: tags dropped, spaces collapsed."""
    source = page.read_text()
    main = source[source.index("<main"):source.index("</main>")]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))
