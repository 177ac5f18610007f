"""The one classifier: is a value a secret, public by design, a placeholder, or plain?

Every rule family asks the same questions of the same values: the schema rules
(EC306-EC308: a stand-in, a credential's shape, a zero-width character), the
security rules (EC401-EC404: a secret at rest, in a public variable), ``guard``
and the Docker-context rule (EC408).  The facts themselves live where they are
defined - a key's shape and a credential's name in :mod:`envcheck.secret`
(which :mod:`envcheck.model` needs below this layer), a template's stand-in in
:mod:`envcheck.schema.values`, public-by-design twins in
:mod:`envcheck.schema.public_keys`, the provider table behind all of them in
:mod:`envcheck.providers` - and this module combines them, **once per value**:
:func:`value_flags` computes a value's facts on the first ask and keeps them as
bits, so the next family to ask reads a dict instead of running the regexes
again.  The facts every family asks of every value (a stand-in, a key's shape,
a zero-width character, a credential's start) come in one pass; the two only
the secret-at-rest questions ask (not filled in, a credential by shape) come on
their first ask, so a command that asks none (``guard`` of a plain value) pays
none.  Each fact keeps a cheap pre-test in front of its regex (a slice looked up
in a set, a few substring tests), exact by construction and checked against the
regex in ``tests/schema/test_classify.py``.

Why a module of its own, here: the entry's verdict needs the schema's flags,
the public-by-design table and the format detectors (this layer), while the
masked value type in :mod:`envcheck.secret` must stay below it (the report
model masks with it, the loaders ask it whether a key is key-shaped).

The memo is keyed by the value alone (a ``str``, no tuple built per entry)
and holds a small int of flags; it is cleared when it grows past
:data:`_MAX_REMEMBERED` values, so a long-lived language server stays bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from envcheck.model import PUBLIC_PREFIXES, public_prefix
from envcheck.schema import public_keys, values
from envcheck.schema.values import has_zero_width
from envcheck.secret import (
    KEY_LIKE_STARTS,
    SECRET_NAME_WORDS,
    is_ciphertext,
    is_secret_name,
    looks_like_key,
    not_a_secret_because,
    url_credential,
)

if TYPE_CHECKING:
    from envcheck.sources.types import Entry

__all__ = [
    "CREDENTIAL_START",
    "PLACEHOLDER",
    "PLAIN",
    "PUBLIC",
    "SECRET",
    "KEY_SHAPED",
    "NOT_FILLED_IN",
    "SHAPED_SECRET",
    "STAND_IN",
    "ZERO_WIDTH",
    "entry_is_secret",
    "expects_credential",
    "is_placeholder",
    "name_is_secret",
    "named_secret_value",
    "not_filled_in",
    "may_be_flagged",
    "nothing_to_ask",
    "shape_flags",
    "placeholder_kind",
    "public_by_name",
    "public_value",
    "schema_flag",
    "secret_entries",
    "value_flags",
    "value_is_secret",
    "verdict",
]

# The value facts, one bit each.  Every family asks the first four of nearly every value:
STAND_IN = 1  # a template's stand-in: ``your-key-here``, ``changeme`` (schema.values)
KEY_SHAPED = 2  # a vendor's stem and a drawn run of key characters (secret.looks_like_key)
ZERO_WIDTH = 4  # an invisible zero-width character somewhere in it
CREDENTIAL_START = 8  # starts as some credential shape does: only then can it be SHAPED_SECRET
# Only the secret-at-rest questions ask these, of few values: computed on the first such ask.
NOT_FILLED_IN = 16  # no real value at rest: empty, a reference, ciphertext, a marker, a stand-in
SHAPED_SECRET = 32  # a credential by its shape alone, placeholders and publishable keys excluded
_AT_REST = 64  # NOT_FILLED_IN and SHAPED_SECRET are known

_MAX_REMEMBERED = 1 << 18
_remembered: dict[str, int] = {}
# How many values were classified, and how many asked the at-rest facts (not read back from
# the memo): the tests count these, they never time anything.
classified = 0
classified_at_rest = 0


def value_flags(value: str, *, at_rest: bool = False) -> int:
    """Every fact about ``value`` as bits (``STAND_IN | KEY_SHAPED`` ...), computed once.

    ``at_rest``: include ``NOT_FILLED_IN`` and ``SHAPED_SECRET``, which cost a
    reference lookup and the public-key table and which most values are never asked.
    """
    flags = _remembered.get(value)
    if flags is None:
        if len(_remembered) >= _MAX_REMEMBERED:
            _remembered.clear()  # a long-lived language server stays bounded
        flags = _first_facts(value)
        if at_rest:
            flags = _at_rest_facts(value, flags)
        _remembered[value] = flags
    elif at_rest and not flags & _AT_REST:
        flags = _remembered[value] = _at_rest_facts(value, flags)
    return flags


def _first_facts(value: str) -> int:
    global classified
    classified += 1
    stripped = value.strip()
    shaped = _quick_facts()(value)  # one C call for most values: shaped, and no stand-in
    if shaped is not None:
        flags = KEY_SHAPED if shaped else 0
        if stripped and _may_be_credential(stripped):
            flags |= CREDENTIAL_START
        return flags  # ASCII: no zero-width character
    flags = 0
    if values.is_placeholder(stripped):
        flags |= STAND_IN
    if looks_like_key(stripped):
        flags |= KEY_SHAPED
    if has_zero_width(value):
        flags |= ZERO_WIDTH
    if stripped and _may_be_credential(stripped):
        flags |= CREDENTIAL_START
    return flags


def _ask_python(value: str) -> bool | None:
    """The first facts' C call without the extension: every value goes to the Python tests."""
    return None


@cache
def _quick_facts() -> Callable[[str], bool | None]:
    """The extension's ``first_facts``, given the tables it reads (the key stems of
    :func:`envcheck.secret.looks_like_key`, the vendor prefixes of
    :func:`envcheck.schema.values.is_placeholder`, and the stand-in words)."""
    try:
        from envcheck.sources._fastlines import first_facts, set_fact_words
    except ImportError:  # no compiler at install, or an extension built before these
        return _ask_python
    from envcheck.providers import VENDOR_PREFIXES

    values._may_be_stand_in()  # gives the extension the stand-in words it also tests
    set_fact_words(KEY_LIKE_STARTS, VENDOR_PREFIXES)
    return first_facts


def _never_quiet(value: str) -> bool:
    """The quiet pre-test without the extension: every value goes to the classifier."""
    return False


@cache
def _quiet() -> Callable[[str], bool]:
    """The extension's ``quiet_value``, given the starts it tests (one place: the provider
    table, as :func:`envcheck.schema.values.is_placeholder` and ``looks_like_key`` read it)."""
    try:
        from envcheck.sources._fastlines import quiet_value, set_quiet_starts
    except ImportError:  # no compiler at install, or an extension built before these
        return _never_quiet
    from envcheck.providers import VENDOR_PREFIXES

    values._may_be_stand_in()  # gives the extension the stand-in words it also tests
    set_quiet_starts((*VENDOR_PREFIXES, *KEY_LIKE_STARTS))
    return quiet_value


_SHAPE = STAND_IN | KEY_SHAPED | ZERO_WIDTH


def shape_flags(value: str) -> int:
    """``value_flags(value) & (STAND_IN | KEY_SHAPED | ZERO_WIDTH)``: 0 for a quiet value
    without the classifier (nor its memo).

    A caller that asks only these facts of every value of a large file (the schema
    family's values with no spec, ``explain``'s rows) turns the plain ones - names, hosts,
    numbers - away with one C call (:func:`_quiet`).  Without the extension every value
    is classified.
    """
    return 0 if _quiet()(value) else value_flags(value) & _SHAPE


def _never_quiet_entry(key: str, value: str) -> bool:
    """The quiet-entry pre-test without the extension: every entry is asked."""
    return False


@cache
def _quiet_entry() -> Callable[[str, str], bool]:
    """The extension's ``quiet_entry``, given the names it tests: the words of a credential's
    name (:func:`envcheck.secret.is_secret_name`), the public prefixes and the well-known
    names (:func:`envcheck.schema.formats.format_for_name`)."""
    if _quiet() is _never_quiet:
        return _never_quiet_entry
    from envcheck.schema.formats import WELL_KNOWN
    from envcheck.sources._fastlines import quiet_entry, set_quiet_names

    set_quiet_names(tuple(SECRET_NAME_WORDS), PUBLIC_PREFIXES, frozenset(WELL_KNOWN))
    return quiet_entry


def nothing_to_ask() -> Callable[[str, str], bool]:
    """The test ``(key, value) -> bool`` that is True only when ``value`` is empty, or ``key``
    is neither a well-known name (``format_for_name``) nor a credential's
    (``is_secret_name``) and ``value`` is quiet (:func:`shape_flags` is 0).

    One C call per entry, for a rule that asks only these of every key of a large file
    (the schema family's keys without a spec); without the extension it is always False.
    """
    return _quiet_entry()


def may_be_flagged(value: str) -> bool:
    """Whether ``value`` is a stand-in, has a key's shape or a zero-width character."""
    return bool(shape_flags(value))


def _at_rest_facts(value: str, flags: int) -> int:
    global classified_at_rest
    classified_at_rest += 1
    stripped = value.strip()
    if flags & STAND_IN or _marker_kind(stripped) is not None:
        flags |= NOT_FILLED_IN
    if flags & CREDENTIAL_START and _shaped_secret(stripped, flags):
        flags |= SHAPED_SECRET
    return flags | _AT_REST


# Markers that say "nothing here yet" at rest, found anywhere in the value (a stand-in
# is matched whole by schema.values): ``<…>``, ``${VAR}``, ``xxxx``, ``changeme``.
@cache  # compiled on first use (half a millisecond): only a value's check needs it
def _marker() -> re.Pattern[str]:
    return re.compile(
        r"^(?:<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)$"
        r"|xxxx|\*\*\*\*|changeme|change-me|change_me|placeholder|your[-_ ]?(?:api[-_ ]?)?"
        r"(?:key|token|secret|password)|replace[-_ ]?me|^todo$|^none$|^null$",
        re.IGNORECASE,
    )


@cache
def _whole_marker() -> re.Pattern[str]:
    """The anchored alternatives of :func:`_marker`: a value that is all ``<…>`` or ``${VAR}``."""
    return re.compile(r"<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


def _is_marker(stripped: str) -> bool:
    """``_marker().search(stripped)`` for a stripped value, most values decided without it.

    For ASCII text (whose case folds within ASCII) the anchored alternatives are
    one ``fullmatch`` (no trailing line break is left for ``$`` to skip), the
    whole-value words an equality, and the rest need one of a few words; other
    text goes to the regex (``(?i)`` folds ``ſ`` onto ``s``).
    """
    if stripped.isascii():
        if stripped[:1] in ("<", "$") and _whole_marker().fullmatch(stripped):
            return True
        low = stripped.lower()
        if low in ("todo", "none", "null"):
            return True
        if not (
            "xxxx" in low
            or "****" in low
            or "change" in low
            or "placeholder" in low
            or "your" in low
            or "replace" in low
        ):
            return False
    return _marker().search(stripped) is not None


def _marker_kind(stripped: str) -> str | None:
    """Which kind of not-filled-in value ``stripped`` is, apart from a stand-in; None if none."""
    if not stripped:
        return "empty"
    if is_ciphertext(stripped):
        return "ciphertext"
    if _is_marker(stripped):
        return "marker"
    if ":" in stripped or "${" in stripped:
        from envcheck.sources.references import reference_kind

        if reference_kind(stripped):
            return "reference"
    return None


def placeholder_kind(value: str) -> str | None:
    """Why ``value`` is no real value at rest, as a kind: ``empty``, ``ciphertext``, ``marker``
    (``xxxx``, ``<token>``), ``reference`` (``op://…``) or ``stand-in`` (``your-key-here``)."""
    if not not_filled_in(value):
        return None
    return _marker_kind(value.strip()) or "stand-in"


def is_placeholder(value: str) -> bool:
    """:func:`envcheck.schema.values.is_placeholder` (a template's stand-in), from the memo."""
    return bool(value_flags(value) & STAND_IN)


def not_filled_in(value: str) -> bool:
    """Not a real value at rest: empty, a ``${VAR}`` reference, a secret-store reference
    (``op://…``, dotenvx ciphertext) or a "your key here" value."""
    return bool(value_flags(value, at_rest=True) & NOT_FILLED_IN)


def expects_credential(key: str, value: str) -> bool:
    """:func:`envcheck.secret.expects_credential` with the value's shape read from the memo."""
    return is_secret_name(key) or bool(value_flags(value) & KEY_SHAPED)


# Secret by shape ------------------------------------------------------------


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
    detect = getattr(formats, "detect", None)
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


@cache
def _credential_heads() -> tuple[int, frozenset[str], tuple[str, ...]] | None:
    """The credential starts' first characters (as many as the shortest start has), and the
    starts: a set lookup on a slice rules out most values before the ``startswith``."""
    starts = _secret_starts()
    if starts is None:
        return None
    head = min(map(len, starts))
    return head, frozenset(start[:head] for start in starts), starts


def _may_be_credential(stripped: str) -> bool:
    """False only when the value surely has no credential's shape."""
    heads = _credential_heads()
    if heads is None:
        return True
    head, firsts, starts = heads
    return stripped[:head] in firsts and stripped.startswith(starts)


def _shaped_secret(stripped: str, flags: int) -> bool:
    """A credential by shape: a secret twin, else a key shape that is no placeholder or
    publishable key, else a secret kind the format detectors name.

    Asked only of a value that starts as a credential does (``CREDENTIAL_START``), with
    ``NOT_FILLED_IN`` known.
    """
    if public_keys.secret_reason(stripped):
        return True  # a service_role JWT, sb_secret_…: secret whatever the name
    if flags & NOT_FILLED_IN or public_keys.value_reason("", stripped, public_prefix=True):
        return False  # publishable shapes (pk_…, phc_…, a Sentry DSN) are meant to ship
    if flags & KEY_SHAPED:
        return True
    formats = _formats()
    return formats is not None and _detected_secret(formats, stripped)


def value_is_secret(value: str) -> bool:
    """Whether a value has the shape of a credential (publishable keys excluded)."""
    return bool(value_flags(value, at_rest=True) & SHAPED_SECRET)


# Secret by name, and the entry's verdict -----------------------------------------


def _key_spec(schema: Any, key: str) -> Any:
    keys = getattr(schema, "keys", None) if schema is not None else None
    return keys.get(key) if isinstance(keys, dict) else None


def schema_flag(schema: Any, key: str, flag: str) -> bool | None:
    """``secret`` / ``public`` as the schema declares it for ``key``; None when unsaid."""
    value = getattr(_key_spec(schema, key), flag, None)
    return value if isinstance(value, bool) else None


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


def public_by_name(key: str) -> str | None:
    """Why ``key``'s name (public prefix removed) marks it public by design, or None.

    ``explain`` asks it of a name that says credential, so it shows the value and the
    reason the rules and ``guard`` use (:func:`name_is_secret`) instead of masking it.
    """
    prefix = public_prefix(key)
    return public_keys.public_name(key if prefix is None else key[len(prefix) :]) or None


def public_value(key: str, value: str, schema: Any) -> bool:
    """A value public by its shape (``pk_live_…``, an anon JWT) that no schema calls secret."""
    if schema is not None and schema_flag(schema, key, "secret") is not None:
        return False
    prefix = public_prefix(key)
    bare = key if prefix is None else key[len(prefix) :]
    return public_keys.value_reason(bare, value, public_prefix=prefix is not None) is not None


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


def entry_is_secret(entry: Entry, schema: Any = None, *, template: bool = False) -> bool:
    """An entry whose value is a real secret: by schema, name or shape, never a placeholder.

    In templates only the shape counts: ``OPENAI_API_KEY=`` in
    ``.env.example`` documents a key, ``OPENAI_API_KEY=sk-proj-…`` leaks one.
    The name is asked last, and only when the shape has not decided.
    """
    value = entry.value
    # The start alone, not the memo: ``guard`` asks nothing else of most values, and a
    # value no family asks more of is never classified.
    if _may_be_credential(value.strip()):
        flags = value_flags(value, at_rest=True)
        if flags & NOT_FILLED_IN:
            return False  # a placeholder is no secret, whatever its shape or name
        if flags & SHAPED_SECRET:
            return True
    # Neither shape decides: the name does, outside templates, for a value that can be one.
    return (
        not template
        and named_secret_value(entry.key, value, schema)
        and not not_filled_in(value)
        and not public_value(entry.key, value, schema)
    )


def secret_entries(
    entries: Iterable[Entry], schema: Any = None, *, template: bool = False
) -> Iterator[Entry]:
    """The ``entries`` :func:`entry_is_secret` says hold secrets, a whole file in one loop.

    Most entries of a large file start as no credential does and have a name that no
    schema declares and that reads as no secret's: the loop turns those away with the
    start's set lookup and the name's test, without :func:`entry_is_secret`'s calls
    (the same answer: it asks nothing else of them).  Every other entry gets its verdict.
    """
    keys = getattr(schema, "keys", None) if schema is not None else None
    declared = keys if isinstance(keys, dict) else {}
    heads = _credential_heads()
    for entry in entries:
        if heads is not None:
            stripped = entry.value.strip()
            if not (stripped[: heads[0]] in heads[1] and stripped.startswith(heads[2])):
                if template:
                    continue  # in templates only the shape counts
                key = entry.key
                if key not in declared:
                    prefix = public_prefix(key)
                    if not is_secret_name(key if prefix is None else key[len(prefix) :]):
                        continue
        if entry_is_secret(entry, schema, template=template):
            yield entry


# The verdict in words ------------------------------------------------------------

SECRET = "secret"
PUBLIC = "public"
PLACEHOLDER = "placeholder"
PLAIN = "plain"


def verdict(key: str, value: str, schema: Any = None, *, template: bool = False) -> tuple[str, str]:
    """What an entry holds, with its reason: ``(SECRET, why)``, ``(PUBLIC, why)``,
    ``(PLACEHOLDER, kind)`` or ``(PLAIN, "")``.

    The same facts as :func:`entry_is_secret`, in words for a report or an editor:
    ``SECRET`` exactly when it says secret.  Not on the rules' hot path (they read the
    flags); the reasons are worked out here, when asked.
    """
    kind = placeholder_kind(value)
    if kind is not None:
        return PLACEHOLDER, kind
    stripped = value.strip()
    if value_is_secret(value):
        twin = public_keys.secret_reason(stripped)
        return SECRET, twin or "its value has the shape of a credential"
    if not template and named_secret_value(key, value, schema):
        if not public_value(key, value, schema):
            carried = url_credential(stripped) if "://" in stripped else None
            return SECRET, carried or "its name says it holds a credential"
    prefix = public_prefix(key)
    bare = key if prefix is None else key[len(prefix) :]
    if schema_flag(schema, key, "secret") is None:
        why = public_keys.value_reason(bare, stripped, public_prefix=prefix is not None)
        if why is None and is_secret_name(bare):
            why = public_keys.public_name(bare) or None
        if why is not None:
            return PUBLIC, why
    return PLAIN, ""
