"""Machine-readable report, version 1.  The shape below is a contract.

Fields are only ever added within a version; renaming or removing one, or
changing its meaning, bumps ``version``.  No value of any variable appears
in the document: messages name keys only, and places are data (``path``,
``line``, ``col`` and ``related``).

Added within version 1: a finding's ``related`` list.  Some messages and
hints used to name these places in prose ("overrides .env.local:3", "also
read at src/a.ts:9:1"); they now name no place, and a consumer that showed
them reads ``related`` instead.

.. code-block:: text

    {
      "version": 1,                       # this schema's version (integer)
      "tool": "envcheck",
      "tool_version": "0.1.0",            # envcheck.__version__
      "framework": "nextjs",              # profile name ("" when not applicable, e.g. lint)
      "mode": "development",              # mode used ("" when not applicable)
      "files": [".env.local", ".env"],    # files read, highest priority first
      "findings": [                       # sorted by path, line, column, code
        {
          "code": "EC402",                # stable rule code
          "name": "shadowed-by-process-env",   # kebab-case rule name
          "severity": "error",            # "error" | "warning" | "info"
          "message": "…",                 # names the key and place, never a value
          "path": ".env.local",           # file as shown (relative to the project), or null
          "line": 3,                      # 1-based, or null
          "col": 1,                       # 1-based, in characters, or null
          "source": "file",               # "file" | "process" (process environment) | "none"
          "key": "OPENAI_API_KEY",        # the variable concerned, or null
          "hint": "…",                    # how to fix it, or null
          "related": [                    # other places the finding concerns (may be empty)
            {"path": ".env", "line": 1, "col": 1,   # as "path"/"line"/"col" above
             "label": "shadowed"}         # how the place is related ("read here", ...)
          ]
        }
      ],
      "summary": {"errors": 1, "warnings": 0, "info": 0, "files": 2,
                  "inconclusive": false,
                  "schema": "envcheck.toml",   # where the expected keys came from, or null
                  "schema_keys": 3,            # keys the schema declares
                  "process_keys": 1,           # declared keys set only in the process env
                  "code_keys": 4,              # keys the code reads by name (0: not read)
                  "checked_nothing": false}    # no file, no schema, no code read, nothing found
    }
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from envcheck import __version__
from envcheck.model import PROCESS, Finding, Location, Related, Report, Severity
from envcheck.secret import safe_key

__all__ = ["VERSION", "Items", "Members", "Texts", "dumps", "render", "to_dict", "write"]

VERSION = 1


def _place(location: Location) -> tuple[str, str | None, int | None, int | None]:
    """``source``, then ``path``, ``line`` and ``col`` (null unless the place is a file)."""
    path = location.path
    if path is None or path == PROCESS:
        return ("none" if path is None else "process"), None, None, None
    return "file", path, location.line, location.col


def _related(r: Related) -> dict[str, Any]:
    _, path, line, col = _place(r.location)
    return {"path": path, "line": line, "col": col, "label": r.label}


def _finding(f: Finding) -> dict[str, Any]:
    source, path, line, col = _place(f.location)
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message,
        "path": path,
        "line": line,
        "col": col,
        "source": source,
        "key": safe_key(f.key) if f.key is not None else None,
        "hint": f.hint,
        "related": [_related(r) for r in f.related],
    }


def to_dict(report: Report, *, stream: bool = False) -> dict[str, Any]:
    """The version-1 document as plain data (``target`` only for ``check --target``).

    ``stream``: the findings as :class:`Items`, each one's object made as :func:`write`
    writes it (``diff`` of 100k keys has thousands).
    """
    findings = (_finding(f) for f in report.sorted())
    document = {
        "version": VERSION,
        "tool": "envcheck",
        "tool_version": __version__,
        "framework": report.framework,
        "mode": report.mode,
        "files": list(report.files),
        "findings": Items(findings) if stream else list(findings),
        "summary": {
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "files": len(report.files),
            "inconclusive": report.inconclusive,
            "schema": report.schema or None,
            "schema_keys": report.schema_keys,
            "process_keys": report.process_keys,
            "code_keys": report.code_keys,
            "checked_nothing": report.checked_nothing,
        },
    }
    if report.target:
        document["target"] = dict(report.target)
    return document


def dumps(document: Any) -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False)``, in C where it can be.

    The stdlib runs its C encoder only without ``indent``; its pure-Python
    one took seconds for a document of 100k keys.  Every JSON document
    envcheck prints goes through here, so they are all indented alike.  The
    C writer (``_fastlines.dumps_indented``) escapes strings with the
    stdlib's own escaper and gives up (NotImplementedError) on anything but
    plain data: then json.dumps writes it, or raises its own error.
    """
    writer = _c_writer()
    if writer is not None:
        try:
            return writer(document, json.encoder.encode_basestring)
        except NotImplementedError:
            pass
    return json.dumps(document, indent=2, ensure_ascii=False, default=_as_list)


def _as_list(value: object) -> list[Any] | dict[str, Any]:
    """An :class:`Items` (or :class:`Members`) met by :func:`dumps` (not :func:`write`):
    written as the list (or object) it is."""
    if isinstance(value, Items):
        return list(value.items)
    if isinstance(value, Members):
        return dict(value.pairs)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


class Items:
    """A JSON array that :func:`write` writes a chunk of items at a time.

    For a document with one long list (``diff``'s row per key, ``explain``'s
    entry per key): its items come from an iterable, so neither the list of
    items nor the whole text is ever held; the bytes are those of
    :func:`dumps` on the same document with a list in its place.  An
    ``Items`` is read once; it may stand as a value of a dict, at any depth
    of dicts.
    """

    __slots__ = ("items",)

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


class Members:
    """A JSON object that :func:`write` writes a chunk of members at a time.

    :class:`Items` for an object (``explain``'s member per key): its
    ``(name, value)`` pairs come from an iterable, names distinct, and the
    bytes are those of :func:`dumps` on the same document with a dict in its
    place.  Read once; it may stand as a value of a dict, at any depth of dicts.
    """

    __slots__ = ("pairs",)

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        self.pairs = pairs


class Texts:
    """:class:`Items` whose items come as their JSON text, each as :func:`dumps` writes it
    (at depth 0): a long list whose items one shape of text writes faster than a dict per
    item and the writer would (``diff``'s row per key).  Read once; it may stand as a
    value of a dict, at any depth of dicts, for :func:`write` only."""

    __slots__ = ("texts",)

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = texts


CHUNK = 256  # items per call of the writer: few calls, a small text each


def write(document: Any, out: Callable[[str], object]) -> None:
    """Write ``document`` to ``out`` (``stream.write``) piece by piece, as :func:`dumps` would.

    ``Items`` and ``Members`` in it are written :data:`CHUNK` at a time; the rest goes
    through :func:`dumps` (a string has no raw newline in JSON, so a piece is
    indented to its depth by replacing its newlines).
    """
    _write(document, out, 0)


def _write(value: Any, out: Callable[[str], object], level: int) -> None:
    pad = "\n" + "  " * level
    if isinstance(value, Items):
        opened = False
        for chunk in _chunks(value.items):
            text = dumps(chunk)  # "[\n  a,\n  b\n]"
            out(("," if opened else "[") + text[1:-2].replace("\n", pad))
            opened = True
        out(pad + "]" if opened else "[]")
    elif isinstance(value, Texts):
        inner = pad + "  "
        opened = False
        for chunk in _chunks(value.texts):
            out(("," if opened else "[") + inner + ",\n".join(chunk).replace("\n", inner))
            opened = True
        out(pad + "]" if opened else "[]")
    elif isinstance(value, Members):
        opened = False
        for chunk in _chunks(value.pairs):
            text = dumps(dict(chunk))  # '{\n  "a": 1,\n  "b": 2\n}'
            out(("," if opened else "{") + text[1:-2].replace("\n", pad))
            opened = True
        out(pad + "}" if opened else "{}")
    elif type(value) is dict and any(_streams(v) for v in value.values()):
        encode = json.encoder.encode_basestring
        for index, (key, item) in enumerate(value.items()):
            out(("{" if index == 0 else ",") + pad + "  " + encode(key) + ": ")
            _write(item, out, level + 1)
        out(pad + "}")
    else:
        out(dumps(value).replace("\n", pad) if level else dumps(value))


def _streams(value: Any) -> bool:
    """Whether an ``Items`` or ``Members`` stands in ``value`` (itself, or in a dict, at any
    depth)."""
    if isinstance(value, (Items, Members, Texts)):
        return True
    return type(value) is dict and any(_streams(v) for v in value.values())


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _c_writer() -> Callable[[Any, Callable[[str], str]], str] | None:
    try:
        from envcheck.sources._fastlines import dumps_indented
    except ImportError:  # built without a C compiler, or a Python without its writer API
        return None
    return dumps_indented


def render(report: Report, **_: object) -> str:
    """The document as indented JSON (UTF-8 characters kept, no trailing newline)."""
    return dumps(to_dict(report))
