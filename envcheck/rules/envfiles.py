"""The env files a project holds, and which of their entries are secrets.

The security and precedence rules look past the files one mode reads: a
``.env.production`` with a live key is tracked by git whatever mode
``envcheck`` runs in, and a key set only in ``.env.production`` is only
visible by comparing mode files.  This module finds every ``.env*`` file in
the project directory, reuses the parse the resolver already did, and parses
the rest in the profile's dialect.  It also decides "is this value a secret"
the same way for every rule, so two rules never disagree about one value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envcheck.model import public_prefix  # here for the rules that import it from here
from envcheck.schema import public_keys
from envcheck.secret import (
    KEY_LIKE_STARTS,
    is_ciphertext,
    is_secret_name,
    looks_like_key,
    not_a_secret_because,
)
from envcheck.sources.templates import is_template, is_test_settings, template_names

__all__ = [
    "TEMPLATE_SUFFIXES",
    "entry_is_secret",
    "env_file_names",
    "is_placeholder",
    "is_template",
    "name_is_secret",
    "named_secret_value",
    "project_files",
    "public_prefix",
    "schema_flag",
    "secret_entries",
    "template_names",
    "value_is_secret",
]

if TYPE_CHECKING:
    from envcheck.rules.base import CheckContext
    from envcheck.sources.types import Entry, ParsedFile

# ``.env`` or ``.env.<something>``: the names frameworks and dotenv tools use.
_ENV_NAME = re.compile(r"\.env(?:\.[A-Za-z0-9_.-]+)?")
# Files meant to be committed: they document keys, their values are placeholders.
TEMPLATE_SUFFIXES = frozenset({"example", "sample", "template", "dist", "tpl", "defaults"})
# dotenvx's encrypted vault: committed by design.
_NOT_ENV = frozenset({".env.vault"})


@cache  # compiled on first use (half a millisecond): only a value's check needs it
def _placeholder() -> re.Pattern[str]:
    """Values that say "put your key here" rather than being a key."""
    return re.compile(
        r"^(?:<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)$"
        r"|xxxx|\*\*\*\*|changeme|change-me|change_me|placeholder|your[-_ ]?(?:api[-_ ]?)?"
        r"(?:key|token|secret|password)|replace[-_ ]?me|^todo$|^none$|^null$",
        re.IGNORECASE,
    )


def env_file_names(project_dir: Path, *, any_kind: bool = False) -> list[str]:
    """Names of the ``.env*`` regular files directly in ``project_dir``, sorted.

    ``any_kind``: every entry with such a name (a directory, a pipe, a
    dangling link), for a command that reports why it cannot read one.
    """
    try:
        children = list(project_dir.iterdir())
    except OSError:
        return []
    return sorted(
        p.name
        for p in children
        if _ENV_NAME.fullmatch(p.name) and p.name not in _NOT_ENV and (any_kind or p.is_file())
    )


def project_files(ctx: CheckContext) -> dict[str, ParsedFile]:
    """Every env file of the project, parsed: the resolver's parse where it has one.

    Keys are paths as the resolver shows them (relative to the project
    directory).  Files the resolver did not read are parsed in the profile's
    dialect; a file that cannot be read is left out (the resolver reports
    unreadable files it was asked to read).  With ``--env-file`` (the
    ``explicit_files`` option) only those files count.  Read once per context (in
    ``ctx.shared``): the security and precedence families both ask.  Read-only.
    """
    found: dict[str, ParsedFile] | None = ctx.shared.get(__name__)
    if found is None:
        found = ctx.shared[__name__] = _project_files(ctx)
    return found


def _project_files(ctx: CheckContext) -> dict[str, ParsedFile]:
    out: dict[str, ParsedFile] = {p.path: p for p in ctx.resolution.parsed}
    if ctx.options.get("explicit_files"):
        return out  # --env-file: exactly those files, no report on their neighbours
    missing = [n for n in env_file_names(ctx.project_dir) if n not in out]
    if missing:
        from envcheck.sources.resolve import parse_file

        for name in missing:
            parsed = parse_file(
                ctx.project_dir / name, name, ctx.profile.dialect, within=ctx.project_dir
            )
            if parsed is not None and parsed.entries:
                out[name] = parsed
    return out


def name_is_secret(key: str, schema: Any = None) -> bool:
    """Whether the schema, or else the name, says ``key`` holds a credential.

    Under a public prefix the rest of the name decides, and names that are
    public by design (``NEXT_PUBLIC_SUPABASE_ANON_KEY``, ``SENTRY_DSN``:
    :mod:`envcheck.schema.public_keys`) or declared ``public = true`` are
    not secrets: committing them is fine.
    """
    declared = None if schema is None else schema_flag(schema, key, "secret")
    if declared is not None:
        return declared
    prefix = public_prefix(key)
    if prefix is not None and schema_flag(schema, key, "public"):
        return False
    bare = key if prefix is None else key[len(prefix) :]
    return is_secret_name(bare) and public_keys.public_name(bare) is None


def _public_value(key: str, value: str, schema: Any) -> bool:
    """A value public by its shape (``pk_live_…``, an anon JWT) that no schema calls secret."""
    if schema is not None and schema_flag(schema, key, "secret") is not None:
        return False
    prefix = public_prefix(key)
    bare = key if prefix is None else key[len(prefix) :]
    return public_keys.value_reason(bare, value, public_prefix=prefix is not None) is not None


def _key_spec(schema: Any, key: str) -> Any:
    keys = getattr(schema, "keys", None) if schema is not None else None
    return keys.get(key) if isinstance(keys, dict) else None


def schema_flag(schema: Any, key: str, flag: str) -> bool | None:
    """``secret`` / ``public`` as the schema declares it for ``key``; None when unsaid."""
    value = getattr(_key_spec(schema, key), flag, None)
    return value if isinstance(value, bool) else None


@cache
def _formats() -> Any:
    """``envcheck.schema.formats`` when it exists (it is optional for these rules)."""
    try:
        from envcheck.schema import formats
    except ImportError:
        return None
    return formats


def _detected_secret(formats: Any, value: str) -> bool:
    """Whether ``formats.detect`` names a kind of credential that is a secret.

    ``detect`` returns a detector name; publishable kinds (Stripe ``pk_``)
    have ``secret = False`` on their detector.
    """
    detect: Callable[[str], object] | None = getattr(formats, "detect", None)
    if detect is None:
        return False
    try:
        kind = detect(value)
    except (TypeError, ValueError):
        return False
    if not kind:
        return False
    detector = getattr(formats, "DETECTORS", {}).get(kind) if isinstance(kind, str) else kind
    flag = getattr(detector, "secret", True)
    return flag if isinstance(flag, bool) else True


def is_placeholder(value: str) -> bool:
    """Not a real value at rest: empty, a ``${VAR}`` reference, a secret-store reference
    (``op://…``, dotenvx ciphertext) or a "your key here" value."""
    v = value.strip()
    if not v or is_ciphertext(v) or _placeholder().search(v):
        return True
    if ":" in v or "${" in v:
        from envcheck.sources.references import reference_kind

        if reference_kind(v):
            return True
    formats = _formats()
    check = getattr(formats, "is_placeholder", None)
    return bool(check(v)) if callable(check) else False


@cache
def _secret_starts() -> tuple[str, ...] | None:
    """What every credential-shaped value starts with; None when unknown (no shortcut).

    ``looks_like_key`` and ``formats.detect`` only name prefixed shapes, so a
    value that starts with none of their prefixes is no credential, and the
    placeholder and shape regexes need not run on it.
    """
    formats = _formats()
    starts = KEY_LIKE_STARTS + public_keys.SECRET_STARTS
    if formats is None:
        return starts
    extra = getattr(formats, "DETECT_PREFIXES", None)
    return starts + extra if isinstance(extra, tuple) else None


def _may_be_credential(stripped: str) -> bool:
    """False only when ``value_is_secret`` is surely False (cheap: one ``startswith``)."""
    starts = _secret_starts()
    return starts is None or stripped.startswith(starts)


def value_is_secret(value: str) -> bool:
    """Whether a value has the shape of a credential (publishable keys excluded)."""
    v = value.strip()
    if not v or not _may_be_credential(v):
        return False
    if public_keys.secret_reason(v):
        return True  # a service_role JWT, sb_secret_…: secret whatever the name
    if is_placeholder(v) or public_keys.value_reason("", v, public_prefix=True):
        return False  # publishable shapes (pk_…, phc_…, a Sentry DSN) are meant to ship
    if looks_like_key(v):
        return True
    formats = _formats()
    return formats is not None and _detected_secret(formats, v)


def entry_is_secret(entry: Entry, schema: Any = None, *, template: bool = False) -> bool:
    """An entry whose value is a real secret: by schema, name or shape, never a placeholder.

    In templates only the shape counts: ``OPENAI_API_KEY=`` in
    ``.env.example`` documents a key, ``OPENAI_API_KEY=sk-proj-…`` leaks one.
    """
    value = entry.value
    if not _may_be_credential(value.strip()):
        # value_is_secret is False: only the name can make it a secret (cheapest test first).
        return (
            not template
            and named_secret_value(entry.key, value, schema)
            and not is_placeholder(value)
            and not _public_value(entry.key, value, schema)
        )
    if is_placeholder(value):
        return False
    if value_is_secret(value):
        return True
    return (
        not template
        and named_secret_value(entry.key, value, schema)
        and not _public_value(entry.key, value, schema)
    )


def named_secret_value(key: str, value: str, schema: Any = None) -> bool:
    """The schema or the name says ``key`` holds a credential, and ``value`` can be one.

    A name alone is a guess: ``NEXTAUTH_DISABLE_SIGNUP=true``,
    ``GITHUB_TOKEN_TYPE=personal-access-token`` or an ``…AUTH…_URL`` with no
    credential in it are named like secrets and hold none
    (:func:`envcheck.secret.not_a_secret_because`).  So is ``secret = true``:
    it says what the key holds once it is set up (and masks every value shown),
    not that a committed ``SESSION_SECRET=dev`` in ``.env.development`` is a
    leak - ``init`` drafts it from the template's name, and the next ``check``
    must not call a committed secret what ``check`` alone did not.
    ``secret = false`` says the key holds none.
    """
    declared = None if schema is None else schema_flag(schema, key, "secret")
    if declared is False or (declared is None and not name_is_secret(key)):
        return False
    return not_a_secret_because(value, key) is None


def secret_entries(parsed: ParsedFile, schema: Any = None) -> Iterator[Entry]:
    """The entries of one file that hold secrets (the one the dialect keeps per key).

    A template's or a test run's committed settings (``.env.test``) hold secrets
    only by shape: their named values are stand-ins committed on purpose.
    """
    name = Path(parsed.path).name
    template = is_template(name) or is_test_settings(name)
    for entry in parsed.last_entries().values():
        if entry_is_secret(entry, schema, template=template):
            yield entry
