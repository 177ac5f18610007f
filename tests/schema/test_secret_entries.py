"""A file's secret entries in one loop (:func:`envcheck.schema.classify.secret_entries`).

The security family asks it of every env file.  It turns most entries away before the
verdict (a value that starts as no credential does, a name no schema declares and that reads
as no secret's), so it must give exactly the entries :func:`entry_is_secret` says hold
secrets, for any schema and template flag; and it must ask the verdict of fewer entries than
a file holds (counted, never timed).
"""

from __future__ import annotations

import importlib.util
import sys
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.schema import classify
from envcheck.sources.readers import node
from envcheck.sources.types import Entry
from tests.harness import REPO_ROOT

_FAKE_OPENAI = "sk-proj-" + "W3nR8vKq1ZtL6yPb0XcJ4mHs9DfA2gUe7NoT5iBkQr"
_KEYS = [
    "OPENAI_API_KEY", "JWT_SECRET", "APP_NAME", "NEXT_PUBLIC_API_KEY", "VITE_PUBLIC_KEY",
    "SENTRY_DSN", "DB_PASSWORD", "AUTH_ENABLED", "DATABASE_URL", "PORT", "NEXT_PUBLIC_TOKEN",
    "PUBLIC_KEY", "NEXT_PUBLIC_KEY",  # named like no secret whole, like one without the prefix
]  # fmt: skip
_VALUES = [
    "", "x", "true", "8080", "changeme", "your-key-here", _FAKE_OPENAI, " " + _FAKE_OPENAI,
    "sk_live_" + "Gq4Tz8Lm2Vx6Nb0Rc5Wd9Yh3", "postgres://app:Zq8Lr2Nv@db:5432/app",
    "https://example.com", "L3SyppbnWWXErSKF3mwyhCD2SyE4xETx", "${OTHER}", "op://vault/item/x",
    "pk_live_" + "Gq4Tz8Lm2Vx6Nb0Rc5Wd9Yh3",
]  # fmt: skip


def _spec(secret: bool | None) -> SimpleNamespace:
    return SimpleNamespace(secret=secret)


_SCHEMAS = st.one_of(
    st.none(),
    st.builds(
        lambda declared: SimpleNamespace(keys={k: _spec(v) for k, v in declared.items()}),
        st.dictionaries(st.sampled_from(_KEYS), st.sampled_from([True, False, None])),
    ),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES)), max_size=12),
    _SCHEMAS,
    st.booleans(),
)
def test_the_loop_gives_exactly_the_entries_the_verdict_calls_secret(
    pairs: list[tuple[str, str]], schema: object, template: bool
) -> None:
    entries = [Entry(k, v, ".env", n, 1) for n, (k, v) in enumerate(pairs, 1)]
    expected = [e for e in entries if classify.entry_is_secret(e, schema, template=template)]
    assert list(classify.secret_entries(entries, schema, template=template)) == expected


def _bench_entries(tmp_path) -> list[Entry]:
    spec = importlib.util.spec_from_file_location("bench_gen", REPO_ROOT / "bench" / "gen.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    sys.modules["bench_gen"] = gen
    spec.loader.exec_module(gen)
    path = tmp_path / ".env"
    gen.write_env(path, 3000)
    return list(node.parse(path.read_text(encoding="utf-8"), ".env").last_entries().values())


@pytest.mark.parametrize("template", [False, True])
def test_the_bench_file_asks_the_verdict_of_few_entries(
    tmp_path, monkeypatch: pytest.MonkeyPatch, template: bool
) -> None:
    entries = _bench_entries(tmp_path)
    expected = [e for e in entries if classify.entry_is_secret(e, None, template=template)]
    asked: list[Entry] = []
    verdict = classify.entry_is_secret

    def counted(entry: Entry, schema: object = None, *, template: bool = False) -> bool:
        asked.append(entry)
        return verdict(entry, schema, template=template)

    monkeypatch.setattr(classify, "entry_is_secret", counted)
    found = list(classify.secret_entries(entries, None, template=template))
    assert found == expected and len(found) > 100  # the file holds fake keys on purpose
    # Only entries whose value starts as a credential's or whose name reads as a secret's:
    # about a third of the bench file's, not every one.
    assert len(asked) < len(entries) // 2
