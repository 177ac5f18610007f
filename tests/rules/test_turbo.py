"""The Turborepo rules (EC801-EC806), run as a user runs them: `envcheck check` on real repos.

Each test copies ``fixtures/turbo/npm-turbo`` (or one of the workspace
fixtures) into a temp dir, makes it a real git repository (``.env*.local``
git-ignored) and runs ``envcheck check --format json`` in a subprocess with
a controlled process environment.  Every run also asserts that no value of
the fixtures' secrets, nor of a variable the test exported, reaches the
output.  What turbo itself does is checked in tests/rules/test_turbo_oracle.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from envcheck.rules import registry
from envcheck.rules.turbo import locate
from envcheck.rules.turbo_config import (
    JsonError,
    TurboFile,
    env_matches,
    glob_matches,
    parse_jsonc,
    resolve_task,
)
from tests.harness import git
from tests.rules.turbo_workspaces import (
    BUILD,
    DEV,
    EXPORTED,
    NPM_TURBO,
    WORKSPACES,
    base_env,
    check,
    found,
    turbo_json,
    web,
    workspace,
)  # fmt: skip

# -- EC801: env files left out of the task hash ----------------------------------------


def test_ignored_env_local_is_not_hashed_by_default_inputs(tmp_path: Path) -> None:
    code, doc = check(web(tmp_path))
    (stale,) = found(doc, "EC801")
    assert (stale["path"], stale["line"], stale["col"]) == ("../../turbo.json", 5, 5)
    assert stale["severity"] == "warning" and code == (1 if doc["summary"]["errors"] else 0)
    assert "does not hash an env file the app reads" in stale["message"]
    assert [(r["path"], r["label"]) for r in stale["related"]] == [  # .env is tracked: hashed
        (".env.local", "not hashed: git-ignored, and the default inputs hash only files git "
         "does not ignore")
    ]  # fmt: skip
    assert '"inputs": ["$TURBO_DEFAULT$", ".env*"]' in stale["hint"]


def test_root_run_points_at_the_roots_turbo_json(tmp_path: Path) -> None:
    _, doc = check(workspace(tmp_path))
    (stale,) = found(doc, "EC801")
    assert (stale["path"], stale["line"], stale["col"]) == ("turbo.json", 5, 5)


@pytest.mark.parametrize(
    "inputs",
    [
        ["$TURBO_DEFAULT$", ".env*"],
        [".env*", "src/**"],
        ["$TURBO_DEFAULT$", ".env.local"],
        ["$TURBO_DEFAULT$", "**/.env.*local"],
        ["$TURBO_DEFAULT$", "$TURBO_ROOT$/apps/web/.env.local"],
        ["*"],
    ],
)
def test_inputs_that_include_the_env_files_are_clean(tmp_path: Path, inputs: list[str]) -> None:
    tasks = {"build": {**BUILD, "inputs": inputs}, "dev": DEV}
    _, doc = check(web(tmp_path, {"turbo.json": turbo_json(tasks)}))
    assert found(doc, "EC801") == []


@pytest.mark.parametrize("task", [{"cache": False}, {"persistent": True, "cache": False}])
def test_uncached_tasks_are_not_checked(tmp_path: Path, task: dict[str, Any]) -> None:
    _, doc = check(web(tmp_path, {"turbo.json": turbo_json({"build": task, "dev": DEV})}))
    assert found(doc, "EC801") == []


def test_explicit_inputs_point_at_inputs_and_name_every_missing_file(tmp_path: Path) -> None:
    text = '{\n  "tasks": {\n    "build": {\n      "inputs": ["src/**"]\n    }\n  }\n}\n'
    _, doc = check(web(tmp_path, {"turbo.json": text}))
    (stale,) = found(doc, "EC801")
    assert (stale["line"], stale["col"]) == (4, 7)
    assert "does not hash 2 env files the app reads" in stale["message"]
    assert sorted((r["path"], r["label"]) for r in stale["related"]) == [
        (".env", 'not hashed: not matched by "inputs"'),
        (".env.local", 'not hashed: not matched by "inputs"'),
    ]


def test_a_negated_input_removes_the_file(tmp_path: Path) -> None:
    inputs = ["$TURBO_DEFAULT$", ".env*", "!.env.local"]
    tasks = {"build": {**BUILD, "inputs": inputs}}
    _, doc = check(web(tmp_path, {"turbo.json": turbo_json(tasks)}))
    (stale,) = found(doc, "EC801")
    assert [(r["path"], r["label"]) for r in stale["related"]] == [
        (".env.local", 'not hashed: excluded by "!.env.local" in "inputs"')
    ]


def test_untracked_or_tracked_files_are_in_the_default_inputs(tmp_path: Path) -> None:
    app = web(tmp_path, {"gitignore.txt": "node_modules\n.turbo\n"})  # .env.local committed
    _, doc = check(app)
    assert found(doc, "EC801") == []
    git(app, "rm", "-q", "--cached", ".env.local")  # untracked, not ignored
    _, doc = check(app)
    assert found(doc, "EC801") == []


def test_global_dependencies_cover_the_file_for_every_task(tmp_path: Path) -> None:
    text = turbo_json({"build": BUILD}, globalDependencies=["apps/*/.env*"])
    _, doc = check(web(tmp_path, {"turbo.json": text}))
    assert found(doc, "EC801") == []


def test_package_turbo_json_extends_the_roots_inputs(tmp_path: Path) -> None:
    own = {"extends": ["//"], "tasks": {"build": {"inputs": ["$TURBO_EXTENDS$", ".env.local"]}}}
    root_task = {**BUILD, "inputs": ["$TURBO_DEFAULT$"]}
    files = {"turbo.json": turbo_json({"build": root_task}), "apps/web/turbo.json": json.dumps(own)}
    _, doc = check(web(tmp_path, files))
    assert found(doc, "EC801") == []
    own["tasks"] = {"build": {"inputs": ["src/**"]}}  # replaces the root's inputs
    files["apps/web/turbo.json"] = json.dumps(own)
    _, doc = check(web(tmp_path / "again", files))
    (stale,) = found(doc, "EC801")
    assert stale["path"] == "turbo.json"  # the app's own file decides


def test_a_package_task_in_the_root_file_replaces_the_generic_one(tmp_path: Path) -> None:
    tasks = {"build": BUILD, "@acme/web#build": {"inputs": ["$TURBO_DEFAULT$", ".env*"]}}
    _, doc = check(web(tmp_path, {"turbo.json": turbo_json(tasks)}))
    assert found(doc, "EC801") == []


@pytest.mark.parametrize(
    ("script", "stale"),
    [
        ("eslint . && prettier --check .", False),
        ("next lint", False),
        ("tsc --noEmit", False),
        ('concurrently "eslint ." "tsc --noEmit"', False),
        ("node scripts/lint.mjs", True),  # an unknown program may read .env
        ("vitest run", True),  # Vite loads .env files for its tests
    ],
)
def test_tasks_that_read_no_env_file_are_not_stale(
    tmp_path: Path, script: str, stale: bool
) -> None:
    """Issue 26: lint, format and type-check tasks never read .env: their cache cannot go stale."""
    package = {
        "name": "@acme/web",
        "private": True,
        "scripts": {"dev": "next dev", "lint": script},
        "dependencies": {"next": "15.1.0"},
    }
    where = web(
        tmp_path,
        {
            "turbo.json": turbo_json({"lint": {"outputs": []}}),
            "apps/web/package.json": json.dumps(package),
        },
    )
    _, doc = check(where)
    assert bool(found(doc, "EC801")) is stale


def test_the_rule_can_be_turned_off(tmp_path: Path) -> None:
    _, doc = check(web(tmp_path), {}, "--ignore", "EC801")
    assert found(doc, "EC801") == []


# -- EC802 / EC806: strict env mode ------------------------------------------------------

NEEDS = {"apps/web/.env.example": "DATABASE_URL=\nSTRIPE_KEY=\n"}


def test_a_process_only_schema_key_is_hidden_by_strict_mode(tmp_path: Path) -> None:
    code, doc = check(web(tmp_path, NEEDS), {"STRIPE_KEY": EXPORTED})
    (hidden,) = found(doc, "EC802")
    assert hidden["key"] == "STRIPE_KEY" and code == (1 if doc["summary"]["errors"] else 0)
    assert (hidden["path"], hidden["line"], hidden["col"]) == ("../../turbo.json", 5, 5)
    assert "`turbo run build` and `turbo run dev`" in hidden["message"]
    assert '"env"' in hidden["hint"] and '"envMode": "loose"' in hidden["hint"]


def test_a_key_an_env_file_sets_is_not_the_processs(tmp_path: Path) -> None:
    files = {**NEEDS, "apps/web/.env": "STRIPE_KEY=from-a-file\n"}
    _, doc = check(web(tmp_path, files), {"STRIPE_KEY": EXPORTED})
    assert found(doc, "EC802") == []


@pytest.mark.parametrize(
    ("top", "build", "dev"),
    [
        ({}, {"env": ["STRIPE_KEY"]}, {"env": ["STRIPE_*"]}),
        ({}, {"env": ["STRIPE_*"]}, {"passThroughEnv": ["STRIPE_KEY"]}),
        ({"globalEnv": ["STRIPE_KEY"]}, {}, {}),
        ({"globalPassThroughEnv": ["*_KEY"]}, {}, {}),
        ({"envMode": "loose"}, {}, {}),
        ({"envMode": "strict"}, {"envMode": "loose"}, {"envMode": "loose"}),
    ],
)
def test_listed_or_loose_keys_are_seen(
    tmp_path: Path, top: dict[str, Any], build: dict[str, Any], dev: dict[str, Any]
) -> None:
    tasks = {"build": {**BUILD, **build}, "dev": {**DEV, **dev}}
    _, doc = check(
        web(tmp_path, {**NEEDS, "turbo.json": turbo_json(tasks, **top)}), {"STRIPE_KEY": EXPORTED}
    )
    assert found(doc, "EC802") == []


def test_a_negation_wins_over_a_wildcard_and_only_the_hiding_task_is_named(
    tmp_path: Path,
) -> None:
    tasks = {"build": {**BUILD, "env": ["STRIPE_*", "!STRIPE_KEY"]}, "dev": {**DEV, "env": ["*"]}}
    _, doc = check(
        web(tmp_path, {**NEEDS, "turbo.json": turbo_json(tasks)}), {"STRIPE_KEY": EXPORTED}
    )
    (hidden,) = found(doc, "EC802")
    assert "`turbo run build`" in hidden["message"] and "dev" not in hidden["message"]


def test_a_task_strict_mode_beats_a_loose_root(tmp_path: Path) -> None:
    tasks = {"build": {**BUILD, "envMode": "strict"}, "dev": DEV}
    text = turbo_json(tasks, envMode="loose")
    _, doc = check(web(tmp_path, {**NEEDS, "turbo.json": text}), {"STRIPE_KEY": EXPORTED})
    (hidden,) = found(doc, "EC802")
    assert "`turbo run build`" in hidden["message"] and "dev" not in hidden["message"]


def test_loose_from_the_root_script_or_the_variable(tmp_path: Path) -> None:
    root = json.loads((NPM_TURBO / "package.json").read_text(encoding="utf-8"))
    root["scripts"]["build"] = "turbo run build --env-mode=loose"
    root["scripts"]["dev"] = "turbo run dev --env-mode=loose"
    files = {**NEEDS, "package.json": json.dumps(root)}
    _, doc = check(web(tmp_path, files), {"STRIPE_KEY": EXPORTED})
    assert found(doc, "EC802") == []
    _, doc = check(web(tmp_path / "b", NEEDS), {"STRIPE_KEY": EXPORTED, "TURBO_ENV_MODE": "loose"})
    assert found(doc, "EC802") == []


def test_builtin_pass_through_variables_are_never_hidden(tmp_path: Path) -> None:
    files = {"apps/web/.env.example": "NODE_OPTIONS=\nVERCEL_URL=\nPORT=\n"}
    env = {"NODE_OPTIONS": "--max-old-space-size=4096", "VERCEL_URL": "x", "PORT": "3000"}
    _, doc = check(web(tmp_path, files), env)
    assert [f["key"] for f in found(doc, "EC802")] == ["PORT"]


def test_nextjs_public_keys_are_inferred_hashed_and_passed(tmp_path: Path) -> None:
    _, doc = check(web(tmp_path), {"NEXT_PUBLIC_FLAG": EXPORTED})
    assert found(doc, "EC802") == [] and found(doc, "EC806") == []


def test_a_negated_public_key_is_passed_but_not_hashed(tmp_path: Path) -> None:
    tasks = {"build": {**BUILD, "env": ["!NEXT_PUBLIC_FLAG"]}, "dev": DEV}
    _, doc = check(web(tmp_path, {"turbo.json": turbo_json(tasks)}), {"NEXT_PUBLIC_FLAG": EXPORTED})
    assert found(doc, "EC802") == []  # NEXT_* is on turbo's built-in pass-through list
    (unhashed,) = found(doc, "EC806")
    assert unhashed["key"] == "NEXT_PUBLIC_FLAG" and "`turbo run build`" in unhashed["message"]


def test_vite_public_keys_without_inference_are_hidden(tmp_path: Path) -> None:
    root = json.loads((NPM_TURBO / "package.json").read_text(encoding="utf-8"))
    root["scripts"]["build"] = "turbo run build --framework-inference=false"
    admin = workspace(tmp_path, {"package.json": json.dumps(root)}) / "apps" / "admin"
    _, doc = check(admin, {"VITE_FLAG": EXPORTED})
    (hidden,) = found(doc, "EC802")
    assert hidden["key"] == "VITE_FLAG" and "inlined at build" in hidden["hint"]
    _, doc = check(admin, {"VITE_FLAG": EXPORTED}, "--ignore", "EC802")
    assert found(doc, "EC802") == []


def test_a_passed_through_public_key_is_not_hashed(tmp_path: Path) -> None:
    root = json.loads((NPM_TURBO / "package.json").read_text(encoding="utf-8"))
    root["scripts"]["build"] = "turbo run build --framework-inference=false"
    tasks = {"build": {**BUILD, "passThroughEnv": ["VITE_*"]}, "dev": {**DEV, "env": ["VITE_*"]}}
    files = {"package.json": json.dumps(root), "turbo.json": turbo_json(tasks)}
    _, doc = check(workspace(tmp_path, files) / "apps" / "admin", {"VITE_FLAG": EXPORTED})
    assert found(doc, "EC802") == []
    (unhashed,) = found(doc, "EC806")
    assert '"env"' in unhashed["hint"] and "dev" not in unhashed["message"]


# -- EC803: Turborepo 1.x keys ------------------------------------------------------------

V1 = """{
  "globalDotEnv": [".env"],
  "experimentalUI": true,
  "pipeline": {
    "build": {"dotEnv": [".env.local", ".env"], "outputMode": "full"}
  }
}
"""


def test_v1_keys_are_errors_with_the_2x_replacement(tmp_path: Path) -> None:
    code, doc = check(web(tmp_path, {"turbo.json": V1}))
    got = {f["message"].split('"')[1]: f for f in found(doc, "EC803")}
    assert code == 1 and set(got) == {
        "globalDotEnv",
        "experimentalUI",
        "pipeline",
        "dotEnv",
        "outputMode",
    }
    assert all(f["severity"] == "error" for f in got.values())
    assert (got["pipeline"]["line"], got["pipeline"]["col"]) == (4, 3)
    assert (got["dotEnv"]["line"], got["dotEnv"]["col"]) == (5, 15)
    assert 'renamed to "tasks"' in got["pipeline"]["message"]
    assert got["pipeline"]["hint"].startswith('rename "pipeline" to "tasks"')
    hint = '"inputs": ["$TURBO_DEFAULT$", ".env.local", ".env"]'
    assert hint in got["dotEnv"]["hint"] and "(task 'build')" in got["dotEnv"]["message"]
    assert '"globalDependencies": [".env"]' in got["globalDotEnv"]["hint"]
    assert '"ui": "tui"' in got["experimentalUI"]["hint"]
    assert 'rename "outputMode" to "outputLogs"' in got["outputMode"]["hint"]


def test_a_pipeline_is_still_checked_as_the_tasks_it_becomes(tmp_path: Path) -> None:
    text = json.dumps({"pipeline": {"build": BUILD}})
    _, doc = check(web(tmp_path, {"turbo.json": text}))
    assert len(found(doc, "EC803")) == 1 and len(found(doc, "EC801")) == 1


@pytest.mark.parametrize("spec", ["^1.13.0", "1.10.16", "~1.2", "npm:turbo@^1.11"])
def test_a_repository_that_pins_turbo_1_may_use_its_keys(tmp_path: Path, spec: str) -> None:
    """Issue 26: turbo 1.x runs "pipeline" as written; EC803 is about what turbo 2 refuses."""
    root = json.loads((NPM_TURBO / "package.json").read_text())
    root["devDependencies"]["turbo"] = spec
    _, doc = check(web(tmp_path, {"turbo.json": V1, "package.json": json.dumps(root)}))
    assert found(doc, "EC803") == []


def test_a_2x_config_has_no_v1_finding(tmp_path: Path) -> None:
    _, doc = check(web(tmp_path))
    assert found(doc, "EC803") == [] and found(doc, "EC805") == []


# -- EC804: the root's .env the app never reads ------------------------------------------


def test_a_key_only_in_the_roots_env_is_flagged_at_its_line(tmp_path: Path) -> None:
    _, doc = check(web(tmp_path))
    (root_env,) = found(doc, "EC804")
    assert (root_env["path"], root_env["line"], root_env["col"]) == ("../../.env", 1, 1)
    assert root_env["key"] == "DATABASE_URL" and "Next.js" in root_env["message"]
    assert '"dev": "dotenv -e ../../.env -- next dev"' in root_env["hint"]


def test_an_app_that_loads_the_roots_env_through_its_script_is_clean(tmp_path: Path) -> None:
    app = json.loads((NPM_TURBO / "apps/web/package.json").read_text(encoding="utf-8"))
    app["scripts"]["dev"] = "dotenv -e ../../.env -- next dev"
    app["devDependencies"] = {"dotenv-cli": "7.4.2"}
    _, doc = check(web(tmp_path, {"apps/web/package.json": json.dumps(app)}))
    assert found(doc, "EC804") == [] and found(doc, "EC301") == []


def test_t3_turbo_reads_the_root_env_with_dotenv_cli(tmp_path: Path) -> None:
    example = {"apps/nextjs/.env.example": "DATABASE_URL=\nAUTH_SECRET=\n"}
    root = workspace(tmp_path, example, source=WORKSPACES / "t3-turbo")
    _, doc = check(root / "apps" / "nextjs")
    assert found(doc, "EC804") == []
    app = json.loads((root / "apps/nextjs/package.json").read_text(encoding="utf-8"))
    app["scripts"] = {"dev": "next dev", "build": "next build"}  # the wrapper removed
    (root / "apps/nextjs/package.json").write_text(json.dumps(app), encoding="utf-8")
    _, doc = check(root / "apps" / "nextjs")
    assert sorted(f["key"] for f in found(doc, "EC804")) == ["AUTH_SECRET", "DATABASE_URL"]


def test_vite_gets_the_env_dir_hint_and_an_env_dir_silences_it(tmp_path: Path) -> None:
    files = {"apps/admin/.env.example": "DATABASE_URL=\n"}
    admin = workspace(tmp_path, files) / "apps" / "admin"
    _, doc = check(admin)
    (root_env,) = found(doc, "EC804")
    assert "envDir: '../../'" in root_env["hint"]
    (admin / "vite.config.ts").write_text("export default { envDir: '../../' }\n", "utf-8")
    _, doc = check(admin)
    assert found(doc, "EC804") == []


def test_next_config_loading_the_root_env_silences_it(tmp_path: Path) -> None:
    app = web(tmp_path)
    config = "require('@next/env').loadEnvConfig(require('path').resolve(__dirname, '../..'))\n"
    (app / "next.config.js").write_text(config, encoding="utf-8")
    _, doc = check(app)
    assert found(doc, "EC804") == []


def test_a_key_the_process_sets_or_the_app_has_is_not_flagged(tmp_path: Path) -> None:
    app = web(tmp_path)
    _, doc = check(app, {"DATABASE_URL": EXPORTED}, "--ignore", "EC802")
    assert found(doc, "EC804") == []
    (app / ".env.development").write_text("DATABASE_URL=postgres://localhost/dev\n", "utf-8")
    _, doc = check(app)
    assert found(doc, "EC804") == []


def test_an_optional_schema_key_is_not_needed(tmp_path: Path) -> None:
    files = {"apps/web/.env.example": "# optional\nDATABASE_URL=\n"}
    _, doc = check(web(tmp_path, files))
    assert found(doc, "EC804") == []


def test_root_run_keeps_the_apps_script_command_in_the_hint(tmp_path: Path) -> None:
    _, doc = check(workspace(tmp_path))
    (root_env,) = found(doc, "EC804")
    assert root_env["path"] == ".env"
    assert "dotenv -e ../../.env --" in root_env["hint"]


# -- EC805: turbo.json that turbo cannot parse -------------------------------------------


def test_malformed_turbo_json_is_an_error_at_line_and_column(tmp_path: Path) -> None:
    text = '{\n  "tasks": {\n    "build": {"outputs": [".next/**" "dist/**"]}\n  }\n}\n'
    code, doc = check(web(tmp_path, {"turbo.json": text}))
    (bad,) = found(doc, "EC805")
    assert (bad["path"], bad["line"], bad["col"], code) == ("../../turbo.json", 3, 38, 1)
    assert "expected , or ]" in bad["message"]
    assert found(doc, "EC801") == []  # nothing else is guessed from a broken file


def test_malformed_turbo_json_is_reported_once_at_the_root(tmp_path: Path) -> None:
    _, doc = check(workspace(tmp_path, {"turbo.json": '{"tasks": {'}))
    (bad,) = found(doc, "EC805")
    assert bad["path"] == "turbo.json"


def test_turbo_jsonc_is_found_and_read(tmp_path: Path) -> None:
    text = (NPM_TURBO / "turbo.json").read_text(encoding="utf-8")
    _, doc = check(web(tmp_path, {"turbo.json": None, "turbo.jsonc": text}))
    (stale,) = found(doc, "EC801")
    assert stale["path"] == "../../turbo.jsonc"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"[]", "not a JSON object"),
        (b'{"tasks": "\xff"}', "not UTF-8"),
        (b"[" * 5000, "nested deeper"),
    ],
)
def test_unreadable_configs_are_one_finding(tmp_path: Path, raw: bytes, why: str) -> None:
    app = web(tmp_path)
    (app.parent.parent / "turbo.json").write_bytes(raw)
    _, doc = check(app)
    (bad,) = found(doc, "EC805")
    assert why in bad["message"]


# -- the parser, patterns and task resolution ---------------------------------------------


def test_parse_jsonc_positions_comments_and_escapes() -> None:
    text = '// head\n{ /* c */ "a": [1, 2.5e1, true, null,],\n  "b\\u00e9\\n": {"c": "x",},}'
    root = parse_jsonc(text)
    a, b = root.get("a"), root.get("b\u00e9\n")
    assert a is not None and (a.line, a.col) == (2, 11)
    assert [n.value for n in a.value] == [1, 25.0, True, None]
    assert b is not None and (b.line, b.col) == (3, 3) and b.value["c"].value == "x"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"a": 1', (1, 8)),
        ('{"a": "x\n"}', (1, 7)),
        ("{\n  /* open", (2, 3)),
        ('{"a": 1} 2', (1, 10)),
        ("", (1, 1)),
        ("{a: 1}", (1, 2)),
    ],
)
def test_parse_jsonc_errors_have_positions(text: str, where: tuple[int, int]) -> None:
    with pytest.raises(JsonError) as err:
        parse_jsonc(text)
    assert (err.value.line, err.value.col) == where


@pytest.mark.parametrize(
    ("name", "patterns", "hit"),
    [
        ("NEXT_PUBLIC_A", ["NEXT_PUBLIC_*"], True),
        ("NEXT_PUBLIC_A", ["NEXT_PUBLIC_*", "!NEXT_PUBLIC_A"], False),
        ("API_KEY", ["*_KEY"], True),
        ("API_KEYS", ["*_KEY"], False),
        ("A.B", ["A?B"], False),
        ("X", [], False),
    ],
)
def test_env_wildcards(name: str, patterns: list[str], hit: bool) -> None:
    assert env_matches(name, patterns) is hit


@pytest.mark.parametrize(
    ("path", "pattern", "hit"),
    [
        (".env.local", ".env*", True),
        (".env.local", "*", True),
        ("src/.env", "*", False),
        ("src/.env", "**/.env", True),
        (".env", "**/.env", True),
        (".env.production.local", ".env.{local,production.local}", True),
        (".env.local", "./.env.local", True),
        (".env.local", ".env.[lp]ocal", True),
        (".env.local", ".env.[!l]ocal", False),
    ],
)
def test_globs(path: str, pattern: str, hit: bool) -> None:
    assert glob_matches(path, pattern) is hit


def test_resolve_task_root_package_and_extends() -> None:
    root = TurboFile(
        "turbo.json",
        parse_jsonc('{"tasks": {"build": {"env": ["A"], "inputs": ["x"]}, "w#test": {}}}'),
    )
    own = TurboFile(
        "apps/w/turbo.json",
        parse_jsonc('{"extends": ["//"], "tasks": {"build": {"env": ["$TURBO_EXTENDS$", "B"]}}}'),
    )
    task = resolve_task(root, own, "w", "build")
    assert task is not None and task.value("env") == ["A", "B"] and task.value("inputs") == ["x"]
    assert task.where("env")[0] == "apps/w/turbo.json" and task.where("inputs")[0] == "turbo.json"
    assert resolve_task(root, None, "w", "test") is not None
    assert resolve_task(root, None, "other", "test") is None


def test_locate_stops_at_the_work_tree_and_skips_the_apps_own_file(tmp_path: Path) -> None:
    root = workspace(tmp_path, {"apps/web/turbo.json": '{"extends": ["//"], "tasks": {}}'})
    got = locate(root / "apps" / "web")
    assert got is not None and got.root_dir == root
    assert got.package_config == root / "apps" / "web" / "turbo.json"
    (tmp_path / "turbo.json").write_text("{}", encoding="utf-8")  # above the work tree
    (root / "turbo.json").unlink()
    assert locate(root / "apps" / "admin") is None


# -- the family: registered, documented, cheap when unused --------------------------------


def test_check_runs_the_family_and_rules_shows_its_doc() -> None:
    """Docs, names and fixtures of every rule: tests/rules/test_rules.py."""
    assert "turbo" in registry.CHECK_FAMILIES
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", "rules", "EC801"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and "turbo-env-file-not-hashed" in proc.stdout
    assert "$TURBO_DEFAULT$" in proc.stdout


def _turbo_modules_after_check(project: Path) -> list[str]:
    code = (
        "import contextlib, io, sys\n"
        "from envcheck.cli import main\n"
        "quiet = contextlib.redirect_stdout(io.StringIO())\n"
        "with quiet, contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main(['check', '--dir', {str(project)!r}])\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('envcheck.rules.turbo'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=base_env()
    )
    return out.stdout.split()


def test_check_without_turbo_json_imports_no_turbo_checks(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / ".env").write_text("PORT=3000\n", encoding="utf-8")
    git(plain, "init", "-q")
    loaded = _turbo_modules_after_check(plain)
    assert "envcheck.rules.turbo_checks" not in loaded
    assert "envcheck.rules.turbo_config" not in loaded
    # the control: with a turbo.json the same command does import them
    loaded = _turbo_modules_after_check(web(tmp_path))
    assert {"envcheck.rules.turbo_checks", "envcheck.rules.turbo_config"} <= set(loaded)


@pytest.mark.parametrize(
    ("build", "stale"),
    [
        ("nest build && node scripts/copy-types.js", False),  # compiles and copies
        ("pnpm run frontend && tsc -p tsconfig.build.json", False),  # a sibling script, tsc
        ("node scripts/gen.js", True),  # the script loads dotenv: its output may hold values
        ("node dist/main.js", True),  # runs the app, which loads .env
    ],
)
def test_a_runtime_dotenv_apps_build_that_never_runs_its_code_is_not_stale(
    tmp_path: Path, build: str, stale: bool
) -> None:
    """Issue 26 (Hexabot): a Node dotenv app reads .env when its code runs, not when built."""
    package = {
        "name": "@acme/api",
        "private": True,
        "scripts": {"build": build, "frontend": "node scripts/frontend-build.js"},
        "dependencies": {"dotenv": "16.4.5", "express": "4.21.0"},
    }
    where = workspace(
        tmp_path,
        {
            "turbo.json": turbo_json({"build": BUILD}),
            "apps/api/package.json": json.dumps(package),
            "apps/api/index.js": "require('dotenv').config()\nconsole.log(process.env.PORT)\n",
            "apps/api/scripts/copy-types.js": "require('node:fs').cpSync('a', 'b')\n",
            "apps/api/scripts/frontend-build.js": "require('node:child_process')\n",
            "apps/api/scripts/gen.js": "require('dotenv').config()\n",
            "apps/api/.gitignore": ".env\n",
            "apps/api/.env": "PORT=3000\n",
        },
    )
    _, doc = check(where / "apps" / "api")
    assert bool(found(doc, "EC801")) is stale


@pytest.mark.parametrize(
    ("jest_config", "stale"),
    [
        ("module.exports = { preset: 'ts-jest', testEnvironment: 'node' }\n", False),
        ("module.exports = { setupFiles: ['<rootDir>/test/env.js'] }\n", True),  # not followed
        ("const nextJest = require('next/jest')\nmodule.exports = nextJest()({})\n", True),
        ("module.exports = { preset: 'jest-expo' }\n", True),  # Babel inlines EXPO_PUBLIC_*
    ],
)
def test_a_test_task_that_runs_plain_jest_reads_no_env_file(
    tmp_path: Path, jest_config: str, stale: bool
) -> None:
    """Flowise: `test: jest` with a config that loads nothing reads no .env (jest has no
    loader), whatever the app's framework -- here a Vite app, whose build does read it."""
    package = {
        "name": "@acme/ui",
        "private": True,
        "scripts": {"build": "vite build", "test": "jest --coverage"},
        "devDependencies": {"vite": "5.0.2", "jest": "29.7.0"},
    }
    where = workspace(
        tmp_path,
        {
            "turbo.json": turbo_json({"test": {}}),
            "apps/ui/package.json": json.dumps(package),
            "apps/ui/jest.config.js": jest_config,
            "apps/ui/src/main.js": "console.log(import.meta.env.VITE_API_URL)\n",
            "apps/ui/.gitignore": ".env\n",
            "apps/ui/.env": "VITE_API_URL=http://localhost:3000\n",
        },
    )
    _, doc = check(where / "apps" / "ui")
    assert bool([f for f in found(doc, "EC801") if "run test" in f["message"]]) is stale
