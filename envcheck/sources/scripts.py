"""What a project's package.json says about how the app is started: its env-loading commands.

Runtimes such as Node (``node --env-file``) and Deno (``deno run
--env-file``) load no file unless the command that starts the app names one,
and that command usually lives in package.json ``scripts``.  This module
reads those scripts *as text* (nothing is run, no subprocess) and finds the
env-loading invocations in them -- ``node --env-file[-if-exists]``, ``deno
run --env-file[=F]``, ``bun --env-file``, ``dotenvx run -f``, ``dotenv -e``
(dotenv-cli) and ``env-cmd -f`` -- as typed :class:`Invocation` records,
files in command-line order.  Profiles whose files "come from the scripts"
(``Profile.script_tool``) get them through :func:`script_env_files`.

It also reads the project's declared Node version (``.nvmrc``,
``.node-version``, ``engines.node``) to pick the Node parser dialect: Node's
env-file parser changed between 20 and 22 (:func:`node_dialect`).

A script's command is never stored or shown: it may hold an inline secret
(``API_KEY=sk-… node app.js``).  Only tool names, flags and file names are.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from envcheck.model import FrozenRecord, Record
from envcheck.sources.checkout import inside_project, named_path_problem, read_text
from envcheck.sources.types import Problem

__all__ = [
    "Invocation",
    "ScriptEnvFiles",
    "ScriptScan",
    "find_invocations",
    "inline_keys_for_tool",
    "node_dialect",
    "pick",
    "read_scripts",
    "script_env_files",
]

TOOLS = ("node", "deno", "bun", "dotenvx", "dotenv-cli", "env-cmd")
# Commands that run the next word as the real command.
_WRAPPERS = frozenset(
    {"cross-env", "cross-env-shell", "env", "exec", "npx", "bunx", "time", "nice", "nohup"}
)
# Node options that take the next word as their value (so it is not the script).
_NODE_VALUE_FLAGS = frozenset(
    {"-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions",
     "--input-type", "--title", "--env-file", "--env-file-if-exists", "--inspect-port",
     "--max-old-space-size", "--stack-size", "--experimental-config-file"}
)  # fmt: skip
_SEPARATOR = re.compile(r"^[;&|()]+$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# Preferred script per mode; else the first script with an invocation of the tool.
_MODE_SCRIPTS: Mapping[str, tuple[str, ...]] = {
    "development": ("dev", "develop", "start:dev"),
    "production": ("start", "start:prod", "prod"),
    "test": ("test",),
}
_LTS = {
    "argon": 4, "boron": 6, "carbon": 8, "dubnium": 10, "erbium": 12, "fermium": 14,
    "gallium": 16, "hydrogen": 18, "iron": 20, "jod": 22, "krypton": 24,
}  # fmt: skip
NEWEST_NODE = 22  # the newest Node whose env-file parser envcheck reproduces


class Invocation(FrozenRecord):
    """One env-loading command in one package.json script.

    ``files`` are as written, in the order the tool reads or ranks them
    (Deno: bare ``--env-file`` first, as Deno lists them); ``optional`` the
    ones the tool skips when missing; ``flags`` the other options that change
    loading (``--overload``, ``--convention=nextjs``, ``-c=production``).
    """

    __slots__ = ("tool", "script", "files", "optional", "flags")
    tool: str
    script: str
    files: tuple[str, ...]
    optional: tuple[str, ...]
    flags: tuple[str, ...]

    def __init__(
        self,
        tool: str,
        script: str,
        files: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
        flags: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "tool", tool)
        object.__setattr__(self, "script", script)
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "optional", optional)
        object.__setattr__(self, "flags", flags)

    def _flag_value(self, name: str) -> str | None:
        prefix = name + "="
        return next((f[len(prefix) :] for f in self.flags if f.startswith(prefix)), None)

    @property
    def overload(self) -> bool:
        """dotenvx ``--overload`` / ``-o`` (dotenv-cli ``-o``): the files beat the process env."""
        return "--overload" in self.flags or "--override" in self.flags

    @property
    def convention(self) -> str | None:
        """dotenvx ``--convention nextjs|flow``: the convention's files, loaded before ``-f``."""
        return self._flag_value("--convention")

    @property
    def env_keys_file(self) -> str | None:
        """dotenvx ``-fk`` / ``--env-keys-file``: the private keys' file (default ``.env.keys``)."""
        return self._flag_value("--env-keys-file")


class ScriptScan(Record):
    """Every invocation found in package.json, in script order, and what went wrong reading it."""

    __slots__ = ("invocations", "problems")
    invocations: list[Invocation]
    problems: list[Problem]

    def __init__(
        self, invocations: list[Invocation] | None = None, problems: list[Problem] | None = None
    ) -> None:
        self.invocations = [] if invocations is None else invocations
        self.problems = [] if problems is None else problems


class ScriptEnvFiles(Record):
    """What the resolver needs from the scripts for one profile and mode.

    ``paths`` highest priority first (dotenvx: load order, the loader applies
    ``--overload``); ``required`` the ones whose absence stops the tool;
    ``dialect`` the parser the declared runtime version implies (None: the
    profile's own); ``notes`` where they came from; ``options`` what the
    command line tells the loader (dotenvx: ``overload``, ``keys_file``,
    ``convention``).
    """

    __slots__ = ("paths", "required", "dialect", "notes", "options")
    paths: list[Path]
    required: set[Path]
    dialect: str | None
    notes: list[Problem]
    options: dict[str, object]

    def __init__(
        self,
        paths: list[Path],
        required: set[Path] | None = None,
        dialect: str | None = None,
        notes: list[Problem] | None = None,
        options: dict[str, object] | None = None,
    ) -> None:
        self.paths = paths
        self.required = set() if required is None else required
        self.dialect = dialect
        self.notes = [] if notes is None else notes
        self.options = {} if options is None else options


# -- reading package.json ------------------------------------------------------


def _package(project_dir: Path) -> tuple[Mapping[str, object], list[Problem]]:
    import json  # only here: most profiles never read package.json's scripts

    path = project_dir / "package.json"
    try:
        text = read_text(path, within=project_dir)
    except FileNotFoundError:
        return {}, []
    except (OSError, UnicodeDecodeError) as err:
        why = err.strerror if isinstance(err, OSError) else "not UTF-8"
        return {}, [Problem("invalid-package-json", f"cannot read package.json: {why}", path.name)]
    from envcheck.sources.structured import json_loads  # bounded nesting

    try:
        data = json_loads(text)
    except json.JSONDecodeError as err:
        return {}, [
            Problem(
                "invalid-package-json",
                f"package.json is not valid JSON ({err.msg}); its scripts are not read",
                path.name,
                err.lineno,
                err.colno,
            )
        ]
    return (data if isinstance(data, dict) else {}), []


def read_scripts(project_dir: Path) -> ScriptScan:
    """Every env-loading invocation in ``project_dir/package.json``; never raises."""
    data, problems = _package(project_dir)
    scripts = data.get("scripts")
    scan = ScriptScan(problems=problems)
    if isinstance(scripts, dict):
        for name, command in scripts.items():
            if isinstance(name, str) and isinstance(command, str):
                scan.invocations.extend(find_invocations(command, name))
    return scan


def pick(invocations: Sequence[Invocation], tool: str, mode: str) -> Invocation | None:
    """The invocation of ``tool`` that starts the app in ``mode``.

    ``dev`` for development, ``start`` for production, a script named like
    the mode otherwise; else the first script that runs the tool.
    """
    mine = [i for i in invocations if i.tool == tool]
    for name in (*_MODE_SCRIPTS.get(mode, ()), mode):
        for inv in mine:
            if inv.script == name:
                return inv
    return mine[0] if mine else None


# -- reading one command ---------------------------------------------------------


def _words(command: str) -> list[str]:
    """Shell words of ``command``, with ``&&``/``|``/``;`` as words of their own."""
    import shlex

    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote: the shell would fail too; read what we can
        return [word.replace('"', "").replace("'", "") for word in command.split()]


def _segments(words: list[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for word in words:
        if _SEPARATOR.match(word):
            if current:
                yield current
            current = []
        else:
            current.append(word)
    if current:
        yield current


def _program(words: list[str]) -> tuple[str, list[str]]:
    """The program a segment runs (``FOO=1 cross-env node …`` runs node) and its arguments."""
    i = 0
    while i < len(words):
        word = words[i]
        base = os.path.basename(word)
        if _ASSIGNMENT.match(word):  # ``KEY=value cmd``: the variable, then the command
            i += 1
        elif base in _WRAPPERS:
            i += 1
            while i < len(words) and words[i].startswith("-"):  # npx -y, env -i
                i += 1
        elif base in ("pnpm", "yarn", "npm") and words[i + 1 : i + 2] in (["exec"], ["dlx"]):
            i += 2
        else:
            return base, words[i + 1 :]
    return "", []


def _option(word: str, names: tuple[str, ...]) -> tuple[str, str | None] | None:
    """``(name, value)`` if ``word`` is one of ``names`` (``--x`` -> None, ``--x=v`` -> v)."""
    for name in names:
        if word == name:
            return name, None
        if word.startswith(name + "="):
            return name, word[len(name) + 1 :]
    return None


def _node(args: list[str], script: str) -> Invocation | None:
    files: list[str] = []
    optional: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--" or not word.startswith("-"):
            break  # the script: what follows is the app's, not Node's
        opt = _option(word, ("--env-file-if-exists", "--env-file"))
        if opt is not None:
            value = opt[1]
            if value is None:
                i += 1
                if i >= len(args):
                    break
                value = args[i]
            files.append(value)
            if opt[0] == "--env-file-if-exists":
                optional.append(value)
        elif word in _NODE_VALUE_FLAGS:
            i += 1
        elif word in ("-e", "--eval", "-p", "--print"):
            break
        i += 1
    return Invocation("node", script, tuple(files), tuple(optional)) if files else None


def _deno(args: list[str], script: str) -> Invocation | None:
    bare = 0
    files: list[str] = []
    for word in args[1:] if args and not args[0].startswith("-") else args:
        if word == "--" or not word.startswith("-"):
            break  # the script (``--env-file F`` is the bare flag, then the script F)
        opt = _option(word, ("--env-file", "--env"))
        if opt is not None:
            if opt[1] is None:
                bare += 1
            else:
                files.append(opt[1])
    if not bare and not files:
        return None
    every = (".env",) * bare + tuple(files)  # Deno lists the bare flags first
    return Invocation("deno", script, every, every)


def _bun(args: list[str], script: str) -> Invocation | None:
    files: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            break
        opt = _option(word, ("--env-file",))
        if opt is not None:
            value = opt[1]
            if value is None and i + 1 < len(args):
                i += 1
                value = args[i]
            if value is not None:
                files.append(value)
        i += 1
    return Invocation("bun", script, tuple(files)) if files else None


def _dotenvx(args: list[str], script: str) -> Invocation | None:
    if not args or args[0] != "run":
        return None
    files: list[str] = []
    flags: list[str] = []
    i = 1
    while i < len(args):
        word = args[i]
        if word == "--":
            break
        opt = _option(word, ("-f", "--env-file"))
        if opt is not None:
            if opt[1] is not None:
                files.append(opt[1])
            else:  # variadic: every following word up to the next option
                while i + 1 < len(args) and not args[i + 1].startswith("-"):
                    i += 1
                    files.append(args[i])
        elif word in ("-o", "--overload"):
            flags.append("--overload")
        elif (keys := _option(word, ("-fk", "--env-keys-file"))) is not None:
            value = keys[1]
            if value is None and i + 1 < len(args):
                i += 1
                value = args[i]
            if value is not None:
                flags.append(f"--env-keys-file={value}")
        elif (conv := _option(word, ("--convention",))) is not None:
            value = conv[1]
            if value is None and i + 1 < len(args):
                i += 1
                value = args[i]
            flags.append(f"--convention={value}")
        elif word == "--strict":
            flags.append(word)
        elif not word.startswith("-"):
            break
        i += 1
    if not files and not any(f.startswith("--convention=") for f in flags):
        files = [".env"]  # dotenvx run reads .env by default (a convention names its own)
    return Invocation("dotenvx", script, tuple(files), (), tuple(flags))


def _dotenv_cli(args: list[str], script: str) -> Invocation | None:
    files: list[str] = []
    flags: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--" or not word.startswith("-"):
            break
        if word == "-e" and i + 1 < len(args):
            i += 1
            files.append(args[i])
        elif word == "-c":
            if i + 1 < len(args) and not args[i + 1].startswith("-"):
                i += 1
                flags.append(f"-c={args[i]}")
            else:
                flags.append("-c")
        elif word in ("-o", "--override"):
            flags.append("--override")
        elif word in ("-v", "-p"):
            i += 1  # -v KEY=VALUE (never kept: it may be a secret), -p KEY
        i += 1
    if not files:
        files = [".env"]
    return Invocation("dotenv-cli", script, tuple(files), (), tuple(flags))


def _env_cmd(args: list[str], script: str) -> Invocation | None:
    files: list[str] = []
    flags: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--" or not word.startswith("-"):
            break
        opt = _option(word, ("-f", "--file"))
        env_opt = _option(word, ("-e", "--environments"))
        if opt is not None:
            value = opt[1]
            if value is None and i + 1 < len(args):
                i += 1
                value = args[i]
            if value is not None:
                files.append(value)
        elif env_opt is not None:
            value = env_opt[1]
            if value is None and i + 1 < len(args):
                i += 1
                value = args[i]
            flags.append(f"--environments={value}")
        elif word in ("--fallback", "--no-override", "--silent", "--use-shell", "--recursive"):
            flags.append(word)
        elif word in ("-r", "--rc-file"):
            i += 1
        i += 1
    if not files and not flags:
        files = [".env"]
    return Invocation("env-cmd", script, tuple(files), (), tuple(flags))


def find_invocations(command: str, script: str = "") -> list[Invocation]:
    """The env-loading invocations in one shell command, in the order they run."""
    out: list[Invocation] = []
    for segment in _segments(_words(command)):
        program, args = _program(segment)
        found: Invocation | None = None
        if program in ("node", "nodejs", "tsx"):  # tsx hands Node's flags to node
            found = _node(args, script)
        elif program == "deno":
            found = _deno(args, script)
        elif program == "bun":
            found = _bun(args, script)
        elif program == "dotenvx":
            found = _dotenvx(args, script)
        elif program in ("dotenv", "dotenv-cli"):
            found = _dotenv_cli(args, script)
        elif program == "env-cmd":
            found = _env_cmd(args, script)
        if found is not None:
            out.append(found)
    return out


# -- the Node version ------------------------------------------------------------


def _major(spec: str) -> int | None:
    spec = spec.strip().lower()
    if spec.startswith("lts/"):
        name = spec[4:]
        return NEWEST_NODE if name in ("*", "latest", "") else _LTS.get(name)
    if spec in ("node", "latest", "stable", "current", "*"):
        return NEWEST_NODE
    m = re.search(r"\d+", spec)
    return int(m.group()) if m else None


def _node_on_path() -> int | None:
    """The major of the ``node`` on PATH when its install path names it (nvm, fnm, volta, asdf).

    Cheap on purpose: a path lookup, never a process.
    """
    import shutil  # only here: shutil costs a cold start a millisecond (bz2, lzma)

    found = shutil.which("node")
    if not found:
        return None
    m = re.search(r"[/\\]v?(\d+)\.\d+\.\d+[/\\]", os.path.realpath(found))
    return int(m.group(1)) if m else None


def node_dialect(project_dir: Path) -> tuple[str, str]:
    """The dialect Node's env-file parser has for this project, and where the version came from.

    ``.nvmrc`` and ``.node-version`` name the Node that runs; else
    ``engines.node`` (its lowest major); else the ``node`` on PATH when its
    path shows its version; else Node 22 (the current LTS line).  Node 21
    and older read files as Node 20 (``nodeutil``), 22 and newer as
    ``nodeutil22``.
    """
    major: int | None = None
    source = ""
    for name in (".nvmrc", ".node-version"):
        try:
            text = read_text(project_dir / name, within=project_dir)
        except (OSError, UnicodeDecodeError):
            continue
        major, source = _major(text.split("#", 1)[0]), name
        if major is not None:
            break
    if major is None:
        data, _ = _package(project_dir)
        engines = data.get("engines")
        if isinstance(engines, dict) and isinstance(engines.get("node"), str):
            major, source = _major(engines["node"]), "package.json engines.node"
    if major is None:
        major, source = _node_on_path(), "the node on PATH"
    if major is None:
        major, source = NEWEST_NODE, "no declared version (assumed)"
    return ("nodeutil22" if major >= 22 else "nodeutil"), f"Node {major} ({source})"


# -- the resolver hook -----------------------------------------------------------


def _deno_path(project_dir: Path, name: str) -> Path:
    """Deno looks for a relative file in the working directory, then in each parent."""
    path = Path(name)
    if path.is_absolute():
        return path
    start = project_dir.absolute()
    for directory in (start, *start.parents):
        if not inside_project(directory, project_dir):
            break  # Deno goes on to /; envcheck stops at the project root
        if (directory / path).exists():
            return directory / path
    return start / path


def script_env_files(project_dir: Path, tool: str, mode: str) -> ScriptEnvFiles:
    """The files ``tool`` loads for ``mode`` per package.json's scripts (else ``.env``).

    The paths come highest priority first: for Node and Deno the last file
    on the command line wins.
    """
    scan = read_scripts(project_dir)
    notes = list(scan.problems)
    chosen = pick(scan.invocations, tool, mode)
    dialect = node_dialect(project_dir)[0] if tool == "node" else None
    if chosen is None:
        default = _deno_path(project_dir, ".env") if tool == "deno" else project_dir / ".env"
        return ScriptEnvFiles([default], set(), dialect, notes)
    refused = [f for f in chosen.files if _refuse(f, project_dir, chosen.script, notes)]
    if refused:
        kept = tuple(f for f in chosen.files if f not in refused)
        chosen = Invocation(chosen.tool, chosen.script, kept, chosen.optional, chosen.flags)
    if tool == "dotenvx":
        return _dotenvx_files(project_dir, chosen, mode, notes)
    if tool == "deno":
        paths = [_deno_path(project_dir, f) for f in chosen.files]
    else:
        paths = [project_dir / f for f in chosen.files]
    required = {p for p, f in zip(paths, chosen.files, strict=True) if f not in chosen.optional}
    paths.reverse()
    return ScriptEnvFiles(paths, required, dialect, notes)


def _refuse(name: str, project_dir: Path, script: str, notes: list[Problem]) -> bool:
    """A file a script names outside the project: a note (EC109 on package.json), not a read."""
    why = named_path_problem(name, project_dir)
    if why is not None:
        notes.append(Problem("unreadable", f"script {script!r} {why}", "package.json"))
    return why is not None


def _dotenvx_files(
    project_dir: Path, run: Invocation, mode: str, notes: list[Problem]
) -> ScriptEnvFiles:
    """``dotenvx run``'s files in load order: the convention's, then each ``-f``.

    dotenvx warns about a missing file and goes on, so none is required.
    """
    from envcheck.sources.profiles import PROFILES  # profiles import nothing from here

    names: list[str] = []
    convention = run.convention
    if convention in ("nextjs", "flow"):
        names.extend(PROFILES[f"dotenvx-{convention}"].candidates(mode))
    names.extend(f for f in run.files if f not in names)
    options: dict[str, object] = {"overload": run.overload, "convention": convention}
    if run.env_keys_file is not None and not _refuse(
        run.env_keys_file, project_dir, run.script, notes
    ):
        options["keys_file"] = project_dir / run.env_keys_file
    return ScriptEnvFiles([project_dir / n for n in names], set(), None, notes, options)


# Programs that never read an env file: linters, formatters, type checkers and
# file cleaners.  A task that runs only these sees no .env, so turbo's cache of it
# cannot go stale on one.  (Not here: prisma, which loads .env itself, and every
# framework or bundler CLI.)
_NO_ENV_PROGRAMS = frozenset(
    {
        "eslint", "prettier", "tsc", "vue-tsc", "svelte-check", "biome", "oxlint",
        "stylelint", "markdownlint", "markdownlint-cli2", "cspell", "knip", "depcheck",
        "syncpack", "manypkg", "sherif", "publint", "attw", "rimraf", "del", "del-cli",
        "sort-package-json", "echo", "true", "exit", "rm", "mkdir", "cp", "mv", "lint-staged",
        "commitlint", "husky", "dprint", "ls-lint", "tsc-alias", "concurrently", "oxfmt",
        "eslint_d", "tsgo", "typos", "markdownlint-cli",
    }
)  # fmt: skip
# ``next lint``, ``astro check``: a framework CLI's sub-commands that read no env file.
_NO_ENV_SUBCOMMANDS = frozenset(
    {
        ("next", "lint"),
        ("astro", "check"),
        ("nuxi", "typecheck"),
        ("react-router", "typegen"),
        ("svelte-kit", "sync"),
        ("biome", "check"),
    }
)


def programs(command: str) -> list[str]:
    """The program each part of a script runs: ``A=1 npx tsx x.ts && bun y`` -> tsx, bun."""
    return [program for program, _ in calls(command)]


def calls(command: str) -> list[tuple[str, list[str]]]:
    """Each part of a script as (program, its arguments): ``npx tsx x.ts`` -> (tsx, [x.ts])."""
    return [call for segment in _segments(_words(command)) if (call := _program(segment))[0]]


# -- keys a command sets for the tool it runs ------------------------------------

_PACKAGE_MANAGERS = frozenset({"pnpm", "npm", "yarn", "bun"})
_DIR_OPTIONS = ("--dir", "-C", "--prefix", "--cwd")
_FILTER_OPTIONS = ("--filter", "-F", "--workspace", "-w")


def inline_keys_for_tool(config_file: Path, root: Path) -> frozenset[str]:
    """Keys a command of the project sets inline (``KEY=value cmd``) for the tool whose
    config file ``config_file`` is (``drizzle.config.ts`` -> ``drizzle-kit``): what the
    tool sees when it reads that file, though no env file sets it.

    Looked for in the scripts of the config's package (``"migrate": "X=1 drizzle-kit
    push"``), and in the root's scripts and the root's and package's ``Makefile``
    recipes that run the tool or a script of that package that runs it (unkey: ``X=…
    pnpm --dir=web/internal/db run migrate``).  Only names are kept, never a value."""
    name = config_file.name
    stem = name.split(".config.", 1)[0] if ".config." in name else ""
    package = _package_dir(config_file.parent, root)
    if not stem or package is None:
        return frozenset()

    def runs_tool(program: str) -> bool:
        return program == stem or program.startswith(stem + "-")

    data, _ = _package(package)
    found = data.get("scripts")
    scripts = (
        {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(found, dict)
        else {}
    )
    tool_scripts = {k for k, v in scripts.items() if any(runs_tool(p) for p in programs(v))}
    if not tool_scripts:
        return frozenset()
    name_field = data.get("name")
    package_name = name_field if isinstance(name_field, str) else None
    where = os.path.relpath(package, root).replace(os.sep, "/")
    keys: set[str] = set()
    commands: list[tuple[str, bool]] = [(c, True) for c in scripts.values()]
    if where != ".":
        root_data, _ = _package(root)
        root_scripts = root_data.get("scripts")
        if isinstance(root_scripts, dict):
            commands.extend((c, False) for c in root_scripts.values() if isinstance(c, str))
    for folder in {root, package}:
        commands.extend((c, folder == package) for c in _recipes(folder / "Makefile", root))
    for command, in_package in commands:
        for segment in _segments(_words(command)):
            assigned = _assigned(segment)
            if not assigned:
                continue
            program, args = _program(segment)
            if runs_tool(program) or (
                program in _PACKAGE_MANAGERS
                and _runs_script(args, tool_scripts, in_package, where, package_name)
            ):
                keys.update(assigned)
    return frozenset(keys)


def _package_dir(folder: Path, root: Path) -> Path | None:
    """The nearest folder from ``folder`` up to ``root`` holding a package.json."""
    current = folder
    for _ in range(64):
        if (current / "package.json").is_file():
            return current
        if current == root or current.parent == current:
            return None
        current = current.parent
    return None


def _recipes(makefile: Path, root: Path) -> list[str]:
    """The recipe lines of a Makefile, continuation lines joined, ``$$`` read as ``$``."""
    try:
        text = read_text(makefile, within=root)
    except (OSError, UnicodeDecodeError):
        return []
    recipes: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if not current and not line.startswith("\t"):
            continue
        current.append(line.strip().lstrip("@-+").rstrip("\\"))
        if not line.endswith("\\"):
            recipes.append(" ".join(current).replace("$$", "$"))
            current = []
    return recipes


def _assigned(segment: list[str]) -> list[str]:
    """The names a segment assigns before its command: ``A=1 B=2 cross-env C=3 cmd``."""
    names = []
    for word in segment:
        if _ASSIGNMENT.match(word):
            names.append(word.split("=", 1)[0])
        elif os.path.basename(word) not in _WRAPPERS:
            break
    return names


def _runs_script(
    args: list[str], scripts: set[str], in_package: bool, where: str, package: str | None
) -> bool:
    """``pnpm [--dir=D | --filter=P] [run] <script>``: whether it runs one of ``scripts`` of
    the package at ``where`` (from the package itself, or pointed at it from elsewhere)."""
    target = in_package
    rest: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        option = _option(word, _DIR_OPTIONS) or _option(word, _FILTER_OPTIONS)
        if option is not None:
            name, value = option
            if value is None and i + 1 < len(args):
                i += 1
                value = args[i]
            if name in _DIR_OPTIONS:
                target = os.path.normpath(value or ".").replace(os.sep, "/") == where
            else:
                target = value is not None and value in (package, where, "./" + where)
        elif not word.startswith("-"):
            rest.append(word)
        i += 1
    if rest[:1] in (["run"], ["run-script"]):
        rest = rest[1:]
    return target and bool(rest) and rest[0] in scripts


def reads_no_env_files(command: str) -> bool:
    """Whether every program ``command`` runs is one that never reads an env file.

    ``eslint . && prettier --check .`` reads none; ``next build``, ``vite``,
    ``node --env-file=.env x.js`` and anything unknown may.  Unknown means
    "may": only a command made wholly of known tools answers True.
    ``concurrently`` is here for its own sake only: its quoted commands are
    one word each and are read as commands of their own.
    """
    segments = list(_segments(_words(command)))
    if not segments:
        return False
    for segment in segments:
        program, args = _program(segment)
        if program == "concurrently":
            if not all(reads_no_env_files(a) for a in args if not a.startswith("-")):
                return False
            continue
        if program in _NO_ENV_PROGRAMS:
            continue
        if args and (program, args[0]) in _NO_ENV_SUBCOMMANDS:
            continue
        return False
    return True


# Profiles whose app a package manager's script starts (``npm run dev``, ``pnpm start``).
_SCRIPT_STARTED = frozenset(
    {
        "nextjs", "cra", "vite", "astro", "sveltekit", "dotenv", "dotenv-expand", "dotenv-flow",
        "node", "dotenvx", "dotenvx-nextjs", "dotenvx-flow",
    }
)  # fmt: skip


_PACKAGE_FIELDS = {"npm_package_name": "name", "npm_package_version": "version"}


def package_manager_env(
    process_env: Mapping[str, str], project_dir: Path, profile: str
) -> Mapping[str, str]:
    """``process_env`` as an app started by a package-manager script sees it.

    Create React App documents ``REACT_APP_VERSION=$npm_package_version``: the
    package manager sets it from package.json before the app's loader expands
    the file, so the reference is defined.  Only the two fields every package
    manager sets (npm 7+ dropped the rest of ``npm_package_*``).  A value
    already in the process (envcheck run from ``"predev": "envcheck"``) wins.
    """
    if profile not in _SCRIPT_STARTED:
        return process_env
    data, _ = _package(project_dir)
    added = {
        name: value
        for name, field in _PACKAGE_FIELDS.items()
        if name not in process_env and isinstance(value := data.get(field), str)
    }
    return {**process_env, **added} if added else process_env
