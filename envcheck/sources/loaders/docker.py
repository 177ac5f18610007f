"""``docker run --env-file F [--env-file G] [-e K=V]``: what the container gets.

Checked against docker/cli (``opts/parse.go`` ``readKVStrings``,
``opts/env.go`` ``ValidateEnv``) and by ``tests/sources/test_docker_loader.py``,
which runs the real CLI against a fake Engine API and compares the ``Env``
list it sends.

* The files are read in the order given and their lines appended to one
  list; ``-e`` flags are appended after them.  The CLI sends duplicates
  as they are; runc's environment deduplication keeps the *last* value of
  a key (read from its source; the tests run no daemon).  So a later
  ``--env-file`` beats an earlier one and ``-e`` beats every file.
* ``KEY`` alone (in a file or as ``-e KEY``) takes the value from the
  environment of the ``docker`` command; a file's bare ``KEY`` that is unset
  there is left out.
* Nothing else of that environment reaches the container: unlike every
  dotenv loader, the process environment does not win and is not passed
  through.  ``vars`` therefore holds exactly the container's variables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from envcheck.secret import Secret, safe_key
from envcheck.sources.readers.docker import FATAL_KINDS
from envcheck.sources.types import (
    PROCESS_ORIGIN,
    Entry,
    LoadResult,
    Origin,
    ParsedFile,
    Problem,
    ProcessEnv,
    Resolution,
    Resolved,
)

if TYPE_CHECKING:
    from envcheck.sources.profiles import Profile

__all__ = ["load_docker", "resolve_docker", "FLAG_SOURCE"]

FLAG_SOURCE = "docker run -e"


def load_docker(
    parsed: Sequence[ParsedFile],
    process_env: ProcessEnv,
    *,
    mode: str = "",
    flags: Sequence[str] = (),
) -> LoadResult:
    """The container's environment from ``parsed`` (highest priority first) and ``-e`` flags.

    ``process_env`` is the environment of the ``docker`` command: used only
    for a bare ``KEY``.  ``flags`` are the ``-e`` values in command-line order.
    ``mode`` is accepted for the common loader signature; docker has none.
    """
    del mode
    result = LoadResult()
    # key -> (value, origin, entry) for every assignment, in the order docker appends them
    seen: dict[str, list[tuple[str, Origin, Entry | None]]] = {}
    for pf in reversed(parsed):
        fatal = [p for p in pf.problems if p.kind in FATAL_KINDS]
        if fatal:
            first = fatal[0]
            result.notes.append(
                Problem(
                    "load-crash",
                    "docker run --env-file rejects this file "
                    f"(line {first.line}: {first.message.split(':')[0]}): "
                    "the container is not created",
                    pf.path,
                    first.line,
                    first.col,
                )
            )
        for entry in pf.entries:
            if entry.bare:
                if entry.key in process_env:
                    seen.setdefault(entry.key, []).append(
                        (process_env[entry.key], PROCESS_ORIGIN, entry)
                    )
                else:
                    result.notes.append(
                        Problem(
                            "bare-key-ignored",
                            f"{safe_key(entry.key)} has no '=' and is not set where docker "
                            "runs: the container does not get it",
                            entry.path,
                            entry.line,
                            entry.col,
                            entry.key,
                        )
                    )
                continue
            seen.setdefault(entry.key, []).append((entry.value, Origin.of(entry), entry))
    for flag in flags:
        key, eq, value = flag.partition("=")
        origin = Origin(FLAG_SOURCE)
        if eq:
            seen.setdefault(key, []).append((value, origin, None))
        elif key in process_env:
            seen.setdefault(key, []).append((process_env[key], PROCESS_ORIGIN, None))
        else:
            seen.pop(key, None)  # "-e KEY" unset: the daemon removes KEY
    for key, candidates in seen.items():
        value, origin, winner = candidates[-1]
        shadowed = [o for _, o, _ in reversed(candidates[:-1])]
        file_entry = winner if winner is not None and not winner.bare else None
        raw = Secret(file_entry.value) if file_entry is not None else None
        result.vars[key] = Resolved(key, Secret(value), origin, shadowed, raw, file_entry)
    return result


def resolve_docker(
    project_dir: Path,
    profile: Profile,
    mode: str,
    process_env: Mapping[str, str],
    *,
    env_files: Sequence[Path] = (),
    services: Sequence[str] = (),
) -> Resolution:
    """The usual discovery and loading, plus cross-reader notes (EC510).

    Each file docker reads is read again as the app's dotenv reads it: the
    quotes and `` # comments`` docker keeps are where the two part.
    """
    from envcheck.sources import crossread
    from envcheck.sources.resolve import resolve

    del services
    plain = profile.replace(resolver=None)
    resolution = resolve(project_dir, plain, mode, process_env, env_files=env_files)
    for pf in resolution.parsed:
        if any(p.kind in FATAL_KINDS for p in pf.problems):
            continue
        path = Path(pf.path)
        app = crossread.app_reading(
            path if path.is_absolute() else project_dir / path, pf.path, project_dir, mode
        )
        if app is not None:
            readings = [(e, None if e.bare else e.value) for e in pf.entries]
            resolution.notes.extend(
                crossread.mismatches(profile.title, readings, app, raw_format=True)
            )
    return resolution
