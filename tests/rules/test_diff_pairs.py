"""The comparison's short path for a key both sides set (:func:`envcheck.diff._plain_pair`)
decides as the full path does.

Most keys of a large diff are set on both sides with nothing to report, and
``compare`` decides them from their two strings without making a row's sides;
the rest take the full path (:func:`envcheck.diff._findings`,
:func:`envcheck.diff._resource_findings`).  These tests run one comparison both
ways - the short path switched off - over every pair of a set of values of
every kind a diff rule reads, under several key names and pairs of modes, and
ask for the same rows and the same findings.
"""

from __future__ import annotations

import itertools

import pytest

import envcheck.diff as diff_module
from envcheck.diff import compare
from envcheck.secret import Fingerprinter, Secret
from envcheck.sources.types import Origin, Resolution, Resolved

TOKEN = "sk-proj-" + "Ab3" * 16  # fake
VALUES = (
    "",
    "  ",
    "plain",
    "true",
    "development",
    TOKEN,
    "sk-proj-" + "Zy9" * 16,  # fake
    "sk_test_" + "Qw4" * 10,  # fake
    "sk_live_" + "Er5" * 10,  # fake
    "postgres://app:hunter2hunter2@db.prod.internal:5432/shop",
    "postgres://app:other3other3@db.prod.internal:5432/shop",
    "postgres://app:hunter2hunter2@db.staging.internal:5432/shop",
    "http://localhost:3000/api",
    "https://api.example-app.io/v1",
    "https://abc123@o42.ingest.sentry.io/77",
    "redis://cache.internal:6379",
    "0.0.0.0",
    "db.local",
    "my-project-123",
    "op://vault/item/field",
)
NAMES = ("VALUE", "API_KEY", "DEBUG", "NODE_ENV", "REDIS_HOST", "SENTRY_DSN", "FIREBASE_PROJECT_ID")


def _resolution(mode: str, values: dict[str, str]) -> Resolution:
    out = Resolution(framework="nextjs", mode=mode, files=[f".env.{mode}"])
    for line, (key, value) in enumerate(values.items(), start=1):
        out.vars[key] = Resolved(key, Secret(value), Origin(f".env.{mode}", line, 1))
    return out


def _both_ways(
    monkeypatch: pytest.MonkeyPatch, source: Resolution, target: Resolution, **options: object
) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    def run() -> tuple[list[tuple[object, ...]], list[object]]:
        result = compare(
            source, target, fingerprint=Fingerprinter(b"k" * 32), source_label="a",
            target_label="b", **options,  # type: ignore[arg-type]
        )  # fmt: skip
        rows = [(r.key, r.status, r.secret, r.codes) for r in result.rows]
        return rows, [(f.code, f.severity, f.message, f.location, f.hint, f.related)
                      for f in result.findings]  # fmt: skip

    short = run()
    with monkeypatch.context() as patch:
        # every key: the full path, with nothing worked out on the way
        patch.setattr(diff_module, "_plain_pair", lambda *_: diff_module._Worked(None))
        full = run()
    return short, full  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("source_mode", "target_mode"),
    [("development", "production"), ("staging", "production"), ("production", "production"),
     ("production", "staging"), ("development", "test")],
)  # fmt: skip
@pytest.mark.parametrize("enabled", [None, frozenset({"EC604", "EC605", "EC607"})])
def test_short_path_decides_as_the_full_path(
    monkeypatch: pytest.MonkeyPatch,
    source_mode: str,
    target_mode: str,
    enabled: frozenset[str] | None,
) -> None:
    source: dict[str, str] = {}
    target: dict[str, str] = {}
    for name, (index, (a, b)) in itertools.product(
        NAMES, enumerate(itertools.product(VALUES, repeat=2))
    ):
        key = f"{name.split('_')[0]}{index}_{name}" if "_" in name else f"{name}{index}"
        source[key], target[key] = a, b
    short, full = _both_ways(
        monkeypatch, _resolution(source_mode, source), _resolution(target_mode, target),
        enabled=enabled,
    )  # fmt: skip
    assert short == full
    codes = {code for _, _, _, found in short[0] for code in found}
    if source_mode != target_mode and target_mode == "production":  # the pairs reach them all
        assert {"EC604", "EC605", "EC607"} <= codes
    assert short[1]  # findings were made, and compared


def test_short_path_takes_most_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The short path is taken: the keys with nothing to report make no :class:`Side`."""
    made = [0]
    original = diff_module.Side.__init__

    def counting(self: diff_module.Side, *args: object) -> None:
        made[0] += 1
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(diff_module.Side, "__init__", counting)
    plain = {f"K{i}": f"value {i}" for i in range(100)}
    shifted = {**plain, "K0": "http://localhost:1"}  # one EC605
    result = compare(
        _resolution("development", plain), _resolution("production", shifted),
        fingerprint=Fingerprinter(b"k" * 32), source_label="a", target_label="b",
        enabled=frozenset({"EC605"}),
    )  # fmt: skip
    assert [f.code for f in result.findings] == ["EC605"]
    assert made[0] == 2  # the one key with a finding: its two sides
