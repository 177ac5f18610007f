"""git runs nothing from the checkout (issue #23): hostile git directories as real processes.

A committed folder holding ``HEAD``, ``config``, ``objects/`` and ``refs/`` is a
repository to git's discovery, and its ``config`` is the pull request's: its
``core.fsmonitor`` is a command git runs for any index read.  Each case first
shows that plain ``git`` in that folder does run the planted command (the
fixture is live), then runs envcheck as a real process and asserts it did not.
Ordinary repositories still get their verdicts (EC402, EC403, guard's
"staged"), and even the user's own top-level ``core.fsmonitor`` stays off.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from envcheck.rules import gitfiles

pytestmark = pytest.mark.skipif(os.name != "posix", reason="planted commands are sh scripts")

KEY = "sk-proj-" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(48))
TIMEOUT = 120  # a hang guard only: each run takes well under a second
IDENTITY = ("-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false")

# Every setting that names a program git might run; %s is the planted command.
HOSTILE_SETTINGS = """\
[core]
\trepositoryformatversion = 0
\tfsmonitor = %(cmd)s
\thooksPath = %(hooks)s
\tsshCommand = %(cmd)s
\tpager = %(cmd)s
\talternateRefsCommand = %(cmd)s
\teditor = %(cmd)s
[uploadpack]
\tpackObjectsHook = %(cmd)s
[credential]
\thelper = !%(cmd)s
[diff "env"]
\ttextconv = %(cmd)s
[filter "env"]
\tclean = %(cmd)s
\tsmudge = %(cmd)s
\tprocess = %(cmd)s
[gpg]
\tprogram = %(cmd)s
"""
# A folder that is its own work tree: without these, git refuses ``ls-files`` in a bare one.
OWN_WORK_TREE = "[core]\n\tbare = false\n\tworktree = .\n"
HOOK_NAMES = ("pre-commit", "post-checkout", "post-index-change", "reference-transaction")


class Planted:
    """A command that leaves a mark when anything runs it, and hooks that do the same."""

    def __init__(self, where: Path) -> None:
        where.mkdir()
        self.marker = where / "ran"
        self.command = where / "planted"
        self.hooks = where / "hooks"
        self.hooks.mkdir()
        for script in (self.command, *(self.hooks / n for n in HOOK_NAMES)):
            script.write_text(f'#!/bin/sh\necho "$0" >> "{self.marker}"\nexit 1\n')
            script.chmod(0o755)

    def config(self, *, own_work_tree: bool) -> str:
        text = HOSTILE_SETTINGS % {"cmd": self.command, "hooks": self.hooks}
        return text + (OWN_WORK_TREE if own_work_tree else "")

    def ran(self) -> bool:
        return self.marker.exists()


Layout = Callable[[Path, dict[str, str], Planted], Path]


def base_env(home: Path) -> dict[str, str]:
    """No global or system git config, no repository chosen by the environment."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "TMPDIR", "SYSTEMROOT")}
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CEILING_DIRECTORIES=str(home.parent),
        NO_COLOR="1",
    )
    return env


def git(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *IDENTITY, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def envcheck(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output[-2000:]
    assert KEY not in output and KEY[8:20] not in output
    return proc


def bare_layout(folder: Path, config: str) -> None:
    """What makes ``folder`` a git directory to git's discovery: committable files only."""
    for sub in ("objects", "refs/heads"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub / "keep").write_text("")
    (folder / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "config").write_text(config)


def monorepo(root: Path, env: dict[str, str]) -> Path:
    """A Turborepo with one Next.js app whose ``.env`` holds a (fake) key; returns the app."""
    root.mkdir(exist_ok=True)
    app = root / "apps" / "web"
    app.mkdir(parents=True)
    (root / "package.json").write_text(
        json.dumps({"name": "root", "private": True, "workspaces": ["apps/*"]})
    )
    (root / "turbo.json").write_text(json.dumps({"tasks": {"build": {}}}))
    (root / ".gitignore").write_text(".env*.local\n")
    (app / "package.json").write_text(json.dumps({"name": "web", "dependencies": {"next": "14"}}))
    (app / ".env").write_text(f"OPENAI_API_KEY={KEY}\n")
    return app


def commit_all(root: Path, env: dict[str, str]) -> None:
    assert git(root, env, "init", "-q", "-b", "main").returncode == 0
    assert git(root, env, "add", "-A").returncode == 0
    done = git(root, env, "commit", "-q", "-m", "init")
    assert done.returncode == 0, done.stderr


def cloned(source: Path, target: Path, env: dict[str, str]) -> Path:
    """What the victim has: a fresh clone (committed content only), then a local file."""
    done = git(source.parent, env, "clone", "-q", str(source), str(target))
    assert done.returncode == 0, done.stderr
    (target / "apps" / "web" / ".env.local").write_text(f"OPENAI_API_KEY={KEY}\n")
    return target


def assert_armed(folder: Path, env: dict[str, str], planted: Planted) -> None:
    """Plain git in ``folder`` runs the planted command: the case tests something."""
    git(folder, env, "ls-files")
    assert planted.ran(), "the fixture is not live: plain git did not run the planted command"
    planted.marker.unlink()


def every_command(root: Path, app: Path, env: dict[str, str]) -> dict[str, int]:
    """Exit codes of the commands a hook, CI or a first run would start here."""
    return {
        "check app": envcheck(app, env, "check").returncode,
        "check app json": envcheck(app, env, "check", "--format", "json").returncode,
        "check root": envcheck(root, env, "check").returncode,
        "guard": envcheck(root, env, "guard", "apps/web/.env.local").returncode,
        "guard app": envcheck(app, env, "guard").returncode,
        "lint app": envcheck(app, env, "lint").returncode,
        "lint root": envcheck(root, env, "lint", "apps/web/.env").returncode,
        "explain": envcheck(app, env, "explain").returncode,
    }


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return base_env(home)


@pytest.fixture
def planted(tmp_path: Path) -> Planted:
    return Planted(tmp_path / "attacker")


def nested_bare_repository(tmp_path: Path, env: dict[str, str], planted: Planted) -> Path:
    """A pull request that commits ``apps/web/{HEAD,config,objects,refs}``, as cloned."""
    source = tmp_path / "pr"
    bare_layout(monorepo(source, env), planted.config(own_work_tree=True))
    commit_all(source, env)
    return cloned(source, tmp_path / "victim", env)


def git_file_into_the_checkout(tmp_path: Path, env: dict[str, str], planted: Planted) -> Path:
    """An archive (not a clone: git never checks out ``.git``) with an ``apps/web/.git`` file."""
    root = tmp_path / "unpacked"
    app = monorepo(root, env)
    bare_layout(root / "vendor" / "evil", planted.config(own_work_tree=False))
    commit_all(root, env)
    (app / ".git").write_text("gitdir: ../../vendor/evil\n")
    (app / ".env.local").write_text(f"OPENAI_API_KEY={KEY}\n")
    return root


def project_folder_is_a_git_directory(
    tmp_path: Path, env: dict[str, str], planted: Planted
) -> Path:
    """A downloaded tree with no ``.git``, whose top folder and app have the bare layout."""
    root = tmp_path / "download"
    app = monorepo(root, env)
    (app / ".env.local").write_text(f"OPENAI_API_KEY={KEY}\n")
    bare_layout(root, planted.config(own_work_tree=True))
    bare_layout(app, planted.config(own_work_tree=True))
    return root


HOSTILE_LAYOUTS = [
    nested_bare_repository,
    git_file_into_the_checkout,
    project_folder_is_a_git_directory,
]


@pytest.mark.parametrize("layout", HOSTILE_LAYOUTS)
def test_hostile_git_directory_runs_nothing(
    tmp_path: Path, env: dict[str, str], planted: Planted, layout: Layout
) -> None:
    root = layout(tmp_path, env, planted)
    app = root / "apps" / "web"
    assert_armed(app, env, planted)

    codes = every_command(root, app, env)

    assert not planted.ran()
    # git cannot say the file is ignored: refused, not waved through
    assert codes["guard"] == 1
    assert all(code in (0, 1) for code in codes.values()), codes


@pytest.mark.parametrize("layout", HOSTILE_LAYOUTS)
def test_hostile_git_directory_is_refused(
    tmp_path: Path,
    env: dict[str, str],
    planted: Planted,
    layout: Layout,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first defence on its own: the repository is not accepted, so no git runs in it."""
    root = layout(tmp_path, env, planted)
    for name in [*os.environ]:
        if name.startswith("GIT_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert gitfiles.work_tree(root / "apps" / "web") is None
    assert not planted.ran()


def test_guard_in_a_commit_hook_beside_a_committed_bare_repository(
    tmp_path: Path, env: dict[str, str], planted: Planted
) -> None:
    root = nested_bare_repository(tmp_path, env, planted)
    install_guard_hook(root)
    assert_armed(root / "apps" / "web", env, planted)
    assert git(root, env, "add", "-f", "apps/web/.env.local").returncode == 0

    commit = git(root, env, "commit", "-q", "-m", "oops")

    assert commit.returncode != 0  # refused: the file's state is unknown, so it is not let in
    assert not planted.ran()


def test_the_users_own_fsmonitor_and_hooks_stay_off(
    tmp_path: Path, env: dict[str, str], planted: Planted
) -> None:
    """Belt and braces: the top ``.git/config`` is trusted, and still starts nothing."""
    root = tmp_path / "repo"
    app = monorepo(root, env)
    commit_all(root, env)
    (app / ".env.local").write_text(f"OPENAI_API_KEY={KEY}\n")
    for setting in (f"core.fsmonitor={planted.command}", f"core.hooksPath={planted.hooks}"):
        name, value = setting.split("=", 1)
        assert git(root, env, "config", name, value).returncode == 0
    assert_armed(root, env, planted)

    every_command(root, app, env)

    assert not planted.ran()


def findings(proc: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    return sorted((f["code"], f["path"]) for f in json.loads(proc.stdout)["findings"])


def test_ordinary_repository_keeps_its_verdicts(tmp_path: Path, env: dict[str, str]) -> None:
    root = tmp_path / "repo"
    app = monorepo(root, env)
    (root / ".gitignore").write_text("")  # .env.local is then one `git add .` away
    commit_all(root, env)
    (app / ".env.local").write_text(f"OPENAI_API_KEY={KEY}\n")

    found = findings(envcheck(app, env, "check", "--format", "json", "--select", "EC40"))
    assert ("EC402", ".env") in found  # tracked secret
    assert ("EC403", ".env.local") in found  # neither tracked nor ignored

    assert git(root, env, "add", "-f", "apps/web/.env.local").returncode == 0
    guard = envcheck(root, env, "guard", "apps/web/.env.local")
    assert guard.returncode == 1 and "staged for commit" in guard.stdout + guard.stderr


def install_guard_hook(root: Path) -> None:
    """The user's own pre-commit hook (``.git/hooks``: user config, not checkout content)."""
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -m envcheck guard apps/web/.env.local'
        " > hook.out 2>&1\n"
    )
    hook.chmod(0o755)


def test_commit_hook_in_a_subdirectory_sees_the_index_git_commits(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """git gives a hook ``GIT_INDEX_FILE=.git/index`` (relative to the top): still answered."""
    root = tmp_path / "repo"
    monorepo(root, env)
    commit_all(root, env)
    install_guard_hook(root)
    (root / "apps" / "web" / ".env.local").write_text(f"OPENAI_API_KEY={KEY}\n")
    assert git(root, env, "add", "-f", "apps/web/.env.local").returncode == 0

    commit = git(root, env, "commit", "-q", "-m", "oops")

    said = (root / "hook.out").read_text()
    assert commit.returncode != 0
    assert "staged for commit" in said and KEY not in said


def test_linked_work_tree_is_still_a_repository(tmp_path: Path, env: dict[str, str]) -> None:
    """``git worktree add``: a ``.git`` file whose gitdir is under the main ``.git``."""
    root = tmp_path / "repo"
    monorepo(root, env)
    commit_all(root, env)
    linked = tmp_path / "linked"
    assert git(root, env, "worktree", "add", "-q", str(linked)).returncode == 0
    assert (linked / ".git").is_file()

    found = findings(
        envcheck(linked / "apps" / "web", env, "check", "--format", "json", "--select", "EC402")
    )

    assert found == [("EC402", ".env")]
