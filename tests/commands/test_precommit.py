"""The hooks in ``.pre-commit-hooks.yaml`` driven by the real ``pre-commit``.

pre-commit clones the hook repository at a revision and pip-installs it into
a virtualenv of its own, exactly as for a user's ``.pre-commit-config.yaml``.
The repository under test is this working tree: a session fixture snapshots
its files (tracked and untracked, minus what git ignores) into a throwaway
git repository and commits them, because ``pre-commit try-repo`` on a dirty
tree carries only *tracked* changes, and a config's ``rev:`` needs a commit.

``pre-commit run`` with a config pointing at the snapshot shares one
``PRE_COMMIT_HOME`` per session, so its hook environment is built once.
``try-repo`` always builds into a fresh temporary store (it ignores
``PRE_COMMIT_HOME``), so it is used once, for a blocked and a passing run;
a shared pip cache keeps its rebuild short.  Everything pip-installs
envcheck and its dependencies from PyPI: slow, hence ``slow``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.harness import REPO_ROOT

pytestmark = pytest.mark.slow

_SCRIPT = Path(sys.executable).parent / "pre-commit"
PRE_COMMIT = str(_SCRIPT) if _SCRIPT.exists() else shutil.which("pre-commit")
if PRE_COMMIT is None:
    pytest.skip(
        "pre-commit is not installed (`make test` installs it: pip install -e '.[test]')",
        allow_module_level=True,
    )
if shutil.which("git") is None:
    pytest.skip("git is not installed; pre-commit needs it", allow_module_level=True)

INSTALL_TIMEOUT = 1200  # the first hook run builds a virtualenv and pip-installs envcheck
KEY = "sk-proj-" + "Qw7" * 20  # a made-up key with the shape of an OpenAI project key
_IDENTITY = {
    "GIT_AUTHOR_NAME": "envcheck tests",
    "GIT_AUTHOR_EMAIL": "tests@envcheck.invalid",
    "GIT_COMMITTER_NAME": "envcheck tests",
    "GIT_COMMITTER_EMAIL": "tests@envcheck.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass(frozen=True)
class HookRepo:
    path: Path
    rev: str
    home: Path  # PRE_COMMIT_HOME, shared by every test


def _git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        env=env or {**os.environ, **_IDENTITY},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HookRepo]:
    """This working tree, committed into a throwaway repository pre-commit can clone."""
    env = {**os.environ, **_IDENTITY, "HOME": str(tmp_path_factory.mktemp("git-home"))}
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    if listed.returncode != 0:
        pytest.skip("the envcheck sources are not a git checkout; cannot snapshot them")
    snapshot = tmp_path_factory.mktemp("envcheck-hooks-repo")
    for name in listed.stdout.decode().split("\0"):
        source = REPO_ROOT / name
        if name and source.is_file() and not source.is_symlink():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _git(snapshot, "init", "-q", env=env)
    _git(snapshot, "add", "-A", env=env)
    _git(snapshot, "commit", "-q", "-m", "snapshot", env=env)
    rev = _git(snapshot, "rev-parse", "HEAD", env=env).strip()
    yield HookRepo(snapshot, rev, tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty git repository, as a user's project before the first commit."""
    repo = tmp_path / "project"
    repo.mkdir()
    _git(repo, "init", "-q")
    return repo


def _env(hooks: HookRepo) -> dict[str, str]:
    env = dict(os.environ)
    env.update(_IDENTITY)
    env.update(
        PRE_COMMIT_HOME=str(hooks.home),
        NO_COLOR="1",
        PIP_CACHE_DIR=str(hooks.home / "pip-cache"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    env.pop("VIRTUAL_ENV", None)
    return env


def _try(
    hooks: HookRepo, project: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo``: the hook straight from the repository, no config file."""
    _git(project, "add", "-A")
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(hooks.path), hook, "--ref", hooks.rev, "--files", *files],
        cwd=project,
        env=_env(hooks),
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )


def _run(
    hooks: HookRepo, project: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    """``pre-commit run HOOK --files …`` under a config that points at the snapshot."""
    _write(project, {".pre-commit-config.yaml": _config(hooks)})
    _git(project, "add", "-A")
    return subprocess.run(
        [PRE_COMMIT, "run", hook, "--files", *files],
        cwd=project,
        env=_env(hooks),
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )


def _write(project: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")


def _passed(proc: subprocess.CompletedProcess[str]) -> bool:
    """Passed, and really ran: a hook whose ``files`` matched nothing is "Skipped"."""
    return proc.returncode == 0 and "Passed" in proc.stdout and "Skipped" not in proc.stdout


@pytest.mark.parametrize(
    ("files", "staged", "blocked", "expected"),
    [
        ({".env.example": "OPENAI_API_KEY=\nPORT=3000\n"}, [".env.example"], False, ""),
        ({".env.local": "DEBUG=1\n"}, [".env.local"], True, "machine-local"),
        ({"web/.env.development.local": "DEBUG=1\n"}, ["web/.env.development.local"], True, ""),
        ({".env.production": f"OPENAI_API_KEY={KEY}\n"}, [".env.production"], True, "EC402"),
        ({".env.sample": f"OPENAI_API_KEY={KEY}\n"}, [".env.sample"], True, "template"),
        ({".env.example": "OPENAI_API_KEY=sk-...\n"}, [".env.example"], False, ""),
        ({".env": "DB_PASSWORD=hunter2hunter\n"}, [".env"], True, "DB_PASSWORD"),
    ],
)
def test_secret_files_hook(
    hook_repo: HookRepo,
    project: Path,
    files: dict[str, str],
    staged: list[str],
    blocked: bool,
    expected: str,
) -> None:
    _write(project, files)
    proc = _run(hook_repo, project, "envcheck-secret-files", *staged)
    output = proc.stdout + proc.stderr
    if blocked:
        assert proc.returncode == 1, output
        assert "Failed" in proc.stdout
        assert expected in output
    else:
        assert _passed(proc), output
    assert KEY not in output and KEY[-12:] not in output


def test_lint_hook(hook_repo: HookRepo, project: Path) -> None:
    _write(project, {".env": 'GOOD=1\nBROKEN="never closed\nOTHER=2\n', ".env.test": "A=1\n"})
    proc = _run(hook_repo, project, "envcheck-lint", ".env", ".env.test")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert ".env:2" in proc.stdout
    proc = _run(hook_repo, project, "envcheck-lint", ".env.test")
    assert _passed(proc), proc.stdout + proc.stderr


def test_project_hook(hook_repo: HookRepo, project: Path) -> None:
    _write(project, {".env.example": "API_URL=\nNEEDED=\n", ".env": "API_URL=https://x.test\n"})
    proc = _run(hook_repo, project, "envcheck", ".env.example")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "NEEDED" in proc.stdout and "EC301" in proc.stdout
    _write(project, {".env": "API_URL=https://x.test\nNEEDED=yes\n"})
    proc = _run(hook_repo, project, "envcheck", ".env.example")
    assert _passed(proc), proc.stdout + proc.stderr


def _config(hooks: HookRepo) -> str:
    return (
        "repos:\n"
        f"  - repo: {hooks.path}\n"
        f"    rev: {hooks.rev}\n"
        "    hooks:\n"
        "      - id: envcheck-lint\n"
        "      - id: envcheck-secret-files\n"
        "      - id: envcheck\n"
    )


def _commit(hooks: HookRepo, project: Path, message: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-m", message],
        cwd=project,
        env=_env(hooks),
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )


def test_git_commit_with_installed_hooks(hook_repo: HookRepo, project: Path) -> None:
    """The whole path a user takes: config, ``pre-commit install``, ``git commit``."""
    _write(
        project,
        {
            ".pre-commit-config.yaml": _config(hook_repo),
            "app.py": "print('hi')\n",
            "package.json": '{"dependencies": {"next": "16.0.0"}}\n',
        },
    )
    install = subprocess.run(
        [PRE_COMMIT, "install"],
        cwd=project,
        env=_env(hook_repo),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert install.returncode == 0, install.stderr

    _write(project, {".env.local": f"OPENAI_API_KEY={KEY}\n"})
    _git(project, "add", ".pre-commit-config.yaml", "app.py", "package.json", ".env.local")
    blocked = _commit(hook_repo, project, "leak the key")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "envcheck guard" in output and "Failed" in output
    assert KEY not in output
    no_head = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=project, capture_output=True
    )
    assert no_head.returncode != 0  # nothing was committed

    _git(project, "rm", "-q", "--cached", ".env.local")
    _write(project, {".gitignore": ".env*.local\n", ".env.example": "OPENAI_API_KEY=\n"})
    _git(project, "add", ".gitignore", ".env.example")
    passed = _commit(hook_repo, project, "template only")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    committed = _git(project, "ls-files").split()
    assert ".env.example" in committed and ".env.local" not in committed


def test_try_repo_blocks_and_passes(hook_repo: HookRepo, project: Path) -> None:
    """``pre-commit try-repo``, the way a hook author tries hooks before a release."""
    _write(project, {".env.local": f"OPENAI_API_KEY={KEY}\n", ".env.example": "OPENAI_API_KEY=\n"})
    blocked = _try(hook_repo, project, "envcheck-secret-files", ".env.local", ".env.example")
    assert blocked.returncode == 1, blocked.stdout + blocked.stderr
    assert ".env.local" in blocked.stdout and "EC402" in blocked.stdout
    assert KEY not in blocked.stdout + blocked.stderr
    passed = _try(hook_repo, project, "envcheck-secret-files", ".env.example")
    assert _passed(passed), passed.stdout + passed.stderr
