"""The decorator that sends a command run at a workspace root to every app.

Applied under ``@click.command`` (so it sees the command's own keyword
arguments), it adds ``--app NAME`` and, before the command starts, asks
:func:`envcheck.workspace.markers.workspace_kind` whether the directory the
command would read is a workspace root: a few ``stat`` calls, so a single
app pays almost nothing.  At a root the command runs once per app through
:mod:`envcheck.fanout.run`; anywhere else it runs as it always did.

A declaration that lists no app (``packages: []``, globs that match nothing)
leaves the root as a single project, with a note; a pnpm-workspace.yaml
without ``packages:`` (settings only) is no workspace at all.

A command given explicit files (``--env-file``, ``lint FILE``, ``diff A B``)
checks those files and nothing else, even at a root.

:func:`dispatch` is the decision without click: the command line's fast path
(:mod:`envcheck.cli`) calls it for a plain ``envcheck check``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from envcheck.report.echo import echo

if TYPE_CHECKING:
    from envcheck.fanout.run import AppRunner
    from envcheck.workspace.discover import Workspace

__all__ = ["dispatch", "workspace_hook"]

F = TypeVar("F", bound=Callable[..., Any])


def _target(command: str, kwargs: dict[str, Any]) -> Path | None:
    """The directory the command would read, or None when it was given explicit files."""
    if kwargs.get("env_files") or (command in ("lint", "guard", "diff") and kwargs.get("files")):
        return None
    if command == "check":
        return kwargs.get("directory") or kwargs.get("project_dir") or Path.cwd()
    if command in ("lint", "guard"):
        return Path.cwd()
    if command == "explain":
        words = kwargs.get("args") or ()
        if words and Path(words[-1]).is_dir():
            return Path(words[-1])
    return kwargs.get("project_dir") or Path.cwd()


def _workspace(root: Path) -> Workspace | None:
    """The workspace at ``root``, or None: a few ``stat`` calls unless it looks like a root."""
    from envcheck.workspace.markers import workspace_kind

    kind = workspace_kind(root)
    if kind is None:
        return None
    from envcheck.workspace.discover import discover

    return discover(root, kind)


def _notes(workspace: Workspace, *more: str) -> None:
    """What discovery left out, one ``envcheck: note:`` line each on stderr."""
    from envcheck.report.sanitize import for_terminal

    for note in (*workspace.notes, *more):
        echo(f"envcheck: note: {for_terminal(note)}", err=True)


def _no_such_apps(root: Path | None, workspace: Workspace | None, wanted: tuple[str, ...]) -> None:
    """``--app`` where there is no app to choose: a usage error (exit 2)."""
    from envcheck.workspace.discover import WorkspaceError

    if workspace is not None:
        from envcheck.fanout.run import select_apps

        select_apps(workspace, wanted)  # raises: names the (no) apps
    raise WorkspaceError(
        "--app is for a workspace root, and this is not one",
        where=str(root or "."),
        hint="run at the monorepo root (pnpm-workspace.yaml, package.json "
        "workspaces, turbo.json, nx.json, [tool.uv.workspace]), or drop --app",
    )


def dispatch(
    command: str, kwargs: dict[str, Any], app_run: AppRunner, run: Callable[..., Any]
) -> tuple[bool, Any]:
    """Run ``command`` (``run(**kwargs)``) once, or over every app at a workspace root.

    ``kwargs`` are the command's keyword arguments with ``apps`` (``--app``).
    Returns whether it fanned out, and ``run``'s result or the workspace's exit code.
    """
    wanted: tuple[str, ...] = kwargs.pop("apps", ()) or ()
    root = _target(command, kwargs)
    from envcheck.project import set_project_root  # before any read

    set_project_root(root or kwargs.get("project_dir") or Path.cwd())
    workspace = _workspace(root) if root is not None else None
    if workspace is None or not workspace.apps:
        if wanted:
            _no_such_apps(root, workspace, wanted)
        if workspace is not None:  # declared, but no app: the root is the project
            _notes(workspace, f"{workspace.declared_by} declares no apps: "
                              "the root is checked as a single project")  # fmt: skip
        return False, run(**kwargs)
    if command == "explain" and kwargs.get("args") and Path(kwargs["args"][-1]).is_dir():
        kwargs["args"] = tuple(kwargs["args"][:-1])
    from envcheck.fanout.run import run_workspace

    _notes(workspace)
    return True, run_workspace(command, kwargs, workspace, wanted, app_run)


def workspace_hook(command: str, app_run: AppRunner) -> Callable[[F], F]:
    """Run ``command`` over every app when it is started at a workspace root.

    ``app_run`` is the command's run of one app through the engine, returning its
    result as data (:data:`envcheck.fanout.run.AppRunner`); nothing is captured.
    """
    import click

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            fanned_out, result = dispatch(command, kwargs, app_run, functools.partial(func, *args))
            if fanned_out and result:
                click.get_current_context().exit(result)
            return result

        option = click.option(
            "--app",
            "apps",
            multiple=True,
            metavar="NAME",
            help="At a workspace root: only this app (name or path; repeatable).",
        )
        return option(wrapper)  # type: ignore[return-value]

    return decorate
