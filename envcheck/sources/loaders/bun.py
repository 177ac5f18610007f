"""How Bun loads env files and the process environment (Bun 1.4.5), with provenance.

Read from ``src/env_loader.zig`` (``Loader.load``, ``loadDefaultFiles``,
``loadExplicitFiles``, ``Parser._parse``) and ``Transpiler.runEnvLoader``,
and checked against the real binary (``tests/sources/test_bun_loader.py``):

* the process environment is loaded first and always wins: a file key that
  is already set (even to ``""``) is ignored, and is not expanded;
* the mode is read from the *process* only: ``BUN_ENV`` if it is set (even
  empty), else ``NODE_ENV``; ``test`` (or ``bun test``) loads the test files,
  ``production`` (or ``bun build --production``) the production files,
  anything else -- ``staging`` included -- the development files.  There is
  no ``.env.staging``.  ``NODE_ENV`` set in a file changes nothing;
* without ``--env-file`` the files are loaded in the order ``.env.<mode>.local``,
  ``.env.local`` (not in test), ``.env.<mode>``, ``.env``, and a key keeps
  the value of the first file that sets it (the same priority as Next.js);
* with ``--env-file`` (repeatable, each may be a comma-separated list) only
  those files are read, none of the automatic ones, and the *last* one named
  wins.  Bun skips a missing one silently;
* each file is expanded as soon as it is parsed
  (:mod:`envcheck.sources.readers.bun_expand`): a reference to a key that
  only a lower-priority file sets reads as unset.

``bun run <package.json script>`` does not load the files itself; the
``bun`` the script starts does, with the ``NODE_ENV`` the script sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from envcheck.secret import Secret, is_secret_name, looks_like_key
from envcheck.sources.budget import BudgetExceeded, current
from envcheck.sources.gcpause import gc_paused
from envcheck.sources.readers.bun_expand import Refs, expand_value
from envcheck.sources.readers.undefined import undefined_message
from envcheck.sources.types import (
    PROCESS_ORIGIN,
    Entry,
    LoadResult,
    Origin,
    ParsedFile,
    Problem,
    Resolved,
)

__all__ = ["MODES", "bun_mode", "load_bun"]

MODES = ("development", "production", "test")


def bun_mode(mode: str, process_env: Mapping[str, str]) -> str:
    """The files Bun loads when the app runs in ``mode``: development, production or test.

    ``mode`` is what the command asks for (``test`` for ``bun test``,
    ``production`` for ``bun build --production``); the process's ``BUN_ENV``
    (or ``NODE_ENV``) overrides it with ``test`` or ``production``.
    """
    said = process_env["BUN_ENV"] if "BUN_ENV" in process_env else process_env.get("NODE_ENV")
    if mode == "test" or said == "test":
        return "test"
    if said == "production" or mode == "production":
        return "production"
    return "development"


def _names(key: str, raw: str, names: Iterable[str]) -> str:
    """The referenced names, unless they may be part of a secret value."""
    found = list(dict.fromkeys(names))
    if is_secret_name(key) or looks_like_key(raw):
        return f"{len(found)} reference(s)"
    shown = ", ".join(f"${{{n}}}" for n in found[:5])
    return shown + (f" and {len(found) - 5} more" if len(found) > 5 else "")


def _notes(
    key: str,
    raw: str,
    refs: Refs,
    entry: Entry,
    later_files: Mapping[str, str],
    pending: Mapping[str, str],
) -> list[Problem]:
    """What Bun did silently while expanding ``key`` (names, never values)."""
    out: list[Problem] = []

    def note(kind: str, message: str) -> None:
        out.append(Problem(kind, message, entry.path, entry.line, entry.col, key))

    late = [n for n in refs.unset if n in later_files]
    unset = [n for n in refs.unset if n not in later_files]
    if unset:
        note("undefined-variable", undefined_message(key, raw, unset, "Bun"))
    if late:
        files = ", ".join(sorted({later_files[n] for n in late}))
        note(
            "expansion-order",
            f"{key} uses {_names(key, raw, late)} that only {files} sets; Bun expands each "
            "file as it loads it, highest priority first, so the reference is empty",
        )
    if key in refs.used:
        note(
            "self-reference",
            f"{key} refers to itself: Bun substitutes its unexpanded text once, "
            "so the value still holds the reference",
        )
    forward = [n for n in refs.used if n != key and n in pending and "$" in pending[n]]
    if forward:
        note(
            "expansion-order",
            f"{key} uses {_names(key, raw, forward)} defined later in the file; Bun "
            "substitutes those as written, without expanding them",
        )
    if refs.kept:
        note(
            "bad-substitution",
            f"{key} has a ${{...}} that Bun keeps as written: it expands only ${{VAR}} and "
            "${VAR:-default}, and an unclosed '${' keeps the rest of the value",
        )
    return out


@gc_paused
def load_bun(
    parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str = ""
) -> LoadResult:
    """What Bun puts in ``process.env`` for the keys ``parsed`` define.

    ``parsed`` holds the files Bun reads, highest priority first (the
    automatic files for the mode, or the ``--env-file`` files last-named
    first), each parsed with :func:`envcheck.sources.readers.bun.parse`.
    """
    env: dict[str, str] = dict(process_env)
    budget = current()
    notes: list[Problem] = []
    firsts: dict[str, Entry] = {}
    for index, pf in enumerate(parsed):
        values = pf.values()  # first-appearance order, last value: Bun's map
        last = pf.last_entries()
        new = [k for k in values if k not in env]
        for key in new:
            env[key] = values[key]
            firsts[key] = last[key]
        later = {k: f.path for f in reversed(parsed[index + 1 :]) for k in f.values()}
        pending = {k: values[k] for k in new}
        for key in new:
            raw = pending.pop(key)
            if "$" not in raw:
                continue
            refs = Refs()
            entry = last[key]
            try:
                env[key] = expand_value(raw, env.get, key=key, budget=budget, refs=refs)
            except BudgetExceeded as err:
                notes.append(err.problem(entry.path, entry.line, entry.col))
                continue
            notes.extend(_notes(key, raw, refs, entry, later, pending))
    return _resolve(parsed, env, process_env, notes, firsts)


def _resolve(
    parsed: Sequence[ParsedFile],
    env: Mapping[str, str],
    process_env: Mapping[str, str],
    notes: list[Problem],
    firsts: Mapping[str, Entry],
) -> LoadResult:
    result = LoadResult(notes=notes)
    origins: dict[str, list[Entry]] = {}
    for pf in parsed:
        for key, entry in pf.last_entries().items():
            origins.setdefault(key, []).append(entry)
    for key, entries in origins.items():
        shadowed = [Origin(e.path, e.line, e.col) for e in entries]
        value = Secret(env[key])
        if key in process_env:
            top = entries[0]
            result.vars[key] = Resolved(key, value, PROCESS_ORIGIN, shadowed)
            notes.append(
                Problem(
                    "process-shadows-file",
                    f"{key} is set in the process environment, which Bun lets win over {top.path}",
                    top.path,
                    top.line,
                    top.col,
                    key,
                )
            )
        else:
            top = firsts[key]
            result.vars[key] = Resolved(
                key, value, shadowed[0], shadowed[1:], Secret(top.value), top
            )
    return result
