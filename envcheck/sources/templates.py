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
from typing import cast

__all__ = [
    "EXAMPLE_PREFERENCE",
    "committed_settings",
    "copied_from",
    "find_example",
    "is_schema_template",
    "is_template",
    "is_test_settings",
    "not_an_env_file",
    "live_name",
    "sent_elsewhere",
    "template_names",
]

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
        rf"(?i)\.?env(?:[._-][A-Za-z0-9]+)*[._-](?:{_WORDS})(?:[._-][A-Za-z0-9_-]+)*"
        r"|" + _WORD_FIRST
    )


# ``example.env``, ``.example.env``, ``.sample.local.env``: the template word first.
_WORD_FIRST = r"\.?(?:example|sample|template)(?:\.[A-Za-z0-9_-]+)?\.env"


# File types a name such as ``.env.vault.diff`` ends in when the file is not an env file
# but another thing about one: a patch a script applies (wasp's open-saas ``app_diff/``),
# a patch's rejected hunks, an editor's swap file, code or docs, an encrypted copy.  No
# loader reads one; read as dotenv, a diff's ``+KEY=…`` lines are syntax errors and its
# values another file's.  A copy (``.env.bak``, ``.env.old``, a patch's ``.env.orig``), a
# shell file of ``export KEY=…`` lines (``.env.sh``) or settings in another syntax
# (``.env.yaml``, ``.env.json``) may hold the same secrets, so guard still reads those.
_OTHER_FILE_TYPES = frozenset(
    {
        "diff", "patch", "rej", "swp", "swo", "md", "mdx", "html", "lock",
        "js", "cjs", "mjs", "jsx", "ts", "cts", "mts", "tsx", "py", "go", "rs", "nix",
        "gpg", "asc", "age",
    }
)  # fmt: skip


def not_an_env_file(name: str) -> bool:
    """A name that starts like an env file's (``.env.client.diff``) but ends in another
    file type (:data:`_OTHER_FILE_TYPES`): every command's discovery skips it."""
    return name.rsplit(".", 1)[-1].lower() in _OTHER_FILE_TYPES and name.count(".") >= 2


def is_template(name: str) -> bool:
    """``.env.example`` and friends: documentation, committed on purpose, loaded by no app."""
    if name in EXAMPLE_PREFERENCE:  # the usual names, and any without "env", are known
        return True  # without the pattern (half a millisecond to compile on a cold start)
    if name == ".env" or "env" not in name.lower() or not_an_env_file(name):
        return False
    return _template_rx().fullmatch(name) is not None


def is_schema_template(name: str) -> bool:
    """A template the schema may come from: every one but ``.env.defaults``, which
    dotenv-flow loads as real values.  It stays a template whatever code loads it: a test
    setup or a content compiler that falls back on ``.env.example`` (``config({ path:
    ".env.example", override: false })``) makes its stand-ins no env file of the app."""
    return is_template(name) and name not in _NOT_SCHEMA


# ``.env.test``, ``.env.testing``, ``.env.e2e``: the settings a test run loads.
_TEST_SETTINGS = re.compile(r"\.env\.(?:test|testing|e2e)")


def is_test_settings(name: str) -> bool:
    """A test run's settings (``.env.test``, Laravel's ``.env.testing``): committed on purpose.

    Test runners load them on every machine and in CI, so projects commit them
    with the fixed values the tests agree on - ``CRON_SECRET=1234567890abcdef…``,
    a fixed hex ``SECRET_KEY``, ``user:pass`` database URLs (Next.js documents
    ``.env.test`` as a committed file).  Like a template's, their values are
    secrets only by shape (a live vendor key pasted there); ``.env.test.local``
    is the machine's own and stays a local file.
    """
    return _TEST_SETTINGS.fullmatch(name) is not None


def committed_settings(name: str) -> str | None:
    """What a mode's settings file committed on purpose is, in words; None for another file.

    A test run's (:func:`is_test_settings`), and ``.env.development``: the defaults
    Next.js, Vite and dotenv-flow load for a development run only, never for a
    production build (Next.js documents it as committed, beside ``.env.test``).
    Projects commit the local stack's values there (stack-auth's
    ``…-is-for-local-development-only`` keys, its local svix token); a vendor key
    pasted there is still found by shape.
    """
    if is_test_settings(name):
        return "a test run's settings"
    return "a development run's defaults" if name == ".env.development" else None


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
    pieces = re.findall(r"([._-]?)([^._-]+)", template)  # (separator before, part)
    parts = [p for _, p in pieces]
    word = next((i for i, p in enumerate(parts) if re.fullmatch(rf"(?i){_WORDS}", p)), len(parts))
    # Before the template word: the live file's own dot-separated parts (.env.local.example);
    # a part joined by a dash or underscore qualifies the template instead (.env-min.example,
    # .env.dev-azure.example: variants of .env and .env.dev).  After the word, only a mode
    # or "local" (.env.example.local); anything else names a variant of the template
    # (env-example-relational, env-example-document), all copied to .env.
    before = [p for i, (sep, p) in enumerate(pieces[:word]) if i == 0 or sep == "."]
    after = [p for p in parts[word + 1 :] if p.lower() in _LIVE_SUFFIXES]
    kept = [*before, *after]
    return "." + ".".join(kept) if kept else ".env"


_LIVE_SUFFIXES = frozenset({"local", "development", "production", "test", "staging", "dev", "prod"})


def find_example(directory: Path) -> str | None:
    """The template to read as the schema (and for ``init``).

    The one whose copy the developer made comes first: with both
    ``.env.example`` (a self-hosting list) and ``.env.local.example`` and only
    a ``.env.local``, the README said to copy ``.env.local.example``; among
    templates copied to the same name, the one the copy holds
    (:func:`copied_from`).  A copy under another name (``cp .env.dev.example
    .env``) is recognised by its keys.  Else the preferred name present
    (:func:`template_names`).
    """
    names = _schema_names(directory)
    live = next((live_name(n) for n in names if (directory / live_name(n)).is_file()), None)
    if live is None:
        live = next((n for n in _LIVE_FILES if (directory / n).is_file()), None)
    chosen = copied_from(directory, live, names) if live is not None else None
    return chosen or next(iter(names), None)


def _schema_names(directory: Path) -> list[str]:
    """The schema templates in ``directory``; in a workspace run listed once for the run
    (the schema's loader and EC302 ask alike, for each of 200 apps)."""
    from envcheck.sources.checkout import many_apps_memo

    memo = many_apps_memo(f"{__name__}.schema_names")
    key = str(directory)
    if key not in memo:
        memo[key] = tuple(n for n in template_names(directory) if is_schema_template(n))
    return list(cast("tuple[str, ...]", memo[key]))


def copied_from(directory: Path, live: str, names: list[str] | None = None) -> str | None:
    """The template the live file ``live`` (a name in ``directory``) was copied from.

    The one place that answers it, for the schema (:func:`find_example`) and for
    EC302's "the template ships it empty".  Templates named to be copied to
    ``live`` come first (``.env.local.example`` for ``.env.local``); when several
    are (nestjs-boilerplate's ``env-example-relational`` and
    ``env-example-document``, both copied to ``.env``), the copy's content decides.
    When none is and ``live`` is ``.env`` or ``.env.local``, a template is
    recognised by its keys, as long as at least half of the keys of the two are
    shared; the two files then count together (a developer may have split one
    copy).  None when nothing fits (``docker-compose.yml`` is no copy).
    ``names``: the candidate templates, preferred first (default: every template
    a schema may come from).
    """
    names = _schema_names(directory) if names is None else names
    from envcheck.sources.checkout import many_apps_memo

    memo = many_apps_memo(f"{__name__}.copied_from")  # the schema, EC302 and EC310 ask
    key = (str(directory), live, tuple(names))
    if key not in memo:
        memo[key] = _copied_from(directory, live, names)
    return cast("str | None", memo[key])


def _copied_from(directory: Path, live: str, names: list[str]) -> str | None:
    named = [n for n in names if live_name(n) == live]
    if len(named) == 1:
        return named[0]
    if named:
        return _most_alike(directory, named, _lines_of(directory / live, directory), floor=0.0)
    if live not in _LIVE_FILES or not names:
        return None  # a compose file, a mode's file no template is named for, no template
    copy: dict[str, str] = {}
    for name in _LIVE_FILES:
        copy |= _lines_of(directory / name, directory)
    return _most_alike(directory, names, copy, floor=0.5)


def sent_elsewhere(directory: Path, name: str) -> str | None:
    """The template beside ``name`` that ``name``'s own header sends the developer to
    instead, or None.

    maybe's ``.env.example`` opens with "This file outlines all the possible environment
    variables supported by the Maybe app for self hosting.  If you're a developer setting
    up your local environment, please use `.env.local.example` instead": a reference for
    another deployment, not the developer's setup (its ``SECRET_KEY_BASE``, ``SELF_HOSTED``
    ask nothing of a development run).  Only the comments above the first key speak for
    the whole file, and only a template that is there counts.
    """
    others = [n for n in _schema_names(directory) if n != name]
    if not others:
        return None
    header: list[str] = []
    for line in _read(directory / name, directory).splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        header.append(stripped)
    said = "\n".join(header)
    for other in others:
        if other in said and re.search(
            rf"(?i)\b(?:use|copy)\b[^\n]{{0,60}}?{re.escape(other)}[`'\"]?[ \t]+instead\b", said
        ):
            return other
    return None


def _read(path: Path, directory: Path) -> str:
    """An env file's text, bounded like every env file read; empty when unreadable."""
    from envcheck.sources.checkout import ENV_FILE_CAP, read_text

    try:
        return read_text(path, within=directory, cap=ENV_FILE_CAP, errors="replace")
    except OSError:
        return ""


_LIVE_FILES = (".env", ".env.local")
_LINE = re.compile(
    r"(?m)^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*[=:][ \t]*"
    r"(?:\"([^\"\n]*)\"|'([^'\n]*)'|([^#\n]*?))[ \t]*(?:#.*)?$"
)


def _lines_of(path: Path, directory: Path) -> dict[str, str]:
    """``key -> value`` of an env file, read loosely (quotes dropped, comments cut): enough
    to compare a copy with its template, never a loader's reading."""
    return {m[0]: m[1] or m[2] or m[3] for m in _LINE.findall(_read(path, directory))}


def _most_alike(
    directory: Path, names: list[str], copy: dict[str, str], *, floor: float
) -> str | None:
    """The template most like ``copy``: by keys (shared over all keys of the two, above
    ``floor``), then by ``key=value`` lines held unchanged; ties kept in ``names``' order.
    Counting all keys, not the template's alone, tells a variant that adds keys
    (``-azure``) from the plain template it extends.  One read of each file."""
    if not copy:
        return names[0] if floor == 0.0 and names else None
    best: str | None = None
    best_score = (floor, -1)
    for name in names:
        template = _lines_of(directory / name, directory)
        if not template:
            continue
        share = len(template.keys() & copy.keys()) / len(template.keys() | copy.keys())
        same = sum(copy.get(k) == v for k, v in template.items())
        if share > floor and (share, same) > best_score or best is None and floor == 0.0:
            best, best_score = name, (share, same)
    return best
