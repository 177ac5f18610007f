"""``envcheck explain``: each key's value, the source that won, what it shadowed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.fanout.hook import workspace_hook
from envcheck.fanout.result import AppRun, under
from envcheck.model import PROCESS, FrozenRecord, Record
from envcheck.project import Project, load, load_config
from envcheck.report.sanitize import for_terminal
from envcheck.schema.interpreter import python_option
from envcheck.secret import (
    Secret,
    masked_for_display,
    redact,
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
    resolved: Resolved, reveal_values: bool, schema: Any, from_process: list[str]
) -> tuple[str, bool]:
    """The value as shown, and whether it is secret.

    Only trusted input unmasks: ``--reveal`` (the command line) shows every
    value; the schema's ``secret = false`` (checkout data) unmasks only a
    value the checkout's own files set, never one from the process
    environment (:func:`envcheck.secret.masked_for_display`), and any
    process secret a file value carries through expansion (``from_process``)
    stays masked inside it.
    """
    key, value = resolved.key, resolved.value
    if reveal(value).startswith(UNKNOWN_SCHEME):  # a deploy target's "set, value unknown"
        from envcheck.targets.resolve import describe_stand_in

        described = describe_stand_in(reveal(value))
        if described is not None:
            return described, False
    secret = masked_for_display(
        key,
        value,
        declared=_declared_secret(schema, key),
        from_checkout=not resolved.origin.is_process,
    )
    if reveal_values:
        return reveal(value), secret
    return redact(shown(key, value, secret=secret), from_process), secret


def _why(resolved: Resolved, schema: Any) -> str | None:
    """Why the key is shown masked or not: the schema's word, else the default's reason."""
    declared = _declared_secret(schema, resolved.key)
    if declared is not None:
        return f"{'secret' if declared else 'not secret'}: the schema declares it"
    from envcheck.schema.values import is_placeholder

    if is_placeholder(reveal(resolved.value)):  # said even where EC310 (off) is all it is
        return "placeholder: the template's stand-in, not a real value"
    return secret_reason(resolved.key, resolved.value)


def _unreadable(project: Project) -> list[Problem]:
    """Files the framework would try and fail to read (a directory, a link loop, no access)."""
    return [p for p in project.resolution.notes if p.kind == "unreadable"]


def _json_name(key: str, taken: dict[str, Any]) -> str:
    """The key exactly; two masked credential-holding keys can meet: the later is numbered."""
    name = safe_key(key)
    n = 1
    while (numbered := name if n == 1 else f"{name} #{n}") in taken:
        n += 1
    return numbered


class Row(FrozenRecord):
    """One key as explain shows it: ``value`` as shown (masked unless revealed; None: not
    set), whether it is ``secret``, ``why`` it is shown so, the ``origin`` that won and
    what it ``shadowed``, and where the code reads it (``reads``)."""

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
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "secret", secret)
        object.__setattr__(self, "why", why)
        object.__setattr__(self, "origin", origin)
        object.__setattr__(self, "shadowed", shadowed)
        object.__setattr__(self, "reads", reads)

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
        return (render_json(self) if fmt == "json" else render_text(self)) + "\n"

    def notes(self, fmt: str) -> tuple[str, ...]:
        if self.problems and fmt == "text":
            return (f"{self.problems} parse problem(s); run `envcheck check` for details",)
        return ()

    def document(self) -> dict[str, Any]:
        return explain_document(self)

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
    from_process = [] if reveal_values else process_secrets(project, schema)
    shown: list[Row] = []
    for key, resolved in rows.items():
        places = tuple((reads or {}).get(key, ()))
        if resolved is None:
            shown.append(Row(key, None, reads=places))
            continue
        value, secret = _display(resolved, reveal_values, schema, from_process)
        shown.append(
            Row(
                key,
                value,
                secret,
                _why(resolved, schema),
                resolved.origin,
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


def explain_document(view: Explained) -> dict[str, Any]:
    """The JSON document: the project, then one member per key."""
    out: dict[str, Any] = {
        "framework": view.framework,
        "mode": view.mode,
        "files": list(view.files),
        "skipped": dict(view.skipped),
        "unreadable": dict(view.unreadable),
        "keys": {},
    }
    for row in view.rows:
        name = _json_name(row.key, out["keys"])
        read_at = [
            {"path": r.file, "line": r.line, "col": r.col, "kind": r.kind, "side": r.side}
            for r in row.reads[:READ_PLACES]
        ]
        if row.value is None:
            out["keys"][name] = {"value": None, "read_at": read_at} if read_at else None
            continue
        item: dict[str, Any] = {"value": row.value, "secret": row.secret}
        if row.why is not None:
            item["why"] = row.why
        assert row.origin is not None
        item.update(_origin_json(row.origin))
        item["shadowed"] = [_origin_json(o) for o in row.shadowed]
        if read_at:
            item["read_at"] = read_at
        out["keys"][name] = item
    return out


def render_json(view: Explained) -> str:
    from envcheck.report.json import dumps  # here: the text output does without json

    return dumps(explain_document(view))


def _clip(text: str) -> str:
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def render_text(view: Explained) -> str:
    """The table.  Keys, values (revealed ones too), file names and reasons come from
    the project, so each cell goes through :func:`for_terminal`: exact, but with
    whatever a terminal would interpret shown as an escape."""
    files = ", ".join(view.files) if view.files else "(none found)"
    lines = [for_terminal(f"{view.title} · mode {view.mode} · files: {files}")]
    lines.extend(for_terminal(f"  not read: {name} ({why})") for name, why in view.skipped)
    lines.extend(for_terminal(f"  not read: {path} ({why})") for path, why in view.unreadable)
    table: list[tuple[str, str, str, str]] = []
    read_lines: dict[int, str] = {}  # table row -> "read at src/x.ts:12, ..." under it
    shown_despite_name: list[str] = []  # named like secrets, valued like nothing of the kind
    for row in view.rows:
        name = for_terminal(safe_key(row.key))
        places = row.reads
        if places:
            shown_at = ", ".join(r.place for r in places[:READ_PLACES])
            more = f" (+{len(places) - READ_PLACES} more)" if len(places) > READ_PLACES else ""
            read_lines[len(table)] = for_terminal(f"    read at {shown_at}{more}")
        if row.value is None:
            table.append((name, "(not set)", "-", ""))
            continue
        why = row.why
        if why is not None and why.startswith(("not secret: named like", "placeholder:")):
            shown_despite_name.append(for_terminal(f"  {safe_key(row.key)}: {why}"))
        value = for_terminal(row.value)
        shadowed = for_terminal(", ".join(str(o) for o in row.shadowed))
        value = value if view.revealed else _clip(value)
        table.append((name, value, for_terminal(str(row.origin)), shadowed))
    if table:
        header = ("KEY", "VALUE", "SOURCE", "SHADOWED")
        widths = [max(len(r[i]) for r in [header, *table]) for i in range(3)]
        lines.append("")
        for index, cells_row in enumerate([header, *table], -1):
            cells = [cells_row[i].ljust(widths[i]) for i in range(3)]
            lines.append("  ".join([*cells, cells_row[3]]).rstrip())
            if index in read_lines:
                lines.append(read_lines[index])
    else:
        lines.append("no keys defined")
    if shown_despite_name:
        lines.append("")
        lines.extend(shown_despite_name)
    return "\n".join(lines)


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
    click.echo(view.stdout(fmt), nl=False)
    for note in view.notes(fmt):
        click.echo(note, err=True)
    return code
