"""Bad content: `roadmapgen check` prints exactly one located line per problem, exits 1, never a traceback.

Each case breaks one file of a small valid project and names the full expected output
line, so both the message and its file:line:col are fixed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.sitefiles import write_files

ALPHA = """\
---
title: Alpha
status: planned
horizon: now
objective: grow
personas: [pat]
visibility: public
---
Alpha body.
"""


def alpha(old: str, new: str) -> dict[str, str]:
    assert old in ALPHA
    return {"content/roadmap/alpha.md": ALPHA.replace(old, new)}


BOMB = "---\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi")
) + "title: x\n---\n"

CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "unknown key": (
        alpha("visibility: public", "visiblity: public"),
        "content/roadmap/alpha.md:7:1: error: unknown key 'visiblity' (did you mean 'visibility'?)",
    ),
    "duplicate key": (
        alpha("horizon: now\n", "horizon: now\nhorizon: next\n"),
        "content/roadmap/alpha.md:5:1: error: duplicate key 'horizon' (first given on line 4)",
    ),
    "missing required field": (
        alpha("title: Alpha\n", ""),
        "content/roadmap/alpha.md:2:1: error: missing required key 'title'",
    ),
    "horizon required unless shipped": (
        alpha("horizon: now\n", ""),
        "content/roadmap/alpha.md:2:1: error: missing required key 'horizon' (now, next or later): "
        "an item with status 'planned' needs one",
    ),
    "bad enum": (
        alpha("status: planned", "status: done"),
        "content/roadmap/alpha.md:3:9: error: 'status' must be one of 'planned', 'in-progress', 'beta', "
        "'shipped', 'paused' or 'cancelled', not 'done'",
    ),
    "bad date": (
        {"content/releases/1.0.0.md": "---\nversion: 1.0.0\ndate: 2026-02-30\n---\n"},
        "content/releases/1.0.0.md:3:7: error: 'date' must be a real date like 2026-03-31, not '2026-02-30'",
    ),
    "bad target": (
        alpha("visibility: public", "target: 2027-H2\nvisibility: public"),
        "content/roadmap/alpha.md:7:9: error: 'target' must be a quarter, month or day like 2026-Q3, 2026-09 "
        "or 2026-09-30, not '2027-H2'",
    ),
    "dangling objective": (
        alpha("objective: grow", "objective: shrink"),
        "content/roadmap/alpha.md:5:12: error: no objective 'shrink' (there is no content/objectives/shrink.md)",
    ),
    "dangling persona": (
        alpha("[pat]", "[pat, nobody]"),
        "content/roadmap/alpha.md:6:17: error: no persona 'nobody' (there is no content/personas/nobody.md)",
    ),
    "dangling story persona": (
        alpha("visibility: public", "stories:\n  - persona: ghost\n    want: things\nvisibility: public"),
        "content/roadmap/alpha.md:8:14: error: no persona 'ghost' (there is no content/personas/ghost.md)",
    ),
    "dangling ships": (
        {"content/releases/1.0.0.md": "---\nversion: 1.0.0\ndate: 2026-01-15\nships: [beta, gamma]\n---\n"},
        "content/releases/1.0.0.md:4:15: error: no roadmap item 'gamma' (there is no content/roadmap/gamma.md)",
    ),
    "dangling feedback persona": (
        {"content/feedback/call.md": "---\ndate: 2026-02-01\nsource: interview\npersona: ghost\n---\n"},
        "content/feedback/call.md:4:10: error: no persona 'ghost' (there is no content/personas/ghost.md)",
    ),
    "dangling feedback item": (
        {"content/feedback/call.md": "---\ndate: 2026-02-01\nsource: interview\nitems: [alpha, zeta]\n---\n"},
        "content/feedback/call.md:4:16: error: no roadmap item 'zeta' (there is no content/roadmap/zeta.md); "
        "did you mean 'beta'?",
    ),
    "feedback marked public": (
        {"content/feedback/call.md": "---\ndate: 2026-02-01\nsource: interview\nvisibility: public\n---\n"},
        "content/feedback/call.md:4:13: error: 'visibility' cannot be 'public': feedback is customer evidence "
        "and never published",
    ),
    "version not equal to file name": (
        {"content/releases/1.0.0.md": "---\nversion: 1.0.1\ndate: 2026-01-15\n---\n"},
        "content/releases/1.0.0.md:2:10: error: version '1.0.1' does not match the file name '1.0.0.md'",
    ),
    "YAML syntax error": (
        alpha("title: Alpha", "title: Alpha: the first"),
        "content/roadmap/alpha.md:2:13: error: YAML syntax error: a value contains ': '; put the value in quotes",
    ),
    "tab indentation": (
        alpha("visibility: public", "rice:\n\treach: 3\nvisibility: public"),
        "content/roadmap/alpha.md:8:1: error: tab character in YAML; indent with spaces, not tabs",
    ),
    "unclosed front matter": (
        {"content/roadmap/alpha.md": "---\ntitle: Alpha\nstatus: planned\n"},
        "content/roadmap/alpha.md:1:1: error: front matter is not closed: add a line '---' after it",
    ),
    "empty file": (
        {"content/roadmap/alpha.md": ""},
        "content/roadmap/alpha.md:1:1: error: file is empty; a document starts with front matter between '---' lines",
    ),
    "no front matter": (
        {"content/roadmap/alpha.md": "# Alpha\n\nJust text.\n"},
        "content/roadmap/alpha.md:1:1: error: missing front matter: the first line must be '---'",
    ),
    "front matter not a mapping": (
        {"content/roadmap/alpha.md": "---\n- a\n- b\n---\n"},
        "content/roadmap/alpha.md:2:1: error: expected keys and values (like 'title: ...'), found a list",
    ),
    "non-UTF-8": (
        {
            "content/roadmap/alpha.md": ALPHA.replace("Alpha body.", "Caf\udce9 body.").encode(
                "utf-8", "surrogateescape"
            )
        },
        "content/roadmap/alpha.md:9:4: error: file is not UTF-8 (byte 0xe9); save it with UTF-8 encoding",
    ),
    "bad slug": (
        {"content/roadmap/My Item.md": ALPHA},
        "content/roadmap/My Item.md:1:1: error: file name 'My Item.md' is not a valid slug: use lowercase letters, "
        "digits and single '-', like 'my-item.md'",
    ),
    "link to a missing file": (
        alpha("Alpha body.", "See [Zed](../personas/zed.md)."),
        "content/roadmap/alpha.md:9:11: error: link to a missing file: content/personas/zed.md",
    ),
    "RICE out of range": (
        alpha("visibility: public", "rice: {reach: 5, impact: 4, confidence: 1.5, effort: 0}\nvisibility: public"),
        "content/roadmap/alpha.md:7:26: error: 'impact' must be one of 0.25, 0.5, 1, 2 or 3, not the number 4",
    ),
    "wrong type": (
        alpha("personas: [pat]", "personas: pat"),
        "content/roadmap/alpha.md:6:11: error: 'personas' must be a list, like [a, b], not 'pat'",
    ),
    "number where text is expected": (
        alpha("title: Alpha", "title: 2026"),
        "content/roadmap/alpha.md:2:8: error: 'title' must be text, not the number 2026 (put it in quotes to "
        "make it text)",
    ),
    "missing avatar file": (
        {"content/personas/pat.md": "---\nname: Pat\nrole: Lead\navatar: assets/missing.png\n---\n"},
        "content/personas/pat.md:4:9: error: avatar file not found: content/assets/missing.png",
    ),
    "avatar escaping assets": (
        {"content/personas/pat.md": "---\nname: Pat\nrole: Lead\navatar: assets/../../secret.png\n---\n"},
        "content/personas/pat.md:4:9: error: 'avatar' must stay inside assets/ ('..' is not allowed), "
        "not 'assets/../../secret.png'",
    ),
    "config without base_url": (
        {"roadmapgen.yaml": "product: Acme\n"},
        "roadmapgen.yaml:1:1: error: missing required key 'base_url'",
    ),
    "unknown config key": (
        {"roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/\nthme: dark\n"},
        "roadmapgen.yaml:3:1: error: unknown key 'thme' (did you mean 'theme'?)",
    ),
    "python tag": (
        alpha("title: Alpha", "title: !!python/object/apply:os.system ['echo pwned']"),
        "content/roadmap/alpha.md:2:8: error: YAML tag '!!python/object/apply:os.system' is not allowed",
    ),
    "alias bomb": (
        {"content/roadmap/alpha.md": BOMB},
        "content/roadmap/alpha.md:3:4: error: YAML anchors and aliases (&name, *name) are not allowed",
    ),
    "deeply nested YAML": (
        {"content/roadmap/alpha.md": "---\ntitle: " + "[" * 30000 + "]" * 30000 + "\n---\n"},
        "content/roadmap/alpha.md:2:72: error: YAML is nested more than 64 levels deep",
    ),
    "control character": (
        alpha("title: Alpha", 'title: "Al\\0pha"'),
        "content/roadmap/alpha.md:2:8: error: control characters are not allowed in text",
    ),
    "HTML comment": (
        alpha("Alpha body.", "Alpha body. <!-- price for ACME: 40k -->"),
        "content/roadmap/alpha.md:9:1: error: HTML comments are not hidden: they would be published as text; "
        "use a '::: internal' block for notes",
    ),
    "misspelt internal block": (
        alpha("Alpha body.", "::: internl\nsecret\n:::"),
        "content/roadmap/alpha.md:9:1: error: unknown block '::: internl'; the only block is '::: internal' "
        "(did you mean 'internal'?)",
    ),
    "link leaving the content folder": (
        alpha("Alpha body.", "[x](../../secrets.md)"),
        "content/roadmap/alpha.md:9:5: error: link '../../secrets.md' leads outside the content folder",
    ),
    "unknown folder": (
        {"content/persona/sam.md": ALPHA},
        "content/persona:1:1: error: unexpected folder 'persona' in the content folder (did you mean 'personas'?)",
    ),
    "metrics file with the wrong suffix": (
        {"content/metrics/csat.yml": "name: CSAT\n"},
        "content/metrics/csat.yml:1:1: error: unexpected file: metric files end in '.yaml'",
    ),
    "two points on one day": (
        {
            "content/metrics/nps.yaml": "name: NPS\nkind: nps\npoints:\n  - {date: 2026-01-31, value: 1}\n"
            "  - {date: 2026-01-31, value: 2}\n"
        },
        "content/metrics/nps.yaml:5:12: error: a second value for 2026-01-31",
    ),
}


@pytest.mark.timeout(20)
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_is_reported_at_its_place(case: str, small_project: Path, run_cli) -> None:
    files, expected = CASES[case]
    write_files(small_project, files)
    result = run_cli("check", small_project)
    assert result.code == 1, result.out + result.err
    assert expected in result.out.splitlines(), result.out
    assert "Traceback" not in result.out + result.err


def test_every_problem_of_a_run_is_reported(small_project: Path, run_cli) -> None:
    write_files(small_project, {**alpha("status: planned", "status: done"),
                                "content/releases/1.0.0.md": "---\nversion: 2.0.0\ndate: 2026-01-15\n---\n"})
    result = run_cli("check", small_project)
    assert result.out.splitlines() == [
        "content/releases/1.0.0.md:2:10: error: version '2.0.0' does not match the file name '1.0.0.md'",
        "content/roadmap/alpha.md:3:9: error: 'status' must be one of 'planned', 'in-progress', 'beta', "
        "'shipped', 'paused' or 'cancelled', not 'done'",
        # The release rewritten above no longer ships beta: the roadmap now contradicts itself.
        "content/roadmap/beta.md:3:9: warning: status is 'shipped' but no release ships it: add it to a release's "
        "'ships'",
        "2 errors, 1 warning.",
    ]


def test_a_broken_file_does_not_make_its_referrers_fail(small_project: Path, run_cli) -> None:
    """The feedback naming 'alpha' is fine; only alpha.md itself is reported."""
    write_files(small_project, alpha("status: planned", "status: done"))
    lines = run_cli("check", small_project).out.splitlines()
    assert [line for line in lines if ": error:" in line and "alpha.md" not in line] == []
    assert [line for line in lines if ": error:" in line] == [  # positive control: the broken file itself
        "content/roadmap/alpha.md:3:9: error: 'status' must be one of 'planned', 'in-progress', 'beta', 'shipped', "
        "'paused' or 'cancelled', not 'done'"]


def test_check_writes_nothing(small_project: Path, run_cli, tmp_path: Path) -> None:
    before = sorted(small_project.rglob("*"))
    assert run_cli("check", small_project).code == 0
    assert sorted(small_project.rglob("*")) == before
    # Positive control: a build of the same project does write into it (its cache), so the check above could fail.
    assert run_cli("build", small_project, "--out", tmp_path / "out").code == 0
    assert sorted(small_project.rglob("*")) != before


CONSISTENCY = {
    "roadmapgen.yaml": "product: Acme\nbase_url: https://example.com/\n",
    "content/roadmap/sso.md": "---\ntitle: SSO\nstatus: beta\nhorizon: now\n---\nSee [Priya](../personas/priya) "
                              "and [the plan](/roadmap/plan/).\n",
    "content/roadmap/sso-again.md": "---\ntitle: sso\nstatus: shipped\nhorizon: now\n---\n",
    "content/releases/1.0.md": '---\nversion: "1.0"\ndate: 2026-01-01\nships: [sso, ssso]\n---\n',
    "content/personas/priya.md": "---\nname: Priya\nrole: Admin\n---\n",
}


def test_the_roadmap_must_not_contradict_itself(tmp_path: Path, run_cli) -> None:
    """A release shipping an item still in beta, a shipped item no release ships or in a horizon,
    two items of one name, a misspelt slug, a link without .md, a link from the site root."""
    from tests.helpers.sitefiles import write_files

    result = run_cli("check", write_files(tmp_path / "p", CONSISTENCY))
    assert result.out.splitlines() == [
        "content/releases/1.0.md:4:9: warning: ships 'sso', whose status is 'beta' (in content/roadmap/sso.md); "
        "set it to 'shipped'",
        "content/releases/1.0.md:4:14: error: no roadmap item 'ssso' (there is no content/roadmap/ssso.md); "
        "did you mean 'sso'?",
        "content/roadmap/sso-again.md:2:8: warning: another item has the same title: content/roadmap/sso.md",
        "content/roadmap/sso-again.md:3:9: warning: status is 'shipped' but no release ships it: add it to a "
        "release's 'ships'",
        "content/roadmap/sso-again.md:4:10: warning: a shipped item has no horizon: remove 'horizon: now'",
        "content/roadmap/sso.md:6:13: error: link '../personas/priya' names neither a content document nor a file "
        "under assets/; did you mean '../personas/priya.md'?",
        "content/roadmap/sso.md:6:47: warning: '/roadmap/plan/' starts with '/': it breaks when the site is served "
        "under a path (GitHub Pages, a subfolder); link to the file, relative to this one",
        "2 errors, 5 warnings.",
    ]


def test_an_unreadable_release_does_not_make_shipped_items_warn(small_project: Path, run_cli) -> None:
    """The release that ships them may be the one that failed to load: only its own error is reported."""
    write_files(small_project, {"content/releases/1.0.0.md": "---\nversion: [1.0.0\n---\n"})
    lines = run_cli("check", small_project).out.splitlines()
    assert [line for line in lines if "content/releases/1.0.0.md" not in line] == ["1 error, 0 warnings."]
    assert [line for line in lines if line.startswith("content/releases/1.0.0.md:")]  # positive control
