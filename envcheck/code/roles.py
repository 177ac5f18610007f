"""Whose requirement a package's reads are, from what the package is, not from its paths.

:func:`envcheck.code.sides.context_of` tells a test or a script from its path.  Two kinds
of read are no requirement of a running app whatever their path, and the package says so:

* **A command-line tool's** (:func:`command_line_tool`): a package whose start script
  (``start``, ``dev``, ...) runs a source file that begins with a ``#!`` line (openpanel's
  ``admin``: ``"start": "dotenv -e .env -c -- jiti src/cli.ts"``, and ``src/cli.ts`` starts
  ``#!/usr/bin/env node``): the package starts as a command, and it depends on no browser
  framework and no HTTP server (express-generator's ``bin/www`` has a ``#!`` line too, and
  serves the app).  Its reads are what the operator's shell gives the command, as a
  script's are: their context is ``script``.  Not a ``bin`` alone: a published program
  (karakeep's MCP server, run by an MCP client with the env its config gives) is configured
  as an app is; nor a ``#!`` file another script runs (midday's ``packages/db`` has
  ``"eval:similar": "bun run src/scripts/eval-similar-transactions.ts"`` beside the
  library every app imports).
* **Keys the package's build sets** (:func:`build_set_keys`): a key a bundler config of the
  package defines (``define: { "process.env.X": ... }`` in ``vite.config``, ``tsup.config``,
  ``webpack.config``, ...; tsup's ``env: { X: ... }``) is replaced by the build, never read
  at run time; and a published library's own version (``@openpanel/web`` reading
  ``process.env.WEB_VERSION``: a package that is not ``private``, has a ``version`` and no
  script that starts it) is written in by its release build.  Their context is ``build``.
  The runtime's and the platforms' own keys stay in :mod:`envcheck.code.runtime`.

Facts only, read from ``package.json`` and the first bytes of the files it names: nothing
is run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["BUNDLER_CONFIGS", "build_set_keys", "command_line_tool", "package_of"]

BUNDLER_CONFIGS = (
    "tsup.config.",
    "tsdown.config.",
    "vite.config.",
    "webpack.config.",
    "rollup.config.",
    "rspack.config.",
    "rsbuild.config.",
    "esbuild.config.",
    "build.config.",  # unbuild
)
"""The top-level config files of the bundlers whose ``define`` replaces ``process.env.X``."""

_DEFINED = re.compile(
    rb"""["'`](?:process\.env|import\.meta\.env)\.([A-Za-z_][A-Za-z0-9_]*)["'`]\s*:"""
)
"""A ``define`` entry: a quoted ``"process.env.X"`` (or ``import.meta.env.X``) as an object
key.  A read is never spelled so: a quoted member path is a key naming what to replace."""
_TSUP_ENV = re.compile(rb"\benv\s*:\s*\{([^{}]{0,8000})\}")
_TSUP_ENV_KEY = re.compile(rb"""(?:^|[,{\s])["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*:""")
_SOURCE = re.compile(r"^[\w./@-]+\.(?:[cm]?[jt]sx?)$")
_SHEBANG_READ = 2
_START_SCRIPTS = frozenset({"dev", "develop", "start", "serve", "preview"})
_DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "peerDependencies")
_SERVER_DEPENDENCIES = frozenset(
    {
        "express",
        "fastify",
        "koa",
        "hono",
        "@hono/node-server",
        "@nestjs/core",
        "@hapi/hapi",
        "restify",
        "polka",
        "elysia",
        "h3",
        "@remix-run/serve",
        "@remix-run/express",
        "socket.io",
    }
)
"""HTTP servers: a package depending on one serves, even through a ``#!`` entry file."""


def package_of(package_json: bytes) -> dict[str, Any]:
    """The decoded ``package.json``; empty when there is none or it is damaged."""
    if not package_json:
        return {}
    from envcheck.sources.structured import json_loads  # bounded nesting: checkout data

    try:
        data = json_loads(package_json)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _dependencies(package: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for field in _DEPENDENCY_FIELDS:
        section = package.get(field)
        if isinstance(section, dict):
            names.update(k for k in section if isinstance(k, str))
    return names


def _scripts(package: Mapping[str, Any]) -> dict[str, str]:
    scripts = package.get("scripts")
    if not isinstance(scripts, dict):
        return {}
    return {k: v for k, v in scripts.items() if isinstance(k, str) and isinstance(v, str)}


def _started_files(package: Mapping[str, Any]) -> list[str]:
    """The package-relative source files its start scripts name (``jiti src/cli.ts``:
    ``src/cli.ts``)."""
    found: dict[str, None] = {}
    scripts = _scripts(package)
    for command in (scripts[name] for name in sorted(_START_SCRIPTS & scripts.keys())):
        for word in command.split():
            word = word.strip("\"'")
            if word.startswith("./"):
                word = word[2:]
            if _SOURCE.match(word) and not word.startswith("/") and ".." not in word.split("/"):
                found[word] = None
    return list(found)


def script_named_files(package: Mapping[str, Any]) -> frozenset[str]:
    """The package-relative files any of its scripts (or its ``main``) names as a word
    (``node scripts/seed.js``, ``tsx ./src/cli.ts``): those a package manager starts with
    the package folder as the working directory."""
    words = [w for command in _scripts(package).values() for w in command.split()]
    main = package.get("main")
    if isinstance(main, str):
        words.append(main)
    found = set()
    for word in words:
        word = word.strip("\"'")
        found.add(word[2:] if word.startswith("./") else word)
    return frozenset(found)


def command_line_tool(
    package: Mapping[str, Any], browser: bool, head: Callable[[str], bytes]
) -> bool:
    """The package starts as a command-line program (see the module's docstring): a start
    script runs a ``#!`` file (``head(rel)`` gives a file's bytes, ``b""`` when it cannot be
    read); never a package with a browser framework (``browser``) or a server."""
    if not package or browser or not _dependencies(package).isdisjoint(_SERVER_DEPENDENCIES):
        return False
    return any(head(rel)[:_SHEBANG_READ] == b"#!" for rel in _started_files(package))


def _own_version_keys(package: Mapping[str, Any]) -> set[str]:
    """``WEB_VERSION`` and ``OPENPANEL_WEB_VERSION`` for ``@openpanel/web``: the names a
    release build gives a published library's own version.  Only for a package that is
    published (not ``private``, with a ``version``) and that no script of its own starts."""
    name = package.get("name")
    if (
        not isinstance(name, str)
        or not isinstance(package.get("version"), str)
        or package.get("private") is True
        or not _START_SCRIPTS.isdisjoint(_scripts(package))
    ):
        return set()

    def upper(part: str) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "_", part).strip("_").upper()

    scope, _, bare = name.rpartition("/")
    keys = {f"{upper(bare)}_VERSION"} if upper(bare) else set()
    if scope and upper(scope + "_" + bare):
        keys.add(f"{upper(scope + '_' + bare)}_VERSION")
    return keys


def build_set_keys(package: Mapping[str, Any], configs: Iterable[tuple[str, bytes]]) -> set[str]:
    """The keys the package's build replaces (see the module's docstring); ``configs`` are the
    package's top-level bundler configs (:data:`BUNDLER_CONFIGS`) as (name, bytes)."""
    keys = _own_version_keys(package)
    for name, data in configs:
        keys.update(m.decode("ascii") for m in _DEFINED.findall(data))
        if name.startswith(("tsup.config.", "tsdown.config.")):
            for block in _TSUP_ENV.findall(data):
                keys.update(m.decode("ascii") for m in _TSUP_ENV_KEY.findall(block))
    return keys
