"""Template env files: the committed ``.env.example`` and its many spellings.

Projects document their keys in ``.env.example``, ``.env.local.example``
(Next.js templates that copy it to ``.env.local``), ``.env.sample``,
``.env.template``, ``.env.dist`` (Symfony), ``example.env``,
``.env.development.example`` and more.  No app loads them, so ``check``
never lints them as live files or reports a "leak" in them; ``init`` and
the schema loader read them as the list of keys the app needs.  This module
is the one place that knows the names.  Imports only ``re`` (the bounded reader on first need).
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
    """The template files directly in ``directory``, preferred names first.

    Past the names of :data:`EXAMPLE_PREFERENCE`, a variant family such as langfuse's
    ``.env.dev.example``, ``.env.dev-azure.example``, ``.env.prod.example`` and
    ``.env.test.example`` is ordered by :func:`_variant_rank`: the plain development
    template before its deployment variants, never the alphabetical first (which made
    ``-azure``'s keys every developer's requirements).
    """
    try:
        names = [p.name for p in directory.iterdir() if is_template(p.name) and p.is_file()]
    except OSError:
        return []
    rank = {n: i for i, n in enumerate(EXAMPLE_PREFERENCE)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), *_variant_rank(n), n))


# A template for the mode a developer runs first, then one for no mode, then the rest.
_DEVELOPMENT_WORDS = frozenset({"dev", "development", "local"})
_OTHER_MODES = frozenset({"prod", "production", "test", "testing", "staging", "ci", "e2e"})


def _variant_rank(name: str) -> tuple[int, int]:
    """(mode preference, number of qualifiers): ``.env.dev.example`` (a development
    template, one qualifier) before ``.env.dev-azure.example`` (two) before
    ``.env.prod.example`` (a deployment mode)."""
    parts = [p.lower() for p in re.split(r"[._-]", name) if p]
    qualifiers = [p for p in parts if p != "env" and not re.fullmatch(_WORDS, p)]
    if any(q in _DEVELOPMENT_WORDS for q in qualifiers):
        mode = 0
    elif any(q in _OTHER_MODES for q in qualifiers):
        mode = 2
    else:
        mode = 1
    return mode, len(qualifiers)


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
    a ``.env.local``, the README said to copy ``.env.local.example``.  A copy
    under another name (``cp .env.dev.example .env``) is recognised by its keys:
    the template whose keys the live ``.env`` / ``.env.local`` holds most of.
    Else the preferred name present (:func:`template_names`).
    """
    names = [n for n in template_names(directory) if n not in _NOT_SCHEMA]
    copied = [n for n in names if (directory / live_name(n)).is_file()]
    if not copied and len(names) > 1:
        copied = _copied_by_keys(directory, names)
    return next(iter(copied or names), None)


_LIVE_FILES = (".env", ".env.local")
_KEY_LINE = r"(?m)^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*[=:]"


def _keys_of(path: Path, directory: Path) -> frozenset[str]:
    from envcheck.sources.checkout import ENV_FILE_CAP, read_text

    try:
        text = read_text(path, within=directory, cap=ENV_FILE_CAP, errors="replace")
    except OSError:
        return frozenset()
    return frozenset(re.findall(_KEY_LINE, text))


def _copied_by_keys(directory: Path, names: list[str]) -> list[str]:
    """The template a live file was copied from, by its keys: the one whose keys are most
    like the live file's (shared keys over all keys of the two, at least half), ties kept
    in preference order.  Counting all keys, not the template's alone, tells a variant
    that adds keys (``-azure``) from the plain template the variant extends.  One read of
    each file, linear in their lines."""
    live: frozenset[str] = frozenset()
    for name in _LIVE_FILES:
        if (directory / name).is_file():
            live |= _keys_of(directory / name, directory)
    if not live:
        return []
    best: list[str] = []
    best_share = 0.5
    for name in names:
        keys = _keys_of(directory / name, directory)
        if not keys:
            continue
        share = len(keys & live) / len(keys | live)
        if share > best_share:
            best, best_share = [name], share
        elif share == best_share and best:
            best.append(name)
    return best
