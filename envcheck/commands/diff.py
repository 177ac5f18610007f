"""``envcheck diff``: two environments side by side, values compared, secrets never shown.

The two sides are two modes of the project (``--from development --to
production`` by default), two explicit files, or a mode and the current
process environment (``--to process``).  Mode sides are the files alone: the
process environment is the same on both sides of a mode diff and would hide
exactly the differences the diff is for.  Equality goes through a
fingerprinter keyed per run (:mod:`envcheck.diff`); non-secret values are
printed only with ``--values``, secret values never.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import project_options
from envcheck.commands.reporting import report_options
from envcheck.diff import SAME, DiffRow, LeanResolution, Rows, Side, Winners, compare, where_of
from envcheck.engine import exit_code
from envcheck.errors import SourceError
from envcheck.fanout.hook import workspace_hook
from envcheck.fanout.result import AppRun, under
from envcheck.model import PROCESS, Record, Report
from envcheck.project import load_config
from envcheck.report.sanitize import for_terminal
from envcheck.rules.diff import is_dev_mode
from envcheck.schema.interpreter import python_option
from envcheck.secret import Fingerprinter, Secret, redact, safe_key
from envcheck.sources.detect import detect
from envcheck.sources.profiles import Profile, get_profile
from envcheck.sources.resolve import parse_file, resolve
from envcheck.sources.types import PROCESS_ORIGIN, LoadRequest, Origin, Resolution, Resolved

VALUE_WIDTH = 40
_LINES_PER_PIECE = 4096  # table lines per write
_MODE_FILE = re.compile(r"\.env\.([A-Za-z0-9_-]+?)(?:\.local)?$")
_URL_PASSWORD = re.compile(r"(://[^:/?#@\s]*:)[^@/?#\s]*@")


def _file_side(path: Path, profile: Profile, dialect: str, mode: str) -> Resolution:
    """One explicit file, loaded alone the way the framework loads a file."""
    shown = str(path)
    parsed = parse_file(path, shown, dialect, within=Path.cwd(), named=True)
    if parsed is None:
        raise SourceError("env file not found", where=shown, hint="check the file path")
    unreadable = [p for p in parsed.problems if p.kind == "unreadable"]
    if unreadable and not parsed.entries:
        raise SourceError(unreadable[0].message, where=shown)
    loaded = profile.load(LoadRequest([parsed], {}, mode))
    del parsed  # with the loader's winners below, the parsed file's entries go
    # A diff reads a winner's value and place only, and holds two files of 100k keys.
    return LeanResolution(profile.name, mode, [shown], Winners.of(loaded.vars, shown), loaded.notes)


def _process_side(
    environ: Mapping[str, str], keys: set[str], profile: Profile, default_mode: str
) -> Resolution:
    """The process environment, limited to the keys the other side or the schema know.

    Its mode is what the process says it runs as (``NODE_ENV``/``APP_ENV``),
    else ``default_mode``.
    """
    mode = next((environ[v] for v in profile.mode_vars if environ.get(v)), default_mode)
    variables = {
        k: Resolved(k, Secret(environ[k]), PROCESS_ORIGIN) for k in sorted(keys) if k in environ
    }
    return Resolution(framework=PROCESS, mode=mode, vars=variables)


def _file_mode(path: Path, given: str, explicit: bool) -> str:
    """The mode a file belongs to: the option if given, else ``.env.<mode>[.local]``."""
    if explicit:
        return given
    match = _MODE_FILE.search(path.name)
    return match.group(1) if match and match.group(1) != "local" else given


def _schema_keys(schema: Any) -> set[str]:
    keys = getattr(schema, "keys", None)
    return set(keys) if isinstance(keys, dict) else set()


def _display(row: DiffRow, side: Side, show_values: bool) -> str:
    """A side's cell: a fingerprint, or with ``--values`` a non-secret value
    (:func:`_shown_text`)."""
    return _shown_text(side.reveal(), row.secret, show_values, lambda _: side.fingerprint)


def _shown_text(
    raw: str, secret: bool, show_values: bool, fingerprint: Callable[[str], str]
) -> str:
    """The table's cell for a side whose value is ``raw``: a fingerprint (``fingerprint``
    of ``raw``, asked only then), or with ``--values`` a non-secret value.

    Even a non-secret value has URL passwords and key-shaped substrings masked:
    a name is a guess, and ``DATABASE_URL`` carries a password.
    """
    if raw == "":
        return "(empty)"
    from envcheck.sources.references import reference_kind

    if kind := reference_kind(raw):  # a pointer, not a value: never shown, never fingerprinted
        return "(set, value unknown)" if kind == "deploy-target" else f"({kind} reference)"
    if secret or not show_values:
        return f"#{fingerprint(raw)}" + (" (secret)" if secret else "")
    text = redact(_URL_PASSWORD.sub(r"\1****@", raw), ())
    text = for_terminal(text)  # no ESC, bidi control or "::" from a file reaches the terminal
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


class Cell(Record):
    """One side of one key as diff shows it: where it comes from, its table ``text``
    (:func:`_display`), and for JSON its ``fingerprint`` and, with ``--values`` for a
    non-secret key, its ``value`` (URL passwords masked).  No raw value: a cell pickles.
    A fingerprint is a keyed hash: computed only for the output that shows it (the
    table's text, when it does; JSON, always; ``fingerprint`` None otherwise).  Not
    frozen, as :class:`Row`.  Treat as read-only."""

    __slots__ = ("origin", "fingerprint", "text", "value")
    origin: Origin
    fingerprint: str | None
    text: str
    value: str | None

    def __init__(
        self, origin: Origin, fingerprint: str | None, text: str, value: str | None
    ) -> None:
        self.origin = origin
        self.fingerprint = fingerprint
        self.text = text
        self.value = value

    @classmethod
    def of(cls, row: DiffRow, side: Side | None, show_values: bool, fmt: str) -> Cell | None:
        """The cell for ``fmt``: json's fields, or the table's text."""
        if side is None:
            return None
        if fmt != "json":
            return cls(side.origin, None, _display(row, side, show_values), None)
        value = _shown_value(side.reveal()) if show_values and not row.secret else None
        return cls(side.origin, side.fingerprint, "", value)

    def rebased(self, prefix: str) -> Cell:
        if self.origin.is_process:
            return self
        return self.replace(origin=self.origin.replace(source=under(prefix, self.origin.source)))


class Row(Record):
    """One key across both sides, as shown (:class:`envcheck.diff.DiffRow` without values).

    Not frozen: a diff shows one per key, and a frozen ``__init__`` (one
    ``object.__setattr__`` per field) costs a large diff's output a tenth of
    its time.  Treat as read-only.
    """

    __slots__ = ("key", "status", "secret", "source", "target")
    key: str
    status: str
    secret: bool
    source: Cell | None
    target: Cell | None

    def __init__(
        self, key: str, status: str, secret: bool, source: Cell | None, target: Cell | None
    ) -> None:
        self.key = key
        self.status = status
        self.secret = secret
        self.source = source
        self.target = target

    def rebased(self, prefix: str) -> Row:
        return self.replace(
            source=None if self.source is None else self.source.rebased(prefix),
            target=None if self.target is None else self.target.rebased(prefix),
        )


class ShownRows:
    """The rows a format shows (:class:`Row`), made from the comparison's rows as they
    are read: a diff of 100k keys writes its JSON without a second table of every key
    held beside the first.  Read it as a sequence of rows; it pickles (from a workspace
    worker to the merge) as the tuple of them.  Each read builds the rows anew (their
    fingerprints are the comparison's, computed once)."""

    __slots__ = ("_rows", "_show_values", "_fmt")

    def __init__(self, rows: Sequence[DiffRow], show_values: bool, fmt: str) -> None:
        self._rows = rows
        self._show_values = show_values
        self._fmt = fmt

    @staticmethod
    def read(rows: Sequence[DiffRow]) -> Iterable[DiffRow]:
        """``rows``, made for this one reading when they are the comparison's :class:`Rows`."""
        return rows.fresh() if isinstance(rows, Rows) else rows

    def __iter__(self) -> Iterator[Row]:
        show_values, fmt = self._show_values, self._fmt
        for r in self.read(self._rows):
            yield Row(
                r.key,
                r.status,
                r.secret,
                Cell.of(r, r.source, show_values, fmt),
                Cell.of(r, r.target, show_values, fmt),
            )

    def json_texts(self, codes: Mapping[str, list[str]]) -> Iterator[str]:
        """:func:`diff_json`'s object per row as its JSON text (what
        :func:`~envcheck.report.json.dumps` writes for :func:`_row_json` of the row), made
        straight from the comparison's rows: no :class:`Row`, :class:`Cell` or dict per
        key, each fingerprint computed as it is written and not kept (a value equal on
        both sides: once)."""
        from envcheck.report.json import dumps

        rows = self._rows
        if not isinstance(rows, Rows):
            yield from (dumps(_row_json(row, codes)) for row in self)
            return
        show_values, fingerprint = self._show_values, rows.fingerprint
        encode = _json_string()
        places: dict[str, str] = {}  # a file's name as JSON text: once per file
        none: list[str] = []
        source_text, target_text = (_side_texts(side, encode, places) for side in rows.sides)
        for key, status, secret, src, dst in rows.winners():
            source = target = "null"
            shared = None
            with_value = show_values and not secret
            if src is not None:
                shared = fingerprint(src)
                source = source_text(key, src, shared, with_value)
            if dst is not None:
                fp = shared if status == SAME and shared else fingerprint(dst)
                target = target_text(key, dst, fp, with_value)
            found = codes.get(key, none)
            yield (
                f'{{\n  "key": {encode(safe_key(key))},\n  "status": "{status}",\n'
                f'  "secret": {"true" if secret else "false"},\n  "source": {source},\n'
                f'  "target": {target},\n  "codes": '
                + ("[\n    " + ",\n    ".join(map(encode, found)) + "\n  ]" if found else "[]")
                + "\n}"
            )

    def __len__(self) -> int:
        return len(self._rows)

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))


def _where(cell: Cell | None) -> str:
    return "" if cell is None else _place(cell.origin)


def _place(origin: Origin) -> str:
    """The table's origin column for a side."""
    return PROCESS if origin.is_process else str(origin)


def _place_at(where: tuple[str, int | None, int | None]) -> str:
    """:func:`_place` of the origin ``(source, line, col)``, no :class:`Origin` made."""
    source, line, _ = where
    if source == PROCESS:
        return PROCESS
    return f"{source}:{line}" if line else source


def _status(row: Row, view: Diffed) -> str:
    return _statuses(view)[row.status, row.secret]


def _statuses(view: Diffed) -> dict[tuple[str, bool], str]:
    """The table's words for each (status, secret)."""
    words = {
        "same": "same",
        "different": "differs",
        "only-source": f"missing in {view.target_label}",
        "only-target": f"missing in {view.source_label}",
        "neither": "missing in both",
    }
    shown = {(status, secret): word for status, word in words.items() for secret in (False, True)}
    shown["same", True] = "same secret"
    return shown


def _table_cells(view: Diffed) -> Iterator[tuple[str, ...]]:
    """The table's rows as their six cells, before sanitising: made from the :class:`Row` s
    shown, or for the comparison's rows straight from each key's two winners (no
    :class:`Row`, :class:`Cell` or :class:`~envcheck.diff.Side` per key; a value equal
    on both sides is shown, and fingerprinted, once)."""
    statuses, codes = _statuses(view), view.codes
    none: list[str] = []
    rows = view.rows._rows if isinstance(view.rows, ShownRows) else None
    if not isinstance(rows, Rows):
        for row in view.rows:
            found = codes.get(row.key, none)
            if view.quiet and not found:
                continue
            yield (
                safe_key(row.key),
                "-" if row.source is None else row.source.text,
                _where(row.source),
                "-" if row.target is None else row.target.text,
                _where(row.target),
                statuses[row.status, row.secret] + (f" [{', '.join(found)}]" if found else ""),
            )
        return
    assert isinstance(view.rows, ShownRows)
    show_values, fingerprint = view.rows._show_values, rows.fingerprint
    for key, status, secret, src, dst in rows.winners():
        found = codes.get(key, none)
        if view.quiet and not found:
            continue
        source_text = target_text = "-"
        if src is not None:
            source_text = _shown_text(src, secret, show_values, fingerprint)
        if dst is not None:
            target_text = (
                source_text
                if status == SAME and src is not None
                else _shown_text(dst, secret, show_values, fingerprint)
            )
        yield (
            safe_key(key),
            source_text,
            "" if src is None else _place_at(rows.source_where(key)),
            target_text,
            "" if dst is None else _place_at(rows.target_where(key)),
            statuses[status, secret] + (f" [{', '.join(found)}]" if found else ""),
        )


def _sanitised(cells: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`for_terminal` of each cell; a row whose cells are printable ASCII with no
    ``::`` (nearly all) is tested as one text."""
    joined = "".join(cells)
    if joined.isascii() and joined.isprintable() and "::" not in joined:
        return cells
    return tuple(for_terminal(c) for c in cells)


def render_table(view: Diffed) -> str:
    """The side-by-side table: key, each side's value (or fingerprint) and origin, status."""
    return "\n".join(table_lines(view))


def table_lines(view: Diffed) -> Iterator[str]:
    """:func:`render_table`'s lines, made as they are read (the cells are made first: the
    columns' widths need them all)."""
    # Keys, labels and file names come from the project: every cell is sanitised.
    table = [_sanitised(cells) for cells in _table_cells(view)]
    if not table:
        if not view.quiet:
            yield "no keys on either side"
        return
    header: tuple[str, ...] = ("KEY", view.source_label, "", view.target_label, "", "STATUS")
    header = tuple(for_terminal(c) for c in header)
    columns = list(zip(*table, strict=True))
    widths = [max(len(header[i]), max(map(len, columns[i]))) for i in range(5)]
    del columns
    line = "  ".join(f"{{:<{width}}}" for width in widths) + "  {}"
    yield line.format(*header).rstrip()
    for cells in table:
        yield line.format(*cells).rstrip()


def _side_json(cell: Cell | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    out: dict[str, Any] = {"fingerprint": cell.fingerprint}
    if cell.value is not None:
        out["value"] = cell.value
    out.update(cell.origin.fields())
    return out


def _json_string() -> Callable[[str], str]:
    """How every JSON document of envcheck writes a string (:func:`~envcheck.report.json.dumps`
    hands the C writer the same function)."""
    import json.encoder

    return json.encoder.encode_basestring


def _side_texts(
    side: Mapping[str, Resolved], encode: Callable[[str], str], places: dict[str, str]
) -> Callable[[str, str, str, bool], str]:
    """``(key, raw, fingerprint, with_value) ->`` :func:`_side_text` of ``key``'s winner in
    ``side``; for a key set at the start of its line in a lean side's file (nearly every
    key of a large diff), the same text put together from its two variable parts."""
    where = partial(where_of, side)
    if not isinstance(side, Winners):
        return lambda key, raw, fp, with_value: _side_text(
            raw, where(key), fp, with_value, encode, places
        )
    lines = side.places
    head = '{\n    "fingerprint": "'
    place = f'",\n    "source": {encode(side.path)},\n    "line": '
    tail = ',\n    "col": 1\n  }'

    def text(key: str, raw: str, fp: str, with_value: bool) -> str:
        line = lines[key]
        if with_value or type(line) is not int:
            return _side_text(raw, where(key), fp, with_value, encode, places)
        return f"{head}{fp}{place}{line}{tail}"

    return text


def _side_text(
    raw: str,
    where: tuple[str, int | None, int | None],
    fingerprint: str,
    with_value: bool,
    encode: Callable[[str], str],
    places: dict[str, str],
) -> str:
    """:func:`_side_json`'s text for a side whose winner has the value ``raw`` and the
    origin ``where`` (source, line, col), as :func:`~envcheck.report.json.dumps` writes it
    for a side of a row (two levels deep); ``places``: each file name's JSON text, filled
    as met."""
    value = f'\n    "value": {encode(_shown_value(raw))},' if with_value else ""
    source, line, col = where
    if source == PROCESS:
        return f'{{\n    "fingerprint": "{fingerprint}",{value}\n    "source": "{PROCESS}"\n  }}'
    place = places.get(source)
    if place is None:
        place = places[source] = encode(source)
    return (
        f'{{\n    "fingerprint": "{fingerprint}",{value}\n    "source": {place},\n'
        f'    "line": {"null" if line is None else line},\n'
        f'    "col": {"null" if col is None else col}\n  }}'
    )


def _row_json(row: Row, codes: Mapping[str, list[str]]) -> dict[str, Any]:
    """A row's object in :func:`diff_json`'s ``rows``."""
    return {
        "key": safe_key(row.key),
        "status": row.status,
        "secret": row.secret,
        "source": _side_json(row.source),
        "target": _side_json(row.target),
        "codes": codes.get(row.key, []),
    }


def _shown_value(raw: str) -> str:
    """A non-secret value as ``--values`` shows it in JSON: URL passwords and key-shaped
    runs masked."""
    return redact(_URL_PASSWORD.sub(r"\1****@", raw), ())


def diff_json(view: Diffed, *, stream: bool = False) -> dict[str, Any]:
    """The ``diff`` member of the JSON document: both sides and one object per key.

    ``stream``: the rows as :class:`~envcheck.report.json.Items`, for
    :func:`~envcheck.report.json.write` (built one chunk at a time as they
    are written, never all at once).
    """
    from envcheck.report.json import Items, Texts

    rows: Texts | Items | list[dict[str, Any]]
    if isinstance(view.rows, ShownRows) and stream:
        rows = Texts(view.rows.json_texts(view.codes))
    else:
        objects = (_row_json(row, view.codes) for row in view.rows)
        rows = Items(objects) if stream else list(objects)
    return {
        "from": {
            "label": view.source_label,
            "mode": view.source_mode,
            "files": list(view.source_files),
        },
        "to": {
            "label": view.target_label,
            "mode": view.target_mode,
            "files": list(view.target_files),
        },
        "rows": rows,
        "notes": list(view.remarks),
    }


class Diffed(Record):
    """One diff as the command shows it: both sides' labels, modes and files, the rows the
    format shows (:class:`Cell`: values already shown or fingerprinted as ``--values``
    asked; none for github and sarif), the diff's ``remarks``,
    its ``findings`` (``codes``: key -> its findings' codes) and how to print (``quiet``,
    ``verbose``).  Plain data, so one app's diff crosses from a workspace worker to the
    merge (:class:`envcheck.fanout.result.AppView`), which renders it."""

    __slots__ = (
        "source_label", "target_label", "source_mode", "target_mode", "source_files",
        "target_files", "rows", "remarks", "findings", "codes", "quiet", "verbose",
    )  # fmt: skip
    source_label: str
    target_label: str
    source_mode: str
    target_mode: str
    source_files: tuple[str, ...]
    target_files: tuple[str, ...]
    rows: Iterable[Row]  # a tuple, or the comparison's rows shown as read (ShownRows)
    remarks: tuple[str, ...]
    findings: Report
    codes: dict[str, list[str]]
    quiet: bool
    verbose: bool

    def __init__(
        self,
        source_label: str,
        target_label: str,
        source_mode: str,
        target_mode: str,
        source_files: tuple[str, ...],
        target_files: tuple[str, ...],
        rows: Iterable[Row],
        remarks: tuple[str, ...],
        findings: Report,
        codes: dict[str, list[str]],
        quiet: bool,
        verbose: bool,
    ) -> None:
        self.source_label = source_label
        self.target_label = target_label
        self.source_mode = source_mode
        self.target_mode = target_mode
        self.source_files = source_files
        self.target_files = target_files
        self.rows = rows
        self.remarks = remarks
        self.findings = findings
        self.codes = codes
        self.quiet = quiet
        self.verbose = verbose

    def stdout(self, fmt: str) -> str:
        """Text: the table, the notes, then the findings; json: the reporter's document
        plus ``diff``; github, sarif: the findings."""
        return "".join(self.pieces(fmt))

    def pieces(self, fmt: str) -> Iterator[str]:
        """:meth:`stdout` a piece at a time: a table of 100k keys is written a few thousand
        lines at a time, never held whole beside its cells."""
        from envcheck.report import render, use_color

        if fmt == "json":
            from envcheck.report.json import write

            pieces: list[str] = []
            write(self.document(stream=True), pieces.append)
            yield "".join(pieces) + "\n"
            return
        report = self.findings
        text = render(report, fmt, color=use_color(sys.stdout), quiet=self.quiet,
                      verbose=self.verbose)  # fmt: skip
        if fmt == "text":
            lines = table_lines(self)
            while chunk := list(islice(lines, _LINES_PER_PIECE)):
                yield "".join(f"{line}\n" for line in chunk)
            if not self.quiet:
                yield "".join(f"note: {note}\n" for note in self.remarks)
            if text:
                yield "\n"
        if text:
            yield f"{text}\n"

    def notes(self, fmt: str) -> tuple[str, ...]:
        from envcheck.report import summary

        if fmt == "text" and not (self.quiet and not self.findings.findings):
            return (summary(self.findings),)
        return ()

    def document(self, *, stream: bool = False) -> dict[str, Any]:
        from envcheck.report.json import to_dict

        document = to_dict(self.findings, stream=stream)
        document["diff"] = diff_json(self, stream=stream)
        return document

    def report(self, fmt: str) -> Report:
        return self.findings

    def rebased(self, prefix: str) -> Diffed:
        return self.replace(
            source_files=tuple(under(prefix, f) for f in self.source_files),
            target_files=tuple(under(prefix, f) for f in self.target_files),
            rows=tuple(r.rebased(prefix) for r in self.rows),
            findings=self.findings.rebased(prefix),
        )


def _load_sides(
    files: tuple[Path, ...],
    from_mode: str,
    to_mode: str,
    *,
    project_dir: Path,
    framework: str,
    dialect: str | None,
    schema: Any,
    explicit: Sequence[bool],
) -> tuple[Profile, Resolution, Resolution, str, str]:
    """The profile, both sides and their labels."""
    profile = get_profile(detect(project_dir) if framework == "auto" else framework)
    dialect = dialect or profile.dialect
    if files:
        a, b = files
        source = _file_side(a, profile, dialect, _file_mode(a, from_mode, explicit[0]))
        target = _file_side(b, profile, dialect, _file_mode(b, to_mode, explicit[1]))
        return profile, source, target, str(a), str(b)
    if from_mode == PROCESS and to_mode == PROCESS:
        raise click.UsageError("--from and --to cannot both be the process environment")
    environ = dict(os.environ)
    from envcheck.targets.resolve import is_target_name, target_resolution

    if is_target_name(to_mode) and from_mode != PROCESS:  # a deploy target (envcheck.targets)
        source = resolve(project_dir, profile, from_mode, {})
        known = set(source.vars) | _schema_keys(schema)
        target = target_resolution(project_dir, profile, to_mode, "production", declared=known)
        return profile, source, target, from_mode, f"target {to_mode}"
    modes = {m: resolve(project_dir, profile, m, {}) for m in (from_mode, to_mode) if m != PROCESS}
    known = {k for r in modes.values() for k in r.vars} | _schema_keys(schema)
    if to_mode == PROCESS:
        source = modes[from_mode]
        target = _process_side(environ, known, profile, "production")
    elif from_mode == PROCESS:
        target = modes[to_mode]
        source = _process_side(environ, known, profile, "development")
    else:
        source, target = modes[from_mode], modes[to_mode]
    return profile, source, target, from_mode, to_mode


def deployed_mode(target: Resolution) -> bool:
    """Whether the target mode reads no file of its own (``.env.production[.local]``).

    Then its values come from the deployment - Vercel's, Netlify's or the
    container's environment - and the shared files it also reads
    (``.env.local``, ``.env``) show the development values, not production's.
    """
    if is_dev_mode(target.mode):
        return False
    own = _own_files(target.mode)
    return not any(Path(f).name in own for f in target.files)


def _own_files(mode: str) -> frozenset[str]:
    return frozenset({f".env.{mode}", f".env.{mode}.local"})


def diff_app(call: dict[str, Any]) -> tuple[AppRun, None]:
    """One app of a workspace root (``--from``/``--to`` modes, never two files): its
    diff as data (the merge renders it)."""
    fmt, strict = str(call.pop("fmt", "text")), bool(call.pop("strict", False))
    view = _diffed(explicit=(False, False), fmt=fmt, **call)
    view.rows = tuple(view.rows)  # what crosses to the merge: the rows themselves
    return AppRun(exit_code(view.findings, strict=strict), notes=view.notes(fmt), view=view), None


def _diffed(
    files: tuple[Path, ...],
    from_mode: str,
    to_mode: str,
    show_values: bool,
    settings: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    project_dir: Path | None,
    *,
    explicit: tuple[bool, bool],
    fmt: str,
    **opts: Any,
) -> Diffed:
    """The diff the command line asks for, to be shown as ``fmt`` (``explicit``: whether
    ``--from`` / ``--to`` were given, which decides a file's mode)."""
    from envcheck.engine import filter_findings, relative_to_cwd

    if len(files) not in (0, 2):
        raise click.UsageError("give two files to compare, or none to compare modes")
    if opts.get("mode") or opts.get("env_files"):
        raise click.UsageError("diff takes --from/--to (or two files), not --mode/--env-file")
    if opts.get("no_process_env") and PROCESS in (from_mode, to_mode):
        raise click.UsageError("--no-process-env contradicts comparing with the process")
    project_dir = project_dir or Path.cwd()
    config = load_config(project_dir, settings)
    framework = opts.get("framework", "auto")
    if framework == "auto" and config.framework:
        framework = config.framework
    profile, source, target, a, b = _load_sides(
        files,
        from_mode,
        to_mode,
        project_dir=project_dir,
        framework=framework,
        dialect=opts.get("dialect"),
        schema=config.schema,
        explicit=explicit,
    )
    from envcheck.rules.registry import enabled_codes

    config_select, config_ignore = config.rules()
    extend = (*config_select, *(("EC606",) if verbose else ()))
    enabled = enabled_codes(select, (*config_ignore, *ignore), extend=extend)
    result = compare(
        source,
        target,
        enabled=enabled,  # findings of rules that are off are not built
        fingerprint=Fingerprinter(),
        schema=config.schema,
        source_label=a,
        target_label=b,
        deployed=not files and to_mode != PROCESS and deployed_mode(target) and b == to_mode,
    )
    if not files and b != to_mode:  # a deploy target: missing where the platform holds it: a note
        from envcheck.targets.resolve import on_target

        result.findings[:] = on_target(result.findings, project_dir, to_mode)
    from envcheck.rules.syntax import findings_from_problems  # files it could not read: EC109

    unread = {(p.path, p.message): p for r in (source, target) for p in r.notes}
    result.findings.extend(
        findings_from_problems([p for p in unread.values() if p.kind == "unreadable"])
    )
    base = Path.cwd() if files else project_dir
    findings = filter_findings(
        result.findings, base, select, (*config_ignore, *ignore), codes=enabled
    )
    codes: dict[str, list[str]] = {}
    for f in findings:
        if f.key is not None:
            codes.setdefault(f.key, []).append(f.code)
    report = Report(
        findings=findings,
        framework=profile.name,
        mode=target.mode,
        files=list(dict.fromkeys([*source.files, *target.files])),
        # two files are named as given; a project's files from its folder (CI annotations)
        base="" if files else relative_to_cwd(project_dir),
    )
    shown = result.rows  # json: every row; the table: with -q only rows with findings
    if fmt in ("github", "sarif"):
        shown = []  # findings only
    elif fmt == "text" and quiet:
        shown = [r for r in ShownRows.read(shown) if r.key in codes]
    return Diffed(
        result.source_label,
        result.target_label,
        result.source_mode,
        result.target_mode,
        tuple(result.source_files),
        tuple(result.target_files),
        ShownRows(shown, show_values, fmt),
        tuple(result.notes),
        report,
        codes,
        quiet,
        verbose,
    )


@click.command("diff")
@click.argument(
    "files", nargs=-1, metavar="[FILE_A FILE_B]", type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--from",
    "from_mode",
    default="development",
    show_default=True,
    help="Source mode (or `process`).",
)
@click.option(
    "--to",
    "to_mode",
    default="production",
    show_default=True,
    help="Target mode, or `process` for the current process environment.",
)
@click.option(
    "--values",
    "show_values",
    is_flag=True,
    help="Show non-secret values (URL passwords masked); secrets only show a per-run fingerprint.",
)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--settings", default=None, help="A pydantic-settings class, package.module:Class.")
@python_option
@report_options
@project_options
@workspace_hook("diff", diff_app)  # at a monorepo root: every app
def diff(
    files: tuple[Path, ...],
    from_mode: str,
    to_mode: str,
    show_values: bool,
    strict: bool,
    settings: str | None,
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    verbose: bool,
    project_dir: Path | None,
    **opts: Any,
) -> int:
    """Compare two environments: modes (default development -> production), or FILE_A FILE_B.

    Reports keys set on one side only, secrets shared by both, development
    values (localhost, test keys, DEBUG) on the target side, and keys the
    schema requires in the target mode.  `--to process` compares the keys the
    files or the schema know with the current environment.  Exit 1 when any
    error is found (any warning too with --strict).
    """
    ctx = click.get_current_context()
    given = [
        ctx.get_parameter_source(p) is not click.core.ParameterSource.DEFAULT
        for p in ("from_mode", "to_mode")
    ]
    explicit = (given[0], given[1])
    view = _diffed(
        files, from_mode, to_mode, show_values, settings, select, ignore, quiet, verbose,
        project_dir, explicit=explicit, fmt=fmt, **opts,
    )  # fmt: skip
    if fmt == "json":  # written as it is built: a diff of 100k keys is tens of MB of JSON
        from envcheck.report.json import write

        write(view.document(stream=True), sys.stdout.write)
        sys.stdout.write("\n")
    else:
        for piece in view.pieces(fmt):
            click.echo(piece, nl=False)
    for note in view.notes(fmt):
        click.echo(note, err=True)
    return exit_code(view.findings, strict=strict)
