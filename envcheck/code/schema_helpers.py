"""Schema keys whose validator is a function of another file: looked up past the file.

homarr's t3-env files write each flag as ``DEMO_MODE: createBooleanSchema(false)``, the
function exported by ``packages/core/src/infrastructure/env/schemas.ts``::

    export const createBooleanSchema = (defaultValue: boolean) =>
      z.stringbool({ ... }).default(defaultValue);

and imported from ``@homarr/core/infrastructure/env`` (a workspace package whose
``index.ts`` re-exports ``export * from "./schemas"``) or from ``"../env/schemas"``.  Read
one file at a time (:mod:`envcheck.code.raw`), every such key looked required and asserted,
and EC901 reported each flag of the app.  So each file says what it can alone: the names it
exports of functions returning an optional schema (``FileFacts.schema_helpers``), and the
schema reads that wait on an imported one (``FileFacts.helper_reads``).  Here they meet:

* in the package (:func:`settle_in_package`), for an import of a file of the same package
  -- relative, an alias (``@/``, ``~/``, ``#``), or the package's own name: the file the
  import names and the files it links to, followed a few steps (a barrel's ``export *
  from``), when the import resolves to a file; else any file of the package exporting
  the name;
* in the workspace (:func:`settle`, from :func:`envcheck.workspace.apps.app_facts`), for
  an import of another package by name: that package, if it is one of the app's
  libraries, exporting the name.

Found, the read is ``optional`` (the schema has a default: the app runs without the key)
and neither asserted nor refusing ``KEY=``; not found, it stays as the file read it.
Linear: one set of names per package, a bounded walk per read.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from envcheck.code.facts import EnvRead
    from envcheck.code.raw import FileFacts

__all__ = ["package_name", "settle", "settle_in_package"]

_FOLLOW = 16
"""Files looked at from the one an import names, through its relative links (a barrel's
re-exports), for the function."""
_OWN_ALIASES = ("./", "../", "@/", "~/", "#")


def package_name(spec: str) -> str:
    """The package a bare specifier names: ``@a/b/c`` -> ``@a/b``, ``a/b`` -> ``a``."""
    parts = spec.split("/")
    return "/".join(parts[: 2 if spec.startswith("@") else 1])


def settle(read: EnvRead, optional: Collection[str]) -> EnvRead:
    """``read`` with its :attr:`~envcheck.code.facts.EnvRead.helper` looked up in the names
    ``optional`` (those the file or package it names exports of functions returning an
    optional schema): optional when found, as it was when not; no helper either way."""
    if read.helper is None:
        return read
    if read.kind == "required" and read.helper[1] in optional:
        return read.replace(kind="optional", asserted=False, rejects_empty=False, helper=None)
    return read.replace(helper=None)


def settle_in_package(
    read: EnvRead,
    rel: str,
    per_file: Mapping[str, FileFacts],
    files: set[str],
    everywhere: Collection[str],
    own: str | None,
) -> EnvRead:
    """``read`` (of the package file ``rel``) with its helper looked up in the package when
    the import names a file of it (see the module's docstring); ``files``: the package's
    files (``per_file``'s keys), ``everywhere``: every name they export so, ``own``: the
    package's name.  An import of another package keeps its helper, for the workspace."""
    if read.helper is None:
        return read
    module, name = read.helper
    if module.startswith(_OWN_ALIASES) or module == "." or module == "..":
        from envcheck.code.sides import _resolve

        target = None if module.startswith("#") else _resolve(rel, module, files)
        if target is None:
            return settle(read, everywhere)
        return settle(read, {name} if _exported_from(target, name, per_file, files) else ())
    if own and (module == own or module.startswith(own + "/")):
        return settle(read, everywhere)
    return read


def _exported_from(
    target: str, name: str, per_file: Mapping[str, FileFacts], files: set[str]
) -> bool:
    """Whether ``target`` or a file it links to relatively (a barrel's ``export * from
    "./schemas"``), at most :data:`_FOLLOW` files, exports ``name`` so."""
    from envcheck.code.sides import _resolve

    seen = {target}
    queue = [target]
    while queue and len(seen) <= _FOLLOW:
        file = queue.pop(0)
        facts = per_file[file]
        if name in facts.schema_helpers:
            return True
        for spec in facts.links:
            if not spec.startswith("."):
                continue
            found = _resolve(file, spec, files)
            if found is not None and found not in seen:
                seen.add(found)
                queue.append(found)
    return False
