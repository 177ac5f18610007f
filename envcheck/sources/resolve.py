"""Discover, read, parse and load a project's env files as its framework would.

This is the one entry point from a project directory to a
:class:`~envcheck.sources.types.Resolution`: it finds the candidate files for
the mode, reads them (problems for unreadable ones), parses each in the
profile's dialect and hands them to the profile's loader.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from envcheck.errors import SourceError
from envcheck.model import PROCESS
from envcheck.sources.checkout import ENV_FILE_CAP, UnreadableFile, read_bytes
from envcheck.sources.decode import decode
from envcheck.sources.profiles import Profile
from envcheck.sources.readers import parser_for
from envcheck.sources.types import LoadRequest, ParsedFile, Problem, Resolution

if TYPE_CHECKING:
    from envcheck.sources.scripts import ScriptEnvFiles

MAX_FILE_BYTES = ENV_FILE_CAP
DANGLING_LINK = "a link to a file that does not exist yet (created by the setup?): nothing to check"
FIFO_WAIT = 2.0  # seconds a named pipe may take (Next.js waits for ever; we may not)


def _read(path: Path, shown: str, within: Path, named: bool) -> tuple[bytes | None, Problem | None]:
    """Read one env file; what the app would choke on becomes a Problem.

    FIFOs are read (Next.js reads them); directories, devices, link loops,
    links out of the project, oversized and unreadable files are reported,
    never raised (:mod:`envcheck.sources.checkout`).  A link to a file that
    does not exist is a file not created yet (``apps/web/.env -> ../../.env``
    before the README's ``cp .env.example .env``): absent, as the app sees it.
    """
    try:
        data = read_bytes(path, within=within, cap=MAX_FILE_BYTES, named=named, pipes=FIFO_WAIT)
    except FileNotFoundError:
        return None, None
    except UnreadableFile as err:
        return None, Problem("unreadable", err.reason, shown)
    except OSError as err:
        return None, Problem(
            "unreadable", f"cannot read: {err.strerror}; check its permissions", shown
        )
    return data, None


def read_again(path: Path, *, within: Path | None = None, named: bool = False) -> bytes | None:
    """A file's bytes once more, for rules that need its text after parsing; None if not.

    Only a regular file is read again: the first read drained a named pipe.
    ``within`` is the project folder the file belongs to (default: its own
    folder); ``named``: the user gave the path on the command line.
    """
    try:
        return read_bytes(
            path, within=path.parent if within is None else within, cap=MAX_FILE_BYTES, named=named
        )
    except OSError:
        return None


def parse_file(
    path: Path, shown: str, dialect: str, *, within: Path | None = None, named: bool = False
) -> ParsedFile | None:
    """Read and parse one file; None when it does not exist.

    ``within``: the project folder the file is read for (default: the
    file's own folder); it must not lead out of that folder's project root
    unless ``named`` (the user gave the path on the command line).
    """
    return parse_with_text(path, shown, dialect, within=within, named=named)[0]


def parse_with_text(
    path: Path, shown: str, dialect: str, *, within: Path | None = None, named: bool = False
) -> tuple[ParsedFile | None, str | None]:
    """:func:`parse_file`, and the text it parsed (None when it read none).

    For a rule that needs the text after parsing (``lint``'s style checks):
    the file is read once, where :func:`read_again` reads it a second time.
    """
    data, problem = _read(path, shown, path.parent if within is None else within, named)
    if problem is not None:
        return ParsedFile(shown, problems=[problem]), None
    if data is None:
        return None, None
    text, problems = decode(data, shown)
    del data  # a large file's bytes are not kept while it is parsed
    parsed = parser_for(dialect)(text, shown)
    # A dialect may report the same thing as the decoder (a BOM) more precisely.
    seen = {(p.kind, p.line, p.col) for p in parsed.problems}
    parsed.problems[:0] = [p for p in problems if (p.kind, p.line, p.col) not in seen]
    return parsed, text


def _shown(path: Path, project_dir: Path) -> str:
    try:
        return str(path.relative_to(project_dir))
    except ValueError:
        return str(path)


def resolve(
    project_dir: Path,
    profile: Profile,
    mode: str,
    process_env: Mapping[str, str],
    *,
    env_files: Sequence[Path] = (),
    dialect: str | None = None,
    services: Sequence[str] = (),
    named_files: bool = False,
) -> Resolution:
    """The environment ``profile`` hands the app in ``mode``, with provenance.

    ``env_files`` replaces discovery: those files exactly, given in the order
    the user wrote them and combined as the framework combines explicit
    files (``profile.explicit_order``).  A profile with a ``resolver``
    (compose: the files are named by ``compose.yaml``) hands the whole job to
    it; ``services`` selects compose services (default: all).  ``named_files``:
    the user gave ``env_files`` on the command line (``--env-file``), so they
    may lie outside the project; files a checkout names may not.
    """
    if not project_dir.is_dir():
        raise SourceError(
            "project directory does not exist or is not a directory",
            where=str(project_dir),
            hint="pass the directory that holds your .env files",
        )
    if profile.resolver is not None:
        module, _, attr = profile.resolver.partition(":")
        resolver = getattr(importlib.import_module(module), attr)
        resolution: Resolution = resolver(
            project_dir, profile, mode, process_env, env_files=env_files, services=services
        )
        return resolution
    scripted: ScriptEnvFiles | None = None
    if profile.script_tool is not None:
        from envcheck.sources.scripts import script_env_files  # only these profiles read scripts

        scripted = script_env_files(project_dir, profile.script_tool, mode)
        dialect = dialect or scripted.dialect
    dialect = dialect or profile.dialect
    requested, mode = mode, profile.effective_mode(mode, process_env)
    notes: list[Problem] = []
    if mode != requested:
        notes.append(
            Problem(
                "mode-overridden",
                (
                    f"NODE_ENV=test in the process environment makes {profile.title} "
                    if process_env.get("NODE_ENV") == "test" and mode == "test"
                    else f"{profile.title} "
                )
                + f"loads the {mode} files, not {requested}",
                PROCESS,
            )
        )
    if env_files:
        paths = list(env_files)
        if profile.explicit_order == "last-wins":
            paths.reverse()
        skipped: dict[str, str] = {}
    elif scripted is not None:  # the files the package.json script names
        paths, skipped = list(scripted.paths), {}
        notes.extend(scripted.notes)
    else:
        paths = [project_dir / name for name in profile.candidates(mode)]
        skipped = profile.skipped(mode)
    parsed: list[ParsedFile] = []
    for path in paths:
        shown = _shown(path, project_dir)
        result = parse_file(
            path, shown, dialect, within=project_dir, named=named_files and bool(env_files)
        )
        if result is None:
            if env_files:
                raise SourceError(
                    "env file not found", where=shown, hint="check the --env-file path"
                )
            if scripted is not None and path in scripted.required:
                notes.append(
                    Problem(
                        f"{profile.name}-crash",
                        f"the package.json script loads {shown}, which does not exist: "
                        f"{profile.title} stops with 'not found' and the app never starts",
                        shown,
                    )
                )
            continue
        if result.problems and result.problems[0].kind == "unreadable" and not result.entries:
            notes.extend(result.problems)
            continue
        parsed.append(result)
    options = scripted.options if scripted is not None and not env_files else {}
    loaded = profile.load(LoadRequest(parsed, process_env, mode, project_dir, options))
    notes.extend(loaded.notes)
    return Resolution(
        framework=profile.name,
        mode=mode,
        files=[p.path for p in parsed],
        parsed=parsed,
        vars=loaded.vars,
        notes=notes,
        skipped=skipped,
    )
