"""Render stage: a planned page -> the bytes of its file."""

from __future__ import annotations

import os
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from roadmapgen.audience.site import Site
from roadmapgen.errors import ContentError
from roadmapgen.markdown.placeholders import place
from roadmapgen.pages.plan import NavLink, PageSpec
from roadmapgen.render.data import WRITERS
from roadmapgen.render.templates import make_environment
from roadmapgen.themes import builtin_theme


@dataclass(frozen=True, slots=True)
class Renderer:
    """Renders pages with one theme chain; reused for every page of both sites."""

    env: jinja2.Environment
    themes: tuple[Path, ...]
    project_dir: Path

    @classmethod
    def for_themes(cls, themes: Sequence[Path], project_dir: Path) -> Renderer:
        return cls(make_environment(themes), tuple(themes), project_dir)

    def render(self, site: Site, nav: tuple[NavLink, ...], spec: PageSpec) -> bytes:
        """The file's bytes, with every in-site URL pointed at the page's root.

        Raises:
            ContentError: at the template file and line when a template fails.
        """
        writer = WRITERS.get(spec.template)
        if writer is not None:
            text = writer(site, spec)
        else:
            try:
                template = self.env.get_template(spec.template)
                text = template.render(site=site, nav=nav, page=spec.page, t=site.info.strings, **spec.values(site))
            except jinja2.TemplateError as exc:
                raise self._located(exc, spec) from None
        return place(text, spec.root).encode("utf-8")

    def _located(self, exc: jinja2.TemplateError, spec: PageSpec) -> ContentError:
        filename, line = _template_position(exc)
        message = f"template error while writing {spec.page.path}: {exc.message or type(exc).__name__}"
        return ContentError(self._display(filename, spec.template), line, 1, message)

    def _display(self, filename: str | None, template: str) -> str:
        if filename is None:
            return f"templates/{template}"
        path = Path(filename).resolve()
        builtin = builtin_theme().resolve()
        if path.is_relative_to(builtin):
            return f"<built-in theme>/{path.relative_to(builtin).as_posix()}"
        return Path(os.path.relpath(path, self.project_dir)).as_posix()


def _template_position(exc: jinja2.TemplateError) -> tuple[str | None, int]:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.filename, exc.lineno
    for frame, line in reversed(list(traceback.walk_tb(exc.__traceback__))):
        filename = frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            return filename, line
    return None, 1
