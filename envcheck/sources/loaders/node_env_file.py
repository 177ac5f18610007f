"""Node's own env-file loading: ``node --env-file=F`` / ``--env-file-if-exists=F``.

Read from ``src/node_dotenv.cc`` and checked against the real binaries
(Node 20.20 and 22.23, ``tests/sources/test_node_env_file_loader.py``):

* every file is parsed into **one** ``std::map`` in command-line order, so a
  key in a later file replaces the earlier one (``--env-file=a
  --env-file=b``: ``b`` wins), and inside a file the last line wins;
* then each key is written to the environment **only if the process does not
  have it** (an empty process value still wins); nothing is expanded;
* ``--env-file`` on a missing file stops Node (``not found``, exit 9);
  ``--env-file-if-exists`` goes on without it;
* the flags count only before the script (``node app.js --env-file=x`` reads
  nothing); ``process.loadEnvFile(f)`` in code is one file at a time, each
  call setting only unset keys, so there the *first* call wins.

What the app then reads through ``process.env``:

* a key that is an array index (``1``, ``10``) is set in the C environment
  but ``process.env["1"]`` is ``undefined`` (V8 routes it to an indexed
  lookup the env object does not answer): it never reaches the app;
* the empty key (Node 22 stores ``=`` alone as ``""``) is not set;
* a NUL ends a value (C strings);
* ``__proto__`` *is* set (``process.env`` is not a plain object; only
  ``util.parseEnv``'s result drops it).

The files come parsed by the profile's dialect: ``nodeutil`` (Node 20) or
``nodeutil22`` (Node 22+), chosen by the project's declared Node version
(:func:`envcheck.sources.scripts.node_dialect`).
"""

from __future__ import annotations

from collections.abc import Mapping

from envcheck.secret import Secret
from envcheck.sources.types import (
    PROCESS_ORIGIN,
    Entry,
    LoadResult,
    Origin,
    ParsedFile,
    Problem,
    Resolved,
)

__all__ = ["load_node_env_file", "is_array_index"]

_MAX_INDEX = 2**32 - 2


def is_array_index(key: str) -> bool:
    """A canonical uint32 below 2**32-1 (``0``, ``7``, not ``07``): invisible in ``process.env``."""
    return (
        key.isdigit() and key.isascii() and (key == "0" or key[0] != "0") and int(key) <= _MAX_INDEX
    )


def load_node_env_file(
    parsed: list[ParsedFile], process_env: Mapping[str, str], *, mode: str = ""
) -> LoadResult:
    """What ``node --env-file=…`` (files in ``parsed``, highest priority first) hands the app."""
    result = LoadResult()
    notes = result.notes
    # Key -> every file's entry for it, highest priority (last on the command line) first.
    candidates: dict[str, list[Entry]] = {}
    for pf in parsed:
        for key, entry in pf.last_entries().items():
            candidates.setdefault(key, []).append(entry)
    for key, entries in candidates.items():
        top = entries[0]
        origins = [Origin(e.path, e.line, e.col) for e in entries]
        shown = key.split("\0", 1)[0]
        if not shown:
            notes.append(
                Problem(
                    "node-key-not-set",
                    "an empty key is never set in the environment",
                    top.path,
                    top.line,
                    top.col,
                )
            )
            continue
        if is_array_index(shown):
            notes.append(
                Problem(
                    "node-key-not-set",
                    f"{shown} is set in the C environment, but process.env[{shown!r}] is "
                    "undefined in Node (a numeric key): the app cannot read it",
                    top.path,
                    top.line,
                    top.col,
                    shown,
                )
            )
            continue
        if shown in process_env:
            result.vars[shown] = Resolved(
                shown, Secret(process_env[shown]), PROCESS_ORIGIN, origins
            )
            notes.append(
                Problem(
                    "process-shadows-file",
                    f"{shown} is set in the process environment, which Node's --env-file "
                    f"never overrides ({top.path} is ignored for it)",
                    top.path,
                    top.line,
                    top.col,
                    shown,
                )
            )
            continue
        value = top.value
        if "\0" in value:
            value = value.split("\0", 1)[0]
            notes.append(
                Problem(
                    "node-value-truncated",
                    f"the value of {shown} holds a NUL byte: the environment keeps only "
                    "the text before it",
                    top.path,
                    top.line,
                    top.col,
                    shown,
                )
            )
        result.vars[shown] = Resolved(
            shown, Secret(value), origins[0], origins[1:], Secret(top.value), top
        )
    return result
