"""``envcheck lint --fix`` / ``--diff``: safe fixes only, proven against the real loaders.

The promise: every value the app's loader reads is the same before and
after a fix.  The code proves it with envcheck's own dialect parsers before
writing; these tests check the same promise with the real loaders — Node's
dotenv (+ dotenv-expand), node:util parseEnv (Vite), python-dotenv (with
interpolation) and Ruby's dotenv gem — on every file of the corpus, with
every fixable rule turned on.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from envcheck.cli import main
from envcheck.rules import style_fixes
from envcheck.rules.style_fixes import FIXABLE, fix_text
from envcheck.sources.readers import DIALECTS
from tests.harness import CORPUS, REPO_ROOT
from tests.oracle import compose_config, run_bun, run_node
from tests.oracle import deno_env_file as deno_oracle
from tests.oracle import django_environ as django_environ_oracle
from tests.oracle import dotenvx1 as dotenvx1_oracle
from tests.oracle import dotenvx2 as dotenvx2_oracle
from tests.oracle import missing as oracle_missing
from tests.oracle import node_env_file as node_env_file_oracle

FAKE_KEY = "sk-proj-" + "Zp3Kq8Lw2Nx7Rv4Ty9Bm1Cd6Fg0Hj5Sa8Ue3Wi7Yo2Qr4Et6Mn9Lk1Jh3Gf5Dc"


def _corpus(*folders: str) -> list[tuple[str, str]]:
    out = []
    for folder in folders:
        for path in sorted((CORPUS / folder).glob("*.env")):
            try:
                out.append((path.name, path.read_bytes().decode("utf-8")))
            except UnicodeDecodeError:
                continue  # --fix leaves a file that is not UTF-8 alone
    return out


# -- the real loaders ----------------------------------------------------------------------


def _node(texts: list[str]) -> list[Any]:
    answers = run_node("node-dotenv.cjs", {"texts": texts, "expand": True})
    return [(dict(a["parsed"]), dict(a.get("expanded") or []), a.get("error")) for a in answers]


def _nodeutil(texts: list[str]) -> list[Any]:
    return list(run_node("util-parse-env.cjs", {"texts": texts}))


@pytest.fixture(autouse=True)
def _quiet_dotenv() -> Iterator[None]:
    logger = logging.getLogger("dotenv.main")
    old, logger.disabled = logger.disabled, True
    yield
    logger.disabled = old


def _python(texts: list[str]) -> list[Any]:
    out = []
    for text in texts:
        stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
        out.append(dict(dotenv_values(stream=stream, interpolate=True)))  # type: ignore[arg-type]
    return out


def _ruby(texts: list[str], tmp_path: Path) -> list[Any]:
    gem = REPO_ROOT / "oracles" / "ruby-dotenv"
    if shutil.which("ruby") is None or not (gem / "lib" / "dotenv.rb").is_file():
        oracle_missing("ruby or oracles/ruby-dotenv missing: run `make oracles`")
    cases = [{"dir": str(d), "files": [".env"], "env": {}} for d in _folders(texts, tmp_path)]
    proc = subprocess.run(
        ["ruby", "-I", str(gem / "lib"), str(REPO_ROOT / "oracles" / "ruby-dotenv.rb")],
        input=json.dumps({"cases": cases}),
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [a.get("env", a.get("error")) for a in json.loads(proc.stdout)]


def _folders(texts: list[str], tmp_path: Path) -> list[Path]:
    """One folder per text holding it as ``.env``, for the tools that read files from disk."""
    out = []
    for index, text in enumerate(texts):
        folder = tmp_path / f"case{index}"
        folder.mkdir()
        (folder / ".env").write_bytes(text.encode("utf-8"))
        out.append(folder)
    return out


def _each(run_one: Callable[[Path], Any], folders: list[Path]) -> list[Any]:
    """Tools that take one project per process run two at a time (the machine is shared)."""
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(run_one, folders))


def _next(texts: list[str], tmp_path: Path) -> list[Any]:
    batches = [[{"path": ".env", "contents": t}] for t in texts]
    answers = run_node("next.cjs", {"batches": batches})
    return [(a["failed"], dict(map(tuple, a["env"]))) for a in answers]


def _cra(texts: list[str], tmp_path: Path) -> list[Any]:
    batch = [{"dir": str(d), "files": [".env"]} for d in _folders(texts, tmp_path)]
    answers = run_node("cra.cjs", {"batch": batch}, env={"NODE_ENV": "development"})
    if isinstance(answers, dict) and answers.get("unavailable"):
        oracle_missing("dotenv10 / dotenv-expand5 aliases not installed in oracles/")
    return [a.get("crash") or dict(map(tuple, a["env"])) for a in answers]


def _vite(texts: list[str], tmp_path: Path) -> list[Any]:
    def one(folder: Path) -> Any:
        return run_node("vite.mjs", {"dir": str(folder), "mode": "development"})["development"]

    return _each(one, _folders(texts, tmp_path))


def _node_env_file(version: str) -> Callable[[list[str], Path], list[Any]]:
    def run(texts: list[str], tmp_path: Path) -> list[Any]:
        cases = [{"args": [f"--env-file={d / '.env'}"]} for d in _folders(texts, tmp_path)]
        return [(a["status"], a.get("env")) for a in node_env_file_oracle(version, cases)]

    return run


def _deno(texts: list[str], tmp_path: Path) -> list[Any]:
    cases = [{"args": [f"--env-file={d / '.env'}"]} for d in _folders(texts, tmp_path)]
    return [(a["status"], a.get("env")) for a in deno_oracle(tmp_path, cases)]


def _bun(texts: list[str], tmp_path: Path) -> list[Any]:
    return _each(lambda folder: run_bun(folder, {}, env_files=[".env"]), _folders(texts, tmp_path))


def _dotenvx(
    run_cases: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
) -> Callable[..., Any]:
    def run(texts: list[str], tmp_path: Path) -> list[Any]:
        cases = [{"cwd": str(d), "files": [".env"], "env": {}} for d in _folders(texts, tmp_path)]
        # An error names its file (a different folder before and after): compare the codes.
        return [
            (dict(map(tuple, a["env"])), [code for _, code in a["errors"]])
            for a in run_cases(cases)
        ]

    return run


def _compose(raw: bool) -> Callable[[list[str], Path], list[Any]]:
    """``docker compose config`` reading the text as an ``env_file`` (docker: ``format: raw``)."""
    item = "{path: .env, format: raw}" if raw else ".env"

    def one(folder: Path) -> Any:
        compose = f"services:\n  s:\n    image: x\n    env_file:\n      - {item}\n"
        (folder / "compose.yaml").write_text(compose)
        code, envs, _ = compose_config(folder, {})
        return (code, envs)

    return lambda texts, tmp_path: _each(one, _folders(texts, tmp_path))


def _django_environ(texts: list[str], tmp_path: Path) -> list[Any]:
    cases = [
        {"dir": str(d), "files": [".env"], "env": {}, "overwrite": False}
        for d in _folders(texts, tmp_path)
    ]
    return [(a["status"], a.get("values"), a.get("errors")) for a in django_environ_oracle(cases)]


# Every real tool in the suite, by the dialect envcheck parses its files with.
ORACLES: dict[str, tuple[str, tuple[str, ...], Callable[[list[str], Path], list[Any]]]] = {
    "dotenv": ("node", ("files",), lambda texts, _: _node(texts)),
    "next": ("node", ("files",), _next),
    "cra": ("node-cra", ("files",), _cra),
    "util.parseEnv": ("nodeutil", ("files",), lambda texts, _: _nodeutil(texts)),
    "vite": ("nodeutil", ("files",), _vite),
    "node20 --env-file": ("nodeutil", ("files",), _node_env_file("20")),
    "node22 --env-file": ("nodeutil22", ("files",), _node_env_file("22")),
    "deno": ("deno", ("files",), _deno),
    "bun": ("bun", ("files",), _bun),
    "dotenvx 1.x": ("dotenvx", ("files",), _dotenvx(dotenvx1_oracle)),
    "dotenvx 2.x": ("dotenvx", ("files",), _dotenvx(dotenvx2_oracle)),
    "docker compose": ("compose", ("files",), _compose(raw=False)),
    "docker (compose format: raw)": ("docker", ("files", "docker"), _compose(raw=True)),
    "python-dotenv": ("python", ("files",), lambda texts, _: _python(texts)),
    "django-environ": ("django-environ", ("files",), _django_environ),
    "ruby dotenv": ("ruby", ("files", "ruby"), _ruby),
}


def test_every_dialect_has_a_real_oracle() -> None:
    assert {dialect for dialect, _, _ in ORACLES.values()} == set(DIALECTS)


@pytest.mark.oracle
@pytest.mark.parametrize("tool", sorted(ORACLES))
def test_every_fix_keeps_every_value_the_real_loader_reads(tool: str, tmp_path: Path) -> None:
    dialect, folders, oracle = ORACLES[tool]
    changed = []
    for name, text in _corpus(*folders):
        result = fix_text(text, ".env", dialect, FIXABLE)
        assert result.changed == (result.text != text), name
        if result.changed:
            changed.append((name, text, result.text))
    assert len(changed) >= 20, f"only {len(changed)} corpus files had a fix under {dialect}"
    answers = oracle([t for _, before, after in changed for t in (before, after)], tmp_path)
    wrong = [name for i, (name, _, _) in enumerate(changed) if answers[2 * i] != answers[2 * i + 1]]
    assert wrong == [], f"{tool}: a fix changed a value in {wrong}"


# -- what each fixer does, and what it refuses ---------------------------------------------

CASES = [
    ("EC207", "A=1  \nB=2 \n", "A=1\nB=2\n"),
    ("EC212", "A=1", "A=1\n"),
    ("EC212", "A=1\r\nB=2", "A=1\r\nB=2\n"),
    ("EC211", "A=1\n\n\n\nB=2\n", "A=1\n\nB=2\n"),
    ("EC205", "  A=1\n B=2\n", "A=1\nB=2\n"),
    ("EC202", "A = 1\nB= 2 # c\n", "A=1\nB=2 # c\n"),
    ("EC208", "PORT=\"3000\"\nHOST='example.com' # c\n", "PORT=3000\nHOST=example.com # c\n"),
    ("EC209", "GREETING=hello world\n", 'GREETING="hello world"\n'),
    ("EC201", "A=1\nB=2\nA=3\nA=4\n", "B=2\nA=4\n"),
    ("EC214", "C=3\n# about b\nB=2\nA=1\n\nZ=1\nY=2\n", "A=1\n# about b\nB=2\nC=3\n\nY=2\nZ=1\n"),
    (None, "  A = x  \n", "A=x\n"),  # three fixes on one line compose
]


@pytest.mark.parametrize(("code", "text", "expected"), CASES)
@pytest.mark.parametrize("dialect", ["node", "python", "nodeutil", "ruby"])
def test_a_fix(code: str | None, text: str, expected: str, dialect: str) -> None:
    enabled = FIXABLE if code is None else frozenset({code})
    assert fix_text(text, ".env", dialect, enabled).text == expected


REFUSED = [
    ("EC209", "A=hello $USER\n"),  # quoting changes how expansion reads it in some loaders
    ("EC209", 'A=say "hi" now\n'),
    ("EC201", "A=1\nB=${A}\nA=2\n"),  # python-dotenv gives B the first A
    ("EC214", "Z=1\nA=${Z}\n"),  # A moved above the key it references
    ("EC214", "B=${A}\nA=1\n"),  # A moved above a value that reads it
    ("EC214", "B=1\nB=2\nA=1\n"),  # a duplicate in the block
    ("EC208", 'A="x"y\n'),
]


@pytest.mark.parametrize(("code", "text"), REFUSED)
def test_an_unsafe_fix_is_refused(code: str, text: str) -> None:
    result = fix_text(text, ".env", "python", frozenset({code}))
    assert result.text == text and not result.fixed


def test_a_duplicate_is_not_removed_where_the_first_definition_wins() -> None:
    """Deno keeps the first of two definitions in one file, the others the last."""
    assert fix_text("A=1\nA=2\n", ".env", "node", frozenset({"EC201"})).text == "A=2\n"
    assert fix_text("A=1\nA=2\n", ".env", "deno", frozenset({"EC201"})).text == "A=1\nA=2\n"


def test_a_fix_that_would_make_a_refused_file_load_is_refused() -> None:
    """docker refuses ``export `` (a blank in the name): trimming it would make the file load."""
    text = "export \nA=1\n"
    assert fix_text(text, ".env", "docker", frozenset({"EC207"})).text == text


def test_an_empty_key_is_linted_without_a_crash() -> None:
    assert fix_text("=x\nA=1  \n", ".env", "compose", FIXABLE).text.endswith("A=1\n")


@pytest.mark.parametrize("text", ["A=1\t\n", "\tA=1\n"])
def test_a_tab_that_util_parse_env_keeps_is_kept(text: str) -> None:
    """node:util parseEnv (Vite) does not trim tabs: the fix would change the value."""
    assert fix_text(text, ".env", "nodeutil", FIXABLE).text == text
    assert fix_text(text, ".env", "node", FIXABLE).text == "A=1\n"
    assert _nodeutil([text, "A=1\n"])[0] != _nodeutil([text, "A=1\n"])[1]


def test_the_proof_refuses_a_fixer_that_would_change_a_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The in-code proof, not the fixers' care, is the last word: a wrong edit is not kept."""

    def careless(file: Any, finding: Any) -> Any:  # "fixes" trailing whitespace in a value
        line = finding.location.line
        return style_fixes._Edit(finding.code, line, spans=((line, 2, 3, "changed"),))

    monkeypatch.setitem(style_fixes.FIXERS, "EC207", careless)
    text = "A=1 \nB=2\n"
    result = fix_text(text, ".env", "node", frozenset({"EC207"}))
    assert result.text == text and [f.code for f in result.left] == ["EC207"]


def test_a_broken_file_is_fixed_only_where_safe() -> None:
    # The unterminated quote swallows the lines below it in python-dotenv: those stay.
    text = "A=1  \nB='open\nC=2  \nD = 4\n"
    result = fix_text(text, ".env", "python", FIXABLE)
    assert result.text.startswith("A=1\n")
    assert _python([text]) == _python([result.text])


def test_a_lone_cr_file_is_not_touched() -> None:
    text = "A=1  \rB=2  \n"
    assert fix_text(text, ".env", "node", FIXABLE).text == text


# -- the command ---------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_diff_previews_masks_secrets_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = project / ".env"
    env.write_text(f"OPENAI_API_KEY = {FAKE_KEY}\n")
    assert main(["lint", "--diff", ".env"]) == 1
    out = capsys.readouterr().out
    assert "+OPENAI_API_KEY=sk-proj-…" in out and FAKE_KEY not in out
    assert env.read_text() == f"OPENAI_API_KEY = {FAKE_KEY}\n"
    env.write_text("A=1\n")
    assert main(["lint", "--diff", ".env"]) == 0


def test_fix_writes_atomically_keeps_the_mode_and_touches_nothing_else(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env, other = project / ".env", project / ".env.local"
    env.write_text(f"KEY = {FAKE_KEY}  \nB=2")
    env.chmod(0o600)
    other.write_text("C = 3\n")
    assert main(["lint", "--fix", ".env"]) == 0
    assert env.read_text() == f"KEY={FAKE_KEY}\nB=2\n"
    assert env.stat().st_mode & 0o777 == 0o600
    assert other.read_text() == "C = 3\n"
    assert sorted(p.name for p in project.iterdir()) == [".env", ".env.local"]
    assert FAKE_KEY not in capsys.readouterr().err


def test_fix_leaves_a_link_and_its_target_alone(project: Path, tmp_path_factory: Any) -> None:
    outside = tmp_path_factory.mktemp("outside") / "real.env"
    outside.write_text("A = 1\n")
    (project / ".env").symlink_to(outside)
    assert main(["lint", "--fix", ".env"]) in (0, 1)
    assert (project / ".env").is_symlink() and outside.read_text() == "A = 1\n"


def test_fix_leaves_a_file_that_is_not_utf8_alone(project: Path) -> None:
    env = project / ".env"
    env.write_bytes(b"A = \xff\n")
    main(["lint", "--fix", ".env"])
    assert env.read_bytes() == b"A = \xff\n"


def test_default_off_rules_are_fixed_only_when_selected(project: Path) -> None:
    env = project / ".env"
    env.write_text("B=1\nA=2\n")
    main(["lint", "--fix", ".env"])
    assert env.read_text() == "B=1\nA=2\n"
    main(["lint", "--fix", "--select", "EC214", ".env"])
    assert env.read_text() == "A=2\nB=1\n"
