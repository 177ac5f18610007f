"""Value hygiene that needs no schema: placeholders and characters pasted in by accident.

Both checks are about how a value was *written*, not what kind of
credential it is, so they live apart from the detectors; they are
re-exported by :mod:`envcheck.schema.formats`.  Imports only ``re`` (and, on
first use, the C pre-test of :mod:`envcheck.sources._fastlines`), and
compiles its regexes on first use: ``explain`` imports this module (through
the formats) and never calls it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

__all__ = ["has_zero_width", "is_placeholder", "is_typed_dummy", "stray_characters"]


@cache
def _zero_width() -> re.Pattern[str]:
    return re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


_QUOTES = "\"'`\u201c\u201d\u2018\u2019"


def has_zero_width(value: str) -> bool:
    """Whether ``stray_characters`` would report an invisible zero-width character."""
    return not value.isascii() and _zero_width().search(value) is not None  # none is ASCII


def stray_characters(value: str) -> str | None:
    """What was pasted in with a key by accident, or None.

    Leading/trailing whitespace, quote characters that the parser kept as
    part of the value, invisible zero-width characters and line breaks all
    make a correct key fail authentication with a confusing error.
    """
    if m := _zero_width().search(value):
        return f"contains an invisible zero-width character at position {m.start() + 1}"
    if value != value.lstrip():
        return "starts with whitespace"
    if value != value.rstrip():
        return "ends with whitespace"
    if "\n" in value or "\r" in value:
        return "contains a line break"
    if len(value) >= 2 and value[0] in _QUOTES and value[-1] in _QUOTES:
        return "is wrapped in quote characters that are part of the value"
    if value and (value[0] in _QUOTES or value[-1] in _QUOTES):
        return "starts or ends with a stray quote character"
    return None


@cache
def _placeholder() -> re.Pattern[str]:
    return re.compile(
        r"""(?ix)
        <[^<>]*> | \{\{[^{}]*\}\}                  # <your-key>, {{KEY}}
        | \{[A-Z][A-Z0-9_]*\}                     # {ANON_PUBLIC} (shelf.nu)
        | some[-_ ](?:.*[-_ ])?(?:key|token|secret|password|value)s?[-_ ]for[-_ ].*  # kener
        | (?:.*[-_ .])?(?:your|insert|enter|paste)[-_ .](?:.*[-_ .])?
          (?:key|token|secret|password|pass|id|value|url|here|dsn)s?(?:[-_ .].*)?
        | \[[^\[\]"',]*(?:your|key|token|secret|password|here)[^\[\]"',]*\]  # [YOUR-PASSWORD]
        | .*[-_ .]here
        | (?:please[-_ .]?)?change[-_ .]?(?:me|this|it)(?:[-_ .].*)?  # changethis (FastAPI)
        | replace[-_ .]?(?:me|this|it)(?:[-_ .].*)? | replace[-_ .]with[-_ .].*
        | _*replace_* | set[-_ .]?me | fill[-_ .]?(?:me|this)(?:[-_ .]?in)?
        | (?:insert|enter|paste|put|add)[-_ .](?:your|a|the|key|token|secret)(?:[-_ .].*)?
        | (?:get|generate|create|obtain)[-_ .](?:your|a|an|one|the)[-_ .].*  # get_a_key_from_…
        | todo | tbd | fixme | placeholder | redacted | none[-_ ]?yet
        | (?:.*[-_ .])?dummy(?:[-_ .]?(?:api[-_ .]?)?(?:key|token|secret|value|password)s?)?
        | (?:.*[-_ .@/])?your[-_]?(?:domain|project|site|company|org)(?:[-_.].*)?  # your-domain.com
        | (?:an?[-_ ])?example(?:[-_ ](?:key|token|secret|value|password))?
        | x{3,} | \*{3,} | \.{3,} | … | -+ | (?:x{3,}[-_])+x{3,}
        """
    )


@cache
def _prefixes_by_head() -> tuple[int, dict[str, tuple[str, ...]]]:
    """The vendor prefixes keyed by their first characters (as many as the shortest has).

    One dict lookup on a slice of the value replaces a ``startswith`` per prefix
    (a hundred of them): most values start with no prefix at all.
    """
    from envcheck.providers import VENDOR_PREFIXES  # longest first: the most specific wins

    head = min(map(len, VENDOR_PREFIXES))
    table: dict[str, tuple[str, ...]] = {}
    for prefix in VENDOR_PREFIXES:  # kept in the table's order: longest first
        table[prefix[:head]] = (*table.get(prefix[:head], ()), prefix)
    return head, table


def _after_known_prefix(text: str) -> str:
    """``text`` without the vendor prefix it starts with (the longest: the table lists the
    most specific first), or ``text`` itself."""
    head, table = _prefixes_by_head()
    candidates = table.get(text[:head])
    if candidates is None:
        return text
    prefix = next((p for p in candidates if text.startswith(p)), "")
    return text[len(prefix) :]


# What is typed where a key's random part goes: ``...``, ``…``, ``xxxx``, ``***``, ``<...>``.
_FILLER = r"[x*.…_-]{3,}|\.\.\.?|…|[<\[{](?:\.\.\.|…|[x*]+)[>\]}]"


@cache
def _filler() -> re.Pattern[str]:
    return re.compile(rf"(?i){_FILLER}|(?:your|my)[-_].*|0{{8,}}|1234\d*")


@cache
def _shaped_stand_in() -> re.Pattern[str]:
    """A key's head followed by filler (``re_...``, ``fc-...``, ``e2b_...``, ``sk_live_…``,
    ``ghp_<...>``): how a README or a commented-out line shows which key goes there.

    The head is the shape every vendor prefix has (a short word, maybe a second one,
    then ``_`` or ``-``), so a vendor missing from the provider table is read the same;
    the tail holds none of a key's random characters, so no real key matches.  Every tail
    ends in one of :data:`_STAND_IN_ENDS` or a frame character, or is not ASCII, so the
    extension's pre-test sends each such value here.
    """
    return re.compile(
        r"(?i)[a-z][a-z0-9]{0,11}(?:[_-][a-z0-9]{1,12}){0,3}[_-]"
        r"(?:\.{3,}|x{3,}|\*{3,}|…+|[<\[{](?:\.\.\.|…|x+|\*+)[>\]}])"
    )


_LONGEST_PLACEHOLDER = 256
_LONGEST_SHAPED_STAND_IN = 80  # a head of four short words and a typed filler
_FRAME = " *#=<>[](){}!"
# Words that are stand-ins only inside a frame (``*** REPLACE ***``): alone they can be real.
_FRAMED_WORDS = frozenset({"replace", "change", "fill in", "required", "secret", "key", "token"})


def _repeats(text: str) -> bool:
    """Typed to fill a slot, not generated: a generated key never has this much structure.

    A short unit again and again (``fake`` x 10: at least 12 characters, a unit
    of at most 8 repeated 3 or more times), a word said twice (``polarpolar``),
    a word and a count (``polar123456789``).
    """
    n = len(text)
    if "123456" in text and _counted().fullmatch(text):  # polar123456789: a word and a count
        return True
    if n % 2 == 0 and n >= 8 and text[: n // 2].isalpha() and text[: n // 2] * 2 == text:
        return True  # polarpolar, testtest: a word said twice
    if n < 12:
        return False
    # A unit of k <= 8 characters repeated 3+ times puts the first four characters again
    # at k (n >= 12 >= k + 4): one C search rules out every k before the slices are built.
    if text.find(text[:4], 1, 12) < 0:
        return False
    return any(
        n >= 3 * k and text == (text[:k] * (n // k + 1))[:n] for k in range(1, min(8, n // 3) + 1)
    )


def is_typed_dummy(value: str) -> bool:
    """A value typed to fill a slot (``polarpolar``, ``polar123456789``), not an instruction.

    :func:`is_placeholder` counts it (it is no real secret), but unlike ``changeme`` or
    ``<your-key>`` it works: a template that ships it sets a bundled service's local
    password, which the app and the service agree on.
    """
    return _repeats(value.strip())


# A word (or nothing) and the digits of a count: ``polar123456789``, ``pass123456``.
@cache
def _counted() -> re.Pattern[str]:
    return re.compile(r"[A-Za-z]*[-_.]?(?:0?123456789?|1234567|123456)")


def is_placeholder(value: str) -> bool:
    """Whether ``value`` is a template's stand-in, not a real value.

    ``your-api-key-here``, ``sk-xxxx…``, ``changeme``, ``changethis``
    (full-stack-fastapi-template), ``<token>``, ``[YOUR-PASSWORD]``,
    ``TODO``, ``xxx``, ``...``, ``REPLACE_ME``, ``dummy``, ``example``,
    ``some_secret_key_for_app``, ``{ANON_PUBLIC}``, and stand-ins inside URLs
    (``https://your-project.supabase.co``, ``postgres://{USER}@{HOST}/{DB_NAME}``): copied from
    a ``.env.example`` and never filled in, they fail at the first request.
    Words that are also real development values (``password``, ``secret``,
    ``test``, ``localhost``) are not placeholders.
    """
    text = value.strip()
    if not text:
        return False
    if _may_be_stand_in()(text) and _by_words_or_shape(text):
        return True
    rest = _after_known_prefix(text)
    if rest != text and (not rest or bool(_filler().fullmatch(rest))):
        return True
    if len(text) <= _LONGEST_SHAPED_STAND_IN and _shaped_stand_in().fullmatch(text):
        return True
    return (
        ("://" in text or _bare_host(text))
        and _may_hold_url_stand_in(text)
        and _url_placeholder().search(text) is not None
    )


def _bare_host(text: str) -> bool:
    """A host name without a scheme (``SHOPIFY_STORE_DOMAIN=[your-shopify-store-subdomain]
    .myshopify.com``, vercel/commerce's template): a URL's stand-ins are stand-ins there too.
    No blank, a dot, and nothing but a host's characters and the stand-in's brackets."""
    return "." in text and _host_chars().fullmatch(text) is not None


@cache
def _host_chars() -> re.Pattern[str]:
    return re.compile(r"[A-Za-z0-9.\-_\[\]<>{}:]+")


def _by_words_or_shape(text: str) -> bool:
    """:func:`is_placeholder`'s tests before the vendor prefix and the URL, for stripped
    ``text``: an AWS docs key, a typed filler, a stand-in, a stand-in in a frame."""
    if "EXAMPLE" in text:  # AWS docs: AKIAIOSFODNN7EXAMPLE
        return True
    if _repeats(text):  # fakefakefakefake…, abcabcabc…, 000000000000
        return True
    # The ``.*`` alternatives backtrack quadratically; a real stand-in is a few words.
    if len(text) <= _LONGEST_PLACEHOLDER and _is_stand_in(text):
        return True
    # A stand-in in a frame of filler: ``*** REPLACE ***``, ``## your key ##``, ``[ TODO ]``.
    inner = text.strip(_FRAME)
    if inner != text and inner and len(inner) <= _LONGEST_PLACEHOLDER:
        if _is_stand_in(inner) or inner.lower() in _FRAMED_WORDS:
            return True
    return False


def _always(text: str) -> bool:
    """The pre-test without the extension: every value goes to the Python tests."""
    return True


@cache
def _may_be_stand_in() -> Callable[[str], bool]:
    """False only when :func:`_by_words_or_shape` surely is, in one C call: the
    extension's ``may_be_stand_in``, given this module's words (the same pre-tests, for
    every file's tens of thousands of distinct values).  Without the extension (no
    compiler at install) every value goes to the Python tests."""
    try:
        from envcheck.sources import _fastlines
    except ImportError:
        return _always
    _fastlines.set_stand_in_words(
        "".join(_STAND_IN_FIRST), _FRAME, _STAND_IN_STARTS, _STAND_IN_ENDS, _STAND_IN_CONTAINS
    )
    return _fastlines.may_be_stand_in


# What every match of :func:`_placeholder` begins with, starts with, contains or ends with,
# read off its alternatives (lower case): a value with none of them skips the regex, which
# is what most values are - words, numbers, hosts, drawn keys.
_STAND_IN_FIRST = frozenset("<{[_x*.-")
_STAND_IN_STARTS = (
    "some", "please", "change", "replace", "set", "fill", "put", "add", "get", "generate",
    "create", "obtain", "todo", "tbd", "fixme", "placeholder", "redacted", "none",
)  # fmt: skip
# ``here``; and the typed fillers :func:`_shaped_stand_in` reads after a key's head (``re_...``,
# ``ghp_xxx``): a value ending so is sent to it, not passed as surely no stand-in.
_STAND_IN_ENDS = ("here", "...", "xxx", "***")
# ``insert``, ``enter`` and ``paste`` also start some alternatives: contained, they are here.
_STAND_IN_CONTAINS = ("your", "insert", "enter", "paste", "dummy", "example")


def _is_stand_in(text: str) -> bool:
    """``_placeholder().fullmatch(text)``, with a cheap test first that rules most values out.

    The test is exact only for ASCII: ``(?i)`` also folds a few other letters onto
    ASCII ones (``ſ`` is ``s``, the Kelvin sign ``k``), so other text goes to the regex.
    """
    if text.isascii():
        low = text.lower()
        if not (
            low[:1] in _STAND_IN_FIRST
            or low.startswith(_STAND_IN_STARTS)
            or low.endswith(_STAND_IN_ENDS)
            or any(word in low for word in _STAND_IN_CONTAINS)
        ):
            return False
    return _placeholder().fullmatch(text) is not None


def _may_hold_url_stand_in(text: str) -> bool:
    """False when :func:`_url_placeholder` surely finds nothing: each of its alternatives
    needs one of ``[``, ``<``, ``{``, ``your`` or ``xxxx`` (ASCII; see :func:`_is_stand_in`)."""
    if not text.isascii():
        return True
    if "[" in text or "<" in text or "{" in text:
        return True
    low = text.lower()
    return "your" in low or "xxxx" in low


@cache
def _url_placeholder() -> re.Pattern[str]:
    """A stand-in inside a URL: ``postgresql://postgres:[YOUR-PASSWORD]@db…``, ``https://xxxx.supabase.co``.

    Only in URLs, where a template puts a placeholder in one part of a real
    shape; ``example.com`` hosts are real documentation domains, not this.
    """
    # The bracket alternative is linear: a lookahead checks once that the bracket
    # closes, nothing after the word backtracks, and no bracket spans another
    # ``[`` (100 kB of ``[`` or ``[your`` would otherwise rescan the tail at each).
    return re.compile(
        r"(?i)\[(?=[^\[\]@/]*+\])[^\[\]@/]*?(?:your|password|key|token|secret|here)"
        r"[^\[\]@/]*+\]"
        r"|<[^<>@/]+>"
        r"|(?<=[/@.:])your[-_](?:project|domain|app|db|database|host|org|account|site|"
        r"instance|workspace|tenant|bucket|region|server|user(?:name)?|password|pass)[-_a-z0-9]*(?=[.:/@?]|$)"
        r"|(?<=[/@])x{4,}(?=[.:@])"
        # postgres://{USER}:{PASSWORD}@{HOST}; not a format field the app fills in
        # (``…/checkout-links/{client_secret}/redirect``): case-sensitive, unlike the rest.
        r"|(?<=[/@:])(?-i:\{[A-Z][A-Z0-9_]*\})(?=[.:/@?]|$)"
    )
