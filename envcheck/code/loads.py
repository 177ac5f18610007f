"""A load as the code wrote it -> the project-relative paths the runtime would open.

Resolution is lexical (``posixpath.normpath``), as Node's ``path.resolve``
and Python's ``os.path.join`` are: nothing is looked up on disk, so a path
is a fact whether or not the file exists, and a path that leaves the
project root is flagged ``outside`` and never read here.
"""

from __future__ import annotations

import os
import posixpath

from envcheck.code.facts import EnvLoad, LoadBase, LoadTarget
from envcheck.code.raw import MODE, RawLoad

__all__ = ["MODES", "resolve_load"]

MODES = ("development", "production", "test")
"""The values of ``NODE_ENV`` (and Vite's modes) a mode-dependent path is expanded for."""

_TARGETS: dict[str, LoadTarget] = {"file": "file", "dir": "dir", "search": "search"}
_BASES: dict[str, LoadBase] = {"file": "file", "cwd": "cwd", "absolute": "absolute"}


def _outside(rel: str) -> bool:
    return rel == ".." or rel.startswith("../") or rel.startswith("/")


def _relative(base: str, spec: str, file_rel: str, package_rel: str, root: str) -> str:
    if base == "absolute":  # project-relative if it lies in the root, else kept as written
        rel = os.path.relpath(spec, root).replace(os.sep, "/")
        return posixpath.normpath(spec) if _outside(rel) else rel
    folder = posixpath.dirname(file_rel) if base == "file" else package_rel
    return posixpath.normpath(posixpath.join(folder, spec))


def resolve_load(raw: RawLoad, file_rel: str, package_rel: str, root: str) -> EnvLoad:
    """``raw`` from the file ``file_rel`` of the package ``package_rel`` (both relative to
    the absolute ``root``, posix; ``"."`` for the root itself)."""
    loader, target, specs, resolved, line, col = raw
    paths: list[str] = []
    modes: list[str] = []
    pattern: str | None = None
    outside = False
    for base, spec in specs:
        rel = _relative(base, spec, file_rel, package_rel, root)
        if _outside(rel):
            outside = True
        if target == "search" and not _outside(rel):
            folder, name = posixpath.split(rel)
            while True:  # find_dotenv: this folder, then each parent up to the root
                paths.append(posixpath.join(folder, name) if folder else name)
                modes.append("*")
                if not folder:
                    break
                folder = posixpath.dirname(folder)
        elif MODE in rel:
            pattern = rel
            for mode in MODES:
                paths.append(rel.replace(MODE, mode))
                modes.append(mode)
        else:
            paths.append(rel)
            modes.append("*")
    return EnvLoad(
        loader=loader,
        target=_TARGETS.get(target, "file"),
        paths=tuple(paths),
        modes=tuple(modes) if pattern is not None else (),
        pattern=pattern,
        base=_BASES.get(specs[0][0], "cwd") if specs else "cwd",
        outside=outside,
        resolved=resolved,
        file=file_rel,
        line=line,
        col=col,
    )
