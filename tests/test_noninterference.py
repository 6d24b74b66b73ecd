"""Non-interference: changing anything internal leaves the public site byte-identical.

This catches leaks no marker can: counts, orderings, numbering, feed dates, anchors.
Each mutation is applied to the example project on its own, so a failure names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmapgen.audience.context import Audience
from roadmapgen.commands.build import BuildOptions, build
from tests.conftest import copy_example
from tests.helpers.sitefiles import tree_bytes

Mutation = Callable[[Path], None]


def edit(path: Path, change: Callable[[dict], None], body: Callable[[str], str] = lambda text: text) -> None:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yaml":
        data = yaml.safe_load(text)
        change(data)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return
    front, rest = text.removeprefix("---\n").split("\n---\n", 1)
    data = yaml.safe_load(front)
    change(data)
    path.write_text("---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body(rest),
                    encoding="utf-8")


def _set(**values) -> Callable[[dict], None]:
    return lambda data: data.update(values)


MUTATIONS: dict[str, Mutation] = {
    "owner of a public item": lambda p: edit(p / "content/roadmap/saml-sso.md", _set(owner="Someone Else")),
    "RICE of a public item (reorders priorities)": lambda p: edit(
        p / "content/roadmap/macros.md", _set(rice={"reach": 1, "impact": 0.25, "confidence": 0.1, "effort": 9})
    ),
    "stories of a public item": lambda p: edit(
        p / "content/roadmap/sla-policies.md", _set(stories=[{"persona": "ruth-procurement", "want": "x"}])
    ),
    "extra of a public item": lambda p: edit(p / "content/roadmap/audit-log.md", _set(extra={"jira": "SEC-1"})),
    "key results and owner of a public objective": lambda p: edit(
        p / "content/objectives/self-service.md", _set(key_results=["Other"], owner="Other")
    ),
    "channels of a public persona": lambda p: edit(p / "content/personas/maya-agent.md", _set(channels=["Fax"])),
    "target of a public metric": lambda p: edit(p / "content/metrics/nps.yaml", _set(target=99)),
    "text of an internal block": lambda p: edit(
        p / "content/roadmap/saml-sso.md",
        lambda d: None,
        lambda body: body.replace("Acme Logistics (480 seats)", "Globex (9,000 seats)"),
    ),
    # Heading ids are made unique per page: an internal heading before a public one of the same
    # name would renumber the public id ("what-is-included-1") if the public parse saw it.
    "internal block with a public heading's name, before it": lambda p: edit(
        p / "content/roadmap/saml-sso.md",
        lambda d: None,
        lambda body: "::: internal\n## What is included\n\nTeam notes.\n:::\n\n" + body,
    ),
    "team wording of an item with public wording": lambda p: edit(
        p / "content/roadmap/csat-follow-ups.md", _set(title="Rgteamtitle", summary="Rgteamsummary")
    ),
    "heading added inside an internal block": lambda p: edit(
        p / "content/vision.md",
        lambda d: None,
        lambda body: body.replace("::: internal\n", "::: internal\n## What we believe\n\n"),
    ),
    "title and body of an internal item": lambda p: edit(
        p / "content/roadmap/eu-data-residency.md", _set(title="Sovereign cloud"), lambda body: "Rewritten.\n"
    ),
    "status and horizon of an internal item": lambda p: edit(
        p / "content/roadmap/custom-roles.md", _set(status="in-progress", horizon="now", target="2026-11")
    ),
    "new internal item that ships in a public release": lambda p: (
        (p / "content/roadmap/secret-project.md").write_text(
            "---\ntitle: Secret project\nstatus: shipped\npersonas: [maya-agent]\nobjective: self-service\n---\nHush.\n"
        ),
        edit(p / "content/releases/3.5.0.md", lambda d: d["ships"].append("secret-project")),
    ),
    "new internal persona named by a public item": lambda p: (
        (p / "content/personas/zed-hidden.md").write_text("---\nname: Zed\nrole: Spy\n---\n"),
        edit(p / "content/roadmap/macros.md", lambda d: d["personas"].append("zed-hidden")),
    ),
    "public item pointing at another internal objective": lambda p: edit(
        p / "content/roadmap/saml-sso.md", _set(objective="enterprise-ready")
    ),
    "deleted internal item": lambda p: (p / "content/roadmap/usage-billing.md").unlink(),
    "new and changed feedback": lambda p: (
        (p / "content/feedback/2026-11-new.md").write_text(
            "---\ndate: 2026-11-20\nsource: sales\nitems: [macros, saml-sso]\npersona: sam-founder\nsentiment: "
            "positive\n---\nWow.\n"
        ),
        edit(p / "content/feedback/2026-09-review-g2.md", _set(quote="Changed.")),
    ),
    "new internal release": lambda p: (p / "content/releases/9.9.9.md").write_text(
        "---\nversion: 9.9.9\ndate: 2027-01-01\nships: [macros, dark-mode]\n---\nSoon.\n"
    ),
    "internal metric": lambda p: edit(p / "content/metrics/first-response-time.yaml", _set(name="Other", target=1)),
    "internal asset bytes": lambda p: (p / "content/assets/diagrams/eu-region.svg").write_text("<svg/>\n"),
    "internal-only settings in the config": lambda p: (p / "roadmapgen.yaml").write_text(
        (p / "roadmapgen.yaml")
        .read_text()
        .replace("interviews_per_quarter: 12", "interviews_per_quarter: 40")
        .replace("stale_after_days: 120", "stale_after_days: 3")
        .replace("brightdesk.internal.example", "intranet.example")
    ),
}


def public_site(project: Path, out: Path) -> dict[str, bytes]:
    result = build(project, BuildOptions(audiences=(Audience.PUBLIC,), output_dir=out,
                                         source_date=dt.date(2026, 11, 20)))
    assert result.ok, [problem.format() for problem in result.report]
    return tree_bytes(out / "public")


class Tree(dict):
    def __repr__(self) -> str:
        return f"<public site, {len(self)} files>"


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Tree:
    root = tmp_path_factory.mktemp("baseline")
    return Tree(public_site(copy_example(root / "project"), root / "out"))


@pytest.mark.parametrize("name", MUTATIONS)
def test_internal_change_leaves_public_site_identical(name: str, baseline, tmp_path: Path) -> None:
    project = copy_example(tmp_path / "project")
    MUTATIONS[name](project)
    changed = public_site(project, tmp_path / "out")
    assert sorted(changed) == sorted(baseline), "the set of public files changed"
    differing = [path for path in baseline if changed[path] != baseline[path]]
    assert differing == [], f"{name} changed public files: {differing}"


def test_the_check_can_see_a_public_change(baseline, tmp_path: Path) -> None:
    """Control: a public edit does change the public site, so the comparison is real."""
    project = copy_example(tmp_path / "project")
    edit(project / "content/roadmap/macros.md", _set(summary="Changed summary."))
    changed = public_site(project, tmp_path / "out")
    assert changed["roadmap/macros/index.html"] != baseline["roadmap/macros/index.html"]


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    owner=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(str.strip),
    note=st.text(
        alphabet=st.characters(whitelist_categories=["L", "N", "Zs", "So"], whitelist_characters=".,!?'\"-*_#`()"),
        min_size=1,
        max_size=200,
    ),
)
def test_any_internal_text_leaves_public_site_identical(owner: str, note: str, baseline, tmp_path_factory) -> None:
    root = tmp_path_factory.mktemp("random")
    project = copy_example(root / "project")
    edit(project / "content/roadmap/ai-reply-suggestions.md", _set(owner=owner),
         lambda body: body.replace("Beta acceptance rate is 41%", "\n\n" + note + "\n\n"))
    assert public_site(project, root / "out") == baseline
