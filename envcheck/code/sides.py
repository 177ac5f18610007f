"""Where each JS/TS file of a package runs: in the browser (client), on the server, or unknown.

Decided from what the file and the package say, never guessed from names alone:

* Python: server.
* ``'use client'`` at the top of a module: client; ``'use server'``: server.
* Config files (``next.config.js``, ``vite.config.ts``, ``*.config.*``): server.
* Next.js: ``pages/api/**``, ``app/**/route.*``, ``middleware.*``,
  ``instrumentation.*`` and the App Router's special files (``page``,
  ``layout``, ...) without ``'use client'``: server.
* SvelteKit: ``*.server.js|ts`` (``+page.server.ts``, ``hooks.server.ts``)
  and ``src/lib/server/**``: server.
* A Vite single-page app (Vite, and no SSR framework or ``entry-server``
  file): ``src/**`` is client.  Vite in library or SSR mode (``build.lib`` /
  ``build.ssr`` in ``vite.config.*``), or Vite only as vitest's companion (no
  ``index.html`` and no script serving with ``vite``, whatever ``vite.config.*``
  there is), is no browser app: it says nothing.
* A package with no browser framework in its ``package.json`` (a Node,
  Bun or NestJS server): server.
* Then the import graph (relative imports, and ``@/`` / ``~/`` as the package
  or its ``src/``): a file every importer of which is client is client;
  every importer of which is server is server; repeated until nothing changes.
  Tests, stories and scripts (:func:`context_of`) are not importers: they are
  not how the app runs.
* Everything else (Pages Router pages and SvelteKit ``+page.svelte`` run on both
  sides): unknown.

Astro frontmatter (server) and ``<script>`` (client) set the side of each read
directly (:mod:`envcheck.code.files`); so does a ``typeof window`` guard, whose
server branch runs on the server whatever the file (:mod:`envcheck.code.js`).

Apart from the side, :func:`context_of` says whether a file is the app's at all.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping

from envcheck.code.facts import CLIENT, SERVER, UNKNOWN, ReadContext, Side
from envcheck.code.raw import FileFacts

__all__ = ["Framework", "classify", "context_of", "starts_on_its_own"]

_JS_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts")
_RESOLVE_SUFFIXES = (*_JS_SUFFIXES, ".svelte", ".vue", ".astro")
_CONFIG = re.compile(r"^[\w.-]+\.config\.(?:[cm]?[jt]s)$")
_NEXT_SPECIAL = re.compile(
    r"^(?:src/)?app/(?:.*/)?(?:page|layout|template|loading|not-found|default|head|route"
    r"|sitemap|robots|manifest|opengraph-image|twitter-image|icon|apple-icon)\.[cm]?[jt]sx?$"
)
_NEXT_SERVER = re.compile(r"^(?:src/)?(?:pages/api/|(?:middleware|instrumentation)\.[cm]?[jt]s$)")
_SVELTEKIT_SERVER = re.compile(r"(?:^|/)[^/]*\.server\.[cm]?[jt]s$|^src/lib/server/")
_DEPENDENCY = re.compile(rb'"(@?[\w./-]+)"\s*:')
_TEST_DIRS = frozenset(
    {
        "test",
        "tests",
        "__tests__",
        "__mocks__",
        "__fixtures__",
        "e2e",
        "e2e_tests",
        "e2e-tests",
        "integration-tests",
        "integration_tests",
        "playwright",
        "cypress",
        "fixtures",
        "mocks",
        "bench",
        "benchmark",
        "benchmarks",
        "__benchmarks__",
    }
)
_SCRIPT_DIRS = frozenset({"scripts", "script", ".github"})
_EXAMPLE_DIRS = frozenset({"examples", "example"})
"""Example programs inside a package, run by hand (mem0's ``mem0-ts/src/oss/examples/llms/
mistral-example.ts`` exits without its key): see :func:`package_file_context`."""
_ROUTE_DIRS = frozenset({"app", "pages", "routes"})
_TOOL_DIRS = frozenset({"tools", "tooling"})
"""A repository's or workspace's own dev tools (``tools/migrate``, ``tooling/*``): scripts,
unless they sit inside an app or its source (:data:`_SOURCE_DIRS`), where ``tools/`` is as
likely an AI agent's tools, a route or an app named so as a script folder."""
_SOURCE_DIRS = frozenset(
    {
        "src",
        "app",
        "apps",
        "lib",
        "pages",
        "routes",
        "server",
        "api",
        "components",
        "agent",
        "agents",
    }
)
_CONFIG_DIRS = frozenset({".storybook", ".husky"})
_TEST_FILE = re.compile(
    r"\.(?:test|spec|e2e|stories|story|bench|mock|mocks|fixture|fixtures)\.[cm]?[jt]sx?$"
    r"|\.(?:test|spec|stories)\.(?:svelte|vue)$|^(?:mock|mocks|fixture|fixtures)\.[cm]?[jt]sx?$"
    r"|^test_[^/]*\.py$|_test\.py$|^conftest\.py$|^(?:setupTests|setup-tests)\.[cm]?[jt]sx?$"
    r"|^(?:vitest|jest)\.setup\.[cm]?[jt]sx?$"
)
_TOOL_CONFIG = re.compile(
    r"^(?:vitest|vitest\.workspace|jest|playwright|cypress|storybook|eslint|prettier|stylelint"
    r"|commitlint|lint-staged|knip|release|semantic-release)\.config\.[cm]?[jt]s$"
    r"|^vitest\.workspace\.[cm]?[jt]s$|^\.eslintrc\.[cm]?js$|^(?:noxfile|setup)\.py$"
    r"|^sanity\.cli\.[cm]?[jt]s$"  # the Sanity CLI's own config (sanity deploy, graphql)
)
_BROWSER_DEPS = frozenset(
    {
        "next",
        "vite",
        "react",
        "react-dom",
        "vue",
        "svelte",
        "@sveltejs/kit",
        "astro",
        "preact",
        "solid-js",
        "@angular/core",
        "react-native",
        "expo",
        "nuxt",
        "gatsby",
        "react-scripts",
        "@remix-run/react",
        "react-router",
    }
)
_SSR_DEPS = frozenset(
    {
        "@sveltejs/kit",
        "astro",
        "nuxt",
        "@remix-run/react",
        "@react-router/dev",
        "vike",
        "@solidjs/start",
        "next",
        "@tanstack/react-start",
        "@tanstack/solid-start",
        "@tanstack/start",
        "@builder.io/qwik-city",
        "@qwik.dev/router",
        "@analogjs/platform",
        "waku",
    }
)
"""Frameworks that render on the server too (a Vite app with one is no single-page app:
its ``src/`` runs on both sides, and its server functions on the server only)."""


def context_of(rel: str) -> ReadContext:
    """Whose code the file at ``rel`` (posix, package-relative) is: the app's, or a test's,
    a script's or a dev tool's config.  Decided from the path alone, so that tests, e2e
    suites, benchmarks, mocks, stories and scripts never make the app "require" what only
    they read.  ``rel`` may also be workspace-relative (``packages/e2e_tests/utils/x.ts``):
    a whole package can be a test suite, a benchmark or a dev tool, and its own files'
    paths do not say so (:func:`envcheck.rules.code.code_facts` asks with that path)."""
    folders = rel.split("/")
    name = folders.pop()
    if _TEST_FILE.search(name) or any(f in _TEST_DIRS for f in folders):
        return "test"
    if any(f in _SCRIPT_DIRS for f in folders):
        return "script"
    for folder in folders:
        if folder in _SOURCE_DIRS:
            break
        if folder in _TOOL_DIRS:
            return "script"
    if _TOOL_CONFIG.match(name) or any(f in _CONFIG_DIRS for f in folders):
        return "config"
    return "app"


def package_file_context(rel: str) -> ReadContext:
    """:func:`context_of` for ``rel`` relative to its own package: an ``examples/`` folder
    in the package is then its hand-run example programs (scripts), unless a route folder
    holds it (``app/examples/page.tsx`` is a page).  Not said of a workspace path: a
    package *under* ``examples/`` (stack-auth's ``examples/demo``) is a demo app of its
    own, checked as one."""
    context = context_of(rel)
    if context != "app":
        return context
    for folder in rel.split("/")[:-1]:
        if folder in _ROUTE_DIRS:
            break
        if folder in _EXAMPLE_DIRS:
            return "script"
    return context


_VITE_SERVE = re.compile(r"(?:^|[\s;&|(/])vite(?![\w:.-])(?!\s+(?:build|optimize)\b)")
"""A script that serves an app with the Vite CLI: ``vite``, ``vite dev``, ``vite --port 3000``,
``npx vite preview``.  Not ``vite build`` (a library or Node bundle builds so too), nor
``vitest``, ``vite-node``, a ``vite:build`` script name or a ``vite.config.ts`` argument."""


_START_SCRIPTS = frozenset({"dev", "develop", "start", "serve", "preview"})


def _scripts(package_json: bytes) -> dict[str, str]:
    """The ``scripts`` of a package.json's bytes; empty when there are none or it is damaged."""
    from envcheck.sources.structured import json_loads  # bounded nesting: checkout data

    try:
        scripts = json_loads(package_json).get("scripts") if package_json else None
    except (ValueError, AttributeError):
        return {}
    if not isinstance(scripts, dict):
        return {}
    return {k: v for k, v in scripts.items() if isinstance(k, str) and isinstance(v, str)}


def _serves_with_vite(package_json: bytes) -> bool:
    """Whether a script of the package serves it with the Vite dev server."""
    return any(_VITE_SERVE.search(s) for s in _scripts(package_json).values())


def starts_on_its_own(package_json: bytes) -> bool:
    """Whether the package has a script that starts it (``dev``, ``start``, ...): then the
    env files a test runner's or a tool's config loads (``playwright.config.ts``:
    ``config({ path: ".env.test" })``) are that runner's, not what the app's dev or start
    reads.  A package run only through the runner (rallly's ``packages/screenshots``:
    ``"capture": "playwright test"``) has no other environment than the one it loads."""
    return not _START_SCRIPTS.isdisjoint(_scripts(package_json))


class Framework:
    """What the package is, from its top-level file names, ``package.json`` keys and the
    facts of its files (a ``vite.config.*`` in library mode)."""

    __slots__ = ("next", "sveltekit", "vite_spa", "browser")

    def __init__(
        self, top_names: set[str], package_json: bytes, per_file: Mapping[str, FileFacts]
    ) -> None:
        deps = {m.decode("utf-8", "replace") for m in _DEPENDENCY.findall(package_json)}

        def has_config(stem: str) -> bool:
            return any(n.startswith(stem + ".config.") for n in top_names)

        self.next = "next" in deps or has_config("next")
        self.sveltekit = "@sveltejs/kit" in deps or has_config("svelte")
        vite_config = has_config("vite")
        library = any(
            facts.vite_library for rel, facts in per_file.items() if rel.startswith("vite.config.")
        )
        # Vite builds a browser app from an index.html and serves it (`vite`, `vite dev`).
        # A `vite.config.*` alone says nothing: vitest reads it too (a Node CLI built with
        # tshy and tested with vitest has one), and in library/SSR mode, or under a
        # `vite build` of a library entry, Vite bundles for Node.
        vite_app = (
            ("vite" in deps or vite_config)
            and not library
            and ("index.html" in top_names or _serves_with_vite(package_json))
        )
        ssr = bool(deps & _SSR_DEPS) or any(
            has_config(s) for s in ("svelte", "astro", "nuxt", "react-router", "remix", "next")
        )
        entry_server = any(posixpath.basename(f).startswith("entry-server.") for f in per_file)
        self.vite_spa = vite_app and not ssr and not entry_server
        self.browser = (
            bool((deps - {"vite"}) & _BROWSER_DEPS) or self.next or self.sveltekit or vite_app
        )


def _base_side(rel: str, facts: FileFacts, framework: Framework) -> Side | None:
    if rel.endswith(".py"):
        return SERVER
    if facts.directive == "use client":
        return CLIENT
    if facts.directive == "use server":
        return SERVER
    name = posixpath.basename(rel)
    if _CONFIG.match(name):
        return SERVER
    if framework.next and (_NEXT_SERVER.match(rel) or _NEXT_SPECIAL.match(rel)):
        return SERVER
    if framework.sveltekit and _SVELTEKIT_SERVER.search(rel):
        return SERVER
    if framework.vite_spa and rel.startswith("src/"):
        return CLIENT
    if not framework.browser:
        return SERVER
    return None


def _resolve(importer: str, spec: str, files: set[str]) -> str | None:
    """The package file a relative (or ``@/``, ``~/``) import names, as bundlers find it."""
    if spec.startswith("."):
        bases = [posixpath.normpath(posixpath.join(posixpath.dirname(importer), spec))]
    else:
        rest = spec[2:]
        bases = [posixpath.normpath(rest), posixpath.normpath("src/" + rest)]
    for base in bases:
        if base in files:
            return base
        stem, dot, ext = base.rpartition(".")
        if dot and ext in ("js", "jsx", "mjs", "cjs"):  # TS source imported as its output
            for suffix in (".ts", ".tsx", ".mts", ".cts"):
                if stem + suffix in files:
                    return stem + suffix
        for suffix in _RESOLVE_SUFFIXES:
            if base + suffix in files:
                return base + suffix
        for suffix in _RESOLVE_SUFFIXES:
            if f"{base}/index{suffix}" in files:
                return f"{base}/index{suffix}"
    return None


def classify(per_file: Mapping[str, FileFacts], framework: Framework) -> dict[str, Side]:
    """The side of each file of ``per_file`` (keys: posix paths relative to the package)."""
    files = set(per_file)
    sides: dict[str, Side | None] = {
        rel: _base_side(rel, facts, framework) for rel, facts in per_file.items()
    }
    importers: dict[str, set[str]] = {}
    for rel, facts in per_file.items():
        if context_of(rel) != "app":
            continue  # a test imports client and server modules alike: it decides nothing
        for spec in facts.imports:
            target = _resolve(rel, spec, files)
            if target is not None and target != rel:
                importers.setdefault(target, set()).add(rel)
    open_files = [rel for rel, side in sides.items() if side is None and rel in importers]
    changed = True
    while changed and open_files:
        changed = False
        still_open = []
        for rel in open_files:
            found = {sides[i] for i in importers[rel]}
            if len(found) == 1 and None not in found:
                sides[rel] = found.pop()
                changed = True
            else:
                still_open.append(rel)
        open_files = still_open
    return {rel: side or UNKNOWN for rel, side in sides.items()}
