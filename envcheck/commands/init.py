"""``envcheck init``: draft envcheck.toml from .env.example and the current env files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import project_options
from envcheck.errors import ConfigError
from envcheck.report.sanitize import for_terminal


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
    """Write envcheck.toml listing the keys this project uses, never copying a secret."""
    from envcheck.schema.example import parse_example
    from envcheck.schema.init import draft, refuse_overwrite, render, write_config
    from envcheck.secret import reveal
    from envcheck.sources.templates import find_example

    project_dir: Path = opts.get("project_dir") or Path.cwd()
    refuse_overwrite(project_dir, force=force)
    sources: list[str] = []
    example = []
    if from_example is not False:
        name = find_example(project_dir)
        if name is None and from_example:
            raise ConfigError(
                "no .env.example (or .env.local.example, .env.sample, .env.template, "
                "example.env, …) found",
                where=str(project_dir),
                hint="use --from-env to draft from the current env files",
            )
        if name is not None:
            text = (project_dir / name).read_text(encoding="utf-8", errors="replace")
            example = parse_example(text, name)
            sources.append(name)
    current: dict[str, str] = {}
    framework = opts.get("framework") if opts.get("framework") != "auto" else None
    if from_example is not True:
        from envcheck.commands.common import load_project

        project = load_project(**{**opts, "project_dir": project_dir, "no_process_env": True})
        framework = project.profile.name
        for parsed in project.resolution.parsed:
            for key in parsed.values():
                resolved = project.resolution.vars.get(key)
                current.setdefault(key, reveal(resolved.value) if resolved else "")
        sources.extend(project.resolution.files)
    elif framework is None:
        from envcheck.sources.detect import detect

        framework = detect(project_dir)
    keys = draft(example, current)
    if not keys:
        raise ConfigError(
            "found no keys to describe",
            where=str(project_dir),
            hint="add a .env.example listing the keys your app reads",
        )
    text = render(keys, framework=framework, sources=sources)
    readers = _root_readers(project_dir, sources)
    if readers:
        text += _workspace_scope(readers)
    path = write_config(project_dir, text, force=force)
    done = f"envcheck: wrote {path.name} with {len(keys)} keys from {', '.join(sources)}"
    if readers:
        done += f" (for the apps that read them: {', '.join(readers)})"
    click.echo(for_terminal(done), err=True)
    return 0


def _root_readers(project_dir: Path, sources: list[str]) -> list[str]:
    """At a workspace root whose env files only some apps read: those apps.

    Without this the drafted schema would apply to every app without its own
    (``envcheck.workspace.context``) and hold a Vite frontend to the keys of
    the backend that reads the root's ``.env``.  Empty when this is not a
    workspace root, or no app reads the files (the schema is then for all).
    """
    from envcheck.workspace.markers import workspace_kind

    if not sources or workspace_kind(project_dir) is None:
        return []
    from envcheck.workspace.sources import apps_reading

    return apps_reading(project_dir, sources)


def _workspace_scope(readers: list[str]) -> str:
    names = ", ".join(f'"{r}"' for r in readers)
    return (
        "\n# A workspace root: these keys are for the apps that read the files above;\n"
        "# an app with its own envcheck.toml or .env.example uses that instead.\n"
        f"[workspace]\napps = [{names}]\n"
    )
