"""``envcheck init``: draft envcheck.toml from .env.example and the current env files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import project_options
from envcheck.errors import ConfigError
from envcheck.report.sanitize import for_terminal

# A conventional variable name.  A line without '=' (python-dotenv and docker keep it
# as a "key") that is not one is more likely a pasted password than a name, and
# envcheck.toml is committed: such a line is not drafted.
_PLAIN_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
_SHOWN = 5  # libraries named in init's note; the rest are counted


@click.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing envcheck.toml.")
@click.option(
    "--from-example/--from-env",
    "from_example",
    default=None,
    help="Only .env.example (annotations and keys), or only the current env files; default: both.",
)
@project_options
def init(force: bool, from_example: bool | None, **opts: Any) -> int:
    """Write envcheck.toml listing the keys this project uses, never copying a secret.

    At a workspace root that has no keys of its own (the templates live in
    the apps), each app with keys gets its own envcheck.toml instead.
    """
    from envcheck.project import set_project_root

    project_dir: Path = opts.get("project_dir") or Path.cwd()
    set_project_root(project_dir)
    try:
        return _init_one(project_dir, force, from_example, opts, code=_root_is_an_app(project_dir))
    except _NoKeys as nothing:
        apps, libraries = _drafted_apps(project_dir, code=not opts.get("no_code"))
        if not apps:
            if from_example:  # asked for the template's keys, and there are none
                raise nothing.error from None
            return _write_skeleton(project_dir, force, opts)
    if libraries:
        shown = ", ".join(libraries[:_SHOWN]) + (
            f" and {len(libraries) - _SHOWN} more" if len(libraries) > _SHOWN else ""
        )
        click.echo(
            for_terminal(
                f"envcheck: no envcheck.toml for the libraries the apps import ({shown}): "
                "their keys are checked in those apps"
            ),
            err=True,
        )
    written = 0
    for app in apps:
        try:
            with _as_workspace_run(project_dir):
                drafted = _init_one(app.directory, force, from_example, opts, label=app.path)
            written += drafted == 0
        except _NoKeys:
            click.echo(for_terminal(f"envcheck: {app.path}: no keys to describe"), err=True)
        except ConfigError as err:  # this app's envcheck.toml exists, or its files are broken
            hint = f" ({err.hint})" if err.hint else ""
            click.echo(for_terminal(f"envcheck: {app.path}: {err.message}{hint}"), err=True)
    if not written:
        return _write_skeleton(project_dir, force, opts)
    return 0


def _write_skeleton(project_dir: Path, force: bool, opts: dict[str, Any]) -> int:
    """An ``envcheck.toml`` with no keys, when nothing names any: no template, no env file,
    no compose ``environment:``, no read of the code envcheck reads (a Rails app reads Ruby).
    Refusing (exit 2) left the project with nothing to add keys to; ``npm init`` and
    ``cargo init`` write a starting file, and so does this, saying where keys go.  The
    next ``check`` passes as ``check`` alone did (no key is required)."""
    from envcheck.schema.init import render_skeleton, write_config
    from envcheck.sources.detect import detect

    framework = opts.get("framework")
    if framework in (None, "auto"):
        framework = detect(project_dir)
    path = write_config(project_dir, render_skeleton(str(framework)), force=force)
    click.echo(
        for_terminal(
            f"envcheck: wrote {path.name} with no keys: found none to describe; "
            "add a [keys.NAME] section for each key the app needs"
        ),
        err=True,
    )
    return 0


class _NoKeys(Exception):
    """Nothing to draft here (the error to show if nothing is drafted anywhere)."""

    def __init__(self, error: ConfigError) -> None:
        super().__init__(str(error))
        self.error = error


def _apps(project_dir: Path) -> list[Any]:
    """The apps of the workspace rooted at ``project_dir`` (none when it is no workspace root)."""
    from envcheck.workspace.discover import discover

    workspace = discover(project_dir)
    return [a for a in workspace.apps if a.path != "."] if workspace is not None else []


def _root_is_an_app(project_dir: Path) -> bool:
    """``project_dir`` is a project of its own: no workspace root, or one whose root the
    workspace ``check`` runs as an app (path ``.``).  Else the code below it is the
    packages' code: drafted from the root, their reads would become the root's keys,
    which no ``check`` reads."""
    from envcheck.workspace.discover import ROOT_APP, WorkspaceError, discover

    try:
        workspace = discover(project_dir)
    except WorkspaceError:  # a broken declaration: reported when the apps are wanted
        return True
    if workspace is None or not workspace.apps:
        return True
    return any(a.path == ROOT_APP for a in workspace.apps)


def _drafted_apps(project_dir: Path, *, code: bool) -> tuple[list[Any], list[str]]:
    """(the packages ``init`` drafts a schema for, the paths of the libraries it leaves alone).

    Exactly the packages the workspace ``check`` runs as apps
    (:func:`envcheck.workspace.apps.classify`), less every package an app imports
    that does not run on its own -- a library, or one whose template lists what
    the importing app must set (openstatus' ``packages/db``).  An ``envcheck.toml``
    makes a package run on its own: written into rallly's ``packages/emails``
    or inbox-zero's Tinybird clients, it turned their optional reads into
    required keys of a package nothing starts (EC301 on the next ``check``) and
    took those reads from the apps that import them.
    """
    from envcheck.workspace.apps import NOT_CHECKED, classify
    from envcheck.workspace.discover import ROOT_APP, discover

    workspace = discover(project_dir)
    if workspace is None:
        return [], []
    packages = classify(workspace, code=code)
    imported = {lib.path for p in packages for lib in p.libraries}
    apps: list[Any] = []
    libraries: list[str] = []
    for package in packages:
        if package.app.path == ROOT_APP:
            continue  # drafted first, from the root's own files
        if package.kind in NOT_CHECKED or package.app.path in imported:
            libraries.append(package.app.path)
        else:  # an app, or a package with nothing of its own: ``check`` runs both
            apps.append(package.app)
    return apps, libraries


@contextmanager
def _as_workspace_run(root: Path) -> Iterator[None]:
    """Draft an app as the workspace ``check`` reads it (:mod:`envcheck.fanout.run`): with
    the root of the run known, so that the app's code facts hold the reads of the libraries
    it imports and each read's context is judged from its path in the workspace."""
    from envcheck.workspace.current import SCHEMA_ROOT

    token = SCHEMA_ROOT.set(root)
    try:
        yield
    finally:
        SCHEMA_ROOT.reset(token)


def _init_one(
    project_dir: Path,
    force: bool,
    from_example: bool | None,
    opts: dict[str, Any],
    *,
    label: str | None = None,
    code: bool = True,
) -> int:
    from envcheck.schema.example import ExampleKey, parse_example
    from envcheck.schema.init import draft, refuse_overwrite, render, write_config
    from envcheck.secret import reveal
    from envcheck.sources.checkout import ENV_FILE_CAP, read_text
    from envcheck.sources.templates import find_example

    refuse_overwrite(project_dir, force=force)
    sources: list[str] = []
    example: list[ExampleKey] = []
    if from_example is not False:
        name = find_example(project_dir)
        if name is None and from_example and label is None:
            raise ConfigError(
                "no .env.example (or .env.local.example, .env.sample, .env.template, "
                "example.env, …) found",
                where=str(project_dir),
                hint="use --from-env to draft from the current env files",
            )
        if name is not None:
            from envcheck.schema.load import separate_templates

            for one in separate_templates(project_dir, name) or [name]:  # Wasp: both templates
                try:
                    text = read_text(
                        project_dir / one, within=project_dir, cap=ENV_FILE_CAP, errors="replace"
                    )
                except OSError as err:
                    raise ConfigError(
                        f"cannot read: {err.strerror}",
                        where=one,
                        hint="make it a regular file inside the project, or use --from-env",
                    ) from None
                seen = {item.name for item in example}
                example += [k for k in parse_example(text, one) if k.name not in seen]
                sources.append(one)
    current: dict[str, str] = {}
    project = None
    framework = opts.get("framework") if opts.get("framework") != "auto" else None
    if from_example is not True:
        from envcheck.commands.common import options_from
        from envcheck.project import load_project

        options = options_from({**opts, "project_dir": project_dir, "no_process_env": True})
        project = load_project(options)
        framework = project.profile.name
        for parsed in project.resolution.parsed:
            for entry in parsed.entries:
                if entry.bare and not _PLAIN_NAME.fullmatch(entry.key):
                    continue  # a line without '=' that names no variable: a pasted password?
                resolved = project.resolution.vars.get(entry.key)
                current.setdefault(entry.key, reveal(resolved.value) if resolved else "")
        sources.extend(project.resolution.files)
    elif framework is None:
        from envcheck.sources.detect import detect

        framework = detect(project_dir)
    keys = draft(example, current)
    if example and not current.keys() >= {item.name for item in example}:
        from envcheck.rules.schema import reference_template

        assert name is not None  # the example was read from it
        reason = reference_template(project_dir, name)
        if reason is not None:
            listed = {item.name for item in example} - current.keys()
            keys = _not_required_by_a_reference(keys, listed, reason, project)
    if not keys and project is not None and project.profile.resolver is not None:
        # No template and no env file: compose's `environment:` entries are the keys
        # the services see (a compose file that sets every value inline).
        given = project.resolution.vars
        keys = draft([], {key: reveal(resolved.value) for key, resolved in given.items()})
        sources.extend(sorted({str(resolved.source) for resolved in given.values()}))
    if not keys and project is not None and code and not opts.get("no_code"):
        keys = _from_code(project)  # no template, no env file: the keys the code reads
        if keys:
            sources.append("the code's reads")
    if not keys:
        raise _NoKeys(
            ConfigError(
                "found no keys to describe",
                where=str(project_dir),
                hint="add a .env.example listing the keys your app reads",
            )
        )
    text = render(keys, framework=framework, sources=sources)
    readers = _root_readers(project_dir) if label is None else None
    if readers is not None:
        text += _workspace_scope(readers)
    path = write_config(project_dir, text, force=force)
    shown = f"{label}/{path.name}" if label else path.name
    done = f"envcheck: wrote {shown} with {len(keys)} keys from {', '.join(sources)}"
    if readers:
        done += f" (for the root and the apps that read its files: {', '.join(readers)})"
    elif readers is not None:
        done += " (for the root's own project: no app reads the root's env files)"
    click.echo(for_terminal(done), err=True)
    return 0


def _from_code(project: Any) -> dict[str, Any]:
    """Specs for the keys the app's code reads (:func:`_app_reads`)."""
    from envcheck.schema.init import draft_from_reads

    return draft_from_reads(_app_reads(project))


def _app_reads(project: Any, *, demands_only: bool = False) -> list[tuple[str, bool, str]]:
    """(key, demanded, where) of each read of the app's code, as ``check`` judges it: EC901's
    test (:func:`envcheck.rules.code.states_need`), or with ``demands_only`` the test by
    which ``check`` keeps a reference template's key (a read the app fails without,
    :func:`envcheck.rules.code.demands`), so that ``init`` drafts what ``check`` reports
    (uploadthing's playground: its layout decodes ``UPLOADTHING_TOKEN``).

    The same facts ``check`` reads (the app's code and its workspace libraries'),
    the same test of a read that demands its key, and the same keys left out: those
    the runtime or a platform sets, and those the framework's config inlines.
    A compose project (its own resolver) has no code facts, as in ``check``.
    """
    if project.profile.resolver is not None:
        return []
    from envcheck.code.runtime import runtime_set
    from envcheck.rules.code import demands, in_workspace, states_need  # as check judges them
    from envcheck.workspace.apps import app_facts

    facts = in_workspace(app_facts(project.project_dir), project.project_dir)
    inlined = set(facts.inlined)
    return [
        (read.key, (demands if demands_only else states_need)(read), str(read.location))
        for read in facts.reads
        if read.key is not None
        and read.context == "app"
        and not runtime_set(read.key)
        and read.key not in inlined
    ]


def _not_required_by_a_reference(
    keys: dict[str, Any], listed: set[str], reason: str, project: Any
) -> dict[str, Any]:
    """``keys`` with the reference template's ``listed`` keys ``required = false``, as
    ``check`` judges them (:func:`envcheck.rules.schema.reference_template`): a key the
    app's code demands stays required, and so does one the current files set (the run
    has it today).  The reason goes in the description the template gave none."""
    reads = _app_reads(project, demands_only=True) if project is not None else []
    demanded = {key for key, needed, _ in reads if needed}
    return {
        name: spec.replace(required=False, description=spec.description or reason)
        if name in listed and name not in demanded and spec.required
        else spec
        for name, spec in keys.items()
    }


def _root_readers(project_dir: Path) -> list[str] | None:
    """At a workspace root: the apps that read the root's env files; None elsewhere.

    A root ``envcheck.toml`` applies to every app without a schema of its own
    (:mod:`envcheck.workspace.context`), but the keys drafted here describe the
    root's files, which a root template applied only to the apps that load
    them.  Unscoped, the draft would hold a Vite frontend (or plane's codemods
    package) to the keys of the backend, or of the compose project, that read
    the root's ``.env``: ``init`` would make the next ``check`` fail where
    ``check`` alone passed.  So the draft is scoped as the template was; an empty
    list leaves it to the root's own project.
    """
    if not _apps(project_dir):
        return None  # no workspace, or one whose only project is the root (umami's `**`)
    from envcheck.workspace.context import apps_reading

    return apps_reading(project_dir)


def _workspace_scope(readers: list[str]) -> str:
    names = ", ".join(f'"{r}"' for r in readers)
    whom = (
        "these keys are for the root and the apps that read its files"
        if readers
        else "these keys are for the root's own project (no app reads its files)"
    )
    return (
        f"\n# A workspace root: {whom};\n"
        "# an app with its own envcheck.toml or .env.example uses that instead.\n"
        f"[workspace]\napps = [{names}]\n"
    )
