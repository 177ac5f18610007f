"""The part of a schema that applies to a compose project: what its services are given.

A template (or a workspace root's config drafted from it for the apps) documents a file;
a compose project's containers receive only the keys its services name under
``environment:`` or through an ``env_file:`` of that file.  This sits in the workspace
layer because whether a root's config is shared with the apps is workspace data
(``[workspace] apps``, the root's markers); the compose reader below it only says which
keys the services use (:func:`envcheck.sources.loaders.compose.template_keys_used`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from envcheck.sources.loaders.compose import template_keys_used

__all__ = ["schema_for_compose"]


def schema_for_compose(schema: Any, project_dir: Path, services: Sequence[str] = ()) -> Any:
    """``schema`` as far as it applies to the compose project in ``project_dir``.

    Only a schema that is a template (no ``envcheck.toml``, no settings class), or a
    workspace root's config shared with the apps (:func:`_shared_root_config`), is
    narrowed, to the keys its services use (:func:`template_keys_used`): a template only
    documents a file, while a config file of the project's own is the user's word on what
    the project needs.
    """
    from envcheck.schema.model import Schema
    from envcheck.sources.templates import is_template

    if not isinstance(schema, Schema) or schema.settings_class is not None:
        return schema
    if schema.config_file is not None:
        documented = _shared_root_config(project_dir)
        if documented is None:
            return schema
    elif is_template(Path(schema.source).name):
        documented = schema.source
    else:
        return schema
    used = template_keys_used(project_dir, documented, services)
    if used is None:
        return schema
    return schema.replace(keys={k: s for k, s in schema.keys.items() if k in used})


def _shared_root_config(project_dir: Path) -> str | None:
    """The root file a workspace root's ``envcheck.toml`` describes (its template, else
    ``.env``) when that config is shared with the workspace's apps; None when it is the
    compose project's own.

    At a workspace root the ``envcheck.toml`` applies to the apps too (``[workspace] apps``
    names them; none named: every app), and ``init`` drafts it from the root template
    "for the root and the apps that read its files".  Such a config lists the apps' keys,
    not the compose project's: openpanel's root compose file runs database images with
    literal settings, and its ``init``-drafted config held it to the twelve keys of the
    Node apps (EC301 x12 where ``check`` alone passed).  So the compose project takes from
    it what its services are given, as from the template.  ``[workspace] apps = []`` (no
    app reads the root's files) keeps the config whole: it is the root's own.
    """
    from envcheck.workspace import markers
    from envcheck.workspace.config import schema_apps

    scope = schema_apps(project_dir)
    if scope is None and markers.workspace_kind(project_dir) is None:
        return None  # no workspace here: the config is this compose project's own
    if scope is not None and not [app for app in scope if app not in (".", "")]:
        return None
    from envcheck.sources.templates import find_example

    return find_example(project_dir) or ".env"
