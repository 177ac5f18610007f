"""``envcheck explain``: each key's value, the source that won, what it shadowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import Project, load_project, project_options
from envcheck.model import PROCESS
from envcheck.report.sanitize import for_terminal
from envcheck.secret import Secret, is_secret, reveal, safe_key, shown
from envcheck.sources.types import PROCESS_ORIGIN, Origin, Problem, Resolved
from envcheck.workspace.hook import workspace_hook

VALUE_WIDTH = 48


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


def _display(key: str, value: Secret, reveal_values: bool, schema: Any) -> tuple[str, bool]:
    """The value as shown, and whether it is secret (the schema's word first)."""
    spec = schema.spec(key) if schema is not None else None
    declared = getattr(spec, "secret", None)
    secret = declared if declared is not None else is_secret(key, value)
    if reveal_values:
        return reveal(value), secret
    return shown(key, value, secret=secret), secret


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
    project: Project, rows: dict[str, Resolved | None], reveal_values: bool, schema: Any = None
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
    for key, resolved in rows.items():
        name = _json_name(key, out["keys"])
        if resolved is None:
            out["keys"][name] = None
            continue
        value, secret = _display(key, resolved.value, reveal_values, schema)
        item: dict[str, Any] = {"value": value, "secret": secret}
        item.update(_origin_json(resolved.origin))
        item["shadowed"] = [_origin_json(o) for o in resolved.shadowed]
        out["keys"][name] = item
    return dumps(out)


def _clip(text: str) -> str:
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def render_text(
    project: Project, rows: dict[str, Resolved | None], reveal_values: bool, schema: Any = None
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
    for key, resolved in rows.items():
        name = for_terminal(safe_key(key))
        if resolved is None:
            table.append((name, "(not set)", "-", ""))
            continue
        value, _ = _display(key, resolved.value, reveal_values, schema)
        value = for_terminal(value)
        shadowed = for_terminal(", ".join(str(o) for o in resolved.shadowed))
        value = value if reveal_values else _clip(value)
        table.append((name, value, for_terminal(str(resolved.origin)), shadowed))
    if table:
        header = ("KEY", "VALUE", "SOURCE", "SHADOWED")
        widths = [max(len(r[i]) for r in [header, *table]) for i in range(3)]
        lines.append("")
        for row in [header, *table]:
            cells = [row[i].ljust(widths[i]) for i in range(3)]
            lines.append("  ".join([*cells, row[3]]).rstrip())
    else:
        lines.append("no keys defined")
    return "\n".join(lines)


@click.command("explain")
@click.argument("args", nargs=-1)
@click.option("--all", "include_process", is_flag=True, help="Also list process-environment keys.")
@click.option("--reveal", "reveal_values", is_flag=True, help="Print raw values, secrets included.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
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
    from envcheck.commands.reporting import load_config

    keys, project_dir = _split_keys_and_dir(args, project_dir)
    config = load_config(project_dir or Path.cwd())
    project = load_project(project_dir=project_dir, **config.project_defaults(opts))
    declared = tuple(getattr(config.schema, "keys", None) or ())
    rows = selected(project, keys, include_process, declared)
    render = render_json if fmt == "json" else render_text
    click.echo(render(project, rows, reveal_values, config.schema))
    problems = [p for f in project.resolution.parsed for p in f.problems]
    if problems and fmt == "text":
        click.echo(f"{len(problems)} parse problem(s); run `envcheck check` for details", err=True)
    return 1 if any(rows.get(k) is None for k in keys) else 0
