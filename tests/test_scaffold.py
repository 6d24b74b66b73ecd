"""`roadmapgen init` and `roadmapgen new`: what they make passes check, builds, and stays internal."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from roadmapgen.commands.scaffold import NEW_KINDS
from roadmapgen.kinds.registry import KINDS
from roadmapgen.kinds.slugs import slugify


def test_init_makes_a_project_that_checks_and_builds(tmp_path: Path, run_cli) -> None:
    folder = tmp_path / "acme-desk"
    result = run_cli("init", folder)
    assert result.code == 0, result.err
    assert "Created" in result.out and "roadmapgen serve" in result.out
    assert "product: Acme Desk" in (folder / "roadmapgen.yaml").read_text()
    for kind_folder in ("objectives", "personas", "roadmap", "releases", "feedback", "metrics"):
        assert len(list((folder / "content" / kind_folder).iterdir())) == 1, kind_folder
    check = run_cli("check", folder, "--strict")
    assert (check.code, check.out) == (0, "No problems found.\n"), check.out
    assert run_cli("build", folder).code == 0
    public = folder / "site" / "public"
    assert not list((public / "roadmap").glob("*/")), "a new project publishes no item until one says so"
    assert (folder / "site" / "internal" / "roadmap" / "first-roadmap-item" / "index.html").is_file()


def test_init_refuses_an_existing_project(example_project: Path, run_cli) -> None:
    before = (example_project / "roadmapgen.yaml").read_bytes()
    result = run_cli("init", example_project)
    assert result.code == 2 and "already exists" in result.err
    assert (example_project / "roadmapgen.yaml").read_bytes() == before


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_new_document_of_each_kind_checks(example_project: Path, run_cli, kind: str) -> None:
    name = "9.9.9" if kind == "release" else "Zebra: stripes & spots"
    result = run_cli("new", kind, name, example_project)
    assert result.code == 0, result.err
    created = Path(result.out.removeprefix("Created ").strip())
    suffix = KINDS[kind].suffix
    expected_name = f"9.9.9{suffix}" if kind == "release" else f"zebra-stripes-spots{suffix}"
    assert created.parent.resolve() == example_project / "content" / KINDS[kind].folder
    assert created.name == expected_name
    check = run_cli("check", example_project, "--strict")
    assert check.code == 0, check.out
    text = created.read_text(encoding="utf-8")
    front_matter = yaml.safe_load(text.split("---\n")[1] if KINDS[kind].has_body else text)
    title = front_matter.get("title") or front_matter.get("name")
    if KINDS[kind].slug_rule == "slug" and {"title", "name"} & KINDS[kind].model.model_fields.keys():
        assert title == "Zebra: stripes & spots"  # the words typed become its title or name
    assert front_matter.get("visibility", "internal") == "internal"


def test_new_finds_the_project_from_inside_it(example_project: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(example_project / "content" / "roadmap")
    result = run_cli("new", "item", "offline-mode")
    assert result.code == 0, result.err
    text = (example_project / "content" / "roadmap" / "offline-mode.md").read_text()
    assert "title: Offline mode\n" in text


def test_new_never_overwrites(example_project: Path, run_cli) -> None:
    path = example_project / "content" / "roadmap" / "saml-sso.md"
    before = path.read_bytes()
    result = run_cli("new", "item", "saml-sso", example_project)
    assert result.code == 2 and "already exists" in result.err
    assert path.read_bytes() == before


@pytest.mark.parametrize(("kind", "name"), [("release", "../../etc/passwd"), ("item", "!!!"), ("release", "1..2")])
def test_new_refuses_names_that_make_no_file_name(example_project: Path, run_cli, kind: str, name: str) -> None:
    result = run_cli("new", kind, name, example_project)
    assert result.code == 2, result.out
    assert "Traceback" not in result.err


def test_slugify() -> None:
    assert slugify("Überweisung & SSO!") == "uberweisung-sso"
    assert slugify("  Two   spaces ") == "two-spaces"
