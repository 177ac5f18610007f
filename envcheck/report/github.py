"""GitHub Actions workflow commands: one annotation per finding.

``::error file=.env,line=3,col=1,title=EC101 unterminated-quote::message``;
a finding's related places follow its message as ``(also: .env:1, src/a.ts:9)``.
GitHub parses these from the job log, so escaping is a security matter as
well as a correctness one: a newline left in a message would let text from
an env file start a new workflow command on the next line.  The data part
escapes ``%``, CR and LF; properties additionally ``:`` and ``,`` (the
rules of ``@actions/core``'s ``escapeData``/``escapeProperty``).  Both go
through :mod:`envcheck.report.sanitize` first, so no escape sequence or
bidi control reaches the log viewer either.
"""

from __future__ import annotations

from envcheck.model import PROCESS, Finding, Location, Report, Severity
from envcheck.report.sanitize import for_github, for_github_property

__all__ = ["render", "annotation", "escape_data", "escape_property"]

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


escape_data = for_github
escape_property = for_github_property


def _short(location: Location) -> str:
    """``path:line`` of a related place: an annotation links its own line only."""
    return str(location.replace(col=None))


def annotation(f: Finding) -> str:
    """One workflow command; a process-environment finding has no file property."""
    props: list[tuple[str, str]] = []
    path = f.location.path
    if path is not None and path != PROCESS:
        props.append(("file", path))
        if f.location.line is not None:
            props.append(("line", str(f.location.line)))
            if f.location.col is not None:
                props.append(("col", str(f.location.col)))
    props.append(("title", f"{f.code} {f.name}"))
    message = f.message
    if f.related:
        message += f" (also: {', '.join(_short(r.location) for r in f.related)})"
    if f.hint:
        message += f"\nhint: {f.hint}"
    if path == PROCESS:
        message = f"process environment: {message}"
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{_COMMAND[f.severity]} {joined}::{escape_data(message)}"


def render(report: Report, **_: object) -> str:
    return "\n".join(annotation(f) for f in report.sorted())
