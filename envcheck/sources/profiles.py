"""Framework profiles: the one table of how each framework loads env files.

Each profile says which files it reads for a mode (highest priority first),
which dialect parses them, which loader combines them with the process
environment, and which prefixes ship values to the browser.  Loaders are
``"module:function"`` strings resolved on use.  Every row was checked
against the framework's own source (see the loader modules' docstrings).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Protocol, cast

from envcheck.errors import ConfigError
from envcheck.model import FrozenRecord
from envcheck.sources.types import LoadRequest, LoadResult

Loader = Callable[..., LoadResult]  # a loader function: (parsed, process_env, *, mode, ...)


class Load(Protocol):
    """The one way to run a framework's loader: :meth:`Profile.load` satisfies it."""

    def __call__(self, request: LoadRequest, /) -> LoadResult: ...


class FileRule(FrozenRecord):
    """One candidate file name (``{mode}`` substituted) and the modes that skip it."""

    __slots__ = ("template", "skip_modes")
    template: str
    skip_modes: tuple[str, ...]

    def __init__(self, template: str, skip_modes: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "skip_modes", skip_modes)

    def name(self, mode: str) -> str | None:
        if mode in self.skip_modes:
            return None
        return self.template.format(mode=mode)


class Profile(FrozenRecord):
    """How one framework loads env files.

    ``dialect`` is a key of ``envcheck.sources.readers.DIALECTS``; ``loader``
    is ``"module:function"``; ``files`` are highest priority first;
    ``explicit_order`` is how ``--env-file`` lists combine;
    ``test_forced_by_node_env``: NODE_ENV=test beats the requested mode.
    ``resolver``: ``"module:function"`` for a tool whose files are named by
    its own config rather than by ``files`` (compose); it replaces discovery
    and loading (see :func:`envcheck.sources.resolve.resolve`).
    ``mode_function``: ``"module:function"`` ``(mode, process_env) -> mode``
    for a tool that picks its mode files by rules of its own (Bun: only
    development / production / test, read from ``BUN_ENV`` / ``NODE_ENV``).
    ``inherits_process``: False for a tool that starts the app in a fresh
    environment (docker, compose), where the shell's variables never arrive.
    ``script_tool``: the files come from the command that starts the app, a
    package.json script running this tool (``node --env-file=F``, ``deno run
    --env-file``; see :func:`envcheck.sources.scripts.script_env_files`),
    else ``files``.
    ``reads_directory``: the loader looks for files beside the env files
    (dotenvx's ``.env.keys``), so :meth:`load` hands it the project directory.
    ``separate_files``: each file is another process's, not a layer of one
    environment (Wasp: ``.env.server`` the server's, ``.env.client`` the
    client's), so the schema is every file's template, not one of them.
    """

    __slots__ = (
        "name",
        "title",
        "dialect",
        "loader",
        "files",
        "public_prefixes",
        "explicit_order",
        "mode_vars",
        "test_forced_by_node_env",
        "resolver",
        "mode_function",
        "script_tool",
        "inherits_process",
        "reads_directory",
        "separate_files",
    )
    name: str
    title: str
    dialect: str
    loader: str
    files: tuple[FileRule, ...]
    public_prefixes: tuple[str, ...]
    explicit_order: str
    mode_vars: tuple[str, ...]
    test_forced_by_node_env: bool
    resolver: str | None
    mode_function: str | None
    script_tool: str | None
    inherits_process: bool
    reads_directory: bool
    separate_files: bool

    def __init__(
        self,
        name: str,
        title: str,
        dialect: str,
        loader: str,
        files: tuple[FileRule, ...],
        public_prefixes: tuple[str, ...] = (),
        explicit_order: str = "first-wins",
        mode_vars: tuple[str, ...] = ("NODE_ENV",),
        test_forced_by_node_env: bool = False,
        resolver: str | None = None,
        mode_function: str | None = None,
        script_tool: str | None = None,
        inherits_process: bool = True,
        reads_directory: bool = False,
        separate_files: bool = False,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "dialect", dialect)
        object.__setattr__(self, "loader", loader)
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "public_prefixes", public_prefixes)
        object.__setattr__(self, "explicit_order", explicit_order)
        object.__setattr__(self, "mode_vars", mode_vars)
        object.__setattr__(self, "test_forced_by_node_env", test_forced_by_node_env)
        object.__setattr__(self, "resolver", resolver)
        object.__setattr__(self, "mode_function", mode_function)
        object.__setattr__(self, "script_tool", script_tool)
        object.__setattr__(self, "inherits_process", inherits_process)
        object.__setattr__(self, "reads_directory", reads_directory)
        object.__setattr__(self, "separate_files", separate_files)

    def effective_mode(self, mode: str, process_env: Mapping[str, str]) -> str:
        """The mode the framework really loads (Next.js and CRA: NODE_ENV=test wins)."""
        if self.mode_function is not None:
            module, _, attr = self.mode_function.partition(":")
            choose = cast(
                Callable[[str, Mapping[str, str]], str],
                getattr(importlib.import_module(module), attr),
            )
            return choose(mode, process_env)
        if self.test_forced_by_node_env and process_env.get("NODE_ENV") == "test":
            return "test"
        return mode

    def candidates(self, mode: str) -> list[str]:
        return [n for f in self.files if (n := f.name(mode)) is not None]

    def skipped(self, mode: str) -> dict[str, str]:
        """Files this framework deliberately does not read in ``mode``, and why."""
        return {
            f.template.format(mode=mode): f"{self.title} does not read it when the mode is {mode}"
            for f in self.files
            if mode in f.skip_modes
        }

    def load_function(self) -> Loader:
        module, _, attr = self.loader.partition(":")
        return cast(Loader, getattr(importlib.import_module(module), attr))

    def load(self, request: LoadRequest) -> LoadResult:
        """Run this framework's loader on ``request`` (the :class:`Load` protocol).

        The row says what the loader takes: the directory only where
        ``reads_directory`` (never found by looking at the function's
        parameters), the command's options as keywords.
        """
        where = {"project_dir": request.project_dir} if self.reads_directory else {}
        return self.load_function()(
            list(request.parsed),
            request.process_env,
            mode=request.mode,
            **where,
            **request.options,
        )


_LOCAL_NOT_IN_TEST = FileRule(".env.local", ("test",))
_NEXT_FILES = (
    FileRule(".env.{mode}.local"),
    _LOCAL_NOT_IN_TEST,
    FileRule(".env.{mode}"),
    FileRule(".env"),
)

_VITE_FILES = (
    FileRule(".env.{mode}.local"),
    FileRule(".env.{mode}"),
    FileRule(".env.local"),
    FileRule(".env"),
)

PROFILES: dict[str, Profile] = {
    p.name: p
    for p in (
        Profile(
            "nextjs",
            "Next.js",
            "node",
            "envcheck.sources.loaders.node:load_nextjs",
            _NEXT_FILES,
            ("NEXT_PUBLIC_",),
            test_forced_by_node_env=True,
        ),
        Profile(
            "cra",
            "Create React App",
            "node-cra",
            "envcheck.sources.loaders.node:load_cra",
            _NEXT_FILES,
            ("REACT_APP_",),
            test_forced_by_node_env=True,
        ),
        Profile(
            "vite",
            "Vite",
            "nodeutil",
            "envcheck.sources.loaders.vite:load_vite",
            _VITE_FILES,
            ("VITE_",),
        ),
        # Astro and SvelteKit load env files through Vite's loadEnv (same files,
        # parser and expansion); only what reaches the browser differs.
        Profile(
            "astro",
            "Astro (Vite)",
            "nodeutil",
            "envcheck.sources.loaders.vite:load_vite",
            _VITE_FILES,
            ("PUBLIC_",),
        ),
        Profile(
            "sveltekit",
            "SvelteKit (Vite)",
            "nodeutil",
            "envcheck.sources.loaders.vite:load_vite",
            _VITE_FILES,
            ("PUBLIC_", "VITE_"),
        ),
        # Wasp: two processes, a file each (envcheck.sources.loaders.wasp); `wasp build`
        # reads neither (the host's variables and the build command's instead).
        Profile(
            "wasp",
            "Wasp",
            "node",
            "envcheck.sources.loaders.wasp:load_wasp",
            (FileRule(".env.server", ("production",)), FileRule(".env.client", ("production",))),
            ("REACT_APP_",),
            mode_vars=(),  # `wasp start` is development whatever NODE_ENV says
            reads_directory=True,  # a .env beside the files: Wasp warns it is never read
            separate_files=True,
        ),
        Profile(
            "dotenv-flow",
            "dotenv-flow",
            "node",
            "envcheck.sources.loaders.node:load_dotenv_flow",
            (
                FileRule(".env.{mode}.local"),
                FileRule(".env.{mode}"),
                _LOCAL_NOT_IN_TEST,
                FileRule(".env"),
                FileRule(".env.defaults"),
            ),
        ),
        Profile(
            "dotenv",
            "Node dotenv",
            "node",
            "envcheck.sources.loaders.node:load_dotenv",
            (FileRule(".env"),),
        ),
        Profile(
            "dotenv-expand",
            "Node dotenv + dotenv-expand",
            "node",
            "envcheck.sources.loaders.node:load_dotenv_expand",
            (FileRule(".env"),),
        ),
        Profile(
            "python-dotenv",
            "python-dotenv",
            "python",
            "envcheck.sources.loaders.python:load_python_dotenv",
            (FileRule(".env"),),
            mode_vars=("APP_ENV", "ENV"),
        ),
        Profile(
            "pydantic-settings",
            "pydantic-settings",
            "python",
            "envcheck.sources.loaders.python:load_pydantic_settings",
            (FileRule(".env"),),
            explicit_order="last-wins",
            mode_vars=("APP_ENV", "ENV"),
        ),
        Profile(
            "django-environ",
            "django-environ (Env.read_env)",
            "django-environ",
            "envcheck.sources.loaders.django_environ:load_django_environ",
            (FileRule(".env"),),
            mode_vars=("APP_ENV", "ENV"),
        ),
        Profile(
            "dotenv-rails",
            "Rails (dotenv-rails)",
            "ruby",
            "envcheck.sources.loaders.rails:load_dotenv_rails",
            _NEXT_FILES,  # the same four files and order as Next.js (rails.rb)
            mode_vars=("RAILS_ENV", "RACK_ENV"),
            reads_directory=True,  # dotenv < 3 re-reads the file's text (legacy escapes)
        ),
        Profile(
            "ruby-dotenv",
            "Ruby dotenv (Dotenv.load)",
            "ruby",
            "envcheck.sources.loaders.rails:load_dotenv_rails",
            (FileRule(".env"),),
            mode_vars=("RACK_ENV", "APP_ENV"),
            reads_directory=True,  # dotenv < 3 re-reads the file's text (legacy escapes)
        ),
        Profile(
            "bun",
            "Bun",
            "bun",
            "envcheck.sources.loaders.bun:load_bun",
            _NEXT_FILES,
            explicit_order="last-wins",
            mode_vars=("BUN_ENV", "NODE_ENV"),
            mode_function="envcheck.sources.loaders.bun:bun_mode",
        ),
        Profile(
            "node",
            "Node --env-file",
            "nodeutil22",
            "envcheck.sources.loaders.node_env_file:load_node_env_file",
            (FileRule(".env"),),
            explicit_order="last-wins",
            script_tool="node",
        ),
        Profile(
            "deno",
            "Deno --env-file",
            "deno",
            "envcheck.sources.loaders.deno:load_deno",
            (FileRule(".env"),),
            explicit_order="last-wins",
            mode_vars=(),
            script_tool="deno",
        ),
        Profile(
            "dotenvx",
            "dotenvx run",
            "dotenvx",
            "envcheck.sources.loaders.dotenvx:load_dotenvx",
            (FileRule(".env"),),
            mode_vars=("DOTENV_ENV", "NODE_ENV"),
            script_tool="dotenvx",  # -f, --overload, -fk, --convention from the script
            reads_directory=True,  # .env.keys beside the env files
        ),
        Profile(
            "dotenvx-nextjs",
            "dotenvx run --convention nextjs",
            "dotenvx",
            "envcheck.sources.loaders.dotenvx:load_dotenvx_nextjs",
            _NEXT_FILES,
            mode_vars=("DOTENV_ENV", "NODE_ENV"),
            reads_directory=True,  # .env.keys beside the env files
        ),
        Profile(
            "dotenvx-flow",
            "dotenvx run --convention flow",
            "dotenvx",
            "envcheck.sources.loaders.dotenvx:load_dotenvx_flow",
            (
                FileRule(".env.{mode}.local"),
                FileRule(".env.{mode}"),
                FileRule(".env.local"),
                FileRule(".env"),
                FileRule(".env.defaults"),
            ),
            mode_vars=("DOTENV_ENV", "NODE_ENV"),
            reads_directory=True,  # .env.keys beside the env files
        ),
        Profile(
            "plain",
            "no framework (process environment, .env as plain dotenv)",
            "node",
            "envcheck.sources.loaders.node:load_dotenv",
            (FileRule(".env"),),
            mode_vars=("NODE_ENV", "APP_ENV", "ENV"),
        ),
        Profile(
            "docker",
            "docker run --env-file",
            "docker",
            "envcheck.sources.loaders.docker:load_docker",
            (FileRule(".env"),),
            explicit_order="last-wins",
            mode_vars=(),
            resolver="envcheck.sources.loaders.docker:resolve_docker",
            inherits_process=False,
        ),
        Profile(
            "compose",
            "docker compose",
            "compose",
            "envcheck.sources.loaders.compose:load_compose_files",
            (),
            mode_vars=(),
            resolver="envcheck.sources.loaders.compose:resolve_compose",
            inherits_process=False,
        ),
    )
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ConfigError(
            f"unknown framework {name!r}",
            hint=f"use one of: auto, {', '.join(PROFILES)}",
        ) from None


DEFAULT_MODE = "development"


def choose_mode(profile: Profile, requested: str | None, environ: Mapping[str, str]) -> str:
    """The mode asked for: ``--mode``, else the profile's mode variable, else development.

    The framework may still override it (Next.js forces ``test`` when
    ``NODE_ENV=test``); :func:`envcheck.sources.resolve.resolve` applies that.
    """
    if requested:
        return requested
    for var in profile.mode_vars:
        if environ.get(var):
            return environ[var]
    return DEFAULT_MODE
