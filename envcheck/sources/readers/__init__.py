"""Readers: how one tool turns one env file's text into entries (and expands them).

One module per dialect, each exposing ``parse(text, path) -> ParsedFile``;
expanders (``*_expand``) are shared by the loaders that use them.  A reader
knows nothing of file discovery or precedence (that is a loader's job), and
imports only ``envcheck.sources.lines``/``types``: the dependency runs
loader -> reader -> lines.  Modules are imported on first use, so a run pays
only for the dialects it reads.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from envcheck.sources.types import ParsedFile

Parser = Callable[[str, str], ParsedFile]

# dialect name -> "module:function"; the dialect names are what --dialect accepts.
DIALECTS: dict[str, str] = {
    "node": "envcheck.sources.readers.node:parse",
    "node-cra": "envcheck.sources.readers.node_cra:parse",
    "nodeutil": "envcheck.sources.readers.nodeutil:parse",
    "nodeutil22": "envcheck.sources.readers.nodeutil22:parse",
    "deno": "envcheck.sources.readers.deno:parse",
    "python": "envcheck.sources.readers.python:parse",
    "dotenvx": "envcheck.sources.readers.dotenvx:parse",
    "bun": "envcheck.sources.readers.bun:parse",
    "docker": "envcheck.sources.readers.docker:parse",
    "compose": "envcheck.sources.readers.compose:parse",
    "ruby": "envcheck.sources.readers.ruby:parse",
    "django-environ": "envcheck.sources.readers.django_environ:parse",
}


def parser_for(dialect: str) -> Parser:
    """The parse function of ``dialect`` (imported now, not at start-up)."""
    module, _, attr = DIALECTS[dialect].partition(":")
    return cast(Parser, getattr(importlib.import_module(module), attr))
