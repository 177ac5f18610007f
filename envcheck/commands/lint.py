"""``envcheck lint FILE…``: syntax and style only, one file at a time, no project.

Made for pre-commit, which passes the staged file names: no framework
detection, no process environment, no schema.  Each file is parsed in one
dialect (``--dialect``, default ``node``: the dotenv package that Next.js,
CRA and dotenv-flow use) and checked by the syntax and style families.
Without file names it lints the live env files of the current directory
(templates are left alone), in the detected framework's dialect.
Exit 0 without errors (warnings too with ``--strict``), 1 with, 2 for a
usage error or a file that does not exist.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from envcheck.commands.reporting import FORMATS
from envcheck.errors import EXIT_FINDINGS, EXIT_OK
from envcheck.model import Finding, Report, Severity
from envcheck.sources.readers import DIALECTS
from envcheck.workspace.hook import workspace_hook

__all__ = ["lint", "lint_files"]


def _split(selectors: tuple[str, ...]) -> tuple[str, ...]:
    """``--select EC2,EC101`` and repeated options alike."""
    return tuple(s.strip() for item in selectors for s in item.split(",") if s.strip())


def lint_files(
    paths: list[Path], dialect: str, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()
) -> Report:
    """Lint ``paths`` (shown as given); raises SourceError for a missing file."""
    from envcheck.errors import SourceError
    from envcheck.rules import style, suppress, syntax
    from envcheck.rules.registry import enabled_codes
    from envcheck.sources.decode import decode
    from envcheck.sources.resolve import parse_file, read_again

    codes = enabled_codes(select, ignore)
    texts: dict[str, str | None] = {}
    findings: list[Finding] = []
    shown_paths: list[str] = []
    for path in paths:
        shown = str(path)
        parsed = parse_file(path, shown, dialect)
        if parsed is None:
            raise SourceError("file not found", where=shown, hint="check the file name")
        shown_paths.append(shown)
        findings.extend(syntax.findings_from_problems(parsed.problems))
        data = read_again(path)  # None: unreadable (a syntax finding) or a drained pipe
        text = None if data is None else decode(data, shown)[0]
        texts[shown] = text
        if text is not None:
            findings.extend(style.lint_text(text, shown, parsed.entries, parsed.problems))
    kept = [f for f in findings if f.code in codes]
    kept = suppress.apply(kept, texts.get)
    return Report(findings=kept, files=shown_paths)


def project_env_files(directory: Path) -> list[Path]:
    """What ``lint`` checks when given no file: the live env files here (no templates)."""
    from envcheck.rules.envfiles import env_file_names, is_template

    base = directory if directory != Path.cwd() else Path()
    return [base / n for n in env_file_names(directory) if not is_template(n)]


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
@click.pass_context
@workspace_hook("lint")  # at a monorepo root: every app
def lint(
    ctx: click.Context,
    files: tuple[Path, ...],
    dialect: str | None,
    fmt: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    strict: bool,
    quiet: bool,
) -> int:
    """Check the syntax and style of env FILES (for pre-commit).

    Without FILES, the env files of the current directory (not the
    templates), each read by the detected framework's parser.
    """
    from envcheck.commands.reporting import emit

    paths = list(files)
    if not paths:
        from envcheck.sources.detect import detect
        from envcheck.sources.profiles import get_profile

        paths = project_env_files(Path.cwd())
        if not paths:
            click.echo("envcheck: no env files here to lint", err=True)
            return EXIT_OK
        dialect = dialect or get_profile(detect(Path.cwd())).dialect
    report = lint_files(paths, dialect or "node", _split(select), _split(ignore))
    emit(report, fmt, quiet=quiet, verbose=False, stream=sys.stdout)
    failing = report.count(Severity.ERROR) + (report.count(Severity.WARNING) if strict else 0)
    code = EXIT_FINDINGS if failing else EXIT_OK
    if code:
        ctx.exit(code)
    return code
