"""Secret values that cannot print themselves, and per-run fingerprints.

Every value that might be a credential travels through envcheck as a
:class:`Secret`.  ``str``, ``repr``, ``format`` and JSON encoding all show the
masked form (``sk-proj-…3xQa``); the raw value is only reachable through
:func:`reveal`, a single greppable call.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterable
from functools import cache

__all__ = [
    "Secret",
    "Fingerprinter",
    "mask",
    "reveal",
    "redact",
    "is_secret_name",
    "is_secret",
    "is_ciphertext",
    "looks_like_key",
    "shown",
    "safe_key",
    "key_holds_credential",
]

# Prefixes shown in clear: they identify the kind of key, not the key.
_KNOWN_PREFIXES = (
    "sk-proj-",
    "sk-svcacct-",
    "sk-admin-",
    "sk-ant-api03-",
    "sk-ant-admin01-",
    "sk-ant-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "rk_test_",
    "pk_live_",
    "pk_test_",
    "github_pat_",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "xoxb-",
    "xoxp-",
    "xapp-",
    "gsk_",
    "AKIA",
    "ASIA",
    "AIza",
    "sk-",
)

# Long runs of key characters that start like a known credential.
_KEY_LIKE = re.compile(
    r"\b(?:sk|rk|pk|ghp|gho|ghs|ghu|github_pat|xox[bpa]|gsk|AKIA|ASIA|AIza)[-_A-Za-z0-9]{16,}"
)
# What a key-like value must start with, and its shortest length (prefix + 16):
# a cheap test that lets most values skip the regex.
KEY_LIKE_STARTS = ("sk", "rk", "pk", "gh", "github_pat", "xox", "gsk", "AKIA", "ASIA", "AIza")
_KEY_LIKE_MIN = 18

# Names that say "this is a credential" (matched on word boundaries of the key).
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:KEY|APIKEY|SECRET|SECRETS|TOKEN|TOKENS|PASSWORD|PASSWD|PASS|PWD|"
    r"PRIVATE|CREDENTIALS?|AUTH|DSN|SALT|SIGNATURE|COOKIE|SESSION)(?:_|$)",
    re.IGNORECASE,
)
# Names containing a secret word that are not secrets themselves.
_NOT_SECRET_NAME = re.compile(
    r"(?:_KEY_ID|_KEY_PATH|_KEY_FILE|_TOKEN_URL|_AUTH_URL|_KEYS?_URL|PUBLIC_KEY|"
    r"PUBLISHABLE_KEY|_KEY_NAME|_AUTH_DOMAIN)$",
    re.IGNORECASE,
)


@cache  # asked per key by several rule families; keys repeat, the regexes are not free
def is_secret_name(key: str) -> bool:
    """Whether a variable's name says it holds a credential."""
    return bool(_SECRET_NAME.search(key)) and not _NOT_SECRET_NAME.search(key)


def looks_like_key(value: str) -> bool:
    """Whether a value has the shape of a credential, whatever its name."""
    v = value.strip()
    if len(v) < _KEY_LIKE_MIN or not v.startswith(KEY_LIKE_STARTS):
        return False
    return bool(_KEY_LIKE.fullmatch(v))


CIPHERTEXT_PREFIX = "encrypted:"


def is_ciphertext(value: str) -> bool:
    """dotenvx ciphertext (``dotenvx encrypt``): committed on purpose, not a secret at rest.

    dotenvx's own test (``encrypted()``): the value starts with ``encrypted:``.
    The plaintext is only known to the app; whether it can be decrypted is
    the dotenvx loader's business (EC511).
    """
    return value.startswith(CIPHERTEXT_PREFIX)


def is_secret(key: str, value: Secret | str) -> bool:
    """Secret by name or by shape: the default when no schema says otherwise."""
    return is_secret_name(key) or looks_like_key(reveal(value))


# Compiled on first use: a clean ``check`` prints no value and no key.
@cache
def _url_password() -> re.Pattern[str]:
    """The password of ``scheme://user:password@host``."""
    return re.compile(r"(://[^:/?#@\s]*:)[^@/?#\s]*@")


def shown(key: str, value: Secret | str, *, secret: bool | None = None) -> str:
    """How a value is displayed: masked when it is secret, else raw but scrubbed.

    A name is only a guess: ``DATABASE_URL`` carries a password and a note
    or a broken quote can hold a pasted key, so even a non-secret value has
    URL passwords and key-shaped substrings masked.
    """
    if secret is None:
        secret = is_secret(key, value)
    raw = reveal(value)
    if secret:
        return mask(raw)
    if "://" in raw:  # the regex needs it: most values skip the substitution
        raw = _url_password().sub(r"\1****@", raw)
    return redact(raw, ())


def safe_key(key: str) -> str:
    """A key as reports carry it: exactly as the app sees it, unless it holds a credential.

    Keys are not secrets, and JSON, SARIF and ``--reveal`` must name every
    key exactly (two unusual keys must not collapse into one).  The one
    exception is a key that *contains* a credential: some parsers turn a
    pasted line into a "key" (``util.parseEnv`` glues a line without ``=``
    onto the next key), so a key with a key-shaped run of characters is
    masked, decided by the same classifier as values.  Text output also
    passes keys through :func:`envcheck.report.sanitize.for_terminal`.
    """
    if len(key) >= _KEY_LIKE_MIN and key_holds_credential(key):
        return f"<key holding a credential {mask(key)}>"
    return key


def key_holds_credential(key: str) -> bool:
    """Whether a key name contains a run shaped like a credential (with a digit in it).

    The digit keeps long lower-case names (``ghost_writer_feature_flag``) plain.
    """
    return any(any(c.isdigit() for c in m.group(0)) for m in _KEY_LIKE.finditer(key))


def mask(value: str) -> str:
    """Masked form of a secret: known prefix + ``…`` + last four characters.

    Short values show nothing at all: four characters of an eight-character
    password is half of it.
    """
    if len(value) < 12:
        return "****"
    prefix = ""
    if value.startswith(_KNOWN_PREFIXES):  # one C call for the common no-prefix case
        prefix = next(p for p in _KNOWN_PREFIXES if value.startswith(p))
        if len(prefix) > len(value) // 2:
            prefix = ""
    tail = value[-4:]
    if not tail.isprintable():
        tail = "".join(c if c.isprintable() else "?" for c in tail)
    return f"{prefix}…{tail}"


class Secret:
    """A value that shows only its masked form, whatever prints it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def __str__(self) -> str:
        return mask(self._value)

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return format(mask(self._value), spec)

    def __eq__(self, other: object) -> bool:
        import hmac  # here, not at the top: hashlib/OpenSSL cost start-up time

        return isinstance(other, Secret) and hmac.compare_digest(
            self._value.encode("utf-8", "surrogatepass"),
            other._value.encode("utf-8", "surrogatepass"),
        )

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __len__(self) -> int:
        return len(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")

    def to_json(self) -> str:
        """What JSON reporters write for this value."""
        return mask(self._value)


def reveal(secret: Secret | str) -> str:
    """The raw value. The only way to read one; grep for ``reveal(``."""
    if isinstance(secret, Secret):
        return secret._value
    return secret


class Fingerprinter:
    """HMAC fingerprints keyed per run.

    Equal values get equal fingerprints within one run, so two sides of a diff
    can be compared; the key is random and never stored, so a printed
    fingerprint cannot be matched against a guessed value afterwards.
    """

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else os.urandom(32)

    def __call__(self, value: Secret | str) -> str:
        import hmac

        raw = reveal(value).encode("utf-8", "surrogatepass")
        # The one-shot C HMAC: the same digest as hmac.new(...).hexdigest(), without
        # building an HMAC object per value (diff fingerprints every value twice).
        return hmac.digest(self._key, raw, "sha256").hex()[:12]


def _encodings(value: str) -> Iterable[str]:
    import base64

    yield value
    raw = value.encode("utf-8", "surrogatepass")
    yield base64.b64encode(raw).decode("ascii").rstrip("=")
    yield urllib.parse.quote(value, safe="")
    yield urllib.parse.quote_plus(value)


def redact(text: str, secrets: Iterable[Secret | str]) -> str:
    """Replace every occurrence of the given secrets in ``text`` by their mask.

    Used on server messages that may echo a key back.  Also masks the
    base64 and URL-encoded forms, and anything that looks like a key even if
    it is not one of ours (a server may echo a different, partial key).
    """
    for secret in secrets:
        value = reveal(secret)
        if len(value) < 6:
            continue
        masked = mask(value)
        for form in set(_encodings(value)):
            if form and len(form) >= 6:
                text = text.replace(form, masked)
    return _KEY_LIKE.sub(_mask_match, text)


def _mask_match(match: re.Match[str]) -> str:
    return mask(match.group(0))
