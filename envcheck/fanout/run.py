"""Run one command for every app of a workspace, then hand the outcomes to :mod:`.merge`.

Each app is checked as if the command had been started in its folder
(``envcheck check apps/web``), with two differences: an app without a
schema of its own uses the root's (:mod:`envcheck.workspace.context`), and report commands
(check, lint, guard) are asked for JSON, which :mod:`.merge` turns back
into one report per app with paths relative to the root.  The runs go
through :func:`envcheck.fanout.pool.run_all` (bounded, in parallel).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from pathlib import Path
from typing import Any

import click

from envcheck.errors import EnvcheckError, NothingToProbe
from envcheck.fanout.pool import AppOutcome, run_all
from envcheck.secret import Fingerprinter
from envcheck.workspace.config import shared_keys
from envcheck.workspace.discover import ROOT_APP, App, Workspace, WorkspaceError

__all__ = ["REPORT_COMMANDS", "run_workspace", "select_apps"]

REPORT_COMMANDS = ("check", "lint", "guard")
ROOT = ROOT_APP  # the root's own files (lint, guard), and its compose project (every command)


def select_apps(workspace: Workspace, wanted: Sequence[str]) -> tuple[App, ...]:
    """The apps ``--app`` names (by package name, path or folder name); all without it."""
    if not wanted:
        return workspace.apps
    chosen: dict[str, App] = {}
    for name in wanted:
        clean = name.strip().strip("/")
        hits = [a for a in workspace.apps if clean in (a.name, a.path, posixpath.basename(a.path))]
        if not hits:
            names = ", ".join(a.path for a in workspace.apps) or "none"
            raise WorkspaceError(
                f"--app {name!r} is not an app of this workspace",
                where=workspace.declared_by,
                hint=f"apps: {names}",
            )
        chosen.update((a.path, a) for a in hits)
    return tuple(a for a in workspace.apps if a.path in chosen)


def _shown_dir(root: Path, rel: str) -> Path:
    """The app's folder as the command should see it: relative to the working directory."""
    if rel == ROOT:
        return root
    try:
        if root.absolute() == Path.cwd():
            return Path(rel)
    except OSError:
        pass
    return root / rel


def _app_kwargs(command: str, kwargs: dict[str, Any], directory: Path) -> dict[str, Any] | None:
    """The command's keyword arguments for one app; None when the app has nothing to read."""
    call = dict(kwargs)
    if command == "check":
        call.update(directory=directory, project_dir=None)
    elif command in ("explain", "diff", "probe"):
        call["project_dir"] = directory
    else:  # lint, guard: the app's env files, named relative to the working directory
        from envcheck.project import files_to_guard, files_to_lint

        files = (files_to_lint if command == "lint" else files_to_guard)(directory)
        if not files:
            return None
        call["files"] = tuple(files)
        if command == "lint" and not call.get("dialect"):
            from envcheck.sources.detect import detect
            from envcheck.sources.profiles import get_profile

            call["dialect"] = get_profile(detect(directory)).dialect
    if command in REPORT_COMMANDS:
        call.update(fmt="json", quiet=False)
    return call


def _shared_values(
    directory: Path, kwargs: dict[str, Any], shared: Sequence[str], fingerprint: Fingerprinter
) -> dict[str, tuple[str, str, int | None]]:
    """key -> (fingerprint, file as the app names it, line) for the shared keys a file sets."""
    from envcheck.project import ProjectOptions, load, load_config

    config = load_config(directory, kwargs.get("settings"))
    options = ProjectOptions(
        project_dir=directory,
        framework=kwargs.get("framework") or "auto",
        mode=kwargs.get("mode"),
        dialect=kwargs.get("dialect"),
        process_env=not kwargs.get("no_process_env"),
        services=tuple(kwargs.get("services") or ()),
    )
    project = load(options, config)
    found: dict[str, tuple[str, str, int | None]] = {}
    for key in shared:
        resolved = project.resolution.vars.get(key)
        if resolved is None or resolved.origin.is_process:
            continue  # the process environment is the same for every app
        found[key] = (fingerprint(resolved.value), resolved.origin.source, resolved.origin.line)
    return found


def _one_app(
    command: str,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    root: Path,
    rel: str,
    framework: str | None,
    shared: Sequence[str],
    fingerprint: Fingerprinter,
    ctx: click.Context | None,
) -> AppOutcome:
    from envcheck.workspace.current import SCHEMA_ROOT

    directory = _shown_dir(root, rel)
    call = _app_kwargs(command, kwargs, directory)
    if call is None:
        return AppOutcome(0, "", "", {"nothing": True})
    if framework is not None and call.get("framework") == "auto":
        call["framework"] = framework  # the root's compose project (discover.App.framework)
    token = SCHEMA_ROOT.set(root if rel != ROOT else None)
    scope: AbstractContextManager[Any] = ctx.scope(cleanup=False) if ctx else nullcontext()
    extra: dict[str, Any] = {}
    try:
        with scope:
            try:
                result = func(*args, **call)
                code = result if isinstance(result, int) else 0
            except click.exceptions.Exit as stop:
                code = stop.exit_code
            if shared and code != 2:
                extra["shared"] = _shared_values(directory, call, shared, fingerprint)
    except EnvcheckError as err:
        if isinstance(err, NothingToProbe):
            # one app without keys is not an error; a workspace where no app has any is
            return AppOutcome(0, "", "", {"nothing": True, "error_if_all": str(err),
                                          "hint": err.hint})  # fmt: skip
        return AppOutcome(err.exit_code, "", "", {"error": str(err), "hint": err.hint})
    except click.ClickException as err:
        return AppOutcome(2, "", "", {"error": err.format_message(), "hint": None})
    finally:
        SCHEMA_ROOT.reset(token)
    return AppOutcome(code, "", "", extra)


def run_workspace(
    command: str,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    workspace: Workspace,
    wanted: Sequence[str],
) -> int:
    """Run ``command`` for each app of ``workspace``; print; the worst exit code."""
    from envcheck.fanout import merge

    root = workspace.root
    apps = select_apps(workspace, wanted)
    if not wanted:  # libraries and empty packages are not apps (envcheck.workspace.apps)
        from envcheck.workspace.apps import checked_apps

        apps = checked_apps(workspace, apps, code=not kwargs.get("no_code"))
    labels = [a.path for a in apps]
    if command in ("lint", "guard") and not wanted and ROOT not in labels:
        labels.insert(0, ROOT)  # the root's own env files (read by apps through ../../.env)
    shared = shared_keys(root) if command == "check" else ()
    fingerprint = Fingerprinter()
    ctx = click.get_current_context(silent=True)
    frameworks = {a.path: a.framework for a in apps if command not in ("lint", "guard")}
    tasks = [
        partial(
            _one_app, command, func, args, kwargs, root, rel, frameworks.get(rel), shared,
            fingerprint, ctx,
        )
        for rel in labels
    ]  # fmt: skip
    outcomes = run_all(tasks)
    return merge.emit(command, workspace, labels, outcomes, kwargs, shared)
