"""Vite's ``loadEnv`` (vite 8.4.0), reproduced with provenance.

Read from ``vite/dist/node/chunks/node.js`` (``loadEnv``,
``getEnvFilesForMode`` and the bundled copy of dotenv-expand's ``expand``):

* files are read in the order ``.env``, ``.env.local``, ``.env.<mode>``,
  ``.env.<mode>.local`` and merged with ``Object.fromEntries``, so a later
  file wins: the priority, highest first, is ``.env.<mode>.local``,
  ``.env.<mode>``, ``.env.local``, ``.env``.  ``.env.local`` is read in every
  mode (Vite has no "test" exception); the mode ``local`` throws.  Note that
  ``.env.<mode>`` beats ``.env.local`` -- the opposite of Next.js.
* each file goes through ``util.parseEnv`` (see
  :mod:`envcheck.sources.readers.nodeutil`; the dialect depends on Node).
* ``NODE_ENV`` from a file is copied to ``process.env.VITE_USER_NODE_ENV``,
  and ``BROWSER`` / ``BROWSER_ARGS`` to ``process.env``, when not set there.
* expansion runs over the merged keys in JavaScript property order.  A key
  with a non-empty process value takes that value unexpanded; otherwise its
  ``${VAR}`` / ``$VAR`` references are resolved with process values first,
  then the merged file values (already expanded for earlier keys, raw for
  later ones).  ``\\$`` becomes ``$`` afterwards.
* with prefixes ``''`` the result is every merged key, then every
  ``process.env`` key on top: a process value wins for every key, even an
  empty one (which still counts as unset inside ``${}``).

dotenv-expand's quirks are kept on purpose: ``${A:-x}`` and ``${A-x}`` are
the same (both test truthiness), an expression without an operator is split
at the text ``null`` (JavaScript ``split(null)``), substitution goes through
``String.prototype.replace`` (so ``$$``, ``$&``, ``$``` and ``$'`` in a value
are replacement patterns), and each replacement restarts the scan so values
are expanded recursively.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import PurePath

from envcheck.secret import Secret
from envcheck.sources.budget import Budget, BudgetExceeded, current
from envcheck.sources.gcpause import gc_paused
from envcheck.sources.jsorder import js_order
from envcheck.sources.readers.node_expand import (
    DOTENV_EXPAND_REF,
    ExpandIssue,
    js_replace_first,
    reinserts,
    split_expression,
    undefined_issue,
)
from envcheck.sources.types import (
    PROCESS_ORIGIN,
    Entry,
    LoadResult,
    Origin,
    ParsedFile,
    Problem,
    Resolved,
)

__all__ = ["load_vite", "expand_value"]

_MAX_STEPS = 10_000  # substitutions per value before we call it runaway

# ``env[name]`` on a plain JavaScript object finds Object.prototype members.
# What ``String.prototype.replace`` then produces with that "value" as the
# replacer function: a string, or None where Vite throws / never terminates.
_PROTO_RESULT: dict[str, str | None] = {
    "toString": "[object Undefined]",
    "isPrototypeOf": "false",
    "__proto__": "[object Object]",
    "constructor": None,
    "hasOwnProperty": None,
    "propertyIsEnumerable": None,
    "toLocaleString": None,
    "valueOf": None,
    "__defineGetter__": None,
    "__defineSetter__": None,
    "__lookupGetter__": None,
    "__lookupSetter__": None,
}


class ViteFailure(Exception):
    """Vite itself would throw or hang here (internal; becomes a note)."""


def expand_value(
    value: str,
    lookup: Callable[[str], str | None],
    parsed_now: Mapping[str, str],
    *,
    key: str = "",
    budget: Budget | None = None,
    undefined: list[str] | None = None,
) -> str:
    """dotenv-expand 12's ``expandValue`` as bundled in Vite 8.

    ``lookup`` is ``{...runningParsed, ...processEnv}[name]``; ``parsed_now``
    the merged file values as they are at this point of the expansion.
    Raises :class:`ViteFailure` where Vite would throw or loop forever, and
    :class:`~envcheck.sources.budget.BudgetExceeded` when the value of
    ``key`` grows past the budget.  Names written in ``value`` that are
    defined nowhere (and have no default) are appended to ``undefined``.
    """
    if "$" not in value:  # the common case: nothing to expand
        return value
    if budget is None:
        budget = current()
    result = value
    seen: set[str] = set()
    chain: list[str] = []
    looping = False
    steps = 0
    while (m := DOTENV_EXPAND_REF.search(result)) is not None:
        steps += 1
        if steps > _MAX_STEPS:
            raise ViteFailure("expansion does not terminate")
        seen.add(result)
        template = m.group(0)
        name, splitter, rest = split_expression(m.group(1) or m.group(2))
        chain.append(name)
        if (
            undefined is not None
            and splitter == "null"
            and name not in _PROTO_RESULT
            and lookup(name) is None
            and template in value
        ):
            undefined.append(name)
        found: str | None
        if name in _PROTO_RESULT and lookup(name) is None:
            proto = _PROTO_RESULT[name]
            if splitter in (":+", "+"):
                replacement = rest
            elif proto is None:
                raise ViteFailure("reference to an Object.prototype member")
            else:
                replacement = proto
        else:
            found = lookup(name)
            if splitter in (":+", "+"):
                default, found = (rest if found else ""), None
            else:
                default = rest
            replacement = (default if found in seen else found) if found else default
        looping = looping or reinserts(template, replacement)
        try:
            result = js_replace_first(result, template, replacement, budget, key)
            # At least _STEP_COST per step: a loop whose value never grows (a reference
            # that keeps putting back one of the same size) still ends, within 262k steps.
            budget.charge(key, max(len(result), _STEP_COST), chain)
        except BudgetExceeded as err:
            err.runaway = looping
            raise
        if result == parsed_now.get(name):
            break
    return result


_STEP_COST = 256


@functools.lru_cache(maxsize=64)
def _file_kind(path: str, mode: str) -> str:
    name = PurePath(path).name
    return {".env.local": "local", f".env.{mode}": "mode"}.get(name, name)


@gc_paused
def load_vite(parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str) -> LoadResult:
    """What ``loadEnv(mode, dir, '')`` returns, for the keys the files define.

    ``parsed`` holds the files that exist, highest priority first
    (``.env.<mode>.local``, ``.env.<mode>``, ``.env.local``, ``.env``), each
    parsed with :func:`envcheck.sources.readers.nodeutil.parse`.
    ``vars`` has every file key, plus ``VITE_USER_NODE_ENV`` when Vite adds it.
    """
    result = LoadResult()
    notes = result.notes
    if mode == "local":
        where = parsed[0].path if parsed else ".env"
        notes.append(Problem("invalid-mode", 'Vite refuses the mode "local"', where))
        return result

    # Object.fromEntries over the files in load order (lowest priority first).
    merged: dict[str, str] = {}
    candidates: dict[str, list[Entry]] = {}  # highest priority first
    for pf in reversed(parsed):
        last = pf.last_entries()
        for key in js_order(sorted(last)):
            merged[key] = last[key].value
            candidates.setdefault(key, []).insert(0, last[key])
    order = js_order(list(merged))

    process = dict(process_env)  # process.env after loadEnv's own writes
    written: dict[str, Entry] = {}  # key loadEnv writes into process.env -> source entry
    for name, dst in (("NODE_ENV", "VITE_USER_NODE_ENV"), ("BROWSER", ""), ("BROWSER_ARGS", "")):
        dst = dst or name
        if merged.get(name) and dst not in process:
            process[dst] = merged[name]  # raw: expansion has not run yet
            written[dst] = candidates[name][0]

    def lookup(name: str) -> str | None:
        return process[name] if name in process else merged.get(name)

    budget = current()
    for key in order:
        value = merged[key]
        own = process.get(key)
        try:
            if key in _PROTO_RESULT and own is None and key != "__proto__":
                raise ViteFailure("key named like an Object.prototype member")
            if own and own != value:
                value = own
            else:
                undefined: list[str] = []
                raw = value
                mark = budget.spent
                try:
                    value = expand_value(
                        value, lookup, merged, key=key, budget=budget, undefined=undefined
                    )
                except BudgetExceeded as err:
                    if not err.runaway:
                        raise
                    # Its own reference keeps coming back: Vite never finishes.
                    budget.rollback(mark)
                    raise ViteFailure("expansion does not terminate") from None
                if undefined:
                    _note_issue(
                        notes, candidates[key][0], undefined_issue(key, raw, undefined, "Vite")
                    )
        except BudgetExceeded as err:
            entry = candidates[key][0]
            notes.append(err.problem(entry.path, entry.line, entry.col))
            continue  # the value stays as written
        except ViteFailure as err:
            entry = candidates[key][0]
            notes.append(
                Problem(
                    "vite-crash",
                    f"Vite's loadEnv fails on {key}: {err}",
                    entry.path,
                    entry.line,
                    entry.col,
                    key,
                )
            )
            value = ""
        merged[key] = value.replace("\\$", "$")

    for key in order:
        entries = candidates[key]
        origins = [Origin(e.path, e.line, e.col) for e in entries]  # inline: once per key
        if key in process_env:
            result.vars[key] = Resolved(key, Secret(process_env[key]), PROCESS_ORIGIN, origins)
        elif key in written:
            # The final loop copies process.env over the result: the raw,
            # unexpanded value loadEnv wrote there wins (BROWSER=${X} stays).
            source = written[key]
            shadowed = [o for o in origins if o != Origin.of(source)]
            result.vars[key] = Resolved(
                key, Secret(process[key]), Origin.of(source), shadowed, Secret(source.value), source
            )
        else:
            win = entries[0]
            result.vars[key] = Resolved(
                key, Secret(merged[key]), origins[0], origins[1:], Secret(win.value), win
            )
        if len(entries) > 1 or key in process_env:  # nothing to note otherwise
            _notes_for(key, entries, process_env, mode, notes)
    for key, source in written.items():
        if key not in result.vars:
            result.vars[key] = Resolved(
                key, Secret(process[key]), Origin.of(source), [], Secret(source.value), source
            )
    return result


def _note_issue(notes: list[Problem], entry: Entry, issue: ExpandIssue) -> None:
    notes.append(Problem(issue.kind, issue.message, entry.path, entry.line, entry.col, issue.key))


def _notes_for(
    key: str, entries: list[Entry], process_env: Mapping[str, str], mode: str, notes: list[Problem]
) -> None:
    win = entries[0]
    if key in process_env:
        empty = " (empty there, yet ${} references still see the file value)"
        notes.append(
            Problem(
                "process-shadows-file",
                f"{key} from the process environment overrides this file's value"
                + (empty if not process_env[key] else ""),
                win.path,
                win.line,
                win.col,
                key,
            )
        )
    if len(entries) < 2:
        return
    kinds = [_file_kind(e.path, mode) for e in entries]
    if "mode" in kinds and "local" in kinds and kinds.index("mode") < kinds.index("local"):
        local = entries[kinds.index("local")]
        notes.append(
            Problem(
                "vite-mode-beats-local",
                f"{key} in .env.{mode} overrides this value in Vite (Next.js does the opposite)",
                local.path,
                local.line,
                local.col,
                key,
            )
        )
