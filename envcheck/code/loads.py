"""A load as the code wrote it -> the project-relative paths the runtime would open.

Resolution is lexical (``posixpath.normpath``), as Node's ``path.resolve``
and Python's ``os.path.join`` are: nothing is looked up on disk, so a path
is a fact whether or not the file exists, and a path that leaves the
project root is flagged ``outside`` and never read here.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping

from envcheck.code.facts import EnvLoad, LoadBase, LoadTarget
from envcheck.code.raw import MODE, NAMED, OTHER, UNSET, RawLoad

__all__ = ["MODES", "file_for_mode", "name_the_file", "resolve_load"]

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


def _run_from_its_folder(base: str, spec: str, rel: str, file_rel: str) -> str | None:
    """The path a bare relative ``spec`` names from its own file's folder, when that is the
    only working directory it makes sense from: from the package folder it leaves the
    project, from the file's folder it stays inside (anything-llm's example scripts,
    "execute this example from within the example folder":
    ``dotenv.config({path: "../../../../.env.development"})`` is ``server/.env.development``).
    Node resolves it against ``process.cwd()``, and a file no package script starts runs
    from wherever its author starts it: the path's own ``..`` count says where."""
    if base != "cwd" or not _outside(rel):
        return None
    mine = posixpath.normpath(posixpath.join(posixpath.dirname(file_rel), spec))
    return None if _outside(mine) else mine


def resolve_load(
    raw: RawLoad,
    file_rel: str,
    package_rel: str,
    root: str,
    *,
    cwd_known: bool = True,
) -> EnvLoad:
    """``raw`` from the file ``file_rel`` of the package ``package_rel`` (both relative to
    the absolute ``root``, posix; ``"."`` for the root itself).

    ``cwd_known``: a package script starts the file, so its working directory is the
    package folder; else a bare relative path that only stays in the project from the
    file's own folder is taken from there (:func:`_run_from_its_folder`)."""
    loader, target, specs, resolved, line, col, helper = raw
    if helper is not None:  # the file's name is a function's: the workspace finds it
        base, spec = specs[0]
        paths: list[str] = []
        modes: list[str] = []
        pattern: str | None = _relative(base, spec, file_rel, package_rel, root)
        first_base, outside, resolved = base, False, False
    else:
        paths, modes, pattern, first_base, outside = _spread(
            specs, target, file_rel, package_rel, root, cwd_known
        )
    return EnvLoad(
        loader=loader,
        target=_TARGETS.get(target, "file"),
        paths=tuple(paths),
        modes=tuple(modes) if pattern is not None else (),
        pattern=pattern,
        base=_BASES.get(first_base, "cwd"),
        outside=outside,
        resolved=resolved,
        file=file_rel,
        line=line,
        col=col,
        helper=helper,
    )


def _spread(
    specs: tuple[tuple[str, str], ...],
    target: str,
    file_rel: str,
    package_rel: str,
    root: str,
    cwd_known: bool,
) -> tuple[list[str], list[str], str | None, str, bool]:
    """The files a load's path specs name (each parent folder for a search, each mode for
    a ``NODE_ENV`` template), their modes, the template, the first spec's base, and
    whether one leaves the project."""
    paths: list[str] = []
    modes: list[str] = []
    pattern: str | None = None
    outside = False
    first_base = specs[0][0] if specs else "cwd"
    for index, (base, spec) in enumerate(specs):
        rel = _relative(base, spec, file_rel, package_rel, root)
        mine = None if cwd_known else _run_from_its_folder(base, spec, rel, file_rel)
        if mine is not None:
            rel = mine
            if index == 0:
                first_base = "file"
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
    return paths, modes, pattern, first_base, outside


def file_for_mode(choices: Mapping[str, str], mode: str) -> str | None:
    """The file name a file-naming function (:attr:`envcheck.code.CodeFacts.namers`) gives
    in ``mode``; None where it gives none (``table[NODE_ENV]`` of a mode the table lacks).

    Development is how a developer starts the app: ``NODE_ENV=development`` where the
    function names that mode, else ``NODE_ENV`` unset, the dev scripts' usual way (novu's
    ``nest start --watch``; its table names ``local``, the default, and ``dev``, never
    ``development``).  Any other mode is its own value, else the function's ``default``."""
    if mode in choices:
        return choices[mode]
    if mode == "development" and UNSET in choices:
        return choices[UNSET]
    return choices.get(OTHER)


def name_the_file(load: EnvLoad, choices: Mapping[str, str]) -> EnvLoad:
    """``load`` (its :attr:`~envcheck.code.EnvLoad.helper` found) with the file named in
    each mode: one path per mode, as a ``NODE_ENV`` template gives, so the committed
    ``.env.test`` is loaded in test mode only."""
    pattern = load.pattern or NAMED
    paths: list[str] = []
    modes: list[str] = []
    for mode in MODES:
        name = file_for_mode(choices, mode)
        if name is None:
            continue
        paths.append(posixpath.normpath(pattern.replace(MODE, mode).replace(NAMED, name)))
        modes.append(mode)
    return load.replace(
        paths=tuple(paths),
        modes=tuple(modes),
        outside=any(_outside(p) for p in paths),
        resolved=True,
        helper=None,
    )
