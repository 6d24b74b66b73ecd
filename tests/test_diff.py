"""`roadmapgen diff`: roadmap changes between git revisions, per audience, in three formats."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import copy_example
from tests.helpers.gitrepo import git
from tests.helpers.sitefiles import replace_in

pytestmark = pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
                                reason="needs git")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose project lives in a subfolder, with one commit of the example."""
    root = tmp_path / "repo"
    copy_example(root / "roadmap")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "before")
    git(root, "tag", "before")
    return root


def change_roadmap(project: Path) -> None:
    roadmap = project / "content" / "roadmap"
    replace_in(roadmap / "voice-channel.md", "horizon: later", "horizon: now\ntarget: 2027-Q3")
    replace_in(roadmap / "voice-channel.md", "title: Phone support", "title: Phone and voice")
    replace_in(roadmap / "sla-policies.md", "status: in-progress", "status: beta")
    replace_in(roadmap / "macros.md", "visibility: public", "visibility: internal")
    replace_in(roadmap / "custom-roles.md", "horizon: next", "horizon: now")
    replace_in(roadmap / "custom-roles.md", "title: Custom roles and permissions", "title: SECRET-RENAME")
    (roadmap / "bulk-actions.md").unlink()
    for release in (project / "content" / "releases").glob("*.md"):
        text = release.read_text(encoding="utf-8")
        release.write_text(text.replace("bulk-actions, ", "").replace(", bulk-actions", "")
                           .replace("[bulk-actions]", "[]"), encoding="utf-8")
    for feedback in (project / "content").rglob("*.md"):
        text = feedback.read_text(encoding="utf-8")
        if "bulk-actions" in text:
            feedback.write_text(text.replace("bulk-actions, ", "").replace(", bulk-actions", "")
                                .replace("[bulk-actions]", "[]").replace("(bulk-actions.md)", "(macros.md)")
                                .replace("../roadmap/bulk-actions.md", "../roadmap/macros.md"), encoding="utf-8")
    (roadmap / "kanban-view.md").write_text(
        "---\ntitle: Kanban view\nstatus: planned\nhorizon: later\nvisibility: public\n---\nTickets as cards.\n",
        encoding="utf-8")


def test_public_diff_shows_only_what_customers_see_change(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    change_roadmap(project)
    result = run_cli("diff", "before", project, "--audience", "public", "--format", "json")
    assert result.code == 0, result.err
    changes = {(c["change"], c["slug"], c["before"], c["after"]) for c in json.loads(result.out)["changes"]}
    assert changes == {
        ("added", "kanban-view", None, "later · planned"),
        ("removed", "bulk-actions", "shipped", None),
        ("removed", "macros", "shipped", None),  # made internal: customers no longer see it
        ("moved", "voice-channel", "later", "now"),
        ("retargeted", "voice-channel", None, "2027-Q3"),
        ("renamed", "voice-channel", "Phone support", "Phone and voice"),
        ("status", "sla-policies", "in-progress", "beta"),
        ("changed", "3.4.0", "Macros", None),  # the public release no longer lists an item made internal
        ("changed", "3.5.0", "Inbox rules, Bulk actions", "Inbox rules"),
    }
    assert "custom-roles" not in result.out and "SECRET" not in result.out
    urls = [c["url"] for c in json.loads(result.out)["changes"]]
    assert "https://roadmap.brightdesk.example/roadmap/kanban-view/" in urls


def test_internal_diff_shows_every_item(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    change_roadmap(project)
    result = run_cli("diff", "before", project)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "Roadmap changes from before to the working tree (internal site): "
        "1 added, 1 removed, 1 visibility, 2 moved, 1 status changed, 1 retargeted, 2 renamed, 1 changed")
    assert "custom-roles" in result.out and "Custom roles and permissions → SECRET-RENAME" in result.out
    assert re.search(r"^  visibility +macros +Macros: public → internal$", result.out, re.MULTILINE)
    assert re.search(r"^Releases:\n  ships changed +3\.5\.0 +3\.5\.0: Rules and bulk actions: "
                     r"Inbox rules, Bulk actions → Inbox rules$", result.out, re.MULTILINE)


def test_between_two_commits_and_as_markdown(repo: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    project = repo / "roadmap"
    change_roadmap(project)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "after")
    replace_in(project / "content" / "roadmap" / "saml-sso.md", "target: 2026-Q4", "target: 2027-Q1")  # uncommitted
    monkeypatch.chdir(project)
    result = run_cli("diff", "before", "HEAD", "--audience", "public", "--format", "markdown")
    assert result.code == 0, result.err
    assert "| Change | Item | Before | After |" in result.out
    assert "| added | [Kanban view](<https://roadmap.brightdesk.example/roadmap/kanban-view/>) |  | later · planned |" \
        in result.out
    assert "saml-sso" not in result.out  # the working tree is not HEAD
    assert "2027-Q1" in run_cli("diff", "HEAD").out


def test_no_changes(repo: Path, run_cli) -> None:
    result = run_cli("diff", "HEAD", repo / "roadmap")
    assert (result.code, result.out) == (0, "No roadmap changes from HEAD to the working tree (internal site).\n")


def test_errors_name_the_revision(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    replace_in(project / "content" / "roadmap" / "macros.md", "status: shipped", "status: done")
    git(repo, "commit", "-q", "-am", "broken")
    replace_in(project / "content" / "roadmap" / "macros.md", "status: done", "status: shipped")
    result = run_cli("diff", "HEAD", project)
    assert result.code == 1
    assert result.err.startswith("HEAD:content/roadmap/macros.md:3:9: error: ")
    assert "Traceback" not in result.err


@pytest.mark.parametrize("revision", ["no-such-branch", "HEAD~9", "--output=x.tar"])
def test_unknown_revision_is_a_usage_error(repo: Path, run_cli, revision: str) -> None:
    result = run_cli("diff", "--", revision, repo / "roadmap")
    assert result.code == 2
    assert f"{revision!r} is not a revision" in result.err
    assert not (repo / "x.tar").exists()


def test_outside_git_is_a_usage_error(example_project: Path, run_cli) -> None:
    result = run_cli("diff", "HEAD", example_project)
    assert result.code == 2 and "not in a git repository" in result.err


def test_a_release_made_public_is_what_the_merge_publishes(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    release = project / "content/releases/3.7.0.md"
    replace_in(release, "visibility: public", "visibility: internal")
    git(repo, "commit", "-q", "-am", "3.7.0 not yet")
    replace_in(release, "visibility: internal", "visibility: public")
    git(repo, "commit", "-q", "-am", "publish 3.7.0")
    result = run_cli("diff", "HEAD~1..HEAD", project, "--audience", "public", "--format", "markdown")
    assert result.code == 0, result.err
    assert "#### Releases" in result.out
    assert ("| added | [3.7.0: Dark mode and suggested replies beta]"
            "(<https://roadmap.brightdesk.example/releases/3.7.0/>) |  | 2026-10-06 |") in result.out


def test_metrics_personas_and_text_changes(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    # November's answers: 2 promoters and 1 detractor of 4, an NPS of 25.
    with (project / "content/metrics/nps-responses.csv").open("a") as responses:
        responses.write("2026-11-03,10,n1\n2026-11-04,8,n2\n2026-11-05,9,n3\n2026-11-06,3,n4\n")
    replace_in(project / "content/personas/maya-agent.md", "role: Support agent", "role: Senior support agent")
    replace_in(project / "content/roadmap/saml-sso.md", "Admins connect", "Admins securely connect")
    result = run_cli("diff", "HEAD", project, "--audience", "public", "--format", "json")
    assert result.code == 0, result.err
    changes = {(c["kind"], c["change"], c["field"], c["slug"], c["before"], c["after"])
               for c in json.loads(result.out)["changes"]}
    # Four answers in November: too few to publish (min_responses, 10 by default), so the merge publishes
    # no new NPS value; the internal diff has it.
    assert changes == {
        ("persona", "changed", "role", "maya-agent", "Support agent", "Senior support agent"),
        ("item", "text", None, "saml-sso", "+1 / -0 words", None),
    }
    internal = run_cli("diff", "HEAD", project, "--format", "json")
    assert ("metric", "points", "1 new point, latest 25 on 2026-11-30") in {
        (c["kind"], c["change"], c["before"]) for c in json.loads(internal.out)["changes"]}


def test_the_markdown_report_fits_in_a_comment() -> None:
    from roadmapgen.audience.context import Audience
    from roadmapgen.commands.diff import Change, DiffResult, as_markdown

    changes = [Change("added", "item", f"item-{n:05d}", f"Item {n} " + "x" * 80, f"https://e.example/roadmap/item-{n}/",
                      None, "later · planned") for n in range(2000)]
    text = as_markdown(DiffResult("main", "HEAD", Audience.PUBLIC, changes))
    assert len(text) <= 65_536
    shown = text.count("| added |")
    assert 100 < shown < 2000
    assert text.rstrip().endswith(f"_…and {2000 - shown} more changes, left out to stay within a comment's size; "
                                  "run `roadmapgen diff` for all of them._")


def test_a_shallow_clone_warns_and_says_how_to_fetch_history(repo: Path, run_cli, tmp_path: Path) -> None:
    replace_in(repo / "roadmap/content/roadmap/macros.md", "title: Macros", "title: Saved replies")
    git(repo, "commit", "-q", "-am", "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    built = run_cli("build", clone / "roadmap", "--out", tmp_path / "out")
    assert built.code == 0, built.err
    assert built.err.count("warning: this is a shallow git clone") == 1
    assert "fetch-depth: 0" in built.err
    compared = run_cli("diff", "HEAD~1", clone / "roadmap")
    assert compared.code == 2
    assert "'HEAD~1' is not a revision in this repository: this is a shallow clone" in compared.err
    assert "git fetch --unshallow" in compared.err
    full = run_cli("build", repo / "roadmap", "--out", tmp_path / "out2")
    assert "shallow" not in full.err


def test_three_dot_range_compares_from_where_the_branch_left(repo: Path, run_cli) -> None:
    project = repo / "roadmap"
    git(repo, "checkout", "-q", "-b", "feature")
    replace_in(project / "content/roadmap/macros.md", "title: Macros", "title: Saved replies")
    git(repo, "commit", "-q", "-am", "feature change")
    git(repo, "checkout", "-q", "main")
    replace_in(project / "content/roadmap/dark-mode.md", "title: Dark mode", "title: Night mode")
    git(repo, "commit", "-q", "-am", "main moves on")
    result = run_cli("diff", "main...feature", project, "--format", "json")
    assert result.code == 0, result.err
    slugs = {c["slug"] for c in json.loads(result.out)["changes"]}
    assert "macros" in slugs and "dark-mode" not in slugs  # only what the branch adds
    two_dots = run_cli("diff", "main..feature", project, "--format", "json")
    two_dots = {c["slug"] for c in json.loads(two_dots.out)["changes"]}
    assert {"macros", "dark-mode"} <= two_dots


def _public_items(project: Path, out: Path, run_cli) -> dict[str, dict[str, object]]:
    assert run_cli("build", project, "--out", out, "--audience", "public", "--no-cache").code == 0
    items = json.loads((out / "public/roadmap.json").read_text(encoding="utf-8"))["items"]
    return {item["slug"]: {name: item.get(name) for name in ("title", "status", "horizon", "target")}
            for item in items}


def test_the_public_diff_is_what_building_both_revisions_publishes(tmp_path: Path, run_cli) -> None:
    """A revision's .gitattributes may hide a file from `git archive` (export-ignore), write commit
    metadata into one (export-subst) or run a filter over it: none of it may change what diff reads.
    The reference is a build of each revision from a clean clone, whose checkout applies nothing."""
    root = tmp_path / "repo"
    copy_example(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "before")
    roadmap = root / "content/roadmap"
    (roadmap / "kanban-view.md").write_text(
        "---\ntitle: Kanban view\nstatus: planned\nhorizon: later\nvisibility: public\n---\nTickets as cards.\n")
    replace_in(roadmap / "macros.md", "summary: Save common replies", "summary: $Format:%ae %s$ Save common replies")
    replace_in(roadmap / "dark-mode.md", "title:", "title: Tickets")
    (root / ".gitattributes").write_text("content/roadmap/kanban-view.md export-ignore\n"
                                         "content/roadmap/macros.md export-subst\n"
                                         "content/roadmap/dark-mode.md filter=secret\n")
    git(root, "config", "filter.secret.smudge", "sed s/Tickets/Secret-customer-Acme/")
    git(root, "config", "filter.secret.clean", "cat")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Launch plan for Acme Corp")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(root), str(clone))
    references = {}
    for revision in ("main~1", "main"):
        git(clone, "checkout", "-q", f"origin/{revision}")
        references[revision] = _public_items(clone, tmp_path / f"out-{len(references)}", run_cli)
    before, after = references["main~1"], references["main"]
    result = run_cli("diff", "HEAD~1", "HEAD", root, "--audience", "public", "--format", "json")
    assert result.code == 0, result.err
    changes = [c for c in json.loads(result.out)["changes"] if c["kind"] == "item"]
    assert {c["slug"] for c in changes if c["change"] == "added"} == after.keys() - before.keys() == {"kanban-view"}
    assert {c["slug"] for c in changes if c["change"] == "removed"} == before.keys() - after.keys()
    renamed = {c["slug"]: c["after"] for c in changes if c["change"] == "renamed"}
    assert renamed == {slug: after[slug]["title"] for slug in before.keys() & after.keys()
                       if before[slug]["title"] != after[slug]["title"]}
    assert renamed["dark-mode"].startswith("Tickets")
    text = run_cli("diff", "HEAD~1", "HEAD", root, "--audience", "public").out
    for secret in ("pm@example.com", "Acme Corp", "Secret-customer-Acme"):
        assert secret not in result.out + text


def test_the_internal_diff_reports_every_field_the_internal_site_shows(repo: Path, run_cli) -> None:
    """An owner, a RICE estimate or the public wording changing is news to the team; not to customers."""
    project = repo / "roadmap"
    item = project / "content/roadmap/saml-sso.md"
    replace_in(item, "owner: Ines Duarte", "owner: Sam Lee")
    replace_in(item, "effort: 3}", "effort: 4}")
    replace_in(item, "title: Single sign-on with SAML", "title: Single sign-on with SAML\npublic: {summary: Soon.}")
    replace_in(project / "content/feedback/2026-08-sales-acme.md", "revenue: 172800", "revenue: 180000")
    internal = run_cli("diff", "HEAD", project, "--format", "json")
    assert internal.code == 0, internal.err
    changes = {(c["slug"], c["field"], c["before"], c["after"]) for c in json.loads(internal.out)["changes"]
               if c["change"] == "changed"}
    assert changes == {
        ("saml-sso", "owner", "Ines Duarte", "Sam Lee"),
        ("saml-sso", "rice", "reach 900 · impact 2 · confidence 0.8 · effort 3 · score 480",
         "reach 900 · impact 2 · confidence 0.8 · effort 4 · score 360"),
        ("saml-sso", "public_summary", None, "Soon."),
        ("2026-08-sales-acme", "revenue", "172800", "180000"),
    }
    text = run_cli("diff", "HEAD", project)
    assert "  owner changed " in text.out and "  RICE changed " in text.out and "  public summary changed " in text.out
    public = run_cli("diff", "HEAD", project, "--audience", "public", "--format", "json")
    assert [(c["change"], c["field"], c["after"]) for c in json.loads(public.out)["changes"]] == [
        ("changed", "summary", "Soon.")]  # customers see the new summary, nothing of the rest
