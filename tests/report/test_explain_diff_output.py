"""explain and diff write large outputs piece by piece, with the bytes of the whole.

At 100k keys a table or a JSON document is tens of MB: the commands write it
in chunks (``report.json.Members``/``Items``, ``Explained.write``) and build
diff's shown rows as they are read (``commands.diff.ShownRows``).  Each test
here checks the pieces against the one-string rendering, or counts work
(never times it).
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck import secret
from envcheck.report.json import CHUNK, Members, dumps, write
from envcheck.report.sanitize import for_terminal
from envcheck.secret import Fingerprinter, redact, redactor
from tests.harness import envcheck

# A fake OpenAI-shaped key: never a real credential.
FAKE_KEY = "sk-proj-" + "Q7wE3rT9yU1iO5pA8sD2fG6hJ4kL0zXcVbNm7Qw2Er5Ty8Ui"


@pytest.mark.parametrize("count", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 7])
def test_a_streamed_object_is_the_document_dumps_writes(count: int) -> None:
    """``write`` with ``Members`` gives :func:`dumps`'s bytes, a chunk of members at a time."""

    def members() -> Any:
        for i in range(count):
            yield f"K{i}", {"value": f'v{i}\u2028é"', "shadowed": [], "none": None}

    def document(keys: Any) -> dict[str, Any]:
        return {"framework": "x", "skipped": {}, "keys": keys, "after": [1, {"a": {}}]}

    pieces: list[str] = []
    write(document(Members(members())), pieces.append)
    expected = dumps(document(dict(members())))
    assert "".join(pieces) == expected
    assert dumps(document(Members(members()))) == expected  # not streamed: the dict it is
    assert max(piece.count('"value"') for piece in pieces) <= CHUNK  # never the whole object


def _project(tmp_path: Path, lines: int) -> Path:
    body = "".join(
        f"KEY_{i}=value-{i}\n"
        + (f"SECRET_{i}={FAKE_KEY}\n" if i % 7 == 0 else "")
        + (f"URL_{i}=postgres://app:pw{i}x@db-{i}.internal:5432/app\n" if i % 5 == 0 else "")
        + (f'CERT_{i}="line one\nline\ttwo \u202e"\n' if i % 11 == 0 else "")
        for i in range(lines)
    )
    (tmp_path / ".env").write_text(body, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args", [(), ("--format", "json"), ("--format", "json", "--reveal")])
def test_explain_writes_in_pieces_what_stdout_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    """The command's pieces (``Explained.write``) join to the one-string output, and the
    JSON is the document :func:`dumps` writes."""
    from envcheck.commands import explain as command

    monkeypatch.setattr(command, "LINES_PER_WRITE", 7)  # many pieces from a small project
    project = _project(tmp_path, 300)
    fmt = "json" if "json" in args else "text"
    view, _ = command._explain((), False, "--reveal" in args, project, framework="dotenv")
    pieces: list[str] = []
    view.write(fmt, pieces.append)
    assert len(pieces) > 3
    assert "".join(pieces) == view.stdout(fmt)
    if fmt == "json":
        assert "".join(pieces) == dumps(view.document()) + "\n"
        assert len(json.loads("".join(pieces))["keys"]) == 300 + 43 + 60 + 28
    run = envcheck(project, "explain", "--framework", "dotenv", *args)
    assert run.returncode == 0 and run.stdout == "".join(pieces)


def test_explain_encodes_the_process_secrets_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every shown value is scrubbed of the process's secrets; their base64 and URL-quoted
    forms are worked out once per run, not once per value."""
    from envcheck.commands import explain as command

    calls = [0]
    original = secret._encodings

    def counting(value: str) -> Any:
        calls[0] += 1
        return original(value)

    monkeypatch.setattr(secret, "_encodings", counting)
    monkeypatch.setenv("CI_DEPLOY_TOKEN", "Zp8fK2mQ9vL4xR7tW1nB6")  # two process secrets
    monkeypatch.setenv("BUILD_SECRET", "hunter2-but-longer-than-six")
    project = _project(tmp_path, 200)
    view, _ = command._explain((), False, False, project, framework="dotenv")
    assert len(view.rows) == 200 + 29 + 40 + 19
    in_process = [
        value
        for key, value in os.environ.items()
        if secret.masked_for_display(key, value, declared=None, from_checkout=False)
        and len(value) >= 6  # shorter ones are not searched for (redact)
    ]
    assert len(in_process) >= 2 and calls[0] == len(in_process)  # not once per row


def test_a_process_secret_copied_into_a_file_value_stays_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "Zp8fK2mQ9vL4xR7tW1nB6"
    monkeypatch.setenv("CI_DEPLOY_TOKEN", token)
    (tmp_path / ".env").write_text("GREETING=hello ${CI_DEPLOY_TOKEN}\nPLAIN=x\n")
    from envcheck.commands import explain as command

    view, _ = command._explain((), False, False, tmp_path, framework="dotenv-expand")
    shown = {row.key: row.value for row in view.rows}
    assert token not in view.stdout("text") and token not in view.stdout("json")
    assert shown["GREETING"] == "hello " + secret.mask(token)


_TEXT = st.lists(
    st.sampled_from(list("abcXYZ019-_/:@+=%. ") + ["sk-proj-", "ghp_", "\u2026", "\n", "é"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, secrets=st.lists(_TEXT, max_size=3))
def test_a_redactor_redacts_as_redact_does(text: str, secrets: list[str]) -> None:
    assert redactor(secrets)(text) == redact(text, secrets)


def _escaped_per_character(text: str, keep_newlines: bool) -> str:
    """The reference: the per-character test :func:`for_terminal` replaced with C calls."""
    from envcheck.report import sanitize

    clean = "".join(
        sanitize._escape(ch) if sanitize._unsafe(ch) and not (keep_newlines and ch == "\n") else ch
        for ch in text
    )
    return sanitize._no_command(clean) if "::" in clean else clean


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(
        alphabet=st.one_of(
            st.characters(),
            st.sampled_from(["\n", "\r", "\t", "\x1b", "\u202e", "\u3164", "\U000e0100", ":"]),
        ),
        max_size=40,
    ),
    keep_newlines=st.booleans(),
)
def test_for_terminal_escapes_as_the_per_character_test_does(
    text: str, keep_newlines: bool
) -> None:
    assert for_terminal(text, keep_newlines=keep_newlines) == _escaped_per_character(
        text, keep_newlines
    )


def test_fingerprints_are_keyed_and_short() -> None:
    """Equal values print alike under one key; another key (another run) prints them
    otherwise, so a printed fingerprint cannot be matched to a guessed value later."""
    one, two = Fingerprinter(b"a" * 32), Fingerprinter(b"b" * 32)
    assert one(FAKE_KEY) == one(secret.Secret(FAKE_KEY)) != one(FAKE_KEY + "x")
    assert one(FAKE_KEY) != two(FAKE_KEY)
    assert len(one(FAKE_KEY)) == 12 and int(one(FAKE_KEY), 16) >= 0
    assert Fingerprinter()(FAKE_KEY) != Fingerprinter()(FAKE_KEY)  # a fresh key per run


def test_diff_rows_are_shown_as_read_and_pickle_as_rows(tmp_path: Path) -> None:
    """A diff's shown rows hold no second copy of the table; sent to a workspace merge
    they pickle as the tuple of rows they stand for, fingerprints included."""
    from envcheck.commands.diff import Row, ShownRows, _diffed

    (tmp_path / "a.env").write_text(f"A=1\nB=2\nS={FAKE_KEY}\n")
    (tmp_path / "b.env").write_text(f"A=1\nB=3\nS={FAKE_KEY}\nC=4\n")
    view = _diffed(
        (tmp_path / "a.env", tmp_path / "b.env"), "development", "production", False, None,
        (), (), False, False, tmp_path, explicit=(False, False), fmt="json", framework="dotenv",
    )  # fmt: skip
    assert isinstance(view.rows, ShownRows) and len(view.rows) == 4
    sent = pickle.loads(pickle.dumps(view.rows))
    assert isinstance(sent, tuple) and all(isinstance(row, Row) for row in sent)
    assert [(r.key, r.status) for r in sent] == [
        ("A", "same"),
        ("B", "different"),
        ("C", "only-target"),
        ("S", "same"),
    ]
    again = list(view.rows)
    assert [r.source.fingerprint for r in sent if r.source] == [
        r.source.fingerprint for r in again if r.source
    ]
    assert FAKE_KEY not in pickle.dumps(sent).decode("latin-1")
