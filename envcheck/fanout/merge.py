"""Turn the apps' outcomes into one output, grouped per app, and one exit code.

Report commands (check, lint, guard) ran with ``--format json``; each app's
document becomes a :class:`~envcheck.model.Report` again, moved by
:meth:`~envcheck.model.Report.rebased` so that its locations, related
locations and files are named from the root (``.env.local`` of ``apps/web``
is ``apps/web/.env.local``; ``../../.env`` is ``.env``).  Then:

* ``text``: per app a header line, its findings, and its one-line summary
  (``nothing checked`` included); the workspace total on stderr;
* ``json``: the version-1 document over every app (findings with
  root-relative paths), plus ``workspace`` and ``apps`` (each app's path,
  name, framework, mode, files, summary, exit code and error);
* ``github`` / ``sarif``: the merged report, paths as CI resolves them.

Other commands (explain, diff, probe) print each app's own output under a
header (text), in ``{"apps": [{"path": …, "document": …}]}`` (json, plus
every app's ``findings`` for diff and probe, root-relative), with
SARIF runs concatenated, or GitHub annotation lines concatenated.

The exit code is the worst app's (2 usage > 1 findings > 3 inconclusive > 0).
"""

from __future__ import annotations

import json
import posixpath
import re
import sys
from collections.abc import Sequence
from typing import Any

import click

from envcheck.errors import worst
from envcheck.fanout.pool import AppOutcome
from envcheck.model import PROCESS, Finding, Location, Related, Report, Severity
from envcheck.report.sanitize import for_terminal
from envcheck.workspace.discover import Workspace, workspace_entry

__all__ = ["emit"]

_SCHEMAS_NAMED = 2  # schema files named in the workspace summary line
ROOT = "."


def _under(prefix: str, path: str) -> str:
    if prefix == ROOT or path.startswith("/"):
        return path
    return posixpath.normpath(posixpath.join(prefix, path))


def _schema(source: str, prefix: str) -> str:
    """A schema file relative to the root (``../../envcheck.toml`` -> ``envcheck.toml``)."""
    if not source or ":" in source or "+" in source:
        return source  # settings:module:Class, or a combination: as the app named it
    return _under(prefix, source)


def _renamed(text: str | None, old: str, new: str) -> str | None:
    """``text`` with the file ``old`` (as the app named it) written as ``new`` (root-relative)."""
    if text is None or old == new or old not in text:
        return text
    # Not a wrapper's argument (`dotenv -e ../../.env --`): that is the app's own command.
    pattern = rf"(?<![\w./-])(?<!-e )(?<!-f )(?<!--env-file=){re.escape(old)}(?![\w.-])"
    return re.sub(pattern, lambda _: new, text)


def _related(raw: Any) -> Related | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
        return None
    path = raw.get("path")
    if not isinstance(path, str):
        return Related(Location(), raw["label"])
    return Related(Location(path, raw.get("line"), raw.get("col")), raw["label"])


def _finding(raw: dict[str, Any], prefix: str) -> Finding:
    """An app's finding as the app named its places (:meth:`Report.rebased` moves them)."""
    source, path = raw.get("source"), raw.get("path")
    message, hint = str(raw["message"]), raw.get("hint")
    if source == "process":
        location = Location(PROCESS)
    elif source == "file" and isinstance(path, str):
        location = Location(path, raw.get("line"), raw.get("col"))
        if path.startswith("../"):  # the root's file, named from the app: name it from the root
            shown = _under(prefix, path)
            message = _renamed(message, path, shown) or message
            hint = _renamed(hint, path, shown)
    else:
        location = Location()
    related = (_related(r) for r in raw.get("related") or ())
    return Finding(
        str(raw["code"]),
        str(raw["name"]),
        Severity(raw["severity"]),
        message,
        location,
        raw.get("key"),
        hint,
        tuple(r for r in related if r is not None),
    )


def _report(document: dict[str, Any], prefix: str) -> Report:
    """An app's document as a report whose places are named from the workspace root."""
    summary = document.get("summary", {})
    return Report(
        findings=[_finding(f, prefix) for f in document.get("findings", [])],
        framework=str(document.get("framework", "")),
        mode=str(document.get("mode", "")),
        files=list(document.get("files", [])),
        inconclusive=bool(summary.get("inconclusive", False)),
        schema=_schema(str(summary.get("schema") or ""), prefix),
        schema_keys=int(summary.get("schema_keys") or 0),
        process_keys=int(summary.get("process_keys") or 0),
    ).rebased(prefix)


_GITHUB_FILE = re.compile(r"(::[a-z]+ (?:[^\n]*?,)?file=)([^,\n:]+)")
_PATH_KEYS = frozenset({"source", "path", "uri"})


def _rooted(document: Any, label: str) -> Any:
    """An app's explain / diff / probe document with its files named from the root.

    Only strings the document itself lists as files (``files``, a SARIF
    ``artifactLocation``) are rewritten, wherever they appear as a ``source``,
    ``path`` or ``uri``: ``"source": "process"`` or a finding's
    ``"source": "file"`` stay as they are.
    """
    if label == ROOT:
        return document
    names: set[str] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "files" and isinstance(value, list):
                    names.update(v for v in value if isinstance(v, str))
                elif key == "artifactLocation" and isinstance(value, dict):
                    uri = value.get("uri")
                    if isinstance(uri, str):
                        names.add(uri)
                else:
                    collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out: dict[str, Any] = {}
            for key, value in node.items():
                if key == "files" and isinstance(value, list):
                    out[key] = [_under(label, v) if isinstance(v, str) else v for v in value]
                elif key in _PATH_KEYS and isinstance(value, str) and value in names:
                    out[key] = _under(label, value)
                else:
                    out[key] = rewrite(value)
            return out
        if isinstance(node, list):
            return [rewrite(value) for value in node]
        return node

    collect(document)
    return rewrite(document)


class _App:
    """One app's part of the output."""

    def __init__(self, label: str, name: str, outcome: AppOutcome, command: str) -> None:
        self.label = label
        self.name = name
        self.outcome = outcome
        extra = outcome.extra if isinstance(outcome.extra, dict) else {}
        self.error: str | None = extra.get("error")
        self.hint: str | None = extra.get("hint")
        self.nothing = bool(extra.get("nothing"))
        self.error_if_all: str = extra.get("error_if_all") or ""
        self.shared: dict[str, tuple[str, str, int | None]] = extra.get("shared") or {}
        self.report: Report | None = None
        self.document: Any = None
        prefix = label if command == "check" else ROOT
        if command in ("check", "lint", "guard"):
            if self.error is None and not self.nothing:
                try:
                    self.report = _report(json.loads(outcome.out), prefix)
                except (ValueError, KeyError, TypeError):
                    self.error = "could not read this app's report"
            if self.report is None and self.error is None:
                self.report = Report()
        elif outcome.out.strip().startswith(("{", "[")):
            try:
                self.document = _rooted(json.loads(outcome.out), label)
            except ValueError:
                self.document = None
        elif label != ROOT and "::" in outcome.out:  # github annotations: file= from the root
            outcome.out = _GITHUB_FILE.sub(
                lambda m: m.group(1) + _under(label, m.group(2)), outcome.out
            )

    def entry(self) -> dict[str, Any]:
        from envcheck.report.json import to_dict

        row: dict[str, Any] = {"name": self.name, "path": self.label}
        if self.report is not None:
            document = to_dict(self.report)
            row.update(
                framework=document["framework"],
                mode=document["mode"],
                files=document["files"],
                summary=document["summary"],
            )
        row["exit_code"] = self.outcome.code
        row["error"] = self.error
        return row


def _cross_app(
    apps: Sequence[_App], shared: Sequence[str], kwargs: dict[str, Any]
) -> list[Finding]:
    if not shared:
        return []
    from envcheck.rules.registry import enabled_codes
    from envcheck.rules.workspace import SharedValue, shared_key_differs

    if "EC810" not in enabled_codes(
        kwargs.get("select", ()), kwargs.get("ignore", ()), families=("workspace",)
    ):
        return []
    values: dict[str, list[SharedValue]] = {}
    for app in apps:
        for key, (fingerprint, path, line) in app.shared.items():
            shown = _under(app.label, path) if path else None
            values.setdefault(key, []).append(SharedValue(app.label, fingerprint, shown, line))
    return shared_key_differs(shared, values)


def _merged(workspace: Workspace, apps: Sequence[_App], extra: list[Finding]) -> Report:
    from envcheck.engine import relative_to_cwd

    reports = [a.report for a in apps if a.report is not None]
    files = list(dict.fromkeys(f for r in reports for f in r.files))
    # A root file read by several apps gives the same finding in each: list it once.
    findings = list(dict.fromkeys(f for r in reports for f in r.findings))
    schemas: list[str] = list(dict.fromkeys(r.schema for r in reports if r.schema))
    if len(schemas) > _SCHEMAS_NAMED:  # 200 apps' .env.example files do not fit on a line
        schemas = [*schemas[:_SCHEMAS_NAMED], f"{len(schemas) - _SCHEMAS_NAMED} more"]
    return Report(
        findings=findings + extra,
        files=files,
        schema=", ".join(schemas),
        inconclusive=any(r.inconclusive for r in reports),
        base=relative_to_cwd(workspace.root),
        schema_keys=sum(r.schema_keys for r in reports),
        process_keys=sum(r.process_keys for r in reports),
    )


def _nothing_line(workspace: Workspace) -> str:
    return (
        f"envcheck: {workspace.declared_by} declares no apps and the root has no env files "
        "to check: nothing checked"
    )


def _header(app: _App) -> str:
    detail = (
        ", ".join(x for x in (app.report.framework, app.report.mode) if x) if app.report else ""
    )
    return for_terminal(f"== {app.label}" + (f" ({detail})" if detail else "") + " ==")


def _text_reports(apps: Sequence[_App], extra: list[Finding], kwargs: dict[str, Any]) -> None:
    from envcheck.report import render, summary, use_color

    quiet, verbose = bool(kwargs.get("quiet")), bool(kwargs.get("verbose"))
    color = use_color(sys.stdout)
    for app in apps:
        if app.nothing:
            if not quiet:
                click.echo(for_terminal(f"{app.label}: no env files"))
            continue
        if app.error is not None:
            click.echo(for_terminal(f"{app.label}: error: {app.error}"), err=True)
            if app.hint:
                click.echo(for_terminal(f"  hint: {app.hint}"), err=True)
            continue
        assert app.report is not None
        if quiet and not app.report.findings:
            continue
        click.echo(_header(app))
        text = render(app.report, "text", color=color, quiet=quiet, verbose=verbose)
        if text:
            click.echo(text)
        click.echo(for_terminal(f"{app.label}: ") + summary(app.report))
    if extra:
        click.echo("== workspace (across apps) ==")
        click.echo(render(Report(findings=extra), "text", color=color, quiet=quiet))


def _reports(
    command: str,
    workspace: Workspace,
    apps: Sequence[_App],
    kwargs: dict[str, Any],
    shared: Sequence[str],
) -> int:
    from envcheck.report import render, summary

    fmt = kwargs.get("fmt", "text")
    extra = _cross_app(apps, shared, kwargs)
    merged = _merged(workspace, apps, extra)
    nothing = all(a.nothing or (a.report is not None and a.report.checked_nothing) for a in apps)
    if fmt == "text" and apps:  # (no apps: the one line below says so)
        _text_reports(apps, extra, kwargs)
        counted = sum(1 for a in apps if a.label != ROOT)
        total = f"workspace {workspace.declared_by}: {counted} app{'s' * (counted != 1)}, "
        click.echo(for_terminal(total) + summary(merged), err=True)
    elif fmt == "json":
        from envcheck.report.json import dumps, to_dict

        document = to_dict(merged.replace(base=""))
        document["workspace"] = workspace_entry(workspace)
        document["apps"] = [a.entry() for a in apps]
        click.echo(dumps(document))
    elif fmt != "text":
        text = render(merged, fmt)
        if text:
            click.echo(text)
    if not apps:
        click.echo(_nothing_line(workspace), err=True)
    codes = [a.outcome.code for a in apps]
    if extra and any(f.severity is Severity.ERROR for f in extra):
        codes.append(1)
    if nothing and kwargs.get("strict"):
        codes.append(1)
    return worst(codes)


def _outputs(command: str, workspace: Workspace, apps: Sequence[_App], fmt: str) -> int:
    if fmt == "json":
        from envcheck.report.json import VERSION, dumps

        rows = [
            {"name": a.name, "path": a.label, "exit_code": a.outcome.code, "error": a.error,
             "document": a.document}
            for a in apps
        ]  # fmt: skip
        document: dict[str, Any] = {
            "version": VERSION,
            "tool": "envcheck",
            "workspace": workspace_entry(workspace),
        }
        documents = [a.document for a in apps if isinstance(a.document, dict)]
        if any("findings" in d for d in documents):  # diff, probe: every app's, root-relative
            found = (f for d in documents for f in d.get("findings", ()))
            document["findings"] = list({json.dumps(f, sort_keys=True): f for f in found}.values())
        document["apps"] = rows
        click.echo(dumps(document))
    elif fmt == "sarif":
        runs = [run for a in apps if isinstance(a.document, dict) for run in a.document["runs"]]
        first = next((a.document for a in apps if isinstance(a.document, dict)), None)
        if first is not None:
            from envcheck.report.json import dumps

            click.echo(dumps({**first, "runs": runs}))
    for app in apps:
        if app.nothing:  # probe: this app has no key to probe
            click.echo(for_terminal(f"{app.label}: nothing to probe"), err=True)
            continue
        if fmt == "text":
            click.echo(for_terminal(f"== {app.label} =="))
        if fmt in ("text", "github") and app.outcome.out:
            click.echo(app.outcome.out, nl=False)
        if app.error is not None:
            click.echo(for_terminal(f"{app.label}: error: {app.error}"), err=True)
            if app.hint:
                click.echo(for_terminal(f"  hint: {app.hint}"), err=True)
    if not apps:
        click.echo(_nothing_line(workspace), err=True)
    codes = [a.outcome.code for a in apps]
    if apps and all(a.nothing for a in apps):  # probe: no app has anything to probe
        why = apps[0].error_if_all
        click.echo(for_terminal(f"envcheck: error: {why} (in every app)"), err=True)
        if apps[0].hint:
            click.echo(for_terminal(f"  hint: {apps[0].hint}"), err=True)
        codes.append(2)
    return worst(codes)


def emit(
    command: str,
    workspace: Workspace,
    labels: Sequence[str],
    outcomes: Sequence[AppOutcome],
    kwargs: dict[str, Any],
    shared: Sequence[str],
) -> int:
    """Print the workspace's output for ``command``; return the exit code."""
    names = {a.path: a.name for a in workspace.apps}
    apps = [
        _App(label, names.get(label, "(root)"), outcome, command)
        for label, outcome in zip(labels, outcomes, strict=True)
    ]
    for app in apps:  # what a command wrote to stderr (warnings, notes), labelled
        for line in app.outcome.err.splitlines():
            if line.strip() and "no env files here" not in line:
                click.echo(for_terminal(f"{app.label}: {line}"), err=True)
    if command in ("check", "lint", "guard"):
        return _reports(command, workspace, apps, kwargs, shared)
    return _outputs(command, workspace, apps, str(kwargs.get("fmt", "text")))
