"""The Turborepo rules against the real ``turbo`` (oracles/node_modules, pinned in package.json).

What envcheck claims about a task is compared with what turbo does in the
same workspace (``fixtures/turbo/npm-turbo`` copied to a real git repository):

* EC801: the files envcheck says a task does not hash are exactly the app's
  env files missing from ``turbo run build --dry=json`` inputs, and editing
  one of them leaves the task hash unchanged (the stale replay);
* EC802 / EC806: a variable envcheck says strict mode hides is missing from
  the environment a real ``turbo run build`` gives the task (the build
  script writes the variable *names* it sees); one it says is not hashed
  leaves the task hash unchanged when its value changes;
* the built-in pass-through list and the framework-inference table envcheck
  carries are what this turbo passes and infers;
* EC803 / EC805: turbo refuses exactly the configs envcheck flags, at the
  same position for unknown keys.

Offline: no remote cache is configured, telemetry and update checks are
off.  Without the turbo binary (``make oracles``) the tests skip, unless
``ENVCHECK_REQUIRE_ORACLES`` is set (CI sets it): then they fail.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from envcheck.rules.turbo_checks import _V1_TASK, _V1_TOP, BUILTIN_PASS_THROUGH, FRAMEWORKS
from envcheck.rules.turbo_config import env_matches
from tests.harness import REPO_ROOT
from tests.oracle import missing as oracle_missing
from tests.rules.turbo_workspaces import (
    BUILD,
    EXPORTED,
    NPM_TURBO,
    base_env,
    check,
    found,
    workspace,
)

MODULES = REPO_ROOT / "oracles" / "node_modules"
# The platform binary (the optional dependency @turbo/linux-64 etc.) run directly: the
# node wrapper in .bin/ would try to download it when it is missing.
TURBO = next(iter(sorted(MODULES.glob("@turbo/*/bin/turbo"))), MODULES / "@turbo" / "missing")
TURBO_VERSION = json.loads((REPO_ROOT / "oracles" / "package.json").read_text("utf-8"))[
    "dependencies"
]["turbo"]
QUIET = {
    "TURBO_TELEMETRY_DISABLED": "1",
    "DO_NOT_TRACK": "1",
    "TURBO_NO_UPDATE_NOTIFIER": "1",
    "TURBO_PRINT_VERSION_DISABLED": "1",
}
WEB_BUILD = "@acme/web#build"
ADMIN_BUILD = "@acme/admin#build"


def _require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if not TURBO.is_file():
        missing.append("oracles/node_modules/@turbo/<platform>/bin/turbo (run `make oracles`)")
    if missing:
        oracle_missing("turbo oracle needs " + ", ".join(missing))


def turbo(
    root: Path, *args: str, env: Mapping[str, str] = (), ok: bool = True
) -> subprocess.CompletedProcess[str]:
    _require()
    proc = subprocess.run(
        [str(TURBO), *args],
        cwd=root,
        env=base_env({**QUIET, **dict(env)}),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if ok:
        assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def dry(root: Path, *args: str, env: Mapping[str, str] = ()) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(
        turbo(root, "run", "build", "--dry=json", *args, env=env).stdout
    )
    assert doc["turboVersion"] == TURBO_VERSION
    return doc


def task(doc: dict[str, Any], task_id: str) -> dict[str, Any]:
    (found_task,) = [t for t in doc["tasks"] if t["taskId"] == task_id]
    return found_task


def names(pairs: list[str] | None) -> set[str]:
    """``["NAME=hash", ...]`` -> the names."""
    return {p.split("=", 1)[0] for p in pairs or []}


def turbo_json(tasks: dict[str, Any], **top: Any) -> str:
    return json.dumps({"$schema": "https://turbo.build/schema.json", **top, "tasks": tasks})


# -- EC801: hashed inputs ------------------------------------------------------------------

# The files `next build` reads (production mode), tracked and git-ignored.
WEB_FILES = {
    "apps/web/.env": "NEXT_PUBLIC_SITE_URL=http://localhost:3000\n",
    "apps/web/.env.production": "NEXT_PUBLIC_SITE_URL=https://example.invalid\n",
    "apps/web/.env.local": "NEXT_PUBLIC_API_URL=https://staging.example.invalid\n",
    "apps/web/.env.production.local": "NEXT_PUBLIC_API_URL=https://prod.example.invalid\n",
}
OWN = "apps/web/turbo.json"

INPUT_CASES: dict[str, dict[str, str]] = {
    "default inputs": {},
    "default + .env*": {
        "turbo.json": turbo_json({"build": {**BUILD, "inputs": ["$TURBO_DEFAULT$", ".env*"]}})
    },
    "only .env*": {"turbo.json": turbo_json({"build": {**BUILD, "inputs": [".env*"]}})},
    "src only": {"turbo.json": turbo_json({"build": {**BUILD, "inputs": ["src/**"]}})},
    "default minus .env": {
        "turbo.json": turbo_json({"build": {**BUILD, "inputs": ["$TURBO_DEFAULT$", "!.env"]}})
    },
    "all but .env.local": {
        "turbo.json": turbo_json(
            {"build": {**BUILD, "inputs": ["$TURBO_DEFAULT$", ".env*", "!.env.local"]}}
        )
    },
    "turbo root path": {
        "turbo.json": turbo_json(
            {"build": {**BUILD, "inputs": ["$TURBO_DEFAULT$", "$TURBO_ROOT$/apps/web/.env.local"]}}
        )
    },
    "globalDependencies": {
        "turbo.json": turbo_json({"build": BUILD}, globalDependencies=["apps/*/.env*.local"])
    },
    "package task in root": {
        "turbo.json": turbo_json(
            {"build": BUILD, WEB_BUILD: {"inputs": ["$TURBO_DEFAULT$", ".env.production.local"]}}
        )
    },
    "package file extends": {
        "turbo.json": turbo_json({"build": {**BUILD, "inputs": ["$TURBO_DEFAULT$"]}}),
        OWN: json.dumps(
            {"extends": ["//"], "tasks": {"build": {"inputs": ["$TURBO_EXTENDS$", ".env.local"]}}}
        ),
    },
    "package file replaces": {
        "turbo.json": turbo_json({"build": {**BUILD, "inputs": ["$TURBO_DEFAULT$", ".env*"]}}),
        OWN: json.dumps({"extends": ["//"], "tasks": {"build": {"inputs": ["src/**"]}}}),
    },
}


def _flagged_files(doc: dict[str, Any]) -> set[str]:
    """The files EC801 points at for `turbo run build` (its related places)."""
    out: set[str] = set()
    for f in found(doc, "EC801"):
        if "`turbo run build`" in f["message"]:
            out.update(r["path"] for r in f["related"])
    return out


@pytest.mark.parametrize("case", list(INPUT_CASES))
def test_files_envcheck_calls_unhashed_are_the_ones_turbo_leaves_out(
    tmp_path: Path, case: str
) -> None:
    _require("git")
    root = workspace(tmp_path, {**WEB_FILES, **INPUT_CASES[case]})
    app = root / "apps" / "web"
    _, doc = check(app)
    flagged = _flagged_files(doc)

    baseline = dry(root, "--filter=@acme/web")
    web = task(baseline, WEB_BUILD)
    global_files = set(baseline["globalCacheInputs"]["files"])
    hashed = {
        name
        for name in (p.rsplit("/", 1)[1] for p in WEB_FILES)
        if name in web["inputs"] or f"apps/web/{name}" in global_files
    }
    assert flagged == {p.rsplit("/", 1)[1] for p in WEB_FILES} - hashed, case

    # The stale replay itself: edit each file; the hash moves exactly for the hashed ones.
    for path in WEB_FILES:
        name = path.rsplit("/", 1)[1]
        original = (root / path).read_text(encoding="utf-8")
        (root / path).write_text(original + "EXTRA=1\n", encoding="utf-8")
        edited = task(dry(root, "--filter=@acme/web"), WEB_BUILD)["hash"]
        (root / path).write_text(original, encoding="utf-8")
        assert (edited == web["hash"]) == (name in flagged), (case, name)


def test_uncached_tasks_are_never_replayed(tmp_path: Path) -> None:
    _require("git")
    root = workspace(tmp_path, {"turbo.json": turbo_json({"build": {"cache": False}})})
    _, doc = check(root / "apps" / "web")
    assert found(doc, "EC801") == []
    assert (
        task(dry(root, "--filter=@acme/web"), WEB_BUILD)["resolvedTaskDefinition"]["cache"] is False
    )


# -- EC802 / EC806: what a strict-mode task sees and hashes ----------------------------------

NEEDS = {
    "apps/web/.env.example": "STRIPE_KEY=\nSENTRY_DSN=\nCI=\nPORT=\n",
    "apps/admin/.env.example": "STRIPE_KEY=\n",
}
PROCESS = {
    "STRIPE_KEY": EXPORTED,
    "SENTRY_DSN": "https://dsn.example.invalid/1",
    "CI": "1",
    "PORT": "3000",
    "NEXT_PUBLIC_FLAG": "on",
    "VITE_FLAG": "on",
}
PUBLIC = ("NEXT_PUBLIC_", "VITE_")


def _root_script(args: str) -> str:
    data = json.loads((NPM_TURBO / "package.json").read_text(encoding="utf-8"))
    data["scripts"]["build"] = f"turbo run build {args}".strip()
    return json.dumps(data)


_ALL = {"PORT", "SENTRY_DSN", "STRIPE_KEY"}
# case -> (files, turbo arguments, what web's build then lacks, what it sees but does not hash);
# the last two are what envcheck says and the test checks against turbo (they keep it non-vacuous).
ENV_CASES: dict[str, tuple[dict[str, str], tuple[str, ...], set[str], set[str]]] = {
    "strict default": ({}, (), _ALL, set()),
    "env wildcards and negation": (
        {"turbo.json": turbo_json({"build": {**BUILD, "env": ["S*", "!SENTRY_*", "PORT"]}})},
        (),
        {"SENTRY_DSN"},
        set(),
    ),
    "globalEnv": (
        {"turbo.json": turbo_json({"build": BUILD}, globalEnv=["STRIPE_KEY"])},
        (),
        {"PORT", "SENTRY_DSN"},
        set(),
    ),
    "passThroughEnv": (
        {"turbo.json": turbo_json({"build": {**BUILD, "passThroughEnv": ["*_KEY", "VITE_*"]}})},
        (),
        {"PORT", "SENTRY_DSN"},
        set(),
    ),
    "globalPassThroughEnv": (
        {"turbo.json": turbo_json({"build": BUILD}, globalPassThroughEnv=["SENTRY_DSN"])},
        (),
        {"PORT", "STRIPE_KEY"},
        set(),
    ),
    "negated inference": (
        {"turbo.json": turbo_json({"build": {**BUILD, "env": ["!NEXT_PUBLIC_*", "!VITE_FLAG"]}})},
        (),
        _ALL,
        {"NEXT_PUBLIC_FLAG"},
    ),
    "root envMode loose": (
        {"turbo.json": turbo_json({"build": BUILD}, envMode="loose")},
        (),
        set(),
        set(),
    ),
    "task envMode loose": (
        {"turbo.json": turbo_json({"build": {**BUILD, "envMode": "loose"}})},
        (),
        set(),
        set(),
    ),
    "task strict beats root loose": (
        {"turbo.json": turbo_json({"build": {**BUILD, "envMode": "strict"}}, envMode="loose")},
        (),
        _ALL,
        set(),
    ),
    "--env-mode=loose": (
        {"package.json": _root_script("--env-mode=loose")},
        ("--env-mode=loose",),
        set(),
        set(),
    ),
    "--framework-inference=false": (
        {"package.json": _root_script("--framework-inference=false")},
        ("--framework-inference=false",),
        _ALL,
        {"NEXT_PUBLIC_FLAG"},
    ),
    "loose without inference": (
        {
            "package.json": _root_script("--framework-inference=false"),
            "turbo.json": turbo_json({"build": BUILD}, envMode="loose"),
        },
        ("--framework-inference=false",),
        set(),
        {"NEXT_PUBLIC_FLAG"},
    ),
}


def _said(doc: dict[str, Any], code: str) -> set[str]:
    return {f["key"] for f in found(doc, code) if "`turbo run build`" in f["message"]}


@pytest.mark.parametrize("case", list(ENV_CASES))
def test_what_envcheck_says_strict_mode_hides_is_what_the_task_lacks(
    tmp_path: Path, case: str
) -> None:
    _require("node", "git", "npm")
    files, args, web_hidden, web_unhashed = ENV_CASES[case]
    root = workspace(tmp_path, {**NEEDS, **files})
    turbo(root, "run", "build", "--force", *args, env=PROCESS)
    baseline = dry(root, *args, env=PROCESS)
    for app, task_id in (("web", WEB_BUILD), ("admin", ADMIN_BUILD)):
        _, doc = check(root / "apps" / app, PROCESS)
        seen = set(json.loads((root / "apps" / app / "env-keys.json").read_text("utf-8")))
        needed = {k for k in PROCESS if k.startswith(PUBLIC) and k.startswith(_prefix(app))}
        needed |= _schema_keys(root / "apps" / app)
        hidden = _said(doc, "EC802")
        if app == "web":
            assert (hidden, _said(doc, "EC806")) == (web_hidden, web_unhashed), case
        assert hidden == {k for k in needed if k not in seen}, (case, app)

        # hashed: changing the value moves the task hash
        public = sorted(k for k in needed if k.startswith(PUBLIC))
        for key in public:
            other = dry(root, *args, env={**PROCESS, key: "changed"})
            hashed = task(other, task_id)["hash"] != task(baseline, task_id)["hash"]
            assert (key in _said(doc, "EC806")) == (key in seen and not hashed), (case, key)


def _prefix(app: str) -> str:
    return "NEXT_PUBLIC_" if app == "web" else "VITE_"


def _schema_keys(app: Path) -> set[str]:
    text = (app / ".env.example").read_text(encoding="utf-8")
    return {line.split("=", 1)[0] for line in text.splitlines() if "=" in line}


def test_the_builtin_pass_through_list_is_what_turbo_passes(tmp_path: Path) -> None:
    _require("node", "git", "npm")
    root = workspace(tmp_path, {"turbo.json": turbo_json({"build": {"cache": False}})})
    harmless = {"LD_PRELOAD": "", "LD_LIBRARY_PATH": "", "NODE_OPTIONS": "", "SHELL": "/bin/sh"}
    listed = {n.replace("*", "ZZCHECK"): harmless.get(n, "x") for n in BUILTIN_PASS_THROUGH}
    for name in ("PATH", "HOME", "TMPDIR"):
        listed.pop(name, None)  # kept at their real values
    # npm runs the script through /bin/sh, which drops names that are not identifiers.
    assert listed.pop("ProgramFiles(x86)") == "x"
    unlisted = {"NODE_ENV": "production", "PORT": "1", "DATABASE_URL": "x", "XDG_CONFIG_HOME": "x"}
    turbo(root, "run", "build", "--filter=@acme/web", env={**listed, **unlisted})
    seen = set(json.loads((root / "apps/web/env-keys.json").read_text("utf-8")))
    assert set(listed) - seen == set()
    assert set(unlisted) & seen == set()
    assert not any(env_matches(n, BUILTIN_PASS_THROUGH) for n in unlisted)


def test_the_framework_table_is_turbos(tmp_path: Path) -> None:
    _require("git")
    from envcheck.rules.turbo_checks import _framework_wildcards

    files: dict[str, str] = {}
    wanted: dict[str, str] = {}
    variables: dict[str, str] = {}
    for slug, wildcards, _strategy, deps in FRAMEWORKS:
        package = {
            "name": f"fw-{slug}",
            "scripts": {"build": "node -e 0"},
            "dependencies": dict.fromkeys(deps, "1.0.0"),
        }
        files[f"packages/fw-{slug}/package.json"] = json.dumps(package)
        assert _framework_wildcards(package) == wildcards
        wanted[f"fw-{slug}#build"] = slug
        variables.update({w.replace("*", "ZZCHECK"): "1" for w in wildcards})
    files["packages/fw-mixed/package.json"] = json.dumps(  # the first match wins
        {
            "name": "fw-mixed",
            "scripts": {"build": "node -e 0"},
            "dependencies": {"vite": "1", "@sveltejs/kit": "1"},
        }
    )
    wanted["fw-mixed#build"] = "sveltekit"
    root = workspace(tmp_path, files)
    doc = dry(root, env=variables)
    for task_id, slug in wanted.items():
        got = task(doc, task_id)
        assert got["framework"] == slug, task_id
        package = json.loads((root / got["directory"] / "package.json").read_text("utf-8"))
        expected = {v for v in variables if env_matches(v, _framework_wildcards(package))}
        assert names(got["environmentVariables"]["inferred"]) == expected, task_id


# -- EC803 / EC805: configs turbo refuses ---------------------------------------------------


V1_CONFIGS = {
    "pipeline": '{\n  "pipeline": {"build": {}}\n}\n',
    "globalDotEnv": '{\n  "globalDotEnv": [".env"],\n  "tasks": {"build": {}}\n}\n',
    "experimentalUI": '{\n  "experimentalUI": true,\n  "tasks": {"build": {}}\n}\n',
    "experimentalSpaces": '{\n  "tasks": {"build": {}},\n  "experimentalSpaces": {"id": "x"}\n}\n',
    "dotEnv": '{\n  "tasks": {\n    "build": {"dotEnv": [".env"]}\n  }\n}\n',
    "outputMode": '{\n  "tasks": {\n    "build": {"outputMode": "full"}\n  }\n}\n',
}


def test_every_v1_key_is_tried() -> None:
    assert set(V1_CONFIGS) == {*_V1_TOP, *_V1_TASK}


@pytest.mark.parametrize("key", [*_V1_TOP, *_V1_TASK])
def test_turbo_refuses_each_key_envcheck_calls_v1(tmp_path: Path, key: str) -> None:
    _require("git")
    root = workspace(tmp_path, {"turbo.json": V1_CONFIGS[key]})
    proc = turbo(root, "run", "build", "--dry=json", ok=False)
    assert proc.returncode != 0 and f"`{key}`" in proc.stderr
    _, doc = check(root / "apps" / "web")
    (flagged,) = found(doc, "EC803")
    assert f'"{key}"' in flagged["message"]
    if key != "pipeline":  # turbo points at the unknown key, as envcheck does
        where = re.search(r"\[turbo\.json:(\d+):(\d+)\]", proc.stderr)
        assert where is not None
        assert (flagged["line"], flagged["col"]) == (int(where[1]), int(where[2]))


JSONC = [
    '{"tasks": {"build": {}},}',
    '// c\n{"tasks": {"build": {"outputs": ["a",],},},}',
    '/* c */ {"tasks": {"build": {}}}',
    '{"tasks": {"build": {"env": ["A//B", "C/* not a comment */"]}}}',
    '{"tasks": {"build": {"outputs": ["\\u00e9\\t"]}}}',
    '{"tasks": {"build": {"cache": false, "cache": true}}}',
    "{'tasks': {}}",
    '{tasks: {"build": {}}}',
    '{"tasks": {"build": {}}} x',
    "",
    '{"tasks": {"build": {}}',
    '{"tasks": {"build": {"outputs": ["a" "b"]}}}',
    '{"tasks": {"build": {"cache": tru}}}',
    '{"tasks": {"build": {"outputs": ["\\q"]}}}',
    '{"tasks": {"build": {"outputs": ["a\nb"]}}}',
    '{"tasks": {"build": {}},,}',
    '{"tasks": {"build": {"outputs": [,]}}}',
    '{"tasks": {"build": {}}} /* open',
]


@pytest.mark.parametrize("text", JSONC)
def test_turbo_and_envcheck_accept_the_same_jsonc(tmp_path: Path, text: str) -> None:
    _require("git")
    root = workspace(tmp_path, {"turbo.json": text})
    proc = turbo(root, "run", "build", "--dry=json", ok=False)
    refused = (
        "invalid JSON" in proc.stderr or "Unable to read repository configuration" in proc.stderr
    )
    assert refused or proc.returncode == 0, proc.stderr[-2000:]
    _, doc = check(root / "apps" / "web")
    assert bool(found(doc, "EC805")) == refused, proc.stderr[-2000:]
