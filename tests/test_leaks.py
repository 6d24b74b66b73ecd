"""The audience wall: nothing internal reaches any byte or path of the public site.

Markers go into every internal field of every type (the field lists come from the
models), into internal documents' titles, slugs, bodies, file names and assets, and
into '::: internal' blocks of public documents. The public output is scanned whole:
every file, decompressed, and every path. The internal site must show every marker,
which proves the markers and the scanner work.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import typing
from pathlib import Path

import pytest
import yaml

from roadmapgen.audience.context import Audience
from roadmapgen.commands.build import BuildOptions, build
from roadmapgen.commands.schema import public_keys
from roadmapgen.i18n import load_strings
from roadmapgen.kinds.registry import KINDS
from roadmapgen.markdown import fast
from roadmapgen.themes import builtin_theme
from tests.conftest import REPO
from tests.helpers.leakproject import Markers, _value, accepts_public, internal_fields, plain


def _front_matter(data: dict, body: str = "") -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True) + "---\n" + body


class LeakProject:
    """Writes the planted project and knows every marker in it."""

    def __init__(self, root: Path, *, public_vision: bool = True) -> None:
        self.root = root
        self.m = Markers()
        m = self.m
        # One internal document of every kind the registry knows, each with a marker for a slug.
        self.slugs = {name: m.text(f"internal {name} slug") for name, kind in KINDS.items() if kind.file is None}
        self.public_slugs = {"objective": "grow", "persona": "pat", "item": "alpha", "release": "1.0.0"}
        self.persona = self.slugs["persona"]
        self.objective = self.slugs["objective"]
        self.item = self.slugs["item"]
        self.release = self.slugs["release"]
        self.files: dict[str, str | bytes] = {}
        self.unshown: set[str] = set()
        self._config()
        self._public_documents(public_vision)
        self._internal_documents()
        self._assets()

    # -- writing -------------------------------------------------------------------
    def write(self) -> Path:
        for name, content in self.files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return self.root

    def doc(self, kind: str, slug: str, data: dict, body: str = "") -> None:
        spec = KINDS[kind]
        path = f"content/{spec.file}" if spec.file else f"content/{spec.folder}/{slug}{spec.suffix}"
        self.files[path] = _front_matter(data, body) if spec.has_body else yaml.safe_dump(data, sort_keys=False)

    def internal_values(self, kind: str, where: str) -> dict:
        """Markers for every internal field of ``kind`` (read from the model)."""
        fields = KINDS[kind].model.model_fields
        return {name: self.value(kind, name, fields[name].annotation, where) for name in internal_fields(kind)}

    def value(self, kind: str, name: str, annotation, where: str):
        ref = next((ref for ref in KINDS[kind].references if ref.field == name and ref.attribute is None), None)
        if ref is not None:
            # A public target (when there is one) shows its page does not list the referrer; an internal
            # one, that its slug and title stay out.
            targets = [slug for slug in (self.public_slugs.get(ref.target), self.slugs[ref.target]) if slug]
            return targets if KINDS[kind].model.model_fields[name].default == () else targets[0]
        if name == "avatar":
            asset = f"assets/{self.m.text(where + ' file')}.svg"
            self.files[f"content/{asset}"] = _svg(self.m.text(where + " bytes"))
            return asset
        if name == "responses":
            # A survey export: its file name and every other column (comments, e-mails) are markers.
            file = f"metrics/{self.m.text(where + ' responses file')}.csv"
            rows = "".join(f"2026-0{month}-1{day},{1 + (month + day) % 5},{self.unread(where + ' comment')},"
                           f"{self.unread(where + ' email')}@example.com\n" for month in (1, 3) for day in (1, 2))
            self.files[f"content/{file}"] = "date,score,comment,email\n" + rows
            return file
        if name == "target" and kind == "item":
            return self.m.date(where).isoformat()
        return _value(annotation, f"{kind}.{where}.{name}", self.m, self.persona, name)

    def unread(self, where: str) -> str:
        """A marker in a place no site reads at all (a column of a responses file roadmapgen ignores)."""
        marker = self.m.text(where)
        self.unshown.add(marker)
        return marker

    def all_values(self, kind: str, where: str) -> dict:
        fields = KINDS[kind].model.model_fields
        values = {name: self.value(kind, name, info.annotation, where) for name, info in fields.items()}
        values["visibility"] = "internal"
        return values

    def body(self, where: str) -> str:
        m = self.m
        return (f"{m.text(where + ' body')} text.\n\n## {m.text(where + ' heading')}\n\n"
                f"```\n{m.text(where + ' code')}\n```\n")

    def internal_block(self, where: str, up: str = "../") -> str:
        m = self.m
        image = m.text(where + " image file")
        self.files[f"content/assets/{image}.svg"] = _svg(m.text(where + " image bytes"))
        return (
            "\n::: internal\n"
            f"### {m.text(where + ' block heading')}\n\n"
            f"{m.text(where + ' block text')} [{m.text(where + ' block link text')}]({up}roadmap/{self.item}.md)\n\n"
            f"![{m.text(where + ' block alt')}]({up}assets/{image}.svg)\n\n"
            f"- {m.text(where + ' block list')}\n"
            ":::\n"
        )

    # -- the project ------------------------------------------------------------------
    def _config(self) -> None:
        m = self.m
        self.files["roadmapgen.yaml"] = yaml.safe_dump({
            "product": "Acme", "base_url": "https://example.com/roadmap/",
            "internal_base_url": f"https://{m.text('internal base url')}.example/",
            "research": {"interviews_per_quarter": int(m.number("config research goal"))},
        })

    def _public_documents(self, public_vision: bool) -> None:
        vision = {"title": "Our vision", "statement": "Make work lighter.", "visibility": "public"}
        if public_vision:
            self.doc("vision", "vision", {**vision, **self.internal_values("vision", "public vision")},
                     "We believe in focus.\n" + self.internal_block("vision", up=""))
        else:
            self.doc("vision", "vision", self.all_values("vision", "internal vision"), self.body("internal vision"))
        self.doc("objective", "grow", {"title": "Grow", "summary": "Grow well.", "visibility": "public",
                                       **self.internal_values("objective", "public objective")},
                 "Objective body.\n" + self.internal_block("objective"))
        self.files["content/assets/pat.svg"] = _svg("public avatar")
        self.doc(
            "persona",
            "pat",
            {
                "name": "Pat Doe",
                "role": "Lead",
                "avatar": "assets/pat.svg",
                "visibility": "public",
                **self.internal_values("persona", "public persona"),
            },
            "Pat body.\n" + self.internal_block("persona"),
        )
        item = {"title": "Alpha", "status": "in-progress", "horizon": "now", "summary": "Alpha summary.",
                "target": "2026-Q4", "tags": ["api"], "visibility": "public",
                **self.internal_values("item", "public item")}
        item["objective"] = self.objective
        item["personas"] = ["pat", self.persona]
        self.doc(
            "item",
            "alpha",
            item,
            f"Alpha body links to [the plan](../roadmap/{self.item}.md) and [a "
            f"call](../feedback/{self.slugs['feedback']}.md).\n"
            + self.internal_block("item"),
        )
        self.doc("item", "beta", {"title": "Beta", "status": "shipped", "visibility": "public"}, "Beta body.\n")
        # Public wording: the team's own title and summary must appear nowhere public.
        self.doc("item", "gamma", {"title": self.m.text("team title of a worded item"),
                                   "summary": self.m.text("team summary of a worded item"),
                                   "status": "planned", "horizon": "next", "visibility": "public",
                                   "public": {"title": "Gamma for customers", "summary": "What customers read."}},
                 "Gamma body.\n")
        self.doc("release", "1.0.0", {"version": "1.0.0", "date": "2026-01-15", "ships": ["beta", self.item],
                                      "visibility": "public", **self.internal_values("release", "public release")},
                 "Release body.\n" + self.internal_block("release"))
        self.doc("metric", "nps", {"name": "NPS", "kind": "nps", "visibility": "public",
                                   **self.internal_values("metric", "public metric")})
        self.doc("metric", "uptime", {"name": "Uptime", "kind": "kpi", "visibility": "public",
                                      "points": [{"date": "2026-01-31", "value": 99}]})
        # Any other kind that can be public: plain words where it must say something, markers everywhere else.
        for kind, spec in KINDS.items():
            if spec.can_be_public and spec.file is None and kind not in {*self.public_slugs, "metric"}:
                fields = spec.model.model_fields
                values = {name: plain(fields[name].annotation) for name in public_keys(kind)
                          if fields[name].is_required()}
                body = f"Public {kind} body.\n" + self.internal_block(kind) if spec.has_body else ""
                self.doc(kind, f"public-{kind}", {**values, **self.internal_values(kind, f"public {kind}"),
                                                  "visibility": "public"}, body)

    def _internal_documents(self) -> None:
        """A document of every folder kind with a marker in every field; those that can never be public
        say `visibility: public` when their model lets them, which must change nothing."""
        for kind, slug in self.slugs.items():
            values = self.all_values(kind, f"internal {kind}")
            if not KINDS[kind].can_be_public and accepts_public(kind):
                values["visibility"] = "public"
            if kind == "item":
                values.update(objective=self.objective, horizon="later")
            if kind == "release":
                values.update(version=slug, ships=["alpha"])
            if kind == "metric":  # computed from its responses, so a survey, without points of its own
                values.update(kind="csat", points=None)
            body = ""
            if KINDS[kind].has_body:
                image = self.m.text(f"internal {kind} image")
                self.files[f"content/assets/{image}.png"] = self.m.text(f"internal {kind} image bytes").encode()
                body = self.body(f"internal {kind}") + f"\n![pic](../assets/{image}.png)\n"
            self.doc(kind, slug, values, body)

    def _assets(self) -> None:
        unused = self.m.text("unused asset")
        self.files[f"content/assets/{unused}.svg"] = _svg(self.m.text("unused asset bytes"))

    # -- what to look for -------------------------------------------------------------
    def forms(self) -> dict[str, list[bytes]]:
        """Every marker that is in the project, in every form it could take in output."""
        written = "\n".join(
            [*self.files, *(c.decode() if isinstance(c, bytes) else c for c in self.files.values())]
        )
        forms: dict[str, list[str]] = {marker: [marker] for marker in self.m.planted if marker in written}
        for number, where in self.m.numbers.items():
            text = f"{number:g}" if number % 1 else str(int(number))
            if text in written:
                forms[f"{where} = {number}"] = [text, _ENGLISH.number(number)]
        for day, where in self.m.dates.items():
            if day.isoformat() in written:
                forms[f"{where} = {day}"] = [day.isoformat(), _ENGLISH.date(day)]
        encoded: dict[str, list[bytes]] = {}
        for name, texts in forms.items():
            variants: list[bytes] = []
            for text in texts:
                raw = text.lower().encode()
                variants += [raw, text.encode("utf-16-le"), *(_base64_forms(raw))]
            encoded[name] = variants
        return encoded


_ENGLISH = load_strings((builtin_theme(),), "en", {}, {}, "roadmapgen.yaml")[0]
"""How the theme writes numbers and dates in the leak project's language."""


def _svg(marker: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg"><title>{marker}</title></svg>\n'


def _base64_forms(raw: bytes) -> list[bytes]:
    """The marker as it would appear inside base64 data at any of the three alignments."""
    forms = []
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw)
        forms.append(encoded[4 if pad else 0 : -4])
    return [form for form in forms if len(form) >= 8]


def _public_bytes(root: Path) -> list[tuple[str, bytes]]:
    """(path, content) of every file, decompressed, plus every path itself."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        found.append((f"path {relative}", relative.lower().encode()))
        if path.is_file():
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":  # gzip, whatever the name: .gz, Pagefind's fragments and indexes
                data = gzip.decompress(data)
            found.append((relative, data.lower()))
    return found


def find_markers(root: Path, forms: dict[str, list[bytes]]) -> dict[str, list[str]]:
    hits: dict[str, list[str]] = {}
    contents = _public_bytes(root)
    for name, variants in forms.items():
        for where, data in contents:
            if any(variant.lower() in data for variant in variants if variant.isascii()) or any(
                variant in data for variant in variants if not variant.isascii()
            ):
                hits.setdefault(name, []).append(where)
    return hits


@pytest.fixture(scope="module")
def leak_build(tmp_path_factory) -> tuple[LeakProject, Path]:
    root = tmp_path_factory.mktemp("leak")
    project = LeakProject(root / "project")
    project.write()
    result = build(project.root, BuildOptions(output_dir=root / "out", source_date=dt.date(2026, 11, 1)))
    assert result.ok, [p.format() for p in result.report]
    return project, root / "out"


def test_no_marker_reaches_the_public_site(leak_build) -> None:
    project, out = leak_build
    leaks = find_markers(out / "public", project.forms())
    assert leaks == {}, "internal content on the public site:\n" + json.dumps(
        {f"{name} ({project.m.planted.get(name, '')})": where for name, where in leaks.items()}, indent=2)


def test_the_compiled_markdown_path_builds_the_same_sites(leak_build, monkeypatch: pytest.MonkeyPatch) -> None:
    """The leak project built by the Python parser alone is byte for byte the one the compiled path built."""
    project, out = leak_build
    if fast.mode() == "off":
        pytest.skip("the compiled Markdown engine is not installed or is turned off")
    monkeypatch.setenv(fast.ENV, "0")
    python_out = out.parent / "python-only"
    result = build(project.root, BuildOptions(output_dir=python_out, source_date=dt.date(2026, 11, 1)))
    assert result.ok
    compiled = {path.relative_to(out): path.read_bytes() for path in sorted(out.rglob("*")) if path.is_file()}
    python = {path.relative_to(python_out): path.read_bytes() for path in sorted(python_out.rglob("*"))
              if path.is_file()}
    assert sorted(compiled) == sorted(python)
    assert [str(path) for path in compiled if compiled[path] != python[path]] == []


def test_the_internal_site_shows_every_marker(leak_build) -> None:
    """Positive control: the markers are real and the scanner finds them."""
    project, out = leak_build
    shown = find_markers(out / "internal", project.forms())
    not_shown = sorted(set(project.forms()) - set(shown) - project.unshown)
    assert not_shown == [], f"never shown on the internal site: {not_shown}"


def test_every_internal_field_of_every_type_was_planted(leak_build) -> None:
    project, _ = leak_build
    planted = " ".join(project.m.planted.values()) + " ".join(project.m.numbers.values())
    for kind in (name for name, spec in KINDS.items() if spec.can_be_public):
        slug_fields = {ref.field for ref in KINDS[kind].references if ref.attribute is None}
        for name in internal_fields(kind):
            if name in slug_fields:  # it names internal documents, whose slugs are markers
                continue
            if typing.get_origin(KINDS[kind].model.model_fields[name].annotation) is typing.Literal:
                continue  # a word from a fixed list ('month'), which no marker can be; see test_wall
            if name == "responses":  # a file: its name and its unread columns are markers
                assert f"public {kind} responses file" in project.m.planted.values()
                continue
            assert f"public {kind}.{name}" in planted or f"{kind}.public {kind}.{name}" in planted, (kind, name)


def test_the_search_index_is_scanned_and_holds_public_text(leak_build) -> None:
    """Positive control for the index: its compressed fragments are read, and public text is in them."""
    _, out = leak_build
    fragments = [data for where, data in _public_bytes(out / "public") if where.startswith("pagefind/fragment/")]
    assert fragments and any(b"alpha body links to the plan" in data for data in fragments)


def test_public_site_still_shows_public_content(leak_build) -> None:
    """The wall drops references, not the public documents that hold them."""
    _, out = leak_build
    item = (out / "public/roadmap/alpha/index.html").read_text()
    assert "Alpha body links to the plan and a call." in item
    assert 'href="../../personas/pat/"' in item
    release = (out / "public/releases/1.0.0/index.html").read_text()
    assert "Beta" in release
    worded = (out / "public/roadmap/gamma/index.html").read_text()
    assert "<h1>Gamma for customers</h1>" in worded and "What customers read." in worded
    assert '"title":"Gamma for customers"' in (out / "public/roadmap.json").read_text()


def test_internal_vision_stays_off_the_public_home(tmp_path: Path) -> None:
    project = LeakProject(tmp_path / "project", public_vision=False)
    project.write()
    result = build(project.root, BuildOptions(audiences=(Audience.PUBLIC,), output_dir=tmp_path / "out",
                                              source_date=dt.date(2026, 11, 1)))
    assert result.ok
    vision_markers = {name: forms for name, forms in project.forms().items()
                      if "vision" in project.m.planted.get(name, name)}
    assert vision_markers
    assert find_markers(tmp_path / "out/public", vision_markers) == {}


def _documented_public_keys() -> dict[str, set[str]]:
    """docs/content.md's table of document types: the keys each row marks public ('pub', 'public ...')."""
    table = (REPO / "docs/content.md").read_text(encoding="utf-8").split("## Document types", 1)[1]
    found = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("type", "---"):
            continue
        found[cells[0]] = {name for name, note in _keys_with_notes(cells[1]) if "pub" in note and name != "visibility"}
    return found


def _keys_with_notes(cell: str) -> list[tuple[str, str]]:
    """'`a` (req, pub), `b`' -> [('a', 'req, pub'), ('b', '')]: keys outside parentheses, each with its note."""
    keys, depth, index = [], 0, 0
    while index < len(cell):
        char = cell[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "`" and depth == 0:
            end = cell.index("`", index + 1)
            name, index = cell[index + 1:end], end
            note = ""
            rest = cell[index + 1:].lstrip()
            if rest.startswith("("):
                level, position = 0, 0
                for position, ch in enumerate(rest):
                    level += {"(": 1, ")": -1}.get(ch, 0)
                    if level == 0:
                        break
                note = rest[1:position]
            keys.append((name, note))
        index += 1
    return keys


def test_public_allow_list_is_the_one_the_docs_give() -> None:
    """Changing what customers see is a decision: docs/content.md says what is public, kind by kind, and the
    registry's allow-lists must say the same. A kind that can never be public shows nothing."""
    documented = _documented_public_keys()
    for name, kind in KINDS.items():
        if kind.can_be_public:
            assert set(public_keys(name)) == documented[kind.label], name
        else:
            assert not public_keys(name) and not documented.get(kind.label), name
    assert documented["roadmap item"] >= {"title", "status", "horizon", "public", "feedback_url"}  # the parser reads


def test_guard_rejects_internal_views_anywhere_in_a_public_view(example_project: Path) -> None:
    """The postcondition behind the projection: a future edit passing an internal view fails the build."""
    import dataclasses

    from roadmapgen.audience.guard import LeakError, check_public
    from roadmapgen.audience.site import make_all_views, site_with_warnings
    from roadmapgen.errors import Report
    from roadmapgen.model.loading import load_project

    loaded = load_project(example_project, Report())
    internal, _ = site_with_warnings(loaded.corpus, loaded.config, Audience.INTERNAL)
    public, _ = site_with_warnings(loaded.corpus, loaded.config, Audience.PUBLIC)
    make_all_views(public)  # every public view passes the guard as it is made
    with pytest.raises(LeakError, match="InternalItemView"):
        check_public(internal.items[0])
    persona = public.personas[0]
    nested = dataclasses.replace(persona, items=(*persona.items, internal.personas[0].items[0]))
    with pytest.raises(LeakError, match="InternalItemCard"):
        check_public(nested)
