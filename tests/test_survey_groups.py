"""The survey harness keeps the hold-out repositories' figures apart from the tuning ones.

Why: the twenty repositories of the survey were used to fix rules, so their precision
says little about a project envcheck has never seen; repositories added later under
``group = "holdout"`` measure that.  These tests run the harness's ``report`` on a small
results file against a throw-away repos.toml and verdicts.toml (the real ones are data
other helpers append to) and check the per-group totals, the ``--group`` filter and that a
run of one group does not count the other group's misses as silent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.harness import REPO_ROOT

RUN_PY = REPO_ROOT / "bench" / "survey" / "run.py"


def _harness(tmp_path: Path) -> ModuleType:
    """bench/survey/run.py loaded as a module whose repos.toml and verdicts.toml are in
    tmp_path (``HERE`` is where it reads both)."""
    spec = importlib.util.spec_from_file_location("survey_run_groups", RUN_PY)
    assert spec and spec.loader
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    run.HERE = tmp_path
    (tmp_path / "repos.toml").write_text(
        '[[repo]]\nname = "a/tuned"\ncommit = "0"\nsetup = []\n\n'
        '[[repo]]\nname = "b/held"\ncommit = "0"\ngroup = "holdout"\nsetup = []\n'
    )
    (tmp_path / "verdicts.toml").write_text(
        '[[verdict]]\ncode = "EC301"\nverdict = "true"\n\n'
        '[[verdict]]\ncode = "EC901"\nverdict = "false"\nclass = "GUARDED-READ"\n\n'
        '[[miss]]\nrepo = "a/tuned"\ncode = "EC999"\nkey = "NEVER_PRINTED"\n'
    )
    return run


def _record(repo: str, state: str, command: str, codes: list[str], exit_code: int = 1) -> str:
    findings = [{"code": code, "key": "K", "path": ".env.example"} for code in codes]
    record: dict[str, Any] = {
        "repo": repo,
        "state": state,
        "command": command,
        "exit": exit_code,
        "findings": findings,
    }
    return json.dumps(record)


def _results(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "results-mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_repository_without_group_is_tuning() -> None:
    spec = importlib.util.spec_from_file_location("survey_run_group_of", RUN_PY)
    assert spec and spec.loader
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    repos = [{"name": "a/x"}, {"name": "b/y", "group": "holdout"}, {"name": "c/z"}]
    assert run.groups_of(repos) == {"tuning": ["a/x", "c/z"], "holdout": ["b/y"]}


def test_report_prints_totals_per_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _harness(tmp_path)
    results = _results(
        tmp_path,
        [
            _record("a/tuned", "fresh", "check", ["EC301", "EC301", "EC901"]),
            _record("b/held", "fresh", "check", ["EC901", "EC901", "EC301"]),
            _record("b/held", "filled", "check", ["EC301"]),
        ],
    )
    assert run.report([results]) == 0
    out = capsys.readouterr().out
    assert "- **mixed, all**: 4 true, 3 false" in out
    assert "- **mixed [tuning], all**: 2 true, 1 false" in out
    assert "- **mixed [holdout], fresh**: 1 true, 2 false" in out
    assert "- **mixed [holdout], all**: 2 true, 2 false" in out
    assert "false classes (mixed [holdout]): GUARDED-READ EC901 ×2" in out


def test_report_group_filter_keeps_one_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _harness(tmp_path)
    results = _results(
        tmp_path,
        [
            _record("a/tuned", "fresh", "check", ["EC301", "EC901"]),
            _record("b/held", "fresh", "check", ["EC301"]),
        ],
    )
    assert run.report([results], "holdout") == 0
    out = capsys.readouterr().out
    assert "| b/held |" in out and "| a/tuned |" not in out
    assert "- **mixed, all**: 1 true, 0 false" in out
    assert run.report([results], "nonesuch") == 2


def test_a_run_of_one_group_counts_no_silent_misses_of_the_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The miss belongs to a/tuned, which this run did not survey: it is not silent here.
    run = _harness(tmp_path)
    results = _results(tmp_path, [_record("b/held", "fresh", "check", ["EC301"])])
    assert run.report([results]) == 0
    assert "0 unjudged, 0 silent misses" in capsys.readouterr().out.split("- **mixed, all**")[1]
    # The same miss is silent in a run that surveyed a/tuned and did not print it.
    with_tuned = _results(tmp_path, [_record("a/tuned", "fresh", "check", ["EC301"])])
    assert run.report([with_tuned]) == 0
    assert "0 unjudged, 1 silent misses" in capsys.readouterr().out.split("- **mixed, fresh**")[1]


def test_an_opt_in_miss_listed_when_asked_is_not_silent_and_not_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plain read nothing sets is EC906 (off by default): the opt-in run lists it. Its
    findings are not counted as printed ones, and the miss is "listed when asked"."""
    run = _harness(tmp_path)
    with (tmp_path / "verdicts.toml").open("a") as verdicts:
        verdicts.write(
            '\n[[miss]]\nrepo = "a/tuned"\ncode = "EC901"\nopt_in = "EC906"\nkey = "K"\n'
        )
    results = _results(
        tmp_path,
        [
            _record("a/tuned", "fresh", "check", ["EC301"]),
            _record("a/tuned", "fresh", run.OPT_IN, ["EC906"]),
        ],
    )
    assert run.report([results]) == 0
    out = capsys.readouterr().out
    # EC999's miss stays silent; the EC906 listing is neither a printed finding nor silent
    assert "- **mixed, fresh**: 1 true, 0 false (100.0 % true)" in out
    assert "0 unjudged, 1 silent misses" in out.split("- **mixed, fresh**")[1]
    assert "1 misses listed only when asked" in out
    # Not listed by the opt-in run either: silent
    only_default = _results(tmp_path, [_record("a/tuned", "fresh", "check", ["EC301"])])
    assert run.report([only_default]) == 0
    assert "0 unjudged, 2 silent misses" in capsys.readouterr().out.split("- **mixed, fresh**")[1]


def test_run_group_filter_selects_the_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = _harness(tmp_path)
    run.WORK = tmp_path / "work"
    surveyed: list[str] = []
    monkeypatch.setattr(run, "survey_repo", lambda repo, *_: surveyed.append(repo["name"]))
    assert run.main(["run", "--mirrors", str(tmp_path), "--label", "t", "--group", "holdout"]) == 0
    assert surveyed == ["b/held"]
    surveyed.clear()
    assert run.main(["run", "--mirrors", str(tmp_path), "--label", "t"]) == 0
    assert surveyed == ["a/tuned", "b/held"]
    assert run.main(["run", "--mirrors", str(tmp_path), "--label", "t", "--group", "x"]) == 2


def test_the_readme_edit_sets_the_live_line_not_a_commented_example(tmp_path: Path) -> None:
    # outline's .env.sample explains `#   SECRET_KEY=your_secret_key` in its header and
    # sets `SECRET_KEY=generate_a_new_key` below: the edit must replace the live line,
    # or the file ends with the key twice and the placeholder still live.
    run = _harness(tmp_path)
    env = tmp_path / ".env"
    env.write_text(
        "# For example:\n#   SECRET_KEY=your_secret_key\n\nSECRET_KEY=generate_a_new_key\n"
    )
    run._set_key(env, "SECRET_KEY", "0123abcd", "seed")
    assert (
        env.read_text() == "# For example:\n#   SECRET_KEY=your_secret_key\n\nSECRET_KEY=0123abcd\n"
    )
    only_commented = tmp_path / "b.env"
    only_commented.write_text("# OPENAI_API_KEY=\nPORT=3000\n")
    run._set_key(only_commented, "OPENAI_API_KEY", "x", "seed")
    assert only_commented.read_text() == "OPENAI_API_KEY=x\nPORT=3000\n"
