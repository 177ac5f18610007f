"""Run a rule family over a fixture project copied into a temp dir.

A fixture is a directory under ``fixtures/rules/<family>/<CODE>/`` holding
the project files, ``fixture.toml`` (framework, mode, process environment,
git and permission setup) and ``expected.txt``: one
``location: CODE severity message`` line per finding, in report order.
Git metadata cannot live inside the envcheck repository, so ``gitignore.txt``
becomes ``.gitignore`` in the copy and ``git.tracked`` lists the files to commit.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from envcheck.model import Finding, Report
from envcheck.rules.base import CheckContext
from envcheck.secret import Secret
from envcheck.sources.profiles import Profile, get_profile
from envcheck.sources.types import Origin, Problem, Resolution, Resolved

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
_META = {"fixture.toml", "expected.txt", "gitignore.txt"}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def git_repo(path: Path, tracked: Iterable[str] = ()) -> None:
    """A real repository at ``path`` with ``tracked`` committed."""
    git(path, "init", "-q", "-b", "main")
    names = list(tracked)
    if names:
        git(path, "add", "-f", "--", *names)
        git(path, "commit", "-q", "-m", "init")


def fallback_resolution(
    project: Path, profile: Profile, mode: str, process_env: Mapping[str, str]
) -> Resolution:
    """Files in the profile's order, first wins, process wins; no expansion.

    Used only while the profile's real loader is not written yet.
    """
    from envcheck.sources.resolve import parse_file

    parsed = [
        p
        for name in profile.candidates(mode)
        if (p := parse_file(project / name, name, profile.dialect)) is not None
    ]
    vars_: dict[str, Resolved] = {}
    for pf in parsed:
        for key, entry in pf.last_entries().items():
            if key in vars_:
                vars_[key].shadowed.append(Origin.of(entry))
            else:
                vars_[key] = Resolved(key, Secret(entry.value), Origin.of(entry), [], None, entry)
    for key, res in vars_.items():
        if key in process_env:
            res.shadowed.insert(0, res.origin)
            res.origin = Origin("process")
            res.value = Secret(process_env[key])
            res.entry = None
    return Resolution(
        profile.name,
        mode,
        [p.path for p in parsed],
        parsed,
        vars_,
        skipped=profile.skipped(mode),
    )


def resolution_for(
    project: Path, profile: Profile, mode: str, process_env: Mapping[str, str]
) -> Resolution:
    """The real resolver when the profile's loader exists, else :func:`fallback_resolution`."""
    from envcheck.sources.resolve import resolve

    try:
        return resolve(project, profile, mode, process_env)
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("envcheck.sources.load_"):
            return fallback_resolution(project, profile, mode, process_env)
        raise


def context(
    project: Path,
    framework: str = "nextjs",
    mode: str = "development",
    process_env: Mapping[str, str] | None = None,
    schema: Any = None,
) -> CheckContext:
    profile = get_profile(framework)
    env = dict(process_env or {})
    return CheckContext(project, profile, resolution_for(project, profile, mode, env), env, schema)


def line(f: Finding) -> str:
    """``path:line:col: CODE severity message``, then a ``  related: place label`` line each."""
    related = "".join(f"\n  related: {r}" for r in f.related)
    return f"{f.location}: {f.code} {f.severity.value} {f.message}{related}"


def render(findings: Iterable[Finding]) -> list[str]:
    return [ln for f in Report(list(findings)).sorted() for ln in line(f).split("\n")]


def setup_fixture(src: Path, dst: Path) -> dict[str, Any]:
    """Copy fixture ``src`` to ``dst``, build its git repo and permissions; return its config."""
    meta = tomllib.loads((src / "fixture.toml").read_text(encoding="utf-8"))
    for item in src.iterdir():
        if item.is_dir():  # build output such as .next/
            shutil.copytree(item, dst / item.name)
        elif item.name not in _META:
            shutil.copy2(item, dst / item.name)
            (dst / item.name).chmod(0o600)
    if (src / "gitignore.txt").exists():
        shutil.copy2(src / "gitignore.txt", dst / ".gitignore")
    if "git" in meta:
        git_repo(dst, meta["git"].get("tracked", []))
    for name, mode in meta.get("chmod", {}).items():
        (dst / name).chmod(int(mode, 8))
    return meta


def loader_exists(framework: str) -> bool:
    module = get_profile(framework).loader.partition(":")[0]
    return importlib.util.find_spec(module) is not None


def run_fixture(
    src: Path, dst: Path, check: Callable[[CheckContext], Iterable[Finding]]
) -> list[str]:
    """The fixture's findings as ``expected.txt`` lines.

    ``notes`` in fixture.toml are appended to the resolution's loader notes;
    ``compare = "code"`` keeps only ``path: CODE severity`` (the message and
    the line of a loader note are the loader's to choose).
    """
    meta = setup_fixture(src, dst)
    ctx = context(
        dst,
        meta.get("framework", "nextjs"),
        meta.get("mode", "development"),
        meta.get("process_env", {}),
    )
    ctx.resolution.notes.extend(Problem(**n) for n in meta.get("notes", []))
    findings = Report(list(check(ctx))).sorted()
    if meta.get("compare") == "code":
        return [f"{f.location.path or 'process'}: {f.code} {f.severity.value}" for f in findings]
    return [ln for f in findings for ln in line(f).split("\n")]


def expected(src: Path) -> list[str]:
    return (src / "expected.txt").read_text(encoding="utf-8").splitlines()


def isolated_git(monkeypatch: Any, home: Path) -> None:
    """No global or system git config (a global excludesFile would change the answers)."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)
