"""The one classifier (:mod:`envcheck.schema.classify`): each value classified once per run,
its kinds named, and its cheap pre-tests exact - every shortcut agrees with the regex or
scan it stands in front of, on the words and characters those patterns are made of."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck import secret
from envcheck.cli import main
from envcheck.providers import KEY_LIKE_STEMS, VENDOR_PREFIXES
from envcheck.schema import classify, values
from envcheck.secret import looks_like_key
from envcheck.sources.types import Entry
from tests.harness import repository

# Fake values only: random characters drawn once for these tests.
_FAKE_OPENAI = "sk-proj-" + "q7Lx2VbN9tRk4WcZ8mPa3YhD6sJf1GuE5oTi0XeQrBnCvMlK"
_FAKE_GITHUB = "ghp_" + "Zr8Kq2Lm5Nx7Vb1Tc4Wd9Yf3Hg6Js0Pa8Qe"


def _project(root: Path) -> Path:
    lines = [f"SVC{i}_NAME=service-{i}\nSVC{i}_PORT={8000 + i}\n" for i in range(40)]
    return repository(
        root,
        {
            "package.json": '{"name": "app"}',
            ".env": "".join(lines)
            + f"OPENAI_API_KEY={_FAKE_OPENAI}\n"
            + f"GITHUB_TOKEN={_FAKE_GITHUB}\n"
            + "SESSION_SECRET=changethis\n"
            + f"NEXT_PUBLIC_OPENAI_API_KEY={_FAKE_OPENAI}\n"  # leaks: EC401
            + "MAILER_TOKEN=your-token-here\n"
            + "DATABASE_URL=postgres://app:pw@db:5432/app\n"
            + "ANOTHER_NAME=service-1\n",  # a value two keys share: one classification
        },
    )


def test_each_value_is_classified_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path / "app")
    memo = _CountingMemo()
    monkeypatch.setattr(classify, "_remembered", memo)  # a fresh run's memo, its reads counted
    first: Counter[str] = Counter()
    at_rest: Counter[str] = Counter()

    def counted(counter: Counter[str], real: Callable[..., int]) -> Callable[..., int]:
        def wrapper(value: str, *rest: int) -> int:
            counter[value] += 1
            return real(value, *rest)

        return wrapper

    monkeypatch.setattr(classify, "_first_facts", counted(first, classify._first_facts))
    monkeypatch.setattr(classify, "_at_rest_facts", counted(at_rest, classify._at_rest_facts))
    monkeypatch.chdir(project)

    code = main(["check", "--format", "json"])

    report = json.loads(capsys.readouterr().out)
    assert code == 1, report  # the placeholders are findings: both families ran
    assert {"EC306", "EC401"} <= {f["code"] for f in report["findings"]}, report
    written = [line.partition("=")[2] for line in (project / ".env").read_text().splitlines()]
    judged = {_FAKE_OPENAI, _FAKE_GITHUB, "changethis", "your-token-here"}
    assert judged <= set(first), "the values a rule judges went through the classifier"
    if classify._quiet() is not classify._never_quiet:  # the extension: plain values are not
        plain = {v for v in written if v.startswith(("service-", "80"))}
        assert plain and plain.isdisjoint(first), sorted(plain & set(first))
    assert max(first.values()) == 1, [v for v, n in first.items() if n > 1]
    assert max(at_rest.values()) == 1, [v for v, n in at_rest.items() if n > 1]
    # The key is asked about by the schema family (EC308's shape), by the security family
    # for both entries that hold it (EC401, EC402) and again for its file: classified once.
    assert memo.asked[_FAKE_OPENAI] >= 4 and first[_FAKE_OPENAI] == 1, memo.asked[_FAKE_OPENAI]
    assert first["changethis"] == 1


class _CountingMemo(dict[str, int]):
    """The classifier's memo, counting how often each value is looked up in it."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: Counter[str] = Counter()

    def get(self, value: str, default: int | None = None) -> int | None:  # type: ignore[override]
        self.asked[value] += 1
        return super().get(value, default)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("encrypted:BDb7t0QyZ2FzZQ==", "ciphertext"),
        ("<your-token>", "marker"),
        ("${OTHER_VAR}", "marker"),
        ("abcxxxxdef", "marker"),
        ("op://vault/item/field", "reference"),
        ("changethis", "stand-in"),
        ("polarpolar", "stand-in"),
        ("service-0", None),
        (_FAKE_OPENAI, None),
    ],
)
def test_a_placeholder_is_named_by_its_kind(value: str, kind: str | None) -> None:
    assert classify.placeholder_kind(value) == kind
    assert classify.not_filled_in(value) is (kind is not None)


def _entry(key: str, value: str) -> Entry:
    return Entry(key=key, value=value, path=".env", line=1, col=1)


def test_the_verdicts_the_families_read() -> None:
    assert classify.entry_is_secret(_entry("OPENAI_API_KEY", _FAKE_OPENAI))
    assert classify.entry_is_secret(_entry("NOTE", _FAKE_OPENAI))  # by shape, whatever the name
    assert classify.entry_is_secret(_entry("JWT_SECRET", "s3cr3t-value-for-prod"))  # by name
    # A template documents a named key; only a real key's shape leaks from it.
    assert not classify.entry_is_secret(_entry("JWT_SECRET", "s3cr3t-value"), template=True)
    assert classify.entry_is_secret(_entry("OPENAI_API_KEY", _FAKE_OPENAI), template=True)
    # A placeholder is no secret, whatever its name or prefix.
    assert not classify.entry_is_secret(_entry("OPENAI_API_KEY", "sk-xxxxxxxxxxxxxxxxxxxxxxxx"))
    # Named like a credential, holding none.
    assert not classify.entry_is_secret(_entry("AUTH_ENABLED", "true"))
    flags = classify.value_flags(_FAKE_OPENAI, at_rest=True)
    assert flags & classify.KEY_SHAPED and flags & classify.SHAPED_SECRET
    assert not flags & classify.NOT_FILLED_IN


# The pre-tests against what they stand in front of ------------------------------------

# The pieces the placeholder and marker patterns are made of, and the characters that
# fold onto ASCII under (?i): text drawn from them reaches every alternative.
_PIECES = [
    *"abcdehikmnoprstxyzKX0123456789-_ .*<>[]{}$:/@#=!()",
    "ſ", "K", "…", "\u200b", "é",
    "your", "YOUR", "key", "token", "secret", "password", "here", "HERE", "api", "me",
    "this", "it", "change", "replace", "with", "set", "fill", "in", "insert", "enter",
    "paste", "put", "add", "get", "generate", "create", "obtain", "a", "an", "the", "one",
    "todo", "TODO", "tbd", "fixme", "placeholder", "redacted", "none", "null", "yet",
    "dummy", "example", "EXAMPLE", "some", "for", "please", "xxx", "xxxx", "***", "...",
    "domain", "project", "db", "user", "value", "id", "url", "dsn", "changeme",
    "https://", "postgres://", "op://", "123456", "polar", "fake", "0000",
    *VENDOR_PREFIXES, *KEY_LIKE_STEMS,
]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_the_stand_in_pre_test_agrees_with_the_pattern(text: str) -> None:
    assert values._is_stand_in(text) is (values._placeholder().fullmatch(text) is not None)


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_the_url_stand_in_pre_test_never_hides_a_match(text: str) -> None:
    if values._url_placeholder().search(text) is not None:
        assert values._may_hold_url_stand_in(text)


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_the_marker_pre_test_agrees_with_the_pattern(text: str) -> None:
    stripped = text.strip()
    if stripped:
        assert classify._is_marker(stripped) is (classify._marker().search(stripped) is not None)


# Single pieces too: a stand-in word alone (``redacted``) is the likeliest miss.
_STRIPPED_TEXT = st.one_of(
    st.sampled_from(_PIECES),
    _TEXT,
    _TEXT.map(lambda t: t * 3),
    st.text(alphabet="ab0-*#<>", max_size=40),
).map(str.strip)


@settings(max_examples=800, deadline=None)
@given(_STRIPPED_TEXT)
def test_the_c_stand_in_pre_test_never_hides_a_stand_in(text: str) -> None:
    """The extension's one-call pre-test is False only where the Python tests all are."""
    fast = pytest.importorskip("envcheck.sources._fastlines")
    values._may_be_stand_in()  # gives the extension this module's words
    if values._by_words_or_shape(text):
        assert fast.may_be_stand_in(text)


@settings(max_examples=400, deadline=None)
@given(_STRIPPED_TEXT)
def test_is_placeholder_is_the_same_with_and_without_the_extension(text: str) -> None:
    """The same answer when every value goes to the Python tests (no compiler at install)."""
    with_c = values.is_placeholder(text)
    saved = values._may_be_stand_in
    try:
        values._may_be_stand_in = lambda: values._always  # type: ignore[assignment]
        assert values.is_placeholder(text) is with_c
    finally:
        values._may_be_stand_in = saved


def _repeats_by_scan(text: str) -> bool:
    n = len(text)
    if "123456" in text and values._counted().fullmatch(text):
        return True
    if n % 2 == 0 and n >= 8 and text[: n // 2].isalpha() and text[: n // 2] * 2 == text:
        return True
    return n >= 12 and any(
        n >= 3 * k and text == (text[:k] * (n // k + 1))[:n] for k in range(1, min(8, n // 3) + 1)
    )


@settings(max_examples=600, deadline=None)
@given(st.one_of(_TEXT, _TEXT.map(lambda t: t * 5), st.text(alphabet="ab0-", max_size=40)))
def test_the_repeat_pre_test_agrees_with_the_scan(text: str) -> None:
    assert values._repeats(text) is _repeats_by_scan(text)


@settings(max_examples=600, deadline=None)
@given(_TEXT)
def test_the_prefix_lookup_agrees_with_the_scan(text: str) -> None:
    prefix = next((p for p in VENDOR_PREFIXES if text.startswith(p)), "")
    assert values._after_known_prefix(text) == text[len(prefix) :]


def _key_like_by_scan(value: str) -> bool:
    """``looks_like_key`` as it was: a ``startswith`` over the stems, a loop per class."""
    v = value.strip()
    if len(v) < secret._KEY_LIKE_MIN or not v.startswith(KEY_LIKE_STEMS):
        return False
    if not secret._key_like().fullmatch(v):
        return False
    stem = next(s for s in KEY_LIKE_STEMS if v.startswith(s))
    body = v[len(stem) :]
    classes = (str.islower, str.isupper, str.isdigit)
    return sum(any(test(c) for c in body) for test in classes) >= 2


@settings(max_examples=600, deadline=None)
@given(
    st.one_of(
        _TEXT,
        st.tuples(
            st.sampled_from(KEY_LIKE_STEMS), st.text("aZ09-_é", min_size=14, max_size=30)
        ).map("".join),
    )
)
def test_the_key_shape_pre_test_agrees_with_the_scan(text: str) -> None:
    assert looks_like_key(text) is _key_like_by_scan(text)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_the_credential_start_lookup_agrees_with_startswith(text: str) -> None:
    starts = classify._secret_starts()
    assert starts is not None
    stripped = text.strip()
    assert classify._may_be_credential(stripped) is stripped.startswith(starts)


_SUPABASE_SERVICE_ROLE = (  # a fake JWT: header, payload {"role": "service_role"}, signature
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLWZha2U"
)


@pytest.mark.parametrize(
    ("key", "value", "kind", "reason"),
    [
        ("OPENAI_API_KEY", _FAKE_OPENAI, classify.SECRET, "shape of a credential"),
        ("SUPABASE_KEY", _SUPABASE_SERVICE_ROLE, classify.SECRET, "service_role"),
        ("JWT_SECRET", "s3cr3t-value-for-prod", classify.SECRET, "name says"),
        ("AUTH_SECRET", "https://hooks.example.com/?token=abc123", classify.SECRET, "query"),
        ("NEXT_PUBLIC_SUPABASE_ANON_KEY", "", classify.PLACEHOLDER, "empty"),
        ("NEXT_PUBLIC_SUPABASE_ANON_KEY", "anon-dev-key-123", classify.PUBLIC, "anon"),
        (
            "STRIPE_PUBLISHABLE_KEY",
            "pk_test_" + "a1B2c3D4e5F6g7H8i9J0k1L2",
            classify.PUBLIC,
            "Stripe",
        ),
        ("SESSION_SECRET", "changethis", classify.PLACEHOLDER, "stand-in"),
        ("APP_NAME", "service-0", classify.PLAIN, ""),
        ("AUTH_ENABLED", "true", classify.PLAIN, ""),
    ],
)
def test_the_verdict_names_its_reason(key: str, value: str, kind: str, reason: str) -> None:
    got, why = classify.verdict(key, value)
    assert got == kind and reason in why, (got, why)


_KEYS = [
    "OPENAI_API_KEY", "JWT_SECRET", "APP_NAME", "NEXT_PUBLIC_API_KEY", "SENTRY_DSN",
    "NEXT_PUBLIC_SUPABASE_ANON_KEY", "DB_PASSWORD", "AUTH_ENABLED", "DATABASE_URL",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(_KEYS), _TEXT, st.booleans())
def test_the_verdict_says_secret_exactly_when_the_rules_do(
    key: str, value: str, template: bool
) -> None:
    secret = classify.entry_is_secret(_entry(key, value), template=template)
    assert (classify.verdict(key, value, template=template)[0] == classify.SECRET) is secret


# The quiet pre-tests in C (``quiet_value``, ``quiet_entry``): True only where the classifier
# and the name tests surely say nothing.  Values drawn from the pattern pieces, vendor
# prefixes and key stems (with a drawn body), URLs and white space; names from words of
# credentials' names, well-known and public names, and plain words.
_STARTS = st.sampled_from([*VENDOR_PREFIXES, *KEY_LIKE_STEMS, "", "https://", "postgres://a:"])
_QUIET_VALUES = st.one_of(
    _TEXT,
    st.tuples(_STARTS, st.text("aZ09-_.", max_size=30)).map("".join),
    st.tuples(
        st.sampled_from(["", " ", "\t", "\x1c", "\u3000"]), _TEXT, st.sampled_from(["", " \n"])
    ).map("".join),
)
_NAME_PIECES = [
    "SVC0", "APP", "NAME", "HOST", "PORT", "Key", "key", "KEY", "API", "SECRET", "TOKEN",
    "PASS", "PASSWORD", "AUTH", "DSN", "SALT", "COOKIE", "SESSION", "PRIVATE", "PWD",
    "OPENAI", "DATABASE", "URL", "NEXT", "PUBLIC", "VITE", "ID", "é", "\n", "_", "monkey",
]  # fmt: skip
_NAMES = st.one_of(
    st.lists(st.sampled_from(_NAME_PIECES), min_size=1, max_size=5).map("_".join),
    st.sampled_from(["OPENAI_API_KEY", "NEXT_PUBLIC_OPENAI_API_KEY", "DATABASE_URL"]),
)


def _shape(value: str) -> int:
    return classify.value_flags(value) & (
        classify.STAND_IN | classify.KEY_SHAPED | classify.ZERO_WIDTH
    )


@settings(max_examples=1500, deadline=None)
@given(_QUIET_VALUES)
def test_a_quiet_value_has_no_shape_the_rules_ask(value: str) -> None:
    """``shape_flags`` (C pre-test, then the classifier) is the classifier's answer."""
    pytest.importorskip("envcheck.sources._fastlines")
    assert classify.shape_flags(value) == _shape(value)
    if classify._quiet()(value):
        assert _shape(value) == 0, value


@settings(max_examples=1500, deadline=None)
@given(_NAMES, st.one_of(_QUIET_VALUES, st.just("")))
def test_an_entry_with_nothing_to_ask_has_nothing_to_find(key: str, value: str) -> None:
    """``nothing_to_ask`` is True only for an empty value, or a name neither well-known nor
    a credential's with a quiet value: the schema family's ``_may_find`` says False there."""
    from envcheck.schema.formats import format_for_name

    pytest.importorskip("envcheck.sources._fastlines")
    if classify.nothing_to_ask()(key, value):
        assert value == "" or not (
            format_for_name(key) or secret.is_secret_name(key) or _shape(value)
        ), (key, value)


def test_the_quiet_pre_tests_turn_away_plain_entries_only() -> None:
    """The pre-tests do turn the plain entries away (else they would cost and save nothing)."""
    pytest.importorskip("envcheck.sources._fastlines")
    quiet = classify.nothing_to_ask()
    assert quiet("SVC0_NAME", "service-0") and quiet("SVC0_PORT", "8000")
    assert quiet("SVC0_URL", "http://host-0.internal:8000/v1") and quiet("X", "")
    assert not quiet("SVC0_OPENAI_API_KEY", "service-0")  # the name says credential
    assert not quiet("DATABASE_URL", "x")  # a well-known name
    assert not quiet("NEXT_PUBLIC_X", "x")  # a public prefix: format_for_name strips it
    assert not quiet("NOTE", _FAKE_OPENAI) and not quiet("NOTE", "changethis")
    assert not quiet("NOTE", "https://your-project.supabase.co")
    assert not quiet("NOTE", "caf\u00e9")  # not ASCII: the classifier decides


@settings(max_examples=800, deadline=None)
@given(
    st.one_of(
        _TEXT,
        st.tuples(st.sampled_from(KEY_LIKE_STEMS), st.text("aZ09-_", max_size=30), _TEXT).map(
            "".join
        ),
    )
)
def test_the_key_run_pre_test_never_hides_a_key_like_run(text: str) -> None:
    """``_redact`` and ``key_holds_credential`` skip the key-shape regex without a run of
    its length: a text the regex finds something in always has one."""
    if secret._key_like().search(text) is not None:
        assert secret._KEY_RUN.search(text) is not None


_FACT_VALUES = st.one_of(
    _QUIET_VALUES,
    st.tuples(
        st.sampled_from([*VENDOR_PREFIXES, *KEY_LIKE_STEMS]),
        st.sampled_from(["", "x", "X", "*", ".", "_", "-", "0", "your", "MY", "1234", "a", "Q9"]),
        st.text("aZ09-_.x\n ", max_size=40),
    ).map("".join),
)


@settings(max_examples=3000, deadline=None)
@given(_FACT_VALUES)
def test_the_c_first_facts_are_the_python_ones(value: str) -> None:
    """``_first_facts`` with the extension's one call is ``_first_facts`` by the Python tests."""
    pytest.importorskip("envcheck.sources._fastlines")
    with_c = classify._first_facts(value)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(classify, "_quick_facts", lambda: classify._ask_python)
        assert classify._first_facts(value) == with_c, value


def test_the_c_first_facts_decide_the_usual_values() -> None:
    """Keys, names, hosts and numbers are decided in C (else the call would only cost)."""
    fast = classify._quick_facts()
    if fast is classify._ask_python:
        pytest.skip("no extension")
    assert fast(_FAKE_OPENAI) is True and fast(_FAKE_GITHUB) is True
    assert fast("service-0") is False and fast("8000") is False and fast("") is False
    assert fast("sk-" + "abcdefghijklmnopqrstuvwxyz") is False  # one class only: words
    assert fast("changethis") is None and fast("sk-xxxxxxxxxxxxxxxxxxxxxxxx") is None
