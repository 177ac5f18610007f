"""The root ``envcheck.toml``'s ``[workspace]`` table: what only a workspace root says.

``shared``: keys every app must resolve to the same value (EC810).
``apps``: the apps the root's schema applies to (paths from the root).  By
default it applies to every app without a schema of its own; ``envcheck
init`` at a root writes ``apps`` when the root's env file is read by some
apps only (full-stack-fastapi-template: ``backend/`` reads ``../.env``, the
Vite ``frontend/`` never does), so the frontend is not held to the
backend's keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from envcheck.errors import ConfigError

__all__ = ["FIELDS", "schema_apps", "shared_keys"]

FIELDS = ("shared", "apps")  # the [workspace] table's fields (the config's JSON Schema lists them)


def _table(root: Path) -> dict[str, Any]:
    path = root / "envcheck.toml"
    if not path.is_file():
        return {}
    from envcheck.sources.checkout import read_text
    from envcheck.sources.structured import load_toml  # file:line:col, bounded nesting

    try:
        text = read_text(path, within=root)
    except (OSError, UnicodeDecodeError) as err:
        why = err.strerror if isinstance(err, OSError) else "not UTF-8"
        raise ConfigError(
            f"cannot read: {why}", where="envcheck.toml", hint="make it a readable UTF-8 file"
        ) from None
    section = load_toml(text, "envcheck.toml").get("workspace", {})
    if not isinstance(section, dict):
        raise ConfigError(
            "[workspace] must be a table",
            where="envcheck.toml",
            hint='e.g. [workspace] with shared = ["DATABASE_URL"]',
        )
    unknown = sorted(set(section) - set(FIELDS))
    if unknown:
        raise ConfigError(
            f"unknown [workspace] field {unknown[0]!r}",
            where="envcheck.toml",
            hint=f"[workspace] takes {', '.join(FIELDS)}",
        )
    return section


def _names(root: Path, field: str, example: str) -> tuple[str, ...] | None:
    value = _table(root).get(field)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
        raise ConfigError(
            f"[workspace] {field} must be a list of strings",
            where="envcheck.toml",
            hint=f"e.g. {field} = [{example}]",
        )
    return tuple(value)


def shared_keys(root: Path) -> tuple[str, ...]:
    """``[workspace] shared``: keys every app must agree on."""
    return _names(root, "shared", '"DATABASE_URL"') or ()


def schema_apps(root: Path) -> tuple[str, ...] | None:
    """``[workspace] apps``: the app folders the root's schema is for; None: every app."""
    found = _names(root, "apps", '"backend"')
    return None if found is None else tuple(a.strip().strip("/") for a in found)
