"""The facts of one file from its bytes: the byte prefilter, caps, and the right parser.

Only a file whose bytes hold an env or AI-SDK token (:data:`PREFILTER`)
reaches a parser -- or, for the names it exports of functions returning an optional
schema only, a JS/TS file that may hold one (:func:`envcheck.code.js.may_export_schema_helpers`:
homarr's ``schemas.ts`` beside the t3-env files that call it); every JS/TS file still
gives its relative imports and its
``'use client'`` directive (two cheap regular expressions), because the
client/server split of a file that reads env depends on files that do not.
A minified file (lines averaging over :data:`_MINIFIED_LINE` bytes) is
skipped with a note: it is a build output, and its one huge line would make
positions useless.

``.astro`` files: the frontmatter is parsed as TypeScript with its reads on
the server, each ``<script>`` as TypeScript with its reads in the client.
``.svelte`` / ``.vue``: each ``<script>`` block is parsed (TypeScript when
``lang="ts"``); markup expressions outside scripts are not read (there is
no grammar for them here).
"""

from __future__ import annotations

import os
import re

from envcheck.code.raw import ENV_FILE_NAME, FileFacts
from envcheck.code.walk import FILE_CAP, SourceFile, read_source

__all__ = ["PREFILTER", "facts_of", "read_facts"]

PREFILTER = re.compile(
    rb"process\.env|import\.meta\.env|Deno\.env|Bun\.env|environ|getenv|\$env/|wasp/|createEnv"
    rb"|cleanEnv|dotenv|loadEnv|envDir|envFilePath|openai|OpenAI|anthropic|Anthropic"
    rb"|groq|Groq|mistral|Mistral|generative-?ai|genai|@ai-sdk/|" + ENV_FILE_NAME
)
"""Tokens every fact's code holds.  ``loadEnv`` covers ``loadEnvConfig``, ``dotenv`` covers
``load_dotenv`` / ``dotenv_values`` / ``find_dotenv``; model literals are looked for
only in files that name an AI SDK; a string naming an env file (``".env.production"``) may
be a function's that names the file a load elsewhere opens (``namers``)."""

_DIRECTIVE = re.compile(rb"\A(?:\s|//[^\n]*\n|/\*.*?\*/)*([\"'])use (client|server)\1", re.S)
_IMPORT = re.compile(rb"""(?:\bfrom|\bimport|\brequire)\s*\(?\s*["']([^"'\n]{1,400})["']""")
"""Every module specifier: ``from "x"`` (imports and re-exports), ``import "x"``,
``import("x")``, ``require("x")``, a literal only."""
_TYPE_ONLY = re.compile(
    rb"""\b(?:import|export)\s+type\s+(?:\{[^}]{0,8000}\}|\*\s+as\s+[\w$]+|[\w$]+)\s*"""
    rb"""from\s*["']([^"'\n]{1,400})["']"""
)
"""``import type { A } from "x"``, ``export type * as T from "x"``: erased at build time,
nothing of ``x`` runs."""
_RELATIVE = re.compile(r"(?:\.\.?|[@~])/")
_NOT_A_MODULE = re.compile(r"[:\s$#]")
"""``node:fs``, ``npm:x``, ``https://...``, SvelteKit ``$env/...``, subpath imports ``#x``: no
file of the workspace."""
LINK_CAP = 256
"""At most this many modules a file runs are kept (a generated barrel of thousands of
re-exports is a build artefact, not a map of what the app reaches)."""
_FRAMEWORK_CONFIGS = ("vite.config.", "next.config.")
"""Always parsed: what they say of the package (``build.lib``, ``env: {...}``) holds no
env token."""
_MINIFIED_LINE = 500
_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_FRONTMATTER = re.compile(rb"\A\s*---[^\n]*\n(.*?)\n---", re.S)
_TS_LANG = re.compile(rb"""lang\s*=\s*["']?ts""")


def read_facts(source: SourceFile) -> FileFacts:
    """The facts of a file the walk found; a file too large or unreadable gives a note."""
    if source.size > FILE_CAP:
        facts = FileFacts()
        facts.notes.append(
            ("too-large", f"larger than {FILE_CAP // 1024} KiB; not read", None, None)
        )
        return facts
    try:
        data = read_source(source.path)
    except OSError as error:  # the reason alone: never the file's content
        facts = FileFacts()
        reason = error.strerror or (str(error.args[0]) if error.args else "unreadable")
        facts.notes.append(("unreadable", f"not read: {reason}", None, None))
        return facts
    name = os.path.basename(source.path)
    return facts_of(data, name, name[name.rfind(".") :])


def facts_of(data: bytes, name: str, suffix: str) -> FileFacts:
    """The facts of the file ``name`` (its base name) holding ``data``."""
    from envcheck.code import js  # the parsers' modules load only when a file needs them

    facts = FileFacts()
    scripted = suffix in js.GRAMMARS or suffix in (".astro", ".svelte", ".vue")
    if scripted:
        directive = _DIRECTIVE.match(data, 0, 4096)
        if directive is not None:
            facts.directive = "use " + directive.group(2).decode()
        facts.imports, facts.links = _specifiers(data)
    if PREFILTER.search(data) is None and not name.startswith(_FRAMEWORK_CONFIGS):
        # no env token: only the schema helpers it may export for other files' schemas
        grammar = js.GRAMMARS.get(suffix)
        if grammar is not None and js.may_export_schema_helpers(data):
            if not _minified(data, name):
                facts.parsed = True
                js.extract_schema_helpers(data, name, grammar, facts)
        return facts
    if _minified(data, name):
        facts.notes.append(("minified", "minified or generated file; not read", None, None))
        return facts
    facts.parsed = True
    if suffix == ".py":
        from envcheck.code import python

        python.extract(data, name, facts)
    elif suffix in js.GRAMMARS:
        js.extract(data, name, js.GRAMMARS[suffix], facts)
    else:
        _embedded(data, name, suffix, facts)
    return facts


def _specifiers(data: bytes) -> tuple[list[str], list[str]]:
    """(relative and ``@/`` / ``~/`` specifiers of every import, type imports included;
    the specifiers of the modules the file runs: relative, alias and bare, at most
    :data:`LINK_CAP`), each sorted and without repeats."""
    found: dict[str, int] = {}
    for match in _IMPORT.findall(data):
        spec = match.decode("utf-8", "replace")
        found[spec] = found.get(spec, 0) + 1
    if found and b"type" in data:
        for match in _TYPE_ONLY.findall(data):
            spec = match.decode("utf-8", "replace")
            if spec in found:
                found[spec] -= 1  # one of its imports only names types
    imports = sorted(s for s in found if _RELATIVE.match(s))
    links = sorted(s for s, runs in found.items() if runs > 0 and not _NOT_A_MODULE.search(s))
    return imports, links[:LINK_CAP]


def _minified(data: bytes, name: str) -> bool:
    if ".min." in name:
        return True
    return len(data) > 4096 and len(data) // (data.count(b"\n") + 1) > _MINIFIED_LINE


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """(lines before ``offset``, its 0-based column) in ``data``."""
    line = data.count(b"\n", 0, offset)
    return line, offset - (data.rfind(b"\n", 0, offset) + 1)


def _embedded(data: bytes, name: str, suffix: str, facts: FileFacts) -> None:
    from envcheck.code import js

    if suffix == ".astro":
        front = _FRONTMATTER.match(data)
        if front is not None:
            line, col = _position(data, front.start(1))
            js.extract_embedded(
                front.group(1),
                name,
                "typescript",
                facts,
                side="server",
                line_offset=line,
                col_offset=col,
            )
    for script in _SCRIPT.finditer(data):
        line, col = _position(data, script.start(2))
        grammar = (
            "typescript" if suffix == ".astro" or _TS_LANG.search(script.group(1)) else "javascript"
        )
        js.extract_embedded(
            script.group(2),
            name,
            grammar,
            facts,
            side="client" if suffix == ".astro" else None,
            line_offset=line,
            col_offset=col,
        )
