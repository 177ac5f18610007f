"""What reaches the deployed app (issue #27): the image, the standalone server, the loader.

Three checks on the way from the checkout to the running app:

* EC408 (security family): an env file holding secrets inside a Docker build
  context that no ``.dockerignore`` entry excludes (:mod:`envcheck.dockerignore`
  reads it as Docker does) -- an error when a ``COPY``/``ADD`` takes it into
  the image, a warning when it only travels to the builder;
* EC521 (precedence family): Next.js ``output: 'standalone'`` (``next.config.*``
  read as text, never run) with server keys set only in ``.env.local`` or
  ``.env.production.local``, and a script or an image that runs the standalone
  server with that file at hand: the standalone folder carries ``.env`` and
  ``.env.production`` only (vercel/next.js#46296), so ``node server.js``
  starts without them;
* EC513 (precedence family): a loader that lets a file override the process
  environment (``dotenv`` ``override: true``, python-dotenv ``override=True``,
  ``dotenv run``'s default, ``dotenv -o``, ``dotenvx --overload``) reading a
  file that holds a secret *reference* (``op://…``): under ``op run`` the
  environment holds the resolved secret, and the loader puts the literal
  reference back over it.

:func:`security_check` and :func:`precedence_check` are called by those
families' ``check``; every file is read through the bounded checkout reader.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from envcheck.model import Finding, Location, Related, Severity
from envcheck.rules import envfiles
from envcheck.rules.base import CheckContext, Rule
from envcheck.sources.types import Entry, ParsedFile

EC408 = Rule(
    "EC408",
    "secret-file-in-docker-context",
    Severity.ERROR,
    "An env file holding secrets is in the Docker build context",
    """\
## What it does
For a project with a `Dockerfile` (or `Containerfile`, `*.Dockerfile`), flags
each `.env*` file holding secrets in the build context (the Dockerfile's
directory) that no `.dockerignore` pattern excludes.  The ignore file is read
with Docker's rules: `#` comments, `!` exceptions, `*`, `?`, `[...]`, `**`,
the last matching pattern winning, a pattern matching a parent directory
counting for the files below it; BuildKit's `Dockerfile.dockerignore` next to
the Dockerfile takes precedence over `.dockerignore`.  An error when a
`COPY`/`ADD` of the Dockerfile takes the file (`COPY . .`), a warning when
it only travels to the builder.

## Why is this bad?
`COPY . .` puts `.env.local` into an image layer: everyone who can pull the
image can read the keys, forever, even after a later `RUN rm`.  Registries,
CI caches and base images made from it spread it further.

## Example
```
# Dockerfile
COPY . .
# .dockerignore
node_modules
```
with `OPENAI_API_KEY=sk-...` in `.env.local`.

## Use instead
```
# .dockerignore
node_modules
.env*
!.env.example
```
and give the build what it needs with `--build-arg` (public values) or
`RUN --mount=type=secret` (secrets); the running container gets its
secrets from the platform.
""",
)

EC513 = Rule(
    "EC513",
    "override-replaces-secret-reference",
    Severity.WARNING,
    "A loader overrides the environment with a file holding a secret reference",
    """\
## What it does
Flags a secret reference (`op://vault/item/field`, `vault:…`, `doppler://…`,
an AWS ARN, …) in an env file that a loader reads with *override* on: Node's
`dotenv` `config({ override: true })`, python-dotenv
`load_dotenv(override=True)`, python-dotenv's `dotenv run` (override is its
default), `dotenv -o`, `dotenvx run --overload`, `env-cmd` (which overrides
unless `--no-override`).  Loads are found in the code (the call's options)
and in package.json scripts, Procfile, Makefile, Dockerfile and shell
scripts.

## Why is this bad?
`op run --env-file .env -- node app.js` puts the resolved secret into the
process environment.  A loader with override then reads the same file and
replaces it with the literal text `op://vault/item/field`: the app sends
the reference as its API key and every call fails with "invalid key".

## Example
```js
require("dotenv").config({ override: true }); // .env: OPENAI_API_KEY=op://dev/openai/key
```

## Use instead
Load without override (the default of `dotenv` and python-dotenv), so a
value already in the environment wins; or keep references in a file only
`op run` reads (`op run --env-file .env.op`).
""",
)

EC521 = Rule(
    "EC521",
    "standalone-server-drops-env-local",
    Severity.WARNING,
    "A Next.js standalone build never loads .env.local",
    """\
## What it does
For a Next.js project with `output: 'standalone'` in `next.config.*` (read
as text, never run), flags server keys (no `NEXT_PUBLIC_` prefix) set only
in `.env.local` or `.env.production.local`, when something runs the
standalone server where that file is expected to count: a script
(package.json, Procfile, Makefile, justfile) that starts
`.next/standalone/server.js` in the checkout, or a Dockerfile that runs the
standalone output and `COPY`s the file into its build (no `.dockerignore`
entry excludes it).  `output: 'standalone'` alone is not enough: with
`next dev` on the developer's machine and an image that leaves `.env*.local`
out of its build context, the file was never meant for the server.

## Why is this bad?
`next build` copies `.env` and `.env.production` into
`.next/standalone`, not the `.local` files (vercel/next.js#46296).  `node
server.js` -- what the standalone Docker image runs -- starts without the
key: it worked with `next start` on the build machine and is `undefined` in
the container.  Public keys are not affected: they were inlined when the
build ran.

## Example
```
# next.config.js: output: 'standalone'
# .env.local
DATABASE_URL=postgres://...
```

## Use instead
Give the running server its keys from the platform (`docker run -e`,
Kubernetes `env`, Fly secrets), or move values that are not secret to
`.env.production`.
""",
)

SECURITY_RULES = (EC408,)
PRECEDENCE_RULES = (EC513, EC521)

DOCKERFILE_NAMES = ("Dockerfile", "dockerfile", "Containerfile")
NEXT_CONFIGS = ("next.config.js", "next.config.mjs", "next.config.cjs", "next.config.ts")
_LOCAL_ONLY = (".env.local", ".env.production.local")
_SHIPPED = (".env", ".env.production")
_STANDALONE_DIR = ".next/standalone"
_SCRIPT_RUNNERS = ("package.json", "Procfile", "Makefile", "justfile")


def _at(entry: Entry) -> Location:
    return Location(entry.path, entry.line, entry.col)


def _inside(path: str) -> bool:
    return not (path.startswith("../") or path.startswith("/") or path == "..")


def _read(project_dir: Path, relative: str) -> str | None:
    """A project file's text, or None when absent or unreadable (bounded, inside the project)."""
    from envcheck.sources.checkout import read_text

    try:
        return read_text(project_dir / relative, within=project_dir)
    except (OSError, UnicodeDecodeError, ValueError):
        return None


# EC408 ---------------------------------------------------------------------


def security_check(ctx: CheckContext) -> Iterator[Finding]:
    """EC408 for every Dockerfile directly in the project (its directory is the context)."""
    if ctx.enabled is not None and EC408.code not in ctx.enabled:
        return
    dockerfiles = _dockerfiles(ctx.project_dir)
    if not dockerfiles:
        return
    secrets: dict[str, Entry] = {}
    for path, parsed in envfiles.project_files(ctx).items():
        if _inside(path):
            first = next(envfiles.secret_entries(parsed, ctx.schema), None)
            if first is not None:
                secrets[path] = first
    if not secrets:
        return
    from envcheck.dockerignore import DockerIgnore, ignore_file_for

    for dockerfile in dockerfiles:
        ignore_path = ignore_file_for(ctx.project_dir, ctx.project_dir / dockerfile)
        ignore_name = ignore_path.name
        text = _read(ctx.project_dir, ignore_name) if ignore_path.is_file() else None
        ignore = DockerIgnore.from_text(text or "", ignore_name)
        copies = _copies(ctx.project_dir, dockerfile)
        for path, entry in sorted(secrets.items()):
            if ignore.excludes(path):
                continue
            yield _in_context(
                path, entry, dockerfile, ignore_name if text is not None else None, copies
            )


def _in_context(
    path: str,
    entry: Entry,
    dockerfile: str,
    ignore_name: str | None,
    copies: list[tuple[int, list[str]]],
) -> Finding:
    by = next((line for line, sources in copies if any(_takes(s, path) for s in sources)), None)
    unexcluded = (
        f"no entry of {ignore_name} excludes it" if ignore_name else "there is no .dockerignore"
    )
    if by is not None:
        message = (
            f"a secret ({entry.key}) that goes into the image built by {dockerfile}: "
            f"{unexcluded}, and the COPY at {dockerfile}:{by} takes it"
        )
        severity = None
    else:
        message = (
            f"a secret ({entry.key}) in the build context of {dockerfile} "
            f"({unexcluded}); no COPY takes it today, the next `COPY . .` will"
        )
        severity = Severity.WARNING
    return EC408.finding(
        message,
        _at(entry),
        key=entry.key,
        hint=f"add `.env*` (and `!.env.example`) to {ignore_name or '.dockerignore'}; pass "
        "build-time secrets with `RUN --mount=type=secret`, runtime ones from the platform",
        severity=severity,
    )


def _dockerfiles(project_dir: Path) -> list[str]:
    try:
        names = sorted(p.name for p in project_dir.iterdir() if p.is_file())
    except OSError:
        return []
    return [
        n
        for n in names
        if n in DOCKERFILE_NAMES
        or (n.endswith(".Dockerfile") and not n.endswith(".dockerignore"))
        or (n.startswith("Dockerfile.") and not n.endswith(".dockerignore"))
    ]


def _copies(project_dir: Path, dockerfile: str) -> list[tuple[int, list[str]]]:
    """(line, sources) of each ``COPY``/``ADD`` from the build context (not ``--from=``)."""
    from envcheck.targets.dockerfile import instructions

    text = _read(project_dir, dockerfile)
    found: list[tuple[int, list[str]]] = []
    for line, instruction, arguments in instructions(text or ""):
        if instruction not in ("COPY", "ADD"):
            continue
        words = _arguments(arguments)
        flags = [w for w in words if w.startswith("--")]
        if any(f.startswith("--from") for f in flags):
            continue
        paths = [w for w in words if not w.startswith("--")]
        if len(paths) >= 2:
            found.append((line, paths[:-1]))
    return found


def _arguments(arguments: str) -> list[str]:
    """A COPY's words: the JSON form ``["a", "b"]`` or whitespace-separated."""
    text = arguments.strip()
    flags: list[str] = []
    while text.startswith("--"):
        flag, _, text = text.partition(" ")
        flags.append(flag)
        text = text.strip()
    if text.startswith("["):
        from envcheck.sources.structured import json_loads  # bounded nesting: checkout data

        try:
            parsed = json_loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(w, str) for w in parsed):
            return [*flags, *parsed]
    return [*flags, *text.split()]


def _takes(source: str, path: str) -> bool:
    """Whether a COPY source (a path or a glob, relative to the context) takes ``path``."""
    from envcheck.dockerignore import Pattern

    cleaned = posixpath.normpath(source.lstrip("/")) if source.strip("/") else "."
    if cleaned == ".":
        return True
    if path == cleaned or path.startswith(cleaned + "/"):
        return True
    pattern = Pattern(cleaned, exception=False)
    parents = path.split("/")
    return any(pattern.matches("/".join(parents[: i + 1])) for i in range(len(parents)))


# EC521 ---------------------------------------------------------------------


# The regexes below are compiled on first use: most projects have no next.config
# with a local-only key, nor a loader with override (a cold start pays nothing).
@cache
def _standalone_rx() -> re.Pattern[str]:
    return re.compile(r"""\boutput\s*:\s*(["'`])standalone\1""")


@cache
def _comment_rx() -> re.Pattern[str]:
    return re.compile(r"/\*.*?\*/|(?<![:\"'])//[^\n]*", re.S)


def standalone(project_dir: Path) -> Related | None:
    """Where a ``next.config.*`` sets ``output: 'standalone'`` (comments ignored), or None."""
    for name in NEXT_CONFIGS:
        text = _read(project_dir, name)
        if not text:
            continue
        # Comments are blanked, not cut, so that a match's offset is the source's line.
        blank = _comment_rx().sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        found = _standalone_rx().search(blank)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            return Related(Location(name, line), "sets output: 'standalone'")
    return None


def _standalone_run(project_dir: Path, local: str) -> Related | None:
    """Where the standalone server is started while ``local`` (``.env.local``) is where the
    developer expects it to be read, as a place (the finding's related location), or None.

    ``output: 'standalone'`` alone says nothing of it: the usual flow is ``next dev``
    on the developer's machine (which loads ``.env.local``) and ``server.js`` in an
    image whose build context leaves the ``.local`` files out.  Two shapes do run the
    server that way: a script (package.json, Procfile, Makefile, justfile) that starts
    ``.next/standalone/server.js`` in the checkout, next to ``.env.local``; and a
    Dockerfile that runs the standalone output and whose ``COPY`` takes ``local``
    into the build (no ``.dockerignore`` entry excludes it): ``next build`` sees
    it, the server does not.
    """
    for name in _SCRIPT_RUNNERS:
        text = _read(project_dir, name) or ""
        for number, command in enumerate(text.splitlines(), start=1):
            if _STANDALONE_DIR in command and "server.js" in command:
                return Related(Location(name, number), f"starts {_STANDALONE_DIR}/server.js")
    from envcheck.dockerignore import DockerIgnore, ignore_file_for

    for dockerfile in _dockerfiles(project_dir):
        if _STANDALONE_DIR not in (_read(project_dir, dockerfile) or ""):
            continue
        ignore_path = ignore_file_for(project_dir, project_dir / dockerfile)
        ignored = _read(project_dir, ignore_path.name) if ignore_path.is_file() else None
        if DockerIgnore.from_text(ignored or "", ignore_path.name).excludes(local):
            continue
        for line, sources in _copies(project_dir, dockerfile):
            if any(_takes(source, local) for source in sources):
                return Related(
                    Location(dockerfile, line),
                    "runs the standalone server in an image whose COPY takes this file in",
                )
    return None


def _standalone_drops(ctx: CheckContext, files: dict[str, ParsedFile]) -> Iterator[Finding]:
    if ctx.profile.name != "nextjs":
        return
    if ctx.enabled is not None and EC521.code not in ctx.enabled:
        return
    local = [files[n] for n in _LOCAL_ONLY if n in files]
    if not local:
        return
    config = standalone(ctx.project_dir)
    if config is None:
        return
    shipped = {e.key for n in _SHIPPED if n in files for e in files[n].entries}
    reported: set[str] = set()
    for parsed in local:
        runner = _standalone_run(ctx.project_dir, parsed.path)
        if runner is None:
            continue
        for key, entry in parsed.last_entries().items():
            if key in shipped or key in reported or envfiles.public_prefix(key) is not None:
                continue
            reported.add(key)
            yield EC521.finding(
                f"{key} is set only in this file, which the standalone server never loads "
                "(next build copies only .env and .env.production into it)",
                _at(entry),
                key=key,
                related=(runner, config),
                hint=f"set {key} in the running container's environment (the platform's "
                "variables), or in .env.production if it is not a secret",
            )


# EC513 ---------------------------------------------------------------------

_LOADERS_WITH_OVERRIDE = frozenset({"dotenv", "python-dotenv", "dotenvx"})
_CALL_TEXT = 2000  # characters of a call's text read for its options
# python-dotenv's CLI: ``dotenv [-f FILE] [--override|--no-override] run …`` (override by default)
_DOTENV_OPTIONS_WITH_VALUE = frozenset({"-f", "--file", "-e", "--export", "-q", "--quote"})
SCRIPT_FILES = ("package.json", "Procfile", "Makefile", "justfile", *DOCKERFILE_NAMES)


@cache
def _override_option_rx() -> re.Pattern[str]:
    return re.compile(r"\b(?:override|overload)\s*(?::|=)\s*(?:true|True|1)\b")


@cache
def _chained_rx() -> re.Pattern[str]:
    """``.config`` between two argument lists of one call chain."""
    return re.compile(r"\s*\.\s*[A-Za-z_$][\w$]*\s*")


class _OverrideLoad:
    """One load with override on: the files it reads and where it is written."""

    __slots__ = ("files", "where", "how")

    def __init__(self, files: Iterable[str], where: str, how: str) -> None:
        self.files = tuple(files)
        self.where = where
        self.how = how


def _call_options(project_dir: Path, file: str, line: int, col: int) -> str:
    """The argument lists of the call at ``file:line:col`` (bounded).

    The whole chain counts: ``require("dotenv").config({ override: true })``
    is one load whose options are in its second argument list.
    """
    text = _read(project_dir, file)
    if text is None:
        return ""
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return ""
    start = sum(len(x) for x in lines[: line - 1]) + max(col - 1, 0)
    window = text[start : start + _CALL_TEXT]
    groups: list[str] = []
    position = 0
    while (opened := window.find("(", position)) >= 0:
        if groups and not _chained_rx().fullmatch(window[position:opened]):
            break  # the chain ended: what follows is another statement
        depth, close = 0, len(window)
        for index in range(opened, len(window)):
            depth += (window[index] == "(") - (window[index] == ")")
            if depth == 0:
                close = index
                break
        groups.append(window[opened : close + 1])
        position = close + 1
    return "".join(groups)


def _code_loads(ctx: CheckContext) -> Iterator[_OverrideLoad]:
    if not ctx.options.get("code", True) or ctx.profile.resolver is not None:
        return
    from envcheck.workspace.apps import app_facts

    for load in app_facts(ctx.project_dir).loads:
        if load.loader not in _LOADERS_WITH_OVERRIDE or load.outside or not load.resolved:
            continue
        options = _call_options(ctx.project_dir, load.file, load.line, load.col)
        found = _override_option_rx().search(options)
        if found:
            paths = [p for p in load.paths if _inside(p)] or [".env"]
            yield _OverrideLoad(paths, f"{load.file}:{load.line}", found.group(0))


def _script_loads(project_dir: Path) -> Iterator[_OverrideLoad]:
    from envcheck.sources.scripts import read_scripts

    for inv in read_scripts(project_dir).invocations:
        overrides = inv.overload or (inv.tool == "env-cmd" and "--no-override" not in inv.flags)
        if inv.tool in ("dotenv-cli", "dotenvx", "env-cmd") and overrides:
            how = "env-cmd (override by default)" if inv.tool == "env-cmd" else "--override"
            yield _OverrideLoad(inv.files, f"package.json script {inv.script!r}", how)
    for name in SCRIPT_FILES:
        text = _read(project_dir, name) or ""
        for number, line in enumerate(text.splitlines(), start=1):
            files = _dotenv_run(line) if "dotenv" in line else None
            if files is not None:
                yield _OverrideLoad(files, f"{name}:{number}", "`dotenv run` (override by default)")


def _dotenv_run(line: str) -> list[str] | None:
    """The files of a python-dotenv ``dotenv … run`` with override on in ``line``, or None.

    Word by word (no regex backtracking over a hostile line): ``dotenv``, its
    options (``-f FILE``, ``--no-override``, …), then ``run``.
    """
    words = line.replace("=", " ").split()
    for start, word in enumerate(words):
        if word.strip("\"'") != "dotenv":
            continue
        files: list[str] = []
        override = True
        index = start + 1
        while index < len(words) and words[index].startswith("-"):
            option = words[index]
            if option == "--no-override":
                override = False
            if option in _DOTENV_OPTIONS_WITH_VALUE and index + 1 < len(words):
                index += 1
                if option in ("-f", "--file"):
                    files.append(words[index].strip("\"'"))
            index += 1
        if index < len(words) and words[index] == "run" and override:
            return files or [".env"]
    return None


def _override_references(ctx: CheckContext, files: dict[str, ParsedFile]) -> Iterator[Finding]:
    if ctx.enabled is not None and EC513.code not in ctx.enabled:
        return
    from envcheck.sources.references import reference_kind

    with_references: dict[str, list[tuple[Entry, str]]] = {}
    for path, parsed in files.items():
        for entry in parsed.last_entries().values():
            kind = reference_kind(entry.value)
            if kind is not None and kind != "deploy-target":
                with_references.setdefault(path, []).append((entry, kind))
    if not with_references:
        return
    reported: set[tuple[str, str]] = set()
    for load in (*_code_loads(ctx), *_script_loads(ctx.project_dir)):
        for path in load.files:
            path = posixpath.normpath(path)
            for entry, kind in with_references.get(path, ()):
                if (path, entry.key) in reported:
                    continue
                reported.add((path, entry.key))
                yield EC513.finding(
                    f"{entry.key} is a {kind} reference, and {load.where} loads "
                    f"this file with {load.how}: the secret `op run` (or the platform) put in "
                    "the environment is replaced by the literal reference",
                    _at(entry),
                    key=entry.key,
                    hint="load the file without override (the loader's default), or keep "
                    "references in a file only the secret manager's `run` reads",
                )


def precedence_check(ctx: CheckContext) -> Iterator[Finding]:
    """EC521 and EC513 (the precedence family calls this)."""
    files = envfiles.project_files(ctx)
    yield from _standalone_drops(ctx, files)
    yield from _override_references(ctx, files)
