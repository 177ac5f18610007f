"""load_dotenv per file and pydantic-settings' env_file: unit cases, then the real loaders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from envcheck.secret import reveal
from envcheck.sources.decode import decode
from envcheck.sources.loaders.python import load_pydantic_settings, load_python_dotenv
from envcheck.sources.readers.python import parse
from envcheck.sources.types import PROCESS_ORIGIN, LoadResult, Origin, ParsedFile
from tests.harness import CORPUS

PROJECTS = CORPUS / "projects"
PY_PROJECTS = sorted(p for p in PROJECTS.iterdir() if p.name.startswith("py-"))
# Highest priority first: the app calls load_dotenv(".env.prod") then load_dotenv(".env"),
# or declares env_file=(".env", ".env.prod").
PRIORITY = (".env.prod", ".env")


def files(**texts: str) -> list[ParsedFile]:
    """Parsed files from keyword arguments, highest priority first (``env=`` -> ``.env``)."""
    return [parse(text, "." + name.replace("_", ".")) for name, text in texts.items()]


def values(result: LoadResult) -> dict[str, str]:
    return {key: reveal(r.value) for key, r in result.vars.items()}


def origins(result: LoadResult) -> dict[str, tuple[str, list[str]]]:
    return {k: (str(r.origin), [str(o) for o in r.shadowed]) for k, r in result.vars.items()}


# ---------------------------------------------------------------- load_dotenv


@pytest.mark.parametrize(
    ("parsed", "process", "expected_values", "expected_origins"),
    [
        (
            files(env_prod="A=prod\nB=${A}", env="A=dev\nC=${A}"),
            {},
            {"A": "prod", "B": "prod", "C": "prod"},
            {
                "A": (".env.prod:1", [".env:1"]),
                "B": (".env.prod:2", []),
                "C": (".env:2", []),
            },
        ),
        (
            files(env="A=file\nB=${A}"),
            {"A": "shell"},
            {"A": "shell", "B": "shell"},
            {"A": ("process environment", [".env:1"]), "B": (".env:2", [])},
        ),
        (
            files(env_prod="FLAG", env="FLAG=on"),
            {},
            {"FLAG": "on"},
            {"FLAG": (".env:1", [])},
        ),
        (
            files(env="A=1\nA=2"),
            {},
            {"A": "2"},
            {"A": (".env:2", [])},
        ),
    ],
)
def test_load_dotenv_table(
    parsed: list[ParsedFile],
    process: dict[str, str],
    expected_values: dict[str, str],
    expected_origins: dict[str, tuple[str, list[str]]],
) -> None:
    result = load_python_dotenv(parsed, process, mode="development")
    assert values(result) == expected_values
    assert origins(result) == expected_origins


def test_load_dotenv_process_shadows_file_note() -> None:
    result = load_python_dotenv(files(env="X=1\nOTHER=2"), {"X": "shell"}, mode="dev")
    (note,) = result.notes
    assert (note.kind, note.key, note.path, note.line) == ("process-shadows-file", "X", ".env", 1)
    assert "shell" not in note.message


def test_load_dotenv_override_true_file_wins_and_last_loaded_wins() -> None:
    parsed = files(env_prod="A=prod", env="A=dev\nB=${A}")  # loaded .env then .env.prod
    result = load_python_dotenv(parsed, {"A": "shell"}, override=True)
    assert values(result) == {"A": "prod", "B": "dev"}
    assert result.vars["A"].shadowed == [Origin(".env", 1, 1), PROCESS_ORIGIN]
    assert not result.notes


def test_load_dotenv_disabled_by_an_earlier_file() -> None:
    parsed = files(env_prod="PYTHON_DOTENV_DISABLED=1", env="A=1")
    result = load_python_dotenv(parsed, {})
    assert values(result) == {"PYTHON_DOTENV_DISABLED": "1"}
    assert [(n.kind, n.path) for n in result.notes] == [("file-dropped", ".env")]


def test_load_dotenv_bare_key_note() -> None:
    result = load_python_dotenv(files(env="LONELY\nA=1"), {})
    assert values(result) == {"A": "1"}
    assert [(n.kind, n.key) for n in result.notes] == [("bare-key-ignored", "LONELY")]


def test_load_dotenv_crash_on_illegal_name() -> None:
    result = load_python_dotenv(files(env="A=1\n'B=C'=2\nD=3"), {})
    assert values(result) == {"A": "1"}
    assert [(n.kind, n.line) for n in result.notes] == [("load-crash", 2)]


# ---------------------------------------------------------------- pydantic-settings


@pytest.mark.parametrize(
    ("parsed", "process", "expected_values", "expected_origins", "kinds"),
    [
        (  # later env_file wins; each file interpolates on its own
            files(env_prod="A=prod", env="A=dev\nB=${A}"),
            {},
            {"A": "prod", "B": "dev"},
            {"A": (".env.prod:1", [".env:1"]), "B": (".env:2", [])},
            [],
        ),
        (  # real env vars beat every file, matched case-insensitively
            files(env="Log_Level=info"),
            {"LOG_LEVEL": "debug"},
            {"Log_Level": "debug"},
            {"Log_Level": ("process environment", [".env:1"])},
            ["process-shadows-file"],
        ),
        (  # a bare key in the later file erases the earlier value
            files(env_prod="FLAG", env="FLAG=on"),
            {},
            {},
            {},
            ["bare-key-ignored"],
        ),
        (  # case-folded keys across files
            files(env_prod="token=prod", env="TOKEN=dev"),
            {},
            {"token": "prod"},
            {"token": (".env.prod:1", [".env:1"])},
            [],
        ),
    ],
)
def test_pydantic_table(
    parsed: list[ParsedFile],
    process: dict[str, str],
    expected_values: dict[str, str],
    expected_origins: dict[str, tuple[str, list[str]]],
    kinds: list[str],
) -> None:
    result = load_pydantic_settings(parsed, process, mode="development")
    assert values(result) == expected_values
    assert origins(result) == expected_origins
    assert [n.kind for n in result.notes] == kinds


def test_pydantic_case_sensitive_keeps_keys_apart() -> None:
    result = load_pydantic_settings(
        files(env="token=a\nTOKEN=b"), {"Token": "p"}, case_sensitive=True
    )
    assert values(result) == {"token": "a", "TOKEN": "b"}


# ---------------------------------------------------------------- the real loaders


def load_project(root: Path) -> tuple[list[ParsedFile], dict[str, str]]:
    parsed = []
    for name in PRIORITY:
        path = root / name
        if path.is_file():
            text, _ = decode(path.read_bytes(), name)
            parsed.append(parse(text, name))
    return parsed, json.loads((root / "process.json").read_text())


def run_python(script: str, payload: object, env: dict[str, str], cwd: Path) -> dict[str, object]:
    """Run ``script`` in a fresh interpreter whose environment is exactly ``env``."""
    proc = subprocess.run(
        [sys.executable, "-c", script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=True,
    )
    answer: dict[str, object] = json.loads(proc.stdout)
    return answer


LOAD_DOTENV = """
import json, os, sys
from dotenv import load_dotenv
for name in json.load(sys.stdin):
    load_dotenv(name)
print(json.dumps(dict(os.environ)))
"""

PYDANTIC = """
import json, sys
from pydantic import Field, create_model
from pydantic_settings import BaseSettings
req = json.load(sys.stdin)
fields = {f"f{i}": (str | None, Field(default=None, alias=k)) for i, k in enumerate(req["keys"])}
Settings = create_model("Settings", __base__=BaseSettings, **fields)
print(json.dumps(Settings(_env_file=tuple(req["env_file"])).model_dump(by_alias=True)))
"""


def test_there_are_python_projects() -> None:
    assert len(PY_PROJECTS) >= 3


@pytest.mark.oracle
@pytest.mark.parametrize("root", PY_PROJECTS, ids=lambda p: p.name)
def test_project_matches_load_dotenv(root: Path) -> None:
    parsed, process = load_project(root)
    oracle = run_python(LOAD_DOTENV, [pf.path for pf in parsed], process, root)
    result = load_python_dotenv(parsed, process, mode="production")
    mine = process | values(result)
    keys = set(process) | {e.key for pf in parsed for e in pf.entries}
    assert {k: mine.get(k) for k in keys} == {k: oracle.get(k) for k in keys}


@pytest.mark.oracle
@pytest.mark.parametrize("root", PY_PROJECTS, ids=lambda p: p.name)
def test_project_matches_pydantic_settings(root: Path) -> None:
    parsed, process = load_project(root)
    keys = sorted({e.key for pf in parsed for e in pf.entries})
    request = {"keys": keys, "env_file": [pf.path for pf in reversed(parsed)]}
    oracle = run_python(PYDANTIC, request, process, root)
    result = load_pydantic_settings(parsed, process, mode="production")
    by_folded = {k.lower(): v for k, v in values(result).items()}
    assert {k: by_folded.get(k.lower()) for k in keys} == oracle
