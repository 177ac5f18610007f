"""App folders no workspace declares, beside the root's own app (issue #26, a silent miss).

skyvern (hold-out survey): the root is a Python app (pyproject with pydantic-settings,
``.env.example``, compose) and ``skyvern-frontend/`` a Vite app with its own
``package.json`` (``"dev": "vite"``), ``index.html``, ``vite.config.ts`` and
``.env.example``; nothing declares a workspace.  Checked at the root only, the
frontend's template was never read: no EC301 for ``VITE_SKYVERN_API_KEY``, which
``run_ui.sh`` refuses to start without.  The rule
(:func:`envcheck.workspace.markers.undeclared_apps`): a folder one or two levels down
that something starts (a start script, ``manage.py``, a Python app framework) and that
has an env file or template of its own is checked as an app, beside the root.  Never an
example, template, starter, docs or test folder, a submodule, a folder git ignores,
dependencies or build output; a folder without env files is not configured by anyone.

The CLI cases run the real CLI on real git repositories in ``tmp_path``; the folder
rules are asked of :func:`~envcheck.workspace.markers.undeclared_apps` directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from envcheck.workspace import markers
from tests.harness import clone as project
from tests.harness import codes
from tests.harness import isolated_json as envcheck

PYPROJECT = (
    '[project]\nname = "skyvern"\nversion = "1.0.0"\n'
    'dependencies = ["fastapi>=0.110", "pydantic-settings>=2.0"]\n'
)
ROOT_SETTINGS = (
    "from pydantic_settings import BaseSettings, SettingsConfigDict\n\n\n"
    "class Settings(BaseSettings):\n"
    '    model_config = SettingsConfigDict(env_file=".env")\n'
    '    DATABASE_STRING: str = "postgresql+psycopg://skyvern@localhost/skyvern"\n'
)
COMPOSE = "services:\n  skyvern:\n    image: skyvern:1\n    env_file:\n      - .env\n"
VITE_APP = (
    '{"name": "skyvern-frontend", "private": true, "type": "module",'
    ' "scripts": {"dev": "vite", "build": "tsc --noEmit && vite build"},'
    ' "dependencies": {"react": "18.3.1"}, "devDependencies": {"vite": "5.4.0"}}\n'
)
FRONTEND_TEMPLATE = (
    "VITE_API_BASE_URL=http://localhost:8000/api/v1\n\n"
    "# your api key - for x-api-key header\n"
    "VITE_SKYVERN_API_KEY=YOUR_API_KEY\n"
)
FRONTEND_ENV = (
    "VITE_API_BASE_URL=http://localhost:8000/api/v1\n"
    "VITE_SKYVERN_API_KEY=Qm9x3Zt7Lp2Vw8Rk5Nc1Hd6Jf4Sg0Ya9\n"
)
NEXT_APP = (
    '{"name": "with-env", "scripts": {"dev": "next dev"},'
    ' "dependencies": {"next": "15.0.0", "react": "19.0.0"}}\n'
)


def _skyvern_shaped(
    tmp_path: Path, more: dict[str, str] | None = None, untracked: dict[str, str] | None = None
) -> Path:
    return project(
        tmp_path / "repo",
        {
            "pyproject.toml": PYPROJECT,
            ".env.example": "DATABASE_STRING=postgresql+psycopg://skyvern@localhost/skyvern\n",
            "docker-compose.yml": COMPOSE,
            "skyvern/config.py": ROOT_SETTINGS,
            "skyvern-frontend/package.json": VITE_APP,
            "skyvern-frontend/index.html": '<script type="module" src="/src/main.ts"></script>\n',
            "skyvern-frontend/vite.config.ts": "export default {};\n",
            "skyvern-frontend/.env.example": FRONTEND_TEMPLATE,
            "skyvern-frontend/src/main.ts": (
                "export const api = import.meta.env.VITE_API_BASE_URL;\n"
            ),
            **(more or {}),
        },
        untracked={
            ".env": "DATABASE_STRING=postgresql+psycopg://u@localhost/s\n",
            **(untracked or {}),
        },
    )


def _app_paths(document: dict[str, Any] | None) -> list[str]:
    return [a["path"] for a in (document or {}).get("apps", [])]


def _paths(document: dict[str, Any] | None) -> set[str]:
    return {f["path"] for f in (document or {}).get("findings", []) if f.get("path")}


# ---------------------------------------------------------------- the skyvern shape


def test_a_vite_app_beside_a_python_root_is_checked_with_its_own_template(tmp_path: Path) -> None:
    root = _skyvern_shaped(tmp_path)
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 1, stderr  # a fresh frontend: its README step (cp .env.example .env) is to do
    assert _app_paths(document) == [".", "skyvern-frontend"]  # the root stays an app
    frontend = {
        f["key"]
        for f in (document or {}).get("findings", [])
        if f["code"] == "EC301" and f["path"] == "skyvern-frontend/.env.example"
    }
    assert frontend == {"VITE_API_BASE_URL", "VITE_SKYVERN_API_KEY"}
    assert (document or {})["workspace"]["kind"] == markers.NESTED


def test_the_frontend_set_up_as_its_readme_says_is_not_charged_to_the_root(
    tmp_path: Path,
) -> None:
    # filled: cp skyvern-frontend/.env.example skyvern-frontend/.env, key set.  The root's
    # loader never reads the frontend's .env, and the frontend's reads are not the root's
    root = _skyvern_shaped(
        tmp_path,
        {".gitignore": ".env\n"},
        untracked={"skyvern-frontend/.env": FRONTEND_ENV},
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert _app_paths(document) == [".", "skyvern-frontend"], stderr
    found = codes(document)
    assert not {c for c in found if c[0] in ("EC301", "EC901")}, found


def test_a_root_that_is_no_project_has_only_the_nested_app(tmp_path: Path) -> None:
    # a README, a licence and one app folder: the app is what runs
    root = project(
        tmp_path / "repo",
        {
            "README.md": "cd web && cp .env.example .env && npm run dev\n",
            "web/package.json": NEXT_APP,
            "web/.env.example": "NEXT_PUBLIC_API_URL=http://localhost:8000\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 1, stderr
    assert _app_paths(document) == ["web"]
    assert ("EC301", "NEXT_PUBLIC_API_URL") in codes(document)


def test_a_python_client_library_beside_the_api_is_no_app(tmp_path: Path) -> None:
    # firecrawl (holdout5): no workspace declaration; apps/api runs, apps/python-sdk is the
    # published client (setup.py, python-dotenv for its e2e tests and examples) whose
    # template lists the keys those tests read.  Nothing starts the SDK: not an app.
    root = project(
        tmp_path / "repo",
        {
            "README.md": "cd apps/api && cp .env.example .env && npm run dev\n",
            "apps/api/package.json": NEXT_APP,
            "apps/api/.env.example": "NEXT_PUBLIC_API_URL=http://localhost:3002\n",
            "apps/python-sdk/pyproject.toml": (
                '[build-system]\nrequires = ["setuptools>=42"]\n\n[project]\n'
                'name = "firecrawl-py"\ndependencies = ["requests", "python-dotenv", "aiohttp"]\n'
            ),
            "apps/python-sdk/setup.py": "from setuptools import setup\n\nsetup()\n",
            "apps/python-sdk/.env.example": (
                "FIRECRAWL_API_KEY=<your api key>\nFIRECRAWL_API_URL=https://api.example.com\n"
                "\n# TESTING PURPOSE:\nIDMUX_URL=\n"
            ),
            "apps/python-sdk/firecrawl/__init__.py": "class Firecrawl:\n    pass\n",
            "apps/python-sdk/tests/test_e2e.py": (
                "import os\n\nfrom dotenv import load_dotenv\n\nload_dotenv()\n"
                'API_KEY = os.environ["FIRECRAWL_API_KEY"]\n'
            ),
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 1, stderr
    assert _app_paths(document) == ["apps/api"]
    assert not {p for p in _paths(document) if p.startswith("apps/python-sdk/")}
    assert ("EC301", "NEXT_PUBLIC_API_URL") in codes(document)


def test_a_settings_only_pnpm_workspace_file_declares_no_workspace_either(tmp_path: Path) -> None:
    # pnpm 10 writes pnpm-workspace.yaml for onlyBuiltDependencies: pnpm sees the root alone,
    # and the frontend folder still runs with its own template
    root = _skyvern_shaped(
        tmp_path, {"pnpm-workspace.yaml": "onlyBuiltDependencies:\n  - esbuild\n"}
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert _app_paths(document) == [".", "skyvern-frontend"], stderr


# ---------------------------------------------------------------- negatives


def _python_root(tmp_path: Path, more: dict[str, str]) -> Path:
    return project(
        tmp_path / "repo",
        {
            "pyproject.toml": PYPROJECT,
            ".env.example": "DATABASE_STRING=postgresql+psycopg://skyvern@localhost/skyvern\n",
            "skyvern/config.py": ROOT_SETTINGS,
            **more,
        },
        untracked={".env": "DATABASE_STRING=postgresql+psycopg://u@localhost/s\n"},
    )


def test_an_example_app_with_a_template_is_not_checked(tmp_path: Path) -> None:
    # a library with examples/next-app (its own .env.example, a dev script): an example
    # to copy from, not an app the README runs
    root = _python_root(
        tmp_path,
        {
            "examples/next-app/package.json": NEXT_APP,
            "examples/next-app/.env.example": "EXAMPLE_API_KEY=your-key-here\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert not _app_paths(document), stderr  # a single project, as before
    assert not {p for p in _paths(document) if p.startswith("examples/")}
    assert code == 0, (document or {}).get("findings")


def test_a_docs_site_without_env_files_is_not_checked(tmp_path: Path) -> None:
    root = _python_root(
        tmp_path,
        {
            "website/package.json": (
                '{"name": "site", "scripts": {"start": "docusaurus start"},'
                ' "dependencies": {"@docusaurus/core": "3.0.0"}}\n'
            ),
            "website/docusaurus.config.js": "module.exports = { title: 'Docs' };\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert not _app_paths(document), stderr
    assert code == 0, (document or {}).get("findings")


# ---------------------------------------------------------------- which folders are apps


def _tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


VITE_FILES = {"package.json": VITE_APP, ".env.example": "VITE_API_BASE_URL=http://x\n"}


@pytest.mark.parametrize(
    "folder",
    [
        "examples/next-app",
        "example",
        "next-example",
        "templates/web",
        "starter_kit",
        "docs",
        "docs-site",
        "demo",
        "playground",
        "e2e",
        "tests/app",
        "fixtures/web",
        "scripts/dev-server",
        "tools/admin",
        "node_modules/pkg",
        "dist",
        "vendor/app",
        ".devcontainer",
        "_archive",
        "a/b/c",  # three levels down: not looked at
        "lib/web",  # below a package that does not run (lib/package.json)
    ],
)
def test_folders_that_are_not_apps_of_the_root(tmp_path: Path, folder: str) -> None:
    files = {f"{folder}/{name}": text for name, text in VITE_FILES.items()}
    files["lib/package.json"] = '{"name": "lib", "scripts": {"build": "tsc"}}\n'
    root = _tree(tmp_path / "repo", files)
    assert markers.undeclared_apps(root) == []


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (VITE_FILES, ["web"]),  # a start script and a template
        ({"package.json": VITE_APP}, []),  # no env file: nobody configures it
        ({".env.example": "X=1\n", "package.json": '{"scripts": {"build": "tsc"}}'}, []),
        ({"manage.py": "import os\n", ".env.example": "SECRET_KEY=x\n"}, ["web"]),  # Django
        (
            {
                "pyproject.toml": (
                    '[project]\nname = "api"\ndependencies = ["fastapi", "python-dotenv"]\n'
                ),
                ".env.example": "API_KEY=\n",
            },
            ["web"],  # a server framework starts it
        ),
        (
            {
                "pyproject.toml": '[project]\nname = "api"\ndependencies = ["python-dotenv"]\n',
                ".env.example": "API_KEY=\n",
                "Procfile": "web: python -m api\n",
            },
            ["web"],  # a process file starts it
        ),
        (
            {
                "requirements.txt": "python-dotenv==1.0.1\n",
                ".env.example": "API_KEY=\n",
                "Dockerfile": 'FROM python:3.12\nCMD ["python", "main.py"]\n',
            },
            ["web"],
        ),
        (
            {
                "pyproject.toml": (
                    '[project]\nname = "cli"\ndependencies = ["python-dotenv"]\n'
                    '[project.scripts]\ncli = "cli:main"\n'
                ),
                ".env.example": "API_KEY=\n",
            },
            ["web"],  # a command it installs
        ),
        (
            {
                "pyproject.toml": (
                    '[project]\nname = "firecrawl-py"\n'
                    'dependencies = ["requests", "python-dotenv", "aiohttp"]\n'
                ),
                ".env.example": "FIRECRAWL_API_KEY=<your api key>\n",
            },
            [],  # a client library that loads env files for its tests: nothing starts it
        ),
        (
            {"pyproject.toml": '[project]\nname = "lib"\n', ".env.example": "API_KEY=\n"},
            [],  # a Python package on no framework that loads env files: a library
        ),
    ],
)
def test_an_app_folder_is_started_and_configured(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    root = _tree(tmp_path / "repo", {f"web/{name}": text for name, text in files.items()})
    assert markers.undeclared_apps(root) == expected


def test_two_levels_down_below_a_plain_folder(tmp_path: Path) -> None:
    files = {f"services/web/{name}": text for name, text in VITE_FILES.items()}
    files.update({f"services/docs/{name}": text for name, text in VITE_FILES.items()})
    root = _tree(tmp_path / "repo", files)
    assert markers.undeclared_apps(root) == ["services/web"]


@pytest.mark.parametrize(
    "left_out",
    [
        {".gitmodules": '[submodule "web"]\n\tpath = web\n\turl = https://example.invalid/w\n'},
        {".gitignore": "node_modules\nweb/\n"},
        {".gitignore": "/web\n"},
        {"web/.git": "gitdir: ../.git/modules/web\n"},  # a submodule's checkout
    ],
)
def test_submodules_and_ignored_folders_are_not_apps(
    tmp_path: Path, left_out: dict[str, str]
) -> None:
    files = {f"web/{name}": text for name, text in VITE_FILES.items()}
    root = _tree(tmp_path / "repo", {**files, **left_out})
    assert markers.undeclared_apps(root) == []


def test_a_linked_folder_is_not_entered(tmp_path: Path) -> None:
    outside = _tree(tmp_path / "outside", VITE_FILES)
    root = tmp_path / "repo"
    root.mkdir()
    (root / "web").symlink_to(outside)
    assert markers.undeclared_apps(root) == []


@pytest.mark.parametrize(("others", "found"), [(10, ["zz"]), (markers.MAX_NESTED_FOLDERS, [])])
def test_the_look_is_bounded(tmp_path: Path, others: int, found: list[str]) -> None:
    files = {f"zz/{name}": text for name, text in VITE_FILES.items()}
    files.update({f"f{i:04d}/README": "x\n" for i in range(others)})
    root = _tree(tmp_path / "repo", files)
    assert markers.undeclared_apps(root) == found  # past the cap: not found, and no error


def test_init_at_the_root_drafts_the_roots_reads_not_the_nested_apps(tmp_path: Path) -> None:
    # no root template: init drafts the root from its code, and the frontend's reads are the
    # frontend's (its own template describes them), never root keys the root never loads
    root = project(
        tmp_path / "repo",
        {
            "pyproject.toml": PYPROJECT,
            "app/main.py": 'import os\n\nDATABASE = os.environ["DATABASE_STRING"]\n',
            "web/package.json": NEXT_APP,
            "web/.env.example": "NEXT_PUBLIC_API_URL=http://localhost:8000\n",
            "web/src/api.ts": "export const url = process.env.NEXT_PUBLIC_API_URL!.trim();\n",
        },
    )
    code, _, stderr = envcheck(root, "init")
    assert code == 0, stderr
    drafted = (root / "envcheck.toml").read_text()
    assert "DATABASE_STRING" in drafted
    assert "NEXT_PUBLIC_API_URL" not in drafted
