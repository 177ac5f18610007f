"""``explain``'s rows at scale: each value classified once, plain keys asked nothing more,
process secrets scrubbed only where they are, and rows that carry their winner's origin."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from envcheck.commands import explain
from envcheck.commands.common import options_from
from envcheck.project import load, load_config
from envcheck.secret import redactor, shown
from envcheck.sources.types import Origin

FAKE = "sk-proj-" + "Zq8" * 16  # fake
SHELL_SECRET = "ghp_" + "Wd4" * 12  # fake: a process secret copied into a file value


def _view(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> explain.Explained:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    options = options_from({"project_dir": project_dir, "framework": "dotenv"})
    config = load_config(options.directory)
    project = load(options, config)
    rows = explain.selected(project, [], False, config.declared)
    return explain.explained(project, rows, False, config.schema, {})


def test_plain_keys_ask_for_no_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name that says nothing and a value of no credential's shape: no reason is worked
    out, so its cost does not grow with the plain keys of a large file."""
    plain = [f"SETTING_{i}=value-{i}" for i in range(200)]
    (tmp_path / ".env").write_text("\n".join([*plain, f"OPENAI_API_KEY={FAKE}", "AUTH=x"]) + "\n")
    asked: list[str] = []
    reason = explain.secret_reason

    def counting(key: str, value: str) -> str | None:
        asked.append(key)
        return reason(key, value)

    monkeypatch.setattr(explain, "secret_reason", counting)
    view = _view(tmp_path, monkeypatch, {})
    assert sorted(asked) == ["AUTH", "OPENAI_API_KEY"]
    secret = {row.key: row.secret for row in view.rows}
    assert secret["OPENAI_API_KEY"] and not secret["SETTING_0"]
    assert FAKE not in "".join(explain.text_chunks(view))


def test_process_secret_in_a_file_value_stays_masked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text(f"GREETING=hello {SHELL_SECRET}\nPLAIN=hello\n")
    view = _view(tmp_path, monkeypatch, {"CI_TOKEN": SHELL_SECRET})
    text = "".join(explain.text_chunks(view))
    assert SHELL_SECRET not in text and "hello" in text


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        f"copied {SHELL_SECRET} here",
        f"{SHELL_SECRET}",
        f"postgres://u:{SHELL_SECRET}@db/x",
        f"{FAKE}{SHELL_SECRET}",
        f"sk-proj-{SHELL_SECRET}abc",
        "x" * 40,
    ],
)
def test_redactor_of_shown_values_is_the_full_redactor(value: str) -> None:
    """``keys_masked``: the key-shape pass is skipped only where it changes nothing."""
    text = shown("NOTE", value, secret=False)
    assert redactor([SHELL_SECRET], keys_masked=True)(text) == redactor([SHELL_SECRET])(text)


def test_a_row_carries_its_winners_origin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("A=1\nB=2\n")
    view = _view(tmp_path, monkeypatch, {})
    row = view.rows[1]
    assert row.origin == Origin(".env", 2, 1)
    copy = pickle.loads(pickle.dumps(row))  # a workspace worker's row crosses to the merge
    assert isinstance(copy.origin, Origin) and copy == row
    assert row.replace(value="3").origin == row.origin
