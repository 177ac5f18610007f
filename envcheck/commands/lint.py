"""``envcheck lint FILE…``: syntax and style only, one file at a time, no project.

Made for pre-commit, which passes the staged file names: no framework
detection, no process environment, no schema.  Each file is parsed in one
dialect (``--dialect``, default ``node``: the dotenv package that Next.js,
CRA and dotenv-flow use) and checked by the syntax and style families.
Without file names it lints the live env files of the current directory
(templates are left alone), in the detected framework's dialect.
Exit 0 without errors (warnings too with ``--strict``), 1 with, 2 for a
usage error or a file that does not exist.

``--fix`` rewrites each file with the safe fixes of
:mod:`envcheck.rules.style_fixes` (every value the dialect's parser reads
is proven unchanged before anything is written; the write is atomic and
keeps the file's permissions), then reports what is left.  ``--diff``
prints the fixes as a unified diff instead (secret-looking values masked)
and exits 1 when there would be changes.  Default-off rules (EC208, EC211,
EC214) are fixed only when selected.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import named_env_files
from envcheck.commands.reporting import FORMATS
from envcheck.errors import EXIT_FINDINGS, EXIT_OK
from envcheck.fanout.hook import workspace_hook
from envcheck.fanout.result import AppRun
from envcheck.model import Finding, Report, Severity
from envcheck.project import files_to_lint
from envcheck.sources.readers import DIALECTS

__all__ = ["lint", "lint_app", "lint_files"]


def _split(selectors: tuple[str, ...]) -> tuple[str, ...]:
    """``--select EC2,EC101`` and repeated options alike."""
    return tuple(s.strip() for item in selectors for s in item.split(",") if s.strip())


def _say(line: str, notes: list[str] | None) -> None:
    """A line beside the report: on stderr, or into ``notes`` (a workspace app's run)."""
    if notes is None:
        click.echo(line, err=True)
    else:
        notes.append(line)


def lint_files(
    paths: list[Path],
    dialect: str,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    *,
    notes: list[str] | None = None,
) -> Report:
    """Lint ``paths`` (shown as given); raises SourceError for a missing file.

    What is said beside the report (a link to a file not created yet) goes to
    stderr, or into ``notes`` when given.
    """
    from envcheck.errors import SourceError
    from envcheck.report.sanitize import for_terminal
    from envcheck.rules import style, suppress, syntax
    from envcheck.rules.registry import enabled_codes
    from envcheck.sources.resolve import DANGLING_LINK, parse_with_text

    codes = enabled_codes(select, ignore)
    texts: dict[str, str | None] = {}
    findings: list[Finding] = []
    shown_paths: list[str] = []
    for path in paths:
        shown = str(path)
        parsed, text = parse_with_text(path, shown, dialect, within=Path.cwd(), named=True)
        if parsed is None and path.is_symlink():  # a link to a file not created yet
            _say(for_terminal(f"envcheck: {shown}: {DANGLING_LINK}"), notes)
            continue
        if parsed is None:
            raise SourceError("file not found", where=shown, hint="check the file name")
        shown_paths.append(shown)
        findings.extend(syntax.findings_from_problems(parsed.problems))
        if text is not None and not path.is_file():
            text = None  # a named pipe: its one reading was the parser's (as before: no style)
        texts[shown] = text
        if text is not None:
            readings = style.readings_for(path, text) if "EC215" in codes else None
            findings.extend(
                style.lint_text(text, shown, parsed.entries, parsed.problems, codes, None, readings)
            )
    kept = [f for f in findings if f.code in codes]
    kept = suppress.apply(kept, texts.get)
    return Report(findings=kept, files=shown_paths)


def _write_keeping_mode(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically (temp file in its folder + os.replace), keeping its mode."""
    import os
    import tempfile

    mode = path.stat().st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # an env file is often private: never widen it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _diff_line(line: str) -> str:
    """A diff line with a secret-looking value masked and terminal controls escaped."""
    from envcheck.report.sanitize import for_terminal
    from envcheck.secret import is_secret, mask

    sign, body = line[:1], line[1:].rstrip("\n")
    key, eq, value = body.partition("=")
    bare_value = value.strip(" \t\"'`")
    if eq and is_secret(key.strip().removeprefix("export").strip(), bare_value):
        body = f"{key}={mask(bare_value)}"
    elif not eq and body.strip() and not body.lstrip().startswith("#"):
        body = "****"  # a line of a multi-line value, or a pasted value
    return for_terminal(sign + body)


def fix_files(
    paths: list[Path],
    dialect: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    show: bool,
    *,
    notes: list[str] | None = None,
) -> bool:
    """Fix each file in place (or, ``show``, print the diff); whether anything changed.

    What is said beside the fixes (a file not fixed, how many fixes) goes to
    stderr, or into ``notes`` when given.

    A file is rewritten only when it is a regular file (not a link: the
    link would be replaced), decodes as UTF-8 exactly (so every other byte
    is written back as it was), and the fixes are proven safe.
    """
    import difflib

    from envcheck.errors import SourceError
    from envcheck.report.sanitize import for_terminal
    from envcheck.rules.registry import enabled_codes
    from envcheck.rules.style_fixes import fix_text
    from envcheck.sources.resolve import read_again

    codes = frozenset(enabled_codes(select, ignore))
    changed = False
    for path in paths:
        shown = str(path)
        if path.is_symlink() or not path.is_file():
            if not path.exists():
                raise SourceError("file not found", where=shown, hint="check the file name")
            _say(f"envcheck: {shown}: not fixed: not a regular file", notes)
            continue
        data = read_again(path, within=Path.cwd(), named=True)
        try:
            text = None if data is None else data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None:
            _say(f"envcheck: {shown}: not fixed: unreadable or not UTF-8", notes)
            continue
        result = fix_text(text, shown, dialect, codes)
        if not result.changed:
            continue
        changed = True
        if show:
            diff = difflib.unified_diff(
                text.splitlines(keepends=True),
                result.text.splitlines(keepends=True),
                f"a/{shown}",
                f"b/{shown}",
            )
            for index, line in enumerate(diff):  # two file headers, then hunks
                plain = index < 2 or line.startswith("@@")
                click.echo(for_terminal(line.rstrip("\n")) if plain else _diff_line(line))
            continue
        _write_keeping_mode(path, result.text.encode("utf-8"))
        _say(f"envcheck: {shown}: fixed {len(result.fixed)}", notes)
    return changed


def lint_app(call: dict[str, Any]) -> tuple[AppRun, None]:
    """One app of a workspace root (``call``: the command's arguments, ``files`` the app's
    env files): its report, exit code and notes as data.  ``--fix`` fixes the app's files
    first; ``--diff`` is refused at a root (one diff per app is no patch to apply)."""
    if call.get("show_diff"):
        raise click.UsageError(
            "--diff at a workspace root: run it inside the app, or name the files "
            "(envcheck lint --diff apps/web/.env)"
        )
    paths = list(call["files"])
    dialect = call.get("dialect") or "node"
    select, ignore = _split(call.get("select", ())), _split(call.get("ignore", ()))
    notes: list[str] = []
    if call.get("fix"):
        fix_files(paths, dialect, select, ignore, False, notes=notes)
    report = lint_files(paths, dialect, select, ignore, notes=notes)
    failing = report.count(Severity.ERROR) + (
        report.count(Severity.WARNING) if call.get("strict") else 0
    )
    return AppRun(EXIT_FINDINGS if failing else EXIT_OK, report, tuple(notes)), None


@click.command("lint")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--dialect",
    type=click.Choice(sorted(DIALECTS)),
    default=None,
    help="Whose parser reads the files: node (dotenv), nodeutil (util.parseEnv, Vite), "
    "python (python-dotenv); default: node for FILES, the project's framework without.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--select", multiple=True, help="Only these rules: code, code prefix or name (ALL: every rule)."
)
@click.option("--ignore", multiple=True, help="Rules to skip: code, code prefix or name.")
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and warnings.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes (values never change), then lint.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the safe fixes as a diff; exit 1 if any."
)
@click.pass_context
@workspace_hook("lint", lint_app)  # at a monorepo root: every app
def lint(
    ctx: click.Context,
    files: tuple[Path, ...],
    dialect: str | None,
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    strict: bool,
    quiet: bool,
    fix: bool,
    show_diff: bool,
) -> int:
    """Check the syntax and style of env FILES (for pre-commit).

    Without FILES, the env files of the current directory (not the
    templates), each read by the detected framework's parser.
    """
    from envcheck.commands.reporting import emit

    paths = named_env_files(list(files))
    if files and not paths:  # every file named was another type (each said on stderr)
        click.echo("envcheck: no env files among the files named to lint", err=True)
        return EXIT_OK
    if not paths:
        from envcheck.sources.detect import detect
        from envcheck.sources.profiles import get_profile

        paths = files_to_lint(Path.cwd())
        if not paths:
            click.echo("envcheck: no env files here to lint", err=True)
            return EXIT_OK
        dialect = dialect or get_profile(detect(Path.cwd())).dialect
    if fix or show_diff:
        changed = fix_files(paths, dialect or "node", _split(select), _split(ignore), show_diff)
        if show_diff:
            if changed:
                ctx.exit(EXIT_FINDINGS)
            return EXIT_OK
    report = lint_files(paths, dialect or "node", _split(select), _split(ignore))
    emit(report, fmt, quiet=quiet, verbose=False, stream=sys.stdout)
    failing = report.count(Severity.ERROR) + (report.count(Severity.WARNING) if strict else 0)
    code = EXIT_FINDINGS if failing else EXIT_OK
    if code:
        ctx.exit(code)
    return code
