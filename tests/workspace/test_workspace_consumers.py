"""Which app a key read by shared code belongs to in a monorepo (survey class SET-ELSEWHERE),
and a workspace nested under a root that is no JS or Python project (unkey's ``web/``).

* SET-ELSEWHERE (midday, hoppscotch, openstatus): a library read of ``K`` is the read of
  the consumers whose imports reach it (tests/workspace/test_workspace_imports.py has the import
  shapes); a consumer that depends on the library without running that code is not told
  that nothing sets it.  Negative control: one that runs it and does not set ``K`` is.
* NESTED-WORKSPACE (unkey): a Go root whose one JS folder declares a pnpm workspace is
  checked app by app, so each app's reads meet the app's own ``.env``.

Every case runs the real CLI in a subprocess on a real git repository in ``tmp_path``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.harness import clone as project
from tests.harness import isolated_json as envcheck

WORKSPACE = '{"name": "root", "private": true, "workspaces": ["apps/*", "packages/*"]}\n'


def _ec901(document: dict[str, Any] | None) -> list[tuple[str, str]]:
    return sorted(
        (f["key"], f["path"]) for f in (document or {}).get("findings", []) if f["code"] == "EC901"
    )


def _midday_shaped(tmp_path: Path, api_env: str) -> Path:
    """apps/api and apps/dashboard both depend on @acme/banking (which reads the bank
    keys); only the API's .env configures them, as midday's README has it."""
    return project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "packages/banking/package.json": '{"name": "@acme/banking", "main": "src/env.ts"}\n',
            "packages/banking/src/env.ts": (
                "export const secret = process.env.PLAID_SECRET!.trim();\n"
                "export const client = process.env.PLAID_CLIENT_ID!.trim();\n"
            ),
            "apps/api/package.json": (
                '{"name": "@acme/api", "scripts": {"dev": "bun run --hot src/index.ts"},'
                ' "dependencies": {"@acme/banking": "workspace:*"}}\n'
            ),
            "apps/api/src/index.ts": "export { secret } from '@acme/banking';\n",
            "apps/api/.env-template": "PLAID_SECRET=\nPLAID_CLIENT_ID=\n",
            "apps/dashboard/package.json": (
                '{"name": "@acme/dashboard", "scripts": {"dev": "next dev"},'
                ' "dependencies": {"next": "15.0.0", "@acme/banking": "workspace:*"}}\n'
            ),
            "apps/dashboard/.env-example": "NEXT_PUBLIC_URL=http://localhost:3001\n",
        },
        untracked={
            "apps/api/.env": api_env,
            "apps/dashboard/.env": "NEXT_PUBLIC_URL=http://localhost:3001\n",
        },
    )


def test_a_library_key_is_the_consumers_that_run_the_code(tmp_path: Path) -> None:
    # midday: PLAID_SECRET (packages/banking) is set in apps/api/.env; the dashboard,
    # which also depends on @midday/banking but never imports it, was told nothing sets it
    root = _midday_shaped(
        tmp_path, "PLAID_SECRET=Zq8v3Lm2Xc7Bn4Kd9Wf1Hs6Tg5Jr0Ya\nPLAID_CLIENT_ID=\n"
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert _ec901(document) == []
    assert code == 0, document


def test_a_library_key_no_consumer_that_runs_it_sets_is_reported(tmp_path: Path) -> None:
    # negative control: the dashboard now imports the banking code too, and its .env does
    # not set PLAID_SECRET: its read is reported, though the API sets the key (the
    # dashboard does not load the API's .env)
    root = _midday_shaped(tmp_path, "PLAID_SECRET=Zq8v3Lm2Xc7Bn4Kd9Wf1Hs6Tg5Jr0Ya\n")
    (root / "apps/dashboard/page.tsx").write_text(
        "import { secret } from '@acme/banking';\nexport default () => secret;\n"
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert ("PLAID_SECRET", "packages/banking/src/env.ts") in _ec901(document)


def test_a_shared_package_with_a_template_is_no_app_of_its_own(tmp_path: Path) -> None:
    # openstatus packages/db: a package with a template of its own that the apps depend
    # on is a library, not checked as an app (its DATABASE_URL read is no one's here: no
    # app imports it); apps/dashboard/.env sets CLICKHOUSE_PASSWORD
    root = project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "packages/db/package.json": '{"name": "@acme/db", "main": "env.mjs"}\n',
            "packages/db/.env.example": "DATABASE_URL=\n",
            "packages/db/env.mjs": (
                "export const url = process.env.DATABASE_URL;\n"
                "export const pw = process.env.CLICKHOUSE_PASSWORD.trim();\n"
            ),
            "apps/dashboard/package.json": (
                '{"name": "@acme/dashboard", "scripts": {"dev": "next dev"},'
                ' "dependencies": {"next": "15.0.0", "@acme/db": "workspace:*"}}\n'
            ),
            "apps/dashboard/.env.example": "CLICKHOUSE_PASSWORD=\n",
        },
        untracked={
            "packages/db/.env": "DATABASE_URL=file:local.db\n",
            "apps/dashboard/.env": "CLICKHOUSE_PASSWORD=Xr4Tn8Qm2Lp6Vz1Wc9Hb3Ks7\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert _ec901(document) == []
    assert code == 0, document


def test_a_library_key_the_vite_consumer_loads_from_the_root_is_that_consumers(
    tmp_path: Path,
) -> None:
    # hoppscotch: packages/common (Vue components reading VITE_BASE_URL) is used by the
    # self-hosted web app, whose vite.config loads the root .env (envDir: "../.."), and
    # by the desktop shell, which loads nothing and does not run the invite component
    vite_app = (
        '{{"name": "{name}", "scripts": {{"dev": "vite"}},'
        ' "dependencies": {{"vite": "5.0.0", "vue": "3.0.0", "@acme/common": "workspace:*"}}}}\n'
    )
    root = project(
        tmp_path / "repo",
        {
            "package.json": '{"name": "root", "private": true}\n',
            "pnpm-workspace.yaml": "packages:\n  - packages/*\n",
            ".env.example": "VITE_BASE_URL=http://localhost:3000\n",
            "packages/common/package.json": '{"name": "@acme/common", "main": "src/index.ts"}\n',
            "packages/common/src/invite.ts": (
                "export const base = import.meta.env.VITE_BASE_URL.trim();\n"
            ),
            "packages/web/package.json": vite_app.format(name="web"),
            "packages/web/index.html": "<div id=app></div>\n",
            "packages/web/vite.config.ts": (
                'import path from "path";\n'
                "export default { envDir: path.resolve(__dirname, '../..') };\n"
            ),
            "packages/web/src/main.ts": "import '@acme/common/src/invite';\n",
            "packages/desktop/package.json": vite_app.format(name="desktop"),
            "packages/desktop/index.html": "<div id=app></div>\n",
            "packages/desktop/vite.config.ts": "export default {};\n",
        },
        untracked={".env": "VITE_BASE_URL=http://localhost:3000\n"},
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert _ec901(document) == []


def test_a_workspace_in_the_one_js_folder_of_a_go_root_is_checked_app_by_app(
    tmp_path: Path,
) -> None:
    # unkey: Go at the root, a pnpm workspace in web/; the dashboard's reads were charged
    # to the root project, which loads none of web/apps/dashboard/.env
    root = project(
        tmp_path / "repo",
        {
            "go.mod": "module example.com/acme\n\ngo 1.22\n",
            "main.go": "package main\n\nfunc main() {}\n",
            "web/package.json": '{"name": "web", "private": true}\n',
            "web/pnpm-workspace.yaml": "packages:\n  - apps/*\n",
            "web/apps/dashboard/package.json": (
                '{"name": "dashboard", "scripts": {"dev": "next dev"},'
                ' "dependencies": {"next": "15.0.0"}}\n'
            ),
            "web/apps/dashboard/.env.example": "VAULT_URL=\n",
            "web/apps/dashboard/lib/env.ts": (
                "export const vault = process.env.VAULT_URL!.trim();\n"
                "export const token = process.env.VAULT_TOKEN!.trim();\n"
            ),
        },
        untracked={
            "web/apps/dashboard/.env": (
                "VAULT_URL=http://localhost:8060\nVAULT_TOKEN=Pw3Lk9Xz2Qa7Mn5Rt8Yb1Cv4\n"
            )
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert [a["path"] for a in document.get("apps", [])] == ["web/apps/dashboard"]
    assert _ec901(document) == []
    assert code == 0, document
    # negative control: the key the app's .env lacks is reported, at the app's read
    (root / "web/apps/dashboard/.env").write_text("VAULT_URL=http://localhost:8060\n")
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert _ec901(document) == [("VAULT_TOKEN", "web/apps/dashboard/lib/env.ts")]
