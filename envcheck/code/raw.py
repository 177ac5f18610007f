"""What one source file yields before the package is put together: the cached unit.

The extractors (:mod:`envcheck.code.js`, :mod:`envcheck.code.python`) fill a
:class:`FileFacts` from one file alone.  Everything that depends on other
files or on where the scan started (a read's client/server side, a load's
project-relative paths) is worked out afterwards, so these facts can be
cached per file (:mod:`envcheck.code.cache`) and reused whatever the root.
Plain tuples, lists, strings and numbers, so the cache holds plain data (:meth:`FileFacts.to_row`).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ENV_FILE_NAME",
    "MODE",
    "NAMED",
    "OTHER",
    "UNSET",
    "FileFacts",
    "RawLoad",
    "RawModel",
    "RawNamer",
    "RawNote",
    "RawRead",
    "RawSchemaHelperRead",
    "as_bool",
    "as_int",
    "as_opt_int",
    "as_helper",
    "as_opt_str",
    "as_pairs",
    "as_row",
    "as_str",
    "as_strings",
    "as_tuple",
]

# (key | None, kind, form, source, side override | None, line, col, pattern | None,
#  rejects_empty, asserted): see EnvRead
RawRead = tuple[str | None, str, str, str, str | None, int, int, str | None, bool, bool]
# (loader, target, specs, resolved, line, col, helper): each spec is (base, path), the
# path posix, relative to `base` ("file", "cwd" or "absolute"), possibly holding "{mode}",
# or "{file}" where `helper`, (module as imported, "" for this file; function name), a
# function of the project, gives the file's name (`resolved` is then False).
RawLoad = tuple[str, str, tuple[tuple[str, str], ...], bool, int, int, tuple[str, str] | None]
# (function name, ((choice, file name), ...)): a function of the file whose result is an
# env file's name chosen by the mode it is given; a choice is a mode's value, UNSET or OTHER.
RawNamer = tuple[str, tuple[tuple[str, str], ...]]
# (line, col, module as imported, name): a schema read whose validator is the call of a
# function imported from another module (``DEMO_MODE: createBooleanSchema(false)``); see
# FileFacts.helper_reads.
RawSchemaHelperRead = tuple[int, int, str, str]
# (provider, model, line, col)
RawModel = tuple[str, str, int, int]
# (kind, message, line | None, col | None)
RawNote = tuple[str, str, int | None, int | None]

MODE = "{mode}"
"""Stands in a load path for the mode the app runs in (``NODE_ENV``, Vite's ``mode``)."""
NAMED = "{file}"
"""Stands in a load path for the file name a function of the project returns
(``path.join(__dirname, "..", envFileFor(process.env.NODE_ENV))``)."""
UNSET = ""
"""The choice of a file-naming function called without a mode (``NODE_ENV`` unset)."""
OTHER = "*"
"""The choice of a file-naming function for any mode it does not name (a ``default:``)."""
ENV_FILE_NAME = rb"[\"'`/]\.env|\.env[\"'`]"
"""Bytes of a string naming an env file (``".env.production"``, ``"../.env"``,
``"config/local.env"``): a file-naming function holds one (the prefilter,
:data:`envcheck.code.files.PREFILTER`, and the extractor look for it)."""


class FileFacts:
    """The facts of one file: reads, loads, model literals, notes, and for JS/TS its
    relative imports and ``'use client'`` / ``'use server'`` directive.

    ``imports`` are the relative (and ``@/``, ``~/``) specifiers of every import, type
    imports included (the client/server split: :mod:`envcheck.code.sides`); ``links``
    are the specifiers of the modules the file *runs* when it loads -- relative, alias
    and bare (``@acme/db``, ``@acme/db/client``), type-only imports left out -- so that
    a workspace can tell which library files an app really reaches
    (:mod:`envcheck.workspace.reach`); ``selected``, those of ``links`` the file runs only
    where a key selects them (:meth:`envcheck.code.js._Extractor.selected_links`).

    ``schema_helpers``: the names this file exports of functions whose result is a schema
    that says optional (``export const createBooleanSchema = (d: boolean) =>
    z.stringbool().default(d)``), or of such schemas themselves; ``helper_reads``: (line,
    col, module as imported, name) of each required schema read whose validator is such a
    function's call imported from another module (``DEMO_MODE: createBooleanSchema(false)``,
    homarr's t3-env files): one file alone cannot tell, the package and the workspace do
    (:mod:`envcheck.code.schema_helpers`).

    Two facts only a framework's config file gives: ``inlined``, the keys a
    ``next.config.*`` inlines into every bundle through its ``env: {...}`` option;
    ``vite_library``, that a ``vite.config.*`` builds a library or an SSR bundle
    (``build.lib`` / ``build.ssr``), not a browser app.
    """

    __slots__ = (
        "reads",
        "loads",
        "models",
        "notes",
        "imports",
        "links",
        "directive",
        "parsed",
        "failed",
        "inlined",
        "vite_library",
        "sets",
        "selected",
        "namers",
        "schema_helpers",
        "helper_reads",
    )

    def __init__(self) -> None:
        self.reads: list[RawRead] = []
        self.loads: list[RawLoad] = []
        self.models: list[RawModel] = []
        self.notes: list[RawNote] = []
        self.imports: list[str] = []
        self.links: list[str] = []
        self.directive: str | None = None
        self.parsed = False
        self.failed = False
        self.inlined: list[str] = []
        self.vite_library = False
        self.sets: list[str] = []  # keys the code itself sets: `process.env.X = ...`, a child's env
        self.selected: list[str] = []  # links run only on a branch a key selects
        # functions naming an env file by mode: envcheck.code.js._file_name_choices
        self.namers: list[RawNamer] = []
        self.schema_helpers: list[str] = []  # exported functions returning an optional schema
        self.helper_reads: list[RawSchemaHelperRead] = []  # schema reads waiting on one

    def to_row(self) -> tuple[Any, ...]:
        """Plain tuples, strings, ints and bools only: what the cache writes
        (:mod:`envcheck.code.cache`, as JSON), read back by :meth:`from_row`."""
        return (
            tuple(tuple(r) for r in self.reads),
            tuple(
                (*r[:2], tuple(tuple(spec) for spec in r[2]), *r[3:6], r[6] and tuple(r[6]))
                for r in self.loads
            ),
            tuple(tuple(m) for m in self.models),
            tuple(tuple(n) for n in self.notes),
            tuple(self.imports),
            tuple(self.links),
            self.directive,
            self.parsed,
            self.failed,
            tuple(self.inlined),
            self.vite_library,
            tuple(self.sets),
            tuple(self.selected),
            tuple((name, tuple(tuple(c) for c in choices)) for name, choices in self.namers),
            tuple(self.schema_helpers),
            tuple(tuple(h) for h in self.helper_reads),
        )

    @classmethod
    def from_row(cls, row: Any) -> FileFacts:
        """Rebuild from :meth:`to_row`, checking every field's type: the row comes from a
        file on disk.  Raises ``ValueError`` / ``TypeError`` on any damage."""
        (
            reads, loads, models, notes, imports, links, directive, parsed, failed, inlined,
            vite_library, sets, selected, namers, schema_helpers, helper_reads,
        ) = as_row(row, 16)  # fmt: skip
        facts = cls()
        facts.reads = [_read(r) for r in as_tuple(reads)]
        facts.loads = [_load(r) for r in as_tuple(loads)]
        facts.models = [_model(r) for r in as_tuple(models)]
        facts.notes = [_note(r) for r in as_tuple(notes)]
        facts.imports = as_strings(imports)
        facts.links = as_strings(links)
        facts.directive = as_opt_str(directive)
        facts.parsed = as_bool(parsed)
        facts.failed = as_bool(failed)
        facts.inlined = as_strings(inlined)
        facts.vite_library = as_bool(vite_library)
        facts.sets = as_strings(sets)
        facts.selected = as_strings(selected)
        facts.namers = [_namer(n) for n in as_tuple(namers)]
        facts.schema_helpers = as_strings(schema_helpers)
        facts.helper_reads = [_helper_read(h) for h in as_tuple(helper_reads)]
        return facts


def as_tuple(value: Any) -> tuple[Any, ...] | list[Any]:
    """A JSON array read from the cache (a tuple when written); ``TypeError`` if not one."""
    if not isinstance(value, (list, tuple)):
        raise TypeError("expected an array")
    return value


def as_strings(value: Any) -> list[str]:
    """An array of strings read from the cache, as a list; ``TypeError`` if it is not one."""
    if not isinstance(value, (list, tuple)) or not all(type(item) is str for item in value):
        raise TypeError("expected strings")
    return list(value)


def as_str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected a string")
    return value


def as_opt_str(value: Any) -> str | None:
    return None if value is None else as_str(value)


def as_int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("expected an integer")
    return value


def as_opt_int(value: Any) -> int | None:
    return None if value is None else as_int(value)


def as_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("expected a boolean")
    return value


def as_row(value: Any, size: int) -> tuple[Any, ...] | list[Any]:
    if not isinstance(value, (list, tuple)) or len(value) != size:
        raise ValueError("bad cached row")
    return value


def _read(value: Any) -> RawRead:
    k, kind, form, source, side, line, col, pattern, rejects_empty, asserted = as_row(value, 10)
    return (
        as_opt_str(k),
        as_str(kind),
        as_str(form),
        as_str(source),
        as_opt_str(side),
        as_int(line),
        as_int(col),
        as_opt_str(pattern),
        as_bool(rejects_empty),
        as_bool(asserted),
    )


def as_pairs(value: Any) -> tuple[tuple[str, str], ...]:
    """An array of string pairs read from the cache; ``TypeError`` / ``ValueError`` if not."""
    return tuple((as_str(a), as_str(b)) for a, b in (as_row(p, 2) for p in as_tuple(value)))


def as_helper(value: Any) -> tuple[str, str] | None:
    """A load's helper (module, function name) read from the cache, or None."""
    if value is None:
        return None
    module, name = as_row(value, 2)
    return as_str(module), as_str(name)


def _load(value: Any) -> RawLoad:
    loader, target, specs, resolved, line, col, helper = as_row(value, 7)
    return (
        as_str(loader),
        as_str(target),
        as_pairs(specs),
        as_bool(resolved),
        as_int(line),
        as_int(col),
        as_helper(helper),
    )


def _namer(value: Any) -> RawNamer:
    name, choices = as_row(value, 2)
    return as_str(name), as_pairs(choices)


def _helper_read(value: Any) -> RawSchemaHelperRead:
    line, col, module, name = as_row(value, 4)
    return as_int(line), as_int(col), as_str(module), as_str(name)


def _model(value: Any) -> RawModel:
    provider, model, line, col = as_row(value, 4)
    return (as_str(provider), as_str(model), as_int(line), as_int(col))


def _note(value: Any) -> RawNote:
    kind, message, line, col = as_row(value, 4)
    return (as_str(kind), as_str(message), as_opt_int(line), as_opt_int(col))
