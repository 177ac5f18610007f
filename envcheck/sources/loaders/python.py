"""The Python loaders: ``load_dotenv()`` called once per file, and pydantic-settings.

Both take files already parsed by :mod:`envcheck.sources.readers.python`,
highest priority first, and the process environment; both return a
:class:`LoadResult` with every key a loaded file defines, the value the app
sees, the origin that won and the origins it shadowed (highest priority first).

The two differ in ways that matter for "which value wins":

``load_dotenv`` (override=False) never replaces a variable that is already in
``os.environ``.  An app that calls it for several files therefore gives the
*first* file loaded the last word, and each file's ``${VAR}`` sees the process
environment and the files loaded before it, ahead of its own earlier lines.

pydantic-settings reads every ``env_file`` with ``dotenv_values`` (interpolating
against the real environment only, never against the other env files), merges
them so that *later* files win (a bare ``KEY`` line is ``None`` and erases a
value from an earlier file), and then lets any real environment variable beat
them all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from envcheck.secret import Secret, safe_key
from envcheck.sources.gcpause import gc_paused
from envcheck.sources.readers.python_expand import expand_entries
from envcheck.sources.types import (
    PROCESS_ORIGIN,
    Entry,
    LoadResult,
    Origin,
    ParsedFile,
    Problem,
    ProcessEnv,
    Resolved,
)

__all__ = ["load_python_dotenv", "load_pydantic_settings"]

_DISABLED = "PYTHON_DOTENV_DISABLED"
_TRUTHY = {"1", "true", "t", "yes", "y"}

# key -> (entry that python-dotenv keeps for it, its interpolated value or None)
_FileValues = dict[str, tuple[Entry, str | None]]


def _file_values(
    pf: ParsedFile,
    environ: ProcessEnv,
    *,
    override: bool,
    notes: list[Problem],
    pydantic: bool = False,
) -> _FileValues:
    """What ``DotEnv.dict()`` holds for one file: first-occurrence order, last value.

    Undefined references and values over the expansion budget go to ``notes``.
    """
    if pydantic:
        values = expand_entries(
            pf.entries,
            environ,
            override=override,
            notes=notes,
            tool="pydantic-settings (through python-dotenv)",
            where="in this file nor in the process environment (other env files do not count)",
        )
    else:
        values = expand_entries(pf.entries, environ, override=override, notes=notes)
    return {e.key: (e, v) for e, v in zip(pf.entries, values, strict=True)}


def _putenv_error(key: str, value: str) -> str | None:
    """Why ``os.environ[key] = value`` would raise ValueError, if it would."""
    if "=" in key:
        return "its name contains '='"
    if "\x00" in key or "\x00" in value:
        return "it contains a NUL character"
    return None


def _note(kind: str, message: str, entry: Entry) -> Problem:
    return Problem(kind, message, entry.path, entry.line, entry.col, entry.key)


@gc_paused
def load_python_dotenv(
    parsed: Sequence[ParsedFile],
    process_env: ProcessEnv,
    *,
    mode: str = "",
    override: bool = False,
) -> LoadResult:
    """Simulate ``load_dotenv(path, override=override)`` for each file.

    ``parsed`` is highest priority first: with ``override=False`` that is the
    file the app loads first, with ``override=True`` the one it loads last.
    ``mode`` is accepted for the common loader signature; python-dotenv has no
    notion of modes (which files exist for a mode is the caller's choice).
    """
    del mode
    env = dict(process_env)  # stands for os.environ while the app loads
    setters: dict[str, tuple[Entry, str]] = {}
    notes: list[Problem] = []
    loaded: list[ParsedFile] = []
    crashed = False
    for pf in reversed(parsed) if override else parsed:
        if env.get(_DISABLED, "").casefold() in _TRUTHY:
            notes.append(
                Problem(
                    "file-dropped", f"{_DISABLED} is set: load_dotenv ignores this file", pf.path
                )
            )
            continue
        loaded.append(pf)
        for key, (entry, value) in _file_values(pf, env, override=override, notes=notes).items():
            if value is None or (key in env and not override):
                continue
            # The cheap test first: _putenv_error is a call per key on big files.
            if ("=" in key or "\x00" in key or "\x00" in value) and (
                why := _putenv_error(key, value)
            ) is not None:
                notes.append(
                    _note(
                        "load-crash",
                        f"load_dotenv raises ValueError setting {key} ({why}); "
                        "variables after it are never set",
                        entry,
                    )
                )
                crashed = True
                break
            env[key] = value
            setters[key] = (entry, value)
        if crashed:
            break
    result = LoadResult(notes=notes)
    priority = [pf for pf in parsed if any(pf is done for done in loaded)]
    for key, candidates in _candidates(priority).items():
        if key in setters:
            entry, value = setters[key]
            shadowed = (
                [Origin.of(e) for e in candidates if e is not entry and not e.bare]
                if len(candidates) > 1
                else []
            )
            if key in process_env:  # only with override=True
                shadowed.append(PROCESS_ORIGIN)
            origin = Origin(entry.path, entry.line, entry.col)
            result.vars[key] = Resolved(
                key, Secret(value), origin, shadowed, Secret(entry.value), entry
            )
            continue
        valued = [e for e in candidates if not e.bare]
        if key in process_env:
            shadowed = [Origin.of(e) for e in valued]
            result.vars[key] = Resolved(key, Secret(process_env[key]), PROCESS_ORIGIN, shadowed)
            if valued and not override:
                notes.append(
                    _note(
                        "process-shadows-file",
                        f"{key} from the process environment wins over {shadowed[0]}: "
                        "load_dotenv does not override variables that are already set",
                        valued[0],
                    )
                )
        elif not valued:
            notes.append(
                _note(
                    "bare-key-ignored",
                    f"{safe_key(key)} has no '=': load_dotenv leaves it unset",
                    candidates[0],
                )
            )
    return result


@gc_paused
def load_pydantic_settings(
    parsed: Sequence[ParsedFile],
    process_env: ProcessEnv,
    *,
    mode: str = "",
    case_sensitive: bool = False,
) -> LoadResult:
    """Simulate a ``BaseSettings`` subclass with ``env_file=(...)`` reading every key.

    ``parsed`` is highest priority first, i.e. the ``env_file`` tuple reversed.
    Each key is treated as a declared field: real environment variables win.
    (An *undeclared* key kept by ``extra="allow"`` behaves differently: its dotenv
    value is used even when the process has one, and empty values are dropped.)

    With ``case_sensitive=False`` (pydantic-settings' default) keys are matched
    lower-cased, so ``Foo`` in one file and ``FOO`` in the process are the same
    setting; the resolved env still uses the spelling of the highest-priority
    file that defines it.  ``env_prefix``, ``env_ignore_empty`` and nested
    delimiters are not modelled.
    """
    del mode
    norm: Callable[[str], str] = str if case_sensitive else str.lower
    per_file: list[dict[str, tuple[Entry, str | None]]] = []
    result = LoadResult()
    for pf in parsed:
        folded: dict[str, tuple[Entry, str | None]] = {}
        for key, pair in _file_values(
            pf, process_env, override=True, notes=result.notes, pydantic=True
        ).items():
            folded[norm(key)] = pair  # pydantic's dict comprehension: last spelling wins
        per_file.append(folded)
    process: dict[str, str] = {norm(k): v for k, v in process_env.items()}
    order: dict[str, None] = {}
    for folded in per_file:
        order.update(dict.fromkeys(folded))
    for nkey in order:
        pairs = [folded[nkey] for folded in per_file if nkey in folded]
        top_entry, top_value = pairs[0]
        file_origins = [Origin.of(e) for e, v in pairs if v is not None]
        if nkey in process:
            result.vars[top_entry.key] = Resolved(
                top_entry.key, Secret(process[nkey]), PROCESS_ORIGIN, file_origins
            )
            if file_origins:
                result.notes.append(
                    _note(
                        "process-shadows-file",
                        f"{top_entry.key} from the process environment wins over "
                        f"{file_origins[0]}: pydantic-settings ranks env vars above env files",
                        next(e for e, v in pairs if v is not None),
                    )
                )
        elif top_value is not None:
            result.vars[top_entry.key] = Resolved(
                top_entry.key,
                Secret(top_value),
                file_origins[0],
                file_origins[1:],
                Secret(top_entry.value),
                top_entry,
            )
        else:
            hidden = f", hiding {file_origins[0]}" if file_origins else ""
            result.notes.append(
                _note(
                    "bare-key-ignored",
                    f"{safe_key(top_entry.key)} has no '=': "
                    f"pydantic-settings reads it as unset{hidden}",
                    top_entry,
                )
            )
    return result


def _candidates(parsed: Sequence[ParsedFile]) -> dict[str, list[Entry]]:
    """Key -> the entry each file keeps for it (its last), highest priority first."""
    out: dict[str, list[Entry]] = {}
    for pf in parsed:
        for key, entry in pf.last_entries().items():
            if key in out:
                out[key].append(entry)
            else:
                out[key] = [entry]
    return out
