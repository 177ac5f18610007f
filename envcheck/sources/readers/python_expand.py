"""python-dotenv's ``${VAR}`` / ``${VAR:-default}`` interpolation, in one linear pass.

python-dotenv (``main.resolve_variables``) walks the bindings in file order and,
for every binding, builds a fresh dict of ``os.environ`` plus all values
resolved so far, then resolves the value's atoms against it: quadratic in the
file size.  The lookup it performs is simple enough to answer without the
copy, so here each variable costs two dict probes:

* ``override=True`` (what ``dotenv_values`` always does, and ``load_dotenv(override=True)``):
  a value defined earlier in the file wins over the environment;
* ``override=False`` (``load_dotenv()``'s default): the environment wins.

Faithful quirks, all checked against python-dotenv 1.2:

* every value is interpolated, single-quoted ones included (the parser does not
  tell ``resolve_variables`` how a value was quoted);
* ``$VAR`` without braces is literal; the default is literal text (no nesting);
* the default is used only when the name is *absent*: an empty value, or a bare
  key (``None``) defined earlier in the file, resolves to ``""``;
* a key's own earlier value is visible to it (``PATH=${PATH}:x`` appends).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from envcheck.model import FrozenRecord
from envcheck.sources.budget import BudgetExceeded, current
from envcheck.sources.readers.undefined import undefined_message
from envcheck.sources.types import Entry, Problem

__all__ = ["Literal", "Variable", "Atom", "parse_template", "expand_entries", "resolve_values"]

# Copied from dotenv/variables.py (``_posix_variable``).
_POSIX_VARIABLE = re.compile(r"\$\{(?P<name>[^\}:]*)(?::-(?P<default>[^\}]*))?\}")
_NAME_END = re.compile(r"[}:]")


def _variables(value: str) -> Iterator[tuple[int, int, str, str | None]]:
    """``_POSIX_VARIABLE.finditer(value)`` in linear time, as (start, end, name, default).

    The regex retries at every ``${`` inside a name that found no closing
    brace: quadratic on a long run of ``${`` (python-dotenv hangs on it).  A
    start inside a failed name ends at the same ``:`` or ``}`` and fails the
    same way, so the scan moves past the whole name instead.
    """
    find, size = value.find, len(value)
    start = find("${")
    while start != -1:
        stop = _NAME_END.search(value, start + 2)
        end = stop.start() if stop else size
        if end < size and value[end] == "}":
            yield start, end + 1, value[start + 2 : end], None
            start = find("${", end + 1)
            continue
        if value.startswith(":-", end):
            close = find("}", end + 2)
            if close != -1:
                yield start, close + 1, value[start + 2 : end], value[end + 2 : close]
                start = find("${", close + 1)
                continue
        start = find("${", end)


class Literal(FrozenRecord):
    """Text copied as is."""

    __slots__ = ("value",)
    _not_shown = ("value",)
    value: str

    def __init__(self, value: str) -> None:
        object.__setattr__(self, "value", value)


class Variable(FrozenRecord):
    """``${name}`` or ``${name:-default}``."""

    __slots__ = ("name", "default")
    _not_shown = ("default",)
    name: str
    default: str | None

    def __init__(self, name: str, default: str | None = None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "default", default)


Atom = Literal | Variable


def parse_template(value: str) -> tuple[Atom, ...]:
    """Split a value into literal text and variable references, like python-dotenv."""
    if "${" not in value:
        return (Literal(value),) if value else ()
    atoms: list[Atom] = []
    cursor = 0
    for start, end, name, default in _variables(value):
        if start > cursor:
            atoms.append(Literal(value[cursor:start]))
        atoms.append(Variable(name, default))
        cursor = end
    if cursor < len(value):
        atoms.append(Literal(value[cursor:]))
    return tuple(atoms)


_MISSING = object()
_FEW = 8


def _expand(
    value: str,
    resolved: Mapping[str, str | None],
    environ: Mapping[str, str],
    override: bool,
    missing: list[str] | None = None,
    key: str = "",
) -> str:
    first, second = (resolved, environ) if override else (environ, resolved)
    parts: list[str] = []
    cursor = 0
    size = 0
    budget = current()
    for start, end, name, default in _variables(value):
        parts.append(value[cursor:start])
        cursor = end
        found: object = first.get(name, _MISSING)
        if found is _MISSING:
            found = second.get(name, _MISSING)
        if found is _MISSING:
            if default is None and missing is not None:
                missing.append(name)
            found = default or ""
        piece = found if isinstance(found, str) else ""  # None (bare key) -> ""
        size += len(piece)
        if size > budget.max_value:  # stop before joining: many references to a big value
            budget.charge(key, size)
        parts.append(piece)
    parts.append(value[cursor:])
    return "".join(parts)


def expand_entries(
    entries: Sequence[Entry],
    environ: Mapping[str, str],
    *,
    override: bool,
    notes: list[Problem] | None = None,
    tool: str = "python-dotenv",
    where: str = "in this file, the files loaded before it nor in the process environment",
) -> list[str | None]:
    """The interpolated value of each entry, aligned with ``entries``.

    Bare keys give ``None``, as in python-dotenv.  ``environ`` stands for
    ``os.environ`` at the time of the call; it is only probed, never copied
    or iterated.  When ``notes`` is given, a value with a ``${NAME}`` found
    nowhere (no default) adds an ``undefined-variable`` problem, and a value
    over the expansion budget an ``expansion-budget`` one (that value is
    then kept as written); ``tool`` and ``where`` word the first (see
    :func:`~envcheck.sources.readers.undefined.undefined_message`).
    """
    resolved: dict[str, str | None] = {}
    first, second = (resolved, environ) if override else (environ, resolved)
    missing: list[str] = []
    budget = current()

    def lookup(match: re.Match[str]) -> str:
        name, default = match.groups()
        found: object = first.get(name, _MISSING)
        if found is _MISSING:
            found = second.get(name, _MISSING)
            if found is _MISSING:
                if default is None:
                    missing.append(name)
                return default or ""
        return found if isinstance(found, str) else ""  # None (bare key) -> ""

    sub = _POSIX_VARIABLE.sub
    out: list[str | None] = []
    append = out.append
    for entry in entries:
        raw = entry.value
        result: str | None = raw
        if entry.bare:
            result = None
        elif "${" in raw:
            # Few "${": the regex itself is linear (it retries at most that many
            # times) and faster than the generic scan of _expand.
            try:
                if raw.count("${") <= _FEW:
                    result = sub(lookup, raw)
                else:
                    result = _expand(raw, resolved, environ, override, missing, entry.key)
                budget.charge(entry.key, len(result), [v.name for v in _refs(raw)])
            except BudgetExceeded as err:
                result = raw
                if notes is not None:
                    notes.append(err.problem(entry.path, entry.line, entry.col))
            if missing:
                if notes is not None:
                    notes.append(_undefined(entry, missing, tool, where))
                missing.clear()
        resolved[entry.key] = result
        append(result)
    return out


def _refs(raw: str) -> Iterator[Variable]:
    for _start, _end, name, default in _variables(raw):
        yield Variable(name, default)


def _undefined(entry: Entry, names: list[str], tool: str, where: str) -> Problem:
    message = undefined_message(entry.key, entry.value, names, tool, where)
    return Problem("undefined-variable", message, entry.path, entry.line, entry.col, entry.key)


def resolve_values(
    entries: Sequence[Entry], environ: Mapping[str, str], *, override: bool = True
) -> dict[str, str | None]:
    """What ``dotenv_values(interpolate=True)`` returns (``override=True``), as a dict.

    Keys keep python-dotenv's order: first occurrence, last value.
    """
    return dict(_pairs(entries, expand_entries(entries, environ, override=override)))


def _pairs(
    entries: Sequence[Entry], values: Iterable[str | None]
) -> Iterable[tuple[str, str | None]]:
    for entry, value in zip(entries, values, strict=True):
        yield entry.key, value
