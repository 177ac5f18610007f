"""The Turborepo checks (EC801-EC806), imported only when a turbo.json was found.

:mod:`envcheck.rules.turbo` holds the rules and finds the root on the cold
path of every ``envcheck check``; this module does the work for an app in a
Turborepo workspace.  Every fact about turbo's behaviour here was checked
against the real ``turbo`` (tests/rules/test_turbo_oracle.py, docs/turborepo.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from envcheck.model import Finding, Location, Related
from envcheck.rules.base import CheckContext
from envcheck.rules.turbo_config import (
    JsonError,
    Node,
    Task,
    TurboFile,
    env_excluded,
    env_matches,
    glob_matches,
    parse_jsonc,
    plain,
    resolve_task,
)
from envcheck.rules.turbo_rules import EC801, EC802, EC803, EC804, EC805, EC806, Located
from envcheck.sources.checkout import read_bytes, read_text

if TYPE_CHECKING:
    from envcheck.rules.gitfiles import Started

# Variables every task sees in strict mode without being listed: turbo 2.11's
# built-in pass-through list (its Rust source, as strings in the binary); a real
# `turbo run` passes each of them (tests/rules/test_turbo_oracle.py).
BUILTIN_PASS_THROUGH = (
    "HOME",
    "PATH",
    "SHELL",
    "TERM",
    "LANG",
    "COLORTERM",
    "TZ",
    "USER",
    "TMPDIR",
    "TMP",
    "TEMP",
    "CI",
    "DISPLAY",
    "XAUTHORITY",
    "DBUS_SESSION_BUS_ADDRESS",
    "XDG_DATA_*",
    "XDG_RUNTIME_DIR",
    "COREPACK_*",
    "LD_LIBRARY_PATH",
    "LD_PRELOAD",
    "DYLD_FALLBACK_LIBRARY_PATH",
    "DYLD_INSERT_LIBRARIES",
    "LIBPATH",
    "NODE_OPTIONS",
    "FORCE_COLOR",
    "NO_COLOR",
    "ELECTRON_RUN_AS_NODE",
    "WINDIR",
    "COMSPEC",
    "PATHEXT",
    "SYSTEMROOT",
    "SYSTEMDRIVE",
    "HOMEDRIVE",
    "APPDATA",
    "LOCALAPPDATA",
    "USERPROFILE",
    "ProgramFiles",
    "ProgramFiles(x86)",
    "PNPM_HOME",
    "NPM_CONFIG_STORE_DIR",
    "pnpm_config_verify_deps_before_run",
    "JB_INTERPRETER",
    "_JETBRAINS_TEST_RUNNER_RUN_SCOPE_TYPE",
    "USE_OUTPUT_FOR_EDGE_FUNCTIONS",
    "NOW_BUILDER",
    "VERCEL_ANALYTICS_ID",
    "VERCEL_TARGET_ENV",
    "TURBO_*",
    "NEXT_*",
    "VERCEL_*",
    "GITHUB_*",
    "RUNNER_*",
    "VSCODE_*",
    "DOCKER_*",
    "BUILDKIT_*",
    "COMPOSE_*",
    "JB_IDE_*",
    "NIX_*",
    "__NIXOS_*",
)

# Hosting platforms' variables that turbo infers for Nitro and Nuxt apps.
_NITRO_HOSTS = (
    "AWS_APP_ID",
    "INPUT_AZURE_STATIC_WEB_APPS_API_TOKEN",
    "CLEAVR",
    "CF_PAGES",
    "FIREBASE_APP_HOSTING",
    "NETLIFY",
    "STORMKIT",
    "NOW_BUILDER",
    "ZEABUR",
    "RENDER",
)

# Turborepo's framework inference (its frameworks.json, in its order: the first
# match wins): slug, the wildcards added to env, "all"/"some", the dependencies.
FRAMEWORKS: tuple[tuple[str, tuple[str, ...], str, tuple[str, ...]], ...] = (
    ("astro", ("PUBLIC_*",), "all", ("astro",)),
    ("blitzjs", ("NEXT_PUBLIC_*",), "all", ("blitz",)),
    ("create-react-app", ("REACT_APP_*",), "some", ("react-scripts", "react-dev-utils")),
    ("expo", ("EXPO_PUBLIC_*",), "all", ("expo",)),
    ("gatsby", ("GATSBY_*",), "all", ("gatsby",)),
    ("nextjs", ("NEXT_PUBLIC_*", "NEXT_DEPLOYMENT_ID"), "all", ("next",)),
    (
        "nitro",
        ("NITRO_*", "SERVER_*", *_NITRO_HOSTS),
        "some",
        ("nitropack", "nitropack-nightly", "nitro", "nitro-nightly"),
    ),
    (
        "nuxtjs",
        ("NUXT_*", "NUXT_ENV_*", "NITRO_*", "SERVER_*", *_NITRO_HOSTS, "LAUNCH_EDITOR"),
        "some",
        ("nuxt", "nuxt-edge", "nuxt3", "nuxt3-edge"),
    ),
    ("redwoodjs", ("REDWOOD_ENV_*",), "all", ("@redwoodjs/core",)),
    ("remix", ("REMIX_*",), "some", ("@remix-run/dev", "@remix-run/react", "@remix-run/serve")),
    ("sanity", ("SANITY_STUDIO_*",), "all", ("@sanity/cli",)),
    ("solidstart", ("VITE_*",), "all", ("solid-js", "solid-start")),
    ("sveltekit", ("VITE_*", "PUBLIC_*"), "all", ("@sveltejs/kit",)),
    ("vite", ("VITE_*",), "all", ("vite",)),
    ("vue", ("VUE_APP_*", "LAUNCH_EDITOR"), "all", ("@vue/cli-service",)),
)

# Profiles that find a parent folder's .env themselves, or get no env files
# from a framework at all: EC804 does not apply.
_READS_PARENTS = frozenset({"deno", "python-dotenv", "docker", "compose"})
_VITE_CONFIGS = tuple(
    f"vite.config.{ext}" for ext in ("js", "mjs", "cjs", "ts", "mts", "cts")
) + tuple(f"{name}.config.{ext}" for name in ("astro", "svelte") for ext in ("js", "mjs", "ts"))
_NEXT_CONFIGS = tuple(f"next.config.{ext}" for ext in ("js", "mjs", "cjs", "ts", "mts"))

_DEFAULT = "$TURBO_DEFAULT$"
_ROOT = "$TURBO_ROOT$/"
_STALE_HINT = (
    'add the env files to the task\'s inputs: "inputs": ["$TURBO_DEFAULT$", ".env*"] '
    '(or list them in "globalDependencies")'
)


def run(
    ctx: CheckContext, located: Located, files: list[str], git: Started | None
) -> Iterator[Finding]:
    """Every Turborepo finding for the app in ``ctx`` (``files``: its env files)."""
    root, problem = _load(ctx, located.root_config)
    if problem is not None:
        yield problem
    package = None
    if located.package_config is not None:
        package, problem = _load(ctx, located.package_config)
        if problem is not None:
            yield problem
    if not _pins_turbo_1(located.root_dir):
        for config in (root, package):
            if config is not None:
                yield from _v1_keys(config)
    if root is None or located.root_dir == Path(os.path.abspath(ctx.project_dir)):
        return  # the root package itself: its tasks are //#task, not checked here
    app = _read_json(ctx.project_dir / "package.json")
    tasks = _env_tasks(_tasks(root, package, app), app)
    if tasks:
        statuses = _git_status(ctx, files, git)
        stale_tasks = [t for t in tasks if _task_reads_app_env(ctx, t.name, app)]
        yield from _stale_inputs(ctx, root, stale_tasks, files, statuses, located)
        yield from _env_checks(ctx, root, tasks, app, located)
    yield from root_env(ctx, located.root_dir)


# -- the checks ------------------------------------------------------------------


def _shown(ctx: CheckContext, path: Path) -> str:
    """A path as findings show it: relative to the app (``../../turbo.json``)."""
    rel = os.path.relpath(path, os.path.abspath(ctx.project_dir))
    return rel.replace(os.sep, "/")


def _load(ctx: CheckContext, path: Path) -> tuple[TurboFile | None, Finding | None]:
    shown = _shown(ctx, path)
    try:
        text = read_text(path, within=path.parent)
    except (OSError, UnicodeDecodeError) as err:
        why = err.strerror if isinstance(err, OSError) else "not UTF-8"
        return None, EC805.finding(f"cannot be read ({why}): turbo refuses to run", Location(shown))
    try:
        root = parse_jsonc(text)
    except JsonError as err:
        return None, EC805.finding(
            f"not valid JSONC ({err.message}): turbo refuses to run",
            Location(shown, err.line, err.col),
            hint="fix the syntax at this position (comments and trailing commas are allowed)",
        )
    if not isinstance(root.value, dict):
        return None, EC805.finding("not a JSON object: turbo refuses to run", Location(shown, 1, 1))
    return TurboFile(shown, root), None


def _read_json(path: Path) -> dict[str, Any]:
    """A package.json as plain data; empty when it is missing or broken (turbo reports it)."""
    try:
        node = parse_jsonc(read_text(path, within=path.parent))
    except (OSError, UnicodeDecodeError, JsonError):
        return {}
    value = plain(node)
    return value if isinstance(value, dict) else {}


def _tasks(root: TurboFile, package: TurboFile | None, app: Mapping[str, Any]) -> list[Task]:
    """The turbo tasks of the app: its package.json scripts that a turbo.json defines."""
    scripts = app.get("scripts")
    name = app.get("name")
    if not isinstance(scripts, dict) or not isinstance(name, str):
        return []
    return [t for s in scripts if (t := resolve_task(root, package, name, s)) is not None]


def _env_tasks(tasks: list[Task], app: Mapping[str, Any]) -> list[Task]:
    """The tasks whose script may read the environment: not ``eslint .``, ``tsc --noEmit``.

    A lint, format or type-check task reads no env file and needs no key, so
    neither a stale cache of it (EC801) nor a key strict mode hides from it
    (EC802) matters.
    """
    from envcheck.sources.scripts import reads_no_env_files

    scripts = app.get("scripts")
    if not isinstance(scripts, dict):
        return tasks
    return [
        t
        for t in tasks
        if not (isinstance(s := scripts.get(t.name), str) and reads_no_env_files(s))
    ]


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# EC803 -------------------------------------------------------------------------

# key -> (what 2.0 did to it, the replacement); each refused by turbo 2.11 ("Found
# `pipeline` field instead of `tasks`", "Found an unknown key `dotEnv`";
# tests/rules/test_turbo_oracle.py).  ``{files}`` is the key's own list of files.
_V1_TOP = {
    "pipeline": ('renamed to "tasks" in Turborepo 2.0', 'rename "pipeline" to "tasks"'),
    "globalDotEnv": (
        "removed in Turborepo 2.0: env files are plain inputs",
        'list the files in "globalDependencies": [{files}]',
    ),
    "experimentalUI": ('renamed to "ui" in Turborepo 2.0', 'use "ui": "tui" (or "stream")'),
    "experimentalSpaces": ("removed in Turborepo 2.0", 'delete "experimentalSpaces"'),
}
_V1_TASK = {
    "dotEnv": (
        "removed in Turborepo 2.0: env files are plain inputs",
        'put the files in the task\'s inputs: "inputs": ["$TURBO_DEFAULT$", {files}]',
    ),
    "outputMode": (
        'renamed to "outputLogs" in Turborepo 2.0',
        'rename "outputMode" to "outputLogs"',
    ),
}


def _pins_turbo_1(root_dir: Path) -> bool:
    """Whether the root package.json pins turbo 1.x, whose keys (``pipeline``) are then right.

    EC803 is about what turbo 2 refuses; a repository that installs turbo 1
    runs its 1.x keys as written.  ``^1.13.0``, ``~1.10``, ``1.x``: major 1.
    """
    package = _read_json(root_dir / "package.json")
    for field in ("devDependencies", "dependencies"):
        deps = package.get(field)
        spec = deps.get("turbo") if isinstance(deps, dict) else None
        if isinstance(spec, str):
            m = re.match(r"\s*(?:npm:turbo@)?[\^~=v]*\s*(\d+)", spec)
            return m is not None and m.group(1) == "1"
    return False


def _v1_keys(config: TurboFile) -> Iterator[Finding]:
    for key, (why, fix) in _V1_TOP.items():
        node = config.root.get(key)
        if node is not None:
            yield _v1_finding(config, key, node, why, fix)
    tasks = config.tasks()
    for task, body in tasks.value.items() if tasks is not None else ():
        for key, (why, fix) in _V1_TASK.items():
            node = body.get(key)
            if node is not None:
                yield _v1_finding(config, key, node, f"{why} (task {task!r})", fix)


def _v1_finding(config: TurboFile, key: str, node: Node, why: str, fix: str) -> Finding:
    listed = node.strings() or [".env"]
    files = ", ".join('"' + f.replace("\\", "\\\\").replace('"', '\\"') + '"' for f in listed)
    return EC803.finding(
        f'the Turborepo 1.x key "{key}", which turbo 2 refuses: {why}',
        Location(config.path, node.line, node.col),
        hint=f"{fix.format(files=files)} (`npx @turbo/codemod migrate` does it)",
    )


# EC801 -------------------------------------------------------------------------


# Profiles whose env files a library in the app's own code loads when the app runs
# (``import 'dotenv/config'``, ``load_dotenv()``): no build step of theirs reads the
# files, unlike Next.js or Vite, whose build inlines them.
_RUNTIME_LOADED = frozenset(
    {
        "dotenv", "dotenv-expand", "dotenv-flow", "python-dotenv", "pydantic-settings",
        "django-environ", "dotenv-rails", "ruby-dotenv",
    }
)  # fmt: skip
# Programs that only compile or copy the app's code: they never run it, so never
# run the code that loads its env file (``nest build`` is tsc with Nest's assets).
_COMPILE_ONLY = frozenset({"tsc", "swc", "babel", "tsup", "tsc-alias", "copyfiles", "cpx"})
_COMPILE_ONLY_SUBCOMMANDS = frozenset({("nest", "build")})
_PACKAGE_MANAGERS = frozenset({"npm", "pnpm", "yarn", "bun"})
# A node script's text that may load an env file or run code that does.
_LOADS_CODE = re.compile(r"dotenv|env-file|loadEnv|require\(\s*['\"]\.|from\s+['\"]\.|import\(")


def _task_reads_app_env(ctx: CheckContext, task: str, app: Mapping[str, Any]) -> bool:
    """Whether the app's script for ``task`` may read the app's env files.

    An app whose own code loads its env file at run time (Node dotenv,
    python-dotenv) has it read only by a task that runs that code.  A build of
    ``nest build && node scripts/copy-types.js`` compiles and copies: its
    cached output cannot hold a value of the file, so EC801 has nothing to say
    (Hexabot).  Anything unknown may run the code, so it keeps the finding.

    Whatever the framework, a task that only runs jest reads no env file unless its
    config says so (:func:`_jest_may_load`): jest has no env loader of its own, and a
    Vite or CRA app's ``.env`` is read by their dev server and build, not by jest
    (Flowise's ``test``).  Vitest is not one: it resolves the Vite config, which loads
    ``.env`` / ``.env.test`` for mode ``test`` into ``import.meta.env``.
    """
    scripts = app.get("scripts")
    command = scripts.get(task) if isinstance(scripts, dict) else None
    if isinstance(command, str) and _runs_only_jest(ctx.project_dir, app, command):
        return False
    if ctx.profile.name not in _RUNTIME_LOADED:
        return True
    if not isinstance(scripts, dict):
        return True
    return _script_may_load(ctx.project_dir, scripts, task, set())


_JEST_CONFIGS = tuple(f"jest.config.{s}" for s in ("js", "ts", "mjs", "cjs", "cts", "mts", "json"))
# A jest config that may put an env file's values into the run: it names a loader, Next.js's
# `next/jest` (loadEnvConfig), a setup file, or a preset other than ts-jest (jest-expo's
# Babel preset inlines EXPO_PUBLIC_* values) -- whose code is not followed here.
_JEST_LOADS = re.compile(
    r"dotenv|env-file|loadEnv|next/jest|@next/env"
    r"|\b(?:setupFiles(?:AfterEnv)?|globalSetup)\b"
    r"|\bpreset['\"]?\s*:\s*['\"](?!ts-jest['\"])"
)


def _runs_only_jest(project_dir: Path, app: Mapping[str, Any], command: str) -> bool:
    """``jest``, ``jest --coverage``: every part of ``command`` is jest, given only flags
    that name no file, with a config that loads no env file (:func:`_jest_may_load`)."""
    from envcheck.sources.scripts import calls

    parts = calls(command)
    if not parts or any(program != "jest" for program, _ in parts):
        return False
    for _, args in parts:
        for arg in args:  # a test path, `--config x`, `--setupFiles x`: not followed
            if not arg.startswith("--") or "config" in arg or "setup" in arg:
                return False
    return not _jest_may_load(project_dir, app)


def _jest_may_load(project_dir: Path, app: Mapping[str, Any]) -> bool:
    """Whether the package's jest config (``jest.config.*``, ``package.json``'s ``jest``)
    may load an env file; an unreadable one may."""
    texts = [repr(app["jest"])] if "jest" in app else []
    for name in _JEST_CONFIGS:
        path = project_dir / name
        if not os.path.isfile(path):
            continue
        try:
            texts.append(read_text(path, within=project_dir))
        except (OSError, UnicodeDecodeError):
            return True
    return any(_JEST_LOADS.search(text) for text in texts)


def _script_may_load(
    project_dir: Path, scripts: Mapping[str, Any], name: str, seen: set[str]
) -> bool:
    from envcheck.sources.scripts import calls, reads_no_env_files

    command = scripts.get(name)
    if not isinstance(command, str) or name in seen:
        return isinstance(command, str)
    seen.add(name)
    if reads_no_env_files(command):
        return False
    for program, args in calls(command):
        if program in _COMPILE_ONLY or (program, *args[:1]) in _COMPILE_ONLY_SUBCOMMANDS:
            continue
        if reads_no_env_files(program):
            continue
        if program in _PACKAGE_MANAGERS and args:
            sibling = args[1] if args[0] == "run" and len(args) > 1 else args[0]
            if sibling in scripts and len(args) <= (2 if args[0] == "run" else 1):
                if _script_may_load(project_dir, scripts, sibling, seen):
                    return True
                continue
        if program == "node" and len(args) == 1 and not _node_script_may_load(project_dir, args[0]):
            continue
        return True
    return False


def _node_script_may_load(project_dir: Path, script: str) -> bool:
    """Whether ``node script`` may load an env file: it names a loader or imports code."""
    path = project_dir / script
    try:
        text = read_text(path, within=project_dir)
    except (OSError, UnicodeDecodeError):
        return True
    return _LOADS_CODE.search(text) is not None


def _git_status(ctx: CheckContext, files: list[str], git: Started | None) -> dict[str, str]:
    if not files or (ctx.enabled is not None and EC801.code not in ctx.enabled):
        return {}
    from envcheck.rules import gitfiles

    return gitfiles.status(ctx.project_dir, files, started=git)


def _task_mode(ctx: CheckContext, task: str) -> str:
    """The mode a task runs the framework in: build -> production, test -> test."""
    if task.startswith("build"):
        return "production"
    if task.startswith("test"):
        return "test"
    return ctx.resolution.mode


def _read_files(ctx: CheckContext, existing: list[str], mode: str) -> list[str]:
    """The app's env files the framework reads in ``mode`` (in the app's own folder)."""
    wanted = set(ctx.profile.candidates(mode))
    if mode == ctx.resolution.mode:
        wanted.update(f for f in ctx.resolution.files if "/" not in f)
    return [f for f in existing if f in wanted]


def _stale_inputs(
    ctx: CheckContext,
    root: TurboFile,
    tasks: list[Task],
    existing: list[str],
    statuses: Mapping[str, str],
    located: Located,
) -> Iterator[Finding]:
    from envcheck.rules.gitfiles import IGNORED, TRACKED, UNTRACKED

    app_rel = os.path.relpath(os.path.abspath(ctx.project_dir), located.root_dir)
    app_rel = app_rel.replace(os.sep, "/")
    global_deps = _strings(plain(g)) if (g := root.root.get("globalDependencies")) else []

    def matches(name: str, pattern: str) -> bool:
        if pattern.startswith(_ROOT):
            return glob_matches(f"{app_rel}/{name}", pattern[len(_ROOT) :])
        return glob_matches(name, pattern)

    def in_global(name: str) -> bool:
        path = f"{app_rel}/{name}"
        positive = [g for g in global_deps if not g.startswith("!")]
        negative = [g[1:] for g in global_deps if g.startswith("!")]
        return any(glob_matches(path, g) for g in positive) and not any(
            glob_matches(path, g) for g in negative
        )

    for task in tasks:
        if not task.cached() or task.value("dotEnv") is not None:
            continue  # nothing replayed, or EC803 already says how to hash the files
        inputs = _strings(task.value("inputs"))
        default = not inputs or _DEFAULT in inputs
        positive = [p for p in inputs if p != _DEFAULT and not p.startswith("!")]
        negative = [p[1:] for p in inputs if p.startswith("!")]
        missing: list[tuple[str, str]] = []
        for name in _read_files(ctx, existing, _task_mode(ctx, task.name)):
            if in_global(name):
                continue
            excluded_by = next((p for p in negative if matches(name, p)), None)
            if excluded_by is not None:
                missing.append((name, f'excluded by "!{excluded_by}" in "inputs"'))
                continue
            if any(matches(name, p) for p in positive):
                continue
            status = statuses.get(name)
            if default and status in (TRACKED, UNTRACKED):
                continue
            if default and status is None:
                continue  # git cannot tell: say nothing rather than guess
            why = (
                "git-ignored, and the default inputs hash only files git does not ignore"
                if default and status == IGNORED
                else 'not matched by "inputs"'
            )
            missing.append((name, why))
        if missing:
            path, line, col = task.where("inputs")
            files = "an env file" if len(missing) == 1 else f"{len(missing)} env files"
            yield EC801.finding(
                f"`turbo run {task.name}` does not hash {files} the app reads: after an edit "
                f"turbo replays the cached {task.name} with the old values",
                Location(path, line, col),
                key=None,
                hint=_STALE_HINT,
                related=(Related(Location(n), f"not hashed: {why}") for n, why in missing),
            )


# EC802 / EC806 -----------------------------------------------------------------


def _framework_wildcards(app: Mapping[str, Any]) -> tuple[str, ...]:
    """The env wildcards turbo infers for the app's framework (the first match wins)."""
    deps: set[str] = set()
    for field in ("dependencies", "devDependencies"):
        block = app.get(field)
        if isinstance(block, dict):
            deps.update(block)
    for _slug, wildcards, strategy, needs in FRAMEWORKS:
        hit = all(d in deps for d in needs) if strategy == "all" else any(d in deps for d in needs)
        if hit:
            return wildcards
    return ()


def _turbo_flags(located: Located, app: Mapping[str, Any]) -> list[str]:
    """The package.json scripts (the root's and the app's) that run turbo."""
    found: list[str] = []
    for data in (_read_json(located.root_dir / "package.json"), app):
        scripts = data.get("scripts")
        commands = scripts.values() if isinstance(scripts, dict) else ()
        found.extend(c for c in commands if isinstance(c, str) and "turbo" in c)
    return found


def _flag(commands: list[str], flag: str, value: str) -> bool:
    return any(f"{flag}={value}" in c or f"{flag} {value}" in c for c in commands)


def _run_env_mode(ctx: CheckContext, root: TurboFile, commands: list[str]) -> str:
    """The env mode of a run before a task's own ``envMode``: flag / variable, else turbo.json.

    Checked with the real turbo: ``--env-mode`` and ``TURBO_ENV_MODE`` beat
    the root's ``envMode``; a task's ``envMode`` beats all of them.
    """
    variable = ctx.process_env.get("TURBO_ENV_MODE", "").lower()
    if variable in ("loose", "strict"):
        return variable
    for mode in ("loose", "strict"):
        if _flag(commands, "--env-mode", mode):
            return mode
    node = root.root.get("envMode")
    return node.value if node is not None and node.value in ("loose", "strict") else "strict"


def _task_env_mode(task: Task, run_mode: str) -> str:
    mode = task.value("envMode")
    return mode if mode in ("loose", "strict") else run_mode


def _needed(ctx: CheckContext) -> dict[str, bool]:
    """Keys the app gets from the process environment alone -> is it browser-public.

    Schema keys without a default and variables under the framework's
    public prefix, when the process sets them and no env file of the app
    does (a file is read by the framework inside the task, whatever turbo
    passes; a key set nowhere is EC301's).
    """
    prefixes = tuple(ctx.profile.public_prefixes)
    out: dict[str, bool] = {}
    declared = getattr(ctx.schema, "keys", None) or {}
    for name, spec in declared.items():
        if getattr(spec, "default", None) is None and name in ctx.process_env:
            out[name] = bool(prefixes) and name.startswith(prefixes)
    if prefixes:
        out.update({k: True for k in ctx.process_env if k.startswith(prefixes)})
    variables = ctx.resolution.vars
    for name in list(out):
        res = variables.get(name)
        if res is not None and (
            not res.origin.is_process or any(not o.is_process for o in res.shadowed)
        ):
            del out[name]  # an env file sets it
    return out


def _env_checks(
    ctx: CheckContext, root: TurboFile, tasks: list[Task], app: Mapping[str, Any], located: Located
) -> Iterator[Finding]:
    needed = _needed(ctx)
    if not needed:
        return
    commands = _turbo_flags(located, app)
    run_mode = _run_env_mode(ctx, root, commands)
    global_env = _strings(plain(n)) if (n := root.root.get("globalEnv")) else []
    global_pass = _strings(plain(n)) if (n := root.root.get("globalPassThroughEnv")) else []
    inference_off = _flag(commands, "--framework-inference", "false")
    inferred = () if inference_off else _framework_wildcards(app)
    hidden: dict[str, list[Task]] = {}
    unhashed: dict[str, list[Task]] = {}
    for task in tasks:
        env = _strings(task.value("env"))
        passing = _strings(task.value("passThroughEnv"))
        for name, public in needed.items():
            hashed = env_matches(name, env) or env_matches(name, global_env)
            if not hashed and inferred and not env_excluded(name, [*env, *global_env]):
                hashed = env_matches(name, inferred)
            seen = (
                hashed
                or _task_env_mode(task, run_mode) == "loose"
                or env_matches(name, passing)
                or env_matches(name, global_pass)
                or env_matches(name, BUILTIN_PASS_THROUGH)
            )
            if not seen:
                hidden.setdefault(name, []).append(task)
            elif public and not hashed and task.cached():
                unhashed.setdefault(name, []).append(task)
    for name, where in hidden.items():
        yield _hidden_finding(ctx, name, needed[name], where)
    for name, where in unhashed.items():
        path, line, col = where[0].where("passThroughEnv")
        yield EC806.finding(
            f"{name} reaches {_runs(where)} but is not part of the cache key (it is only "
            "passed through): the build inlines it into the bundle, so a changed value "
            "replays a bundle built with the old one",
            Location(path, line, col),
            key=name,
            hint=f'add "{name}" to the task\'s "env" (or "globalEnv"), not "passThroughEnv"',
        )


def _runs(tasks: list[Task]) -> str:
    return " and ".join(f"`turbo run {t.name}`" for t in tasks)


def _hidden_finding(ctx: CheckContext, name: str, public: bool, tasks: list[Task]) -> Finding:
    path, line, col = tasks[0].where("env")
    if public:
        hint = f'add "{name}" to the task\'s "env" (it is inlined at build: it must be hashed)'
    else:
        hint = (
            f'add "{name}" to the task\'s "env" or "globalEnv" ("passThroughEnv" if a change '
            'must not invalidate the cache), or set "envMode": "loose"'
        )
    return EC802.finding(
        f"{name} is set in the process environment (no env file of the app sets it), but "
        f"Turborepo's strict env mode hides it from {_runs(tasks)}: "
        'it is in none of "env", "passThroughEnv", "globalEnv", "globalPassThroughEnv" '
        "and the framework does not infer it",
        Location(path, line, col),
        key=name,
        hint=hint,
    )


# EC804 -------------------------------------------------------------------------


def _loads_elsewhere(profile_loader: str, project_dir: Path) -> bool:
    """The app's config points its env loading at another folder (perhaps the root).

    Vite's ``envDir`` and Next's ``loadEnvConfig(dir)`` (from ``@next/env``,
    called in next.config) are not evaluated: the rule stays quiet instead.
    """
    if "vite" in profile_loader:
        names, marker = _VITE_CONFIGS, b"envDir"
    elif profile_loader.endswith(":load_nextjs"):
        names, marker = _NEXT_CONFIGS, b"loadEnvConfig"
    else:
        return False
    for name in names:
        try:
            if marker in read_bytes(project_dir / name, within=project_dir):
                return True
        except OSError:
            continue
    return False


def _app_keys(ctx: CheckContext) -> set[str]:
    """Keys the app says it needs: the schema's required keys without a default, else its
    ``.env.example``'s keys (a template the schema did not come from still lists needs)."""
    from envcheck.rules.envfiles import template_names
    from envcheck.sources.resolve import parse_file

    mode = ctx.resolution.mode
    declared = getattr(ctx.schema, "keys", None) or {}
    keys = {
        name
        for name, spec in declared.items()
        if spec.is_required(mode) and getattr(spec, "default", None) is None
    }
    if declared:
        return keys
    for name in template_names(ctx.project_dir):
        parsed = parse_file(
            ctx.project_dir / name, name, ctx.profile.dialect, within=ctx.project_dir
        )
        if parsed is not None:
            keys.update(e.key for e in parsed.entries)
    return keys


def _root_env_names(root_dir: Path) -> list[str]:
    """The root's env files, listed once per run (every app of a workspace run asks)."""
    from envcheck.rules.envfiles import env_file_names
    from envcheck.sources.checkout import many_apps_memo

    memo = many_apps_memo(f"{__name__}.root-env")
    key = os.fspath(root_dir)
    if key not in memo:
        memo[key] = tuple(env_file_names(root_dir))
    return list(cast("tuple[str, ...]", memo[key]))


def root_env(ctx: CheckContext, root_dir: Path) -> Iterator[Finding]:
    """EC804 for the app at ``ctx.project_dir`` under the workspace root ``root_dir``."""
    if ctx.enabled is not None and EC804.code not in ctx.enabled:
        return
    profile = ctx.profile
    if profile.name in _READS_PARENTS or profile.resolver is not None:
        return
    names = set(profile.candidates(ctx.resolution.mode)) or {".env"}
    root_files = [n for n in _root_env_names(root_dir) if n in names]
    if root_files:
        app_dir = os.path.abspath(ctx.project_dir)
        read = {os.path.normpath(os.path.join(app_dir, f)) for f in ctx.resolution.files}
        root_files = [n for n in root_files if os.path.normpath(root_dir / n) not in read]
    # A root with no env file to miss ends here, before the app's config files are probed.
    if not root_files or _loads_elsewhere(profile.loader, ctx.project_dir):
        return
    wanted = _app_keys(ctx)
    lacking = {k for k in wanted if k not in ctx.resolution.vars and k not in ctx.process_env}
    if not lacking:
        return
    from envcheck.sources.resolve import parse_file

    done: set[str] = set()
    for name in root_files:
        shown = _shown(ctx, root_dir / name)
        parsed = parse_file(root_dir / name, shown, profile.dialect, within=root_dir)
        if parsed is None:
            continue
        for key, entry in parsed.last_entries().items():
            if key in lacking and key not in done:
                done.add(key)
                yield EC804.finding(
                    f"{key} is set in the workspace root's file, but {profile.title} "
                    f"reads env files only from the app's own folder, so the app has no {key}",
                    Location(shown, entry.line, entry.col),
                    key=key,
                    hint=_load_hint(ctx, shown),
                )


def _load_hint(ctx: CheckContext, shown: str) -> str:
    folder = shown.rsplit("/", 1)[0] + "/" if "/" in shown else "./"
    if "vite" in ctx.profile.loader:
        return (
            f"set envDir: '{folder}' in vite.config (Vite then reads its env files from there), "
            f"or copy / symlink {shown} into the app"
        )
    scripts = _read_json(ctx.project_dir / "package.json").get("scripts")
    dev = scripts.get("dev") if isinstance(scripts, dict) else None
    if isinstance(dev, str) and dev and "dotenv" not in dev:
        example = f'"dev": "dotenv -e {shown} -- {dev}"'
    else:
        example = f"dotenv -e {shown} -- <command>"
    return (
        f"load it in the app's scripts with dotenv-cli ({example}), "
        f"or copy / symlink {shown} into the app"
    )
