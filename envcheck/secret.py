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
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import Any

from envcheck.providers import DOCUMENTED_TEST_VALUES, KEY_LIKE_STEMS, MASK_PREFIXES

__all__ = [
    "Secret",
    "Fingerprinter",
    "mask",
    "reveal",
    "redact",
    "redactor",
    "is_secret_name",
    "SECRET_NAME_WORDS",
    "is_secret",
    "expects_credential",
    "secret_reason",
    "is_ciphertext",
    "looks_like_key",
    "shown",
    "safe_key",
    "key_holds_credential",
    "credential_slot",
    "not_a_secret_because",
    "url_credential",
    "local_host",
    "masked_for_display",
]


class _Lazy:
    """A regex compiled on first use: most runs never ask whether a value can be a secret,
    and compiling every pattern at import costs the cold start a millisecond."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, *args: Any) -> None:
        self._args = args
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


# Prefixes shown in clear: they identify the kind of key, not the key (most specific first).
_KNOWN_PREFIXES = MASK_PREFIXES


# Long runs of key characters that start like a known credential.
@cache  # compiled on first use; a C-level cache call where a _Lazy ran Python per method
def _key_like() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, KEY_LIKE_STEMS))})[-_A-Za-z0-9]{{16,}}")


# What a key-like value must start with, and its shortest length (prefix + 16):
# a cheap test that lets most values skip the regex.
KEY_LIKE_STARTS = KEY_LIKE_STEMS
_KEY_LIKE_MIN = min(map(len, KEY_LIKE_STEMS)) + 16
# A key-like run is that long a run of the class it is made of (every stem is of it too):
# a value without one holds no key-like run, found by one search of a plain character class.
_KEY_RUN = re.compile(rf"[-_A-Za-z0-9]{{{_KEY_LIKE_MIN}}}")  # one character class: cheap
# The stems' first characters (as many as the shortest stem has): a set lookup on a
# slice of the value rules out the values that start with no stem.
_STEM_HEAD = min(map(len, KEY_LIKE_STEMS))
_STEM_HEADS = frozenset(stem[:_STEM_HEAD] for stem in KEY_LIKE_STEMS)
_STEMS_BY_HEAD: dict[str, tuple[str, ...]] = {
    head: tuple(stem for stem in KEY_LIKE_STEMS if stem[:_STEM_HEAD] == head)
    for head in _STEM_HEADS
}  # each tuple in the stems' order: longest first

# Names that say "this is a credential" (matched on word boundaries of the key).
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:KEY|APIKEY|SECRET|SECRETS|TOKEN|TOKENS|PASSWORD|PASSWD|PASS|PWD|"
    r"PRIVATE|CREDENTIALS?|AUTH|DSN|SALT|SIGNATURE|COOKIE|SESSION)(?:_|$)",
    re.IGNORECASE,
)
# Names containing a secret word that are not secrets themselves: where a
# credential lives or what it is like (its file, name, type, lifetime, header,
# issuer, whether it is on), never the credential.  A URL is decided by its
# value (:func:`url_credential`), not its name.
_NOT_SECRET_NAME = re.compile(
    r"(?:_KEY_ID|_PATH|_FILE|_DIR|_URLS?|_URI|_DOMAIN|_HOST|_PORT|PUBLIC_KEY|PUBLISHABLE_KEY|"
    r"_NAME|_TYPE|_HEADER|_ALGORITHM|_EXPIRY|_EXPIRES_IN|_EXPIRATION|_TTL|_LIFETIME|_MAX_AGE|"
    r"_LENGTH|_ISSUER|_AUDIENCE|_SCOPES?|_PROVIDER|_STRATEGY|_MODE|_ENABLED|_DISABLED|"
    r"_REQUIRED|_ENDPOINT|_REGION|_VERSION|_IDS?)$",
    re.IGNORECASE,
)


# The last word of a name that holds a credential: the head noun of the compound.
_CREDENTIAL_HEAD = _Lazy(
    r"(?:^|_)(?:KEY|APIKEY|SECRET|TOKEN|PASSWORD|PASSWD|PASS|PWD|CREDENTIALS?|DSN|SALT)$",
    re.IGNORECASE,
)


def credential_slot(key: str) -> bool:
    """Whether a name ends in a credential word: ``OPENAI_API_KEY``, not ``PASSWORD_SIGNUP``.

    For an empty value, where only the name can tell: in English compounds the
    last word is the thing itself (``…_API_KEY`` is a key, ``…_PASSWORD_SIGNUP``
    a signup setting).
    """
    return is_secret_name(key) and _CREDENTIAL_HEAD.search(key) is not None


# The words of :data:`_SECRET_NAME` and the endings of :data:`_NOT_SECRET_NAME`, for
# :func:`is_secret_name`'s exact ASCII path (``tests/test_secret.py`` checks it against them).
_SECRET_WORDS = frozenset(
    "KEY APIKEY SECRET SECRETS TOKEN TOKENS PASSWORD PASSWD PASS PWD PRIVATE CREDENTIAL "
    "CREDENTIALS AUTH DSN SALT SIGNATURE COOKIE SESSION".split()
)
SECRET_NAME_WORDS = _SECRET_WORDS  # a credential's name holds one (the C pre-tests read them)
_NOT_SECRET_ENDINGS = tuple(
    "_KEY_ID _PATH _FILE _DIR _URL _URLS _URI _DOMAIN _HOST _PORT PUBLIC_KEY PUBLISHABLE_KEY "
    "_NAME _TYPE _HEADER _ALGORITHM _EXPIRY _EXPIRES_IN _EXPIRATION _TTL _LIFETIME _MAX_AGE "
    "_LENGTH _ISSUER _AUDIENCE _SCOPE _SCOPES _PROVIDER _STRATEGY _MODE _ENABLED _DISABLED "
    "_REQUIRED _ENDPOINT _REGION _VERSION _ID _IDS".split()
)
_SECRET_NAME_MEMO = 1 << 12  # names asked again (a process's, a schema's); large files are not


def is_secret_name(key: str) -> bool:
    """Whether a variable's name says it holds a credential.

    Every family asks it of every key, and a large file's keys are all distinct, so the
    answer is computed, not remembered: for an ASCII name without a line break it is the
    regexes' answer read off the name's words (``(?i)`` folds only ASCII onto ASCII
    there, and ``$`` has no line break to stop before); other names go to the regexes.
    """
    if key.isascii() and "\n" not in key:
        upper = key.upper()
        return not upper.endswith(_NOT_SECRET_ENDINGS) and not _SECRET_WORDS.isdisjoint(
            upper.split("_")
        )
    return _is_secret_name_by_regex(key)


@lru_cache(maxsize=_SECRET_NAME_MEMO)  # bounded: a long-lived language server stays small
def _is_secret_name_by_regex(key: str) -> bool:
    """:func:`is_secret_name` by its definition, the two regexes."""
    return bool(_SECRET_NAME.search(key)) and not _NOT_SECRET_NAME.search(key)


def looks_like_key(value: str) -> bool:
    """Whether a value has the shape of a credential, whatever its name.

    A vendor's stem followed by a long run of key characters that were drawn, not
    written: a key mixes character classes (``sk-proj-3xQa…``, ``AKIA`` and digits),
    while ``skyvern-screenshots`` (a bucket name that starts with ``sk``) or
    ``sk_SOME_SETTING_NAME`` is words (:func:`_drawn`).
    """
    v = value.strip()
    if len(v) < _KEY_LIKE_MIN or v[:_STEM_HEAD] not in _STEM_HEADS:
        return False  # most values: one set lookup, not a startswith per stem
    if not v.startswith(KEY_LIKE_STARTS):
        return False
    if not _key_like().fullmatch(v):
        return False
    # The stems sharing the value's first characters, longest first: a few, not all of them.
    stem = next(s for s in _STEMS_BY_HEAD[v[:_STEM_HEAD]] if v.startswith(s))
    return _drawn(v[len(stem) :])


def _drawn(body: str) -> bool:
    """Whether the characters of ``body`` mix at least two of lower case, upper case, digits.

    Every key shape of :mod:`envcheck.providers` is drawn from such an alphabet
    (alphanumerics, hex, base32 with digits), so a run of one class only - words
    in one case, joined by hyphens or underscores - is a name, not a key.
    """
    # ``body`` is ASCII (the key-like pattern matched it), so a case change says a cased
    # letter is there: three C calls instead of a Python loop per character and class.
    lower = body.upper() != body
    upper = body.lower() != body
    digit = not _DIGITS.isdisjoint(body)
    return lower + upper + digit >= 2


_DIGITS = frozenset("0123456789")


CIPHERTEXT_PREFIX = "encrypted:"


def is_ciphertext(value: str) -> bool:
    """dotenvx ciphertext (``dotenvx encrypt``): committed on purpose, not a secret at rest.

    dotenvx's own test (``encrypted()``): the value starts with ``encrypted:``.
    The plaintext is only known to the app; whether it can be decrypted is
    the dotenvx loader's business (EC511).
    """
    return value.startswith(CIPHERTEXT_PREFIX)


def is_secret(key: str, value: Secret | str) -> bool:
    """Secret by shape, or by name when the value can be a credential at all.

    The default when no schema says otherwise.  A name is only a hint:
    ``NEXTAUTH_DISABLE_SIGNUP=true`` or ``COOKIE_NAME=session`` hold no secret
    (:func:`not_a_secret_because`).
    """
    raw = reveal(value)
    if looks_like_key(raw):
        return True
    return is_secret_name(key) and not_a_secret_because(raw, key) is None


def secret_reason(key: str, value: Secret | str) -> str | None:
    """Why the default classification (no schema) decides as it does, in words; None if plain.

    ``explain`` shows it, so a user can see why ``AUTH_ENABLED=true`` is shown
    and ``JWT_SECRET=…`` is masked.
    """
    raw = reveal(value)
    if looks_like_key(raw):
        return "secret: its value has the shape of a credential"
    if not is_secret_name(key):
        return None
    why_not = not_a_secret_because(raw, key)
    if why_not is None:
        return "secret: its name says it holds a credential"
    return f"not secret: named like a credential, but {why_not}"


def expects_credential(key: str, value: Secret | str) -> bool:
    """Whether the app means ``key`` to hold a credential: its name or its value's shape says so.

    Not the same question as :func:`is_secret`: ``SECRET_KEY=changethis`` holds
    no secret, but the app expects one there, so a placeholder or a stray
    character in it is worth saying.
    """
    return is_secret_name(key) or looks_like_key(reveal(value))


# Values that answer a yes/no question.  "none"/"null" are the unset words of YAML and JS.
_BOOLEAN_WORDS = frozenset(
    "true false yes no on off y n enabled disabled enable disable none null nil undefined".split()
)
_NUMBER = _Lazy(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
# An enumeration value: one to three words of one case, no digit, none longer
# than 12 letters (``bearer``, ``personal-access-token``, ``client_credentials``).
# A passphrase of four or more words, a long run (``mysupersecretkey``), mixed
# case or a digit keeps a value a possible secret.
_WORD = _Lazy(r"[a-z]{1,12}(?:[-_. ][a-z]{1,12}){0,2}|[A-Z]{1,12}(?:[-_. ][A-Z]{1,12}){0,2}")
_WORD_MAX = 40
_URL = _Lazy(r"[A-Za-z][A-Za-z0-9+.-]*://")
# A number with a unit or a rate: ``60/minute``, ``15m``, ``30s``, ``10MB``, ``100 req/s``.
_UNIT = (
    r"(?:ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|years?"
    r"|[kmgt]i?b|b|bytes?|k|req|requests?|rpm|rps|calls?|%)"
)
_QUANTITY = _Lazy(rf"(?i)\d+(?:\.\d+)?\s*{_UNIT}?(?:\s*/\s*{_UNIT})?")
# Words a stand-in adds to its key's own: ``secret_for_confirm_email``, ``my-api-key``.
_FILLER_WORDS = frozenset(
    "a an the my your our for of to and with here please change me this set put "
    "secret secrets key keys token tokens password pass auth basic bearer value "
    "example sample test dummy fake placeholder default".split()
)
_WORD_SPLIT = _Lazy(r"[-_.: /]+")
_CAMEL_HUMP = _Lazy(r"(?<=[a-z])(?=[A-Z])")  # ``defaultSecretKey``: default, secret, key
# Words a value uses to say it stands in for the real one where it is meant to work (local
# development, tests): ``mock_openai_api_key``, ``this-is-a-fake-key``, ``s3mockroot``,
# ``example2password``, ``this-secret-server-key-is-for-local-development-only``.  Matched
# inside words too: a credential someone draws never spells one.
_STAND_IN_WORDS = _Lazy(
    r"(?i)mock|fake|dummy|example|replace|local[-_ ]?development|does not matter|not[-_ ]used"
)
# A word typed with the counting run after it (``teable123``, ``admin1234``): a default
# someone typed for a bundled service, never a drawn secret.
_COUNTED_WORD = _Lazy(r"[A-Za-z]{2,20}[-_]?123(?:4(?:5(?:6(?:7(?:8(?:9(?:0)?)?)?)?)?)?)?")


def _names_itself(value: str, key: str) -> bool:
    """Whether every word of ``value`` is a word of ``key`` or a stand-in's filler.

    ``AUTH_CONFIRM_EMAIL_SECRET=secret_for_confirm_email``, ``SQLD_HTTP_AUTH=basic:token``,
    ``DB_PASSWORD=db-password``, ``PLUGIN_CHART_SECRET=defaultSecretKey`` (the code's own
    fallback): written to say what belongs there.  A passphrase
    (``correct-horse-battery-staple``) uses words its key does not.
    """
    words = [w for w in _WORD_SPLIT.split(_CAMEL_HUMP.sub("_", value).lower()) if w]
    if not words or not all(w.isalpha() for w in words):
        return False
    own = {w for w in _WORD_SPLIT.split(key.lower()) if w}
    return all(w in own or w in _FILLER_WORDS for w in words)


# Query parameters that carry a credential (``?token=``, ``&sig=``, ``?api_key=``).
_SECRET_PARAM = _Lazy(
    r"(?:^|_|-)(?:key|apikey|token|secret|sig|signature|password|pass|pwd|auth|code|credential)s?$",
    re.IGNORECASE,
)


def _token_shaped(segment: str) -> bool:
    """A run of 20+ URL-safe characters mixing letters and digits: a webhook's secret part."""
    if len(segment) < 20:
        return False
    if looks_like_key(segment):
        return True
    if not all(c.isalnum() or c in "-_" for c in segment):
        return False
    return any(c.isdigit() for c in segment) and any(c.isalpha() for c in segment)


def url_credential(value: str) -> str | None:
    """What credential a URL carries, or None: the test that lets a URL be a secret.

    A password in the user part (``postgres://app:pw@db``), a token-shaped
    path segment (Slack and Discord webhooks), or a credential-named query
    parameter (``?token=…``, ``&sig=…``).  A URL with none of them is an
    address, whatever its variable is called.
    """
    try:
        parts = urllib.parse.urlsplit(value.strip())
    except ValueError:
        return "a URL that cannot be parsed"  # keep it masked: better safe
    if parts.password:
        return "a password in the URL"
    if parts.username and _token_shaped(parts.username):
        return "a token in the URL's user part"
    for name, val in urllib.parse.parse_qsl(parts.query, keep_blank_values=False):
        if val and _SECRET_PARAM.search(name):
            return f"a credential in the URL's query ({name}=)"
    if any(_token_shaped(seg) for seg in parts.path.split("/")):
        return "a token-shaped segment in the URL's path"
    return None


def local_host(host: str) -> bool:
    """A host whose traffic stays on this machine or its private network.

    ``localhost`` (and its subdomains, RFC 6761), a loopback or unspecified
    address, or a single-label name (``minio``, ``web``, ``libsql``): such a name
    resolves only through a private resolver - a compose project's service on
    its bridge network, a Kubernetes service, a container link, ``/etc/hosts`` -
    never public DNS.  A request sent there does not cross the internet, and a
    service there is the one the project runs next to the app.
    """
    host = host.strip("[]").lower().rstrip(".")
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    import ipaddress

    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host and ":" not in host
    return address.is_loopback or address.is_unspecified


# Why a value cannot be a credential: the words reports show.
EMPTY = "it is empty"
BOOLEAN = "it is a boolean"
NUMBER = "it is a number"
WORD = "it is a word, not a credential"
ADDRESS = "it is a URL without a credential"
QUANTITY = "it is a quantity (a number with a unit)"
OWN_NAME = "it is made of its own name's words, a stand-in"
REFERENCE = "it is a reference to a secret store, not the secret"
SAYS_STAND_IN = "it says it is a stand-in (mock, fake, dummy, example, replace, local development)"
COUNTED = "it is a typed default (a word and 123…), not a drawn secret"
# The reasons that hold for a template's value too: a template leaves secrets empty
# or as words (``changeme``), but a boolean or a bare URL there is no secret slot.
STRUCTURAL = frozenset({BOOLEAN, NUMBER, ADDRESS})


def not_a_secret_because(value: str, key: str = "") -> str | None:
    """Why ``value`` cannot be a credential whatever its key is called, or None if it can be.

    A secret needs a value that can be one: never empty, a reference to where
    the secret lives (``op://vault/item/field``: :mod:`envcheck.sources.references`),
    a boolean, a number or a quantity (``60/minute``, ``15m``), an enumeration
    word, a URL that carries no credential, or a stand-in made of its own
    key's words (``AUTH_CONFIRM_EMAIL_SECRET=secret_for_confirm_email``), a value that
    says it is a stand-in (``mock_openai_api_key``, ``…-is-for-local-development-only``),
    a typed default (``teable123``)
    or a provider's documented test value (Cloudflare Turnstile's test secret:
    :data:`envcheck.providers.DOCUMENTED_TEST_VALUES`).
    Other placeholders (``your-key-here``) are the templates' business
    (:func:`envcheck.schema.classify.not_filled_in`).  The answer is a reason
    that reports can show.
    """
    v = value.strip()
    if not v:
        return EMPTY
    if ":" in v or "${" in v:  # every secret reference has one (``op://``, ``${{ secrets.X }}``)
        from envcheck.sources.references import reference_kind

        if kind := reference_kind(v):
            return f"{REFERENCE} ({kind})"
    if v.lower() in _BOOLEAN_WORDS:
        return BOOLEAN
    if _NUMBER.fullmatch(v):
        return NUMBER
    if _QUANTITY.fullmatch(v):
        return QUANTITY
    if len(v) <= _WORD_MAX and _WORD.fullmatch(v.strip("_")):
        return WORD  # ``bearer``; ``__UNSET__``, a sentinel word in a frame of underscores
    if key and len(v) <= _WORD_MAX and _names_itself(v, key):
        return OWN_NAME
    if _URL.match(v):
        return None if url_credential(v) else ADDRESS
    if _STAND_IN_WORDS.search(v):
        return SAYS_STAND_IN
    if len(v) <= _WORD_MAX and _COUNTED_WORD.fullmatch(v):
        return COUNTED
    if v in DOCUMENTED_TEST_VALUES:
        return f"it is {DOCUMENTED_TEST_VALUES[v]}"
    return None


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
    return _redact(raw, [])  # redact(raw, ()): no secrets of ours, key-shaped runs only


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
    if key_holds_credential(key):
        return f"<key holding a credential {mask(key)}>"
    return key


def key_holds_credential(key: str) -> bool:
    """Whether a key name may contain a pasted credential.

    Two cases.  A key that spans lines: ``util.parseEnv`` (Vite) glues every
    line without ``=`` onto the next key, so the lines before the last are
    whatever was pasted there - often a password, which no shape test can
    recognise; no real variable name holds a line break.  Otherwise, a run
    shaped like a credential with a digit in it (the digit keeps long
    lower-case names such as ``ghost_writer_feature_flag`` plain).
    """
    if "\n" in key or "\r" in key:
        return True
    if len(key) < _KEY_LIKE_MIN or _KEY_RUN.search(key) is None:
        return False
    return any(any(c.isdigit() for c in m.group(0)) for m in _key_like().finditer(key))


def masked_for_display(
    key: str, value: Secret | str, *, declared: bool | None, from_checkout: bool
) -> bool:
    """Whether a value is shown masked: the schema may add masking, not always remove it.

    Masking is lifted only by trusted input.  ``--reveal`` on the command
    line reveals everything; ``secret = false`` in ``envcheck.toml`` is part
    of the checkout, so it unmasks only a value that comes from the same
    checkout's files (``from_checkout``): the schema then describes the
    checkout's own data, which anyone who can read the schema can read in
    the file too.  A value from the process environment (a CI secret, the
    user's shell) stays masked whenever its name or shape says secret,
    whatever a checked file declares; ``secret = true`` masks any value.
    """
    by_default = is_secret(key, value)
    if declared is None:
        return by_default
    return declared if from_checkout else declared or by_default


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
    """Fingerprints keyed per run: keyed BLAKE2b, 48 bits of it shown.

    Equal values get equal fingerprints within one run, so two sides of a diff
    can be compared; the key is random and never stored, so a printed
    fingerprint cannot be matched against a guessed value afterwards.
    BLAKE2b's keyed mode is a MAC by design (a pseudorandom function of key
    and value, like the HMAC-SHA256 it replaces) in one pass: a third of the
    HMAC's cost per value, and ``diff`` at 100k lines fingerprints 100,000
    values.  It comes from the interpreter's builtin module, as
    ``code.cache.blake2b_hasher`` does: no OpenSSL load.
    """

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key if key is not None else os.urandom(32)
        try:
            from _blake2 import blake2b
        except ImportError:  # pragma: no cover - an interpreter without the builtin module
            from hashlib import blake2b
        self._blake2b = blake2b
        # Keyed BLAKE2b hashes the key as a block of its own first: done once here, and
        # each value continues a copy of that state (a quarter less per value).
        self._keyed = blake2b(key=self._key, digest_size=6)

    def __call__(self, value: Secret | str) -> str:
        hasher = self._keyed.copy()
        hasher.update(reveal(value).encode("utf-8", "surrogatepass"))
        return hasher.hexdigest()


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
    return _redact(text, _forms(secrets))


def redactor(secrets: Iterable[Secret | str], *, keys_masked: bool = False) -> Callable[[str], str]:
    """:func:`redact` with its secrets fixed, for many texts: each secret's encoded forms
    are worked out once (``explain`` masks the process's secrets in every value it shows).

    ``keys_masked``: the texts are :func:`shown`'s (key-shaped runs masked already, and
    masking them again changes nothing), so a text that holds none of the secrets' forms
    is returned as it is, without the key-shape pass.
    """
    forms = _forms(secrets)
    if keys_masked:
        needles = tuple(form for form, _ in forms)
        return lambda text: _redact(text, forms) if any(map(text.__contains__, needles)) else text
    return lambda text: _redact(text, forms)


def _forms(secrets: Iterable[Secret | str]) -> list[tuple[str, str]]:
    """(form, mask) for every form of every secret :func:`redact` replaces."""
    forms: list[tuple[str, str]] = []
    for secret in secrets:
        value = reveal(secret)
        if len(value) < 6:
            continue
        masked = mask(value)
        forms.extend((form, masked) for form in set(_encodings(value)) if form and len(form) >= 6)
    return forms


def _redact(text: str, forms: list[tuple[str, str]]) -> str:
    for form, masked in forms:
        text = text.replace(form, masked)
    if len(text) < _KEY_LIKE_MIN or _KEY_RUN.search(text) is None:
        return text  # no run long enough for a key-shaped one (most values): no alternation
    masked_text: str = _key_like().sub(_mask_match, text)
    return masked_text


def _mask_match(match: re.Match[str]) -> str:
    return mask(match.group(0))
