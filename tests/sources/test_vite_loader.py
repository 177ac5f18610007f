"""Vite's loadEnv: projects and expansion quirks against the real vite 8.4.0."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from envcheck.secret import reveal
from envcheck.sources.loaders.vite import load_vite
from envcheck.sources.readers.nodeutil import parse
from envcheck.sources.types import PROCESS_ORIGIN, LoadResult, ParsedFile
from tests.bounded import assert_linear
from tests.harness import CORPUS
from tests.oracle import requires_node, run_node

PROJECTS = CORPUS / "projects"
VITE_PROJECTS = sorted(p for p in PROJECTS.glob("vite-*") if p.is_dir())
MODES = ["development", "production", "staging"]


def vite_files(directory: Path, mode: str) -> list[ParsedFile]:
    """The files loadEnv reads, highest priority first, parsed like Vite."""
    names = [f".env.{mode}.local", f".env.{mode}", ".env.local", ".env"]
    return [
        parse((directory / n).read_bytes().decode("utf-8", "replace"), str(directory / n))
        for n in names
        if (directory / n).is_file()
    ]


def load(directory: Path, mode: str, process: Mapping[str, str]) -> LoadResult:
    return load_vite(vite_files(directory, mode), process, mode=mode)


def values(result: LoadResult) -> dict[str, str]:
    return {k: reveal(v.value) for k, v in result.vars.items()}


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).write_text(text, newline="")
    return directory


def assert_matches_oracle(directory: Path, process: dict[str, str]) -> None:
    full = {"PATH": os.environ.get("PATH", ""), **process}
    answer = run_node("vite.mjs", {"dir": str(directory), "modes": MODES, "prefixes": ""}, env=full)
    for mode in MODES:
        result = load(directory, mode, full)
        assert "error" not in answer[mode], answer[mode]
        real = answer[mode]["env"]
        ours = values(result)
        assert ours == {k: real[k] for k in ours}, mode
        # Everything else loadEnv returned is the untouched process environment.
        assert {k: v for k, v in real.items() if k not in ours} == {
            k: v for k, v in full.items() if k not in ours
        }, mode


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("with_process", [False, True], ids=["no-process", "process"])
@pytest.mark.parametrize("project", VITE_PROJECTS, ids=lambda p: p.name)
def test_projects_match_load_env(project: Path, with_process: bool) -> None:
    process: dict[str, str] = {}
    if with_process and (project / "process.json").is_file():
        process = json.loads((project / "process.json").read_text())
    assert_matches_oracle(project, process)


def test_enough_projects() -> None:
    assert len(VITE_PROJECTS) >= 3


QUIRKS = [
    "A=x\nB=${A:-d}\nC=${NOPE:-d}\nD=${NOPE-d}\nE=${A:+alt}\nF=${NOPE+alt}\n",
    "N=${annulled}\nM=$A$B\nA=a\nB=b\n",  # split(null); later keys still raw
    "A=$$x\nB=${A}\nC=pre${D}post\nD=$$|$`|$'|$1\n",  # replacement patterns
    "A=${A}\nB=${C}\nC=${B}\n",  # cycles
    "A=\\${B}\nB=1\nC=\\$B and $B\n",  # escapes
    "2=${1}x\n1=one\nb=${a}\na=${2}\n",  # integer keys expand first
    "P=${PROC}\nE=${EMPTY:-file}\nEMPTY=file-empty\nPROC=file-proc\n",
    "NODE_ENV=${X}prod\nBROWSER=${X}fox\nBROWSER_ARGS=--a\nX=1\nY=${VITE_USER_NODE_ENV}\n",
    "A=${toString}|${isPrototypeOf}|${__proto__}|${constructor:+p}\n",
    "A=${B}${B}\nB=x${A}\n",
]


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("text", QUIRKS)
@pytest.mark.parametrize("process", [{}, {"PROC": "shell", "EMPTY": "", "A": "pa"}])
def test_expansion_quirks_match_load_env(
    tmp_path: Path, text: str, process: dict[str, str]
) -> None:
    write(tmp_path, {".env": text, ".env.staging": "STAGE=${A}\nA=staged\n"})
    assert_matches_oracle(tmp_path, process)


def test_priority_and_provenance(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        {
            ".env": "K=env\nBASE=1\n",
            ".env.local": "K=local\n",
            ".env.production": "K=prod\n",
        },
    )
    result = load(d, "production", {})
    k = result.vars["K"]
    assert reveal(k.value) == "prod"
    assert k.origin.source.endswith(".env.production")
    assert [Path(o.source).name for o in k.shadowed] == [".env.local", ".env"]
    assert k.entry is not None and k.entry.key == "K"
    notes = [n for n in result.notes if n.kind == "vite-mode-beats-local"]
    assert [(Path(n.path).name, n.key) for n in notes] == [(".env.local", "K")]


def test_local_is_read_in_test_mode(tmp_path: Path) -> None:
    d = write(tmp_path, {".env": "K=env\n", ".env.local": "K=local\n"})
    assert reveal(load(d, "test", {}).vars["K"].value) == "local"


def test_process_shadows_file(tmp_path: Path) -> None:
    d = write(tmp_path, {".env": "K=file\nREF=${K}\n"})
    result = load(d, "development", {"K": "shell"})
    k = result.vars["K"]
    assert k.origin == PROCESS_ORIGIN and k.raw is None
    assert [Path(o.source).name for o in k.shadowed] == [".env"]
    assert reveal(result.vars["REF"].value) == "shell"
    (note,) = [n for n in result.notes if n.kind == "process-shadows-file"]
    assert (note.key, note.line) == ("K", 1)
    assert "shell" not in note.message


def test_mode_local_is_refused(tmp_path: Path) -> None:
    d = write(tmp_path, {".env": "K=1\n"})
    result = load(d, "local", {})
    assert result.vars == {}
    assert [n.kind for n in result.notes] == ["invalid-mode"]


@pytest.mark.oracle
@requires_node
def test_oracle_refuses_mode_local(tmp_path: Path) -> None:
    write(tmp_path, {".env": "K=1\n"})
    answer = run_node("vite.mjs", {"dir": str(tmp_path), "mode": "local"})
    assert "cannot be used as a mode name" in answer["local"]["error"]


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("text", ["toString=1\n", "A=${constructor}\nconstructor=1\n"])
def test_object_prototype_keys_break_vite(tmp_path: Path, text: str) -> None:
    write(tmp_path, {".env": text})
    result = load(tmp_path, "development", {})
    assert "vite-crash" in {n.kind for n in result.notes}
    if "toString" in text:  # the other one makes loadEnv loop forever
        answer = run_node("vite.mjs", {"dir": str(tmp_path), "mode": "development"})
        assert "error" in answer["development"]


def test_vite_user_node_env_is_added(tmp_path: Path) -> None:
    d = write(tmp_path, {".env": "NODE_ENV=staging\n"})
    added = load(d, "development", {}).vars["VITE_USER_NODE_ENV"]
    assert reveal(added.value) == "staging"
    assert added.origin.line == 1
    assert "VITE_USER_NODE_ENV" not in load(d, "development", {"VITE_USER_NODE_ENV": "x"}).vars


@pytest.mark.parametrize("text", ["R=${AMP}\nAMP=x$&y\n", "R=${AMP}\nAMP=$&\n"])
def test_runaway_expansion_is_a_note_not_a_hang(tmp_path: Path, text: str) -> None:
    # "$&" re-inserts the ${AMP} it replaces: Vite runs out of memory / loops.
    d = write(tmp_path, {".env": text})
    result = load(d, "development", {})
    assert [(n.kind, n.key) for n in result.notes] == [("vite-crash", "R")]
    assert reveal(result.vars["AMP"].value) == text.split("AMP=")[1].strip()


def test_large_file_expands_linearly() -> None:
    def work(n: int) -> Callable[[], object]:
        text = "".join(f"K{i}=v{i}\nR{i}=${{K{i}}}-x\n" for i in range(n))
        files = [parse(text, ".env")]
        return lambda: load_vite(files, {}, mode="development")

    assert_linear(work, 400)
