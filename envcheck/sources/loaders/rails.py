"""Ruby's dotenv (3.x) as a Rails app loads it: ``dotenv-rails``, or ``dotenv`` in a Rails app.

Read from bkeepers/dotenv 3.2.0 (``lib/dotenv/rails.rb``, ``lib/dotenv.rb``,
``lib/dotenv/parser.rb``) and checked against that gem under a real Ruby
(``tests/sources/test_rails_loader.py``):

* before configuration, ``Dotenv::Rails`` loads ``.env.<env>.local``,
  ``.env.local`` (not when the env is ``test``), ``.env.<env>``, ``.env``,
  in that order, where ``<env>`` is ``Rails.env`` (``RAILS_ENV``, else
  ``RACK_ENV``, else development); a missing file is skipped;
* each file is parsed, then merged into ``ENV`` **without overwriting**: the
  process environment beats every file, and the first file that sets a key
  beats the later ones; inside a file the last line wins;
* while a file is parsed, a key already in ``ENV`` (the process, or a file
  loaded before) keeps that value and its line is not read at all
  (``DOTENV_LINEBREAK_MODE`` excepted); ``$VAR`` looks in the file's own
  earlier keys, then ``ENV``, else it is the empty string;
* ``export KEY`` with no value raises ``Dotenv::FormatError`` unless the key
  is set: Rails does not boot.  So does a file that is not valid UTF-8
  (``ArgumentError``) and a value with a NUL byte;
* ``$(command)`` runs the command in a shell; envcheck never runs it, so the
  value is unknown (``command-substitution``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from envcheck.secret import Secret
from envcheck.sources.budget import BudgetExceeded, current
from envcheck.sources.checkout import ENV_FILE_CAP, read_text
from envcheck.sources.readers.ruby import LINEBREAK_MODE, parse, substitute
from envcheck.sources.readers.undefined import undefined_message
from envcheck.sources.types import (
    DOUBLE,
    PROCESS_ORIGIN,
    SINGLE,
    Entry,
    LoadResult,
    Origin,
    ParsedFile,
    Problem,
    Resolved,
)

__all__ = ["load_dotenv_rails"]

TOOL = "Ruby's dotenv"


def _note(kind: str, message: str, entry: Entry, key: str | None = None) -> Problem:
    return Problem(kind, message, entry.path, entry.line, entry.col, key)


def _boot_fails(pf: ParsedFile, why: str, entry: Entry | None = None) -> Problem:
    line, col = (entry.line, entry.col) if entry is not None else (1, 1)
    return Problem(
        "file-dropped",
        f"{why}: loading {pf.path} raises and the Rails app does not boot",
        pf.path,
        line,
        col,
    )


def _legacy_reparse(pf: ParsedFile, project_dir: Path | None) -> ParsedFile:
    """The file again with ``DOTENV_LINEBREAK_MODE=legacy`` (``\\n`` in ``"…"`` is a newline)."""
    if project_dir is None or not any(e.quote == DOUBLE and "\\" in e.value for e in pf.entries):
        return pf
    try:
        text = read_text(project_dir / pf.path, within=project_dir, cap=ENV_FILE_CAP)
    except (OSError, UnicodeDecodeError):
        return pf
    again = parse(text, pf.path, legacy=True)
    again.problems = pf.problems
    return again


def load_dotenv_rails(
    parsed: list[ParsedFile],
    process_env: Mapping[str, str],
    *,
    mode: str = "",
    project_dir: Path | None = None,
) -> LoadResult:
    """What ``Dotenv::Rails.load`` puts in ``ENV``; ``parsed`` in load order (highest first)."""
    result = LoadResult()
    notes = result.notes
    budget = current()
    env = dict(process_env)  # ENV as the files are merged into it
    winners: dict[str, tuple[Entry, str]] = {}
    candidates: dict[str, list[Entry]] = {}
    unknown: set[str] = set()  # keys whose value a $(...) command made (or one of those)
    for pf in parsed:
        if any(p.kind == "invalid-utf8" for p in pf.problems):
            notes.append(_boot_fails(pf, f"{pf.path} is not valid UTF-8 (ArgumentError)"))
            continue
        if env.get(LINEBREAK_MODE) == "legacy":
            pf = _legacy_reparse(pf, project_dir)
        own: dict[str, str] = {}  # Parser's @hash
        assigned: dict[str, Entry] = {}  # key -> the line whose value @hash holds
        for entry in pf.entries:
            key = entry.key
            if key not in candidates or candidates[key][-1].path != pf.path:
                candidates.setdefault(key, []).append(entry)
            if key != LINEBREAK_MODE and key in env:
                own[key] = env[key]
                assigned.pop(key, None)
                continue
            if entry.bare and entry.export:
                if key not in own:
                    notes.append(
                        _boot_fails(
                            pf,
                            f"'export {key}' has no value and {key} is not set "
                            "(Dotenv::FormatError)",
                            entry,
                        )  # fmt: skip
                    )
                continue
            value = entry.value
            if entry.quote != SINGLE and "$" in value:

                def lookup(name: str, own: dict[str, str] = own) -> str | None:
                    return own[name] if name in own else env.get(name)

                done = substitute(value, lookup)
                try:
                    budget.charge(key, len(done.value))
                except BudgetExceeded as err:
                    notes.append(err.problem(entry.path, entry.line, entry.col))
                    done.value = value
                if done.undefined:
                    notes.append(
                        _note(
                            "undefined-variable",
                            undefined_message(key, value, done.undefined, TOOL),
                            entry,
                            key,
                        )
                    )
                via = not done.commands and any(n in unknown for n in done.found)
                if done.commands or via:
                    unknown.add(key)
                    what = (
                        "uses a key whose value comes from a $(...) command"
                        if via
                        else "runs a $(...) command"
                    )
                    notes.append(
                        _note(
                            "command-substitution",
                            f"{key} {what} when {TOOL} loads {pf.path}: the app gets the "
                            "command's output, which envcheck never runs, so the value is "
                            "unknown and unchecked",
                            entry,
                            key,
                        )
                    )
                else:
                    unknown.discard(key)
                value = done.value
            else:
                unknown.discard(key)
            own[key] = value
            assigned[key] = entry
        for key, value in own.items():
            if key in env or key not in assigned:
                continue
            entry = assigned[key]
            if "\0" in value:
                notes.append(_boot_fails(pf, f"{key}'s value holds a NUL byte", entry))
                continue
            env[key] = value
            winners[key] = (entry, value)
    for key, entries in candidates.items():
        origins = [Origin(e.path, e.line, e.col) for e in entries]
        if key in process_env:
            top = entries[0]
            result.vars[key] = Resolved(key, Secret(process_env[key]), PROCESS_ORIGIN, origins)
            notes.append(
                _note(
                    "process-shadows-file",
                    f"{key} is set in the process environment, which {TOOL} never "
                    f"overrides ({top.path} is ignored for it)",
                    top,
                    key,
                )
            )
            continue
        if key not in winners:
            continue
        entry, value = winners[key]
        origin = Origin.of(entry)
        shadowed = [o for o in origins if o.source != origin.source]
        result.vars[key] = Resolved(
            key, Secret(value), origin, shadowed, Secret(entry.value), entry
        )
    return result
