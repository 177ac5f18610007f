"""A pydantic-settings class's ``env_file``, read from the source without importing it.

``model_config = SettingsConfigDict(env_file=...)`` (pydantic-settings 2) and
``class Config: env_file = ...`` (pydantic 1 style), a string or a tuple /
list of strings, are read with :mod:`ast` from the app's Python files; a
value that is not a literal (``Path(__file__).parent / ".env"``) is not
guessed.  pydantic-settings resolves a relative ``env_file`` against the
working directory the app is started from; envcheck assumes that is the
app's folder (the one holding ``pyproject.toml``), as
``cd backend && fastapi run`` has it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from envcheck.model import FrozenRecord
from envcheck.sources.checkout import read_bytes

__all__ = ["SettingsEnvFile", "static_env_files"]

MAX_DEPTH = 4
MAX_FILES = 2000
_SKIP = frozenset(
    {"node_modules", "venv", "env", "__pycache__", "site-packages", "tests", "test", "migrations",
     "alembic", "dist", "build"}
)  # fmt: skip
_CONFIG_CALLS = ("SettingsConfigDict", "ConfigDict", "dict")


class SettingsEnvFile(FrozenRecord):
    """The ``env_file`` of one settings class, as written, and where it is declared."""

    __slots__ = ("files", "where")
    files: tuple[str, ...]
    where: str

    def __init__(self, files: tuple[str, ...], where: str) -> None:
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "where", where)


def _literal(node: Any) -> tuple[str, ...] | None:
    import ast

    if isinstance(node, ast.Constant):
        if node.value is None:
            return ()
        return (node.value,) if isinstance(node.value, str) else None
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
        if len(items) == len(node.elts):
            return tuple(items)
    return None


def _call_name(node: Any) -> str:
    import ast

    func = getattr(node, "func", None)
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _class_env_file(cls: Any) -> tuple[tuple[str, ...], int] | None:
    import ast

    for stmt in cls.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = stmt.value
            if "model_config" in names and isinstance(value, ast.Call):
                if _call_name(value) in _CONFIG_CALLS:
                    for kw in value.keywords:
                        if kw.arg == "env_file" and (files := _literal(kw.value)) is not None:
                            return files, kw.value.lineno
        elif isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if (
                    isinstance(inner, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "env_file" for t in inner.targets)
                    and (files := _literal(inner.value)) is not None
                ):
                    return files, inner.lineno
    return None


def _python_files(app_dir: Path) -> list[Path]:
    out: list[Path] = []
    base_depth = len(app_dir.parts)
    for current, dirs, files in os.walk(app_dir):
        here = Path(current)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and d not in _SKIP
        ) if len(here.parts) - base_depth < MAX_DEPTH else []  # fmt: skip
        out.extend(here / f for f in sorted(files) if f.endswith(".py"))
        if len(out) >= MAX_FILES:
            break
    return out


def static_env_files(app_dir: Path) -> SettingsEnvFile | None:
    """The first settings class (by file path) whose ``env_file`` is a literal, if any."""
    import ast

    for path in _python_files(app_dir):
        try:
            data = read_bytes(path, within=app_dir)
        except OSError:
            continue
        if b"env_file" not in data or b"Settings" not in data:
            continue
        try:
            tree = ast.parse(data, filename=str(path))
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                found = _class_env_file(node)
                if found is not None:
                    rel = path.relative_to(app_dir).as_posix()
                    return SettingsEnvFile(found[0], f"{rel}:{found[1]}")
    return None
