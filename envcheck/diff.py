"""Compare two resolved environments without ever printing a secret.

``compare`` lines up the keys of a source and a target :class:`Resolution`
(two modes, two files, or a mode and the process environment) and says, per
key, where each side's value comes from and whether the values are equal.
Each value is shown by its fingerprint, a per-run keyed hash
(:class:`~envcheck.secret.Fingerprinter`), so the result can be printed in
full: a fingerprint matches within this run and means nothing afterwards.
Equality is decided on the values themselves; a fingerprint is computed only
when something reads it, once per distinct value of a key.

The module is pure: it reads the two resolutions and an optional schema and
returns data.  Which findings survive ``--select/--ignore`` and how the rows
are drawn is the command's business.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from envcheck.identity import Identity, identity, url_password
from envcheck.model import Finding, Location, Related, Severity
from envcheck.rules.base import Rule
from envcheck.rules.diff import (
    DEVELOPMENT_VALUE_IN_PRODUCTION,
    KEY_MISSING_IN_SOURCE,
    KEY_MISSING_IN_TARGET,
    PRODUCTION_RESOURCE_OUTSIDE_PRODUCTION,
    REQUIRED_KEY_MISSING_IN_TARGET,
    SECRET_SHARED_ACROSS_MODES,
    VALUE_DIFFERS,
    development_value,
    is_dev_mode,
    is_production_mode,
)
from envcheck.secret import (
    Fingerprinter,
    Secret,
    is_secret,
    masked_for_display,
    safe_key,
)
from envcheck.sources.types import Origin, Problem, Resolution, Resolved

__all__ = [
    "DiffResult",
    "DiffRow",
    "Side",
    "compare",
]

SAME = "same"
DIFFERENT = "different"
ONLY_SOURCE = "only-source"
ONLY_TARGET = "only-target"
NEITHER = "neither"


class Winners(Mapping[str, Resolved]):
    """One side of a diff read from one file, kept lean: key -> value, key -> line.

    A loader hands each key's winner as a :class:`Resolved` (with its parsed entry, or
    an :class:`Origin` built from it: about 140 bytes a key beside the strings); a diff
    holds two sides of 100k keys at once and reads, per key, a value and a place.  So
    a side keeps its values as one dict, and for each key the line of the file it was
    set on (the scanner's own int, when the key starts its line), or the origin
    itself for any other place; a :class:`Resolved` is made only for a key read as one
    (a row with findings).  ``plain``: key -> the value the app sees.
    """

    __slots__ = ("plain", "_at", "_path")

    def __init__(self, plain: dict[str, str], at: dict[str, int | Origin], path: str) -> None:
        self.plain = plain
        self._at = at
        self._path = path

    @classmethod
    def of(cls, winners: Mapping[str, Resolved], path: str) -> Winners:
        """``winners`` (a loader's, for the file shown as ``path``) kept lean."""
        plain: dict[str, str] = {}
        at: dict[str, int | Origin] = {}
        for key, resolved in winners.items():
            plain[key] = resolved.reveal()
            entry = resolved.entry
            if entry is not None and entry.col == 1 and entry.path == path and resolved.at_entry:
                at[key] = entry.line
            else:
                at[key] = resolved.origin
        return cls(plain, at, path)

    @property
    def path(self) -> str:
        """The file the side was read from, as shown."""
        return self._path

    @property
    def places(self) -> Mapping[str, int | Origin]:
        """Key -> the line it starts (at column 1) in :attr:`path`, or its winner's origin
        when it sits anywhere else.  Read-only."""
        return self._at

    def where(self, key: str) -> tuple[str, int | None, int | None]:
        """``(source, line, col)`` of ``key``'s winner, no :class:`Origin` made for it."""
        at = self._at[key]
        if type(at) is int:
            return self._path, at, 1
        assert isinstance(at, Origin)
        return at.source, at.line, at.col

    def __getitem__(self, key: str) -> Resolved:
        value = self.plain[key]
        at = self._at[key]
        origin = Origin(self._path, at, 1) if type(at) is int else at
        assert isinstance(origin, Origin)
        return Resolved(key, Secret(value), origin)

    def __contains__(self, key: object) -> bool:
        return key in self.plain

    def __iter__(self) -> Iterator[str]:
        return iter(self.plain)

    def __len__(self) -> int:
        return len(self.plain)


class LeanResolution(Resolution):
    """A side of a diff read from one file: its winners kept as :class:`Winners`.

    ``vars`` is left empty (it is a dict of :class:`Resolved` by type, which is what
    the lean side does without); read the keys through :func:`winners_of`.
    """

    __slots__ = ("winners",)
    winners: Winners

    def __init__(
        self, framework: str, mode: str, files: list[str], winners: Winners, notes: list[Problem]
    ) -> None:
        super().__init__(framework, mode, files, notes=notes)
        self.winners = winners


def winners_of(side: Resolution) -> Mapping[str, Resolved]:
    """Key -> winner of a side of a diff, lean (:class:`LeanResolution`) or not."""
    return side.winners if isinstance(side, LeanResolution) else side.vars


def values_of(winners: Mapping[str, Resolved]) -> Mapping[str, str]:
    """Key -> the value the app sees, for every key of a side."""
    if isinstance(winners, Winners):
        return winners.plain
    return {key: resolved.reveal() for key, resolved in winners.items()}


def where_of(winners: Mapping[str, Resolved], key: str) -> tuple[str, int | None, int | None]:
    """``(source, line, col)`` of ``key``'s winner in a side (see :meth:`Winners.where`)."""
    if isinstance(winners, Winners):
        return winners.where(key)
    origin = winners[key].origin
    return origin.source, origin.line, origin.col


class Side:
    """One side's value for a key: where it comes from and its fingerprint.

    ``value`` is a :class:`Secret`, so printing a Side never shows it; a
    renderer reveals it only for non-secret keys when asked to.  The
    fingerprint (a hash keyed per run) is computed when it is first read,
    ``by`` the run's fingerprinter, or taken from the other side of the key
    when ``by`` is that side (the two hold the same value): whether two
    values are equal is decided on the values, so a hash is spent only on a
    value some output shows by its fingerprint.  ``origin`` and ``value`` are
    read from the side's :class:`Resolved`, which a loader may keep compact (a
    position and a string): a diff of 100k keys holds no second copy of them.
    """

    __slots__ = ("resolved", "_text", "_fingerprint", "_by")
    resolved: Resolved

    def __init__(self, resolved: Resolved, by: Fingerprinter | Side) -> None:
        self.resolved = resolved
        self._text = resolved.reveal()  # read once, no Secret made: compared often
        self._fingerprint: str | None = None
        self._by: Fingerprinter | Side | None = by  # the twin, or what computes it

    @property
    def origin(self) -> Origin:
        return self.resolved.origin

    @property
    def value(self) -> Secret:
        return self.resolved.value

    def reveal(self) -> str:
        """The raw value, as :func:`envcheck.secret.reveal` of :attr:`value` gives it."""
        return self._text

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            by = self._by
            assert by is not None
            self._fingerprint = by.fingerprint if isinstance(by, Side) else by(self._text)
            self._by = None
        return self._fingerprint

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Side):
            return NotImplemented
        return (
            self.origin == other.origin
            and self.value == other.value
            and self.fingerprint == other.fingerprint
        )

    def __hash__(self) -> int:
        return hash((self.origin, self.fingerprint))

    def __repr__(self) -> str:
        return f"Side(origin={self.origin!r}, fingerprint={self.fingerprint!r})"


@dataclass(slots=True)
class DiffRow:
    """One key across both sides; ``codes`` are the diff findings about it.

    Not frozen: a diff builds one per key, and a frozen ``__init__`` (one
    ``object.__setattr__`` per field) is a tenth of a large diff's work.
    Treat as read-only.
    """

    key: str
    status: str  # SAME | DIFFERENT | ONLY_SOURCE | ONLY_TARGET | NEITHER
    secret: bool
    source: Side | None
    target: Side | None
    codes: tuple[str, ...] = ()


_STATUSES = (SAME, DIFFERENT, ONLY_SOURCE, ONLY_TARGET, NEITHER)
_STATUS_INDEX = {status: index for index, status in enumerate(_STATUSES)}


class Rows(Sequence[DiffRow]):
    """The comparison's rows, one per key in key order, made from the two sides as read.

    A diff of 100k keys keeps, per key, its name and one byte (status, secret) and
    its findings' codes; a :class:`DiffRow` with its two :class:`Side` s is made when
    the row is read.  Rows read by index or by iterating are kept (so a fingerprint
    read twice is computed once); :meth:`fresh` makes each row for one reader and
    keeps nothing (an output written as it is read).
    """

    __slots__ = (
        "_keys", "_flags", "_codes", "_source", "_target", "source_values", "target_values",
        "_fingerprint", "_kept",
    )  # fmt: skip

    def __init__(
        self,
        source: Mapping[str, Resolved],
        target: Mapping[str, Resolved],
        fingerprint: Fingerprinter,
    ) -> None:
        self._keys: list[str] = []
        self._flags = bytearray()
        self._codes: dict[int, tuple[str, ...]] = {}
        self._source = source
        self._target = target
        self.source_values = values_of(source)  # key -> value, each side
        self.target_values = values_of(target)
        self._fingerprint = fingerprint
        self._kept: dict[int, DiffRow] = {}

    def _add(self, row: DiffRow) -> None:
        if row.codes:
            self._codes[len(self._keys)] = row.codes
        self._keys.append(row.key)
        self._flags.append(_STATUS_INDEX[row.status] << 1 | row.secret)

    def _add_plain(self, key: str, status: str, secret: bool) -> None:
        """:meth:`_add` of a row no finding is about, without the row made."""
        self._keys.append(key)
        self._flags.append(_STATUS_INDEX[status] << 1 | secret)

    def _made(self, index: int) -> DiffRow:
        key, flags = self._keys[index], self._flags[index]
        src, dst, _ = _sides(self._source.get(key), self._target.get(key), self._fingerprint)
        return DiffRow(key, _STATUSES[flags >> 1], bool(flags & 1), src, dst,
                       self._codes.get(index, ()))  # fmt: skip

    def _row(self, index: int) -> DiffRow:
        row = self._kept.get(index)
        if row is None:
            row = self._kept[index] = self._made(index)
        return row

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> DiffRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[DiffRow]: ...
    def __getitem__(self, index: int | slice) -> DiffRow | list[DiffRow]:
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self._keys)))]
        if index < 0:
            index += len(self._keys)
        if not 0 <= index < len(self._keys):
            raise IndexError(index)
        return self._row(index)

    def __iter__(self) -> Iterator[DiffRow]:
        return (self._row(i) for i in range(len(self._keys)))

    @property
    def fingerprint(self) -> Fingerprinter:
        """The run's fingerprinter, which the rows' sides fingerprint their values with."""
        return self._fingerprint

    def winners(self) -> Iterator[tuple[str, str, bool, str | None, str | None]]:
        """Per row ``(key, status, secret, source value, target value)`` (None: the side
        lacks the key): for an output that reads a value per side, and a side's place by
        :meth:`source_where` / :meth:`target_where`, with no :class:`Side` or
        :class:`Resolved` made."""
        source, target, flags = self.source_values.get, self.target_values.get, self._flags
        for index, key in enumerate(self._keys):
            status = flags[index]
            yield key, _STATUSES[status >> 1], bool(status & 1), source(key), target(key)

    @property
    def sides(self) -> tuple[Mapping[str, Resolved], Mapping[str, Resolved]]:
        """The two sides' winners (source, target)."""
        return self._source, self._target

    def source_where(self, key: str) -> tuple[str, int | None, int | None]:
        """``(source, line, col)`` of the source side's winner for ``key``."""
        return where_of(self._source, key)

    def target_where(self, key: str) -> tuple[str, int | None, int | None]:
        """``(source, line, col)`` of the target side's winner for ``key``."""
        return where_of(self._target, key)

    def fresh(self) -> Iterator[DiffRow]:
        """Every row, made for this reader only (kept ones as kept)."""
        kept = self._kept
        for index in range(len(self._keys)):
            yield kept.get(index) or self._made(index)


@dataclass(slots=True)
class DiffResult:
    source_label: str
    target_label: str
    source_mode: str
    target_mode: str
    source_files: list[str] = field(default_factory=list)
    target_files: list[str] = field(default_factory=list)
    rows: Sequence[DiffRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _spec(schema: Any, key: str) -> Any:
    if schema is None:
        return None
    lookup = getattr(schema, "spec", None)
    if callable(lookup):
        return lookup(key)
    keys = getattr(schema, "keys", None)
    return keys.get(key) if isinstance(keys, dict) else None


def required_in(spec: Any, mode: str) -> bool:
    """Whether a schema key is required in ``mode`` (tolerant of the spec's shape)."""
    if spec is None:
        return False
    method = getattr(spec, "is_required", None)
    if callable(method):
        return bool(method(mode))
    for name in ("required_modes", "required_in", "modes"):
        modes = getattr(spec, name, None)
        if modes:
            return mode in modes
    required = getattr(spec, "required", False)
    if isinstance(required, (list, tuple, set, frozenset)):
        return mode in required
    return bool(required)


def _secret(key: str, spec: Any, src: Side | None, dst: Side | None, *, same: bool) -> bool:
    """The schema's word, except that ``secret = false`` never unmasks a process value.

    ``same``: both sides hold one value; without a schema word its classification is
    then one question, asked once.
    """
    declared = None if spec is None else getattr(spec, "secret", None)
    declared = declared if isinstance(declared, bool) else None
    if declared is None:  # masked_for_display's default whatever the origin: no origin read
        if src is None and dst is None:
            return is_secret(key, "")
        if same:
            assert src is not None
            return is_secret(key, src.reveal())
        return (src is not None and is_secret(key, src.reveal())) or (
            dst is not None and is_secret(key, dst.reveal())
        )
    if src is None and dst is None:
        return declared
    return any(
        masked_for_display(
            key, s.reveal(), declared=declared, from_checkout=not s.origin.is_process
        )
        for s in (src, dst)
        if s is not None
    )


def _public_by_design(key: str, spec: Any, values: list[str]) -> bool:
    """A key meant to ship (a Supabase anon key, Stripe ``pk_test_``): sharing it is no EC604.

    The same classification as the security rules' (:mod:`envcheck.schema.public_keys`);
    the table still masks such values like secrets, which costs nothing.
    """
    if getattr(spec, "secret", None) is True:
        return False
    from envcheck.rules import envfiles
    from envcheck.schema import public_keys

    prefix = envfiles.public_prefix(key)
    bare = key if prefix is None else key[len(prefix) :]
    return public_keys.public_reason(bare, values, public_prefix=prefix is not None) is not None


def _sides(
    source: Resolved | None, target: Resolved | None, fingerprint: Fingerprinter
) -> tuple[Side | None, Side | None, str]:
    """Both sides of a key and its status; two equal values share one fingerprint."""
    if source is None:
        if target is None:
            return None, None, NEITHER
        return None, Side(target, fingerprint), ONLY_TARGET
    src = Side(source, fingerprint)
    if target is None:
        return src, None, ONLY_SOURCE
    dst = Side(target, fingerprint)
    if src.reveal() == dst.reveal():
        dst._by = src  # one value: one fingerprint, the source's
        return src, dst, SAME
    return src, dst, DIFFERENT


def _location(side: Side | None, fallback: str | None = None) -> Location:
    if side is not None:
        o = side.origin
        return Location(o.source, o.line, o.col)
    return Location(fallback) if fallback else Location()


@dataclass(frozen=True, slots=True)
class _Sides:
    """The labels and modes every finding message of one comparison names."""

    a: str
    b: str
    source_mode: str
    target_mode: str
    target_file: str | None
    deployed: bool = False  # the target has no file of its own: its values come from elsewhere

    # Per comparison, not per key: whether development values belong in the target (no
    # EC605), and whether the target is production when exactly one side is (else None:
    # no EC607).
    dev_target: bool = False
    production_target: bool | None = None
    # The codes whose findings are built (None: all), and each code's switch, read once
    # per comparison rather than once per key.
    enabled: Collection[str] | None = None
    ec601: bool = True
    ec602: bool = True
    ec603: bool = True
    ec604: bool = True
    ec605: bool = True
    ec606: bool = True
    ec607: bool = True

    @classmethod
    def of(
        cls, a: str, b: str, source_mode: str, target_mode: str, target_file: str | None,
        deployed: bool, enabled: Collection[str] | None = None,
    ) -> _Sides:  # fmt: skip
        production = is_production_mode(target_mode)
        on = [
            _on(enabled, rule)
            for rule in (
                KEY_MISSING_IN_TARGET, KEY_MISSING_IN_SOURCE, REQUIRED_KEY_MISSING_IN_TARGET,
                SECRET_SHARED_ACROSS_MODES, DEVELOPMENT_VALUE_IN_PRODUCTION, VALUE_DIFFERS,
                PRODUCTION_RESOURCE_OUTSIDE_PRODUCTION,
            )
        ]  # fmt: skip
        return cls(
            a, b, source_mode, target_mode, target_file, deployed, is_dev_mode(target_mode),
            None if production == is_production_mode(source_mode) else production,
            enabled, *on,
        )  # fmt: skip


def _missing_in_target(key: str, name: str, src: Side, s: _Sides) -> Finding:
    """EC601; an info note when the key lives in a file only the source mode reads.

    A key in ``.env.development`` (or ``.env.development.local``) beside a
    committed ``.env.production`` was put in a development-only file on
    purpose: a dev-server port, a hot-reload switch, a debug flag.  Missing
    from production is then what the author chose, so it is noted, not
    warned about; a key from a file both modes could read stays a warning.
    """
    file = src.origin.source.rsplit("/", 1)[-1]
    mode_only = not s.deployed and file in (f".env.{s.source_mode}", f".env.{s.source_mode}.local")
    if mode_only:
        return KEY_MISSING_IN_TARGET.finding(
            f"{name} is set only for {s.source_mode} (in {file}), not in {s.b}",
            _location(src),
            key=key,
            hint=f"nothing to do for a {s.source_mode}-only setting; if {s.target_mode} "
            f"reads {name} too, add it to {s.b}",
            severity=Severity.INFO,
        )
    return KEY_MISSING_IN_TARGET.finding(
        f"{name} is set in {s.a} but not in {s.b}",
        _location(src),
        key=key,
        hint=f"add {name} to {s.b}, or remove it from {s.a} if nothing reads it",
    )


def _on(enabled: Collection[str] | None, rule: Rule) -> bool:
    return enabled is None or rule.code in enabled


_UNKNOWN: Any = object()  # a fact about a key not worked out yet (an identity, a reason)


def _findings(
    key: str,
    row: DiffRow,
    required: bool,
    s: _Sides,
    *,
    public: bool = False,
    development: Any = _UNKNOWN,
) -> list[Finding]:
    """Every diff finding about one key; messages name keys and places, never values.

    When the target is ``deployed`` (no ``.env.production*``), a value both
    sides read from the same file is the development value, not a production
    one: it is neither a shared production secret (EC604) nor a development
    value in production (EC605), and a key production lacks is the
    deployment's to set (no EC603).  Only the codes ``s`` has on are built;
    the key's printable name is worked out only for a finding.  ``development``:
    :func:`~envcheck.rules.diff.development_value` of the target value, when the
    caller has worked it out already.
    """
    src, dst = row.source, row.target
    borrowed = s.deployed and src is not None and dst is not None and src.origin == dst.origin
    found: list[Callable[[str], Finding]] = []  # each takes the key's printable name
    if dst is None and required and s.deployed:
        pass  # the deployment sets it; the note says production was not judged from files
    elif dst is None and required:
        if s.ec603:
            found.append(lambda name: _required_missing(key, name, src, s))
    elif src and not dst and src.reveal().strip():  # unset vs empty: the app sees no change
        if s.ec601:
            found.append(lambda name: _missing_in_target(key, name, src, s))
    if dst and not src and s.ec602:
        found.append(
            lambda name: KEY_MISSING_IN_SOURCE.finding(
                f"{name} is set in {s.b} but not in {s.a}", _location(dst), key=key
            )
        )
    if (
        src
        and dst
        and row.status == SAME
        and row.secret
        and not public
        and not borrowed
        and s.source_mode != s.target_mode
        and s.ec604
        and dst.reveal().strip()
    ):
        found.append(lambda name: _shared_secret(key, name, src, dst, s))
    if src and dst and row.status == DIFFERENT and s.ec606:
        found.append(
            lambda name: VALUE_DIFFERS.finding(
                f"{name} in {s.b} differs from {s.a} ({src.origin})", _location(dst), key=key
            )
        )
    if dst and not s.dev_target and not borrowed and s.ec605:
        reason = development_value(key, dst.reveal()) if development is _UNKNOWN else development
        if reason:
            found.append(
                lambda name: DEVELOPMENT_VALUE_IN_PRODUCTION.finding(
                    f"{name} in {s.b} looks like a development value: {reason}",
                    _location(dst),
                    key=key,
                    hint=f"set the {s.target_mode} value of {name} (.env.{s.target_mode} "
                    "or the deployment's environment)",
                )
            )
    if not found:
        return []
    name = safe_key(key)  # a pasted value can be a "key": messages show plain names only
    return [build(name) for build in found]


def _required_missing(key: str, name: str, src: Side | None, s: _Sides) -> Finding:
    """EC603: the schema requires the key in the target's mode and the target lacks it."""
    also = f" ({s.a} sets it)" if src else ""
    return REQUIRED_KEY_MISSING_IN_TARGET.finding(
        f"{name} is required in {s.target_mode} but {s.b} does not set it{also}",
        _location(src, s.target_file),
        key=key,
        hint=f"set {name} for {s.target_mode}, or make it optional there in the schema",
    )


def _shared_secret(key: str, name: str, src: Side, dst: Side, s: _Sides) -> Finding:
    """EC604 for a whole value: the same secret on both sides."""
    shared_file = src.origin == dst.origin
    return SECRET_SHARED_ACROSS_MODES.finding(
        f"{name} holds the same secret in {s.a} and {s.b}: both read it from this line"
        if shared_file
        else f"{name} in {s.b} holds the same secret as in {s.a}",
        _location(dst),
        key=key,
        hint=f"this file feeds both modes; give {s.target_mode} its own "
        f"credential (.env.{s.target_mode}.local or the deployment's secrets)"
        if shared_file
        else f"issue a separate credential for {s.target_mode}, then rotate this one",
        related=() if shared_file else (Related(_location(src), f"{s.a} value"),),
    )


def _same_resource(found: Identity, other: Identity | None) -> bool:
    """``found == other`` read field by field (a record's ``==`` builds two tuples by name,
    and a diff asks once per URL key)."""
    return other is not None and (
        found.noun == other.noun
        and found.parts == other.parts
        and found.shared_by_design == other.shared_by_design
    )


def _resource_findings(
    key: str, row: DiffRow, s: _Sides, fingerprint: Fingerprinter, known: Any = _UNKNOWN
) -> list[Finding]:
    """What the two values point at (:mod:`envcheck.identity`): EC607, and EC604 for a URL's
    password.

    A database password inside ``DATABASE_URL`` is the same secret in two
    modes whatever else differs (the passwords are compared here and never
    shown); a non-production side that names production's resource -- the
    same database, Stripe account in the same mode, Supabase project -- is
    EC607.  Values a deployed target only borrows from the source's own file
    are not judged (as in :func:`_findings`).  Two equal values name one
    resource: it is worked out once (``known``: the source value's, when the
    caller has worked it out already).
    """
    src, dst = row.source, row.target
    if src is None or dst is None or s.source_mode == s.target_mode:
        return []
    if s.deployed and src.origin == dst.origin:
        return []
    a, b = src.reveal(), dst.reveal()
    out: list[Finding] = []
    if (
        not (row.status == SAME and row.secret)  # else _findings' EC604 already says it
        and "@" in a
        and "@" in b
        and s.ec604
    ):
        a_password = url_password(a)
        if a_password and (a == b or a_password == url_password(b)):
            out.append(
                SECRET_SHARED_ACROSS_MODES.finding(
                    f"{safe_key(key)} in {s.b} carries the same password in its URL as in {s.a}",
                    _location(dst),
                    key=key,
                    hint=f"give {s.target_mode} its own credential (user and password), "
                    "then rotate this one",
                    related=(Related(_location(src), f"{s.a} value"),),
                )
            )
    production_target = s.production_target
    if production_target is None or not s.ec607:
        return out
    found = identity(key, a, fingerprint) if known is _UNKNOWN else known
    if found is None or (
        row.status != SAME and not _same_resource(found, identity(key, b, fingerprint))
    ):
        return out
    name = safe_key(key)
    prod, other = (dst, src) if production_target else (src, dst)
    prod_label, other_label = (s.b, s.a) if production_target else (s.a, s.b)
    out.append(
        PRODUCTION_RESOURCE_OUTSIDE_PRODUCTION.finding(
            f"{name} in {other_label} points at the production {found.noun}: same "
            f"{found.described} as in {prod_label}",
            _location(other),
            key=key,
            hint=f"give {other_label} its own {found.noun}"
            + (
                "; sharing one is the vendor's advice (environments are a tag)"
                if found.shared_by_design
                else ""
            ),
            severity=Severity.INFO if found.shared_by_design else None,
            related=()
            if prod.origin == other.origin
            else (Related(_location(prod), f"{prod_label} value"),),
        )
    )
    return out


class _Worked:
    """What :func:`_plain_pair` worked out about a key it left to the full path, which reads
    it rather than asking again: ``secret`` (None: not asked), the target value's
    ``development`` reason and the source value's ``identity`` (``_UNKNOWN``: not asked)."""

    __slots__ = ("secret", "development", "identity")

    def __init__(
        self, secret: bool | None, development: Any = _UNKNOWN, identity: Any = _UNKNOWN
    ) -> None:
        self.secret = secret
        self.development = development
        self.identity = identity


def _plain_pair(
    key: str, a: str, b: str, s: _Sides, fingerprint: Fingerprinter
) -> tuple[str, bool] | _Worked:
    """A key both sides set, with no schema word and a target that is not deployed, decided
    from its two values: ``(status, secret)`` when no finding can be about it (the row is
    kept as those two facts, no :class:`Side` made), else what it worked out on the way
    (:class:`_Worked`): the key takes :func:`_findings`' and :func:`_resource_findings`'
    full path.

    The tests are theirs in that case (no schema spec, both sides set, nothing
    borrowed), in the order that rules most keys out first; a 100k-line diff has
    tens of thousands of keys and a finding about a few percent of them.
    """
    same = a == b
    if same:
        secret = is_secret(key, a)
        if secret and s.ec604 and s.source_mode != s.target_mode and b.strip():
            return _Worked(secret)  # EC604, unless public by design
    else:
        if s.ec606:
            return _Worked(None)
        secret = is_secret(key, a) or is_secret(key, b)
    # Asked under _findings' own condition for it (nothing is borrowed here): where it is
    # not asked, _findings does not ask either.
    development = None
    if not s.dev_target and s.ec605:
        development = development_value(key, b)
        if development:
            return _Worked(secret, development)
    if s.source_mode == s.target_mode:
        return (SAME if same else DIFFERENT), secret
    if s.ec604 and not (same and secret) and "@" in a and "@" in b:
        return _Worked(secret, development)  # a password in both URLs: on the full path
    if s.production_target is not None and s.ec607:
        found = identity(key, a, fingerprint)
        if found is not None:
            return _Worked(secret, development, found)
    return (SAME if same else DIFFERENT), secret


def compare(
    source: Resolution,
    target: Resolution,
    *,
    fingerprint: Fingerprinter,
    schema: Any = None,
    source_label: str,
    target_label: str,
    deployed: bool = False,
    enabled: Collection[str] | None = None,
) -> DiffResult:
    """Line up ``source`` and ``target`` key by key, with every diff finding.

    ``deployed``: the target mode has no env file of its own, so its values
    come from the deployment; one note says so, and values the source's files
    also feed are not judged as the target's (see :func:`_findings`).

    Without ``enabled`` all findings are produced (EC606 included) and the
    command filters them; with it, only those codes' findings are built.
    A key the schema requires in the target's mode and the target lacks is
    EC603 instead of EC601, so one missing key is one finding.  Keys are
    sorted: a diff is read by scanning for a name.
    """
    result = DiffResult(
        source_label, target_label, source.mode, target.mode, source.files, target.files
    )
    sides = _Sides.of(
        source_label,
        target_label,
        source.mode,
        target.mode,
        target.files[0] if target.files else None,
        deployed,
        enabled,
    )
    if deployed:
        result.notes.append(
            f"no .env.{target.mode} or .env.{target.mode}.local: {target.mode} values come from "
            f"the deployment (the platform's environment); values it shares with "
            f"{source_label} through the same file are not judged as {target.mode}'s own "
            "(no EC603/EC604/EC605 for them)"
        )
    source_vars, target_vars = winners_of(source), winners_of(target)
    target_mode = target.mode
    rows = Rows(source_vars, target_vars, fingerprint)
    source_values, target_values = rows.source_values, rows.target_values
    # The keys as one list, no set of 100k beside it: the target's and the schema's
    # required ones that the source lacks are added to the source's.
    names = list(source_values)
    names.extend(k for k in target_values if k not in source_values)
    schema_keys = getattr(schema, "keys", None)
    if isinstance(schema_keys, dict):
        names.extend(
            k
            for k, spec in schema_keys.items()
            if k not in source_values and k not in target_values and required_in(spec, target_mode)
        )
    names.sort()
    result.rows = rows
    findings = result.findings
    # A deployed target's findings depend on where both values come from: every key
    # takes the full path then.
    quick = not deployed
    for key in names:
        spec = None if schema is None else _spec(schema, key)
        worked = None
        if quick and spec is None:
            a, b = source_values.get(key), target_values.get(key)
            if a is not None and b is not None:
                plain = _plain_pair(key, a, b, sides, fingerprint)
                if type(plain) is tuple:
                    rows._add_plain(key, *plain)
                    continue
                assert isinstance(plain, _Worked)
                worked = plain
        src, dst, status = _sides(source_vars.get(key), target_vars.get(key), fingerprint)
        if worked is not None and worked.secret is not None:
            secret = worked.secret
        else:
            secret = _secret(key, spec, src, dst, same=status == SAME)
        row = DiffRow(key, status, secret, src, dst)
        # Public-by-design only excuses a shared secret (EC604): classify just those.
        public = (
            status == SAME
            and secret
            and sides.ec604
            and _public_by_design(
                key, spec, [side.reveal() for side in (src, dst) if side is not None]
            )
        )
        required = spec is not None and required_in(spec, target_mode)
        if worked is None:
            found = _findings(key, row, required, sides, public=public)
            known: Any = _UNKNOWN
        else:
            found = _findings(
                key, row, required, sides, public=public, development=worked.development
            )
            known = worked.identity
        if src is not None and dst is not None:  # what both values point at: EC604, EC607
            found += _resource_findings(key, row, sides, fingerprint, known)
        if found:
            row.codes = tuple(f.code for f in found)
            findings.extend(found)
        rows._add(row)
    return result
