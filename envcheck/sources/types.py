"""The data every parser produces and every loader consumes.

Parsers turn one file's text into :class:`ParsedFile` (entries with positions,
problems as data).  Loaders combine parsed files and the process environment
the way one framework does into a :class:`Resolution` with provenance.
None of these types prints a value: ``Entry.value`` is left out of ``repr``,
and resolved values are :class:`~envcheck.secret.Secret`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from envcheck.model import PROCESS
from envcheck.secret import Secret

# Quote styles, as written in the file.
UNQUOTED = ""
SINGLE = "'"
DOUBLE = '"'
BACKTICK = "`"


@dataclass(slots=True)
class Entry:
    """One ``KEY=value`` binding as a dialect's parser reads it.

    ``value`` is after unquoting and escape processing, before any ``${VAR}``
    expansion.  Lines and columns are 1-based and point at the key.
    ``end_line`` is the last line the value spans (multi-line quoted values).
    Not frozen: parsers build one per line, and a frozen dataclass's
    ``__init__`` costs a third of parse time on large files.  Treat as read-only.
    """

    key: str
    value: str = field(repr=False)
    path: str
    line: int
    col: int
    quote: str = UNQUOTED
    end_line: int = 0
    export: bool = False
    separator: str = "="
    bare: bool = False  # a key with no "=" that the dialect keeps (python-dotenv: value None)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a parser or loader noticed: never an exception, never a value.

    ``kind`` is a stable kebab-case word the syntax/precedence rules map to
    rule codes: ``unterminated-quote``, ``dropped-line``, ``invalid-key``,
    ``invalid-utf8``, ``bom``, ``crlf``, ``lone-cr``, ``file-dropped``,
    ``expansion-cycle``, ...
    """

    kind: str
    message: str
    path: str
    line: int = 1
    col: int = 1
    key: str | None = None


@dataclass(slots=True)
class ParsedFile:
    """One file in one dialect: entries in file order (duplicates kept)."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def values(self) -> dict[str, str]:
        """Key -> value as the dialect's parse function returns it (last one wins)."""
        return {e.key: e.value for e in self.entries}

    def last_entries(self) -> dict[str, Entry]:
        """Key -> the entry that the dialect keeps (the last one)."""
        return {e.key: e for e in self.entries}


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one candidate value for a key came from."""

    source: str  # file path as given to the loader, or PROCESS
    line: int | None = None
    col: int | None = None

    @property
    def is_process(self) -> bool:
        return self.source == PROCESS

    def __str__(self) -> str:
        if self.is_process:
            return "process environment"
        return f"{self.source}:{self.line}" if self.line else self.source

    @classmethod
    def of(cls, entry: Entry) -> Origin:
        return cls(entry.path, entry.line, entry.col)


PROCESS_ORIGIN = Origin(PROCESS)


@dataclass(slots=True)
class Resolved:
    """The value one key has in the app, the source that won and what it shadowed.

    ``shadowed`` lists the losing candidates, highest priority first.
    ``raw`` is the winning value before expansion (``None`` for process values).
    """

    key: str
    value: Secret
    origin: Origin
    shadowed: list[Origin] = field(default_factory=list)
    raw: Secret | None = None
    entry: Entry | None = None


@dataclass(slots=True)
class Resolution:
    """The environment one framework would hand the app, with provenance.

    ``files`` are the files that exist and were read, highest priority first;
    ``skipped`` the candidate files the framework would not read (and why);
    ``notes`` things the framework does silently that the rules report
    (a file dropped because expansion failed, ``.env.local`` ignored in test).
    ``vars`` holds only the keys the loaded files define plus process values
    that shadow them, unless ``include_process`` asked for all.
    """

    framework: str
    mode: str
    files: list[str] = field(default_factory=list)
    parsed: list[ParsedFile] = field(default_factory=list)
    vars: dict[str, Resolved] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[Problem]:
        out = [p for f in self.parsed for p in f.problems]
        out.extend(self.notes)
        return out


ProcessEnv = Mapping[str, str]


@dataclass(slots=True)
class LoadResult:
    """What a framework loader returns; the resolver wraps it in a Resolution.

    ``vars``: every key defined by a loaded file (its winner may be the process
    environment), plus keys the framework itself adds; ``notes``: problems the
    framework causes silently (kinds such as ``file-dropped``,
    ``expansion-cycle``, ``process-shadows-file``).
    """

    vars: dict[str, Resolved] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
