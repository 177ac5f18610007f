"""``--target``/``--phase`` options, and ``envcheck targets``: the deploy targets found.

Imported by ``check`` and ``explain`` at start-up, so it imports click only;
the readers load when a target is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

TARGET_HELP = (
    "Check the deploy target NAME (fly, k8s:deployment/web, render:web, netlify:production, "
    "heroku, vercel, compose:prod, github:deploy.yml/job; `envcheck targets` lists them) "
    "instead of the env files."
)


def target_options(func: F) -> F:
    """``--target NAME`` and ``--phase build|start`` (they reach ``load_project`` in ``opts``)."""
    func = click.option(
        "--phase",
        type=click.Choice(["build", "start"]),
        default=None,
        help="build: only keys the build needs (public ones, phase = build); "
        "start (default with --target): keys the running app reads.",
    )(func)
    return click.option("--target", default=None, metavar="NAME", help=TARGET_HELP)(func)


def _describe(item: Any) -> str:
    from envcheck.targets.model import VALUE

    return (
        "value" if item.kind == VALUE else f"{item.kind}: {item.store}" if item.store else item.kind
    )


@click.command("targets")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def targets(directory: Path | None, fmt: str) -> int:
    """List the deploy targets the project's manifests define, and the keys each sets.

    Values are never shown: a key is listed with how it is set (a value in
    the manifest, a secret store, the platform).
    """
    import os

    from envcheck.project import set_project_root
    from envcheck.report.sanitize import for_terminal
    from envcheck.targets.discover import discover
    from envcheck.targets.platforms import PLATFORMS

    project_dir = directory or Path.cwd()
    set_project_root(project_dir)
    found = discover(project_dir, os.environ)
    if fmt == "json":
        from envcheck.report.json import dumps

        document = {
            "targets": [
                {
                    "name": t.name,
                    "platform": t.platform,
                    "manifest": t.manifest,
                    "docs": PLATFORMS[t.platform].docs if t.platform in PLATFORMS else None,
                    "outside": t.outside or None,
                    "keys": {
                        k: {
                            "kind": i.kind,
                            "store": i.store or None,
                            "source": i.origin.source,
                            "line": i.origin.line,
                            "col": i.origin.col,
                        }
                        for k, i in t.keys.items()
                    },
                    "build": sorted(t.build),
                    "notes": t.notes,
                }
                for t in found.targets.values()
            ],
            "unreadable": {where: str(err) for where, err in found.failed.items()},
        }
        click.echo(dumps(document))
        return 0
    if not found.targets:
        click.echo("no deploy targets found")
    for target in found.targets.values():
        click.echo(for_terminal(f"{target.name}  ({target.manifest}, {len(target.keys)} keys)"))
        for key, item in target.keys.items():
            click.echo(for_terminal(f"  {key:<32} {_describe(item):<40} {item.origin}"))
        if target.outside:
            click.echo(for_terminal(f"  note: {target.outside}"))
        for note in dict.fromkeys(target.notes):
            click.echo(for_terminal(f"  note: {note}"))
    for where, err in found.failed.items():
        click.echo(for_terminal(f"unreadable: {where}: {err}"), err=True)
    return 0
