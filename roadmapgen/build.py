"""Build orchestration: project -> corpus -> one site per audience -> output, or a report.

Everything is read, checked and projected for every audience before a file is
written; nothing replaces the previous output until every site was written in full.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from roadmapgen.audience.project import Audience
from roadmapgen.audience.site import project_site
from roadmapgen.audience.views import PublicSite
from roadmapgen.errors import ContentError, Report
from roadmapgen.model.graph import Corpus
from roadmapgen.pages.plan import plan_pages
from roadmapgen.project import Project, load_project
from roadmapgen.render.render import Renderer
from roadmapgen.render.templates import static_files, theme_chain
from roadmapgen.write import Staging, commit, prepare


@dataclass(frozen=True, slots=True)
class BuildOptions:
    audiences: tuple[Audience, ...] = (Audience.INTERNAL, Audience.PUBLIC)
    output_dir: Path | None = None
    """Replaces the config's output_dir (``--out``)."""
    strict: bool = False
    source_date: dt.date | None = None
    """From SOURCE_DATE_EPOCH: the only clock a build may show."""


@dataclass(frozen=True, slots=True)
class SiteStats:
    pages: int
    files: int
    assets: int


@dataclass
class BuildResult:
    report: Report
    output_dir: Path | None = None
    sites: dict[Audience, SiteStats] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.report.failed


def check(project_dir: Path, options: BuildOptions) -> Report:
    """Everything a build checks, without rendering or writing anything."""
    report = Report()
    project = load_project(project_dir, report)
    if project is not None:
        _project_sites(project, options, report)
    if options.strict:
        report.make_warnings_errors()
    return report


def build(project_dir: Path, options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    result = BuildResult(Report())
    project = load_project(project_dir, result.report, output_dir=options.output_dir)
    if project is None:
        return result
    sites = _project_sites(project, options, result.report)
    if options.strict:
        result.report.make_warnings_errors()
    if result.report.failed:
        return result
    result.output_dir = project.config.output_dir
    try:
        result.sites = write_sites(project, sites)
    except ContentError as error:
        result.report.add(error)
    result.seconds = time.perf_counter() - started
    return result


def _project_sites(project: Project, options: BuildOptions, report: Report) -> dict[Audience, PublicSite]:
    sites = {}
    for audience in options.audiences:
        site, problems = project_site(project.corpus, project.config, audience, options.source_date)
        report.extend(problems)
        sites[audience] = site
    return sites


def write_sites(project: Project, sites: dict[Audience, PublicSite]) -> dict[Audience, SiteStats]:
    """Render and stage every site, then swap them all in; on any failure, none."""
    config = project.config
    themes = theme_chain(config.theme_dir)
    renderer = Renderer.for_themes(themes, config.project_dir)
    prepare(config.output_dir, [audience.value for audience in sites])
    created = not config.output_dir.exists()
    staged: list[Staging] = []
    committed = False
    try:
        stats = {}
        for audience, site in sites.items():
            staging = Staging(config.output_dir, audience.value)
            staged.append(staging)
            stats[audience] = _write_site(staging, site, renderer, project.corpus, static_files(themes))
        commit(staged)
        committed = True
        return stats
    finally:
        for staging in staged:
            staging.discard()
        if created and not committed:
            shutil.rmtree(config.output_dir, ignore_errors=True)


def _write_site(
    staging: Staging, site: PublicSite, renderer: Renderer, corpus: Corpus, static: dict[str, Path]
) -> SiteStats:
    plan = plan_pages(site)
    for spec in plan.pages:
        staging.write(spec.page.path, renderer.render(site, plan.nav, spec))
    for asset in site.assets:
        staging.copy(asset, corpus.assets[asset])
    for name, source in static.items():
        staging.copy(f"static/{name}", source)
    pages = sum(1 for spec in plan.pages if spec.page.path.endswith(".html"))
    return SiteStats(pages=pages, files=len(plan.pages) - pages + len(static), assets=len(site.assets))


def audiences_for(choice: str) -> Sequence[Audience]:
    return tuple(Audience) if choice == "all" else (Audience(choice),)
