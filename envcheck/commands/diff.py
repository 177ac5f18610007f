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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import project_options
from envcheck.commands.reporting import report_options
from envcheck.diff import DiffResult, DiffRow, Side, compare
from envcheck.errors import SourceError
from envcheck.fanout.hook import workspace_hook
from envcheck.model import PROCESS, Report
from envcheck.project import load_config
from envcheck.report.sanitize import for_terminal
from envcheck.rules.diff import is_dev_mode
from envcheck.schema.interpreter import python_option
from envcheck.secret import Fingerprinter, Secret, redact, reveal, safe_key
from envcheck.sources.detect import detect
from envcheck.sources.profiles import Profile, get_profile
from envcheck.sources.resolve import parse_file, resolve
from envcheck.sources.types import PROCESS_ORIGIN, LoadRequest, Resolution, Resolved

VALUE_WIDTH = 40
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
    return Resolution(
        framework=profile.name,
        mode=mode,
        files=[shown],
        parsed=[parsed],
        vars=loaded.vars,
        notes=loaded.notes,
    )


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


def _display(row: DiffRow, side: Side | None, show_values: bool) -> str:
    """A side's cell: a fingerprint, or with ``--values`` a non-secret value.

    Even a non-secret value has URL passwords and key-shaped substrings masked:
    a name is a guess, and ``DATABASE_URL`` carries a password.
    """
    if side is None:
        return "-"
    raw = reveal(side.value)
    if raw == "":
        return "(empty)"
    from envcheck.sources.references import reference_kind

    if kind := reference_kind(raw):  # a pointer, not a value: never shown, never fingerprinted
        return "(set, value unknown)" if kind == "deploy-target" else f"({kind} reference)"
    if row.secret or not show_values:
        return f"#{side.fingerprint}" + (" (secret)" if row.secret else "")
    text = redact(_URL_PASSWORD.sub(r"\1****@", raw), ())
    text = for_terminal(text)  # no ESC, bidi control or "::" from a file reaches the terminal
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 1] + "…"


def _where(side: Side | None) -> str:
    if side is None:
        return ""
    return PROCESS if side.origin.is_process else str(side.origin)


def _status(row: DiffRow, result: DiffResult) -> str:
    return {
        "same": "same secret" if row.secret else "same",
        "different": "differs",
        "only-source": f"missing in {result.target_label}",
        "only-target": f"missing in {result.source_label}",
        "neither": "missing in both",
    }[row.status]


def render_table(
    result: DiffResult, codes: Mapping[str, list[str]], *, show_values: bool, quiet: bool
) -> str:
    """The side-by-side table: key, each side's value (or fingerprint) and origin, status."""
    header: tuple[str, ...] = ("KEY", result.source_label, "", result.target_label, "", "STATUS")
    table: list[tuple[str, ...]] = []
    for row in result.rows:
        found = codes.get(row.key, [])
        if quiet and not found:
            continue
        status = _status(row, result) + (f" [{', '.join(found)}]" if found else "")
        table.append(
            (
                safe_key(row.key),
                _display(row, row.source, show_values),
                _where(row.source),
                _display(row, row.target, show_values),
                _where(row.target),
                status,
            )
        )
    if not table:
        return "" if quiet else "no keys on either side"
    # Keys, labels and file names come from the project: every cell is sanitised.
    header = tuple(for_terminal(c) for c in header)
    table = [tuple(for_terminal(c) for c in r) for r in table]
    widths = [max(len(r[i]) for r in [header, *table]) for i in range(5)]
    lines = []
    for row_cells in [header, *table]:
        cells = [row_cells[i].ljust(widths[i]) for i in range(5)]
        lines.append("  ".join([*cells, row_cells[5]]).rstrip())
    return "\n".join(lines)


def _side_json(row: DiffRow, side: Side | None, show_values: bool) -> dict[str, Any] | None:
    if side is None:
        return None
    out: dict[str, Any] = {"fingerprint": side.fingerprint}
    if show_values and not row.secret:
        out["value"] = redact(_URL_PASSWORD.sub(r"\1****@", reveal(side.value)), ())
    if side.origin.is_process:
        out["source"] = PROCESS
    else:
        out.update(source=side.origin.source, line=side.origin.line, col=side.origin.col)
    return out


def diff_json(
    result: DiffResult, codes: Mapping[str, list[str]], *, show_values: bool
) -> dict[str, Any]:
    """The ``diff`` member of the JSON document: both sides and one object per key."""
    return {
        "from": {
            "label": result.source_label,
            "mode": result.source_mode,
            "files": result.source_files,
        },
        "to": {
            "label": result.target_label,
            "mode": result.target_mode,
            "files": result.target_files,
        },
        "rows": [
            {
                "key": safe_key(row.key),
                "status": row.status,
                "secret": row.secret,
                "source": _side_json(row, row.source, show_values),
                "target": _side_json(row, row.target, show_values),
                "codes": codes.get(row.key, []),
            }
            for row in result.rows
        ],
    }


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
@workspace_hook("diff")  # at a monorepo root: every app
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
    from envcheck.engine import exit_code, filter_findings

    if len(files) not in (0, 2):
        raise click.UsageError("give two files to compare, or none to compare modes")
    if opts.get("mode") or opts.get("env_files"):
        raise click.UsageError("diff takes --from/--to (or two files), not --mode/--env-file")
    if opts.get("no_process_env") and PROCESS in (from_mode, to_mode):
        raise click.UsageError("--no-process-env contradicts comparing with the process")
    ctx = click.get_current_context()
    explicit = [
        ctx.get_parameter_source(p) is not click.core.ParameterSource.DEFAULT
        for p in ("from_mode", "to_mode")
    ]
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
    result = compare(
        source,
        target,
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
    config_select, config_ignore = config.rules()
    extend = (*config_select, *(("EC606",) if verbose else ()))
    base = Path.cwd() if files else project_dir
    findings = filter_findings(
        result.findings, base, select, (*config_ignore, *ignore), extend=extend
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
    )
    _emit(
        report,
        result,
        codes,
        fmt=fmt,
        quiet=quiet,
        verbose=verbose,
        show_values=show_values,
    )
    return exit_code(report, strict=strict)


def _emit(
    report: Report,
    result: DiffResult,
    codes: Mapping[str, list[str]],
    *,
    fmt: str,
    quiet: bool,
    verbose: bool,
    show_values: bool,
) -> None:
    """Text: the table, then the findings; json: the reporter's document plus ``diff``."""
    from envcheck.report import render, summary, use_color

    out = sys.stdout
    if fmt == "json":
        from envcheck.report.json import dumps, to_dict

        document = to_dict(report)
        document["diff"] = diff_json(result, codes, show_values=show_values)
        document["diff"]["notes"] = list(result.notes)
        click.echo(dumps(document), file=out)
        return
    text = render(report, fmt, color=use_color(out), quiet=quiet, verbose=verbose)
    if fmt == "text":
        table = render_table(result, codes, show_values=show_values, quiet=quiet)
        if table:
            click.echo(table, file=out)
        if not quiet:
            for note in result.notes:
                click.echo(f"note: {note}", file=out)
        if text:
            click.echo("", file=out)
    if text:
        click.echo(text, file=out)
    if fmt == "text" and not (quiet and not report.findings):
        click.echo(summary(report), err=True)
