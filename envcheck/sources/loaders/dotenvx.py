"""``dotenvx run``: which files it loads, in which order, and who wins.

Read from ``@dotenvx/dotenvx`` 1.75.1 (``cli/actions/run.js``,
``lib/services/run.js``, ``lib/helpers/parse.js``, ``conventions.js``,
``envResolution/determine.js``, ``keyResolution/``) and checked against the
real CLI (``tests/sources/test_dotenvx_loader.py``):

* Files load one after the other, in the order given: ``--convention``'s
  files first, then every ``-f`` in command-line order; with no ``-f`` and no
  convention, ``.env`` (or, when the process has ``DOTENV_PRIVATE_KEY_<ENV>``
  variables, the files those names point at: :func:`default_files`).  After
  each file its keys are written into the process environment.
* Without ``--overload`` a key already in the process environment keeps that
  value (so the process wins, then the *first* file that sets a key); with
  ``--overload`` every file overwrites it (the *last* file wins, over the
  process too).  Inside one file the last line of a key wins.
* Each value is decrypted (``encrypted:…``), then its ``$(…)`` commands run,
  then, if no command ran, it is expanded against the process environment
  and the file's earlier keys (:mod:`envcheck.sources.readers.dotenvx`).
  envcheck runs no command: such a value is unknown (``command-substitution``).
* ``--convention nextjs``: ``.env.<env>.local``, ``.env.local`` (not in
  test), ``.env.<env>``, ``.env`` where ``<env>`` is ``DOTENV_ENV`` or
  ``NODE_ENV`` (default development) and the two mode files are read only
  for development, test and production.  ``--convention flow``:
  ``.env.<env>.local``, ``.env.<env>``, ``.env.local`` (also in test),
  ``.env``, ``.env.defaults``.
* The private key of a file is ``DOTENV_PRIVATE_KEY`` for ``.env`` and
  ``DOTENV_PRIVATE_KEY_<ENV>`` for ``.env.<env>[.<more>]`` (:func:`private_key_name`),
  looked up in the process environment (including what earlier files set),
  then in the ``.env.keys`` next to the file.  Without it dotenvx prints an
  error and hands the app the ciphertext (``private-key-missing``).
* A ``__proto__`` key makes dotenvx throw while parsing: none of the file is
  loaded (``file-dropped``).

The reading and expansion follow the major version the project depends on
(:func:`dotenvx_major`: the installed ``node_modules/@dotenvx/dotenvx``, else
``@dotenvx/dotenvx`` in package.json, else the latest, 2): dotenvx 2.x
unescapes ``\\'`` in single-quoted values and tells unset from empty in
``${NAME-d}`` / ``${NAME+a}`` (:mod:`envcheck.sources.readers.dotenvx`).
The file selection above is 1.x's, checked against 2.38.2 for ``-f`` and
the conventions; 2.x's ``Envfile`` profiles are not modelled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath

from envcheck.secret import Secret
from envcheck.sources.budget import BudgetExceeded, current
from envcheck.sources.checkout import ENV_FILE_CAP, read_text
from envcheck.sources.readers import dotenvx as reader
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
    "CANONICAL_ENVS",
    "LATEST_MAJOR",
    "default_files",
    "dotenvx_major",
    "load_dotenvx",
    "load_dotenvx_flow",
    "load_dotenvx_nextjs",
    "private_key_name",
]

PRIVATE_PREFIX = "DOTENV_PRIVATE_KEY"
PUBLIC_PREFIX = "DOTENV_PUBLIC_KEY"
CANONICAL_ENVS = ("development", "test", "production")
LATEST_MAJOR = 2  # the release line a project that names no version gets
_PACKAGE = "@dotenvx/dotenvx"
_MAJOR = re.compile(r"(?:npm:@dotenvx/dotenvx@)?[\^~=v<>\s]*(\d+)")
# Why envcheck does not know a value: a command's output, or decrypted plaintext.
_COMMAND, _CIPHER = "command", "cipher"


def private_key_name(path: str) -> str:
    """``keyNamesForEnvFile``: the variable that holds the private key of ``path``.

    ``.env`` -> ``DOTENV_PRIVATE_KEY``; ``.env.production`` ->
    ``DOTENV_PRIVATE_KEY_PRODUCTION``; ``.env.production.local`` ->
    ``DOTENV_PRIVATE_KEY_PRODUCTION_LOCAL`` (at most two parts); ``.env1`` ->
    ``DOTENV_PRIVATE_KEY_DEVELOPMENT1``.  A trailing ``.txt`` is ignored.
    """
    name = PurePath(path).name.lower()
    if name.startswith(".env") and name.endswith(".txt"):
        name = name[:-4]
    if name == ".env":
        return PRIVATE_PREFIX
    parts = name.split(".")[2:]
    if not parts:
        env = name.replace(".env", "development", 1)
    else:
        env = "_".join(parts[:2])
    return f"{PRIVATE_PREFIX}_{env.upper()}"


def dotenvx_major(project_dir: Path | None) -> int:
    """The dotenvx major version that runs for ``project_dir``.

    The installed package's ``version`` first (what ``npx dotenvx`` runs),
    else the range package.json declares (its first number: ``^1.75.1`` ->
    1), else :data:`LATEST_MAJOR`.  Both files are checkout data, read
    bounded and parsed only as JSON.
    """
    if project_dir is None:
        return LATEST_MAJOR
    installed = _json(project_dir / "node_modules" / "@dotenvx" / "dotenvx" / "package.json")
    version = installed.get("version")
    if not isinstance(version, str):
        package = _json(project_dir / "package.json")
        version = next(
            (
                deps[_PACKAGE]
                for section in ("dependencies", "devDependencies", "optionalDependencies")
                if isinstance(deps := package.get(section), dict)
                and isinstance(deps.get(_PACKAGE), str)
            ),
            None,
        )
    m = _MAJOR.match(version) if isinstance(version, str) else None
    return int(m.group(1)) if m and m.group(1).isdigit() and len(m.group(1)) < 4 else LATEST_MAJOR


def _json(path: Path) -> Mapping[str, object]:
    """A JSON object from the checkout; empty when missing, unreadable or not an object."""
    import json  # only for dotenvx projects

    from envcheck.sources.structured import json_loads  # bounded nesting

    try:
        data = json_loads(read_text(path, within=path.parent, cap=ENV_FILE_CAP))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def default_files(process_env: Mapping[str, str]) -> list[str]:
    """The files ``dotenvx run`` loads with no ``-f`` and no ``--convention``.

    ``determine``: one file per ``DOTENV_PRIVATE_KEY*`` variable of the process
    (``DOTENV_PRIVATE_KEY_CI`` -> ``.env.ci``), in the environment's order;
    ``.env`` when there is none.
    """
    names = [k for k in process_env if k.startswith(PRIVATE_PREFIX)]
    if not names:
        return [".env"]
    out = []
    for name in names:
        suffix = name[len(PRIVATE_PREFIX) + 1 :]
        out.append(
            ".env" if name == PRIVATE_PREFIX else ".env." + ".".join(suffix.split("_")).lower()
        )
    return out


class _Keys:
    """Where dotenvx finds each file's private key (``keyValues``), without reading it."""

    def __init__(self, project_dir: Path | None, keys_file: Path | None) -> None:
        self.project_dir = project_dir
        self.keys_file = keys_file
        self._files: dict[Path, dict[str, str]] = {}

    def _keys_values(self, env_path: str) -> dict[str, str] | None:
        """The ``.env.keys`` dotenvx reads for ``env_path``; None when envcheck cannot tell."""
        if self.keys_file is not None:
            path = self.keys_file
        elif self.project_dir is not None:
            path = self.project_dir / PurePath(env_path).parent / ".env.keys"
        else:
            return None
        if path not in self._files:
            self._files[path] = _read_values(path, self.project_dir or path.parent)
        return self._files[path]

    def find(
        self, pf: ParsedFile, env: Mapping[str, str]
    ) -> tuple[str, str | None, dict[str, str] | None]:
        """(key name, where it was found or None, the keys file's values or None)."""
        name = private_key_name(pf.path)
        keys = self._keys_values(pf.path)
        if env.get(name):
            return name, "process environment", keys
        if keys is not None and keys.get(name):
            return name, ".env.keys", keys
        public = [k for k in pf.values() if k.startswith(PUBLIC_PREFIX)]
        if public:  # invertForPrivateKeyName: the file names its own key
            inverted = public[-1].replace(PUBLIC_PREFIX, PRIVATE_PREFIX, 1)
            if env.get(inverted):
                return inverted, "process environment", keys
            if keys is not None and keys.get(inverted):
                return inverted, ".env.keys", keys
        return name, None, keys


def _read_values(path: Path, within: Path) -> dict[str, str]:
    """``scan`` of a ``.env.keys`` file: key -> last value (empty when unreadable)."""
    try:
        text = read_text(path, within=within, cap=ENV_FILE_CAP, errors="replace")
    except OSError:
        return {}
    return reader.parse(text, str(path)).values()


class _State:
    """The process environment as dotenvx mutates it, and which of its values envcheck knows."""

    def __init__(self, process_env: Mapping[str, str]) -> None:
        self.env = dict(process_env)
        self.unknown: dict[str, str] = {}  # key -> why its value is unknown


def _load(
    parsed: Sequence[ParsedFile],
    process_env: Mapping[str, str],
    *,
    overload: bool,
    project_dir: Path | None,
    keys_file: Path | None,
    title: str,
    major: int | None,
) -> LoadResult:
    if major is None:
        major = dotenvx_major(project_dir)
    if major >= 2:  # the files were read as 1.x reads them (the profile's dialect)
        parsed = [_as_v2(pf) for pf in parsed]
    state = _State(process_env)
    keys = _Keys(project_dir, keys_file)
    notes: list[Problem] = []
    loaded: list[ParsedFile] = []
    for pf in parsed:
        proto = next((p for p in pf.problems if p.key == "__proto__"), None)
        if proto is not None:
            notes.append(
                Problem(
                    "file-dropped",
                    "the key __proto__ makes dotenvx throw while reading this file: "
                    "none of its keys is loaded",
                    pf.path,
                    proto.line,
                    proto.col,
                )
            )
            continue
        _load_file(pf, state, keys, overload, notes, major)
        loaded.append(pf)
    return _resolve(loaded, state, process_env, overload, notes, title)


def _as_v2(pf: ParsedFile) -> ParsedFile:
    """``pf`` (read as dotenvx 1.x reads it) as 2.x reads it: new entries, same positions."""
    if not any("\\'" in e.value for e in pf.entries):
        return pf
    entries = [
        Entry(
            e.key,
            reader.value_v2(e),
            e.path,
            e.line,
            e.col,
            e.quote,
            e.end_line,
            e.export,
            e.separator,
            e.bare,
        )
        for e in pf.entries
    ]
    return ParsedFile(pf.path, entries, pf.problems)


def _load_file(
    pf: ParsedFile,
    state: _State,
    keys: _Keys,
    overload: bool,
    notes: list[Problem],
    major: int,
) -> None:
    """``new Parse(src, privateKey, process.env, overload).run()`` then ``inject``."""
    env, unknown = state.env, state.unknown
    running: dict[str, str] = {}
    running_unknown: dict[str, str] = {}
    literals: dict[str, bool] = {}  # single-quoted key -> its text holds a reference
    key_info: tuple[str, str | None, dict[str, str] | None] | None = None
    budget = current()

    def lookup(name: str) -> str | None:
        if overload:
            return running[name] if name in running else env.get(name)
        return env[name] if name in env else running.get(name)

    def why_unknown(name: str) -> str | None:
        if overload:
            return running_unknown.get(name) if name in running else unknown.get(name)
        return unknown.get(name) if name in env else running_unknown.get(name)

    for entry in pf.entries:
        key = entry.key
        literal = reader.is_literal(entry)
        value = entry.value
        why: str | None = None
        if not overload and key in env:
            value, why = env[key], unknown.get(key)
        if why is None and reader.is_ciphertext(value):
            if key_info is None:
                key_info = keys.find(pf, env)
            if key_info[1] is None:
                notes.append(_missing_key(pf, entry, key_info))
            else:
                why = _CIPHER  # dotenvx decrypts it; envcheck does not
        elif why is None:
            ran = False
            if not literal and (key not in env or env[key] == value) and reader.has_command(value):
                why, ran = _COMMAND, True
                notes.append(_command(pf, entry))
            if not ran and not literal and (not env.get(key) or overload):
                tainted: list[str] = []

                def used(name: str, tainted: list[str] = tainted) -> None:
                    if (w := why_unknown(name)) is not None:
                        tainted.append(w)

                try:
                    value = reader.expand(
                        value, lookup, lambda n: literals.get(n, False), budget, key, used, major
                    )
                except reader.ExpandStop:
                    notes.append(_cycle(pf, entry))
                except BudgetExceeded as err:
                    notes.append(err.problem(pf.path, entry.line, entry.col))
                if tainted:
                    why = _COMMAND if _COMMAND in tainted else _CIPHER
                    if why == _COMMAND:
                        notes.append(_command(pf, entry, via=True))
        if literal:
            literals[key] = reader.has_ref(value)
        running[key] = value
        if why is None:
            running_unknown.pop(key, None)
        else:
            running_unknown[key] = why
    for key, value in running.items():  # inject
        env[key] = value
        if key in running_unknown:
            unknown[key] = running_unknown[key]
        else:
            unknown.pop(key, None)


def _missing_key(
    pf: ParsedFile, entry: Entry, key_info: tuple[str, str | None, dict[str, str] | None]
) -> Problem:
    name, _, keys = key_info
    where = (
        "in neither the process environment nor the .env.keys next to it"
        if keys is not None
        else "not in the process environment"
    )
    return Problem(
        "private-key-missing",
        f"{entry.key} is dotenvx ciphertext, and {name} (the private key "
        f"dotenvx uses for this file) is {where}: dotenvx prints "
        "an error and hands the app the ciphertext",
        pf.path,
        entry.line,
        entry.col,
        entry.key,
    )


def _command(pf: ParsedFile, entry: Entry, *, via: bool = False) -> Problem:
    what = (
        "expands a key whose value comes from a $(...) command" if via else "runs a $(...) command"
    )
    return Problem(
        "command-substitution",
        f"{entry.key} {what} when dotenvx loads this file: the app gets the command's "
        "output, which envcheck never runs, so the value is unknown and unchecked",
        pf.path,
        entry.line,
        entry.col,
        entry.key,
    )


def _cycle(pf: ParsedFile, entry: Entry) -> Problem:
    return Problem(
        "expansion-cycle",
        f"expanding {entry.key} never ends in dotenvx (a reference keeps coming back): "
        "dotenvx hangs at start-up; envcheck keeps the value as written",
        pf.path,
        entry.line,
        entry.col,
        entry.key,
    )


def _resolve(
    loaded: Sequence[ParsedFile],
    state: _State,
    process_env: Mapping[str, str],
    overload: bool,
    notes: list[Problem],
    title: str,
) -> LoadResult:
    """Provenance: who set each key last (overload) or first (the process, then files)."""
    per_key: dict[str, list[Entry]] = {}
    for pf in loaded:
        for key, entry in pf.last_entries().items():
            per_key.setdefault(key, []).append(entry)
    result = LoadResult(notes=notes)
    for key, entries in per_key.items():
        if overload:
            entries = entries[::-1]  # the last file wins
        origins = [Origin(e.path, e.line, e.col) for e in entries]
        value = Secret(state.env[key])
        top = entries[0]
        if not overload and key in process_env:
            result.vars[key] = Resolved(key, value, PROCESS_ORIGIN, origins)
            notes.append(
                Problem(
                    "process-shadows-file",
                    f"{key} is set in the process environment, which {title} lets win "
                    f"over {top.path} (without --overload)",
                    top.path,
                    top.line,
                    top.col,
                    key,
                )
            )
            continue
        shadowed = origins[1:] + ([PROCESS_ORIGIN] if key in process_env else [])
        result.vars[key] = Resolved(key, value, origins[0], shadowed, Secret(top.value), top)
    return result


def load_dotenvx(
    parsed: list[ParsedFile],
    process_env: Mapping[str, str],
    *,
    mode: str = "",
    overload: bool = False,
    project_dir: Path | None = None,
    keys_file: Path | None = None,
    convention: str | None = None,
    major: int | None = None,
) -> LoadResult:
    """``dotenvx run [-f …] [--overload]``: ``parsed`` in load order (``-f`` order).

    ``project_dir`` is where the ``.env.keys`` files are looked for (next to
    each file; ``keys_file`` is ``-fk``); without it a missing private key is
    reported against the process environment alone.  ``convention``: the
    script's ``--convention``, whose files lead ``parsed``.  ``major``: the
    dotenvx release line to follow (default: :func:`dotenvx_major`).
    """
    if convention in ("nextjs", "flow"):
        other = load_dotenvx_nextjs if convention == "nextjs" else load_dotenvx_flow
        return other(
            parsed,
            process_env,
            mode=mode,
            overload=overload,
            project_dir=project_dir,
            keys_file=keys_file,
            major=major,
        )
    return _load(
        parsed,
        process_env,
        overload=overload,
        project_dir=project_dir,
        keys_file=keys_file,
        title="dotenvx",
        major=major,
    )


def load_dotenvx_nextjs(
    parsed: list[ParsedFile],
    process_env: Mapping[str, str],
    *,
    mode: str,
    overload: bool = False,
    project_dir: Path | None = None,
    keys_file: Path | None = None,
    major: int | None = None,
) -> LoadResult:
    """``dotenvx run --convention nextjs``: mode files only for the three canonical modes."""
    notes: list[Problem] = []
    if mode not in CANONICAL_ENVS:
        skip = {f".env.{mode}.local", f".env.{mode}"}
        kept = []
        for pf in parsed:
            if PurePath(pf.path).name in skip:
                notes.append(
                    Problem(
                        "convention-skips-file",
                        f"dotenvx --convention nextjs reads .env.<env> files only for "
                        f"{', '.join(CANONICAL_ENVS)}, so {pf.path} is not loaded in {mode}",
                        pf.path,
                    )
                )
            else:
                kept.append(pf)
        parsed = kept
    result = _load(
        parsed,
        process_env,
        overload=overload,
        project_dir=project_dir,
        keys_file=keys_file,
        title="dotenvx --convention nextjs",
        major=major,
    )
    result.notes[:0] = notes
    return result


def load_dotenvx_flow(
    parsed: list[ParsedFile],
    process_env: Mapping[str, str],
    *,
    mode: str,
    overload: bool = False,
    project_dir: Path | None = None,
    keys_file: Path | None = None,
    major: int | None = None,
) -> LoadResult:
    """``dotenvx run --convention flow`` (the files are the profile's; nothing is skipped)."""
    return _load(
        parsed,
        process_env,
        overload=overload,
        project_dir=project_dir,
        keys_file=keys_file,
        title="dotenvx --convention flow",
        major=major,
    )
