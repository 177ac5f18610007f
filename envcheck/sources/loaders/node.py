"""How the Node frameworks combine parsed env files with the process environment.

Each ``load_<name>`` takes the files that exist, already parsed, in the
framework's priority order (highest first), and returns what the app sees
for every key those files define, with the winning origin and what it
shadowed.  Read from the frameworks' own sources:

* Next.js (``@next/env`` 16.4.6, ``loadEnvConfig``/``processEnv``): each file
  is expanded with the bundled old dotenv-expand *against process.env*, and
  its keys are written into process.env before the next file is read, so a
  key in a lower file takes the higher file's value and expands it again.
  A key that was in the process environment at start always wins (its value
  may still be expanded).  A file whose expansion overflows the stack is
  dropped whole.  ``NODE_ENV=test`` in the process forces mode ``test``
  (:func:`effective_mode`); otherwise ``next dev`` is development, anything
  else production.  A set ``__NEXT_PROCESSED_ENV`` makes it load nothing.
* Create React App (react-scripts 5.0.1 ``config/env.js``): for each file,
  ``dotenv.config`` (dotenv 10) then dotenv-expand 5.1.0; first file wins,
  the process environment wins, and every later file defining a key expands
  the current value again.  Use :func:`envcheck.sources.readers.node_cra.parse`.
* dotenv 17 ``config({path: [...]})``: first file wins, process wins (even
  an empty value); no expansion unless dotenv-expand runs after it
  (:func:`load_dotenv_expand`).
* dotenv-flow 4.1.0: ``Object.assign`` over the files lowest first, so the
  highest file wins; process wins; no expansion.  Its default pattern also
  reads ``.env.defaults`` as the lowest file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import cast

from envcheck.secret import Secret
from envcheck.sources.gcpause import gc_paused
from envcheck.sources.jsorder import js_order
from envcheck.sources.readers.node_expand import (
    ExpandIssue,
    expand_cra,
    expand_dotenv,
    expand_next,
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

__all__ = [
    "effective_mode",
    "load_cra",
    "load_dotenv",
    "load_dotenv_expand",
    "load_dotenv_flow",
    "load_nextjs",
    "next_mode",
]


def effective_mode(mode: str, process_env: Mapping[str, str]) -> str:
    """The mode Next.js really uses: ``NODE_ENV=test`` in the process beats ``mode``."""
    return "test" if process_env.get("NODE_ENV") == "test" else mode


def next_mode(dev: bool, process_env: Mapping[str, str]) -> str:
    """``loadEnvConfig(dir, dev)``'s mode: test, else development (dev) or production."""
    return effective_mode("development" if dev else "production", process_env)


def _winners(
    parsed: Sequence[ParsedFile], skip: set[str]
) -> tuple[dict[str, Entry], dict[str, list[Entry]]]:
    """Key -> the entry the highest-priority file defining it keeps, and key -> the
    entries lower files keep for it (only for the keys they shadow), highest first.

    No list per key: most keys are defined by one file.
    """
    tops: dict[str, Entry] = {}
    lower: dict[str, list[Entry]] = {}
    for pf in parsed:
        if pf.path in skip:
            continue
        if not tops:  # the first file: every key is new
            tops = dict(pf.last_entries())
            continue
        for key, entry in pf.last_entries().items():
            if key in tops:
                lower.setdefault(key, []).append(entry)
            else:
                tops[key] = entry
    return tops, lower


def _resolve(
    parsed: Sequence[ParsedFile],
    final: Mapping[str, str],
    process_wins: set[str],
    framework: str,
    *,
    skip: set[str] | None = None,
    notes: list[Problem] | None = None,
) -> LoadResult:
    """Turn final values into :class:`Resolved` records with provenance and notes.

    This runs once per key of every file: a file's winner is one small record
    (:meth:`Resolved.of_entry`), and an Origin is built only for a shadowed entry.
    """
    notes = notes if notes is not None else []
    tops, lower = _winners(parsed, skip or set())
    get = final.get
    # ``tops`` becomes the result: each key's entry is replaced by its record, in place.
    out = cast("dict[str, Resolved]", tops)
    for key, top in tops.items():
        below = lower.get(key) if lower else None
        value = get(key, top.value)
        if key in process_wins:
            origins = [Origin(top.path, top.line, top.col)]
            origins.extend(Origin(e.path, e.line, e.col) for e in below or ())
            out[key] = Resolved(key, Secret(value), PROCESS_ORIGIN, origins)
            notes.append(
                Problem(
                    "process-shadows-file",
                    f"{key} is set in the process environment, which {framework} "
                    f"lets win over {top.path}",
                    top.path,
                    top.line,
                    top.col,
                    key,
                )
            )
        else:
            shadowed = None if below is None else [Origin(e.path, e.line, e.col) for e in below]
            out[key] = Resolved.of_entry(key, value, top, shadowed)
    return LoadResult(out, notes)


def _issue_notes(pf: ParsedFile, issues: list[ExpandIssue]) -> list[Problem]:
    last = pf.last_entries()
    out = []
    for issue in issues:
        entry = last.get(issue.key)
        line, col = (entry.line, entry.col) if entry else (1, 1)
        out.append(Problem(issue.kind, issue.message, pf.path, line, col, issue.key))
    return out


@gc_paused
def load_nextjs(
    parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str
) -> LoadResult:
    """What ``@next/env`` hands the app (see the module docstring for the rules)."""
    notes: list[Problem] = []
    if parsed and process_env.get("__NEXT_PROCESSED_ENV"):
        why = (
            "__NEXT_PROCESSED_ENV is set in the process environment, so Next.js "
            "assumes the env files were already loaded and reads none of them"
        )
        notes.extend(Problem("file-dropped", why, pf.path) for pf in parsed)
        return LoadResult(notes=notes)
    env = dict(process_env)
    first: dict[str, str] = {}
    dropped: set[str] = set()
    for pf in parsed:
        values = pf.values()
        issues: list[ExpandIssue] = []
        bad = expand_next(values, env, issues)
        notes.extend(_issue_notes(pf, issues))
        if bad is not None:
            dropped.add(pf.path)
            entry = pf.last_entries()[bad]
            notes.append(
                Problem(
                    "file-dropped",
                    f"expanding {bad} never ends (it refers to itself, directly or through "
                    f"other keys); Next.js logs 'Failed to load env' and ignores all of "
                    f"this file (mode {mode})",
                    pf.path,
                    entry.line,
                    entry.col,
                    bad,
                )
            )
            continue
        for key in js_order(values):
            if key not in first and key not in process_env:
                first[key] = values[key]
    final = {**env, **first}
    return _resolve(parsed, final, set(process_env), "Next.js", skip=dropped, notes=notes)


@gc_paused
def load_cra(parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str) -> LoadResult:
    """What react-scripts 5 puts into ``process.env`` (files parsed with dotenv 10)."""
    env = dict(process_env)
    notes: list[Problem] = []
    for pf in parsed:
        values = pf.values()
        for key in js_order(values):
            env.setdefault(key, values[key])
        notes.extend(_issue_notes(pf, expand_cra(values, env)))
    return _resolve(parsed, env, set(process_env), "Create React App", notes=notes)


def _first_wins(parsed: Sequence[ParsedFile]) -> dict[str, str]:
    if len(parsed) == 1:
        return parsed[0].values()
    merged: dict[str, str] = {}
    for pf in parsed:
        for key, value in pf.values().items():
            merged.setdefault(key, value)
    return merged


@gc_paused
def load_dotenv(
    parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str = ""
) -> LoadResult:
    """``dotenv.config({path: [...]})``: first file wins, an existing process value wins."""
    final = {**_first_wins(parsed), **process_env}
    return _resolve(parsed, final, set(process_env), "dotenv")


@gc_paused
def load_dotenv_expand(
    parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str = ""
) -> LoadResult:
    """``dotenvExpand.expand(dotenv.config({path: [...]}))`` with dotenv-expand 12.

    After ``config`` the file values are already in process.env, so references
    see them there; an empty process value does not win (dotenv-expand only
    keeps non-empty ones), a non-empty one wins with ``\\$`` unescaped.
    """
    merged = _first_wins(parsed)
    env = {**merged, **process_env} if process_env else merged  # read only: no copy needed
    final, issues = expand_dotenv(merged, env)
    del merged, env  # a dict of every key each, not read again: freed before the records
    notes: list[Problem] = []
    by_key = {i.key: i for i in issues}
    for pf in parsed:
        if not by_key:
            break
        last = pf.last_entries()  # once per file: per issue, it made the load quadratic
        mine = [by_key.pop(k) for k in list(by_key) if k in last]
        notes.extend(_issue_notes(pf, mine))
    wins = {k for k, v in process_env.items() if v}
    return _resolve(parsed, final, wins, "dotenv-expand", notes=notes)


@gc_paused
def load_dotenv_flow(
    parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str
) -> LoadResult:
    """dotenv-flow 4.1: the highest-priority file wins, then an existing process value."""
    merged: dict[str, str] = {}
    for pf in reversed(parsed):
        merged.update(pf.values())
    final = {**merged, **process_env}
    return _resolve(parsed, final, set(process_env), "dotenv-flow")
