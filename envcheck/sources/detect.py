"""Which profile a project directory uses, from the files that declare its tools.

Read from package.json dependencies, then pyproject.toml / requirements.txt,
then an Nx ``project.json``'s executors (``@nx/next:build``, ``@nx/vite:build``),
then a Gemfile (Ruby's dotenv, dotenv-rails).  A Wasp project (``main.wasp``,
``main.wasp.ts``, ``.wasproot``) is ``wasp`` before any of them.
A folder with ``bun.lock`` / ``bun.lockb`` and no framework dependency gets
the ``bun`` profile.  A folder with a compose file and no app framework gets
the ``compose`` profile.  A folder that declares nothing is not guessed to be any framework: it gets
the ``plain`` profile (the process environment, plus a ``.env`` read as plain
dotenv), which is what a container or CI job with injected variables is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from envcheck.sources.checkout import read_text

# package.json dependency -> profile, first match wins.
_NODE_MARKERS = (
    ("next", "nextjs"),
    ("astro", "astro"),
    ("@sveltejs/kit", "sveltekit"),
    ("vite", "vite"),
    ("react-scripts", "cra"),
    # dotenvx injects into the process env: a framework above still reads its own files.
    ("@dotenvx/dotenvx", "dotenvx"),
    ("dotenv-flow", "dotenv-flow"),
    ("dotenv", "dotenv"),
)
# docker compose's file names, defined here (light) so that detection, the compose loader
# and the readers of a file ask one tuple without importing the loader.
COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
_BUN_LOCKS = ("bun.lock", "bun.lockb")
_DENO_CONFIGS = ("deno.json", "deno.jsonc")
# A Gemfile line `gem "name"` (not commented out).
_GEM = r"""(?m)^[ \t]*gem[ \t(]+["']([\w.-]+)["']"""  # compiled by the first Gemfile read
_PYTHON_MARKERS = (
    # django-environ's Env.read_env reads .env itself, even when compose starts the app.
    ("django-environ", "django-environ"),
    ("pydantic-settings", "pydantic-settings"),
    ("python-dotenv", "python-dotenv"),
)
# Where a Python project names its dependencies (requirements/*.txt: cookiecutter-django).
_PYTHON_MANIFESTS = ("pyproject.toml", "requirements.txt", "Pipfile")
_REQUIREMENT_GLOBS = ("requirements*.txt", "requirements/*.txt")
_MAX_REQUIREMENT_FILES = 8  # a checkout with thousands of them costs no more than this


def _python_manifests(project_dir: Path) -> list[str]:
    """The dependency files to read, fixed names first, then a few requirements files."""
    extra = sorted(
        str(p.relative_to(project_dir))
        for pattern in _REQUIREMENT_GLOBS
        for p in project_dir.glob(pattern)
        if p.name != "requirements.txt" or p.parent != project_dir
    )
    return [*_PYTHON_MANIFESTS, *extra[:_MAX_REQUIREMENT_FILES]]


def _read_json(path: Path) -> Mapping[str, object]:
    import json  # only here: a configured framework never reads package.json

    from envcheck.sources.structured import json_loads  # bounded nesting

    try:
        data = json_loads(read_text(path, within=path.parent))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}  # an unreadable package.json is the app's problem, not a reason to stop
    return data if isinstance(data, dict) else {}


def _runs_node_env_file(package: Mapping[str, object]) -> bool:
    """A script starts the app with Node's own ``--env-file`` (and no loader package)."""
    scripts = package.get("scripts")
    if not isinstance(scripts, dict):
        return False
    from envcheck.sources.scripts import find_invocations  # only for such a package.json

    return any(
        inv.tool == "node"
        for command in scripts.values()
        if isinstance(command, str) and "--env-file" in command
        for inv in find_invocations(command)
    )


def _ruby_profile(gemfile: Path) -> str | None:
    """``dotenv-rails``, or ``dotenv`` in a Rails app (3.x loads its Railtie): ``dotenv-rails``.

    ``dotenv`` without Rails: ``ruby-dotenv`` (``Dotenv.load`` reads ``.env``).
    """
    try:
        text = read_text(gemfile, within=gemfile.parent)
    except (OSError, UnicodeDecodeError):
        return None
    gems = {m.group(1) for m in re.finditer(_GEM, text)}
    if "dotenv-rails" in gems or ("dotenv" in gems and "rails" in gems):
        return "dotenv-rails"
    return "ruby-dotenv" if "dotenv" in gems else None


# An Nx project.json target's executor -> profile (Nx apps often have no package.json).
_NX_EXECUTORS = (("next:", "nextjs"), ("vite:", "vite"))


def _nx_profile(project: Path) -> str | None:
    """The framework an Nx project builds with, read from its targets' ``executor``."""
    if not project.is_file():
        return None
    targets = _read_json(project).get("targets")
    if not isinstance(targets, dict):
        return None
    executors = [t.get("executor") for t in targets.values() if isinstance(t, dict)]
    for marker, profile in _NX_EXECUTORS:
        for executor in executors:
            if isinstance(executor, str) and executor.startswith(("@nx/", "@nrwl/")):
                if executor.split("/", 1)[1].startswith(marker):
                    return profile
    return None


# What makes a folder a Wasp (wasp-lang) project: its spec, ``main.wasp`` (``main.wasp.ts``
# in TypeScript; ``main.wasp.mts`` in its first TypeScript specs), or the ``.wasproot``
# marker ``wasp new`` writes beside it.  Its package.json names no framework the app runs:
# the ``wasp`` CLI starts it (``wasp start``), with files of its own (``.env.server``,
# ``.env.client``).
WASP_FILES = (".wasproot", "main.wasp", "main.wasp.ts", "main.wasp.mts")


def is_wasp_app(folder: Path) -> bool:
    """Whether ``folder`` is a Wasp project (:data:`WASP_FILES`): a ``stat`` or four."""
    return any((folder / name).is_file() for name in WASP_FILES)


def detect(project_dir: Path) -> str:
    """The profile a project uses, from package.json or pyproject.toml; else ``plain``.

    A Wasp project is ``wasp`` before any dependency decides: open-saas lists ``vite``
    (Wasp's client is built with it), yet Vite never reads its env files.
    """
    if is_wasp_app(project_dir):
        return "wasp"
    package = project_dir / "package.json"
    if package.is_file():
        data = _read_json(package)
        deps: set[str] = set()
        for section in ("dependencies", "devDependencies", "peerDependencies"):
            value = data.get(section)
            if isinstance(value, dict):
                deps.update(value)
        for dep, profile in _NODE_MARKERS:
            if profile in _FRAMEWORK_PROGRAMS and dep in deps and _may_run(profile, data):
                return profile
        scripted = _scripted_framework(data)
        if scripted is not None:
            return scripted
        for dep, profile in _NODE_MARKERS:
            if profile not in _FRAMEWORK_PROGRAMS and dep in deps:
                return profile
    nx_profile = _nx_profile(project_dir / "project.json")
    if nx_profile is not None:
        return nx_profile
    for name in _python_manifests(project_dir):
        path = project_dir / name
        if path.is_file():
            try:
                text = read_text(path, within=project_dir).lower()
            except (OSError, UnicodeDecodeError):
                continue
            if name == "pyproject.toml":
                import tomllib  # only here: a Node project never pays for it

                from envcheck.sources.structured import toml_loads  # bounded nesting

                try:
                    toml_loads(text)
                except tomllib.TOMLDecodeError:
                    continue
            for dep, profile in _PYTHON_MARKERS:
                if dep in text or dep.replace("-", "_") in text:
                    return profile
    ruby = _ruby_profile(project_dir / "Gemfile")
    if ruby is not None:
        return ruby
    package_data = _read_json(package) if package.is_file() else {}
    runtime = _script_runtime(package_data)
    if runtime is not None:
        # What starts the app decides before what merely exists: ``bun run src/index.ts``
        # loads .env with Bun's own parser, ``deno run --env-file`` with Deno's.
        return runtime
    if any((project_dir / name).is_file() for name in _BUN_LOCKS):
        # Bun's own lock file and no framework dependency: the app runs under bun,
        # which loads the env files itself.  (A Next.js or Vite app installed with
        # bun keeps its framework's profile: the framework loads the files.)
        return "bun"
    if any((project_dir / name).is_file() for name in _DENO_CONFIGS):
        return "deno"  # Deno loads env files only through --env-file
    if package_data and _is_node_app(package_data):
        return "node" if _runs_node_env_file(package_data) else "dotenv"
    if any((project_dir / name).is_file() for name in COMPOSE_FILES):
        return "compose"  # no app framework, but compose starts it: what compose hands over
    return "plain"


# A web framework's profile -> the programs that run it from a script.
_FRAMEWORK_PROGRAMS = {
    "nextjs": ("next",),
    # React Router 7 (`react-router dev`), Remix (`remix vite:dev`) and vinxi serve with Vite
    "vite": ("vite", "react-router", "remix", "vinxi"),
    "sveltekit": ("svelte-kit", "vite"),
    "astro": ("astro",),
    "cra": ("react-scripts",),
}


def _may_run(profile: str, package: Mapping[str, object]) -> bool:
    """Whether the package can be the framework app its dependency names: a script runs
    the framework's program, or a start script runs a Node program (a custom Next.js
    server loads the env files too), or it has no scripts to say otherwise.  homarr's
    workspace root lists ``vite`` for vitest and runs ``pnpm -F nextjs dev``: read as a
    Vite app, its ``.env`` got Vite's parser, and findings no reader of the file has."""
    runners = _FRAMEWORK_PROGRAMS.get(profile)
    scripts = package.get("scripts")
    if runners is None or not isinstance(scripts, dict) or not scripts:
        return True
    ran = _script_words(package) & set(runners)
    return bool(ran) or any(p in _NODE_STARTERS for p in _start_programs(package))


def _scripted_framework(package: Mapping[str, object]) -> str | None:
    """The framework a script runs by its own program, where no framework dependency
    decided: postiz's root package.json holds every dependency (pnpm hoists them), and
    ``apps/frontend`` only scripts ``dotenv -e ../../.env -- next dev``."""
    words = _script_words(package)
    for profile, runners in _FRAMEWORK_PROGRAMS.items():
        if runners[0] in words:
            return profile
    return None


def _script_words(package: Mapping[str, object]) -> set[str]:
    """Every word of the package's scripts, not only the programs they start: a package
    manager forwards the rest to a script (homarr's `pnpm with-env next dev`, documenso's
    `npm run with:env -- react-router dev`), as dotenv-cli does after `--`."""
    scripts = package.get("scripts")
    if not isinstance(scripts, dict):
        return set()
    return {
        word.strip("\"'()")
        for command in scripts.values()
        if isinstance(command, str)
        for word in re.split(r"[\s;&|]+", command)
    }


# Programs whose presence in a script means a Node program is started.
_NODE_STARTERS = frozenset({"node", "nodemon", "ts-node", "ts-node-dev", "tsx", "node-dev", "pm2"})
# The scripts that start the app, in the order a developer runs them.
_START_SCRIPTS = ("dev", "start", "serve", "develop")


def _start_programs(package: Mapping[str, object]) -> list[str]:
    """The programs the app's start scripts run (``bun run src/index.ts`` -> ``bun``)."""
    scripts = package.get("scripts")
    if not isinstance(scripts, dict):
        return []
    from envcheck.sources.scripts import programs  # only for a package.json with scripts

    return [
        name
        for script in _START_SCRIPTS
        if isinstance(command := scripts.get(script), str)
        for name in programs(command)
    ]


def _script_runtime(package: Mapping[str, object]) -> str | None:
    """``bun`` or ``deno`` when the app's start script runs it (no framework dependency)."""
    for program in _start_programs(package):
        if program in ("bun", "bunx"):
            return "bun"
        if program == "deno":
            return "deno"
    return None


def _is_node_app(package: Mapping[str, object]) -> bool:
    """Whether package.json describes a Node program, not tooling beside another stack.

    A Python or compose project often carries a package.json for prettier,
    husky or a docs tool; that does not make it a Node dotenv app.  A Node
    app has runtime dependencies, a ``main``/``bin`` entry, or a start script
    that runs a Node program.
    """
    deps = package.get("dependencies")
    if isinstance(deps, dict) and deps:
        return True
    if package.get("main") or package.get("bin"):
        return True
    return any(p in _NODE_STARTERS for p in _start_programs(package))
