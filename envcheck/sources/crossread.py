"""One file, two readers: where docker or compose reads a value unlike the app's dotenv.

A project ``.env`` is often read twice: by docker compose (to interpolate
``compose.yaml``, or as an ``env_file``) or ``docker run --env-file``, and by
the app's own dotenv library inside the container or on a developer's
machine.  Their dialects differ: compose interpolates a ``$`` in a password,
docker keeps quotes and `` # comments`` as part of the value.  This module
reads the same file the way the app does and reports each key whose two
values differ, as ``reader-mismatch`` notes (rule EC5xx), values masked.

The app's reader is the project's detected framework; a project with none
(a compose or docker folder) is compared with the Node reader its package.json
starts (:func:`_script_reader`), or with nothing when it has none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from envcheck.secret import mask, reveal, safe_key
from envcheck.sources.types import Entry, LoadRequest, Problem

__all__ = ["KIND", "app_reading", "mismatches", "readings"]

KIND = "reader-mismatch"
_NO_APP_FRAMEWORK = frozenset({"plain", "compose", "docker"})


def app_reading(
    path: Path, shown: str, project_dir: Path, mode: str
) -> tuple[str, dict[str, str]] | None:
    """(reader title, key -> value) as the app's dotenv reads ``path``; None if unreadable.

    The process environment is left out on purpose: this compares two
    readings of the file, not what finally wins.
    """
    from envcheck.sources.detect import detect
    from envcheck.sources.profiles import get_profile
    from envcheck.sources.resolve import parse_file

    name: str | None = detect(project_dir)
    if name in _NO_APP_FRAMEWORK:
        name = _script_reader(project_dir, compose_only=name == "compose")
    if name is None:
        return None
    profile = get_profile(name)
    parsed = parse_file(path, shown, profile.dialect)
    if parsed is None or (parsed.problems and not parsed.entries):
        return None
    loaded = profile.load(LoadRequest([parsed], {}, mode))
    return profile.title, {key: reveal(r.value) for key, r in loaded.vars.items()}


def _script_reader(project_dir: Path, *, compose_only: bool) -> str | None:
    """The Node reader of a folder with no app framework (a compose or docker folder).

    A compose project (``compose_only``) with no package.json starts no Node
    program from here, so nothing but compose reads the file (mathesar's Django
    gets its values from compose's interpolation).  A
    package.json that depends on dotenv-cli loads the file with ``dotenv -e``,
    which expands ``$VAR`` as compose does (dotenv-expand, unless
    ``--no-expand``); else the ``dotenv`` npm package, the most common reader.
    """
    import json

    from envcheck.sources.checkout import read_text
    from envcheck.sources.structured import json_loads

    package = project_dir / "package.json"
    try:
        data = json_loads(read_text(package, within=project_dir))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict):
        return None if compose_only else "dotenv"
    for section in ("dependencies", "devDependencies"):
        deps = data.get(section)
        if isinstance(deps, dict) and "dotenv-cli" in deps:
            return "dotenv-expand"
    return "dotenv"


def _compose_keys(path: Path, values: Mapping[str, str]) -> frozenset[str] | None:
    """The keys of ``path`` docker compose reads, or None when it reads them all.

    Compose reads a file two ways: as an ``env_file:`` of a service (every key
    goes to the container) and, for the project ``.env`` next to the compose
    file, only to interpolate ``${VAR}`` in the compose file (the keys it
    interpolates; the others never leave the file).  Compose files in
    ``path``'s folder and the folders above it (inside the run's root: the
    workspace of a monorepo's app) are parsed, as compose does; one that does
    not parse reads nothing.  A template stands for the file it is copied to
    (``apps/web/.env.example`` for ``apps/web/.env``).  An empty set: compose
    does not read the file.  ``values``: the file as compose reads it.
    """
    import posixpath

    from envcheck.sources.checkout import project_root
    from envcheck.sources.detect import COMPOSE_FILES
    from envcheck.sources.templates import is_template, live_name

    target = path.resolve()
    if is_template(target.name):
        target = target.with_name(live_name(target.name))
    root = Path(project_root(target.parent)[0])
    folder = target.parent
    interpolated: set[str] = set()
    while True:
        relative = target.relative_to(folder).as_posix()
        for name in COMPOSE_FILES:
            compose = folder / name
            if not compose.is_file():
                continue
            read = _interpolations(compose, values if relative == ".env" else {})
            if read is None:
                continue
            names, env_files = read
            if relative in {posixpath.normpath(p) for p in env_files}:
                return None
            if relative == ".env":
                interpolated.update(names)
        if folder == root or root not in folder.parents:
            return frozenset(interpolated)
        folder = folder.parent


def _interpolations(
    compose: Path, project_env: Mapping[str, str]
) -> tuple[set[str], list[str]] | None:
    """(the names ``compose`` interpolates, its services' ``env_file:`` paths); None when
    it does not parse (compose would not start).

    ``project_env``: the values of the project ``.env`` interpolation reads, for those
    an ``env_file:`` path may be built from.  A ``${VAR:?message}`` that fails with the
    names unset is read again with every name set: what is asked is which names the file
    uses, not whether this environment satisfies it.
    """
    from envcheck.errors import SourceError
    from envcheck.sources.loaders.compose_file import read_compose_file

    names: set[str] = set()

    def known(name: str) -> str | None:
        names.add(name)
        return project_env.get(name)

    def every(name: str) -> str | None:
        names.add(name)
        return project_env.get(name) or "set"

    for lookup in (known, every):
        try:
            parsed = read_compose_file(compose, compose.name, lookup)
        except SourceError:
            continue
        paths = [ref.path for s in parsed.services.values() for ref in s.env_files]
        return names, paths
    return None


def readings(path: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    """Each program that reads ``path``, with the values it reads from ``text``.

    The app's dotenv (its folder's framework, as :func:`app_reading`); docker compose
    for the keys it reads (:func:`_compose_keys`); docker's ``--env-file`` reader when
    the folder builds an image (a Dockerfile) and runs no framework.
    Values before expansion: how each splits a line is the question.
    """
    from envcheck.sources.detect import detect
    from envcheck.sources.profiles import get_profile
    from envcheck.sources.readers import parser_for

    shown = path.name
    name = detect(path.parent)
    readers: list[tuple[str, str]] = []
    if name in _NO_APP_FRAMEWORK and (path.parent / "Dockerfile").is_file():
        readers.append(("docker's --env-file", "docker"))
    else:
        profile = get_profile("dotenv" if name in _NO_APP_FRAMEWORK else name)
        readers.append((profile.title, profile.dialect))
    found = [(title, parser_for(dialect)(text, shown).values()) for title, dialect in readers]
    compose_values = parser_for("compose")(text, shown).values()
    compose_keys = _compose_keys(path, compose_values)
    if compose_keys is not None:
        compose_values = {k: v for k, v in compose_values.items() if k in compose_keys}
    if compose_values:
        found.append(("docker compose", compose_values))
    return found


def _shown(value: str) -> str:
    return f"{mask(value)} ({len(value)} character{'' if len(value) == 1 else 's'})"


def _hint(tool: str, entry: Entry, tool_value: str, app_value: str, raw_format: bool) -> str:
    if "$" in entry.value and not raw_format and tool.startswith("docker compose"):
        return (
            "docker compose interpolates $ here: write the value in single quotes "
            "('...'), which both read literally, or $$ for a literal $ in compose's "
            "reading; for an env_file, `format: raw` stops the interpolation"
        )
    if tool_value[:1] in "\"'" and tool_value[-1:] == tool_value[:1] and raw_format:
        return (
            "docker's reader keeps quotes as part of the value: remove them, "
            "or (compose) drop `format: raw`"
        )
    if " #" in tool_value and raw_format:
        return "docker's reader keeps ' #...' as part of the value: put the comment on its own line"
    return "write the value so that both read it alike: unquoted, without $, # or backslashes"


def mismatches(
    tool: str,
    readings: Sequence[tuple[Entry, str | None]],
    app: tuple[str, Mapping[str, str]],
    *,
    raw_format: bool,
) -> list[Problem]:
    """A note for each key both readers set to different values (the last entry of each key)."""
    app_title, app_values = app
    last: dict[str, tuple[Entry, str]] = {}
    for entry, value in readings:
        if value is not None:
            last[entry.key] = (entry, value)
    notes = []
    for key, (entry, value) in last.items():
        if key not in app_values or app_values[key] == value:
            continue
        notes.append(
            Problem(
                KIND,
                f"{safe_key(key)}: {tool} reads {_shown(value)} but {app_title} reads "
                f"{_shown(app_values[key])} from the same line; hint: "
                + _hint(tool, entry, value, app_values[key], raw_format),
                entry.path,
                entry.line,
                entry.col,
                key,
            )
        )
    return notes
