"""A library's env reads count for the apps whose imports reach that code (issue #25), and a
library is never checked as an app, even with a template of its own (issue #26).

Real shapes from the survey:

* SET-ELSEWHERE (midday): the dashboard and the API depend on the same ``@midday/*``
  libraries and import different parts of them; each app is charged only the reads of
  the files it runs.  openstatus: ``apps/server`` really runs ``@openstatus/db``
  without setting ``DATABASE_URL`` -- a true finding, reported although another app
  (the dashboard) configures the key.
* A barrel (``index.ts`` re-exporting every module) reaches all it re-exports; a file
  nobody imports counts for no app; a type-only import runs nothing.
* package.json ``exports``: conditions, subpath maps, ``./*`` patterns, ``dist`` paths
  mapped back to the source in the checkout.
* ROOT-SCHEMA-EVERY-PACKAGE (openstatus ``packages/db/.env.example``,
  ``packages/notifications/*/.env.example``): a library's template is not checked as an
  app (its keys are its importers'), while ``lint`` and ``guard`` still read its
  committed ``.env``.  AUX-PACKAGE-TEMPLATE (karakeep ``tools/compare-models``): a dev
  tool's template is not the app's; ``apps/mcp`` (a bin with the same scripts) still is.

The CLI cases run the real CLI in a subprocess on a real git repository in ``tmp_path``;
the ``reachable`` cases scan real files with the real grammars.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envcheck.workspace import apps as workspace_apps
from envcheck.workspace.discover import discover
from envcheck.workspace.reach import ALL, entry_targets, reachable
from tests.harness import clone as project
from tests.harness import isolated_json as envcheck

WORKSPACE = '{"name": "root", "private": true, "workspaces": ["apps/*", "packages/*"]}\n'
FAKE_SECRET = "sk_live_" + "Qm7Xr2Lp9Vz4Wc1Hb8Ks3Tn6Yd5Fg0Ja"


def _ec901(document: dict[str, Any] | None) -> list[tuple[str, str]]:
    return sorted(
        (f["key"], f["path"]) for f in (document or {}).get("findings", []) if f["code"] == "EC901"
    )


def _package(name: str, **fields: Any) -> str:
    return json.dumps({"name": name, **fields}) + "\n"


def _app(name: str, dev: str, *libraries: str) -> str:
    return _package(
        name,
        scripts={"dev": dev},
        dependencies={"next": "15.0.0", **dict.fromkeys(libraries, "workspace:*")},
    )


# ---------------------------------------------------------------- midday / openstatus (CLI)


def _midday(tmp_path: Path) -> Path:
    """apps/api runs the bank providers, apps/dashboard only the account helpers; both
    depend on @acme/banking (exports subpaths), neither's .env sets PLAID_SECRET."""
    return project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "packages/banking/package.json": _package(
                "@acme/banking",
                exports={
                    "./providers": "./src/providers/index.ts",
                    "./accounts": "./src/accounts.ts",
                },
            ),
            "packages/banking/src/providers/index.ts": "export * from './plaid';\n",
            "packages/banking/src/providers/plaid.ts": (
                "export const secret = process.env.PLAID_SECRET!.trim();\n"
            ),
            "packages/banking/src/accounts.ts": (
                "export const url = process.env.BANKING_LOGO_URL!.trim();\n"
            ),
            "apps/api/package.json": _package(
                "@acme/api",
                scripts={"dev": "bun run --hot src/index.ts"},
                dependencies={"@acme/banking": "workspace:*"},
            ),
            "apps/api/src/index.ts": (
                "import { secret } from '@acme/banking/providers';\nconsole.log(secret);\n"
            ),
            "apps/api/.env-template": "PORT=3003\n",
            "apps/dashboard/package.json": _app("@acme/dashboard", "next dev", "@acme/banking"),
            "apps/dashboard/src/app/page.tsx": (
                "import { url } from '@acme/banking/accounts';\nexport default () => url;\n"
            ),
            "apps/dashboard/.env-example": "BANKING_LOGO_URL=https://logo.example\n",
        },
        untracked={
            "apps/api/.env": "PORT=3003\n",
            "apps/dashboard/.env": "BANKING_LOGO_URL=https://logo.example\n",
        },
    )


def test_each_app_is_charged_the_library_reads_its_imports_reach(tmp_path: Path) -> None:
    root = _midday(tmp_path)
    _, dashboard, stderr = envcheck(root, "check", "--app", "apps/dashboard", "--format", "json")
    assert dashboard is not None, stderr
    # the dashboard never runs the providers: PLAID_SECRET is none of its business
    assert _ec901(dashboard) == []
    _, api, stderr = envcheck(root, "check", "--app", "apps/api", "--format", "json")
    assert api is not None, stderr
    # the API runs them (through the barrel) and sets nothing: a true finding; the
    # account helper it never imports is not charged to it
    assert _ec901(api) == [("PLAID_SECRET", "packages/banking/src/providers/plaid.ts")]


def test_an_app_that_runs_a_library_is_told_what_it_lacks_though_another_app_sets_it(
    tmp_path: Path,
) -> None:
    # openstatus: apps/server runs @openstatus/db without DATABASE_URL; apps/dashboard
    # sets it.  The key is still the server's to set.
    root = project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "packages/db/package.json": _package(
                "@acme/db",
                exports={".": {"types": "./dist/index.d.ts", "import": "./dist/index.js"}},
            ),
            "packages/db/.env.example": "DATABASE_URL=\n",
            "packages/db/src/index.ts": "export * from './client';\n",
            "packages/db/src/client.ts": ("export const url = process.env.DATABASE_URL!.trim();\n"),
            "apps/server/package.json": _package(
                "@acme/server",
                scripts={"dev": "bun run --hot src/index.ts"},
                dependencies={"@acme/db": "workspace:*"},
            ),
            "apps/server/src/index.ts": "import { url } from '@acme/db';\nconsole.log(url);\n",
            "apps/server/.env.example": "PORT=3000\n",
            "apps/dashboard/package.json": _app("@acme/dashboard", "next dev", "@acme/db"),
            "apps/dashboard/src/app/page.tsx": (
                "import { url } from '@acme/db';\nexport default () => url;\n"
            ),
            "apps/dashboard/.env.example": "DATABASE_URL=\n",
        },
        untracked={
            "apps/server/.env": "PORT=3000\n",
            "apps/dashboard/.env": "DATABASE_URL=file:./local.db\n",
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert _ec901(document) == [("DATABASE_URL", "packages/db/src/client.ts")]
    # the library's template is its importers' list, not an app of its own: no EC301 at
    # packages/db/.env.example, and packages/db is not among the apps checked
    assert [a["path"] for a in document["apps"]] == ["apps/dashboard", "apps/server"]
    assert not [f for f in document["findings"] if f["path"].startswith("packages/db/.env")]
    assert code == 1
    # negative control: with the server's .env setting it, nothing is left
    (root / "apps/server/.env").write_text("PORT=3000\nDATABASE_URL=file:./local.db\n")
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert _ec901(document) == []


def test_a_library_file_no_app_imports_counts_for_no_app(tmp_path: Path) -> None:
    root = project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "packages/jobs/package.json": _package("@acme/jobs", main="src/index.ts"),
            "packages/jobs/src/index.ts": "export const a = process.env.JOBS_URL!.trim();\n",
            "packages/jobs/src/tasks/resend.ts": (
                "export const key = process.env.RESEND_API_KEY!.trim();\n"
            ),
            "apps/web/package.json": _app("@acme/web", "next dev", "@acme/jobs"),
            "apps/web/src/app/page.tsx": (
                "import { a } from '@acme/jobs';\nexport default () => a;\n"
            ),
            "apps/web/.env.example": "JOBS_URL=\n",
        },
        untracked={"apps/web/.env": "JOBS_URL=http://localhost:3010\n"},
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert _ec901(document) == []  # tasks/resend.ts is run by nobody here
    assert code == 0, document
    # negative control: once the page imports it, its read is the app's
    (root / "apps/web/src/app/page.tsx").write_text(
        "import { a } from '@acme/jobs';\nimport { key } from '@acme/jobs/src/tasks/resend';\n"
        "export default () => a + key;\n"
    )
    _, document, _ = envcheck(root, "check", "--format", "json")
    assert _ec901(document) == [("RESEND_API_KEY", "packages/jobs/src/tasks/resend.ts")]


# ---------------------------------------------------------------- library env files


def test_a_librarys_template_is_not_checked_but_its_committed_env_is_linted_and_guarded(
    tmp_path: Path,
) -> None:
    # openstatus packages/notifications/email: a library with its own .env.example (and
    # here a committed .env holding a key)
    root = project(
        tmp_path / "repo",
        {
            "package.json": WORKSPACE,
            "packages/email/package.json": _package("@acme/email", main="src/index.ts"),
            "packages/email/.env.example": "RESEND_API_KEY=\n",
            "packages/email/.env": f"STRIPE_SECRET_KEY={FAKE_SECRET} \n",
            "packages/email/src/index.ts": (
                "export const key = process.env.RESEND_API_KEY ?? 'off';\n"
            ),
            "apps/web/package.json": _app("@acme/web", "next dev", "@acme/email"),
            "apps/web/src/app/page.tsx": (
                "import { key } from '@acme/email';\nexport default () => key;\n"
            ),
            "apps/web/.env.example": "NEXT_PUBLIC_URL=http://localhost:3000\n",
        },
        untracked={"apps/web/.env": "NEXT_PUBLIC_URL=http://localhost:3000\n"},
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert [a["path"] for a in document["apps"]] == ["apps/web"]
    assert not [f for f in document["findings"] if f["path"].startswith("packages/email")]
    # lint and guard still read the library's env files
    _, linted, stderr = envcheck(root, "lint", "--format", "json")
    assert linted is not None, stderr
    assert any(f["path"] == "packages/email/.env" for f in linted["findings"]), linted
    code, guarded, stderr = envcheck(root, "guard", "--format", "json")
    assert guarded is not None, stderr
    assert any(f["path"] == "packages/email/.env" for f in guarded["findings"]), guarded
    assert code == 1


def test_a_dev_tools_template_is_not_the_apps_but_a_bin_app_is_still_checked(
    tmp_path: Path,
) -> None:
    # karakeep: tools/compare-models and apps/mcp have the same shape (a bin run with
    # `tsx src/index.ts`); the first is a developer's tool, the second an app users run
    tool_or_bin = {
        "bin": {"x": "dist/index.js"},
        "scripts": {"run": "tsx src/index.ts"},
        "dependencies": {"zod": "^4.0.0"},
    }
    root = project(
        tmp_path / "repo",
        {
            "package.json": (
                '{"name": "root", "private": true, "workspaces": ["apps/*", "tools/*"]}\n'
            ),
            "tools/compare-models/package.json": _package("@acme/compare-models", **tool_or_bin),
            "tools/compare-models/.env.example": "MODEL1_NAME=\nKARAKEEP_API_KEY=\n",
            "tools/compare-models/src/index.ts": (
                "export const m = process.env.MODEL1_NAME!.trim();\n"
            ),
            "apps/mcp/package.json": _package("@acme/mcp", **tool_or_bin),
            "apps/mcp/src/index.ts": "export const a = process.env.KARAKEEP_API_ADDR!.trim();\n",
        },
    )
    _, document, stderr = envcheck(root, "check", "--format", "json")
    assert document is not None, stderr
    assert [a["path"] for a in document["apps"]] == ["apps/mcp"]
    assert _ec901(document) == [("KARAKEEP_API_ADDR", "apps/mcp/src/index.ts")]
    assert not [f for f in document["findings"] if f["path"].startswith("tools/")]


# ---------------------------------------------------------------- reachable(), real scans


def _reach(root: Path, app: str) -> dict[str, frozenset[str] | None]:
    workspace_apps.forget()
    workspace = discover(root)
    assert workspace is not None
    me = next(a for a in workspace.apps if a.path == app)
    libraries = [a for a in workspace.apps if a.path not in (app, ".")]
    return reachable(
        me,
        libraries,
        lambda a: workspace_apps.package_facts(a.directory),
        lambda a: workspace_apps._package_json(a.directory),
    )


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_a_barrel_reaches_all_it_re_exports_and_a_type_import_reaches_nothing(
    tmp_path: Path,
) -> None:
    root = _tree(
        tmp_path,
        {
            "package.json": WORKSPACE,
            "packages/ui/package.json": _package("@acme/ui", main="./dist/index.js"),
            "packages/ui/src/index.ts": "export * from './a';\nexport { b } from './b';\n",
            "packages/ui/src/a.ts": "export const a = process.env.A_KEY;\n",
            "packages/ui/src/b.ts": "import { c } from '../lib/c';\nexport const b = c;\n",
            "packages/ui/lib/c.ts": "export const c = process.env.C_KEY;\n",
            "packages/ui/src/unused.ts": "export const u = process.env.U_KEY;\n",
            "packages/api/package.json": _package("@acme/api", main="src/index.ts"),
            "packages/api/src/index.ts": "export const r = process.env.ROUTER_KEY;\n",
            "apps/web/package.json": _app("@acme/web", "next dev", "@acme/ui", "@acme/api"),
            "apps/web/page.tsx": (
                "import { a } from '@acme/ui';\n"
                "import type {\n  AppRouter,\n} from '@acme/api';\n"
                "export default () => a;\n"
            ),
        },
    )
    reach = _reach(root, "apps/web")
    # dist/index.js is not in the checkout: its source, src/index.ts, is the entry
    assert reach["packages/ui"] == frozenset({"src/index.ts", "src/a.ts", "src/b.ts", "lib/c.ts"})
    assert "packages/api" not in reach  # a type import runs nothing
    assert reach["apps/web"] is ALL


def test_exports_conditions_subpaths_and_patterns(tmp_path: Path) -> None:
    exports = {
        ".": {"types": "./dist/index.d.ts", "default": "./dist/index.js"},
        "./client": "./src/client.ts",
        "./providers/*": {"import": "./src/providers/*/index.ts"},
        "./*": "./src/*.ts",
        "./internal": None,
    }
    package_json = {"name": "@acme/db", "exports": exports}
    assert entry_targets(package_json, "") == ["./dist/index.d.ts", "./dist/index.js"]
    assert entry_targets(package_json, "client") == ["./src/client.ts"]
    # the longest matching prefix wins
    assert entry_targets(package_json, "providers/plaid") == ["./src/providers/plaid/index.ts"]
    assert entry_targets(package_json, "schema/users") == ["./src/schema/users.ts"]
    assert entry_targets(package_json, "internal") == []
    assert entry_targets({"exports": "./src/index.ts"}, "") == ["./src/index.ts"]
    assert entry_targets({"exports": {"import": "./a.js", "require": "./a.cjs"}}, "") == [
        "./a.js",
        "./a.cjs",
    ]
    assert entry_targets({"main": "lib/index.js", "types": "lib/index.d.ts"}, "") == [
        "lib/index.js",
        "lib/index.d.ts",
    ]
    assert entry_targets({"main": "index.js"}, "utils/x") == ["utils/x"]

    root = _tree(
        tmp_path,
        {
            "package.json": WORKSPACE,
            "packages/db/package.json": _package("@acme/db", exports=exports),
            "packages/db/src/index.ts": "export const d = process.env.DB_KEY;\n",
            "packages/db/src/client.ts": "export const c = process.env.CLIENT_KEY;\n",
            "packages/db/src/providers/plaid/index.ts": "export const p = process.env.P_KEY;\n",
            "packages/db/src/schema/users.ts": "export const s = process.env.S_KEY;\n",
            "packages/db/src/schema/teams.ts": "export const t = process.env.T_KEY;\n",
            "apps/web/package.json": _app("@acme/web", "next dev", "@acme/db"),
            "apps/web/page.tsx": (
                "import '@acme/db/providers/plaid';\n"
                "const users = require('@acme/db/schema/users');\n"
                "export const later = () => import('@acme/db/client');\n"
            ),
        },
    )
    assert _reach(root, "apps/web")["packages/db"] == frozenset(
        {"src/providers/plaid/index.ts", "src/schema/users.ts", "src/client.ts"}
    )


def test_an_import_whose_target_is_not_found_reaches_the_whole_package(tmp_path: Path) -> None:
    # over-approximation on purpose: a read wrongly left out would hide a true finding
    root = _tree(
        tmp_path,
        {
            "package.json": WORKSPACE,
            "packages/gen/package.json": _package("@acme/gen", main="generated/client.js"),
            "packages/gen/src/env.ts": "export const k = process.env.GEN_KEY;\n",
            "apps/web/package.json": _app("@acme/web", "next dev", "@acme/gen"),
            "apps/web/page.tsx": "import { k } from '@acme/gen';\nexport default () => k;\n",
        },
    )
    assert _reach(root, "apps/web")["packages/gen"] is ALL


def test_the_walk_is_linear_in_files_and_imports(tmp_path: Path) -> None:
    """A barrel re-exporting n modules, each importing the next and a subpath of a second
    library: the walk resolves each edge once (counted steps, never seconds)."""
    from envcheck.code import CodeFacts
    from envcheck.workspace.discover import App
    from tests.bounded import assert_linear

    def facts(links: dict[str, tuple[str, ...]]) -> CodeFacts:
        return CodeFacts((), (), (), (), len(links), 0, 0, (), links=tuple(sorted(links.items())))

    def make_work(n: int) -> Any:
        web = App("web", "apps/web", tmp_path / "apps/web")
        lib = App("@acme/lib", "packages/lib", tmp_path / "packages/lib")
        ui = App("@acme/ui", "packages/ui", tmp_path / "packages/ui")
        barrel = tuple(f"./m{i}" for i in range(n))
        lib_links = {"src/index.ts": barrel}
        lib_links.update(
            {f"src/m{i}.ts": (f"./m{i + 1}", f"@acme/ui/c{i}", "react") for i in range(n)}
        )
        by_path = {
            "apps/web": facts({"page.tsx": ("@acme/lib", "@acme/lib/src/m0")}),
            "packages/lib": facts(lib_links),
            "packages/ui": facts({f"src/c{i}.tsx": ("./shared",) for i in range(n)}),
        }
        manifests = {"apps/web": {}, "packages/lib": {"main": "src/index.ts"}, "packages/ui": {}}

        def work() -> None:
            reach = reachable(
                web, [lib, ui], lambda a: by_path[a.path], lambda a: manifests[a.path]
            )
            assert reach["packages/lib"] is not ALL and len(reach["packages/lib"] or ()) == n + 1
            assert len(reach["packages/ui"] or ()) == n

        return work

    assert_linear(make_work, 40)


SERVED_DB = _package("@acme/db", scripts={"dev": "tsx watch src/index.ts"})


@pytest.mark.parametrize(
    ("files", "kind"),
    [
        ({"packages/db/.env.example": "DATABASE_URL=\n"}, "library"),  # openstatus
        # openstatus packages/db: a Dockerfile for the database image, a library all the same
        (
            {"packages/db/.env.example": "DATABASE_URL=\n", "packages/db/Dockerfile": "FROM x\n"},
            "library",
        ),
        ({"packages/db/package.json": SERVED_DB}, "app"),
        ({"packages/db/envcheck.toml": "[keys.DATABASE_URL]\n"}, "app"),
    ],
)
def test_a_depended_on_package_is_a_library_unless_something_runs_it(
    tmp_path: Path, files: dict[str, str], kind: str
) -> None:
    from envcheck.workspace.apps import classify, forget

    root = _tree(
        tmp_path,
        {
            "package.json": WORKSPACE.replace('"packages/*"', '"packages/*", "tools/*"'),
            "packages/db/package.json": _package("@acme/db", main="src/index.ts"),
            "packages/db/src/index.ts": "export const u = process.env.DATABASE_URL;\n",
            "apps/web/package.json": _app("@acme/web", "next dev", "@acme/db"),
            "apps/web/.env.example": "DATABASE_URL=\n",
            "tools/seed/package.json": _package("@acme/seed", scripts={"run": "tsx s.ts"}),
            "tools/seed/.env.example": "DATABASE_URL=\n",
            **files,
        },
    )
    forget()
    workspace = discover(root)
    assert workspace is not None
    kinds = {p.app.path: p.kind for p in classify(workspace)}
    assert kinds["packages/db"] == kind
    assert kinds["apps/web"] == "app"
    assert kinds["tools/seed"] == "tool"  # a dev tool with a template: never checked


def test_the_components_of_a_reached_library_are_reached(tmp_path: Path) -> None:
    # hoppscotch: the self-hosted web app registers hoppscotch-common's components by
    # name (unplugin-vue-components) and its pages by file-system routing; no import
    # names Login.vue, yet the app runs it
    root = _tree(
        tmp_path,
        {
            "package.json": WORKSPACE,
            "packages/common/package.json": _package("@acme/common", main="src/index.ts"),
            "packages/common/src/index.ts": "export const createApp = () => 1;\n",
            "packages/common/src/components/firebase/Login.vue": (
                '<script setup lang="ts">\nconst tos = import.meta.env.VITE_APP_TOS_LINK;\n'
                "</script>\n"
            ),
            "packages/common/src/helpers/unused.ts": "export const u = process.env.U_KEY;\n",
            "apps/web/package.json": _app("@acme/web", "vite", "@acme/common"),
            "apps/web/src/main.ts": "import { createApp } from '@acme/common';\ncreateApp();\n",
        },
    )
    reached = _reach(root, "apps/web")["packages/common"]
    assert reached == frozenset({"src/components/firebase/Login.vue"})  # index.ts: no fact
    # negative control: a library the app does not import at all is not reached
    (root / "apps/web/src/main.ts").write_text("console.log(1);\n")
    assert "packages/common" not in _reach(root, "apps/web")


def test_what_only_a_test_imports_is_not_reached(tmp_path: Path) -> None:
    # rallly packages/screenshots: Playwright specs import @rallly/database to seed it
    root = _tree(
        tmp_path,
        {
            "package.json": WORKSPACE,
            "packages/db/package.json": _package("@acme/db", exports={".": "./src/client.ts"}),
            "packages/db/src/client.ts": "export const u = process.env.DATABASE_URL;\n",
            "apps/web/package.json": _app("@acme/web", "next dev", "@acme/db"),
            "apps/web/e2e/poll.spec.ts": "import { u } from '@acme/db';\nconsole.log(u);\n",
            "apps/web/src/app/page.tsx": "export default () => null;\n",
        },
    )
    assert "packages/db" not in _reach(root, "apps/web")
    # negative control: the app's own code importing it reaches it
    (root / "apps/web/src/app/page.tsx").write_text("import { u } from '@acme/db';\nu;\n")
    assert _reach(root, "apps/web")["packages/db"] == frozenset({"src/client.ts"})
