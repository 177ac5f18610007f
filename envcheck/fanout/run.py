"""Run one command for every app of a workspace, then hand the results to :mod:`.merge`.

Each app is checked as if the command had been started in its folder
(``envcheck check apps/web``), with one difference: an app without a schema
of its own uses the root's (:mod:`envcheck.workspace.context`).  Every command
gives the hook an *app runner*, which runs one app through the engine and
returns its :class:`~envcheck.fanout.result.AppRun`: a report (check, lint,
guard) or a typed view (explain, diff, probe), its places named as the app
names them (:mod:`.merge` moves them to the root).  The runs go through
:func:`envcheck.fanout.pool.run_all` (bounded, in parallel); nothing is
printed until the merge.
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.errors import EnvcheckError, NothingToProbe
from envcheck.fanout.pool import run_all
from envcheck.fanout.result import AppRun, SharedValues
from envcheck.secret import Fingerprinter
from envcheck.workspace.config import shared_keys
from envcheck.workspace.discover import ROOT_APP, App, Workspace, WorkspaceError

if TYPE_CHECKING:
    from envcheck.project import Project

__all__ = ["REPORT_COMMANDS", "AppRunner", "run_workspace", "select_apps"]

AppRunner = Callable[[dict[str, Any]], tuple[AppRun, "Project | None"]]
"""A command's run of one app: its keyword arguments in, the app's result out (and, for
``check``, the loaded project, whose values the EC810 comparison reads)."""

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
    return call


def _shared_values(
    project: Project, shared: Sequence[str], fingerprint: Fingerprinter
) -> SharedValues:
    """key -> (fingerprint, file as the app names it, line) for the shared keys a file sets."""
    found: SharedValues = {}
    for key in shared:
        resolved = project.resolution.vars.get(key)
        if resolved is None or resolved.origin.is_process:
            continue  # the process environment is the same for every app
        found[key] = (fingerprint(resolved.value), resolved.origin.source, resolved.origin.line)
    return found


def _failed(err: Exception) -> AppRun:
    """An app that could not be checked: its error as data (one app's usage error is not
    the run's)."""
    if isinstance(err, NothingToProbe):
        # one app without keys is not an error; a workspace where no app has any is
        return AppRun(nothing=True, error_if_all=str(err), hint=err.hint)
    if isinstance(err, EnvcheckError):
        return AppRun(err.exit_code, error=str(err), hint=err.hint)
    return AppRun(2, error=err.format_message())  # type: ignore[attr-defined] # a ClickException


def _user_error(err: Exception) -> bool:
    """An error the user can fix: envcheck's own, or click's (a usage error of the app's
    arguments).  Without click imported, none of click's was raised: the fast path of a
    plain ``check`` (:mod:`envcheck.cli`) runs without it."""
    click = sys.modules.get("click")
    return isinstance(err, EnvcheckError) or (
        click is not None and isinstance(err, click.ClickException)
    )


def _one_app(
    command: str,
    app_run: AppRunner,
    kwargs: dict[str, Any],
    root: Path,
    rel: str,
    framework: str | None,
    shared: Sequence[str],
    fingerprint: Fingerprinter,
) -> AppRun:
    from envcheck.workspace.current import SCHEMA_ROOT

    directory = _shown_dir(root, rel)
    call = _app_kwargs(command, kwargs, directory)
    if call is None:
        return AppRun(nothing=True)
    if framework is not None and call.get("framework") == "auto":
        call["framework"] = framework  # the root's compose project (discover.App.framework)
    token = SCHEMA_ROOT.set(root if rel != ROOT else None)
    try:
        result, project = app_run(call)
        if shared and project is not None and result.code != 2:
            result.shared = _shared_values(project, shared, fingerprint)
        return result
    except Exception as err:
        if not _user_error(err):
            raise
        return _failed(err)
    finally:
        SCHEMA_ROOT.reset(token)


def _scan_once(workspace: Workspace, apps: Sequence[App], before_fork: Callable[[], None]) -> None:
    """Read the code of the checked apps and their libraries once per run, when any app
    depends on a library.

    An app's check reads its own code and its libraries' (and may ask about the other
    apps that run a library); each process memoizes what it read
    (:func:`envcheck.workspace.apps.package_facts`), so forked workers would each read a
    library 200 apps depend on again.  Then the folders are read first, and the workers
    that check the apps inherit the facts.  With no library, an app's folder is read by
    the one task that checks it, in whichever worker runs it: read here it was one walk
    after another in this process (a warm run of 10 apps of 500 files spent a fifth of
    its time there, on one core) while the workers waited.  A folder whose facts the
    cache holds whole (no source file changed), or that has no source file, costs a walk,
    taken here; only the folders that must be parsed go to a pool, each to one worker
    (``before_fork`` called first: no thread may run across a fork).
    """
    from envcheck.workspace.apps import (
        cached_facts,
        libraries_by_package,
        package_facts,
        remember_facts,
    )

    closures = libraries_by_package(workspace)
    libraries: dict[str, Path] = {}
    for app in apps:
        libraries.update((lib.path, lib.directory) for lib in closures.get(app.path, ()))
    if not libraries:
        return  # each app's own folder is read by its own task
    # With a library, an app's check may ask what the other apps that run it read
    # (:func:`envcheck.workspace.sources.set_where_the_library_runs`): every folder first.
    folders = {**{a.path: a.directory for a in apps}, **libraries}
    misses = [d for d in folders.values() if cached_facts(d) is None]
    if not misses:
        return  # a warm run: no pool at all
    before_fork()
    facts = run_all([partial(package_facts, d) for d in misses])
    for directory, found in zip(misses, facts, strict=True):
        remember_facts(directory, found)


def _nothing_to_wait_for() -> None:
    """No listing runs (commands other than ``check``)."""


def _share_git(root: Path) -> Callable[[], None]:
    """Start listing ``root``'s repository once for every app
    (:func:`envcheck.rules.gitfiles.share`) on a thread; the returned call waits for it.

    The listing is two ``git ls-files`` (some 20 ms of waiting at a root of 200 apps): it
    runs while this process picks the apps and reads their libraries, and is joined
    before the workers fork (no thread may run across a fork).  A failure shares nothing
    (each app asks git itself), as when ``share`` finds no repository.
    """
    import threading

    from envcheck.rules import gitfiles

    def listing() -> None:
        try:
            gitfiles.share(root)
        except Exception:  # noqa: BLE001 - nothing shared: each app asks git itself
            gitfiles.unshare()

    thread = threading.Thread(target=listing, name="envcheck-git-listing", daemon=True)
    thread.start()
    return thread.join


def run_workspace(
    command: str,
    kwargs: dict[str, Any],
    workspace: Workspace,
    wanted: Sequence[str],
    app_run: AppRunner,
) -> int:
    """Run ``command`` for each app of ``workspace`` (``app_run``: one app); print; the
    worst exit code."""
    from envcheck.sources.checkout import checking_many_apps

    with checking_many_apps():  # what every app would ask again, answered once for the run
        return _run_apps(command, kwargs, workspace, wanted, app_run)


def _run_apps(
    command: str,
    kwargs: dict[str, Any],
    workspace: Workspace,
    wanted: Sequence[str],
    app_run: AppRunner,
) -> int:
    from envcheck.fanout import merge
    from envcheck.rules import gitfiles

    root = workspace.root
    # shared work, once per run, before the workers fork: one discovery and listing of
    # the repository (on a thread meanwhile), the libraries' code
    shared_listing = _share_git(root) if command == "check" else _nothing_to_wait_for
    try:
        apps = select_apps(workspace, wanted)
        if not wanted and command not in ("lint", "guard"):  # every package's env files are
            # lint's and guard's; libraries, tools and empty packages are not apps to check
            from envcheck.workspace.apps import checked_apps

            apps = checked_apps(workspace, apps, code=not kwargs.get("no_code"))
        labels = [a.path for a in apps]
        if command in ("lint", "guard") and not wanted and ROOT not in labels:
            labels.insert(0, ROOT)  # the root's own env files (read by apps through ../../.env)
        shared = shared_keys(root) if command == "check" else ()
        fingerprint = Fingerprinter()
        frameworks = {a.path: a.framework for a in apps if command not in ("lint", "guard")}
        tasks = [
            partial(
                _one_app, command, app_run, kwargs, root, rel, frameworks.get(rel), shared,
                fingerprint,
            )
            for rel in labels
        ]  # fmt: skip
        if command == "check" and not kwargs.get("no_code"):
            _scan_once(workspace, apps, shared_listing)
    finally:
        shared_listing()  # joined before any fork (a second join returns at once)
    try:
        results = run_all(tasks)
    finally:
        gitfiles.unshare()
    return merge.emit(command, workspace, labels, results, kwargs, shared)
