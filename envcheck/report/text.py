"""Human output, grouped by file, in ruff's shape.

Each finding is one line ``path:line:col: CODE name  message`` followed by
indented ``related: path:line:col label`` lines (the other places it concerns)
and a ``hint:`` line, so that editors and terminals can jump to the
location; files are separated by a blank line.  Colour marks severity only
(it never carries information the text lacks), and is off unless the CLI
asks for it (see :func:`envcheck.report.use_color`).  The summary line is
separate because the CLI prints it to stderr.
"""

from __future__ import annotations

from collections.abc import Iterator

from envcheck.model import Finding, Report, Severity
from envcheck.report.sanitize import for_terminal

__all__ = ["chunks", "render", "summary", "format_finding"]

FINDINGS_PER_CHUNK = 512  # pieces (findings and separators) per write: few writes, each small

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _style(
    text: str, color: bool, *, fg: str | None = None, bold: bool = False, dim: bool = False
) -> str:
    if not color:
        return text
    import click  # only for a terminal: a piped run's start-up need not import click

    return click.style(text, fg=fg, bold=bold or None, dim=dim or None)


def format_finding(finding: Finding, *, color: bool = False, verbose: bool = False) -> str:
    """One finding: its location line, a ``related:`` line per related place, its hint.

    The location, message, related places and hint hold file names, keys and value fragments
    from untrusted files: each goes through :func:`for_terminal`.
    """
    where = _style(for_terminal(str(finding.location)), color, bold=True)
    code = _style(finding.code, color, fg=_COLOURS[finding.severity], bold=True)
    name = _style(finding.name, color, dim=True)
    lines = [f"{where}: {code} {name}  {for_terminal(finding.message)}"]
    related = _style("related:", color, dim=True)
    lines.extend(f"  {related} {for_terminal(str(r))}" for r in finding.related)
    if finding.hint:
        lines.append(f"  {_style('hint:', color, fg='cyan')} {for_terminal(finding.hint)}")
    if verbose:
        lines.append(f"  {finding.severity.value}; see `envcheck rules {finding.code}`")
    return "\n".join(lines)


def _group(finding: Finding) -> str:
    return finding.location.path or "~"


def render(
    report: Report, *, color: bool = False, quiet: bool = False, verbose: bool = False
) -> str:
    """All findings grouped by file; ``quiet`` keeps only errors and warnings."""
    return "".join(chunks(report, color=color, quiet=quiet, verbose=verbose))


def chunks(
    report: Report, *, color: bool = False, quiet: bool = False, verbose: bool = False
) -> Iterator[str]:
    """:func:`render`'s text, :data:`FINDINGS_PER_CHUNK` findings at a time: a report of
    100,000 lines has thousands of findings, and the CLI writes each piece as it is
    made rather than hold the whole text (and a list of every finding's lines).  A blank
    line separates files, a newline findings."""
    pieces: list[str] = []
    previous: str | None = None
    for finding in report.sorted():
        if quiet and finding.severity is Severity.INFO:
            continue
        group = _group(finding)
        if previous is not None:
            pieces.append("\n" if group == previous else "\n\n")
        previous = group
        pieces.append(format_finding(finding, color=color, verbose=verbose))
        if len(pieces) >= FINDINGS_PER_CHUNK:
            yield "".join(pieces)
            pieces = []
    if pieces:
        yield "".join(pieces)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word == "info" else f"{n} {word}s"


def summary(report: Report) -> str:
    """``N errors, N warnings, N info in N files`` (files checked, not files with findings)."""
    counts = ", ".join(
        _plural(report.count(s), word)
        for s, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                        (Severity.INFO, "info"))
    )  # fmt: skip
    line = f"{counts} in {_plural(len(report.files), 'file')}"
    if report.checked_nothing:
        line += (
            f"; nothing checked: no env file found for {report.framework or 'the framework'} "
            "and no schema (envcheck.toml, .env.example, --settings)"
        )
    elif report.code_keys and not report.schema_keys and not report.files:
        line += f", {_plural(report.code_keys, 'key')} read in code"
    elif report.schema_keys:
        line += f", {_plural(report.schema_keys, 'schema key')} ({report.schema})"
        if report.process_keys:
            line += f", {report.process_keys} set only in the process environment"
    if report.inconclusive:
        line += "; probe inconclusive"
    return for_terminal(line)
