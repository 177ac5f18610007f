"""The facts :func:`envcheck.code.scan` reads from an app's source: types only.

Every fact names its place as ``file`` (project-relative, posix), ``line``
and ``col`` (both 1-based, as :class:`envcheck.model.Location`).  No fact
holds a value: a default in ``process.env.X ?? "x"`` makes the read
*optional*, and the ``"x"`` itself is never kept.  The classes are
:class:`~envcheck.model.FrozenRecord` (not dataclasses) so that a caller on
the start-up path pays nothing for importing them.
"""

from __future__ import annotations

from typing import Literal

from envcheck.model import FrozenRecord, Location

__all__ = [
    "CLIENT",
    "SERVER",
    "UNKNOWN",
    "CodeFacts",
    "EnvLoad",
    "EnvRead",
    "ModelUse",
    "Namer",
    "Note",
    "ReadContext",
    "Side",
]

Side = Literal["client", "server", "unknown"]
CLIENT: Side = "client"
SERVER: Side = "server"
UNKNOWN: Side = "unknown"

ReadKind = Literal["required", "optional", "feature", "dynamic"]
"""``required``: read with no default and not only tested, or tested by code that
throws (or exits) without it as the module loads; ``optional``: a
default (``?? "x"``, ``|| "x"``, ``.get("X", d)``, ``.optional()``,
``.default()``, envalid ``default``) or a read used only as a test
(``if (process.env.X)``, ``"X" in os.environ``); ``feature``: needed by the
feature that reads it, which throws its own error when the key is missing
(``const k = process.env.X; if (!k) throw new Error("X is not set")`` inside a
function, a method or a constructor, ``if not os.environ.get("X"): raise`` inside a
``def``), or read only where another key of its feature is set (``if
(process.env.SLACK_CLIENT_ID) { ... process.env.SLACK_CLIENT_SECRET }``, ``if "TOKEN"
in os.environ:``): the app starts without it and only that feature fails, with the
code's message, or is off, so it is no requirement of the app; ``dynamic``: the name is computed
(``process.env[name]``), so the key is unknown."""

FEATURE_NOTE = "feature only: needed when the feature that reads it runs"
"""How ``explain`` and the editor describe a ``feature`` read (one wording everywhere)."""

ReadForm = Literal["member", "subscript", "destructure", "call", "import", "schema", "dynamic"]
"""How the code spells the read: ``process.env.X`` (member), ``process.env["X"]``
(subscript), ``const { X } = process.env`` (destructure), ``os.getenv("X")``
(call), SvelteKit ``import { X } from '$env/static/private'`` (import), a key
of a t3-env / envalid / zod schema (schema), or a computed name (dynamic).
Next.js and Vite inline only *member* and *subscript* reads into the browser
bundle."""

ReadContext = Literal["app", "test", "script", "config", "build"]
"""Whose requirement a read is, from its file's path (:func:`envcheck.code.sides.context_of`):
``app`` the app's own code; ``test`` tests, e2e suites and stories (``tests/``,
``*.test.*``, ``*.stories.*``, ...); ``script`` one-off scripts (``scripts/``,
``.github/``), and every read of a command-line tool; ``config`` the config of a test or
lint tool (``vitest.config.*``, ``.storybook/``, ...); ``build`` a key the package's build
replaces (a bundler ``define``, a published library's own version): see
:mod:`envcheck.code.roles`.  Only an ``app`` read is a requirement of the app."""


class EnvRead(FrozenRecord):
    """One place the code reads an environment variable.

    ``key`` is ``None`` for a dynamic read; ``pattern`` then shows what is
    known of the name (``NEXT_PUBLIC_*`` for ```process.env[`NEXT_PUBLIC_${x}`]```).
    ``source`` names the API: ``process.env``, ``import.meta.env``,
    ``Deno.env``, ``Bun.env``, ``os.environ``, ``os.getenv``,
    ``django-environ``, ``t3-env``, ``envalid``, ``zod``, or a SvelteKit
    module such as ``$env/static/private``.  ``side`` is where the code runs
    (see :mod:`envcheck.code.sides`); a t3-env ``client:`` / ``server:``
    key takes the side of its section.  ``context`` says whether the read is the app's
    at all (:data:`ReadContext`).  ``rejects_empty``: the app's validator fails on the empty
    string (``z.string().min(1)``, ``z.url()``, envalid ``url()``, t3-env's
    ``emptyStringAsUndefined`` on a required key), so ``KEY=`` stops the app; a plain
    ``z.string()`` or envalid ``str()`` takes ``""`` as a value, as every unvalidated read does.
    ``asserted``: the code itself says the key must be there -- a validator's required key,
    a test that throws (or exits) without it as the module loads, TypeScript's non-null
    ``process.env.X!``, a use that throws on ``undefined`` (``process.env.X.split(",")``,
    ``new URL(process.env.X)``, ``JSON.parse(...)``), Python's ``os.environ["X"]``.  A plain
    ``required`` read (no default, no guard seen) says nothing of the kind: on projects this
    tool had never seen, most such reads were optional integrations chosen elsewhere.
    ``helper``: (module as imported, name) of the function of another package a schema
    read's validator is a call of (``DEMO_MODE: createBooleanSchema(false)`` with the
    function imported from ``@homarr/core/infrastructure/env``): the read is required
    until the workspace finds that function's schema optional
    (:func:`envcheck.code.schema_helpers.settle`); None for every other read.
    """

    __slots__ = (
        "key",
        "kind",
        "form",
        "source",
        "side",
        "file",
        "line",
        "col",
        "pattern",
        "context",
        "rejects_empty",
        "asserted",
        "helper",
    )
    key: str | None
    kind: ReadKind
    form: ReadForm
    source: str
    side: Side
    file: str
    line: int
    col: int
    pattern: str | None
    context: ReadContext
    rejects_empty: bool
    asserted: bool
    helper: tuple[str, str] | None

    def __init__(
        self,
        key: str | None,
        kind: ReadKind,
        form: ReadForm,
        source: str,
        side: Side,
        file: str,
        line: int,
        col: int,
        pattern: str | None = None,
        context: ReadContext = "app",
        rejects_empty: bool = False,
        asserted: bool = False,
        helper: tuple[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "form", form)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "side", side)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "col", col)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "context", context)
        object.__setattr__(self, "rejects_empty", rejects_empty)
        object.__setattr__(self, "asserted", asserted)
        object.__setattr__(self, "helper", helper)

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.col)

    @property
    def place(self) -> str:
        """``file:line``, with what a ``feature`` read means after it (for ``explain``)."""
        at = f"{self.file}:{self.line}"
        return f"{at} ({FEATURE_NOTE})" if self.kind == "feature" else at

    @property
    def public_module(self) -> bool:
        """A SvelteKit ``$env/*/public`` read: the key is meant for the browser."""
        return self.source.endswith("/public")


LoadTarget = Literal["file", "dir", "search"]
"""``file``: each path is an env file; ``dir``: each path is a folder the
loader reads its own file names from (Vite ``envDir``, ``loadEnv``,
``@next/env``, dotenv-flow); ``search``: the first ``.env`` found going up
from the first path (python-dotenv ``find_dotenv``), so ``paths`` lists every
candidate in the order tried."""

LoadBase = Literal["file", "cwd", "absolute"]
"""What a relative path was resolved against: the folder of the file that
names it (``__dirname``, ``import.meta.url``, ``Path(__file__).parent``), the
working directory the app starts in (taken as the package folder: a bare
``"../.env"``), or nothing (an absolute path in the source)."""


class EnvLoad(FrozenRecord):
    """One place the code loads env files, with the paths the runtime would open.

    ``paths`` are project-relative posix paths; when ``outside``, a path
    starts with ``..`` (or is absolute, as the code wrote it): such a path is
    kept as a fact and never read by this layer.  A path built from
    ``NODE_ENV`` (```.env.${process.env.NODE_ENV}```)
    gives one path per mode: ``modes[i]`` is the mode of ``paths[i]`` (``*``
    for a path of the same list that holds in every mode) and ``pattern``
    keeps the shape (``apps/web/.env.{mode}``); see :meth:`paths_for`.  ``resolved`` is
    False when the code computes the path in a way this layer does not follow
    (``paths`` is then empty).  ``loader`` names the API: ``dotenv``,
    ``dotenv-flow``, ``@next/env``, ``vite-envDir``, ``vite-loadEnv``,
    ``nestjs``, ``python-dotenv``, ``django-environ``.  ``helper``: (module as imported,
    ``""`` for the same file; function name) of a function of the project whose result
    names the file (``path.join(__dirname, "..", envFileFor(process.env.NODE_ENV))``):
    ``pattern`` then holds ``{file}`` in its place and ``paths`` are empty until the
    workspace finds the function (:func:`envcheck.code.loads.name_the_file`).
    """

    __slots__ = (
        "loader",
        "target",
        "paths",
        "modes",
        "pattern",
        "base",
        "outside",
        "resolved",
        "file",
        "line",
        "col",
        "helper",
    )
    loader: str
    target: LoadTarget
    paths: tuple[str, ...]
    modes: tuple[str, ...]
    pattern: str | None
    base: LoadBase
    outside: bool
    resolved: bool
    file: str
    line: int
    col: int
    helper: tuple[str, str] | None

    def __init__(
        self,
        loader: str,
        target: LoadTarget,
        paths: tuple[str, ...],
        modes: tuple[str, ...],
        pattern: str | None,
        base: LoadBase,
        outside: bool,
        resolved: bool,
        file: str,
        line: int,
        col: int,
        helper: tuple[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "loader", loader)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "paths", paths)
        object.__setattr__(self, "modes", modes)
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "outside", outside)
        object.__setattr__(self, "resolved", resolved)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "col", col)
        object.__setattr__(self, "helper", helper)

    def paths_for(self, mode: str) -> tuple[str, ...]:
        """The paths loaded in ``mode``: all of them unless they depend on the mode."""
        if not self.modes:
            return self.paths
        return tuple(p for p, m in zip(self.paths, self.modes, strict=True) if m in (mode, "*"))


class ModelUse(FrozenRecord):
    """A model name written as a literal in a call to an AI SDK.

    ``provider`` is guessed from the SDK the client was made from
    (``openai``, ``anthropic``, ``groq``, ``mistral``, ``gemini``, ...), or
    ``unknown``.
    """

    __slots__ = ("provider", "model", "file", "line", "col")
    provider: str
    model: str
    file: str
    line: int
    col: int

    def __init__(self, provider: str, model: str, file: str, line: int, col: int) -> None:
        object.__setattr__(self, "provider", provider)
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "col", col)


NoteKind = Literal[
    "syntax", "minified", "too-large", "unreadable", "link", "file-cap", "no-grammar", "unresolved"
]


class Note(FrozenRecord):
    """Why part of the source was not read, or read only in part.  Never quotes the source."""

    __slots__ = ("kind", "message", "file", "line", "col")
    kind: NoteKind
    message: str
    file: str
    line: int | None
    col: int | None

    def __init__(
        self, kind: NoteKind, message: str, file: str, line: int | None, col: int | None
    ) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "col", col)

    def __str__(self) -> str:
        return f"{Location(self.file, self.line, self.col)}: {self.message}"


Namer = tuple[str, str, tuple[tuple[str, str], ...]]
"""(file, function name, ((choice, file name), ...)): see :attr:`CodeFacts.namers`."""


class CodeFacts(FrozenRecord):
    """Everything :func:`envcheck.code.scan` found in one package.

    ``loads``: the env files the app's own code loads; in a package with a script that
    starts it, a test's, a test runner's or a tool's config loads (``playwright.config.ts``'s
    ``config({ path: ".env.test" })``) are that runner's, not what the app's dev or start
    reads, and are left out (:func:`envcheck.code.sides.starts_on_its_own`).
    ``files_scanned``: source files looked at (by extension); ``files_parsed``:
    those parsed in this run (0 on a warm cache); ``files_failed``: files
    with syntax errors (JS/TS facts are still read from the parts that
    parse; a Python file is skipped).  ``inlined``: the keys the package's
    ``next.config.*`` inlines into every bundle through its ``env: {...}``
    option (Next.js replaces ``process.env.<key>`` with the value at build time,
    in browser code too), sorted.  ``links``: (file, the modules it runs when it loads, as
    written: ``./x``, ``@/lib/x``, ``@acme/db/client``) for each file that imports any,
    sorted by file (:mod:`envcheck.workspace.reach` follows them across packages).
    ``sets``: the keys the app's own code sets for itself or for the processes it starts
    (``process.env.X = ...``, ``os.environ.setdefault("X", ...)``, ``spawn(cmd, { env: {
    ...process.env, X: ... } })``), sorted: the code, not a file, gives them a value.
    ``namers``: (file, function name, ((choice, file name), ...)) for each top-level
    function whose result names an env file by the mode it is given (a choice is a mode,
    ``""`` for none given, ``"*"`` for any other: :data:`envcheck.code.raw.UNSET`,
    :data:`~envcheck.code.raw.OTHER`), sorted: where an :attr:`EnvLoad.helper` is looked up.
    ``schema_helpers``: the names the package's files export of functions whose result is
    a schema that says optional (:attr:`envcheck.code.raw.FileFacts.schema_helpers`), sorted:
    where an :attr:`EnvRead.helper` is looked up.
    """

    __slots__ = (
        "reads",
        "loads",
        "models",
        "notes",
        "files_scanned",
        "files_parsed",
        "files_failed",
        "inlined",
        "links",
        "sets",
        "namers",
        "schema_helpers",
    )
    reads: tuple[EnvRead, ...]
    loads: tuple[EnvLoad, ...]
    models: tuple[ModelUse, ...]
    notes: tuple[Note, ...]
    files_scanned: int
    files_parsed: int
    files_failed: int
    inlined: tuple[str, ...]
    links: tuple[tuple[str, tuple[str, ...]], ...]
    sets: tuple[str, ...]
    namers: tuple[Namer, ...]
    schema_helpers: tuple[str, ...]

    def __init__(
        self,
        reads: tuple[EnvRead, ...],
        loads: tuple[EnvLoad, ...],
        models: tuple[ModelUse, ...],
        notes: tuple[Note, ...],
        files_scanned: int,
        files_parsed: int,
        files_failed: int,
        inlined: tuple[str, ...] = (),
        links: tuple[tuple[str, tuple[str, ...]], ...] = (),
        sets: tuple[str, ...] = (),
        namers: tuple[Namer, ...] = (),
        schema_helpers: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "reads", reads)
        object.__setattr__(self, "loads", loads)
        object.__setattr__(self, "models", models)
        object.__setattr__(self, "notes", notes)
        object.__setattr__(self, "files_scanned", files_scanned)
        object.__setattr__(self, "files_parsed", files_parsed)
        object.__setattr__(self, "files_failed", files_failed)
        object.__setattr__(self, "inlined", inlined)
        object.__setattr__(self, "links", links)
        object.__setattr__(self, "sets", sets)
        object.__setattr__(self, "namers", namers)
        object.__setattr__(self, "schema_helpers", schema_helpers)

    def reads_of(self, key: str) -> tuple[EnvRead, ...]:
        """Every read of ``key``, in file then line order."""
        return tuple(r for r in self.reads if r.key == key)

    def required_keys(self) -> tuple[str, ...]:
        """Keys some of the app's own code reads with no default (sorted): a key is optional
        only if every read of it is; a test's or a script's read is no requirement."""
        return tuple(
            sorted(
                {r.key for r in self.reads if r.key and r.kind == "required" and r.context == "app"}
            )
        )

    def keys(self) -> tuple[str, ...]:
        """Every key the code names (sorted), required or not."""
        return tuple(sorted({r.key for r in self.reads if r.key}))
