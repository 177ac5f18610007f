"""Turn the apps' results into one output, grouped per app, and one exit code.

Report commands (check, lint, guard) hand over each app's
:class:`~envcheck.model.Report` as data (:class:`~envcheck.fanout.result.AppRun`);
:meth:`~envcheck.model.Report.rebased` names its locations, related
locations and files from the root (``.env.local`` of ``apps/web`` is
``apps/web/.env.local``; ``../../.env`` is ``.env``), and the schema it
names moves the same way.  Messages are never touched: they name no place of
their own (renderers place paths).  Then:

* ``text``: per app a header line, its findings, and its one-line summary
  (``nothing checked`` included); the app's notes and errors on stderr,
  labelled; the workspace total on stderr;
* ``json``: the version-1 document over every app (findings with
  root-relative paths), plus ``workspace`` and ``apps`` (each app's path,
  name, framework, mode, files, summary, exit code and error);
* ``github`` / ``sarif``: the merged report, paths as CI resolves them.

Document commands (explain, diff, probe) hand over each app's typed view
(:class:`~envcheck.fanout.result.AppView`), which renders itself: text under
a header per app (places as the app names them, as the command prints them
in the app's folder); ``{"apps": [{"path": …, "document": …}]}`` (json, each
view moved to the root first, plus every app's ``findings`` for diff); SARIF
runs concatenated, or GitHub annotations concatenated (each app's report
places its paths from the working directory, as CI resolves them).

The exit code is the worst app's (:func:`envcheck.errors.worst`: 2 usage >
1 findings > 3 inconclusive > 0).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from envcheck.errors import worst
from envcheck.fanout.result import AppRun, under
from envcheck.model import Finding, Report, Severity
from envcheck.report.echo import echo
from envcheck.report.sanitize import for_terminal
from envcheck.workspace.discover import Workspace, workspace_entry

__all__ = ["emit"]

_SCHEMAS_NAMED = 2  # schema files named in the workspace summary line
ROOT = "."


def _schema(source: str, prefix: str) -> str:
    """A schema file relative to the root (``../../envcheck.toml`` -> ``envcheck.toml``)."""
    if not source or ":" in source or "+" in source:
        return source  # settings:module:Class, or a combination: as the app named it
    return under(prefix, source)


def _rooted_report(report: Report, prefix: str) -> Report:
    """An app's report with its places, files and schema named from the workspace root."""
    moved = report.rebased(prefix)
    return moved.replace(schema=_schema(moved.schema, prefix), base="", target=None)


class _App:
    """One app's part of the output."""

    def __init__(self, label: str, name: str, run: AppRun, command: str) -> None:
        self.label = label
        self.name = name
        self.run = run
        self.error = run.error
        self.hint = run.hint
        self.nothing = run.nothing
        self.report: Report | None = None
        self.view = run.view if self.error is None and not self.nothing else None
        if command in ("check", "lint", "guard"):
            prefix = label if command == "check" else ROOT  # lint, guard: named from the root
            if run.report is not None and self.error is None and not self.nothing:
                self.report = _rooted_report(run.report, prefix)
            if self.report is None and self.error is None:
                self.report = Report()

    def document(self) -> dict[str, Any] | None:
        """The app's JSON document, every place named from the root."""
        return None if self.view is None else self.view.rebased(self.label).document()

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
        row["exit_code"] = self.run.code
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
        for key, (fingerprint, path, line) in app.run.shared.items():
            shown = under(app.label, path) if path else None
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
        code_keys=sum(r.code_keys for r in reports),
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
                echo(for_terminal(f"{app.label}: no env files"))
            continue
        if app.error is not None:
            echo(for_terminal(f"{app.label}: error: {app.error}"), err=True)
            if app.hint:
                echo(for_terminal(f"  hint: {app.hint}"), err=True)
            continue
        assert app.report is not None
        if quiet and not app.report.findings:
            continue
        echo(_header(app))
        text = render(app.report, "text", color=color, quiet=quiet, verbose=verbose)
        if text:
            echo(text)
        echo(for_terminal(f"{app.label}: ") + summary(app.report))
    if extra:
        echo("== workspace (across apps) ==")
        echo(render(Report(findings=extra), "text", color=color, quiet=quiet))


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
        echo(for_terminal(total) + summary(merged), err=True)
    elif fmt == "json":
        from envcheck.report.json import dumps, to_dict

        document = to_dict(merged.replace(base=""))
        document["workspace"] = workspace_entry(workspace)
        document["apps"] = [a.entry() for a in apps]
        echo(dumps(document))
    elif fmt != "text":
        text = render(merged, fmt)
        if text:
            echo(text)
    if not apps:
        echo(_nothing_line(workspace), err=True)
    codes = [a.run.code for a in apps]
    if extra and any(f.severity is Severity.ERROR for f in extra):
        codes.append(1)
    if nothing and kwargs.get("strict"):
        codes.append(1)
    return worst(codes)


def _outputs(command: str, workspace: Workspace, apps: Sequence[_App], fmt: str) -> int:
    if fmt == "json":
        from envcheck.report.json import VERSION, dumps

        documents = [a.document() for a in apps]
        rows = [
            {"name": a.name, "path": a.label, "exit_code": a.run.code, "error": a.error,
             "document": d}
            for a, d in zip(apps, documents, strict=True)
        ]  # fmt: skip
        document: dict[str, Any] = {
            "version": VERSION,
            "tool": "envcheck",
            "workspace": workspace_entry(workspace),
        }
        if any(d is not None and "findings" in d for d in documents):  # diff: every app's
            found = (f for d in documents if d is not None for f in d.get("findings", ()))
            document["findings"] = list({json.dumps(f, sort_keys=True): f for f in found}.values())
        document["apps"] = rows
        echo(dumps(document))
    elif fmt == "sarif":
        from envcheck.report.json import dumps
        from envcheck.report.sarif import to_dict

        logs = [
            to_dict(report.rebased())  # each app's places from the working directory
            for a in apps
            if a.view is not None and (report := a.view.report(fmt)) is not None
        ]
        if logs:
            echo(dumps({**logs[0], "runs": [run for log in logs for run in log["runs"]]}))
    for app in apps:
        if app.nothing:  # probe: this app has no key to probe
            echo(for_terminal(f"{app.label}: nothing to probe"), err=True)
            continue
        if fmt == "text":
            echo(for_terminal(f"== {app.label} =="))
        if fmt in ("text", "github") and app.view is not None:
            echo(app.view.stdout(fmt), nl=False)
        if app.error is not None:
            echo(for_terminal(f"{app.label}: error: {app.error}"), err=True)
            if app.hint:
                echo(for_terminal(f"  hint: {app.hint}"), err=True)
    if not apps:
        echo(_nothing_line(workspace), err=True)
    codes = [a.run.code for a in apps]
    if apps and all(a.nothing for a in apps):  # probe: no app has anything to probe
        why = apps[0].run.error_if_all
        echo(for_terminal(f"envcheck: error: {why} (in every app)"), err=True)
        if apps[0].hint:
            echo(for_terminal(f"  hint: {apps[0].hint}"), err=True)
        codes.append(2)
    return worst(codes)


def emit(
    command: str,
    workspace: Workspace,
    labels: Sequence[str],
    results: Sequence[AppRun],
    kwargs: dict[str, Any],
    shared: Sequence[str],
) -> int:
    """Print the workspace's output for ``command``; return the exit code."""
    names = {a.path: a.name for a in workspace.apps}
    apps = [
        _App(label, names.get(label, "(root)"), run, command)
        for label, run in zip(labels, results, strict=True)
    ]
    for app in apps:  # what each app's run said beside its output, labelled
        for line in app.run.notes:
            if line.strip():
                echo(for_terminal(f"{app.label}: {line}"), err=True)
    if command in ("check", "lint", "guard"):
        return _reports(command, workspace, apps, kwargs, shared)
    return _outputs(command, workspace, apps, str(kwargs.get("fmt", "text")))
