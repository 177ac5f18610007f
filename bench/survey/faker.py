"""Replace every value of an env file with a fake of the same shape.

Why: the survey runs envcheck on public repositories' env files and templates.  Those
files sometimes hold real credentials (committed by mistake, or "demo" keys that still
work), and the survey's results, fixtures and tests must never carry one.  But envcheck's
rules judge a value by its *shape* (prefix, length, character classes, URL userinfo, JWT
claims, placeholders), so a fake must keep exactly the shape a rule could look at:

* a value that cannot carry a secret is its own fake: empty, booleans, numbers,
  credential-free URLs, ``${VAR}`` references, words and placeholders (``your-key-here``,
  ``changeme``, ``<token>``), paths, host names, and typed dummies (``polar123456789``,
  ``polarpolar``: :func:`is_obvious_dummy`);
* a key-shaped value keeps its prefix (``sk_live_``, ``ghp_``, ``sk-proj-``, ...) and its
  length, and every other character is replaced by a random one of the same class
  (digit, lower, upper; punctuation kept);
* a URL keeps scheme, host, port, path and query shape; its userinfo is faked
  character by character, and so are token-shaped path segments and query values;
* a JWT keeps its header and claims (``role: anon`` is what tells a public Supabase key
  from a service key) and gets a fake signature;
* a PEM block keeps its BEGIN/END lines, the body is faked.

Fakes are deterministic (seeded by the file's path, the key and the value), so a re-run
produces the same files and the recorded verdicts still apply.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import string
from collections.abc import Iterator

# Known secret prefixes, longest first so ``sk-proj-`` wins over ``sk-``.
KNOWN_PREFIXES = sorted(
    [
        "sk-proj-",
        "sk-ant-api03-",
        "sk-ant-",
        "sk-or-v1-",
        "sk-",
        "sk_live_",
        "sk_test_",
        "pk_live_",
        "pk_test_",
        "rk_live_",
        "rk_test_",
        "whsec_",
        "ghp_",
        "gho_",
        "ghs_",
        "ghu_",
        "github_pat_",
        "glpat-",
        "xoxb-",
        "xoxp-",
        "xapp-",
        "hf_",
        "re_",
        "phc_",
        "phx_",
        "AKIA",
        "ASIA",
        "AIza",
        "SG.",
        "npm_",
        "dop_v1_",
        "lin_api_",
        "sntrys_",
        "shpat_",
        "shpss_",
        "gsk_",
        "pplx-",
        "tvly-",
        "r8_",
        "key-",
        "pat",
    ],
    key=len,
    reverse=True,
)

_BOOLEAN_OR_ENUM = re.compile(
    r"(?i)^(true|false|yes|no|on|off|enabled?|disabled?|none|null|nil|debug|info|warn(ing)?"
    r"|error|development|production|test|staging|local)$"
)
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?[a-zA-Z]{0,2}$")
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<rest>.*)$", re.S)
_JWT = re.compile(r"^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_\-+/=.~:]+$")
_REFERENCE = re.compile(r"\$\{|\$\(|^\$[A-Za-z_]")
_PLACEHOLDER_WORDS = re.compile(
    r"(?i)(your|change|replace|example|placeholder|xxx|todo|insert|fill|here|secret_?key"
    r"|dummy|sample|fake|<|>|\*\*\*)"
)


def _rng(*parts: str) -> random.Random:
    """A generator seeded by the value's identity, so fakes are stable across runs."""
    digest = hashlib.sha256("\0".join(parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _fake_chars(text: str, rng: random.Random) -> str:
    """Same length, same class per character; punctuation (the shape's skeleton) kept."""
    out = []
    for char in text:
        if char.isdigit():
            out.append(rng.choice(string.digits))
        elif char.islower():
            out.append(rng.choice(string.ascii_lowercase))
        elif char.isupper():
            out.append(rng.choice(string.ascii_uppercase))
        else:
            out.append(char)
    return "".join(out)


def _split_prefix(value: str) -> tuple[str, str]:
    """The vendor prefix a rule could recognise, and the random body after it."""
    for prefix in KNOWN_PREFIXES:
        if value.startswith(prefix) and len(value) > len(prefix) + 8:
            return prefix, value[len(prefix) :]
    generic = re.match(r"^([a-z]{2,8}[_-](?:[a-z]{2,8}[_-])?)(?=[A-Za-z0-9]{12,})", value)
    if generic:
        return generic.group(1), value[generic.end() :]
    return "", value


def is_key_shaped(value: str) -> bool:
    """Could this value be a credential?  Long, one token, letters mixed with digits
    (or a known vendor prefix) -- the shapes envcheck's secret rules look at."""
    if len(value) < 12 or not _TOKEN_CHARS.match(value):
        return False
    if _split_prefix(value)[0] and any(c.isdigit() or c.isupper() for c in value):
        return True
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    if not (has_digit and has_alpha):
        return len(value) >= 32 and len(set(value)) >= 10  # long hex-free base32/alpha blobs
    # A date, a version or a dotted host name is not a key.
    return not re.match(r"^[\d.:-]+[A-Za-z]{0,3}$", value) and value.count(".") < 3


def _fake_jwt(value: str, rng: random.Random) -> str:
    header, payload, signature = value.split(".")
    try:
        json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        return ".".join(_fake_chars(part, rng) for part in (header, payload, signature))
    # Header and claims are public by design (the role decides public vs secret);
    # only the signature proves anything, so only the signature is faked.
    return f"{header}.{payload}.{_fake_chars(signature, rng)}"


def _fake_url(match: re.Match[str], rng: random.Random) -> str:
    scheme, rest = match.group("scheme"), match.group("rest")
    authority, sep, tail = rest.partition("/")
    if "@" in authority:
        userinfo, host = authority.rsplit("@", 1)
        user, colon, password = userinfo.partition(":")
        if not _REFERENCE.search(userinfo):
            userinfo = _fake_chars(user, rng) + colon + _fake_chars(password, rng)
        authority = f"{userinfo}@{host}"
    path, qmark, query = tail.partition("?")
    segments = [_fake_chars(s, rng) if is_key_shaped(s) else s for s in path.split("/")]
    params = []
    for param in query.split("&") if query else []:
        name, eq, val = param.partition("=")
        params.append(name + eq + (_fake_chars(val, rng) if is_key_shaped(val) else val))
    return f"{scheme}://{authority}{sep}{'/'.join(segments)}{qmark}{'&'.join(params)}"


# A word and an ascending digit run (``polar123456789``, ``pass1234567``): typed, not drawn.
_COUNTED = re.compile(r"[A-Za-z]*[-_.]?0?1234567?8?9?")


def is_obvious_dummy(value: str) -> bool:
    """A stand-in typed to fill a slot, which cannot carry a real secret: kept as it is.

    A word followed by an ascending run of digits from 1 (``polar123456789``), a
    word said twice (``polarpolar``), a short unit said three times or more
    (``fakefakefakefake``).  Faking one character by character turns it into a
    random-looking string (``oerlj073286515``) that envcheck rightly takes for a
    secret, so the survey would judge a fake it made, not the file the project ships.
    """
    text = value.strip()
    n = len(text)
    if n < 8:
        return False
    if "123456" in text and _COUNTED.fullmatch(text):
        return True
    if n % 2 == 0 and text[: n // 2].isalpha() and text[: n // 2] * 2 == text:
        return True
    return any(
        n >= 3 * k and text == (text[:k] * (n // k + 1))[:n] for k in range(1, min(8, n // 3) + 1)
    )


def fake_value(value: str, seed: str = "") -> str:
    """A fake of ``value`` with the same shape (see the module docstring)."""
    rng = _rng(seed, value)
    stripped = value.strip()
    if (
        not stripped
        or is_obvious_dummy(stripped)
        or _BOOLEAN_OR_ENUM.match(stripped)
        or _NUMBER.match(stripped)
        or _REFERENCE.search(stripped)
        and "@" not in stripped
    ):
        return value
    if "-----BEGIN" in value:
        return "\n".join(
            line if line.strip().startswith("-----") else _fake_chars(line, rng)
            for line in value.split("\n")
        )
    if _JWT.match(stripped):
        return value.replace(stripped, _fake_jwt(stripped, rng))
    url = _URL.match(stripped)
    if url:
        return value.replace(stripped, _fake_url(url, rng))
    if is_key_shaped(stripped) and not _PLACEHOLDER_WORDS.search(stripped):
        prefix, body = _split_prefix(stripped)
        return value.replace(stripped, prefix + _fake_chars(body, rng))
    if " " not in stripped and len(stripped) >= 8 and not _PLACEHOLDER_WORDS.search(stripped):
        # A short password-like word ("hunter22", "s3cr3tP@ss"): fake it char by char.
        if any(c.isdigit() for c in stripped) and any(c.isalpha() for c in stripped):
            if not re.search(r"[./\\]", stripped):
                return value.replace(stripped, _fake_chars(stripped, rng))
    return value


_ASSIGNMENT = re.compile(
    r"^(?P<lead>\s*(?:#\s*)?(?:export\s+)?)(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)"
    r"(?P<eq>\s*=\s*)(?P<rest>.*)$"
)


def _split_value(rest: str) -> tuple[str, str, str, bool]:
    """(quote, value, trailer, closed) of an assignment's right-hand side."""
    if rest[:1] in ("'", '"', "`"):
        quote = rest[0]
        end = rest.find(quote, 1)
        while end != -1 and quote == '"' and rest[end - 1] == "\\":
            end = rest.find(quote, end + 1)
        if end == -1:
            return quote, rest[1:], "", False
        return quote, rest[1:end], rest[end + 1 :], True
    comment = re.search(r"\s+#", rest)
    if comment:
        return "", rest[: comment.start()], rest[comment.start() :], True
    return "", rest, "", True


def fake_env_text(text: str, seed: str = "") -> str:
    """Fake every assignment's value in an env file's text, keeping everything else
    byte for byte: comments, blank lines, quoting, ``export``, line endings, and the
    commented-out assignments (``# KEY=value``) a template reader looks at too."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        match = _ASSIGNMENT.match(line)
        if not match:
            out.append(line)
            continue
        quote, value, trailer, closed = _split_value(match.group("rest"))
        key = match.group("key")
        if not closed:
            # A multi-line quoted value (PEM keys, JSON): gather until the closing quote.
            body = [value]
            while index < len(lines):
                nxt = lines[index]
                index += 1
                end = nxt.find(quote)
                if end != -1:
                    body.append(nxt[:end])
                    trailer = nxt[end + 1 :]
                    closed = True
                    break
                body.append(nxt)
            faked = fake_value("\n".join(body), f"{seed}:{key}")
            closing = quote if closed else ""
            out.append(
                f"{match.group('lead')}{key}{match.group('eq')}{quote}{faked}{closing}{trailer}"
            )
            continue
        faked = fake_value(value, f"{seed}:{key}")
        out.append(f"{match.group('lead')}{key}{match.group('eq')}{quote}{faked}{quote}{trailer}")
    return "\n".join(out)


# The name must *end* in the secret noun: ``..._DISABLE_EMAIL_PASSWORD_SIGNUP`` is a
# boolean a developer leaves alone, ``SECRET_KEY_BASE`` is Rails/Phoenix's secret.
SECRET_NAME = re.compile(r"(?i)(SECRET|TOKEN|PASSWORD|PASSWD|_PASS|KEY|SALT|SECRET_KEY_BASE)$")


# The README step "paste your key here": a well-known key gets the shape its vendor
# issues (what a developer pastes), not a generic string envcheck would rightly flag.
_VENDOR_SHAPES: list[tuple[re.Pattern[str], str, int, str]] = [
    (re.compile(r"OPENAI_API_KEY$"), "sk-proj-", 156, string.ascii_letters + string.digits + "_-"),
    (
        re.compile(r"ANTHROPIC_API_KEY$"),
        "sk-ant-api03-",
        95,
        string.ascii_letters + string.digits + "_-",
    ),
    (
        re.compile(r"(GOOGLE_API_KEY|GEMINI_API_KEY|GOOGLE_GENERATIVE_AI_API_KEY)$"),
        "AIza",
        35,
        string.ascii_letters + string.digits + "_-",
    ),
    (re.compile(r"AWS_ACCESS_KEY_ID$"), "AKIA", 16, string.ascii_uppercase + string.digits),
    (re.compile(r"AWS_SECRET_ACCESS_KEY$"), "", 40, string.ascii_letters + string.digits + "+/"),
    (re.compile(r"STRIPE_SECRET_KEY$"), "sk_test_", 99, string.ascii_letters + string.digits),
    (
        re.compile(r"STRIPE_(PUBLISHABLE_)?KEY$|STRIPE_PUBLIC_KEY$"),
        "pk_test_",
        99,
        string.ascii_letters + string.digits,
    ),
    (re.compile(r"^(GITHUB_TOKEN|GH_TOKEN)$"), "ghp_", 36, string.ascii_letters + string.digits),
    (re.compile(r"GROQ_API_KEY$"), "gsk_", 52, string.ascii_letters + string.digits),
    (re.compile(r"OPENROUTER_API_KEY$"), "sk-or-v1-", 64, "0123456789abcdef"),
    (re.compile(r"^(HF_TOKEN|HUGGING_FACE_HUB_TOKEN)$"), "hf_", 34, string.ascii_letters),
    (re.compile(r"SLACK_(BOT_)?TOKEN$"), "xoxb-", 50, string.digits),
]


_PUBLIC_PREFIX = re.compile(r"^(NEXT_PUBLIC_|VITE_|PUBLIC_|REACT_APP_|EXPO_PUBLIC_|NUXT_PUBLIC_)")
# The vendor shapes a browser may hold: what a developer pastes under a public prefix.
_PUBLIC_SHAPES = ("pk_test_", "AIza")


def _filled_secret(key: str, rng: random.Random) -> str | None:
    """The fake a developer's paste would have, or None to leave the value empty.

    Under a browser prefix (``VITE_``, ``NEXT_PUBLIC_``) the project ships the value
    to every visitor by design, so the developer pastes what the vendor issues for
    browsers: a publishable key (``pk_test_…``), a referrer-restricted Google key.
    Where no such shape is known (``VITE_PROXYSCOTCH_ACCESS_TOKEN``), a random
    server-secret string would be a guess that manufactures the very leak EC401
    looks for; the value stays empty, as a developer leaves an optional integration.
    """
    bare = _PUBLIC_PREFIX.sub("", key)
    public = bare != key
    for pattern, prefix, length, alphabet in _VENDOR_SHAPES:
        if pattern.search(bare):
            if public and prefix not in _PUBLIC_SHAPES:
                return None
            return prefix + "".join(rng.choice(alphabet) for _ in range(length))
    if public:
        return None
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(32))


def fill_empty_secrets(text: str, seed: str = "") -> str:
    """The README step "fill in your secrets": an empty value under a secret-looking
    name gets a fake of its vendor's shape (else 32 random alphanumerics; under a
    browser prefix only a public vendor shape, see :func:`_filled_secret`); every other
    empty value stays empty (the developer leaves optional integrations unset)."""
    out = []
    for line in text.split("\n"):
        match = _ASSIGNMENT.match(line)
        if match and not match.group("lead").lstrip().startswith("#"):
            quote, value, trailer, closed = _split_value(match.group("rest"))
            if closed and value == "" and SECRET_NAME.search(match.group("key")):
                rng = _rng(seed, match.group("key"), "fill")
                filled = _filled_secret(match.group("key"), rng)
                if filled is not None:
                    head = f"{match.group('lead')}{match.group('key')}{match.group('eq')}"
                    line = f"{head}{quote}{filled}{quote}{trailer}"
        out.append(line)
    return "\n".join(out)


def iter_assignments(text: str) -> Iterator[tuple[str, str]]:
    """(key, value) of each live single-line assignment (tests and the report use it)."""
    for line in text.split("\n"):
        match = _ASSIGNMENT.match(line)
        if match and "#" not in match.group("lead"):
            _, value, _, _ = _split_value(match.group("rest"))
            yield match.group("key"), value
