"""``envcheck explain``: each key's value, the source that won, what it shadowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import options_from, project_options
from envcheck.fanout.hook import workspace_hook
from envcheck.model import PROCESS
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


def render_json(
    project: Project,
    rows: dict[str, Resolved | None],
    reveal_values: bool,
    schema: Any = None,
    reads: dict[str, list[Any]] | None = None,
) -> str:
    from envcheck.report.json import dumps  # here: the text output does without json

    out: dict[str, Any] = {
        "framework": project.profile.name,
        "mode": project.mode,
        "files": project.resolution.files,
        "skipped": project.resolution.skipped,
        "unreadable": {p.path: p.message for p in _unreadable(project)},
        "keys": {},
    }
    from_process = [] if reveal_values else process_secrets(project, schema)
    for key, resolved in rows.items():
        name = _json_name(key, out["keys"])
        read_at = [
            {"path": r.file, "line": r.line, "col": r.col, "kind": r.kind, "side": r.side}
            for r in (reads or {}).get(key, ())[:READ_PLACES]
        ]
        if resolved is None:
            out["keys"][name] = {"value": None, "read_at": read_at} if read_at else None
            continue
        value, secret = _display(resolved, reveal_values, schema, from_process)
        item: dict[str, Any] = {"value": value, "secret": secret}
        why = _why(resolved, schema)
        if why is not None:
            item["why"] = why
        item.update(_origin_json(resolved.origin))
        item["shadowed"] = [_origin_json(o) for o in resolved.shadowed]
        if read_at:
            item["read_at"] = read_at
        out["keys"][name] = item
    return dumps(out)


def _clip(text: str) -> str:
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def render_text(
    project: Project,
    rows: dict[str, Resolved | None],
    reveal_values: bool,
    schema: Any = None,
    reads: dict[str, list[Any]] | None = None,
) -> str:
    """The table.  Keys, values (revealed ones too), file names and reasons come from
    the project, so each cell goes through :func:`for_terminal`: exact, but with
    whatever a terminal would interpret shown as an escape."""
    res = project.resolution
    files = ", ".join(res.files) if res.files else "(none found)"
    lines = [for_terminal(f"{project.profile.title} · mode {project.mode} · files: {files}")]
    lines.extend(for_terminal(f"  not read: {name} ({why})") for name, why in res.skipped.items())
    lines.extend(for_terminal(f"  not read: {p.path} ({p.message})") for p in _unreadable(project))
    table: list[tuple[str, str, str, str]] = []
    read_lines: dict[int, str] = {}  # table row -> "read at src/x.ts:12, ..." under it
    shown_despite_name: list[str] = []  # named like secrets, valued like nothing of the kind
    from_process = [] if reveal_values else process_secrets(project, schema)
    for key, resolved in rows.items():
        name = for_terminal(safe_key(key))
        places = (reads or {}).get(key, ())
        if places:
            shown_at = ", ".join(f"{r.file}:{r.line}" for r in places[:READ_PLACES])
            more = f" (+{len(places) - READ_PLACES} more)" if len(places) > READ_PLACES else ""
            read_lines[len(table)] = for_terminal(f"    read at {shown_at}{more}")
        if resolved is None:
            table.append((name, "(not set)", "-", ""))
            continue
        why = _why(resolved, schema)
        if why is not None and why.startswith("not secret: named like"):
            shown_despite_name.append(for_terminal(f"  {safe_key(key)}: {why}"))
        value, _ = _display(resolved, reveal_values, schema, from_process)
        value = for_terminal(value)
        shadowed = for_terminal(", ".join(str(o) for o in resolved.shadowed))
        value = value if reveal_values else _clip(value)
        table.append((name, value, for_terminal(str(resolved.origin)), shadowed))
    if table:
        header = ("KEY", "VALUE", "SOURCE", "SHADOWED")
        widths = [max(len(r[i]) for r in [header, *table]) for i in range(3)]
        lines.append("")
        for index, row in enumerate([header, *table], -1):
            cells = [row[i].ljust(widths[i]) for i in range(3)]
            lines.append("  ".join([*cells, row[3]]).rstrip())
            if index in read_lines:
                lines.append(read_lines[index])
    else:
        lines.append("no keys defined")
    if shown_despite_name:
        lines.append("")
        lines.extend(shown_despite_name)
    return "\n".join(lines)


@click.command("explain")
@click.argument("args", nargs=-1)
@click.option("--all", "include_process", is_flag=True, help="Also list process-environment keys.")
@click.option("--reveal", "reveal_values", is_flag=True, help="Print raw values, secrets included.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@python_option
@target_options
@project_options
@workspace_hook("explain")  # at a monorepo root: every app
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
    keys, project_dir = _split_keys_and_dir(args, project_dir)
    options = options_from({**opts, "project_dir": project_dir})
    config = load_config(options.directory)
    project = load(options, config)
    declared = config.declared
    rows = selected(project, keys, include_process, declared)
    reads = code_reads(project, bool(opts.get("no_code")))
    if not keys:  # keys the code reads and nothing sets: rows too, "(not set)"
        rows.update((k, None) for k in unset_reads(rows, reads))
    render = render_json if fmt == "json" else render_text
    click.echo(render(project, rows, reveal_values, config.schema, reads))
    problems = [p for f in project.resolution.parsed for p in f.problems]
    if problems and fmt == "text":
        click.echo(f"{len(problems)} parse problem(s); run `envcheck check` for details", err=True)
    return 1 if any(rows.get(k) is None for k in keys) else 0
