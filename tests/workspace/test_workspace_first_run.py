"""The first run at a real monorepo's root: no refusals, no silent misses, never out of the root.

Each layout is one found on public repositories (issue #26): a generated
folder listed in pnpm-workspace.yaml, an empty ``packages/config/*``,
``packages: ['**']`` in a single-app repository, a settings-only
pnpm-workspace.yaml, an app left out of the workspace but run by the root
compose file, a plain layout whose ``frontend/`` is a pnpm workspace.  The
expected app lists are what pnpm 10 and npm list for the same trees; the
oracle tests run the real tools (``oracles/node_modules/pnpm``, the npm that
ships with Node) and are skipped without them unless
``ENVCHECK_REQUIRE_ORACLES`` is set.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from envcheck.workspace.discover import discover
from tests.harness import REPO_ROOT, write
from tests.harness import isolated as envcheck
from tests.oracle import missing

PNPM = REPO_ROOT / "oracles" / "node_modules" / "pnpm" / "bin" / "pnpm.cjs"
SECRET = "sk_live_" + "Zq9XCanary7Q" * 3  # fake, the shape EC401 knows
NEXT = '{"name": "%s", "dependencies": {"next": "15.0.0"}}'

# Layout -> (patterns, files, links, the apps pnpm 10 and npm list besides the root).
# A file whose name ends in "/" is an empty folder.
Layout = tuple[list[str], dict[str, str], dict[str, str], list[str]]
LAYOUTS: dict[str, Layout] = {
    "unmatched-globs": (
        ["apps/*", "generated/*", "packages/config/*", "!apps/api"],
        {
            "apps/web/package.json": '{"name": "web"}',
            "apps/api/package.json": '{"name": "api"}',
            "apps/notes/README.md": "no package.json: not a package\n",
            "packages/config/": "",
        },
        {},
        ["apps/web"],
    ),
    "double-star": (
        ["**"],
        {
            "src/components/package.json": '{"name": "comp"}',
            "dist/package.json": '{"name": "dist"}',
            "build/x/package.json": '{"name": "bx"}',
            ".hidden/p/package.json": '{"name": "hidden"}',
            "node_modules/m/package.json": '{"name": "m"}',
            "sub/node_modules/q/package.json": '{"name": "q"}',
            "a/b/c/d/e/f/g/h/i/j/package.json": '{"name": "deep"}',
            "lib/f.json/x": "{}",
            "docs/package.json.bak": "{}",
        },
        {},
        ["a/b/c/d/e/f/g/h/i/j", "build/x", "dist", "src/components"],
    ),
    "negation-under-double-star": (
        ["packages/**", "!**/test/**"],
        {
            "packages/a/package.json": '{"name": "a"}',
            "packages/a/test/fixture/package.json": '{"name": "fx"}',
            "packages/b/test/package.json": '{"name": "bt"}',
        },
        {},
        ["packages/a"],
    ),
    "symlink-inside": (
        ["apps/*"],
        {"apps/web/package.json": '{"name": "web"}', "real/in/package.json": '{"name": "in"}'},
        {"apps/in": "../real/in"},
        ["apps/in", "apps/web"],
    ),
}


def _build(root: Path, layout: str, tool: str) -> Path:
    patterns, files, links, _ = LAYOUTS[layout]
    for name, text in files.items():
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        write(root, {name: text})
    for name, target in links.items():
        (root / name).symlink_to(target)
    # npm reports packages by name: name each one after its folder, to read paths back.
    for package in root.rglob("package.json"):
        rel = package.parent.relative_to(root).as_posix()
        package.write_text(json.dumps({"name": rel.replace("/", "--")}))
    for name in links:  # a linked package is listed where the link is
        (root / name / "package.json").write_text(json.dumps({"name": name.replace("/", "--")}))
    if tool == "pnpm":
        lines = "".join(f"  - '{p}'\n" for p in patterns)
        write(root, {"pnpm-workspace.yaml": f"packages:\n{lines}", "package.json": "{}"})
    else:
        write(root, {"package.json": json.dumps({"name": "root", "workspaces": patterns})})
    return root


def _apps(root: Path) -> list[str]:
    found = discover(root)
    return [] if found is None else sorted(a.path for a in found.apps)


def _require(available: bool, what: str) -> None:
    if available:
        return
    missing(f"workspace oracle needs {what}")


def _quiet_env(root: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(root.parent / "home"),
        "npm_config_cache": str(root.parent / "npm-cache"),
        "npm_config_update_notifier": "false",
    }


def pnpm_projects(root: Path) -> list[str]:
    """What ``pnpm ls -r`` lists (offline: it reads the tree, installs nothing), root aside."""
    _require(PNPM.is_file() and shutil.which("node") is not None, "`make oracles` (pnpm)")
    proc = subprocess.run(
        ["node", str(PNPM), "ls", "-r", "--depth", "-1", "--json"],
        cwd=root,
        env=_quiet_env(root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    paths = (os.path.relpath(p["path"], root) for p in json.loads(proc.stdout))
    return sorted(p.replace(os.sep, "/") for p in paths if p != ".")


def npm_workspaces(root: Path) -> list[str]:
    """What ``npm pkg get name --workspaces`` lists (offline), by the names _build gave."""
    _require(shutil.which("npm") is not None, "npm")
    proc = subprocess.run(
        ["npm", "pkg", "get", "name", "--workspaces", "--json"],
        cwd=root,
        env=_quiet_env(root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return sorted(name.replace("--", "/") for name in json.loads(proc.stdout))


# -- which folders are apps: pnpm's and npm's answer ---------------------------------------


@pytest.mark.parametrize("tool", ["pnpm", "npm"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_apps_are_the_packages_pnpm_and_npm_list(tmp_path: Path, layout: str, tool: str) -> None:
    root = _build(tmp_path / "ws", layout, tool)
    assert _apps(root) == LAYOUTS[layout][3]


ORACLES: dict[str, Callable[[Path], list[str]]] = {"pnpm": pnpm_projects, "npm": npm_workspaces}


@pytest.mark.parametrize("tool", sorted(ORACLES))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_the_real_pnpm_and_npm_list_the_same_apps(tmp_path: Path, layout: str, tool: str) -> None:
    root = _build(tmp_path / "ws", layout, tool)
    assert ORACLES[tool](root) == _apps(root) == LAYOUTS[layout][3]


def test_a_settings_only_pnpm_workspace_is_a_single_project_for_pnpm_too(tmp_path: Path) -> None:
    root = write(
        tmp_path / "ws",
        {
            "pnpm-workspace.yaml": "onlyBuiltDependencies:\n  - esbuild\n",
            "package.json": NEXT % "app",
            "tools/package.json": '{"name": "tools"}',
        },
    )
    assert discover(root) is None
    assert pnpm_projects(root) == []


# -- no refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("tool", ["pnpm", "npm"])
def test_a_pattern_that_matches_nothing_is_a_note_not_exit_2(tmp_path: Path, tool: str) -> None:
    root = _build(tmp_path / "ws", "unmatched-globs", tool)
    write(root, {"apps/web/.env": f"NEXT_PUBLIC_STRIPE_KEY={SECRET}\n"})
    (root / "apps/web/package.json").write_text(NEXT % "web")
    declared_by = "pnpm-workspace.yaml" if tool == "pnpm" else "package.json"
    for command in ("check", "lint", "explain"):
        result = envcheck(root, command)
        assert result.returncode != 2, (command, result.stderr)
        assert "Traceback" not in result.stderr
        assert f"note: {declared_by}: pattern 'generated/*' matches no folder" in result.stderr
        assert "'packages/config/*' matches no folder" in result.stderr
    result = envcheck(root, "check", "--format", "json")
    assert result.returncode == 1 and SECRET not in result.stdout + result.stderr
    document = json.loads(result.stdout)
    assert [a["path"] for a in document["apps"]] == ["apps/web"]
    assert {f["code"] for f in document["findings"]} >= {"EC401"}
    notes = document["workspace"]["notes"]
    assert len(notes) == 2 and all("matches no folder" in n for n in notes)


def test_double_star_in_a_single_app_repo_checks_the_app_not_every_folder(tmp_path: Path) -> None:
    root = write(
        tmp_path / "ws",
        {
            "pnpm-workspace.yaml": "packages:\n  - '**'\n",
            "package.json": NEXT % "site",
            ".env": f"NEXT_PUBLIC_STRIPE_KEY={SECRET}\n",
            "node_modules/next/package.json": '{"name": "next"}',
            ".next/server/package.json": "{}",
            "src/app/page.tsx": "export default function Page() {}\n",
            "public/favicon.ico": "",
        },
    )
    result = envcheck(root, "check", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert "apps" not in document  # the root, as a single Next.js project
    assert document["framework"] == "nextjs" and document["files"] == [".env"]
    assert "declares no apps: the root is checked as a single project" in result.stderr
    # A package under it (a worker) is an app, and the root Next.js app stays one too (a
    # test suite's package, e2e/, would be a tool: envcheck.workspace.apps).
    write(root, {"worker/package.json": '{"name": "worker"}'})
    document = json.loads(envcheck(root, "check", "--format", "json").stdout)
    apps = {a["path"]: a for a in document["apps"]}
    assert sorted(apps) == [".", "worker"] and apps["."]["framework"] == "nextjs"
    assert any(f["code"] == "EC401" and f["path"] == ".env" for f in document["findings"])


# -- no silent misses -----------------------------------------------------------------------


def test_a_settings_only_pnpm_workspace_yaml_leaves_the_root_a_project(tmp_path: Path) -> None:
    root = write(
        tmp_path / "ws",
        {
            "pnpm-workspace.yaml": "onlyBuiltDependencies:\n  - esbuild\n  - sharp\n",
            "package.json": NEXT % "app",
            ".env": "PORT=3000\nBROKEN LINE\n",
        },
    )
    result = envcheck(root, "check", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    assert "apps" not in document and document["files"] == [".env"]
    assert any(f["code"] == "EC102" for f in document["findings"])
    assert "nothing checked" not in result.stderr


def test_the_root_compose_project_is_checked_with_the_app_it_runs(tmp_path: Path) -> None:
    """pnpm leaves apps/api out (``!apps/api``); the root compose file still runs it."""
    root = write(
        tmp_path / "ws",
        {
            "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - '!apps/api'\n",
            "package.json": '{"name": "root", "private": true, "devDependencies": {"turbo": "2"}}',
            "apps/web/package.json": NEXT % "web",
            "apps/api/package.json": '{"name": "api"}',
            "apps/api/.env": "PORT=8000\nBROKEN LINE\n",
            "docker-compose.yml": (
                "services:\n  api:\n    build: ./apps/api\n    env_file: ./apps/api/.env\n"
                "    environment:\n      - DEBUG=1\n"
            ),
        },
    )
    result = envcheck(root, "check", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    apps = {a["path"]: a for a in document["apps"]}
    assert sorted(apps) == [".", "apps/web"]
    assert apps["."]["framework"] == "compose" and apps["."]["files"] == ["apps/api/.env"]
    assert any(f["path"] == "apps/api/.env" for f in document["findings"])
    # A compose file whose services set nothing is not a project of its own.
    (root / "docker-compose.yml").write_text("services:\n  db:\n    image: postgres\n")
    assert _apps(root) == ["apps/web"]


def test_a_plain_layout_discovers_into_a_frontend_that_is_a_pnpm_workspace(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path / "ws",
        {
            "backend/pyproject.toml": '[project]\nname = "api"\ndependencies = ["python-dotenv"]\n',
            "backend/.env": "PORT=8000\n",
            "frontend/package.json": '{"name": "frontend", "private": true}',
            "frontend/pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - 'libs/*'\n",
            "frontend/apps/web/package.json": NEXT % "web",
            "frontend/apps/web/.env": f"NEXT_PUBLIC_STRIPE_KEY={SECRET}\n",
            "frontend/apps/admin/package.json": NEXT % "admin",
        },
    )
    result = envcheck(root, "check", "--format", "json")
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    paths = [a["path"] for a in document["apps"]]
    assert paths == ["backend", "frontend/apps/admin", "frontend/apps/web"]
    assert any(
        f["code"] == "EC401" and f["path"] == "frontend/apps/web/.env" for f in document["findings"]
    )
    assert "note: frontend/pnpm-workspace.yaml: pattern 'libs/*' matches no folder" in (
        result.stderr
    )


# -- never out of the root, never round a cycle (issue #23) ---------------------------------


def _outside_app(tmp_path: Path) -> Path:
    outside = write(
        tmp_path / "elsewhere" / "ext",
        {"package.json": NEXT % "ext", ".env": f"NEXT_PUBLIC_STRIPE_KEY={SECRET}\n"},
    )
    for n in range(3):  # a `**` that followed the link would walk all of these
        write(outside, {f"deep{n}/package.json": "{}"})
    return outside


@pytest.mark.parametrize("pattern", ["apps/*", "**"])
def test_a_workspace_app_linked_outside_the_repository_is_noted_not_read(
    tmp_path: Path, pattern: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = _outside_app(tmp_path)
    root = write(
        tmp_path / "ws",
        {
            "pnpm-workspace.yaml": f"packages:\n  - '{pattern}'\n",
            "package.json": '{"name": "root"}',
            "apps/web/package.json": NEXT % "web",
        },
    )
    (root / "apps" / "x").symlink_to(outside)
    result = envcheck(root, "check", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [a["path"] for a in document["apps"]] == ["apps/web"]
    note = "apps/x is a symlink to outside the repository; not checked"
    assert note in document["workspace"]["notes"] and f"note: {note}" in result.stderr
    assert "EC401" not in result.stdout and SECRET not in result.stdout + result.stderr

    # In process: discovery never lists, opens or names a path behind the link.
    real_outside = os.path.realpath(outside.parent)
    touched: list[str] = []
    real_scandir, real_open = os.scandir, open

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        touched.append(os.path.realpath(path))
        return real_scandir(path)

    def opened(path: str | os.PathLike[str], *args: object, **kwargs: object) -> object:
        touched.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr("builtins.open", opened)
    found = discover(root)
    assert found is not None and [a.path for a in found.apps] == ["apps/web"]
    assert touched and not [t for t in touched if t.startswith(real_outside)]


def test_a_bang_pattern_silences_the_note_for_a_link_it_excludes(tmp_path: Path) -> None:
    outside = _outside_app(tmp_path)
    root = write(
        tmp_path / "ws",
        {
            "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n  - '!apps/x'\n",
            "apps/web/package.json": NEXT % "web",
        },
    )
    (root / "apps" / "x").symlink_to(outside)
    found = discover(root)
    assert found is not None and [a.path for a in found.apps] == ["apps/web"]
    assert found.notes == ()


def test_symlink_cycles_are_noted_and_never_followed(tmp_path: Path) -> None:
    root = write(
        tmp_path / "ws",
        {
            "package.json": '{"name": "root", "workspaces": ["**"]}',
            "packages/a/package.json": '{"name": "a"}',
            "packages/b/package.json": '{"name": "b"}',
        },
    )
    (root / "packages" / "a" / "up").symlink_to("../..")  # back to an ancestor
    (root / "packages" / "b" / "self").symlink_to("self")  # ELOOP
    (root / "packages" / "ring1").symlink_to("ring2")
    (root / "packages" / "ring2").symlink_to("ring1")
    result = envcheck(root, "check", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [a["path"] for a in document["apps"]] == ["packages/a", "packages/b"]
    notes = document["workspace"]["notes"]
    for link in ("packages/a/up", "packages/b/self", "packages/ring1", "packages/ring2"):
        assert f"{link} is a symbolic-link cycle; not followed" in notes
