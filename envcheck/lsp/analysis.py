"""What the language server knows, as plain envcheck data: no protocol types here.

One :class:`Snapshot` is one ``envcheck check`` of a project, run on the
editor's unsaved buffers laid over the files on disk
(:func:`envcheck.sources.checkout.overlaid`: the buffers are read in place
of the files' content, never written anywhere).  Diagnostics, hovers,
completions, fixes and definitions are all answered from it, so the editor
shows exactly the findings, codes and severities that ``check`` prints.

Every value shown goes through the masking of :mod:`envcheck.secret`, as
``explain`` without ``--reveal``: a hover is output like any other, and no
editor setting, schema line or file can unmask a secret there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from envcheck.errors import EnvcheckError
from envcheck.model import PROCESS, PUBLIC_PREFIXES, Finding, Location, Report, Severity
from envcheck.secret import key_holds_credential, safe_key

CONFIG_NAMES = frozenset({"envcheck.toml", "pyproject.toml"})
PROJECT_MARKERS = ("envcheck.toml", "package.json", "pyproject.toml", ".env")

# ``KEY=`` (optionally ``export KEY =``) at the start of an env-file line: group 2 is the key.
_ENV_ASSIGNMENT = re.compile(r"([ \t]*(?:export[ \t]+)?)([^\s=#'\"][^\s=]*?)[ \t]*=")
# A key being typed at the start of a line, before any '=' (completion context).
_TYPING_KEY = re.compile(r"[ \t]*(?:export[ \t]+)?[A-Za-z0-9_.-]*")
# How code names a variable, in JS/TS and Python; group "key" is the name.  A small
# regex on one line is enough to find the key under the cursor (no parser).
_CODE_READS = tuple(
    re.compile(pattern)
    for pattern in (
        r"(?:process\.env|import\.meta\.env|Bun\.env)\.(?P<key>[A-Za-z_]\w*)",
        r"(?:process\.env|import\.meta\.env|Bun\.env|os\.environ)\[\s*[\"'](?P<key>[^\"']+)[\"']\s*\]",
        r"(?:os\.environ\.get|os\.getenv|getenv|Deno\.env\.get|env\.\w+|env)\(\s*[\"'](?P<key>[^\"']+)[\"']",
    )
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
MAX_CODE_PLACES = 5  # code reads listed in a hover


class Spot(NamedTuple):
    """A place in a file: 0-based line, and a span of characters (Python indexes) on it."""

    path: Path
    line: int
    start: int
    end: int


class Diagnosis(NamedTuple):
    """A finding placed in the file it points at, with its related places."""

    spot: Spot
    severity: Severity
    code: str
    name: str
    message: str
    key: str | None
    related: tuple[tuple[Spot, str], ...]


class Edit(NamedTuple):
    """Replace the text between two (0-based line, character) positions of ``path``."""

    path: Path
    start: tuple[int, int]
    end: tuple[int, int]
    text: str


class Fix(NamedTuple):
    """A code action: a title, the finding it fixes, and its edits (``creates``: new files)."""

    title: str
    code: str
    edits: tuple[Edit, ...]
    creates: tuple[Path, ...] = ()


def is_env_file(path: Path) -> bool:
    """``.env``, ``.env.local``, ``.env.production``... (what the loaders read or document)."""
    from envcheck.sources.templates import not_an_env_file

    name = path.name
    return name == ".env" or (name.startswith(".env.") and not not_an_env_file(name))


def is_config_file(path: Path) -> bool:
    return path.name in CONFIG_NAMES


def is_code_file(path: Path) -> bool:
    """A source file whose env reads the code rules (EC9xx) check: what the code scan reads."""
    from envcheck.code.walk import SOURCE_SUFFIXES

    return path.suffix in SOURCE_SUFFIXES and not path.name.endswith(".d.ts")


def _forget_code_facts() -> None:
    """Drop the per-process memo of code facts (:func:`envcheck.workspace.apps.package_facts`):
    a command scans once per run, the server once per check.  The facts cache on disk stays
    (an unsaved buffer never enters it: :data:`envcheck.code.walk.UNSAVED`)."""
    from envcheck.workspace import apps

    apps._FACTS.clear()


def project_dir_for(path: Path, top: Path | None) -> Path:
    """The project a document belongs to, as ``envcheck check`` there would take it.

    Env files and envcheck's config lie in the project folder itself.  For
    code, the nearest folder up to the workspace folder ``top`` that holds
    a project marker (an env file, envcheck.toml, package.json,
    pyproject.toml), else the file's own folder.
    """
    folder = path.parent
    if is_env_file(path) or is_config_file(path):
        return folder
    stop = Path(os.path.abspath(top)) if top is not None else None
    current = folder
    while True:
        if any((current / marker).exists() for marker in PROJECT_MARKERS):
            return current
        if current == stop or current.parent == current or stop is None:
            return folder
        current = current.parent


class Snapshot:
    """One check of ``project_dir`` with ``buffers`` (path -> unsaved text) over the disk."""

    def __init__(self, project_dir: Path, buffers: Mapping[Path, str]) -> None:
        self.project_dir = project_dir
        self.buffers = {Path(os.path.abspath(p)): text for p, text in buffers.items()}
        self.project: Any = None
        self.report = Report()
        self.config: Any = None
        self.error: EnvcheckError | None = None
        self.internal_error = ""  # the exception's type name: its text might quote a value
        self._facts: Any = None
        self._run()

    def _run(self) -> None:
        from envcheck.engine import validate
        from envcheck.project import ProjectOptions, set_project_root
        from envcheck.sources.checkout import overlaid

        set_project_root(self.project_dir)  # as every command does before its first read
        texts = {os.path.realpath(p): t.encode("utf-8") for p, t in self.buffers.items()}
        with overlaid(texts):
            _forget_code_facts()  # a check per keystroke: the code as it is now, not as it was
            try:
                # no probe: never a network call from a keystroke
                checked = validate(ProjectOptions(project_dir=self.project_dir))
                self.project, self.report, self.config = (
                    checked.project,
                    checked.report,
                    checked.config,
                )
            except EnvcheckError as err:
                self.error = err
            except Exception as err:  # noqa: BLE001 - a bug must not take the editor's server down
                self.internal_error = type(err).__name__
            self._scan()  # in the overlay too: hovers read the code the diagnostics came from

    # -- reading the files the findings point at ------------------------------------

    def path_of(self, shown: str) -> Path:
        """A report's path (relative to the project folder) as an absolute path."""
        return Path(os.path.normpath(self.project_dir / shown))

    def text_of(self, path: Path) -> str | None:
        """The buffer's text if the editor has it open, else the file's (bounded read)."""
        path = Path(os.path.abspath(path))
        if path in self.buffers:
            return self.buffers[path]
        from envcheck.sources.checkout import ENV_FILE_CAP, read_text

        try:
            return read_text(path, within=self.project_dir, cap=ENV_FILE_CAP, errors="replace")
        except OSError:
            return None

    def lines_of(self, path: Path) -> list[str]:
        text = self.text_of(path)
        return split_lines(text) if text else []

    def _line(self, path: Path, line: int) -> str:
        lines = self.lines_of(path)
        return lines[line] if 0 <= line < len(lines) else ""

    # -- diagnostics ------------------------------------------------------------------

    def spot(self, location: Location, key: str | None) -> Spot | None:
        """Where in its file a location is: the key's span when the line holds it."""
        if location.path is None or location.path == PROCESS:
            return None
        path = self.path_of(location.path)
        line = (location.line or 1) - 1
        text = self._line(path, line)
        start = max((location.col or 1) - 1, 0)
        if key and text.startswith(key, start):
            return Spot(path, line, start, start + len(key))
        if key and location.col is None and (found := text.find(key)) >= 0:
            return Spot(path, line, found, found + len(key))
        end = len(text.rstrip())
        return Spot(path, line, min(start, end), max(end, min(start, end)))

    def diagnoses(self) -> dict[Path, list[Diagnosis]]:
        """Every finding in the file it points at (the process environment: nowhere)."""
        placed: dict[Path, list[Diagnosis]] = {}
        for finding in self.report.findings:
            spot = self.spot(finding.location, finding.key)
            if spot is None:
                continue
            related = tuple(
                (where, place.label)
                for place in finding.related
                if (where := self.spot(place.location, finding.key)) is not None
            )
            message = (
                finding.message if not finding.hint else f"{finding.message}\nhint: {finding.hint}"
            )
            placed.setdefault(spot.path, []).append(
                Diagnosis(
                    spot,
                    finding.severity,
                    finding.code,
                    finding.name,
                    message,
                    finding.key,
                    related,
                )
            )
        if self.error is not None:
            spot = self._error_spot(self.error)
            placed.setdefault(spot.path, []).append(
                Diagnosis(
                    spot,
                    Severity.ERROR,
                    "config",
                    "config-error",
                    _error_text(self.error),
                    None,
                    (),
                )
            )
        return placed

    def _error_spot(self, err: EnvcheckError) -> Spot:
        """A configuration error's ``file:line`` (from ``where``), else the config file's top."""
        name, line = "envcheck.toml", 1
        if err.where:
            parts = err.where.split(":")
            name = parts[0] or name
            if len(parts) > 1 and parts[1].isdigit():
                line = int(parts[1])
        path = self.path_of(name)
        if not path.exists() and (self.project_dir / "pyproject.toml").exists():
            path = self.project_dir / "pyproject.toml"
        text = self._line(path, line - 1)
        return Spot(path, line - 1, 0, len(text))

    # -- hover, completion, definition ------------------------------------------------

    def resolved(self, key: str) -> Any:
        return None if self.project is None else self.project.resolution.vars.get(key)

    def spec(self, key: str) -> Any:
        schema = getattr(self.config, "schema", None)
        return schema.spec(key) if schema is not None else None

    def _scan(self) -> None:
        """What the app's code reads, as ``check`` saw it (the same memoized scan)."""
        try:
            from envcheck.workspace.apps import app_facts

            self._facts = app_facts(self.project_dir)
        except Exception:  # noqa: BLE001 - code facts are an extra; never fail a hover
            self._facts = None

    def code_facts(self) -> Any:
        """What the app's code reads (:mod:`envcheck.code`); None where unavailable."""
        return self._facts

    def hover(self, key: str) -> str:
        """What envcheck knows about ``key``: masked value, winner, shadowed, schema, code."""
        from envcheck.commands.explain import process_secrets
        from envcheck.report.sanitize import for_terminal
        from envcheck.secret import masked_for_display, redact, safe_key, shown

        lines = [safe_key(key)]
        resolved = self.resolved(key)
        spec = self.spec(key)
        if resolved is None:
            lines.append("not set in any file the app loads, nor in the process environment")
        else:
            declared = getattr(spec, "secret", None)
            # from_checkout=False: a schema may add masking here, never lift it.
            secret = masked_for_display(
                key,
                resolved.value,
                declared=declared if isinstance(declared, bool) else None,
                from_checkout=False,
            )
            schema = getattr(self.config, "schema", None)
            value = redact(
                shown(key, resolved.value, secret=secret), process_secrets(self.project, schema)
            )
            lines.append(f"value: {value}{'  (secret, masked)' if secret else ''}")
            lines.append(f"set by: {resolved.origin} (wins)")
            if resolved.shadowed:
                lines.append(f"shadows: {', '.join(str(o) for o in resolved.shadowed)}")
        if spec is not None:
            lines.append(f"schema: {_describe_spec(spec)}")
        reads = self.reads_of(key)
        if reads:
            places = [r.place for r in reads[:MAX_CODE_PLACES]]
            more = len(reads) - len(places)
            lines.append(
                f"read in code: {', '.join(places)}" + (f" and {more} more" if more else "")
            )
        return "\n".join(for_terminal(line) for line in lines)

    def reads_of(self, key: str) -> list[Any]:
        facts = self.code_facts()
        if facts is None:
            return []
        return [r for r in facts.reads if r.key == key]

    def known_keys(self) -> dict[str, str]:
        """Keys the app needs (schema first, then code reads), each with where it comes from."""
        known: dict[str, str] = {}
        schema = getattr(self.config, "schema", None)
        for name, spec in (getattr(schema, "keys", None) or {}).items():
            known[name] = f"schema: {_describe_spec(spec)}"
        facts = self.code_facts()
        for read in facts.reads if facts is not None else ():
            if read.key and read.key not in known and not key_holds_credential(read.key):
                known[read.key] = f"read in code: {read.file}:{read.line}"
        return known

    def definition(self, key: str) -> Spot | None:
        """The line that sets the value the app gets for ``key`` (the winning source)."""
        resolved = self.resolved(key)
        if resolved is None or resolved.origin.is_process:
            return None
        origin = resolved.origin
        return self.spot(Location(origin.source, origin.line, origin.col), key)

    # -- fixes ------------------------------------------------------------------------

    def fixes(self, path: Path, first_line: int, last_line: int) -> list[Fix]:
        """Code actions for the findings in ``path`` on 0-based lines ``first_line..last_line``."""
        path = Path(os.path.abspath(path))
        found: list[Fix] = []
        for finding in self.report.findings:
            spot = self.spot(finding.location, finding.key)
            if spot is None or spot.path != path or not first_line <= spot.line <= last_line:
                continue
            fix = self._fix(finding, spot)
            if fix is not None and fix not in found:
                found.append(fix)
        return found

    def _fix(self, finding: Finding, spot: Spot) -> Fix | None:
        key = finding.key
        if not key:
            return None
        if finding.code == "EC301":
            return self._add_key(key, spot.path)
        if finding.code == "EC401":
            return self._rename_public(key, spot)
        if finding.code in ("EC209", "EC215"):
            return self._quote(key, finding.code, spot)
        if finding.code == "EC201":
            return self._remove_duplicates(key, spot.path)
        return None

    def _add_key(self, key: str, target: Path) -> Fix:
        """``KEY=`` at the end of the file the finding names (the file the rule says to set)."""
        title = f"Add {safe_key(key)}= to {target.name}"
        text = self.text_of(target)
        if text is None:
            edit = Edit(target, (0, 0), (0, 0), f"{key}=\n")
            return Fix(f"{title} (new file)", "EC301", (edit,), (target,))
        end = _end_of(text)
        prefix = "" if not text or text.endswith("\n") else "\n"
        return Fix(title, "EC301", (Edit(target, end, end, f"{prefix}{key}=\n"),))

    def _rename_public(self, key: str, spot: Spot) -> Fix | None:
        """``NEXT_PUBLIC_OPENAI_API_KEY`` -> ``OPENAI_API_KEY`` on its line, if that is free."""
        prefix = next((p for p in PUBLIC_PREFIXES if key.startswith(p) and len(key) > len(p)), None)
        text = self.text_of(spot.path)
        if prefix is None or text is None or spot.end - spot.start != len(key):
            return None
        private = key[len(prefix) :]
        if private in assigned_keys(text):
            return None  # renaming would define it twice
        edit = Edit(spot.path, (spot.line, spot.start), (spot.line, spot.end), private)
        return Fix(f"Rename {safe_key(key)} to {safe_key(private)} (server-only)", "EC401", (edit,))

    def _parsed_entries(self, path: Path, key: str) -> list[Any]:
        if self.project is None:
            return []
        for parsed in self.project.resolution.parsed:
            if self.path_of(parsed.path) == path:
                return [e for e in parsed.entries if e.key == key]
        return []

    def _quote(self, key: str, code: str, spot: Spot) -> Fix | None:
        """Quote an unquoted one-line value, choosing quotes that keep its meaning."""
        from envcheck.sources.types import UNQUOTED

        entry = next(
            (e for e in self._parsed_entries(spot.path, key) if e.line - 1 == spot.line), None
        )
        if (
            entry is None
            or entry.quote != UNQUOTED
            or max(entry.end_line, entry.line) != entry.line
        ):
            return None
        raw = self._line(spot.path, spot.line)
        match = _ENV_ASSIGNMENT.match(raw)
        value = entry.value
        at = raw.find(value, match.end()) if match and value else -1
        quote = _quote_for(value)
        if at < 0 or quote is None:
            return None
        edit = Edit(
            spot.path, (spot.line, at), (spot.line, at + len(value)), f"{quote}{value}{quote}"
        )
        return Fix(f"Quote the value of {safe_key(key)}", code, (edit,))

    def _remove_duplicates(self, key: str, path: Path) -> Fix | None:
        """Delete every definition of ``key`` in ``path`` but the one the loader keeps."""
        entries = self._parsed_entries(path, key)
        if len(entries) < 2:
            return None
        kept = entries[-1]  # ParsedFile.last_entries: the dialect keeps the last one
        edits = tuple(
            Edit(path, (e.line - 1, 0), (max(e.end_line, e.line), 0), "")
            for e in entries
            if e is not kept
        )
        title = (
            f"Remove the duplicate {safe_key(key)} (keep line {kept.line}, the one the app reads)"
        )
        return Fix(title, "EC201", edits)


def _error_text(err: EnvcheckError) -> str:
    return err.message if not err.hint else f"{err.message}\nhint: {err.hint}"


def _describe_spec(spec: Any) -> str:
    parts = [str(spec.where or "schema")]
    parts.append("required" if spec.required else "optional")
    if spec.type and spec.type != "str":
        parts.append(f"type {spec.type}")
    if spec.format:
        parts.append(f"format {spec.format}")
    if spec.description:
        parts.append(str(spec.description))
    return ", ".join(parts)


def _quote_for(value: str) -> str | None:
    """Single quotes keep a value literal; double quotes where it expands ``$`` references."""
    if "'" not in value and "$" not in value and "\\" not in value:
        return "'"
    if '"' not in value and "\\" not in value:
        return '"'
    return None


def split_lines(text: str) -> list[str]:
    """Lines as LSP counts them: ``\n``, ``\r\n`` and a lone ``\r`` end a line, nothing else
    (``str.splitlines`` also splits at form feeds and U+2028, which would shift every line)."""
    return _LINE_BREAK.split(text)


def _end_of(text: str) -> tuple[int, int]:
    lines = split_lines(text)
    return len(lines) - 1, len(lines[-1])


def assigned_keys(text: str) -> set[str]:
    """The keys an env file's text assigns (a line-level look, for completion and renames)."""
    return {m.group(2) for line in text.splitlines() if (m := _ENV_ASSIGNMENT.match(line))}


def env_key_at(line: str, character: int) -> tuple[str, int, int] | None:
    """The key of an env-file line, and its span, when ``character`` lies on it."""
    match = _ENV_ASSIGNMENT.match(line)
    if match is None or not match.start(2) <= character <= match.end(2):
        return None
    return match.group(2), match.start(2), match.end(2)


def code_key_at(line: str, character: int) -> tuple[str, int, int] | None:
    """The variable a code line reads at ``character`` (``process.env.X``, ``os.environ["X"]``),
    and the span of its name."""
    for pattern in _CODE_READS:
        for match in pattern.finditer(line):
            if match.start() <= character <= match.end():
                return match.group("key"), match.start("key"), match.end("key")
    return None


def typing_key(line: str, character: int) -> bool:
    """Whether the cursor is in the key part of an env-file line (nothing but a key before it)."""
    before = line[:character]
    return _TYPING_KEY.fullmatch(before) is not None
