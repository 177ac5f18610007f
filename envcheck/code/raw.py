"""What one source file yields before the package is put together: the cached unit.

The extractors (:mod:`envcheck.code.js`, :mod:`envcheck.code.python`) fill a
:class:`FileFacts` from one file alone.  Everything that depends on other
files or on where the scan started (a read's client/server side, a load's
project-relative paths) is worked out afterwards, so these facts can be
cached per file (:mod:`envcheck.code.cache`) and reused whatever the root.
Plain tuples and lists, so the cache is plain JSON.
"""

from __future__ import annotations

from typing import Any

# (key | None, kind, form, source, side override | None, line, col, pattern | None)
RawRead = tuple[str | None, str, str, str, str | None, int, int, str | None]
# (loader, target, specs, resolved, line, col): each spec is (base, path), the path
# posix, relative to `base` ("file", "cwd" or "absolute"), possibly holding "{mode}".
RawLoad = tuple[str, str, tuple[tuple[str, str], ...], bool, int, int]
# (provider, model, line, col)
RawModel = tuple[str, str, int, int]
# (kind, message, line | None, col | None)
RawNote = tuple[str, str, int | None, int | None]

MODE = "{mode}"
"""Stands in a load path for the mode the app runs in (``NODE_ENV``, Vite's ``mode``)."""


class FileFacts:
    """The facts of one file: reads, loads, model literals, notes, and for JS/TS its
    relative imports and ``'use client'`` / ``'use server'`` directive.

    ``imports`` are the relative (and ``@/``, ``~/``) specifiers of every import, type
    imports included (the client/server split: :mod:`envcheck.code.sides`); ``links``
    are the specifiers of the modules the file *runs* when it loads -- relative, alias
    and bare (``@acme/db``, ``@acme/db/client``), type-only imports left out -- so that
    a workspace can tell which library files an app really reaches
    (:mod:`envcheck.workspace.reach`).

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

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("reads", "loads", "models", "notes", "imports", "links", "inlined", "sets"):
            items = getattr(self, name)
            if items:
                out[name] = items
        if self.directive:
            out["directive"] = self.directive
        if self.parsed:
            out["parsed"] = True
        if self.failed:
            out["failed"] = True
        if self.vite_library:
            out["vite_library"] = True
        return out

    @classmethod
    def from_json(cls, data: Any) -> FileFacts:
        """Rebuild from :meth:`to_json`; raises ``ValueError`` / ``TypeError`` on any damage."""
        if not isinstance(data, dict):
            raise TypeError("file facts must be an object")
        facts = cls()
        facts.reads = [_read(r) for r in data.get("reads", [])]
        facts.loads = [_load(r) for r in data.get("loads", [])]
        facts.models = [_model(r) for r in data.get("models", [])]
        facts.notes = [_note(r) for r in data.get("notes", [])]
        facts.imports = [_str(i) for i in data.get("imports", [])]
        facts.links = [_str(i) for i in data.get("links", [])]
        directive = data.get("directive")
        facts.directive = None if directive is None else _str(directive)
        facts.parsed = data.get("parsed", False) is True
        facts.failed = data.get("failed", False) is True
        facts.inlined = [_str(k) for k in data.get("inlined", [])]
        facts.vite_library = data.get("vite_library", False) is True
        facts.sets = [_str(k) for k in data.get("sets", [])]
        return facts


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected an integer")
    return value


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _row(value: Any, size: int) -> list[Any]:
    if not isinstance(value, list) or len(value) != size:
        raise ValueError("bad cached row")
    return value


def _read(value: Any) -> RawRead:
    k, kind, form, source, side, line, col, pattern = _row(value, 8)
    return (
        _opt_str(k),
        _str(kind),
        _str(form),
        _str(source),
        _opt_str(side),
        _int(line),
        _int(col),
        _opt_str(pattern),
    )


def _load(value: Any) -> RawLoad:
    loader, target, specs, resolved, line, col = _row(value, 6)
    if not isinstance(specs, list) or not isinstance(resolved, bool):
        raise TypeError("bad cached load")
    pairs = tuple(_row(spec, 2) for spec in specs)
    return (
        _str(loader),
        _str(target),
        tuple((_str(base), _str(path)) for base, path in pairs),
        resolved,
        _int(line),
        _int(col),
    )


def _model(value: Any) -> RawModel:
    provider, model, line, col = _row(value, 4)
    return (_str(provider), _str(model), _int(line), _int(col))


def _note(value: Any) -> RawNote:
    kind, message, line, col = _row(value, 4)
    return (_str(kind), _str(message), _opt_int(line), _opt_int(col))
