"""turbo.json as Turborepo reads it: JSONC with positions, and one task's settings.

Turborepo (2.x) parses ``turbo.json`` / ``turbo.jsonc`` as JSONC: ``//`` and
``/* */`` comments and trailing commas are allowed.  The rules must point
at the line and column of a task or key, which :mod:`json` cannot give, so
this module has its own small parser (no :mod:`json` import either: it is
only imported when a turbo.json exists, but stays cheap all the same).

What a task resolves to was checked against the real ``turbo run --dry=json``
(see docs/turborepo.md): in the root file ``web#build`` replaces ``build``
for package ``web`` as a whole; a package's own ``turbo.json``
(``"extends": ["//"]``) overrides the root task field by field, and an
array that starts with ``"$TURBO_EXTENDS$"`` appends to the root's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from envcheck.model import Record

__all__ = [
    "JsonError",
    "Node",
    "Task",
    "TurboFile",
    "env_excluded",
    "env_matches",
    "glob_matches",
    "parse_jsonc",
    "plain",
    "resolve_task",
]

# Bounds: a hostile file cannot make the parser recurse or work without end.
_MAX_DEPTH = 64
_MAX_CHARS = 4 * 1024 * 1024


class JsonError(Exception):
    """A turbo.json turbo would refuse to parse: what, and where (1-based line and column)."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class Node(Record):
    """One JSON value and where it is: the key's position for an object member.

    ``value`` is a str, int, float, bool, None, ``dict[str, Node]`` or
    ``list[Node]``.
    """

    __slots__ = ("value", "line", "col")
    value: Any
    line: int
    col: int

    def __init__(self, value: Any, line: int, col: int) -> None:
        self.value = value
        self.line = line
        self.col = col

    def get(self, key: str) -> Node | None:
        """The member ``key`` of an object (None for a missing key or a non-object)."""
        return self.value.get(key) if isinstance(self.value, dict) else None

    def strings(self) -> list[str] | None:
        """The string items of an array, None when this is not an array."""
        if not isinstance(self.value, list):
            return None
        return [n.value for n in self.value if isinstance(n.value, str)]


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, i: int) -> tuple[int, int]:
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:  # the last line start <= i
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= i:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, i - self.line_starts[lo] + 1

    def fail(self, message: str, i: int | None = None) -> JsonError:
        line, col = self.where(self.i if i is None else i)
        return JsonError(message, line, col)

    def skip(self) -> None:
        """Whitespace and comments."""
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c in " \t\r\n\ufeff":
                self.i += 1
            elif text.startswith("//", self.i):
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end + 1
            elif text.startswith("/*", self.i):
                end = text.find("*/", self.i + 2)
                if end < 0:
                    raise self.fail("unterminated /* comment")
                self.i = end + 2
            else:
                return

    def value(self, depth: int) -> Node:
        if depth > _MAX_DEPTH:
            raise self.fail(f"nested deeper than {_MAX_DEPTH} levels")
        self.skip()
        start = self.i
        line, col = self.where(start)
        if start >= len(self.text):
            raise self.fail("unexpected end of file")
        c = self.text[start]
        if c == "{":
            return Node(self.obj(depth), line, col)
        if c == "[":
            return Node(self.array(depth), line, col)
        if c == '"':
            return Node(self.string(), line, col)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, start):
                self.i += len(word)
                return Node(val, line, col)
        m = _NUMBER.match(self.text, start)
        if m:
            self.i = m.end()
            raw = m.group()
            return Node(float(raw) if any(ch in raw for ch in ".eE") else int(raw), line, col)
        raise self.fail(f"unexpected character {c!r}")

    def obj(self, depth: int) -> dict[str, Node]:
        self.i += 1
        out: dict[str, Node] = {}
        while True:
            self.skip()
            if self.text.startswith("}", self.i):
                self.i += 1
                return out
            if not self.text.startswith('"', self.i):
                raise self.fail('expected a "key" or }')
            line, col = self.where(self.i)
            key = self.string()
            self.skip()
            if not self.text.startswith(":", self.i):
                raise self.fail("expected : after the key")
            self.i += 1
            node = self.value(depth + 1)
            out[key] = Node(node.value, line, col)  # members point at their key
            if not self.comma("}"):
                raise self.fail("expected , or }")

    def array(self, depth: int) -> list[Node]:
        self.i += 1
        out: list[Node] = []
        while True:
            self.skip()
            if self.text.startswith("]", self.i):
                self.i += 1
                return out
            out.append(self.value(depth + 1))
            if not self.comma("]"):
                raise self.fail("expected , or ]")

    def comma(self, close: str) -> bool:
        """After a member: a comma (a trailing one is allowed), or the closing bracket next."""
        self.skip()
        if self.text.startswith(",", self.i):
            self.i += 1
            return True
        return self.text.startswith(close, self.i)

    def string(self) -> str:
        text, start = self.text, self.i
        self.i += 1
        parts: list[str] = []
        while True:
            end = self.i
            while end < len(text) and text[end] not in '"\\\n':
                end += 1
            parts.append(text[self.i : end])
            if end >= len(text) or text[end] == "\n":
                raise self.fail("unterminated string", start)
            if text[end] == '"':
                self.i = end + 1
                return "".join(parts)
            esc = text[end + 1 : end + 2]
            if esc == "u":
                digits = text[end + 2 : end + 6]
                if not re.fullmatch(r"[0-9a-fA-F]{4}", digits):
                    raise self.fail("bad \\u escape", end)
                parts.append(chr(int(digits, 16)))
                self.i = end + 6
            elif esc in _ESCAPES:
                parts.append(_ESCAPES[esc])
                self.i = end + 2
            else:
                raise self.fail("bad escape", end)


def parse_jsonc(text: str) -> Node:
    """The document's value with positions; :class:`JsonError` where turbo would refuse it."""
    if len(text) > _MAX_CHARS:
        raise JsonError(f"larger than {_MAX_CHARS // (1024 * 1024)} MiB", 1, 1)
    parser = _Parser(text)
    root = parser.value(0)
    parser.skip()
    if parser.i < len(text):
        raise parser.fail("unexpected content after the top-level value")
    return root


class TurboFile(Record):
    """One parsed turbo.json: its path as findings show it, and its top-level object."""

    __slots__ = ("path", "root")
    path: str
    root: Node

    def __init__(self, path: str, root: Node) -> None:
        self.path = path
        self.root = root

    def tasks(self) -> Node | None:
        """``tasks`` (2.x), else a 1.x ``pipeline`` read as what it becomes after the rename."""
        found = self.root.get("tasks") or self.root.get("pipeline")
        return found if found is not None and isinstance(found.value, dict) else None


class Task(Record):
    """One package's task after the root and package files are combined.

    ``fields`` maps each setting to the file and node it came from, so a
    finding points at the line that decides it; ``at`` is the task's key.
    """

    __slots__ = ("name", "at_path", "at", "fields")
    name: str
    at_path: str
    at: Node
    fields: dict[str, tuple[str, Node, Any]]

    def __init__(
        self, name: str, at_path: str, at: Node, fields: dict[str, tuple[str, Node, Any]]
    ) -> None:
        self.name = name
        self.at_path = at_path
        self.at = at
        self.fields = fields

    def value(self, field: str, default: Any = None) -> Any:
        got = self.fields.get(field)
        return default if got is None else got[2]

    def where(self, field: str) -> tuple[str, int, int]:
        """Where ``field`` is set, else where the task is."""
        got = self.fields.get(field)
        if got is None:
            return self.at_path, self.at.line, self.at.col
        return got[0], got[1].line, got[1].col

    def cached(self) -> bool:
        """Its outputs are cached and replayed: ``cache`` not false and not a persistent task."""
        return self.value("cache", True) is not False and self.value("persistent") is not True


_EXTENDS = "$TURBO_EXTENDS$"


def plain(node: Node) -> Any:
    """The value without positions: lists, dicts and scalars."""
    if isinstance(node.value, list):
        return [plain(n) for n in node.value]
    if isinstance(node.value, dict):
        return {k: plain(v) for k, v in node.value.items()}
    return node.value


def resolve_task(
    root: TurboFile, package: TurboFile | None, package_name: str, task: str
) -> Task | None:
    """What turbo runs for ``package_name#task``; None when no turbo.json defines it."""
    fields: dict[str, tuple[str, Node, Any]] = {}
    at: tuple[str, Node] | None = None
    root_tasks = root.tasks()
    if root_tasks is not None:
        base = root_tasks.get(f"{package_name}#{task}") or root_tasks.get(task)
        if base is not None and isinstance(base.value, dict):
            at = (root.path, base)
            for key, node in base.value.items():
                fields[key] = (root.path, node, plain(node))
    own = package.tasks() if package is not None else None
    mine = own.get(task) if own is not None else None
    if package is not None and mine is not None and isinstance(mine.value, dict):
        at = (package.path, mine)
        for key, node in mine.value.items():
            value = plain(node)
            if isinstance(value, list) and value[:1] == [_EXTENDS]:
                inherited = fields.get(key, ("", node, []))[2]
                value = [*(inherited if isinstance(inherited, list) else []), *value[1:]]
            fields[key] = (package.path, node, value)
    if at is None:
        return None
    return Task(task, at[0], at[1], fields)


# -- patterns ----------------------------------------------------------------


@cache
def _env_rx(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else re.escape(c) for c in pattern))


def env_matches(name: str, patterns: Iterable[str]) -> bool:
    """``name`` matches a positive pattern (``*`` wildcards) and no ``!`` negation of the list."""
    listed = list(patterns)
    if any(p.startswith("!") and _env_rx(p[1:]).fullmatch(name) for p in listed):
        return False
    return any(not p.startswith("!") and _env_rx(p).fullmatch(name) for p in listed)


def env_excluded(name: str, patterns: Iterable[str]) -> bool:
    """A ``!`` pattern of the list names ``name`` (it also removes framework inference)."""
    return any(p.startswith("!") and _env_rx(p[1:]).fullmatch(name) for p in patterns)


@cache
def _glob_rx(pattern: str) -> re.Pattern[str]:
    """A turbo (doublestar) glob: ``**`` crosses folders, ``*`` and ``?`` do not, ``{a,b}``.

    ``*`` matches names starting with a dot too (checked: ``"inputs": ["*"]``
    hashes ``.env.local``).
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    depth = 0
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "{":
            out.append("(?:")
            depth += 1
        elif c == "}" and depth:
            out.append(")")
            depth -= 1
        elif c == "," and depth:
            out.append("|")
        elif c == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                out.append("[^" + body[1:] + "]" if body[:1] == "!" else "[" + body + "]")
                i = end
        else:
            out.append(re.escape(c))
        i += 1
    out.append(")" * depth)
    return re.compile("".join(out))


def glob_matches(path: str, pattern: str) -> bool:
    """``path`` (relative, ``/``-separated) matches the glob (a leading ``./`` is ignored)."""
    pattern = pattern[2:] if pattern.startswith("./") else pattern
    return _glob_rx(pattern.rstrip("/")).fullmatch(path) is not None
