"""``envcheck explain``: each key's value, the source that won, what it shadowed."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Callable, Container, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.fanout.hook import workspace_hook
from envcheck.fanout.result import AppRun, under
from envcheck.model import Record
from envcheck.project import Project, load, load_config
from envcheck.report.sanitize import for_terminal
from envcheck.schema.classify import (
    KEY_SHAPED,
    STAND_IN,
    nothing_to_ask,
    public_by_name,
    shape_flags,
)
from envcheck.schema.interpreter import python_option
from envcheck.secret import (
    Secret,
    is_secret_name,
    masked_for_display,
    redactor,
    safe_key,
    secret_reason,
    shown,
)
from envcheck.sources.references import UNKNOWN_SCHEME
from envcheck.sources.types import PROCESS_ORIGIN, Origin, Problem, Resolved
from envcheck.targets.command import target_options

if TYPE_CHECKING:
    from envcheck.code.facts import EnvRead

VALUE_WIDTH = 48
READ_PLACES = 3  # where the code reads a key: the first few places
LINES_PER_WRITE = 4096  # the table is written this many lines at a time


def code_reads(project: Project, no_code: bool) -> dict[str, list[Any]]:
    """key -> the code's reads of it (:class:`envcheck.code.EnvRead`); empty on ``--no-code``."""
    if no_code or project.profile.resolver is not None:
        return {}
    from envcheck.workspace.apps import app_facts

    reads: dict[str, list[Any]] = {}
    for read in app_facts(project.project_dir).reads:
        if read.key is not None:
            reads.setdefault(read.key, []).append(read)
    return reads


def unset_reads(rows: dict[str, Resolved | None], reads: dict[str, list[Any]]) -> list[str]:
    """Keys the code reads that no row shows and the runtime does not set: rows of their own.

    A row shows a read whatever the case; the rows' keys are mostly upper case already, so
    only the others are kept upper-cased (a set of 100k upper-cased copies was the peak of
    ``explain``)."""
    if not reads:
        return []
    from envcheck.code.runtime import runtime_set

    other_case = {upper for k in rows if (upper := k.upper()) != k}
    return [
        k
        for k in reads
        if (upper := k.upper()) not in rows and upper not in other_case and not runtime_set(k)
    ]


def _split_keys_and_dir(
    args: tuple[str, ...], project_dir: Path | None
) -> tuple[list[str], Path | None]:
    """``explain [KEY…] [DIR]``: a last argument naming a directory is the project.

    Env keys are conventionally upper case, so ``API_KEY`` stays a key even if
    a directory of that name exists; ``.``, ``app`` or ``../web`` are directories.
    """
    keys = list(args)
    if keys and project_dir is None and not keys[-1].isupper() and Path(keys[-1]).is_dir():
        return keys[:-1], Path(keys[-1])
    return keys, project_dir


def selected(
    project: Project, keys: list[str], include_process: bool, declared: tuple[str, ...] = ()
) -> dict[str, Resolved | None]:
    """The keys to show, in file order; None for a key set nowhere.

    Without KEYs: every key the app gets from a file or, for keys the schema
    declares, from the process; then the declared keys set nowhere (shown as
    not set, so an empty container environment is visible, not a blank table).
    """
    variables = project.resolution.vars
    if keys:
        found: dict[str, Resolved | None] = {}
        for name in keys:
            found[name] = _resolved(project, name)
        return found
    found = dict(variables)  # one C copy: 100k keys in file order
    if declared:
        upper = {k.upper() for k in variables}
        for name in declared:
            if name.upper() not in upper and name not in found:
                found[name] = _resolved(project, name)
    if include_process:
        for name in sorted(k for k in project.process_env if k not in found):
            found[name] = _resolved(project, name)
    return found


def _resolved(project: Project, name: str) -> Resolved | None:
    """``name``'s winner: a file's, else the process's, else None (set nowhere)."""
    variables = project.resolution.vars
    if name in variables:
        return variables[name]
    if name in project.process_env:
        return Resolved(name, Secret(project.process_env[name]), PROCESS_ORIGIN)
    return None


def _declared_secret(schema: Any, key: str) -> bool | None:
    """The schema's ``secret = true/false`` for ``key``; None when it says nothing."""
    spec = schema.spec(key) if schema is not None else None
    declared = getattr(spec, "secret", None)
    return declared if isinstance(declared, bool) else None


def process_secrets(project: Project, schema: Any) -> list[str]:
    """The process environment's secret values, to be masked wherever they turn up.

    A checked file can copy one into an innocent name (``GREETING=${CI_TOKEN}``);
    the copy is the process's value, so it is masked like the original.
    """
    return [
        value
        for key, value in project.process_env.items()
        if masked_for_display(
            key, value, declared=_declared_secret(schema, key), from_checkout=False
        )
    ]


def _declares_secrets(schema: Any) -> bool:
    """Whether any key of the schema says ``secret = true/false``: else no key's word is
    looked up (the case-blind lookup of a settings class scans every spec)."""
    keys = getattr(schema, "keys", None) if schema is not None else None
    if not isinstance(keys, dict):
        return schema is not None  # an unknown shape: ask it per key
    return any(isinstance(getattr(spec, "secret", None), bool) for spec in keys.values())


PLACEHOLDER_WHY = "placeholder: the template's stand-in, not a real value"
NOT_SECRET = "not secret:"  # how secret_reason words a name it overrules


def _shown_row(
    key: str,
    raw: str,
    from_process: bool,
    declared: bool | None,
    reveal_values: bool,
    scrub: Callable[[str], str] | None,
) -> tuple[str, bool, str | None]:
    """``key``'s raw value as shown, whether it is secret, and why it is shown so.

    Secret: :func:`envcheck.secret.masked_for_display`; only trusted input
    unmasks: ``--reveal`` (the command line) shows every value; the schema's
    ``secret = false`` (checkout data) unmasks only a value the checkout's own
    files set, never one from the process environment, and any process secret a
    file value carries through expansion stays masked inside it (``scrub``:
    :func:`envcheck.secret.redactor` of those secrets; None when there are none).

    Why (``declared``: the schema's word): the schema's word, else a template's
    stand-in, else the default's reason (:func:`envcheck.secret.secret_reason`).
    The value's facts come from the classifier (:func:`envcheck.schema.classify.shape_flags`:
    its memo, or one C call for a plain value): a name that says nothing and a value of no
    credential's shape is plain without another question - for most rows, one C call says
    both (:func:`envcheck.schema.classify.nothing_to_ask`, for a value that is not empty).
    """
    plain = bool(raw) and nothing_to_ask()(key, raw)
    flags = 0 if plain else shape_flags(raw)
    # secret_reason's answer, and is_secret's (which its words say): None and False for a
    # name that says nothing and a value of no credential's shape, without asking.
    reason, by_default = None, False
    if not plain and (flags & KEY_SHAPED or is_secret_name(key)):
        reason = secret_reason(key, raw)
        by_default = reason is not None and not reason.startswith(NOT_SECRET)
        # A name alone said secret; the rules' classifier may know it public by design.
        # The name is the file's word, as the schema's is: it unmasks only a value the
        # checkout's own files set, never one from the process environment.
        public = None if from_process else public_by_name(key)
        if by_default and not flags & KEY_SHAPED and public:
            reason, by_default = f"{NOT_SECRET} named like a credential, but {public}", False
    if declared is None:
        secret = by_default
        why = PLACEHOLDER_WHY if flags & STAND_IN else reason
    else:
        secret = declared if not from_process else declared or by_default
        why = f"{'secret' if declared else 'not secret'}: the schema declares it"
    if raw.startswith(UNKNOWN_SCHEME):  # a deploy target's "set, value unknown"
        from envcheck.targets.resolve import describe_stand_in

        described = describe_stand_in(raw)
        if described is not None:
            return described, False, why
    if reveal_values:
        return raw, secret, why
    # shown() masks key-shaped runs; masking its output again changes nothing (keys_masked).
    value = shown(key, raw, secret=secret)
    return (value if scrub is None else scrub(value)), secret, why


def _unreadable(project: Project) -> list[Problem]:
    """Files the framework would try and fail to read (a directory, a link loop, no access)."""
    return [p for p in project.resolution.notes if p.kind == "unreadable"]


def _json_name(key: str, taken: Container[str]) -> str:
    """The key exactly; two masked credential-holding keys can meet: the later is numbered."""
    name = safe_key(key)
    n = 1
    while (numbered := name if n == 1 else f"{name} #{n}") in taken:
        n += 1
    return numbered


class Row(Record):
    """One key as explain shows it: ``value`` as shown (masked unless revealed; None: not
    set), whether it is ``secret``, ``why`` it is shown so, the ``origin`` that won and
    what it ``shadowed``, and where the code reads it (``reads``).

    Not frozen: explain builds one per key, and a frozen ``__init__`` (one
    ``object.__setattr__`` per field) was a tenth of its work at 100k keys.
    Treat as read-only.  ``origin`` may be given as the key's
    :class:`~envcheck.sources.types.Resolved`: its origin is then made when read
    (a row of 100k holds no 100k origins beside the winners that know them), and
    a copy or a pickle carries the origin itself.
    """

    __slots__ = ("key", "value", "secret", "why", "_origin", "shadowed", "reads")
    _fields = ("key", "value", "secret", "why", "origin", "shadowed", "reads")
    key: str
    value: str | None
    secret: bool
    why: str | None
    _origin: Origin | Resolved | None
    shadowed: tuple[Origin, ...]
    reads: tuple[EnvRead, ...]

    def __init__(
        self,
        key: str,
        value: str | None,
        secret: bool = False,
        why: str | None = None,
        origin: Origin | Resolved | None = None,
        shadowed: tuple[Origin, ...] = (),
        reads: tuple[EnvRead, ...] = (),
    ) -> None:
        self.key = key
        self.value = value
        self.secret = secret
        self.why = why
        self._origin = origin
        self.shadowed = shadowed
        self.reads = reads

    @property
    def origin(self) -> Origin | None:
        origin = self._origin
        return origin.origin if isinstance(origin, Resolved) else origin

    def rebased(self, prefix: str) -> Row:
        return self.replace(
            origin=None if self.origin is None else _moved(prefix, self.origin),
            shadowed=tuple(_moved(prefix, o) for o in self.shadowed),
            reads=tuple(r.replace(file=under(prefix, r.file)) for r in self.reads),
        )


def _moved(prefix: str, origin: Origin) -> Origin:
    return origin if origin.is_process else origin.replace(source=under(prefix, origin.source))


class ShownRows:
    """The rows as shown (:class:`Row`), each made as it is read: the command line's
    ``explain`` of 100k keys writes its table or document without a row per key held
    beside the resolution (9 MiB, the run's peak).  Read it as a sequence (``len``,
    iteration); each reading makes the rows anew, so the renderers read it once.  It
    pickles (from a workspace worker to the merge) as the tuple of its rows."""

    __slots__ = ("_rows", "_make")

    def __init__(
        self, rows: dict[str, Resolved | None], make: Callable[[str, Resolved | None], Row]
    ) -> None:
        self._rows = rows
        self._make = make

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Row]:
        make = self._make
        return (make(key, resolved) for key, resolved in self._rows.items())

    def keys(self) -> Iterable[str]:
        """Each row's key, in row order, without making the rows."""
        return self._rows.keys()

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))


def _row_keys(rows: tuple[Row, ...] | ShownRows) -> Iterable[str]:
    return rows.keys() if isinstance(rows, ShownRows) else (row.key for row in rows)


class Explained(Record):
    """What ``explain`` shows for one project, values already masked (or revealed) as the
    command line asked: plain data, so one app's explanation crosses from a workspace
    worker to the merge (:class:`envcheck.fanout.result.AppView`), which renders it."""

    __slots__ = (
        "title", "framework", "mode", "files", "skipped", "unreadable", "rows", "revealed",
        "problems",
    )  # fmt: skip
    title: str
    framework: str
    mode: str
    files: tuple[str, ...]
    skipped: tuple[tuple[str, str], ...]  # (file, why the framework does not read it)
    unreadable: tuple[tuple[str, str], ...]  # (file, why it could not be read)
    rows: tuple[Row, ...] | ShownRows
    revealed: bool
    problems: int  # parse problems in the files read

    def __init__(
        self,
        title: str,
        framework: str,
        mode: str,
        files: tuple[str, ...],
        skipped: tuple[tuple[str, str], ...],
        unreadable: tuple[tuple[str, str], ...],
        rows: tuple[Row, ...] | ShownRows,
        revealed: bool,
        problems: int,
    ) -> None:
        self.title = title
        self.framework = framework
        self.mode = mode
        self.files = files
        self.skipped = skipped
        self.unreadable = unreadable
        self.rows = rows
        self.revealed = revealed
        self.problems = problems

    def stdout(self, fmt: str) -> str:
        pieces: list[str] = []
        self.write(fmt, pieces.append)
        return "".join(pieces)

    def write(self, fmt: str, out: Callable[[str], object]) -> None:
        """Write :meth:`stdout`'s text to ``out`` (``stream.write``) a piece at a time: at
        100k keys the table and the document are tens of MB, never held as one string."""
        if fmt == "json":
            from envcheck.report.json import write

            write(explain_document(self, stream=True), out)
            out("\n")
            return
        for chunk in text_chunks(self):
            out(chunk)

    def notes(self, fmt: str) -> tuple[str, ...]:
        if self.problems and fmt == "text":
            return (f"{self.problems} parse problem(s); run `envcheck check` for details",)
        return ()

    def document(self, *, stream: bool = False) -> dict[str, Any]:
        return explain_document(self, stream=stream)

    def report(self, fmt: str) -> None:
        return None  # text and json only

    def rebased(self, prefix: str) -> Explained:
        return self.replace(
            files=tuple(under(prefix, f) for f in self.files),
            skipped=tuple((under(prefix, f), why) for f, why in self.skipped),
            unreadable=tuple((under(prefix, f), why) for f, why in self.unreadable),
            rows=tuple(r.rebased(prefix) for r in self.rows),
        )


def explained(
    project: Project,
    rows: dict[str, Resolved | None],
    reveal_values: bool,
    schema: Any = None,
    reads: dict[str, list[Any]] | None = None,
    *,
    lazy: bool = False,
) -> Explained:
    """The rows as shown: each value masked (or revealed) once, with why.

    ``lazy``: the rows as :class:`ShownRows`, made as the output is written (the
    command line's one project); else made here (an app of a workspace run, whose
    resolution is not kept until the merge renders it).
    """
    secrets = [] if reveal_values else process_secrets(project, schema)
    scrub = redactor(secrets, keys_masked=True) if secrets else None
    ask_schema = _declares_secrets(schema)
    places_of = reads or {}

    def make(key: str, resolved: Resolved | None) -> Row:
        places = tuple(places_of[key]) if key in places_of else ()
        if resolved is None:
            return Row(key, None, reads=places)
        name = resolved.key
        declared = _declared_secret(schema, name) if ask_schema else None
        value, secret, why = _shown_row(
            name, resolved.reveal(), resolved.from_process, declared, reveal_values, scrub
        )
        shadowed = tuple(resolved.shadowed) if resolved.shadows else ()
        return Row(key, value, secret, why, resolved, shadowed, places)

    shown = ShownRows(rows, make)
    res = project.resolution
    return Explained(
        project.profile.title,
        project.profile.name,
        project.mode,
        tuple(res.files),
        tuple(res.skipped.items()),
        tuple((p.path, p.message) for p in _unreadable(project)),
        shown if lazy else tuple(shown),
        reveal_values,
        sum(len(f.problems) for f in res.parsed),
    )


def explain_document(view: Explained, *, stream: bool = False) -> dict[str, Any]:
    """The JSON document: the project, then one member per key.

    ``stream``: the keys as :class:`~envcheck.report.json.Members`, each chunk
    built as :func:`~envcheck.report.json.write` writes it (never all at once).
    """
    members = _members(view)
    keys: Any
    if stream:
        from envcheck.report.json import Members

        keys = Members(members)
    else:
        keys = dict(members)
    return {
        "framework": view.framework,
        "mode": view.mode,
        "files": list(view.files),
        "skipped": dict(view.skipped),
        "unreadable": dict(view.unreadable),
        "keys": keys,
    }


def _members(view: Explained) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """The ``keys`` object's members, in row order."""
    rows = view.rows
    taken: set[str] | None = None  # names given so far, once one is not its row's key
    for index, row in enumerate(rows):
        key = row.key
        if taken is None:
            name = safe_key(key)
            if name != key:  # masked: it may meet another name (before, every name was a key)
                taken = set(islice(_row_keys(rows), index))
        if taken is not None:
            name = _json_name(key, taken)
            taken.add(name)
        reads = row.reads
        value = row.value
        if value is None:
            read_at = _read_at(reads) if reads else None
            yield name, ({"value": None, "read_at": read_at} if read_at else None)
            continue
        item: dict[str, Any] = {"value": value, "secret": row.secret}
        if row.why is not None:
            item["why"] = row.why
        origin = row.origin
        assert origin is not None
        item.update(origin.fields())
        item["shadowed"] = [o.fields() for o in row.shadowed] if row.shadowed else []
        if reads:
            item["read_at"] = _read_at(reads)
        yield name, item


def _read_at(reads: tuple[EnvRead, ...]) -> list[dict[str, Any]]:
    return [
        {"path": r.file, "line": r.line, "col": r.col, "kind": r.kind, "side": r.side}
        for r in reads[:READ_PLACES]
    ]


def render_json(view: Explained) -> str:
    from envcheck.report.json import dumps  # here: the text output does without json

    return dumps(explain_document(view))


def _clip(text: str) -> str:
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def render_text(view: Explained) -> str:
    """The table (:func:`text_lines`) as one text."""
    return "\n".join(text_lines(view))


def text_lines(view: Explained) -> list[str]:
    """The table's lines (:func:`text_chunks`, split)."""
    return "".join(text_chunks(view)).split("\n")[:-1]


def text_chunks(view: Explained) -> Iterator[str]:
    """The table as text, :data:`LINES_PER_WRITE` lines at a time, each line ended.

    Keys, values (revealed ones too), file names and reasons come from the
    project, so each cell goes through :func:`for_terminal`: exact, but with
    whatever a terminal would interpret shown as an escape.  The columns'
    widths need every row first: the key and value cells are kept (mostly the
    rows' own strings), the source and shadowed cells are made as their lines
    are written, so no list of 100k lines is ever held.  The rows are read once
    (:class:`ShownRows` makes them as they are read): a row's shadowed origins and
    code reads are kept only where it has some.
    """
    files = ", ".join(view.files) if view.files else "(none found)"
    head = [for_terminal(f"{view.title} · mode {view.mode} · files: {files}")]
    head.extend(for_terminal(f"  not read: {name} ({why})") for name, why in view.skipped)
    head.extend(for_terminal(f"  not read: {path} ({why})") for path, why in view.unreadable)
    if not view.rows:
        yield "\n".join([*head, "no keys defined"]) + "\n"
        return
    # One list per column, so widths are one max() each; a source cell is kept as its
    # file's sanitised "path:" (shared) and its line (0: the part is the whole cell).
    names: list[str] = []
    values: list[str] = []
    parts: list[str] = []
    lines_at = array("l")
    prefixes: dict[str, str] = {}  # source -> its sanitised "source:"
    source_width = len("SOURCE")
    # index -> (shadowed, reads) of the rows that have either: few of 100k
    extras: dict[int, tuple[tuple[Origin, ...], tuple[EnvRead, ...]]] = {}
    shown_despite_name: list[str] = []  # named like secrets, valued like nothing of the kind
    clip = not view.revealed
    for index, row in enumerate(view.rows):
        name = safe_key(row.key)
        names.append(name if _plain_cell(name) else for_terminal(name))
        if row.shadowed or row.reads:
            extras[index] = (row.shadowed, row.reads)
        value = row.value
        if value is None:
            values.append("(not set)")
            parts.append("-")
            lines_at.append(0)
            continue
        why = row.why
        if why is not None and why.startswith(("not secret: named like", "placeholder:")):
            shown_despite_name.append(for_terminal(f"  {safe_key(row.key)}: {why}"))
        if not _plain_cell(value):
            value = for_terminal(value)
        values.append(_clip(value) if clip and len(value) > VALUE_WIDTH else value)
        part, line = _source_cell(row.origin, prefixes)
        parts.append(part)
        lines_at.append(line)
        width = len(part) + len(str(line)) if line else len(part)
        if width > source_width:
            source_width = width
    key_width = max(len("KEY"), max(map(len, names)))
    value_width = max(len("VALUE"), max(map(len, values)))
    lines = [*head, ""]
    # The row's format, its widths written in once (not a format spec built per cell).
    row_format = f"{{:<{key_width}}}  {{:<{value_width}}}  {{:<{source_width}}}  {{}}"
    lines.append(row_format.format("KEY", "VALUE", "SOURCE", "SHADOWED"))
    for index, name in enumerate(names):
        line = lines_at[index]
        source = f"{parts[index]}{line}" if line else parts[index]
        shadowed, places = extras.get(index, ((), ()))
        shown = for_terminal(", ".join(str(o) for o in shadowed)) if shadowed else ""
        lines.append(row_format.format(name, values[index], source, shown).rstrip())
        if places:
            shown_at = ", ".join(r.place for r in places[:READ_PLACES])
            more = f" (+{len(places) - READ_PLACES} more)" if len(places) > READ_PLACES else ""
            lines.append(for_terminal(f"    read at {shown_at}{more}"))
        if len(lines) >= LINES_PER_WRITE:
            yield "\n".join(lines) + "\n"
            lines = []
    if shown_despite_name:
        lines.append("")
        lines.extend(shown_despite_name)
    if lines:
        yield "\n".join(lines) + "\n"


def _plain_cell(text: str) -> bool:
    """Whether :func:`for_terminal` gives ``text`` back as it is, by its first test alone
    (printable ASCII with no ``::``): most cells, without the call."""
    return text.isascii() and text.isprintable() and "::" not in text


def _source_cell(origin: Origin | None, prefixes: dict[str, str]) -> tuple[str, int]:
    """``for_terminal(str(origin))`` as ``(part, line)``: the cell is ``part`` followed by
    ``line``, or ``part`` alone when ``line`` is 0.  A file's part (``"source:"``) is
    sanitised once (``prefixes``).  Exact: escaping is per character, and the cell starts
    with ``::`` exactly when ``"source:"`` does."""
    assert origin is not None
    line = origin.line
    if not line or origin.is_process:
        return for_terminal(str(origin)), 0
    prefix = prefixes.get(origin.source)
    if prefix is None:
        prefix = prefixes[origin.source] = for_terminal(f"{origin.source}:")
    return prefix, line


def _explain(
    args: tuple[str, ...],
    include_process: bool,
    reveal_values: bool,
    project_dir: Path | None,
    *,
    lazy: bool = False,
    **opts: Any,
) -> tuple[Explained, int]:
    """The explanation of the project the command line names, and its exit code (1 when
    a KEY asked for is set nowhere); ``lazy``: see :func:`explained`."""
    keys, project_dir = _split_keys_and_dir(args, project_dir)
    options = options_from({**opts, "project_dir": project_dir})
    config = load_config(options.directory)
    project = load(options, config)
    rows = selected(project, keys, include_process, config.declared)
    reads = code_reads(project, bool(opts.get("no_code")))
    if not keys:  # keys the code reads and nothing sets: rows too, "(not set)"
        rows.update((k, None) for k in unset_reads(rows, reads))
    view = explained(project, rows, reveal_values, config.schema, reads, lazy=lazy)
    return view, 1 if any(rows.get(k) is None for k in keys) else 0


def explain_app(call: dict[str, Any]) -> tuple[AppRun, None]:
    """One app of a workspace root: its explanation as data (the merge renders it)."""
    fmt = str(call.pop("fmt", "text"))
    view, code = _explain(**call)
    return AppRun(code, notes=view.notes(fmt), view=view), None


@click.command("explain")
@click.argument("args", nargs=-1)
@click.option("--all", "include_process", is_flag=True, help="Also list process-environment keys.")
@click.option("--reveal", "reveal_values", is_flag=True, help="Print raw values, secrets included.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@python_option
@target_options
@project_options
@workspace_hook("explain", explain_app)  # at a monorepo root: every app
def explain(
    args: tuple[str, ...],
    include_process: bool,
    reveal_values: bool,
    fmt: str,
    project_dir: Path | None,
    **opts: Any,
) -> int:
    """Show KEYs' values (masked when secret), the source that won and what it shadowed.

    KEY… defaults to every key the env files define; a last argument that is a
    directory is the project directory.
    """
    view, code = _explain(args, include_process, reveal_values, project_dir, lazy=True, **opts)
    view.write(fmt, sys.stdout.write)  # no ANSI escape to strip: every cell is sanitised
    for note in view.notes(fmt):
        click.echo(note, err=True)
    return code
