"""The nouns every subsystem shares: severity, location, finding, report.

Also :class:`Record`, the base of the small value classes that a cold
``envcheck check`` builds, here because every one of them imports this module.
"""

from __future__ import annotations

import enum
import posixpath
from collections.abc import Iterable
from typing import Any, ClassVar, Self

from envcheck.secret import key_holds_credential, safe_key


class Record:
    """``@dataclass(slots=True)`` without its import-time cost, for the start-up path.

    ``@dataclass`` writes and ``exec``s source code for each class it
    decorates: 0.3-0.5 ms per class at import, and a cold ``envcheck check``
    imports some twenty value classes (a tenth of its time).  A Record
    subclass instead writes its ``__init__`` by hand (the code ``@dataclass``
    would generate, as fast) and lists in ``__slots__`` exactly its fields,
    in the order and under the names that ``__init__`` takes them.  It
    inherits what the code relies on:

    * ``repr`` of every field but those in ``_not_shown`` (values, defaults:
      anything that could hold a secret);
    * ``==`` between instances of the same class with equal fields (those in
      ``_not_compared`` aside); like a mutable dataclass, a Record is not hashable;
    * :meth:`replace`, as ``dataclasses.replace``.

    :class:`FrozenRecord` adds immutability and hashing.  Records are leaves:
    subclass Record or FrozenRecord only, never another record.
    """

    __slots__: ClassVar[tuple[str, ...]] = ()
    # The fields: ``__slots__``, or, for a record that keeps more there (a cache, a
    # field stored compactly and read through a property), the names ``__init__``
    # takes, in order; each is read as an attribute.
    _fields: ClassVar[tuple[str, ...]] = ()
    _not_shown: ClassVar[tuple[str, ...]] = ()
    _not_compared: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_fields" not in cls.__dict__:
            cls._fields = cls.__slots__

    def _compared(self) -> tuple[Any, ...]:
        skip = self._not_compared
        return tuple(getattr(self, name) for name in self._fields if name not in skip)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._compared() == other._compared()

    # Defining __eq__ without __hash__ leaves Record unhashable, as a mutable dataclass is.

    def __repr__(self) -> str:
        shown = (n for n in self._fields if n not in self._not_shown)
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in shown)})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its ``__init__`` arguments (the fields in slot order), so that a
        frozen record crosses a process boundary (the workspace fan-out's workers)."""
        return (type(self), tuple(getattr(self, name) for name in self._fields))

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied (``dataclasses.replace``)."""
        fields = {name: getattr(self, name) for name in self._fields}
        fields.update(changes)
        return type(self)(**fields)


class FrozenRecord(Record):
    """A :class:`Record` that cannot change after ``__init__``, and so is hashable.

    ``__init__`` sets its fields with ``object.__setattr__``, as a frozen
    dataclass's does.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def __hash__(self) -> int:
        return hash(self._compared())


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


# Prefixes that make a variable part of the browser bundle, in any framework
# (envcheck loads only some of them; a secret under any of them leaks).
PUBLIC_PREFIXES = (
    "NEXT_PUBLIC_",
    "VITE_",
    "REACT_APP_",
    "EXPO_PUBLIC_",
    "NUXT_PUBLIC_",
    "GATSBY_",
    "PUBLIC_",
)
# Longest first, so NEXT_PUBLIC_ wins over PUBLIC_ (only a prefix at position 0 counts).
_PREFIXES_LONGEST_FIRST = tuple(sorted(PUBLIC_PREFIXES, key=len, reverse=True))


def public_prefix(key: str) -> str | None:
    """The browser-shipping prefix ``key`` starts with, if any."""
    if not key.startswith(_PREFIXES_LONGEST_FIRST):
        return None  # the common case, without a generator
    return next(
        (p for p in _PREFIXES_LONGEST_FIRST if key.startswith(p) and len(key) > len(p)), None
    )


PROCESS = "process"
"""The ``source`` name of values that come from the process environment."""


class Location(FrozenRecord):
    """Where a finding points: ``path:line:col``, or the process environment."""

    __slots__ = ("path", "line", "col")
    path: str | None
    line: int | None
    col: int | None

    def __init__(
        self, path: str | None = None, line: int | None = None, col: int | None = None
    ) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "col", col)

    def __str__(self) -> str:
        if self.path is None or self.path == PROCESS:
            return "process environment"
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)


class Related(FrozenRecord):
    """Another place a finding concerns, with a short ``label`` saying how.

    ``src/x.ts:3:9`` "read here", ``envcheck.toml:4`` "declared here",
    ``.env:1`` "shadowed": places are data, so that a renderer can show them
    as it shows locations (a SARIF ``relatedLocation``, an editor's related
    information) and a workspace merge can move them as it moves locations,
    without parsing a message.  A label names no value.
    """

    __slots__ = ("location", "label")
    location: Location
    label: str

    def __init__(self, location: Location, label: str) -> None:
        object.__setattr__(self, "location", location)
        object.__setattr__(self, "label", label)

    def __str__(self) -> str:
        return f"{self.location} {self.label}"


def _under(prefix: str, location: Location) -> Location:
    """``location``, named from the directory ``prefix``, named from where ``prefix`` is.

    ``.env`` under ``apps/web`` is ``apps/web/.env``; ``../../.env`` is ``.env``.
    The process environment, a location without a path and an absolute path
    stay as they are.
    """
    path = location.path
    if not prefix or prefix == "." or path is None or path == PROCESS or path.startswith("/"):
        return location
    return location.replace(path=posixpath.normpath(posixpath.join(prefix, path)))


class Finding(FrozenRecord):
    """One problem. ``message`` names the key, never a value; places are data, not prose.

    ``location`` is where the problem is; ``related`` the other places it
    concerns (further reads of the key, the line it shadows, the other mode's
    line), which renderers place beside the finding.
    """

    __slots__ = ("code", "name", "severity", "message", "location", "key", "hint", "related")
    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    key: str | None
    hint: str | None
    related: tuple[Related, ...]

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        message: str,
        location: Location | None = None,
        key: str | None = None,
        hint: str | None = None,
        related: Iterable[Related] = (),
    ) -> None:
        related = tuple(related)
        if key is not None and key_holds_credential(key):
            # A "key" holding a pasted credential (Vite glues a line without '=' onto the
            # next key): every message names it masked, whichever rule wrote the message.
            message = message.replace(key, safe_key(key))
            hint = hint.replace(key, safe_key(key)) if hint is not None else None
            related = tuple(r.replace(label=r.label.replace(key, safe_key(key))) for r in related)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "location", Location() if location is None else location)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "hint", hint)
        object.__setattr__(self, "related", related)

    def moved(self, prefix: str) -> Finding:
        """The finding with its location and related locations under ``prefix``."""
        if not prefix or prefix == ".":
            return self
        return self.replace(
            location=_under(prefix, self.location),
            related=tuple(r.replace(location=_under(prefix, r.location)) for r in self.related),
        )


class Report(Record):
    """What a command found, ready for a reporter; the CLI turns it into an exit code.

    ``base`` is the project directory relative to the working directory ("" = same).
    ``schema`` names where the expected keys came from ("" = no schema) and
    ``schema_keys`` how many it declares; ``process_keys`` counts the
    declared keys that only the process environment sets.  Together with
    ``files`` they say what was checked, so that a run which checked nothing
    can say so instead of looking like a pass.
    """

    __slots__ = (
        "findings",
        "framework",
        "mode",
        "files",
        "inconclusive",
        "base",
        "schema",
        "schema_keys",
        "process_keys",
        "code_keys",
        "target",
    )
    findings: list[Finding]
    framework: str
    mode: str
    files: list[str]
    inconclusive: bool
    base: str
    schema: str
    schema_keys: int
    process_keys: int
    code_keys: int  # keys the app's code reads by name (0 with --no-code or no code)
    target: dict[str, str] | None  # check --target: name, platform, manifest

    def __init__(
        self,
        findings: list[Finding] | None = None,
        framework: str = "",
        mode: str = "",
        files: list[str] | None = None,
        inconclusive: bool = False,
        base: str = "",
        schema: str = "",
        schema_keys: int = 0,
        process_keys: int = 0,
        code_keys: int = 0,
        target: dict[str, str] | None = None,
    ) -> None:
        self.findings = [] if findings is None else findings
        self.framework = framework
        self.mode = mode
        self.files = [] if files is None else files
        self.inconclusive = inconclusive
        self.base = base
        self.schema = schema
        self.schema_keys = schema_keys
        self.process_keys = process_keys
        self.code_keys = code_keys
        self.target = target

    @property
    def checked_nothing(self) -> bool:
        """No env file was read, neither a schema nor the code said what to expect, and
        nothing was found (an app whose code reads keys it copes without was checked:
        its reads are what it expects, and none is missing)."""
        return not self.files and not self.schema_keys and not self.code_keys and not self.findings

    def rebased(self, prefix: str | None = None) -> Report:
        """The report with every location and related location under ``prefix``.

        Without ``prefix``, under ``base``, the project directory relative to
        the working directory: CI annotations (GitHub, SARIF) resolve paths
        from the repository root, where the job runs, so ``envcheck -C
        apps/web`` reports ``.env`` as ``apps/web/.env`` there (and ``base``
        becomes "").  With ``prefix`` (a workspace app's directory relative to
        the workspace root), ``base`` is kept and ``files`` move too: the
        workspace merge names every app's files from the root this way
        (``../../.env`` of ``apps/web`` is ``.env``).  Messages are not
        touched: they name no place.
        """
        if prefix is None:
            if not self.base:
                return self
            moved = [f.moved(self.base) for f in self.findings]
            return self.replace(findings=moved, base="")
        if not prefix or prefix == ".":
            return self
        return self.replace(
            findings=[f.moved(prefix) for f in self.findings],
            files=[_under(prefix, Location(f)).path or f for f in self.files],
        )

    def sorted(self) -> list[Finding]:
        return sorted(
            self.findings,
            key=lambda f: (
                f.location.path or "~",
                f.location.line or 0,
                f.location.col or 0,
                f.code,
            ),
        )

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)
