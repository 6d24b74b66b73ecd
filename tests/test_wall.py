"""The audience wall by construction: hostile Markdown, forged markers, odd files, theme escapes.

Each test here failed on the code before issue 10; each states a class of attack, not one example.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import re
import socket
import subprocess
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmapgen.audience.context import Audience
from roadmapgen.audience.site import make_all_views, site_with_warnings
from roadmapgen.errors import Report
from roadmapgen.load.text import CONTROL
from roadmapgen.markdown.parser import BodyParser
from roadmapgen.model.loading import load_project
from tests.helpers.sitefiles import write_files
from tests.test_leaks import LeakProject

ALPHA = "content/roadmap/alpha.md"


def said(result) -> str:
    """Everything a command printed: check reports on standard output, build on standard error."""
    return result.out + result.err


# -- 1. Nothing inside an internal block shapes the public HTML -------------------------------

WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta", "note", "plan"])


def _words(n: int = 3) -> st.SearchStrategy[str]:
    return st.lists(WORDS, min_size=1, max_size=n).map(" ".join)


def _public_inline() -> st.SearchStrategy[str]:
    """Public text that would pick up whatever a definition inside an internal block defines."""
    return st.one_of(
        _words(),
        st.just("see [the doc][ref] here"),
        st.just("a note[^n] here"),
        st.just("[ref] alone"),
        st.just("see [x][Ref]"),
    )


def _blocks(inline: st.SearchStrategy[str], marked: bool) -> st.SearchStrategy[str]:
    """Markdown blocks from a grammar of containers; ``marked`` plants MARK in every place it can."""
    mark = "MARK" if marked else "plain"
    leaves = st.one_of(
        inline,
        inline.map(lambda text: f"## {text}"),
        st.sampled_from(["```", "~~~"]).flatmap(
            lambda fence: st.sampled_from(
                [
                    f"{fence}\n:::\n{mark}\n{fence}",
                    f"{fence}\n::: internal\n{mark}\n:::\n{fence}",
                    f"{fence}\n{mark}\n{fence}",
                ]
            )
        ),
        st.just(f"    indented {mark}\n    :::"),
        st.just(f'[ref]: https://{mark}.example/ "{mark} title"'),
        st.just(f"[Ref]:\n  https://{mark}.example/cont\n  '{mark}'"),
        st.just(f"[^n]: footnote {mark}"),
        st.just(f"<div>{mark}</div>"),
        st.just(f"[link {mark}](https://{mark}.example/) ![img {mark}](../assets/{mark}.png)"),
        st.just(f"| a | b |\n|---|---|\n| {mark} | x |"),
    )

    def containers(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            children.map(lambda block: "- " + block.replace("\n", "\n  ")),
            children.map(lambda block: "> " + block.replace("\n", "\n> ")),
            children.map(lambda block: f"::: internal\n{block}\n:::"),
            st.lists(children, min_size=2, max_size=3).map("\n\n".join),
        )

    return st.recursive(leaves, containers, max_leaves=6)


def _with_internal(public: list[str], inside: str, where: str) -> str:
    block = f"::: internal\n{inside}\n:::"
    if where == "list":
        block = "- item\n\n  " + block.replace("\n", "\n  ")
    elif where == "quote":
        block = "> quoted\n>\n> " + block.replace("\n", "\n> ")
    return "\n\n".join([*public[:1], block, *public[1:]])


def _public_of(text: str) -> str:
    body, _problems = BodyParser().parse(text, path="x.md", content_path="roadmap/x.md", first_line=1)
    return str(body.public_html) + repr(body.public_links) + repr(body.public_assets)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    public=st.lists(_public_inline(), min_size=1, max_size=3),
    marked=_blocks(_public_inline(), marked=True),
    other=_blocks(_public_inline(), marked=False),
    where=st.sampled_from(["top", "list", "quote"]),
)
def test_internal_blocks_never_shape_the_public_html(public: list[str], marked: str, other: str, where: str) -> None:
    """Changing only what is inside an internal block changes no byte of the public HTML, links or assets."""
    with_markers = _public_of(_with_internal(public, marked, where))
    assert "MARK" not in with_markers
    assert with_markers == _public_of(_with_internal(public, other, where))
    assert with_markers == _public_of(_with_internal(public, "", where))


@pytest.mark.parametrize(
    "body",
    [
        "::: internal\n```\n:::\n```\nMARK after the fence\n:::\n\nPublic.",
        "::: internal\n~~~\n::: \n~~~\nMARK\n:::\nPublic.",
        "::: internal\n    :::\nMARK indented\n:::\nPublic.",
        '[x][r] public\n\n::: internal\n- [r]: https://MARK.example "MARK"\n:::',
        "[x][r] public\n\n::: internal\n> [r]:\n> https://MARK.example\n:::",
        "[x][r] public\n\n::: internal\n[r]:\nhttps://MARK.example\n'MARK'\n:::",
        "Note[^1].\n\n::: internal\n[^1]: MARK\n:::",
        "# Setup\n\n::: internal\n# Setup\nMARK\n:::\n\n[to setup](#setup)",
    ],
)
def test_known_escapes_from_internal_blocks_are_closed(body: str) -> None:
    public = _public_of(body)
    assert "MARK" not in public
    assert "Public" in public or "public" in public or "Note" in public or "Setup" in public


def test_heading_ids_do_not_depend_on_internal_headings() -> None:
    with_internal = _public_of("::: internal\n## Plan\n:::\n\n## Plan")
    assert 'id="plan"' in with_internal and "plan-1" not in with_internal


# -- 2. Control characters never reach the renderer --------------------------------------------


@pytest.mark.parametrize("char", [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f", "\x85", "\x9f"])
def test_control_characters_are_located_errors(small_project: Path, run_cli, char: str) -> None:
    text = (small_project / ALPHA).read_text()
    (small_project / ALPHA).write_text(text.replace("Alpha body.", f"Alpha {char}L0{char}body."))
    result = run_cli("check", small_project)
    assert result.code == 1
    assert re.search(
        rf"content/roadmap/alpha\.md:\d+:7: error: control character U\+{ord(char):04X} is not allowed", said(result)
    ), said(result)
    assert "Traceback" not in said(result)


@pytest.mark.parametrize("escape", ["\\x01L0\\x01", "\\x00", "\\x01/L\\x01", "\\u0085"])
def test_forged_markers_in_yaml_are_located_errors(small_project: Path, run_cli, escape: str) -> None:
    text = (small_project / ALPHA).read_text()
    (small_project / ALPHA).write_text(text.replace("title: Alpha", f'title: "Alpha {escape}"'))
    result = run_cli("build", small_project)
    assert result.code == 1 and "control characters are not allowed" in said(result), said(result)
    assert "Traceback" not in said(result)


def test_the_control_class_covers_the_renderers_markers() -> None:
    from roadmapgen.markdown.placeholders import LINK_CLOSE, ROOT, link_open

    assert all(CONTROL.search(marker) for marker in (ROOT, LINK_CLOSE, link_open(0)))


# -- 3. Files under content/ that are not plain files ------------------------------------------


def _secret_item(project: Path) -> None:
    write_files(
        project, {"content/roadmap/secret.md": "---\ntitle: Secret MARK\nstatus: planned\nhorizon: now\n---\nMARK\n"}
    )


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "assets/doc.svg",
            lambda p: (p / "content/assets/doc.svg").symlink_to("../roadmap/secret.md"),
            "symbolic link points outside content/assets/",
        ),
        (
            "assets/abs.svg",
            lambda p: (p / "content/assets/abs.svg").symlink_to(p / "roadmapgen.yaml"),
            "symbolic link points outside content/assets/",
        ),
        (
            "assets/loop.svg",
            lambda p: (
                (p / "content/assets/loop.svg").symlink_to("loop2.svg"),
                (p / "content/assets/loop2.svg").symlink_to("loop.svg"),
            ),
            "symbolic link loop",
        ),
        (
            "assets/up",
            lambda p: (p / "content/assets/up").symlink_to(".."),
            "symbolic link points outside content/assets/",
        ),
        ("assets/self", lambda p: (p / "content/assets/self").symlink_to("."), "symbolic link loop"),
        ("assets/pipe.svg", lambda p: os.mkfifo(p / "content/assets/pipe.svg"), "not a file or folder (a named pipe)"),
        ("roadmap/pipe.md", lambda p: os.mkfifo(p / "content/roadmap/pipe.md"), "not a file or folder (a named pipe)"),
        ("roadmap/sock.md", lambda p: _socket(p / "content/roadmap/sock.md"), "not a file or folder (a socket)"),
        (
            "roadmap/null.md",
            lambda p: (p / "content/roadmap/null.md").symlink_to("/dev/null"),
            "symbolic link points outside the project",
        ),
    ],
)
def test_odd_files_are_located_errors(
    small_project: Path, run_cli, command: str, name: str, make, message: str
) -> None:
    _secret_item(small_project)
    make(small_project)
    result = run_cli(command, small_project)
    assert result.code == 1, said(result)
    assert f"content/{name}:1:1: error: {message}" in said(result), said(result)
    assert "Traceback" not in said(result)
    assert not (small_project / "site/public").exists()


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


def test_links_inside_assets_still_work(small_project: Path, run_cli) -> None:
    (small_project / "content/assets/pat-link.svg").symlink_to("pat.svg")
    text = (small_project / "content/personas/pat.md").read_text()
    (small_project / "content/personas/pat.md").write_text(text.replace("assets/pat.svg", "assets/pat-link.svg"))
    assert run_cli("build", small_project).code == 0
    assert (small_project / "site/public/assets/pat-link.svg").read_bytes() == (
        small_project / "content/assets/pat.svg"
    ).read_bytes()


# -- 4. Nothing reachable from the public site holds internal data -----------------------------


def _reachable_strings(root: object) -> list[str]:
    """Every string reachable from ``root`` through data (attributes, slots, containers, closures),
    private ones included, as a template that escaped the sandbox would see them. Code is not
    followed: modules, classes and functions' globals are the program, not the site's data."""
    seen: set[int] = set()
    pending = [root]
    found: list[str] = []
    while pending:
        value = pending.pop()
        if id(value) in seen or isinstance(value, (type, types.ModuleType, types.CodeType)):
            continue
        seen.add(id(value))
        if isinstance(value, str):
            found.append(value)
            continue
        if isinstance(value, types.FunctionType):
            pending.extend(cell.cell_contents for cell in value.__closure__ or () if _filled(cell))
            pending.extend(value.__defaults__ or ())
            continue
        if isinstance(value, dict) and value.get("__name__") and "__builtins__" in value:
            continue  # a module's globals
        pending.extend(gc.get_referents(value))
    return found


def _filled(cell: types.CellType) -> bool:
    try:
        cell.cell_contents  # noqa: B018
    except ValueError:
        return False
    return True


def test_no_object_reachable_from_the_public_site_holds_internal_data(tmp_path: Path) -> None:
    project = LeakProject(tmp_path / "project")
    project.write()
    loaded = load_project(project.root, Report())
    assert loaded is not None
    site, _ = site_with_warnings(loaded.corpus, loaded.config, Audience.PUBLIC, dt.date(2026, 11, 1))
    make_all_views(site)
    text = "\n".join(_reachable_strings(site))
    leaked = sorted(marker for marker in project.m.planted if marker in text)
    assert leaked == [], [project.m.planted[m] for m in leaked]
    internal, _ = site_with_warnings(loaded.corpus, loaded.config, Audience.INTERNAL, dt.date(2026, 11, 1))
    make_all_views(internal)
    internal_text = "\n".join(_reachable_strings(internal))
    assert sum(marker in internal_text for marker in project.m.planted) > len(project.m.planted) // 2  # the walk works


@pytest.mark.parametrize(
    "expression",
    [
        "site._context",
        "site._context.corpus",
        "site.__dict__",
        "site.view.__self__",
        "site.__class__.__init__.__globals__",
        "item.__class__.__mro__",
        "''.__class__.__mro__[1].__subclasses__()",
        "site.info.__reduce_ex__(2)",
        "nav.__class__",
        "page.__init__.__globals__",
    ],
)
def test_templates_cannot_reach_private_or_dunder_attributes(small_project: Path, run_cli, expression: str) -> None:
    _secret_item(small_project)
    config = small_project / "roadmapgen.yaml"
    config.write_text(config.read_text() + "theme: brand\n")
    write_files(
        small_project,
        {
            "themes/brand/templates/item.html": '{% extends "!default/item.html" %}\n{% block title %}{{ '
            + expression
            + " }}{% endblock %}\n"
        },
    )
    result = run_cli("build", small_project)
    assert result.code == 1, said(result)
    assert re.search(
        r"themes/brand/templates/item\.html:2:1: error: template error while writing roadmap/", said(result)
    ), said(result)
    assert "Traceback" not in said(result)
    assert not (small_project / "site").exists()


def test_a_public_template_can_only_walk_public_views(small_project: Path, run_cli) -> None:
    """A template enumerating everything the public site offers prints no internal title."""
    _secret_item(small_project)
    config = small_project / "roadmapgen.yaml"
    config.write_text(config.read_text() + "theme: brand\n")
    walk = (
        "{% for kind in ['vision','objective','persona','item','release','metric','feedback'] %}"
        "{% for e in site.entries(kind) %}{{ e }}{{ site.view(e.key) }}{% endfor %}{% endfor %}"
        "{{ site.items }}{{ site.personas }}{{ site.info }}{{ site.assets }}"
    )
    write_files(
        small_project,
        {
            "themes/brand/templates/home.html": '{% extends "!default/home.html" %}\n'
            "{% block content %}" + walk + "{% endblock %}\n"
        },
    )
    result = run_cli("build", small_project)
    assert result.code == 0, said(result)
    assert "MARK" not in (small_project / "site/public/index.html").read_text()
    assert "Secret MARK" in (small_project / "site/internal/index.html").read_text()


def test_a_view_of_a_document_the_site_does_not_show_is_refused(example_project: Path) -> None:
    from roadmapgen.audience.context import view_context
    from roadmapgen.audience.guard import LeakError
    from roadmapgen.audience.make_views import make_view

    loaded = load_project(example_project, Report())
    assert loaded is not None
    context = view_context(loaded.corpus, loaded.config, Audience.PUBLIC, dt.date(2026, 11, 1))
    feedback = next(doc for doc in loaded.corpus.documents.values() if doc.kind == "feedback")
    with pytest.raises(LeakError):
        make_view(context, feedback)
    assert all(doc.is_public for doc in context.corpus.documents.values())
    assert "feedback" not in {doc.kind for doc in context.corpus.documents.values()}


def test_the_public_corpus_keeps_no_internal_reference(example_project: Path) -> None:
    """A public item naming an internal objective or persona keeps neither slug in the public corpus."""
    from roadmapgen.audience.public import public_corpus

    loaded = load_project(example_project, Report())
    assert loaded is not None
    public = public_corpus(loaded.corpus, dt.date(2026, 11, 20))
    for doc in public.documents.values():
        for name in ("objective", "personas", "ships"):
            value = getattr(doc.fields, name, None)
            targets = [value] if isinstance(value, str) else list(value or ())
            folder = {"objective": "objectives", "personas": "personas", "ships": "roadmap"}[name]
            assert all(f"{folder}/{slug}" in public.documents for slug in targets), (doc.key, name, targets)
        fields = dataclasses.asdict(doc.source) if dataclasses.is_dataclass(doc.source) else {}
        assert not str(fields.get("absolute", "")).startswith("/")


# -- 5. Output folders: only what roadmapgen provably wrote ------------------------------------

SEQUENCES = [
    ("all", "public", "internal"),
    ("public", "all", "public"),
    ("internal", "public", "all"),
    ("public", "internal", "internal"),
]


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_output_folder_keeps_what_it_did_not_write(
    small_project: Path, tmp_path: Path, run_cli, monkeypatch, sequence: tuple[str, ...]
) -> None:
    home = tmp_path / "home"
    mine = {
        ".npm.staging-cache/keep",
        ".config/app/settings",
        ".public.staging-notes/keep",
        "notes.txt",
        ".internal.roadmapgen-staging-mine/keep",
    }
    write_files(home, {name: "mine\n" for name in mine})
    monkeypatch.setenv("HOME", str(tmp_path / "elsewhere"))
    for audience in sequence:
        assert run_cli("build", small_project, "--out", home, "--audience", audience).code == 0
    assert {name for name in mine if (home / name).is_file()} == mine
    assert (home / "public/index.html").is_file()


@pytest.mark.parametrize("sequence", SEQUENCES)
def test_a_users_own_site_folder_is_never_replaced(
    small_project: Path, tmp_path: Path, run_cli, sequence: tuple[str, ...]
) -> None:
    out = tmp_path / "out"
    write_files(out, {"internal/notes.md": "my notes\n"})
    for audience in sequence:
        result = run_cli("build", small_project, "--out", out, "--audience", audience)
        assert result.code == (0 if audience == "public" else 2), said(result)
        assert "Traceback" not in said(result)
    assert (out / "internal/notes.md").read_text() == "my notes\n"
    assert [p.name for p in (out / "internal").iterdir()] == ["notes.md"]


def test_output_folder_must_not_hold_what_the_user_wrote(
    small_project: Path, tmp_path: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "a-file").write_text("x")
    for out in (
        small_project / "content",
        small_project / "content/roadmap",
        small_project,
        tmp_path,
        small_project / "themes",
        small_project / "themes/brand/site",
        tmp_path / "a-file",
        Path("/"),
        tmp_path / "home",
    ):
        result = run_cli("build", small_project, "--out", out)
        assert result.code == 2, (out, said(result))
        assert "refusing" in said(result) and "Traceback" not in said(result)
    assert (tmp_path / "a-file").read_text() == "x"


# -- 6. diff over a revision holding a symbolic link out of the tree --------------------------


def test_diff_treats_absolute_symlinks_as_build_does(small_project: Path, run_cli) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", *args],
            cwd=small_project,
            check=True,
            capture_output=True,
            env={
                **os.environ,
                "GIT_AUTHOR_NAME": "t",
                "GIT_AUTHOR_EMAIL": "t@e",
                "GIT_COMMITTER_NAME": "t",
                "GIT_COMMITTER_EMAIL": "t@e",
            },
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    (small_project / "content/assets/passwd.svg").symlink_to("/etc/passwd")
    (small_project / "content/assets/up.svg").symlink_to("../../../../../../../../../../etc/passwd")
    git("add", "-A")
    git("commit", "-qm", "two")
    built = run_cli("check", small_project)
    diffed = run_cli("diff", "HEAD~1", "HEAD", small_project)
    assert built.code == diffed.code == 1, said(diffed)
    for name in ("passwd.svg", "up.svg"):
        assert f"content/assets/{name}:1:1: error: symbolic link points outside" in said(built)
        assert f"HEAD:content/assets/{name}:1:1: error: symbolic link points outside" in said(diffed), said(diffed)
    assert "Traceback" not in said(diffed)
