"""The data every parser produces and every loader consumes.

Parsers turn one file's text into :class:`ParsedFile` (entries with positions,
problems as data).  Loaders combine parsed files and the process environment
the way one framework does into a :class:`Resolution` with provenance.
None of these types prints a value: ``Entry.value`` is left out of ``repr``,
and resolved values are :class:`~envcheck.secret.Secret`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar

from envcheck.model import PROCESS, FrozenRecord, Record
from envcheck.secret import Secret, reveal

# Quote styles, as written in the file.
UNQUOTED = ""
SINGLE = "'"
DOUBLE = '"'
BACKTICK = "`"


class Entry(Record):
    """One ``KEY=value`` binding as a dialect's parser reads it.

    ``value`` is after unquoting and escape processing, before any ``${VAR}``
    expansion.  Lines and columns are 1-based and point at the key.
    ``end_line`` is the last line the value spans (multi-line quoted values).
    ``bare`` marks a key with no "=" that the dialect keeps (python-dotenv:
    value None).  Not frozen: parsers build one per line, and a frozen
    ``__init__`` (one ``object.__setattr__`` per field) costs a third of parse
    time on large files.  Treat as read-only.
    """

    __slots__ = (
        "key",
        "value",
        "path",
        "line",
        "col",
        "quote",
        "end_line",
        "export",
        "separator",
        "bare",
    )
    _not_shown = ("value",)
    key: str
    value: str
    path: str
    line: int
    col: int
    quote: str
    end_line: int
    export: bool
    separator: str
    bare: bool

    def __init__(
        self,
        key: str,
        value: str,
        path: str,
        line: int,
        col: int,
        quote: str = UNQUOTED,
        end_line: int = 0,
        export: bool = False,
        separator: str = "=",
        bare: bool = False,
    ) -> None:
        self.key = key
        self.value = value
        self.path = path
        self.line = line
        self.col = col
        self.quote = quote
        self.end_line = end_line
        self.export = export
        self.separator = separator
        self.bare = bare


class Problem(FrozenRecord):
    """Something a parser or loader noticed: never an exception, never a value.

    ``kind`` is a stable kebab-case word the syntax/precedence rules map to
    rule codes: ``unterminated-quote``, ``dropped-line``, ``invalid-key``,
    ``invalid-utf8``, ``bom``, ``crlf``, ``lone-cr``, ``file-dropped``,
    ``expansion-cycle``, ...
    """

    __slots__ = ("kind", "message", "path", "line", "col", "key")
    kind: str
    message: str
    path: str
    line: int
    col: int
    key: str | None

    def __init__(
        self,
        kind: str,
        message: str,
        path: str,
        line: int = 1,
        col: int = 1,
        key: str | None = None,
    ) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "col", col)
        object.__setattr__(self, "key", key)


class ParsedFile(Record):
    """One file in one dialect: entries in file order (duplicates kept)."""

    __slots__ = ("path", "entries", "problems", "_last")
    _fields: ClassVar[tuple[str, ...]] = ("path", "entries", "problems")
    path: str
    entries: list[Entry]
    problems: list[Problem]
    # (entries, their number, key -> last entry) as last built: see last_entries
    _last: tuple[list[Entry], int, dict[str, Entry]] | None

    def __init__(
        self,
        path: str,
        entries: list[Entry] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.path = path
        self.entries = [] if entries is None else entries
        self.problems = [] if problems is None else problems
        self._last = None

    def values(self) -> dict[str, str]:
        """Key -> value as the dialect's parse function returns it (last one wins)."""
        return {e.key: e.value for e in self.entries}

    def last_entries(self) -> Mapping[str, Entry]:
        """Key -> the entry that the dialect keeps (the last one); read-only.

        Built once and kept: the loader and several rules ask for it, and a
        file of 100,000 keys cost a dict each time.  Built again when entries
        were added (a parser appends) or the list was replaced (a filter).
        """
        entries, last = self.entries, self._last
        if last is None or last[0] is not entries or last[1] != len(entries):
            last = self._last = (entries, len(entries), {e.key: e for e in entries})
        return MappingProxyType(last[2])


class Origin(FrozenRecord):
    """Where one candidate value for a key came from.

    ``source`` is the file path as given to the loader, or PROCESS.
    """

    __slots__ = ("source", "line", "col")
    source: str
    line: int | None
    col: int | None

    def __init__(self, source: str, line: int | None = None, col: int | None = None) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "col", col)

    @property
    def is_process(self) -> bool:
        return self.source == PROCESS

    def __str__(self) -> str:
        if self.is_process:
            return "process environment"
        return f"{self.source}:{self.line}" if self.line else self.source

    def fields(self) -> dict[str, str | int | None]:
        """The origin as JSON fields (explain's and diff's documents): ``{"source":
        "process"}``, or the file's ``source``, ``line`` and ``col``."""
        if self.is_process:
            return {"source": PROCESS}
        return {"source": self.source, "line": self.line, "col": self.col}

    @classmethod
    def of(cls, entry: Entry) -> Origin:
        return cls(entry.path, entry.line, entry.col)


PROCESS_ORIGIN = Origin(PROCESS)


class Resolved(Record):
    """The value one key has in the app, the source that won and what it shadowed.

    ``shadowed`` lists the losing candidates, highest priority first.
    ``raw`` is the winning value before expansion (``None`` for process values).

    A loader builds one per key of every file it reads (100,000 in a large
    file), so a winner read from a file is kept small (:meth:`of_entry`):
    its value and raw value are the strings (wrapped in a :class:`Secret`
    when read), its origin is its entry's position (an :class:`Origin` built
    when read), and its empty ``shadowed`` list is made when first read.
    That is one object per key instead of five (80 bytes instead of about
    330); the fields read and assign as plain attributes.
    """

    __slots__ = ("key", "_value", "_origin", "_shadowed", "_raw", "entry")
    _fields: ClassVar[tuple[str, ...]] = ("key", "value", "origin", "shadowed", "raw", "entry")
    _not_shown = ("value",)
    key: str
    entry: Entry | None
    _value: Secret | str  # a str: the plain value, wrapped when read
    _origin: Origin | None  # None: the entry's position
    _shadowed: list[Origin] | None  # None: nothing shadowed yet (the list is made when read)
    _raw: Secret | str | None  # a str: the plain raw value, wrapped when read

    def __init__(
        self,
        key: str,
        value: Secret,
        origin: Origin,
        shadowed: list[Origin] | None = None,
        raw: Secret | None = None,
        entry: Entry | None = None,
    ) -> None:
        self.key = key
        self._value = value
        self._origin = origin
        self._shadowed = shadowed
        self._raw = raw
        self.entry = entry

    @classmethod
    def of_entry(
        cls, key: str, value: str, entry: Entry, shadowed: list[Origin] | None = None
    ) -> Resolved:
        """The file ``entry`` won with ``value`` (after expansion; its raw value is the entry's).

        ``shadowed``: the losing candidates, None for none.
        """
        self = cls.__new__(cls)
        self.key = key
        self._value = value
        self._origin = None
        self._shadowed = shadowed
        self._raw = entry.value
        self.entry = entry
        return self

    @property
    def value(self) -> Secret:
        value = self._value
        return value if isinstance(value, Secret) else Secret(value)

    @value.setter
    def value(self, value: Secret) -> None:
        self._value = value

    def reveal(self) -> str:
        """The raw value: ``reveal(self.value)`` without wrapping it in a Secret first
        (a rule that reads every key's value reads 100,000 of them in a large file)."""
        return reveal(self._value)

    @property
    def origin(self) -> Origin:
        origin = self._origin
        if origin is not None:
            return origin
        entry = self.entry
        assert entry is not None  # of_entry: the origin is the entry's position
        return Origin(entry.path, entry.line, entry.col)

    @origin.setter
    def origin(self, origin: Origin) -> None:
        self._origin = origin

    @property
    def at_entry(self) -> bool:
        """Whether the origin is :attr:`entry`'s position (as :meth:`of_entry` made it)."""
        return self._origin is None and self.entry is not None

    @property
    def source(self) -> str:
        """``origin.source``, without building the origin."""
        origin = self._origin
        if origin is not None:
            return origin.source
        assert self.entry is not None  # of_entry: the origin is the entry's position
        return self.entry.path

    @property
    def from_process(self) -> bool:
        """``origin.is_process``, without building the origin."""
        return self.source == PROCESS

    @property
    def shadowed(self) -> list[Origin]:
        shadowed = self._shadowed
        if shadowed is None:  # made on first read, so that a caller may add to it
            shadowed = self._shadowed = []
        return shadowed

    @shadowed.setter
    def shadowed(self, shadowed: list[Origin]) -> None:
        self._shadowed = shadowed

    @property
    def shadows(self) -> bool:
        """Whether anything is shadowed (``bool(shadowed)``, without making the list)."""
        return bool(self._shadowed)

    @property
    def raw(self) -> Secret | None:
        raw = self._raw
        return raw if raw is None or isinstance(raw, Secret) else Secret(raw)

    @raw.setter
    def raw(self, raw: Secret | None) -> None:
        self._raw = raw


class Resolution(Record):
    """The environment one framework would hand the app, with provenance.

    ``files`` are the files that exist and were read, highest priority first;
    ``skipped`` the candidate files the framework would not read (and why);
    ``notes`` things the framework does silently that the rules report
    (a file dropped because expansion failed, ``.env.local`` ignored in test).
    ``vars`` holds the keys the loaded files define (their winner may be the
    process environment), plus the keys the schema declares that only the
    process sets (``envcheck.project.add_declared_process_keys``); never the
    rest of the process environment.
    """

    __slots__ = ("framework", "mode", "files", "parsed", "vars", "notes", "skipped")
    framework: str
    mode: str
    files: list[str]
    parsed: list[ParsedFile]
    vars: dict[str, Resolved]
    notes: list[Problem]
    skipped: dict[str, str]

    def __init__(
        self,
        framework: str,
        mode: str,
        files: list[str] | None = None,
        parsed: list[ParsedFile] | None = None,
        vars: dict[str, Resolved] | None = None,
        notes: list[Problem] | None = None,
        skipped: dict[str, str] | None = None,
    ) -> None:
        self.framework = framework
        self.mode = mode
        self.files = [] if files is None else files
        self.parsed = [] if parsed is None else parsed
        self.vars = {} if vars is None else vars
        self.notes = [] if notes is None else notes
        self.skipped = {} if skipped is None else skipped

    def problems(self) -> list[Problem]:
        out = [p for f in self.parsed for p in f.problems]
        out.extend(self.notes)
        return out


ProcessEnv = Mapping[str, str]


class LoadResult(Record):
    """What a framework loader returns; the resolver wraps it in a Resolution.

    ``vars``: every key defined by a loaded file (its winner may be the process
    environment), plus keys the framework itself adds; ``notes``: problems the
    framework causes silently (kinds such as ``file-dropped``,
    ``expansion-cycle``, ``process-shadows-file``).
    """

    __slots__ = ("vars", "notes")
    vars: dict[str, Resolved]
    notes: list[Problem]

    def __init__(
        self, vars: dict[str, Resolved] | None = None, notes: list[Problem] | None = None
    ) -> None:
        self.vars = {} if vars is None else vars
        self.notes = [] if notes is None else notes


class LoadRequest(FrozenRecord):
    """What a framework loader is asked to combine: the input of
    :meth:`envcheck.sources.profiles.Profile.load`.

    ``parsed``: the files that exist, highest priority first (as the
    profile orders them); ``process_env``: the environment the loader sees;
    ``mode``: the mode it loads; ``project_dir``: where a loader that looks
    beside the env files (dotenvx's ``.env.keys``) looks, None for files read
    from elsewhere; ``options``: what the command that starts the app says
    (``--overload``, ``-fk``, docker's flags; :mod:`envcheck.sources.scripts`).
    """

    __slots__ = ("parsed", "process_env", "mode", "project_dir", "options")
    _not_shown = ("process_env",)  # the raw environment: never in a repr
    parsed: tuple[ParsedFile, ...]
    process_env: Mapping[str, str]
    mode: str
    project_dir: Path | None
    options: Mapping[str, object]

    def __init__(
        self,
        parsed: Sequence[ParsedFile],
        process_env: Mapping[str, str],
        mode: str,
        project_dir: Path | None = None,
        options: Mapping[str, object] | None = None,
    ) -> None:
        object.__setattr__(self, "parsed", tuple(parsed))
        object.__setattr__(self, "process_env", process_env)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "project_dir", project_dir)
        object.__setattr__(self, "options", {} if options is None else options)

    def __hash__(self) -> int:  # mappings inside: hashed by identity, as a request is used once
        return id(self)
