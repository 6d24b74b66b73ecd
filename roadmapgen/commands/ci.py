"""`roadmapgen ci github|gitlab`: the CI file that checks, builds, reports and publishes both sites.

The files come from roadmapgen/ci_templates/, filled in with this project's place in its
repository, its output folder, the branch it publishes from and the running version. They
are written once and never overwritten: after that they belong to the team.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from roadmapgen import __version__
from roadmapgen.about import docs_url
from roadmapgen.config import load_config
from roadmapgen.errors import UsageError
from roadmapgen.kinds.slugs import slugify
from roadmapgen.load.git import git_output, repository_root

PLATFORMS = ("github", "gitlab")
_FILES = {"github": ".github/workflows/roadmap.yml", "gitlab": ".gitlab-ci.yml"}


@dataclass(frozen=True, slots=True)
class CiFile:
    path: Path
    next_steps: tuple[str, ...]


def write_ci(project_dir: Path, platform: str) -> CiFile:
    """Write ``platform``'s CI file at the root of the project's repository (the project, outside git).

    Raises:
        UsageError: if the file exists already, or the project's configuration has errors.
    """
    config, problems = load_config(project_dir)
    if config is None:
        raise UsageError(f"fix {problems[0].format() if problems else 'roadmapgen.yaml'} first")
    root = repository_root(project_dir) or project_dir.resolve()
    values = {
        "@@VERSION@@": __version__,
        "@@DOCS@@": docs_url("publishing.md"),
        "@@PROJECT@@": _safe("the project folder", _relative(project_dir, root)),
        "@@SITE@@": _safe("the output folder", _relative(config.output_dir, root)),
        "@@BRANCH@@": _safe("the default branch", _branch(root)),
        "@@CLOUDFLARE_PROJECT@@": f"{slugify(config.settings.product)[:50].strip('-') or 'roadmap'}-internal",
    }
    text = resources.files("roadmapgen.ci_templates").joinpath(f"{platform}.yml").read_text(encoding="utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    path = root / _FILES[platform]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(text)
    except FileExistsError:
        message = f"{path} already exists; roadmapgen never overwrites CI files (remove it to start over)"
        raise UsageError(message) from None
    return CiFile(path, _NEXT_STEPS[platform](values))


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


_SAFE = re.compile(r"[A-Za-z0-9._][A-Za-z0-9._/-]*")


def _safe(what: str, value: str) -> str:
    """``value``, which lands in YAML, in shell commands and in GitHub expressions alike: only letters,
    digits and ``. _ / -`` are used there unquoted by any of the three.

    Raises:
        UsageError: for anything else.
    """
    if not _SAFE.fullmatch(value):
        raise UsageError(f"{what} {value!r} has characters a CI file cannot use safely (only letters, digits, "
                         "'.', '_', '/' and '-'); rename it, or write the CI file by hand from "
                         f"{docs_url('publishing.md')}")
    return value


def _branch(root: Path) -> str:
    """The branch that publishes: the remote's default branch, else the one checked out now, else 'main'."""
    remote = (git_output(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD", timeout=10) or "")
    if remote.strip().startswith("origin/"):
        return remote.strip().removeprefix("origin/")
    name = (git_output(root, "symbolic-ref", "--quiet", "--short", "HEAD", timeout=10) or "").strip()
    return name or "main"


def _github_steps(values: dict[str, str]) -> tuple[str, ...]:
    return (
        "Commit the workflow and push it.",
        "On GitHub: Settings > Pages > Build and deployment > Source: GitHub Actions.",
        "Set base_url in roadmapgen.yaml to the Pages address (https://OWNER.github.io/REPOSITORY/ "
        "or your custom domain).",
        "Keep this repository private: it holds every internal document (GitHub Pages from a private "
        f"repository needs a paid plan; {docs_url('publishing.md')} gives the free ways).",
        "Private internal site (optional): make a Cloudflare Pages project named "
        f"{values['@@CLOUDFLARE_PROJECT@@']}, protect it with Cloudflare Access, and under Settings > "
        "Environments > internal-site allow only the default branch and add the secrets CLOUDFLARE_API_TOKEN "
        "and CLOUDFLARE_ACCOUNT_ID. Until then it is a workflow artifact, as private as the repository.",
        f"Never publish site/internal on a public host. Details: {docs_url('publishing.md')}",
    )


def _gitlab_steps(values: dict[str, str]) -> tuple[str, ...]:
    return (
        "Commit .gitlab-ci.yml and push it.",
        "Set base_url in roadmapgen.yaml to the project's Pages address (Deploy > Pages).",
        "Keep this project private: it holds every internal document.",
        "Merge-request notes (optional): a project access token with the Reporter role and the api scope, as a "
        "masked CI/CD variable ROADMAPGEN_NOTE_TOKEN with the environment scope roadmapgen-notes; without it the "
        "report is a job artifact.",
        "The internal site is a job artifact for project members with the Developer role; to host it, see "
        f"{docs_url('publishing.md')} (Pages access control).",
    )


_NEXT_STEPS = {"github": _github_steps, "gitlab": _gitlab_steps}
