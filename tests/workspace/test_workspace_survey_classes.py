"""The survey's workspace and ``init`` classes (docs/survey.md), each with a negative control.

* APP-AS-LIBRARY: a package that is an app by its own evidence (env files, or a start
  script that serves) stays an app when another package depends on it, and its reads
  are never charged to the dependants; a dependency without such evidence is a library.
* ROOT-SCHEMA-EVERY-PACKAGE / ROOT-ENV-GUESS: ``init`` at a workspace root scopes the
  schema it drafts as the root template was scoped, so the next ``check`` never fails
  where ``check`` alone passed.
* NESTED-COMPOSE: a compose project one or two levels below a root that is no project of
  its own is checked from the root; the look is bounded.
* INIT-NO-KEYS: ``init`` drafts from the code's reads where no template or env file
  names a key, as ``check`` judges those reads.

Every case runs the real CLI in a subprocess on a real git repository in ``tmp_path``
(helpers shared with tests/test_survey_shapes.py).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.harness import clone as project
from tests.harness import codes
from tests.harness import isolated_json as envcheck

NEXT_APP = (
    '{"name": "web", "scripts": {"dev": "next dev"},'
    ' "dependencies": {"next": "15.0.0", "react": "19.0.0"}}\n'
)
WORKSPACE = '{"name": "root", "private": true, "workspaces": ["apps/*", "packages/*"]}\n'


def _findings(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((document or {}).get("findings", []))


def _app_paths(document: dict[str, Any] | None) -> list[str]:
    return [a["path"] for a in (document or {}).get("apps", [])]


# ---------------------------------------------------------------- APP-AS-LIBRARY


def _server_and_dependant(
    tmp_path: Path, api_script: str, admin_import: str = "import type { Api } from '@acme/api';"
) -> Path:
    """apps/admin depends on apps/api (for its types); apps/api reads API_SIGNING_KEY."""
    return project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "apps/api/package.json": (
                '{"name": "@acme/api", "scripts": {"dev": "' + api_script + '"},'
                ' "dependencies": {"@nestjs/core": "10.0.0"}}\n'
            ),
            "apps/api/src/main.ts": (
                "export const signingKey = process.env.API_SIGNING_KEY!.trim();\n"
            ),
            "apps/admin/package.json": (
                '{"name": "@acme/admin", "scripts": {"dev": "next dev"},'
                ' "dependencies": {"next": "15.0.0", "@acme/api": "workspace:*"}}\n'
            ),
            "apps/admin/.env.example": "NEXT_PUBLIC_URL=http://localhost:3001\n",
            "apps/admin/src/client.ts": f"{admin_import}\nexport const a = 1;\n",
        },
        untracked={"apps/admin/.env": "NEXT_PUBLIC_URL=http://localhost:3001\n"},
    )


def test_a_server_package_another_app_depends_on_is_an_app_that_keeps_its_reads(
    tmp_path: Path,
) -> None:
    # hoppscotch: packages/hoppscotch-backend ("start": "nest start", no env file of its
    # own) is a dependency of the admin app, and was taken for a library
    root = _server_and_dependant(tmp_path, "nest start --watch")
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert "apps/api" in _app_paths(document)
    reads = [f for f in _findings(document) if f["code"] == "EC901"]
    assert [(f["key"], f["path"]) for f in reads] == [("API_SIGNING_KEY", "apps/api/src/main.ts")]


def test_a_dependency_with_only_a_build_watch_script_is_still_a_library(tmp_path: Path) -> None:
    # negative control: `tsc --watch` builds, it starts nothing; the reads of the code
    # the admin runs are the admin's
    root = _server_and_dependant(
        tmp_path, "tsc --watch", "import { signingKey } from '@acme/api/src/main';"
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert "apps/api" not in _app_paths(document)
    reads = [f for f in _findings(document) if f["code"] == "EC901"]
    assert [f["key"] for f in reads] == ["API_SIGNING_KEY"]
    assert reads[0]["path"] == "apps/api/src/main.ts"  # charged to the admin, shown where read


def test_the_libraries_behind_an_app_are_not_charged_to_its_dependants(tmp_path: Path) -> None:
    # web -> @acme/api (an app: a dev server) -> @acme/db (a library): the db's read
    # counts for the api, which sets it, and never for the web app, which does not
    root = project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "packages/db/package.json": '{"name": "@acme/db", "main": "src/index.ts"}\n',
            "packages/db/src/index.ts": "export const url = process.env.DB_URL!.trim();\n",
            "apps/api/package.json": (
                '{"name": "@acme/api", "scripts": {"dev": "tsx watch src/main.ts"},'
                ' "dependencies": {"@acme/db": "workspace:*"}}\n'
            ),
            "apps/api/.env.example": "DB_URL=postgres://localhost:5432/app\n",
            "apps/api/src/main.ts": "import { url } from '@acme/db';\nconsole.log(url);\n",
            "apps/web/package.json": (
                '{"name": "web", "scripts": {"dev": "next dev"},'
                ' "dependencies": {"next": "15.0.0", "@acme/api": "workspace:*"}}\n'
            ),
            "apps/web/.env.example": "NEXT_PUBLIC_URL=http://localhost:3000\n",
        },
        untracked={
            "apps/api/.env": "DB_URL=postgres://localhost:5432/app\n",
            "apps/web/.env": "NEXT_PUBLIC_URL=http://localhost:3000\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 0, (stderr, codes(document))
    # negative control: without the api's own .env, the db's read is the api's to set
    (root / "apps/api/.env").unlink()
    (root / "apps/api/.env.example").unlink()
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert ("EC901", "DB_URL") in codes(document)


def test_a_library_whose_template_lists_its_keys_still_charges_them_to_the_app(
    tmp_path: Path,
) -> None:
    # openstatus packages/notifications/*: a library with an .env.example and no start
    # script; the app that imports it must set its keys (true findings of the survey)
    root = project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "packages/pager/package.json": '{"name": "@acme/pager", "main": "src/env.ts"}\n',
            "packages/pager/.env.example": "PAGER_APP_ID=\n",
            "packages/pager/src/env.ts": "export const id = process.env.PAGER_APP_ID!.trim();\n",
            "apps/web/package.json": (
                '{"name": "web", "scripts": {"dev": "next dev"},'
                ' "dependencies": {"next": "15.0.0", "@acme/pager": "workspace:*"}}\n'
            ),
            "apps/web/.env.example": "NEXT_PUBLIC_URL=http://localhost:3000\n",
            "apps/web/src/app/page.tsx": (
                "import { id } from '@acme/pager';\nexport default () => id;\n"
            ),
        },
        untracked={"apps/web/.env": "NEXT_PUBLIC_URL=http://localhost:3000\n"},
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert _app_paths(document) == ["apps/web"]  # the library's template is no app's schema
    web = [f for f in _findings(document) if f["code"] == "EC901"]
    assert [(f["key"], f["path"]) for f in web] == [("PAGER_APP_ID", "packages/pager/src/env.ts")]


@pytest.mark.parametrize(
    ("script", "serves"),
    [
        ("next dev", True),
        ("vite", True),
        ("TZ=UTC PORT=3003 bun run --hot src/index.ts", True),
        ("nest start --watch", True),
        ("tsx watch src/server.ts", True),
        ("python manage.py runserver 0.0.0.0:8000", True),
        ("uvicorn app.main:app --reload", True),
        ("trigger dev", True),  # midday packages/jobs: trigger.dev runs its tasks
        ("vite build --watch", False),
        ("tsc -w", False),
        ("tsup --watch && pnpm run dev:tailwind", False),
        ("email dev -p 3003", False),
        ("storybook dev -p 6006", False),
    ],
)
def test_which_start_scripts_serve(tmp_path: Path, script: str, serves: bool) -> None:
    from envcheck.workspace.apps import starts_a_server

    (tmp_path / "package.json").write_text(
        '{"name": "p", "scripts": {"dev": "' + script.replace('"', '\\"') + '"}}\n'
    )
    assert starts_a_server(tmp_path) is serves


# ---------------------------------------------------------------- init at a workspace root


def _plane_shaped(tmp_path: Path) -> Path:
    """plane: the root .env is compose's; apps have their own templates; a tooling
    package with no env files reads a key of its own (optionally)."""
    root_env = "POSTGRES_USER=plane\nPOSTGRES_DB=plane\nRABBITMQ_VHOST=plane\n"
    return project(
        tmp_path / "repo",
        {
            "package.json": '{"name": "plane", "private": true}\n',
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n  - packages/*\n",
            "docker-compose.yml": (
                "services:\n  api:\n    image: example/api:1\n    env_file: .env\n"
            ),
            ".env.example": root_env,
            "apps/web/package.json": (
                '{"name": "web", "scripts": {"dev": "vite"}, "dependencies": {"vite": "6.0.0"}}\n'
            ),
            "apps/web/.env.example": "VITE_API_BASE_URL=http://localhost:8000\n",
            "packages/codemods/package.json": '{"name": "@plane/codemods", "main": "x.ts"}\n',
            "packages/codemods/x.ts": (
                "export const verbose = process.env.CODEMOD_VERBOSE ? 1 : 0;\n"
            ),
        },
        untracked={
            ".env": root_env,
            "apps/web/.env": "VITE_API_BASE_URL=http://localhost:8000\n",
        },
    )


def test_init_at_a_workspace_root_never_makes_the_next_check_fail(tmp_path: Path) -> None:
    # plane after setup: init wrote the compose keys into the root schema, which then
    # applied to packages/codemods (46 EC301 and 5 EC804 that check alone never printed)
    root = _plane_shaped(tmp_path)
    before, document, stderr = envcheck(root, "check", "--format", "json")
    assert before == 0, (stderr, codes(document))
    assert envcheck(root, "init")[0] == 0
    scope = tomllib.loads((root / "envcheck.toml").read_text())["workspace"]["apps"]
    assert scope == []  # the root's own project only: no app reads the root's files
    after, document, stderr = envcheck(root, "check", "--format", "json")
    assert after == 0, (stderr, codes(document))
    assert not {c for c, _ in codes(document)} & {"EC301", "EC804"}


def test_init_at_a_root_still_holds_the_root_and_its_readers_to_the_keys(tmp_path: Path) -> None:
    # negative control: the drafted schema still applies to the root's compose project and
    # to an app that loads the root .env (dotenv -e ../../.env), so a key dropped from the
    # root .env is reported after init
    root = _plane_shaped(tmp_path)
    (root / "apps/live").mkdir()
    (root / "apps/live/package.json").write_text(
        '{"name": "live", "scripts": {"dev": "dotenv -e ../../.env -- tsx src/server.ts"},'
        ' "dependencies": {"dotenv-cli": "7.0.0", "express": "4.0.0"}}\n'
    )
    assert envcheck(root, "init")[0] == 0
    scope = tomllib.loads((root / "envcheck.toml").read_text())["workspace"]["apps"]
    assert scope == ["apps/live"]
    (root / ".env").write_text("POSTGRES_USER=plane\nPOSTGRES_DB=plane\n")
    code, document, _ = envcheck(root, "check", "--format", "json")
    assert code == 1
    missing = [f for f in _findings(document) if f["code"] == "EC301"]
    assert {f["key"] for f in missing} == {"RABBITMQ_VHOST"}
    exits = {a["path"]: a["exit_code"] for a in (document or {}).get("apps", [])}
    assert exits == {".": 1, "apps/live": 1, "apps/web": 0, "packages/codemods": 0}


# ---------------------------------------------------------------- NESTED-COMPOSE


COMPOSE = "services:\n  web:\n    image: example/app:1\n    env_file: .env\n"


@pytest.mark.parametrize("folder", ["docker", "deploy/prod"])
def test_a_compose_project_one_or_two_levels_down_is_checked_and_drafted(
    tmp_path: Path, folder: str
) -> None:
    # healthchecks: docker/docker-compose.yml + docker/.env.example, a Django root
    root = project(
        tmp_path / "repo",
        {
            "requirements.txt": "Django==5.0\n",
            "manage.py": "import os\n",
            f"{folder}/docker-compose.yml": COMPOSE,
            f"{folder}/.env.example": "SITE_ROOT=http://localhost:8000\nDB=postgres\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 1, stderr  # a fresh clone: the README's cp is still to be done
    assert ("EC301", "SITE_ROOT") in codes(document)
    assert _app_paths(document) == [folder]
    assert envcheck(root, "init")[0] == 0
    assert (root / folder / "envcheck.toml").is_file()
    assert not (root / "envcheck.toml").exists()


@pytest.mark.parametrize(
    "folder",
    [
        "a/b/c",  # three levels down: not looked at
        "node_modules/pkg",  # dependencies
        ".devcontainer",  # hidden
        "vendor/tool",  # vendored
    ],
)
def test_compose_files_out_of_bounds_are_not_projects_of_the_root(
    tmp_path: Path, folder: str
) -> None:
    root = project(
        tmp_path / "repo",
        {
            "requirements.txt": "Django==5.0\n",
            f"{folder}/docker-compose.yml": COMPOSE,
            f"{folder}/.env.example": "SITE_ROOT=http://localhost:8000\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 0, stderr
    assert not _app_paths(document)
    assert (document or {}).get("summary", {}).get("checked_nothing")


def test_a_root_with_env_files_of_its_own_is_not_replaced_by_a_nested_compose(
    tmp_path: Path,
) -> None:
    # negative control: a root that is a project (its own .env.example) stays the project
    root = project(
        tmp_path / "repo",
        {
            "requirements.txt": "Django==5.0\n",
            ".env.example": "DEBUG=1\n",
            "docker/docker-compose.yml": COMPOSE,
            "docker/.env.example": "SITE_ROOT=http://localhost:8000\n",
        },
        untracked={".env": "DEBUG=1\n"},
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert not _app_paths(document)
    assert ("EC301", "SITE_ROOT") not in codes(document)


def test_the_look_for_nested_compose_projects_is_bounded(tmp_path: Path) -> None:
    from envcheck.workspace.markers import MAX_COMPOSE_FOLDERS

    files = {"requirements.txt": "Django==5.0\n", "zz/docker-compose.yml": COMPOSE}
    files.update({f"f{i:04d}/README": "x\n" for i in range(MAX_COMPOSE_FOLDERS + 5)})
    root = project(tmp_path / "repo", files)
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 0, stderr
    assert not _app_paths(document)  # past the cap: not found, and no error


def test_a_linked_folder_is_not_entered_when_looking_for_compose_projects(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "docker-compose.yml").write_text(COMPOSE)
    (outside / ".env").write_text("OUTSIDE_SENTINEL=outside-value-7f3a\n")
    root = project(
        tmp_path / "repo",
        {"requirements.txt": "Django==5.0\n"},
        symlinks={"docker": str(outside)},
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 0, stderr
    assert not _app_paths(document)
    assert "outside-value-7f3a" not in str(document) + stderr


# ---------------------------------------------------------------- INIT-NO-KEYS


def _umami_shaped(tmp_path: Path) -> Path:
    """umami: no template (the README documents DATABASE_URL in prose), no .env."""
    return project(
        tmp_path / "app",
        {
            "package.json": NEXT_APP,
            "src/lib/db.ts": "export const url = process.env.DATABASE_URL!.trim();\n",
            "src/lib/cloud.ts": "export const cloud = process.env.CLOUD_MODE ? 'on' : 'off';\n",
            "src/lib/env.test.ts": "export const t = process.env.TEST_ONLY_KEY!;\n",
        },
    )


def test_init_drafts_the_keys_the_code_reads_where_no_template_names_any(tmp_path: Path) -> None:
    root = _umami_shaped(tmp_path)
    before, document, _ = envcheck(root, "check", "--format", "json")
    assert before == 1 and ("EC901", "DATABASE_URL") in codes(document)
    code, _, stderr = envcheck(root, "init")
    assert code == 0, stderr
    keys = tomllib.loads((root / "envcheck.toml").read_text())["keys"]
    assert keys["DATABASE_URL"]["required"] is True  # read with no default: EC901 said so
    assert keys["CLOUD_MODE"]["required"] is False  # tested before use
    assert "src/lib/db.ts:1" in keys["DATABASE_URL"]["description"]
    assert "TEST_ONLY_KEY" not in keys  # a test's read is no app requirement
    after, document, _ = envcheck(root, "check", "--format", "json")
    assert after == before
    assert {k for c, k in codes(document) if c in ("EC301", "EC901")} == {"DATABASE_URL"}


def test_init_with_no_code_and_no_keys_writes_a_starting_file(tmp_path: Path) -> None:
    # --no-code reads no code, so there is nothing to describe: a file with no keys that
    # says where they go (it was exit 2), and check says what it said before
    root = _umami_shaped(tmp_path)
    before, _, _ = envcheck(root, "check", "--format", "json")
    code, _, stderr = envcheck(root, "init", "--no-code")
    assert code == 0, stderr
    assert "wrote envcheck.toml with no keys" in stderr
    config = tomllib.loads((root / "envcheck.toml").read_text())
    assert "keys" not in config and config["envcheck"]["framework"]
    after, _, _ = envcheck(root, "check", "--format", "json")
    assert after == before


def test_init_does_not_escalate_a_placeholder_the_code_demands(tmp_path: Path) -> None:
    # negative control for INIT-ESCALATES: SECRET_KEY=changeme read with os.environ[...]
    # is an error before init and stays one after (required = false does not hide it)
    template = "SECRET_KEY=changeme\n"
    root = project(
        tmp_path / "app",
        {
            ".env.example": template,
            ".gitignore": ".env\n",
            "pyproject.toml": (
                '[project]\nname = "app"\ndependencies = ["django", "python-dotenv"]\n'
            ),
            "app/settings.py": 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
        },
        untracked={".env": template},
    )
    before, document, _ = envcheck(root, "check", "--format", "json")
    assert before == 1 and ("EC306", "SECRET_KEY") in codes(document)
    assert envcheck(root, "init")[0] == 0
    assert tomllib.loads((root / "envcheck.toml").read_text())["keys"]["SECRET_KEY"] == {
        "required": False,
        "secret": True,
    }
    after, document, _ = envcheck(root, "check", "--format", "json")
    assert after == 1 and ("EC306", "SECRET_KEY") in codes(document)
