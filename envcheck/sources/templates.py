"""Template env files: the committed ``.env.example`` and its many spellings.

Projects document their keys in ``.env.example``, ``.env.local.example``
(Next.js templates that copy it to ``.env.local``), ``.env.sample``,
``.env.template``, ``.env.dist`` (Symfony), ``example.env``,
``.env.development.example`` and more.  No app loads them, so ``check``
never lints them as live files or reports a "leak" in them; ``init`` and
the schema loader read them as the list of keys the app needs.  This module
is the one place that knows the names.  Imports only ``re``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

__all__ = ["EXAMPLE_PREFERENCE", "find_example", "is_template", "live_name", "template_names"]

# The words that make a file a template, as a dot- (or dash-, underscore-) separated part.
_WORDS = "example|sample|template|dist|tpl|defaults"
# Most specific first: the file a schema is read from when several exist.
EXAMPLE_PREFERENCE = (
    ".env.example",
    ".env.local.example",
    ".env.sample",
    ".env.template",
    ".env.dist",
    "example.env",
    ".example.env",
    ".env.example.local",
    ".env.development.example",
    ".env.development.local.example",
)
# Loaded by dotenv-flow as real defaults, or committed by design: never a schema.
_NOT_SCHEMA = frozenset({".env.defaults"})


@cache
def _template_rx() -> re.Pattern[str]:
    return re.compile(
        rf"(?i)\.?env(?:\.[A-Za-z0-9_-]+)*[._-](?:{_WORDS})(?:[._-][A-Za-z0-9_-]+)*"
        r"|" + _WORD_FIRST
    )


# ``example.env``, ``.example.env``, ``.sample.local.env``: the template word first.
_WORD_FIRST = r"\.?(?:example|sample|template)(?:\.[A-Za-z0-9_-]+)?\.env"


def is_template(name: str) -> bool:
    """``.env.example`` and friends: documentation, committed on purpose, loaded by no app."""
    return name != ".env" and _template_rx().fullmatch(name) is not None


def template_names(directory: Path) -> list[str]:
    """The template files directly in ``directory``, preferred names first."""
    try:
        names = [p.name for p in directory.iterdir() if is_template(p.name) and p.is_file()]
    except OSError:
        return []
    rank = {n: i for i, n in enumerate(EXAMPLE_PREFERENCE)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def live_name(template: str) -> str:
    """The file a template is copied to: ``.env.local.example`` -> ``.env.local``."""
    if re.fullmatch(rf"(?i){_WORD_FIRST}", template):
        return ".env"
    parts = [p for p in re.split(r"[._-]", template) if p]
    word = next((i for i, p in enumerate(parts) if re.fullmatch(rf"(?i){_WORDS}", p)), len(parts))
    # Before the template word: the live file's own parts (.env.local.example).  After it,
    # only a mode or "local" (.env.example.local); anything else names a variant of the
    # template (env-example-relational, env-example-document), all copied to .env.
    after = [p for p in parts[word + 1 :] if p.lower() in _LIVE_SUFFIXES]
    kept = [*parts[:word], *after]
    return "." + ".".join(kept) if kept else ".env"


_LIVE_SUFFIXES = frozenset({"local", "development", "production", "test", "staging", "dev", "prod"})


def find_example(directory: Path) -> str | None:
    """The template to read as the schema (and for ``init``).

    The one whose copy the developer made comes first: with both
    ``.env.example`` (a self-hosting list) and ``.env.local.example`` and only
    a ``.env.local``, the README said to copy ``.env.local.example``.  Else
    the preferred name present.
    """
    names = [n for n in template_names(directory) if n not in _NOT_SCHEMA]
    copied = [n for n in names if (directory / live_name(n)).is_file()]
    return next(iter(copied or names), None)
