"""Secret values never print themselves; fingerprints are keyed per run."""

from __future__ import annotations

import json
import logging
import pickle

import pytest

from envcheck.secret import (
    Fingerprinter,
    Secret,
    is_secret,
    is_secret_name,
    mask,
    redact,
    reveal,
    shown,
)

KEY = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd3xQa"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (KEY, "sk-proj-…3xQa"),
        ("sk-ant-api03-" + "x" * 40 + "ZZZZ", "sk-ant-api03-…ZZZZ"),
        ("ghp_" + "a" * 32 + "wxyz", "ghp_…wxyz"),
        ("hunter2", "****"),
        ("", "****"),
        ("plainlongpassword", "…word"),
        ("longvaluewithcontrol\x1b[0m", "…?[0m"),
    ],
)
def test_mask(value: str, expected: str) -> None:
    assert mask(value) == expected


def test_secret_never_prints_raw(caplog: pytest.LogCaptureFixture) -> None:
    s = Secret(KEY)
    rendered = [str(s), repr(s), f"{s}", f"{s!r}", f"{s:>60}", f"{s}"]
    rendered += [str([s]), str({"k": s})]
    logging.getLogger("t").warning("value %s", s)
    rendered.append(caplog.text)
    rendered.append(json.dumps({"v": s}, default=lambda o: o.to_json()))
    for text in rendered:
        assert KEY not in text
        assert "3xQa" in text
    assert reveal(s) == KEY


def test_secret_cannot_be_pickled() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(Secret(KEY))


def test_secret_equality_without_exposure() -> None:
    assert Secret(KEY) == Secret(KEY)
    assert Secret(KEY) != Secret(KEY + "x")
    assert Secret(KEY) != KEY  # a Secret is not a str


def test_fingerprints_are_keyed_per_run() -> None:
    a, b = Fingerprinter(), Fingerprinter()
    assert a(KEY) == a(Secret(KEY))
    assert a(KEY) != a(KEY + "1")
    assert a(KEY) != b(KEY)
    assert KEY not in a(KEY)


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("OPENAI_API_KEY", True),
        ("STRIPE_SECRET", True),
        ("GITHUB_TOKEN", True),
        ("DB_PASSWORD", True),
        ("PRIVATE_KEY", True),
        ("AWS_ACCESS_KEY_ID", False),
        ("PORT", False),
        ("KEYBOARD_LAYOUT", False),
        ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", False),
        ("MONKEY", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


def test_secret_by_shape_and_display() -> None:
    assert is_secret("SOMETHING", KEY)
    assert not is_secret("PORT", "3000")
    assert shown("PORT", "3000") == "3000"
    assert shown("SOMETHING", Secret(KEY)) == "sk-proj-…3xQa"


def test_redact_masks_echoed_keys_in_all_encodings() -> None:
    import base64
    import urllib.parse

    message = (
        f"Incorrect API key provided: {KEY}. b64={base64.b64encode(KEY.encode()).decode()} "
        f"url={urllib.parse.quote(KEY, safe='')} other=sk-live0123456789abcdefghij"
    )
    out = redact(message, [Secret(KEY)])
    assert KEY not in out
    assert base64.b64encode(KEY.encode()).decode().rstrip("=") not in out
    assert "sk-live0123456789abcdefghij" not in out
    assert "sk-proj-…3xQa" in out
