"""Every page type of both sites passes the Nu HTML Checker (vnu.jar), the W3C's own validator.

scripts/test installs Java and npm's vnu-jar; like the browser tests, this may skip on a laptop
without them, but not in CI (ROADMAPGEN_REQUIRE_BROWSER=1 makes a skip a failure).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from roadmapgen.commands.build import BuildOptions, build
from tests.conftest import copy_example
from tests.helpers.sitefiles import write_files

# Bodies that once produced invalid HTML: a heading named like a footnote, task lists, tables.
TRICKY_BODY = """## fn1

A claim[^1].

- [x] done
- [ ] open

| a | b |
|:--|--:|
| 1 | 2 |

[^1]: Its source.
"""


def _vnu() -> list[str]:
    jar = os.environ.get("ROADMAPGEN_VNU_JAR", "")
    java = shutil.which("java")
    if java and jar and Path(jar).is_file():
        return [java, "-jar", jar]
    message = "the Nu HTML Checker needs Java and vnu.jar (scripts/test installs both)"
    if os.environ.get("ROADMAPGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(message + ", and ROADMAPGEN_REQUIRE_BROWSER=1 says it must run")
    pytest.skip(message)


def test_every_page_of_both_sites_is_valid_html(tmp_path: Path) -> None:
    vnu = _vnu()
    project = copy_example(tmp_path / "example")
    (project / "content/roadmap/tricky.md").write_text(
        "---\ntitle: Tricky\nstatus: planned\nhorizon: later\nvisibility: public\n---\n" + TRICKY_BODY)
    result = build(project, BuildOptions(output_dir=tmp_path / "out", source_date=dt.date(2026, 11, 20)))
    assert result.ok, [problem.format() for problem in result.report]
    pages = sorted(str(path) for path in (tmp_path / "out").rglob("*.html") if "pagefind" not in path.parts)
    assert len(pages) > 100
    checked = subprocess.run([*vnu, "--errors-only", "--format", "json", *pages], capture_output=True, text=True,
                             timeout=600)
    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/out/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") == "error"]
    assert errors == []
    # Warnings too, on a page with footnotes, a table and code: none (a footnotes <section> without a heading
    # once warned on every such page).
    tricky = str(tmp_path / "out/public/roadmap/tricky/index.html")
    warned = subprocess.run([*vnu, "--format", "json", tricky], capture_output=True, text=True, timeout=600)
    found = json.loads(warned.stderr or warned.stdout or '{"messages": []}')["messages"]
    assert [m["message"] for m in found] == []


def test_a_project_without_internal_base_url_is_valid_too(tmp_path: Path) -> None:
    vnu = _vnu()
    project = write_files(tmp_path / "p", {
        "roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/\n",
        "content/roadmap/a.md": "---\ntitle: A\nstatus: planned\nhorizon: now\nvisibility: public\n---\n" + TRICKY_BODY,
    })
    assert build(project, BuildOptions(output_dir=tmp_path / "out")).ok
    pages = sorted(str(path) for path in (tmp_path / "out").rglob("*.html") if "pagefind" not in path.parts)
    checked = subprocess.run([*vnu, "--errors-only", "--format", "json", *pages], capture_output=True, text=True,
                             timeout=600)
    messages = json.loads(checked.stderr or checked.stdout or '{"messages": []}')["messages"]
    assert [m["message"] for m in messages if m.get("type") == "error"] == []
