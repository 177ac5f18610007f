"""django-environ: ``environ.Env.read_env(path)`` once per file, then ``env("KEY")``.

Read from django-environ 0.14.0 (``Env.read_env``, ``Env.get_value``) and
checked against it (``tests/sources/test_django_environ_loader.py``).  Two steps:

* ``read_env`` collects the file's bindings (the last line of a key wins)
  and writes each with ``os.environ.setdefault``: a variable already in the
  environment keeps its value, so the process wins, then the *first* file
  read.  ``read_env(overwrite=True)`` writes every value (the last file
  wins, over the process too).  A file that is not valid UTF-8 makes
  ``read_env`` raise: the settings module never finishes importing.
* ``env("KEY")`` / ``env.str("KEY")`` reads ``os.environ``.  A value that
  starts with ``$`` is a *proxy*: every leading ``$`` is stripped and the
  rest is the name of the variable to read instead, recursively, whenever
  the app reads it, so order in the file does not matter.  ``$B/x`` names
  the variable ``B/x``.  A proxy to a variable set nowhere raises
  ``ImproperlyConfigured`` (unless the app passes a default); a proxy that
  comes back to itself raises ``RecursionError``.  Nothing else is
  expanded: ``${B}`` and ``a$B`` are kept as written.

The value reported is what ``env.str("KEY")`` returns (``escape_proxy``,
``multiline`` and casts are not modelled); ``raw`` is the text in the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from envcheck.secret import Secret, is_secret_name, looks_like_key
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

__all__ = ["load_django_environ", "follow_proxy", "ProxyError"]

TOOL = "django-environ"


class ProxyError(Exception):
    """``env("KEY")`` raises: a proxy names a variable set nowhere, or comes back to itself."""

    def __init__(self, kind: str, name: str) -> None:
        super().__init__(kind)
        self.kind = kind  # "undefined-variable" or "expansion-cycle"
        self.name = name


def follow_proxy(
    key: str, env: Mapping[str, str], memo: dict[str, str | ProxyError] | None = None
) -> str:
    """What ``Env.get_value(key)`` returns for a string, with no default and no cast.

    Raises :class:`ProxyError` where django-environ raises (ImproperlyConfigured
    or RecursionError).  ``memo`` (shared across the keys of one load) keeps
    each name's outcome, so a file of N keys each proxying to the next costs
    N steps in all, not N squared.
    """
    memo = {} if memo is None else memo
    path: list[str] = []
    seen: set[str] = set()
    name = key
    outcome: str | ProxyError
    while True:
        if name in memo:
            outcome = memo[name]
            break
        if name not in env:
            outcome = ProxyError("undefined-variable", name)
            break
        if name in seen:
            outcome = ProxyError("expansion-cycle", name)
            break
        seen.add(name)
        path.append(name)
        value = env[name]
        if not value.startswith("$"):
            outcome = value
            break
        name = value.lstrip("$")
    for visited in path:
        memo[visited] = outcome
    if isinstance(outcome, ProxyError):
        raise ProxyError(outcome.kind, outcome.name)
    return outcome


def _broken(pf: ParsedFile) -> Problem | None:
    """The decoder's problem that makes ``read_env`` raise (strict UTF-8), if any."""
    return next((p for p in pf.problems if p.kind in ("invalid-utf8", "encoding")), None)


def _proxy_note(error: ProxyError, entry: Entry | None, key: str, path: str) -> Problem:
    if error.kind == "expansion-cycle":
        message = (
            f"{key} is a django-environ proxy ('$NAME') that leads back to itself: "
            f"env('{key}') raises RecursionError when the settings read it"
        )
    else:
        shown = (
            "a variable" if is_secret_name(key) or looks_like_key(error.name) else f"${error.name}"
        )
        message = (
            f"{key} is a django-environ proxy to {shown}, which is set neither in the env "
            f"files nor in the process environment: env('{key}') raises ImproperlyConfigured "
            "unless the settings pass a default (a value that starts with '$' names another "
            "variable; write '$' elsewhere or set escape_proxy)"
        )
    if entry is None:
        return Problem(error.kind, message, path, key=key)
    return Problem(error.kind, message, entry.path, entry.line, entry.col, key)


def load_django_environ(
    parsed: Sequence[ParsedFile],
    process_env: ProcessEnv,
    *,
    mode: str = "",
    overwrite: bool = False,
) -> LoadResult:
    """Simulate ``Env.read_env(path, overwrite=overwrite)`` per file, then ``env.str(key)``.

    ``parsed`` is highest priority first: with ``overwrite=False`` the file
    read first, with ``overwrite=True`` the one read last.  ``mode`` is
    accepted for the common loader signature; django-environ has no modes.
    """
    del mode
    env = dict(process_env)  # os.environ while the settings module runs
    setters: dict[str, Entry] = {}
    notes: list[Problem] = []
    loaded: list[ParsedFile] = []
    crashed = False
    for pf in reversed(parsed) if overwrite else parsed:
        broken = _broken(pf)
        if broken is not None:
            notes.append(
                Problem(
                    f"{TOOL}-crash",
                    f"read_env opens {pf.path} as strict UTF-8 and raises UnicodeDecodeError: "
                    "the settings module fails to import",
                    pf.path,
                    broken.line,
                    broken.col,
                )
            )
            break  # the exception ends the settings module: later files are never read
        loaded.append(pf)
        for key, entry in pf.last_entries().items():
            if "\x00" in entry.value:  # os.environ refuses it: read_env raises ValueError
                notes.append(
                    Problem(
                        f"{TOOL}-crash",
                        f"the value of {key} contains a NUL character: read_env raises "
                        "ValueError setting it and the settings module fails to import",
                        entry.path,
                        entry.line,
                        entry.col,
                        key,
                    )
                )
                crashed = True
                break
            if overwrite or key not in env:
                env[key] = entry.value
                setters[key] = entry
        if crashed:
            break
    result = LoadResult(notes=notes)
    priority = [pf for pf in parsed if any(pf is done for done in loaded)]
    candidates: dict[str, list[Entry]] = {}
    for pf in priority:
        for key, entry in pf.last_entries().items():
            candidates.setdefault(key, []).append(entry)
    memo: dict[str, str | ProxyError] = {}
    for key, entries in candidates.items():
        winner = setters.get(key)
        try:
            value = follow_proxy(key, env, memo)
        except ProxyError as err:
            notes.append(_proxy_note(err, winner or entries[0], key, entries[0].path))
            value = env[key]  # the app never gets a value; keep what os.environ holds
        if winner is None:  # the process environment kept its value
            shadowed = [Origin.of(e) for e in entries]
            result.vars[key] = Resolved(key, Secret(value), PROCESS_ORIGIN, shadowed)
            notes.append(
                Problem(
                    "process-shadows-file",
                    f"{key} from the process environment wins over {shadowed[0]}: "
                    "read_env does not override variables that are already set",
                    entries[0].path,
                    entries[0].line,
                    entries[0].col,
                    key,
                )
            )
            continue
        shadowed = [Origin.of(e) for e in entries if e is not winner]
        if key in process_env:  # only with overwrite=True
            shadowed.append(PROCESS_ORIGIN)
        origin = Origin(winner.path, winner.line, winner.col)
        result.vars[key] = Resolved(
            key, Secret(value), origin, shadowed, Secret(winner.value), winner
        )
    return result
