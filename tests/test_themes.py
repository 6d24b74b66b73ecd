"""Themes: a project theme overrides or extends the built-in one; template mistakes are located."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from roadmapgen.render.templates import make_environment
from roadmapgen.themes import builtin_theme, theme_chain
from tests.conftest import REPO
from tests.helpers.sitefiles import write_files


def _use_theme(project: Path, files: dict[str, str]) -> None:
    config = project / "roadmapgen.yaml"
    config.write_text(config.read_text() + "theme: brand\n")
    write_files(project, {f"themes/brand/{name}": text for name, text in files.items()})


def test_project_template_extends_the_builtin_one(small_project: Path, run_cli) -> None:
    _use_theme(small_project, {
        "templates/item.html": '{% extends "!default/item.html" %}\n'
                               '{% block title %}{{ item.title }} | Acme roadmap{% endblock %}\n',
        "static/extra.css": "body { color: rebeccapurple; }\n",
    })
    assert run_cli("build", small_project).code == 0
    page = (small_project / "site/public/roadmap/alpha/index.html").read_text()
    assert "<title>Alpha | Acme roadmap</title>" in page
    assert "Alpha body." in page
    assert (small_project / "site/public/static/extra.css").is_file()
    assert (small_project / "site/public/static/style.css").is_file()


def test_template_error_is_reported_at_the_template_line(small_project: Path, run_cli) -> None:
    _use_theme(small_project, {"templates/persona.html": '{% extends "base.html" %}\n{% block content %}\n'
                                                         "{{ persona.name }\n{% endblock %}\n"})
    result = run_cli("build", small_project)
    assert result.code == 1
    assert re.search(r"themes/brand/templates/persona\.html:3:1: error: template error while writing "
                     r"personas/pat/index\.html: unexpected '}'", result.err), result.err
    assert "Traceback" not in result.err


def test_public_template_cannot_print_an_internal_field(small_project: Path, run_cli) -> None:
    """StrictUndefined: asking for the owner on the public site fails instead of printing nothing."""
    _use_theme(small_project, {"templates/item.html": '{% extends "!default/item.html" %}\n'
                                                      "{% block title %}{{ item.owner }}{% endblock %}\n"})
    result = run_cli("build", small_project)
    assert result.code == 1
    assert re.search(r"themes/brand/templates/item\.html:2:1: error: template error while writing "
                     r"roadmap/\w+/index\.html: 'roadmapgen.audience.views.ItemView object' has no attribute 'owner'",
                     result.err), result.err
    assert not (small_project / "site").exists()


def test_unknown_theme_is_an_error(small_project: Path, run_cli) -> None:
    config = small_project / "roadmapgen.yaml"
    config.write_text(config.read_text() + "theme: nope\n")
    result = run_cli("check", small_project)
    assert "roadmapgen.yaml:3:8: error: theme 'nope' not found: there is no folder themes/nope" in result.out


def test_every_template_autoescapes() -> None:
    env = make_environment(theme_chain(None))
    names = env.list_templates()
    assert "item.html" in names and "feed.xml" in names
    assert env.autoescape is True


def test_no_template_marks_content_safe() -> None:
    """Only Markdown bodies are trusted HTML; '|safe' would trust anything."""
    offenders = [path.relative_to(builtin_theme()).as_posix() for path in (builtin_theme() / "templates").rglob("*")
                 if path.is_file() and re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", path.read_text())]
    assert offenders == []


@pytest.mark.slow
def test_wheel_ships_the_builtin_theme(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("roadmapgen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "roadmapgen/themes/default/templates/base.html" in names
    assert "roadmapgen/themes/default/static/style.css" in names
    assert "roadmapgen/py.typed" in names
    # Every file the registry and `roadmapgen ci` read at run time.
    from roadmapgen.kinds.registry import KINDS

    for kind in KINDS.values():
        if kind.scaffold:
            assert f"roadmapgen/scaffolds/{kind.scaffold}" in names
        for template in filter(None, (kind.page_template, kind.listing.template if kind.listing else None)):
            assert f"roadmapgen/themes/default/templates/{template}" in names
    assert {"roadmapgen/ci_templates/github.yml", "roadmapgen/ci_templates/gitlab.yml"} <= set(names)
