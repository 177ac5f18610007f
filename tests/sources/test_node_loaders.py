"""Node framework loaders: unit cases, then differential tests against the real loaders.

The project corpus (``tests/corpus/projects/node-*``) is loaded by Next.js'
``loadEnvConfig``, dotenv-flow, dotenv (+ dotenv-expand) and, when its pinned
packages are installed, react-scripts' env.js; every value must agree.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from envcheck.secret import reveal
from envcheck.sources.loaders.node import (
    effective_mode,
    load_cra,
    load_dotenv,
    load_dotenv_expand,
    load_dotenv_flow,
    load_nextjs,
    next_mode,
)
from envcheck.sources.readers.node import parse
from envcheck.sources.readers.node_cra import parse as parse_dotenv10
from envcheck.sources.types import LoadResult, ParsedFile
from tests.harness import CORPUS
from tests.oracle import missing as oracle_missing
from tests.oracle import requires_node, run_node

PROJECTS = sorted(p for p in (CORPUS / "projects").glob("node-*") if p.is_dir())
FILES = sorted((CORPUS / "files").glob("*.env"))


def _pf(path: str, text: str) -> ParsedFile:
    return parse(text, path)


def _values(result: LoadResult) -> dict[str, str]:
    return {k: reveal(r.value) for k, r in result.vars.items()}


def _files(
    project: Path, names: list[str], parser: Callable[[str, str], ParsedFile] = parse
) -> list[ParsedFile]:
    out = []
    for name in names:
        path = project / name
        if path.is_file():
            out.append(parser(path.read_bytes().decode("utf-8", "replace"), name))
    return out


def _process(project: Path) -> dict[str, str]:
    env = (
        json.loads((project / "process.json").read_text())
        if (project / "process.json").exists()
        else {}
    )
    return {"PATH": os.environ.get("PATH", ""), **env}


def next_names(mode: str) -> list[str]:
    return [
        f".env.{mode}.local",
        *([".env.local"] if mode != "test" else []),
        f".env.{mode}",
        ".env",
    ]


def flow_names(mode: str) -> list[str]:
    local = [".env.local"] if mode != "test" else []
    return [f".env.{mode}.local", f".env.{mode}", *local, ".env", ".env.defaults"]


# --- unit cases -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "env", "expected"),
    [
        ("development", {}, "development"),
        ("production", {"NODE_ENV": "production"}, "production"),
        ("production", {"NODE_ENV": "test"}, "test"),
        ("development", {"NODE_ENV": "development"}, "development"),
    ],
)
def test_effective_mode(mode: str, env: dict[str, str], expected: str) -> None:
    assert effective_mode(mode, env) == expected


def test_next_mode() -> None:
    assert next_mode(True, {}) == "development"
    assert next_mode(False, {}) == "production"
    assert next_mode(True, {"NODE_ENV": "test"}) == "test"


def test_nextjs_priority_and_provenance() -> None:
    files = [_pf(".env.local", "A=local\n"), _pf(".env", "A=base\nB=$A\n")]
    result = load_nextjs(files, {}, mode="development")
    assert _values(result) == {"A": "local", "B": "local"}
    a = result.vars["A"]
    assert (a.origin.source, a.origin.line) == (".env.local", 1)
    assert [o.source for o in a.shadowed] == [".env"]
    assert a.raw is not None and reveal(a.raw) == "local"
    assert result.notes == []


def test_nextjs_process_wins_and_is_noted() -> None:
    files = [_pf(".env", "\nTOKEN=file\n")]
    result = load_nextjs(files, {"TOKEN": "shell"}, mode="production")
    token = result.vars["TOKEN"]
    assert token.origin.is_process and reveal(token.value) == "shell"
    assert token.raw is None
    assert [o.source for o in token.shadowed] == [".env"]
    (note,) = result.notes
    assert (note.kind, note.path, note.line, note.key) == (
        "process-shadows-file",
        ".env",
        2,
        "TOKEN",
    )
    assert "shell" not in note.message


def test_nextjs_self_reference_drops_file() -> None:
    files = [_pf(".env.local", "OK=1\nLOOP=$LOOP\n"), _pf(".env", "OK=base\nB=2\n")]
    result = load_nextjs(files, {}, mode="development")
    assert _values(result) == {"OK": "base", "B": "2"}
    (note,) = result.notes
    assert (note.kind, note.path, note.line, note.key) == ("file-dropped", ".env.local", 2, "LOOP")


def test_nextjs_processed_env_loads_nothing() -> None:
    result = load_nextjs(
        [_pf(".env", "A=1\n")], {"__NEXT_PROCESSED_ENV": "true"}, mode="development"
    )
    assert result.vars == {}
    assert [n.kind for n in result.notes] == ["file-dropped"]


@pytest.mark.parametrize(
    ("loader", "env", "expected"),
    [
        (load_dotenv, {}, {"A": "one", "B": "$A", "C": "c2"}),
        (load_dotenv, {"A": ""}, {"A": "", "B": "$A", "C": "c2"}),
        (load_dotenv_expand, {}, {"A": "one", "B": "one", "C": "c2"}),
        (load_dotenv_expand, {"A": ""}, {"A": "one", "B": "", "C": "c2"}),
        (load_dotenv_expand, {"A": "sh"}, {"A": "sh", "B": "sh", "C": "c2"}),
        (load_dotenv_flow, {}, {"A": "one", "B": "$A", "C": "c1"}),
    ],
)
def test_plain_loaders(
    loader: Callable[..., LoadResult], env: dict[str, str], expected: dict[str, str]
) -> None:
    files = [_pf("first", "A=one\nB=$A\nC=c1\n"), _pf("second", "A=two\nC=c2\n")]
    if loader is not load_dotenv_flow:  # dotenv path arrays: first wins
        files = [_pf("first", "A=one\nB=$A\nC=c2\n"), _pf("second", "A=two\nC=c1\n")]
    assert _values(loader(files, env, mode="development")) == expected


def test_cra_reexpands_and_reports_cycle() -> None:
    files = [parse_dotenv10("A=$B\nB=x\n", ".env.local"), parse_dotenv10("C=$C\n", ".env")]
    result = load_cra(files, {"NODE_ENV": "development"}, mode="development")
    assert _values(result)["A"] == "x"
    assert [(n.kind, n.key) for n in result.notes] == [("expansion-cycle", "C")]


# --- differential: projects -------------------------------------------------------


def _check_next(project: Path, dev: bool, env: dict[str, str]) -> None:
    mode = next_mode(dev, env)
    result = load_nextjs(_files(project, next_names(mode)), env, mode=mode)
    oracle = run_node("next.cjs", {"dir": str(project), "dev": dev}, env=env)
    theirs = dict(map(tuple, oracle["env"]))
    mine = _values(result)
    dropped = sorted(n.path for n in result.notes if n.kind == "file-dropped")
    assert dropped == sorted(oracle["failed"])
    for key, value in theirs.items():
        if key in mine:
            assert mine[key] == value, key
        else:  # only defined in a dropped file: the app sees the process value, if any
            assert env.get(key) == value, key
    assert set(mine) <= set(theirs)


@requires_node
@pytest.mark.oracle
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@pytest.mark.parametrize("dev", [True, False], ids=["dev", "prod"])
@pytest.mark.parametrize("with_process", [True, False], ids=["proc", "noproc"])
def test_nextjs_matches_load_env_config(project: Path, dev: bool, with_process: bool) -> None:
    env = _process(project) if with_process else {"PATH": os.environ.get("PATH", "")}
    _check_next(project, dev, env)


@requires_node
@pytest.mark.oracle
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_nextjs_test_mode_matches(project: Path) -> None:
    _check_next(project, True, {**_process(project), "NODE_ENV": "test"})


@requires_node
@pytest.mark.oracle
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@pytest.mark.parametrize("mode", ["development", "production", "test"])
def test_dotenv_flow_matches(project: Path, mode: str) -> None:
    env = _process(project)
    env.pop("NODE_ENV", None)
    names = flow_names(mode)
    result = load_dotenv_flow(_files(project, names), env, mode=mode)
    oracle = run_node("dotenv-flow.cjs", {"dir": str(project), "node_env": mode}, env=env)
    present = [n for n in names if (project / n).is_file()]
    assert sorted(oracle["files"]) == sorted(present)
    assert _values(result) == dict(map(tuple, oracle["env"]))


@requires_node
@pytest.mark.oracle
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@pytest.mark.parametrize("expand", [False, True], ids=["plain", "expand"])
def test_dotenv_path_array_matches(project: Path, expand: bool) -> None:
    env = _process(project)
    names = [n for n in next_names("development") if (project / n).is_file()]
    files = _files(project, names)
    loader = load_dotenv_expand if expand else load_dotenv
    result = loader(files, env, mode="development")
    payload = {"paths": [str(project / n) for n in names], "processEnv": env, "expand": expand}
    oracle = run_node("node-dotenv.cjs", payload)
    assert _values(result) == dict(map(tuple, oracle["env"]))


@requires_node
@pytest.mark.oracle
@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
@pytest.mark.parametrize("mode", ["development", "production", "test"])
def test_cra_matches_react_scripts(project: Path, mode: str) -> None:
    env = {**_process(project), "NODE_ENV": mode}
    if os.environ.get("ENVCHECK_CRA_NODE_PATH"):  # dotenv10/dotenv-expand5 installed elsewhere
        env["NODE_PATH"] = os.environ["ENVCHECK_CRA_NODE_PATH"]
    names = next_names(mode)
    oracle = run_node("cra.cjs", {"dir": str(project), "files": names}, env=env)
    if oracle.get("unavailable"):
        oracle_missing(
            "dotenv10 / dotenv-expand5 aliases not installed in oracles/: run `make oracles`"
        )
    result = load_cra(_files(project, names, parse_dotenv10), env, mode=mode)
    if "crash" in oracle:
        assert any(n.kind == "expansion-cycle" for n in result.notes)
        return
    assert _values(result) == dict(map(tuple, oracle["env"]))


# --- differential: every corpus file through @next/env's own processing --------------


@requires_node
@pytest.mark.oracle
@pytest.mark.parametrize(
    "process_env", [{}, {"HOST": "shell", "A": "proc", "X": "$A", "EMPTY": ""}]
)
def test_corpus_through_next_process_env(process_env: dict[str, str]) -> None:
    env = {"PATH": os.environ.get("PATH", ""), **process_env}
    texts = [f.read_bytes().decode("utf-8", "replace") for f in FILES]
    batches = [[{"path": ".env", "contents": t}] for t in texts]
    answers = run_node("next.cjs", {"batches": batches}, env=env)
    for path, text, answer in zip(FILES, texts, answers, strict=True):
        result = load_nextjs([_pf(".env", text)], env, mode="development")
        dropped = [n.path for n in result.notes if n.kind == "file-dropped"]
        assert dropped == answer["failed"], path.name
        theirs = dict(map(tuple, answer["env"]))
        if dropped:
            assert set(theirs) <= set(env), path.name
        else:
            assert _values(result) == theirs, path.name


@requires_node
@pytest.mark.oracle
def test_corpus_through_react_scripts(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "NODE_ENV": "development", "HOST": "shell"}
    if os.environ.get("ENVCHECK_CRA_NODE_PATH"):
        env["NODE_PATH"] = os.environ["ENVCHECK_CRA_NODE_PATH"]
    batch = []
    for i, path in enumerate(FILES):
        (tmp_path / str(i)).mkdir()
        (tmp_path / str(i) / ".env").write_bytes(path.read_bytes())
        batch.append({"dir": str(tmp_path / str(i)), "files": [".env"]})
    answers = run_node("cra.cjs", {"batch": batch}, env=env)
    if isinstance(answers, dict) and answers.get("unavailable"):
        oracle_missing(
            "dotenv10 / dotenv-expand5 aliases not installed in oracles/: run `make oracles`"
        )
    for path, answer in zip(FILES, answers, strict=True):
        text = path.read_bytes().decode("utf-8", "replace")
        result = load_cra([parse_dotenv10(text, ".env")], env, mode="development")
        if "crash" in answer:
            assert any(n.kind == "expansion-cycle" for n in result.notes), path.name
        else:
            assert _values(result) == dict(map(tuple, answer["env"])), path.name
