"""The package as a PM's CI installs it: built, checked, installed without the checkout, and working.

``python -m build`` makes the sdist and the wheel; ``twine check`` passes them; the wheel holds
the themes, templates, scripts, scaffolds and CI templates a build needs and nothing of the
repository's own (tests, benchmarks, the example); installed into a fresh virtual environment
and run from another folder, it builds the example and a project `init` starts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from roadmapgen import __version__
from tests.conftest import REPO, copy_example

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(REPO)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_the_distributions_pass_twine_check(dist: Path) -> None:
    names = sorted(path.name for path in dist.iterdir())
    assert names == [f"roadmapgen-{__version__}-py3-none-any.whl", f"roadmapgen-{__version__}.tar.gz"]
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_wheel_holds_what_a_build_needs_and_nothing_else(dist: Path) -> None:
    wheel = zipfile.ZipFile(next(dist.glob("*.whl")))
    names = set(wheel.namelist())
    needed = ["roadmapgen/themes/default/templates/base.html", "roadmapgen/themes/default/templates/item.html",
              "roadmapgen/themes/default/static/style.css", "roadmapgen/themes/default/static/search.js",
              "roadmapgen/themes/default/static/filters.js", "roadmapgen/scaffolds/item.md",
              "roadmapgen/ci_templates/github.yml", "roadmapgen/ci_templates/gitlab.yml", "roadmapgen/py.typed",
              "roadmapgen/cli/__init__.py"]
    assert [name for name in needed if name not in names] == []
    assert [name for name in names if name.startswith(("tests/", "bench/", "content/", "docs/", "scripts/"))
            or "__pycache__" in name or name.endswith(".pyc")] == []
    metadata = wheel.read(f"roadmapgen-{__version__}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata and "Requires-Python: >=3.11.4" in metadata
    assert "Project-URL: Documentation, https://" in metadata
    assert "Classifier: Programming Language :: Python :: 3.12" in metadata
    description = metadata.split("\n\n", 1)[1]
    assert "](docs/" not in description and "](https://github.com/roadmapgen/roadmapgen/blob/main/docs/" in description


def _install_line() -> str:
    """The generated workflow's install step: the wheel goes in the way a CI overriding ROADMAPGEN puts it."""
    template = (REPO / "roadmapgen/ci_templates/github.yml").read_text()
    return next(line.split("- run: ", 1)[1] for line in template.splitlines() if "pip install" in line)


def test_the_wheel_alone_builds_the_example_and_a_new_project(dist: Path, tmp_path: Path) -> None:
    """Installed into a fresh environment (the libraries it needs from this one, roadmapgen from the wheel
    alone), run from a folder that is not the checkout."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    run = {"capture_output": True, "text": True, "cwd": tmp_path,
           "env": {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}}
    installed = subprocess.run(["bash", "-c", _install_line()], **{**run, "env": {
        **run["env"], "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "ROADMAPGEN": str(next(dist.glob("*.whl"))), "PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1"}})
    assert installed.returncode == 0, installed.stderr
    where = subprocess.run([str(python), "-c", "import roadmapgen; print(roadmapgen.__file__)"], **run)
    assert where.stdout.strip().startswith(str(env_dir)), where.stdout  # the wheel's, not the checkout's
    command = str(env_dir / "bin" / "roadmapgen")
    assert subprocess.run([command, "--version"], **run).stdout.strip() == f"roadmapgen {__version__}"
    example = copy_example(tmp_path / "example")
    built = subprocess.run([command, "build", str(example), "--out", str(tmp_path / "example-site")], **run)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "example-site/public/pagefind/pagefind.js").is_file()
    assert json.loads((tmp_path / "example-site/public/roadmap.json").read_text())["version"] == 1
    started = subprocess.run([command, "init", str(tmp_path / "started")], **run)
    assert started.returncode == 0, started.stderr
    assert "https://" in started.stdout  # where the docs are: a pip-installed user has no docs/ folder
    assert subprocess.run([command, "build", str(tmp_path / "started"), "--strict"], **run).returncode == 0
    assert shutil.which("roadmapgen", path=str(env_dir / "bin"))
