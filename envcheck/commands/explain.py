"""``envcheck explain``: each key's value, the source that won, what it shadowed."""

from __future__ import annotations

import sys
from collections.abc import Callable, Container, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.fanout.hook import workspace_hook
from envcheck.fanout.result import AppRun, under
from envcheck.model import PROCESS, Record
from envcheck.project import Project, load, load_config
from envcheck.report.sanitize import for_terminal
from envcheck.schema.interpreter import python_option
from envcheck.secret import (
    Secret,
    masked_for_display,
    redactor,
    reveal,
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
    """Keys the code reads that no row shows and the runtime does not set: rows of their own."""
    from envcheck.code.runtime import runtime_set

    shown = {k.upper() for k in rows}
    return [k for k in reads if k.upper() not in shown and not runtime_set(k)]


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


def _origin_json(origin: Origin) -> dict[str, Any]:
    if origin.is_process:
        return {"source": PROCESS}
    return {"source": origin.source, "line": origin.line, "col": origin.col}


def selected(
    project: Project, keys: list[str], include_process: bool, declared: tuple[str, ...] = ()
) -> dict[str, Resolved | None]:
    """The keys to show, in file order; None for a key set nowhere.

    Without KEYs: every key the app gets from a file or, for keys the schema
    declares, from the process; then the declared keys set nowhere (shown as
    not set, so an empty container environment is visible, not a blank table).
    """
    found: dict[str, Resolved | None] = {}
    variables = project.resolution.vars
    names = keys or list(variables)
    if not keys:
        upper = {k.upper() for k in variables}
        names += [k for k in declared if k.upper() not in upper]
    if include_process and not keys:
        names += sorted(k for k in project.process_env if k not in variables and k not in names)
    for name in names:
        if name in variables:
            found[name] = variables[name]
        elif name in project.process_env:
            found[name] = Resolved(name, Secret(project.process_env[name]), PROCESS_ORIGIN)
        else:
            found[name] = None
    return found


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


def _display(
    key: str,
    value: str,
    origin: Origin,
    declared: bool | None,
    scrub: Callable[[str], str] | None,
) -> tuple[str, bool]:
    """``value`` (``key``'s raw value, set at ``origin``) as shown, and whether it is
    secret (``declared``: the schema's word).

    Only trusted input unmasks: ``--reveal`` (the command line; ``scrub`` None)
    shows every value; the schema's ``secret = false`` (checkout data) unmasks
    only a value the checkout's own files set, never one from the process
    environment (:func:`envcheck.secret.masked_for_display`), and any
    process secret a file value carries through expansion stays masked
    inside it (``scrub``: :func:`envcheck.secret.redactor` of those secrets).
    """
    if value.startswith(UNKNOWN_SCHEME):  # a deploy target's "set, value unknown"
        from envcheck.targets.resolve import describe_stand_in

        described = describe_stand_in(value)
        if described is not None:
            return described, False
    secret = masked_for_display(key, value, declared=declared, from_checkout=not origin.is_process)
    if scrub is None:
        return value, secret
    return scrub(shown(key, value, secret=secret)), secret


def _why(key: str, value: str, declared: bool | None) -> str | None:
    """Why the key is shown masked or not: the schema's word (``declared``), else the
    default's reason for ``value`` (raw)."""
    if declared is not None:
        return f"{'secret' if declared else 'not secret'}: the schema declares it"
    from envcheck.schema.values import is_placeholder

    if is_placeholder(value):  # said even where EC310 (off) is all it is
        return "placeholder: the template's stand-in, not a real value"
    return secret_reason(key, value)


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
    Treat as read-only.
    """

    __slots__ = ("key", "value", "secret", "why", "origin", "shadowed", "reads")
    key: str
    value: str | None
    secret: bool
    why: str | None
    origin: Origin | None
    shadowed: tuple[Origin, ...]
    reads: tuple[EnvRead, ...]

    def __init__(
        self,
        key: str,
        value: str | None,
        secret: bool = False,
        why: str | None = None,
        origin: Origin | None = None,
        shadowed: tuple[Origin, ...] = (),
        reads: tuple[EnvRead, ...] = (),
    ) -> None:
        self.key = key
        self.value = value
        self.secret = secret
        self.why = why
        self.origin = origin
        self.shadowed = shadowed
        self.reads = reads

    def rebased(self, prefix: str) -> Row:
        return self.replace(
            origin=None if self.origin is None else _moved(prefix, self.origin),
            shadowed=tuple(_moved(prefix, o) for o in self.shadowed),
            reads=tuple(r.replace(file=under(prefix, r.file)) for r in self.reads),
        )


def _moved(prefix: str, origin: Origin) -> Origin:
    return origin if origin.is_process else origin.replace(source=under(prefix, origin.source))


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
    rows: tuple[Row, ...]
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
        rows: tuple[Row, ...],
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
        lines = text_lines(self)
        for start in range(0, len(lines), LINES_PER_WRITE):
            out("\n".join(lines[start : start + LINES_PER_WRITE]) + "\n")

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
) -> Explained:
    """The rows as shown: each value masked (or revealed) once, with why."""
    scrub = None if reveal_values else redactor(process_secrets(project, schema))
    reads = reads or {}
    shown: list[Row] = []
    for key, resolved in rows.items():
        places = tuple(reads[key]) if key in reads else ()
        if resolved is None:
            shown.append(Row(key, None, reads=places))
            continue
        name, raw, origin = resolved.key, reveal(resolved.value), resolved.origin  # read once
        declared = _declared_secret(schema, name)
        value, secret = _display(name, raw, origin, declared, scrub)
        shown.append(
            Row(
                key,
                value,
                secret,
                _why(name, raw, declared),
                origin,
                tuple(resolved.shadowed),
                places,
            )
        )
    res = project.resolution
    return Explained(
        project.profile.title,
        project.profile.name,
        project.mode,
        tuple(res.files),
        tuple(res.skipped.items()),
        tuple((p.path, p.message) for p in _unreadable(project)),
        tuple(shown),
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
    taken: set[str] = set()
    for row in view.rows:
        name = _json_name(row.key, taken)
        taken.add(name)
        read_at = [
            {"path": r.file, "line": r.line, "col": r.col, "kind": r.kind, "side": r.side}
            for r in row.reads[:READ_PLACES]
        ]
        if row.value is None:
            yield name, ({"value": None, "read_at": read_at} if read_at else None)
            continue
        item: dict[str, Any] = {"value": row.value, "secret": row.secret}
        if row.why is not None:
            item["why"] = row.why
        assert row.origin is not None
        item.update(_origin_json(row.origin))
        item["shadowed"] = [_origin_json(o) for o in row.shadowed]
        if read_at:
            item["read_at"] = read_at
        yield name, item


def render_json(view: Explained) -> str:
    from envcheck.report.json import dumps  # here: the text output does without json

    return dumps(explain_document(view))


def _clip(text: str) -> str:
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def render_text(view: Explained) -> str:
    """The table (:func:`text_lines`) as one text."""
    return "\n".join(text_lines(view))


def text_lines(view: Explained) -> list[str]:
    """The table's lines.  Keys, values (revealed ones too), file names and reasons come
    from the project, so each cell goes through :func:`for_terminal`: exact, but with
    whatever a terminal would interpret shown as an escape."""
    files = ", ".join(view.files) if view.files else "(none found)"
    lines = [for_terminal(f"{view.title} · mode {view.mode} · files: {files}")]
    lines.extend(for_terminal(f"  not read: {name} ({why})") for name, why in view.skipped)
    lines.extend(for_terminal(f"  not read: {path} ({why})") for path, why in view.unreadable)
    # The table by column: one list per column, so widths are one max() each.
    names: list[str] = []
    values: list[str] = []
    sources: list[str] = []
    shadows: list[str] = []
    read_lines: dict[int, str] = {}  # table row -> "read at src/x.ts:12, ..." under it
    shown_despite_name: list[str] = []  # named like secrets, valued like nothing of the kind
    clip = not view.revealed
    for row in view.rows:
        places = row.reads
        if places:
            shown_at = ", ".join(r.place for r in places[:READ_PLACES])
            more = f" (+{len(places) - READ_PLACES} more)" if len(places) > READ_PLACES else ""
            read_lines[len(names)] = for_terminal(f"    read at {shown_at}{more}")
        names.append(for_terminal(safe_key(row.key)))
        if row.value is None:
            values.append("(not set)")
            sources.append("-")
            shadows.append("")
            continue
        why = row.why
        if why is not None and why.startswith(("not secret: named like", "placeholder:")):
            shown_despite_name.append(for_terminal(f"  {safe_key(row.key)}: {why}"))
        value = for_terminal(row.value)
        values.append(_clip(value) if clip else value)
        sources.append(for_terminal(str(row.origin)))
        shadows.append(
            for_terminal(", ".join(str(o) for o in row.shadowed)) if row.shadowed else ""
        )
    if names:
        key_width = max(len("KEY"), max(map(len, names)))
        value_width = max(len("VALUE"), max(map(len, values)))
        source_width = max(len("SOURCE"), max(map(len, sources)))
        lines.append("")
        lines.append(
            f"{'KEY':<{key_width}}  {'VALUE':<{value_width}}  {'SOURCE':<{source_width}}  SHADOWED"
        )
        for index, cells in enumerate(zip(names, values, sources, shadows, strict=True)):
            name, value, source, shadowed = cells
            lines.append(
                f"{name:<{key_width}}  {value:<{value_width}}  {source:<{source_width}}  "
                f"{shadowed}".rstrip()
            )
            if read_lines and index in read_lines:
                lines.append(read_lines[index])
    else:
        lines.append("no keys defined")
    if shown_despite_name:
        lines.append("")
        lines.extend(shown_despite_name)
    return lines


def _explain(
    args: tuple[str, ...],
    include_process: bool,
    reveal_values: bool,
    project_dir: Path | None,
    **opts: Any,
) -> tuple[Explained, int]:
    """The explanation of the project the command line names, and its exit code (1 when
    a KEY asked for is set nowhere)."""
    keys, project_dir = _split_keys_and_dir(args, project_dir)
    options = options_from({**opts, "project_dir": project_dir})
    config = load_config(options.directory)
    project = load(options, config)
    rows = selected(project, keys, include_process, config.declared)
    reads = code_reads(project, bool(opts.get("no_code")))
    if not keys:  # keys the code reads and nothing sets: rows too, "(not set)"
        rows.update((k, None) for k in unset_reads(rows, reads))
    view = explained(project, rows, reveal_values, config.schema, reads)
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
    view, code = _explain(args, include_process, reveal_values, project_dir, **opts)
    view.write(fmt, sys.stdout.write)  # no ANSI escape to strip: every cell is sanitised
    for note in view.notes(fmt):
        click.echo(note, err=True)
    return code
