"""What a template's layout says about a key: the integration its paragraph configures.

A template groups its keys in paragraphs (keys and comments between blank lines), and
a paragraph that configures one third-party service says so in two ways: its keys
share a name stem (``XERO_CLIENT_ID``, ``XERO_CLIENT_SECRET``, ``XERO_OAUTH_REDIRECT_URL``)
or a lone key's paragraph opens with the service's name (``# Stripe`` above
``NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY``, ``# Lingo.dev API key …`` above
``LINGO_API_KEY``).  Its comments may also name the template's own switch for it
(``… can be configured if FILE_STORAGE=s3 above``, ``Set CREDENTIAL_VAULT_TYPE=bitwarden
to use Bitwarden``), mark a key ``deprecated``, or say ``[REQUIRED]``.

EC306 weighs a placeholder by these facts (:func:`envcheck.rules.schema._placeholder`):
a placeholder left in an integration's paragraph, with nothing saying the app needs
it, is an integration the developer has not set up yet (EC310), not a broken app.
The app's own core settings are no such paragraph: they mix stems (``SESSION_SECRET``,
``SUPABASE_URL``, ``SERVER_URL`` together), and a template that is one paragraph of
one service (``GITHUB_CLIENT_ID``, ``GITHUB_CLIENT_SECRET`` alone) lists what the app
needs, not an integration it may skip.

Read from the template's text alone (no values kept: only names, comments and
whether a value is there), bounded by the template's size like every template read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

__all__ = ["Paragraph", "any_value_works", "integration", "paragraphs", "unconfigured_because"]

_KEY_LINE = re.compile(
    r"[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=(?P<rest>.*)"
)
# ``OTHER=value`` named in prose, as the condition of a paragraph: "if FILE_STORAGE=s3".
_SWITCH = re.compile(r"\b(?P<key>[A-Z][A-Z0-9_]*[A-Z0-9])[ \t]*=[ \t]*[\"'`]?(?P<value>[\w.:/-]+)")
_CONDITION = re.compile(r"(?i)\b(?:if|when|unless|only|set|requires?|with)\b")
# "required" as a requirement of the app: not "required for signup with passkey" (a
# feature's), not "not required".
_REQUIRED = re.compile(
    r"(?i)(?<!not )\b(?:required|mandatory)\b(?![ \t]+(?:for|to|if|when|only|by|in|with)\b)"
)
_DEPRECATED = re.compile(r"(?i)\b(?:deprecated|unused|no longer used)\b")
# The template says the app itself never reads the key: another program's setting listed
# for reference ("call-kent-audio-worker runtime (… not read by app)").
_NOT_READ = re.compile(
    r"(?i)\bnot[ \t]+(?:read|used)[ \t]+by[ \t]+(?:the[ \t]+)?(?:app|application)\b"
)
# Words saying that whatever the value is, it works: a working development value, not a
# stand-in ("Any value can be used locally", ``anything_works_here``, ``any-random-string``).
# Not ``change-me-in-production``: "change me" is the stand-in's own word, and the bench's
# cold-start project (tests/test_import_hygiene.py) counts its NEXTAUTH_SECRET as EC306.
# Words, not letters: ``_``/``-`` separate them in a value.
_ANY_VALUE = re.compile(
    r"(?i)(?<![a-z])(?:"
    r"any(?:thing|[-_ \t]+value)[-_ \t]+(?:works?|goes|will[-_ \t]+do|is[-_ \t]+fine"
    r"|(?:can|may|could)[-_ \t]+be[-_ \t]+used)"
    r"|any[-_ \t]+random[-_ \t]+(?:string|value|text)"
    r")(?![a-z])"
)
_WORDS = re.compile(r"[A-Za-z0-9]+")
# Prefixes a bundler gives browser-visible keys: ``NEXT_PUBLIC_STRIPE_KEY`` is Stripe's.
_PUBLIC_PREFIXES = ("NEXT_PUBLIC_", "VITE_", "PUBLIC_", "REACT_APP_", "EXPO_PUBLIC_", "NUXT_")
# Words of a name that say what kind of value a key holds, not whose it is.
_KIND_WORDS = frozenset(
    "API KEY KEYS ID SECRET SECRETS TOKEN TOKENS CLIENT URL URI HOST PORT USER USERNAME "
    "PASSWORD PASS PWD NAME DSN ACCESS PUBLIC PRIVATE APP AUTH OAUTH BASE ENABLED".split()
)


class Paragraph:
    """One paragraph of a template: its live keys in order, and its comment lines."""

    __slots__ = ("keys", "comments", "inline", "header")

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.comments: list[str] = []  # the paragraph's own comment lines, in order
        self.inline: dict[str, str] = {}  # a key's comment on its own line
        self.header: str | None = None  # the first comment, when it comes before any key


def paragraphs(text: str) -> dict[str, Paragraph]:
    """Each live key of ``text`` with the paragraph it sits in (the last one wins).

    A commented-out key (``# KEY=x``) is neither a key nor prose; a multi-line quoted
    value stays in its key's paragraph.
    """
    found: dict[str, Paragraph] = {}
    current = Paragraph()
    lines = text.lstrip("\ufeff").splitlines()
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        i += 1
        if not stripped:
            current = Paragraph()
            continue
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            if comment.strip("#=-*~_ \t") and not _KEY_LINE.match(comment):
                if not current.keys and not current.comments:
                    current.header = comment
                current.comments.append(comment)
            continue
        m = _KEY_LINE.match(lines[i - 1])
        if m is None:
            continue
        key, rest = m.group("key"), m.group("rest").strip()
        quote = rest[:1]
        if quote in ("'", '"', "`") and rest.count(quote) == 1:
            while i < len(lines) and quote not in lines[i]:  # a multi-line value
                i += 1
            i += 1
        elif "#" in rest:
            inline = rest[rest.rfind("#") + 1 :].strip()
            if inline:
                current.inline[key] = inline
        current.keys.append(key)
        found[key] = current
    return found


def _words(key: str, namespace: str | None) -> list[str]:
    """The words naming whose key it is: no bundler prefix, no template-wide namespace."""
    upper = key.upper()
    for prefix in _PUBLIC_PREFIXES:
        if upper.startswith(prefix) and len(upper) > len(prefix):
            upper = upper[len(prefix) :]
            break
    words = [w for w in upper.split("_") if w]
    if namespace is not None and len(words) > 1 and words[0] == namespace:
        words = words[1:]
    return words


def _namespace(keys: Mapping[str, Paragraph]) -> str | None:
    """The first word most of the template's keys share, across paragraphs (``POLAR_`` in
    polar's): the project's own prefix, which names no integration."""
    counts = Counter(_words(key, None)[0] for key in keys if _words(key, None))
    if not counts:
        return None
    word, count = counts.most_common(1)[0]
    spread = {id(p) for key, p in keys.items() if _words(key, None)[:1] == [word]}
    return word if count * 2 > len(keys) and len(spread) >= 3 else None


def _stem(paragraph: Paragraph, namespace: str | None) -> list[str]:
    """The name words every key of the paragraph starts with."""
    stems = [_words(key, namespace) for key in paragraph.keys]
    common = stems[0] if stems else []
    for words in stems[1:]:
        n = 0
        while n < min(len(common), len(words)) and common[n] == words[n]:
            n += 1
        common = common[:n]
    return common


def _integration(key: str, paragraph: Paragraph, keys: Mapping[str, Paragraph]) -> str | None:
    """The service the key's paragraph configures, by name, or None."""
    if all(p is paragraph for p in keys.values()):
        return None  # the whole template is this one paragraph: what the app needs
    namespace = _namespace(keys)
    if len(paragraph.keys) > 1:
        stem = _stem(paragraph, namespace)
    else:
        # ``# Stripe`` names a service; ``# File Key Secret``, ``# Direct URL is used by
        # prisma …`` only spell the key.
        said = [w.upper() for w in _WORDS.findall(paragraph.header or "")]
        words = _words(key, namespace)
        spelled = said[: len(words)] == words
        stem = words[:1] if said and words and said[0] == words[0] and not spelled else []
    while stem and (stem[-1] in _KIND_WORDS or stem[-1].isdigit()):
        stem = stem[:-1]  # SLACK_CLIENT_ID, SLACK_CLIENT_SECRET: Slack's
    return " ".join(w.title() for w in stem) if stem else None


def integration(key: str, keys: Mapping[str, Paragraph]) -> str | None:
    """The service ``key``'s paragraph configures, by name (``Meili``, ``Spaces``), or None:
    what :func:`envcheck.schema.example.parse_example` asks of a section it carries an
    earlier header's "optional" over."""
    paragraph = keys.get(key)
    return None if paragraph is None else _integration(key, paragraph, keys)


def unconfigured_because(
    key: str,
    keys: Mapping[str, Paragraph],
    live: Callable[[str], str | None],
    *,
    by_name: bool = True,
) -> str | None:
    """Why the template shows ``key`` as part of an integration that is not set up, or
    None when it does not (or says the app requires the key).

    ``keys``: :func:`paragraphs` of the template; ``live``: the value the app sees for
    another key (None when unset), to read the template's own switch.  ``by_name``:
    whether the paragraph's name may say it (not for the URL of a service the app
    connects to, ``DATABASE_URL="postgres://{USER}@{HOST}…"``: its own database, whatever
    its paragraph is called).
    """
    paragraph = keys.get(key)
    if paragraph is None:
        return None
    own = [*paragraph.comments, paragraph.inline.get(key, "")]
    if any(_REQUIRED.search(comment) for comment in own):
        return None  # "[REQUIRED] Resend API key …": the template says the app needs it
    if any(_DEPRECATED.search(comment) for comment in own):
        return "the template marks it deprecated"
    if any(_NOT_READ.search(comment) for comment in own):
        return "the template says the app does not read it"
    for comment in own:
        if not _CONDITION.search(comment):
            continue
        for m in _SWITCH.finditer(comment):
            other, wanted = m.group("key"), m.group("value")
            if other == key or other in paragraph.keys:
                continue
            value = live(other)
            if value is None or value.strip().lower() != wanted.lower():
                return f"the template configures it for {other}={wanted}"
    service = _integration(key, paragraph, keys) if by_name else None
    return None if service is None else f"the template lists it under {service}"


def any_value_works(key: str, keys: Mapping[str, Paragraph], value: str) -> bool:
    """Whether the value, or the comments of the key's paragraph, say any value works.

    ``SESSION_SECRET=anything_works_here`` under ``# Any value can be used locally, but it
    must be set``: the template's value is the development value, so a copy holding it is
    set up, not a placeholder left in (EC306).  A "required" in the same comments does
    not change it: the key must be set, and is.
    """
    if _ANY_VALUE.search(value):
        return True
    paragraph = keys.get(key)
    if paragraph is None:
        return False
    return any(_ANY_VALUE.search(c) for c in (*paragraph.comments, paragraph.inline.get(key, "")))
