"""Deno's env-file loading: ``deno run --env-file[=F]`` (Deno 2.9).

Read from denoland/deno (``cli/util/env.rs``
``load_env_variables_from_env_files``, ``libs/cli_parser`` for the flag) and
checked against the real ``deno`` 2.9.6 (``tests/sources/test_deno_loader.py``):

* nothing is loaded without the flag; ``--env-file`` alone means ``.env``,
  the flag repeats, and its value needs ``=`` (``--env-file F`` is the bare
  flag followed by the script ``F``); ``--env`` is an alias.  Bare flags are
  listed *before* the ones with a value, wherever they stand;
* a relative file is looked for in the working directory, then in each
  parent directory; a missing file is a warning, not an error;
* the files are read **last first**, and a key is set only if neither the
  process nor an already read file has it: the *last* file on the command
  line wins, and inside one file the *first* line wins (Node: the last);
* each file is substituted (:func:`envcheck.sources.readers.deno.substitute`)
  against the environment as it is before that file is applied (the process
  plus the files read so far, i.e. those later on the command line), then
  against the values of earlier lines of the same file;
* a file that is not valid UTF-8 is skipped whole; a NUL in a key or value
  stops the file at that line; ``DENO_CONNECTED`` and
  ``DENO_DEPLOY_TUNNEL_ENDPOINT`` (any case) are refused; an empty key
  (``=`` alone on a line) makes Deno panic before the program starts.
"""

from __future__ import annotations

from collections.abc import Mapping

from envcheck.secret import Secret
from envcheck.sources.budget import BudgetExceeded, current
from envcheck.sources.readers.deno import substitute, substitutes
from envcheck.sources.types import (
    PROCESS_ORIGIN,
    Entry,
    LoadResult,
    Origin,
    ParsedFile,
    Problem,
    Resolved,
)

__all__ = ["load_deno", "DENIED_KEYS"]

DENIED_KEYS = frozenset({"DENO_CONNECTED", "DENO_DEPLOY_TUNNEL_ENDPOINT"})


def _note(kind: str, message: str, entry: Entry, key: str | None = None) -> Problem:
    return Problem(kind, message, entry.path, entry.line, entry.col, key)


def load_deno(
    parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str = ""
) -> LoadResult:
    """What ``deno run --env-file=…`` hands the program; ``parsed`` highest priority first.

    The highest-priority file is the last one on the command line, which is
    also the one Deno reads first.
    """
    result = LoadResult()
    notes = result.notes
    budget = current()
    env = dict(process_env)
    winners: dict[str, tuple[Entry, str]] = {}  # key -> (entry, value set)
    candidates: dict[str, list[Entry]] = {}  # key -> entries, highest priority first
    for pf in parsed:
        if any(p.kind in ("invalid-utf8", "encoding") for p in pf.problems):
            notes.append(
                Problem(
                    "file-dropped",
                    "not valid UTF-8: Deno warns and loads none of this file",
                    pf.path,
                )
            )
            continue
        own: dict[str, str] = {}  # this file's substituted values so far (the last one)
        emitted: list[tuple[Entry, str]] = []
        for entry in pf.entries:
            value = entry.value
            if substitutes(entry):

                def lookup(name: str, own: dict[str, str] = own) -> str | None:
                    return env[name] if name in env else own.get(name)

                value, over = substitute(value, lookup)
                try:
                    if over:
                        raise BudgetExceeded(entry.key, (), "value", "its value grows past 1 MiB")
                    budget.charge(entry.key, len(value))
                except BudgetExceeded as err:
                    notes.append(err.problem(entry.path, entry.line, entry.col))
                    value = entry.value
            own[entry.key] = value
            emitted.append((entry, value))
        for entry, value in emitted:
            key = entry.key
            if "\0" in key or "\0" in value:
                notes.append(
                    _note(
                        "file-dropped",
                        "a NUL byte in this line makes Deno stop reading the file here",
                        entry,
                    )
                )
                break
            if key not in candidates or candidates[key][-1].path != pf.path:
                candidates.setdefault(key, []).append(entry)
            if key in process_env or key in winners:
                continue
            if key.upper() in DENIED_KEYS:
                notes.append(
                    _note(
                        "deno-refused-key",
                        f"Deno refuses {key} from an env file (it controls Deno itself)",
                        entry,
                        key,
                    )
                )
                continue
            if not key:
                notes.append(
                    _note(
                        "deno-crash",
                        "an empty key ('=' alone on a line): Deno panics setting it "
                        "and the program never starts",
                        entry,
                    )
                )
                continue
            env[key] = value
            winners[key] = (entry, value)
    for key, entries in candidates.items():
        if key in DENIED_KEYS or key.upper() in DENIED_KEYS or not key:
            continue
        origins = [Origin(e.path, e.line, e.col) for e in entries]
        if key in process_env:
            top = entries[0]
            result.vars[key] = Resolved(key, Secret(process_env[key]), PROCESS_ORIGIN, origins)
            notes.append(
                _note(
                    "process-shadows-file",
                    f"{key} is set in the process environment, which Deno's --env-file "
                    f"never overrides ({top.path} is ignored for it)",
                    top,
                    key,
                )
            )
            continue
        if key not in winners:
            continue  # the file stopped before this line
        entry, value = winners[key]
        origin = Origin.of(entry)
        shadowed = [o for o in origins if o != origin]
        result.vars[key] = Resolved(
            key, Secret(value), origin, shadowed, Secret(entry.value), entry
        )
    return result
