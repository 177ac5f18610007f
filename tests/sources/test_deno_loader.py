"""Deno's ``deno run --env-file``: the ``deno`` dialect and loader, against the real Deno.

The binary is the npm package ``deno`` 2.9.6 (``@deno/linux-x64-glibc``)
that ``make oracles`` installs.  Every corpus file, multi-file projects with
a controlled process environment (order, substitution across files, the
bare flag, parent directories) and random files are loaded by the real Deno
and by envcheck; the environments must be equal.  A missing Deno after
``make oracles`` fails these tests, it never skips them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import reveal
from envcheck.sources.budget import MAX_VALUE
from envcheck.sources.loaders.deno import load_deno
from envcheck.sources.profiles import PROFILES
from envcheck.sources.readers.deno import parse, substitute, substitutes
from envcheck.sources.resolve import parse_file, resolve
from envcheck.sources.types import LoadResult
from tests.harness import CORPUS, REPO_ROOT
from tests.oracle import deno_env_file as real
from tests.oracle import requires_node, run_deno_oracle

ORACLES = REPO_ROOT / "oracles"
FILES = sorted((CORPUS / "files").glob("*.env"))


def base_env(scratch: Path) -> dict[str, str]:
    """The environment the oracle always gives Deno (see oracles/deno-env-file.cjs)."""
    return {
        "DENO_DIR": str(scratch / "deno-dir"),
        "NO_COLOR": "1",
        "DENO_DISABLE_NODE_SHIM": "1",
    }


def values(result: LoadResult) -> dict[str, str]:
    return {k: reveal(v.value) for k, v in result.vars.items()}


def crashed(result: LoadResult) -> bool:
    return any(n.kind == "deno-crash" for n in result.notes)


@pytest.mark.oracle
@requires_node
def test_corpus_matches_deno(tmp_path: Path) -> None:
    answers = real(tmp_path, [{"args": [f"--env-file={p}"]} for p in FILES])
    process = base_env(tmp_path)
    mismatched = []
    for path, answer in zip(FILES, answers, strict=True):
        parsed = parse_file(path, path.name, "deno")
        assert parsed is not None
        result = load_deno([parsed], process)
        if answer["status"] != 0:  # Deno panics on an empty key
            assert crashed(result) and "panicked" in answer["stderr"], path.name
            continue
        assert not crashed(result), path.name
        if answer["env"] != {**process, **values(result)}:
            mismatched.append(path.name)
    assert mismatched == []


def test_corpus_has_deno_quirks() -> None:
    assert len([p for p in FILES if p.name.startswith("deno-")]) >= 4


# Projects: files (name -> text), the process environment, the deno flags, the
# directory (under the project) that Deno starts in.
PROJECTS: list[tuple[dict[str, str], dict[str, str], list[str]]] = [
    (  # the last file wins; substitution sees the files read before (later on the line)
        {"a.env": "A=a\nB=a\nX=$B-${C}-$P\n", "b.env": "B=b\nC=c\nY=$A|$B\n"},
        {"P": "proc"},
        ["--env-file=a.env", "--env-file=b.env"],
    ),
    (  # the reverse order
        {"a.env": "A=a\nB=a\nX=$B-${C}-$P\n", "b.env": "B=b\nC=c\nY=$A|$B\n"},
        {"B": ""},
        ["--env-file=b.env", "--env-file=a.env"],
    ),
    (  # the bare flag is .env, listed before the others wherever it stands
        {".env": "K=dot\nD=1\n", "g.env": "K=g\n"},
        {},
        ["--env-file=g.env", "--env-file"],
    ),
    (  # duplicates: the first line wins, but $K already sees the last one
        {".env": "K=first\nK=second\nR=$K\nQ='$K'\nS=\"${K}\\n\"\n"},
        {},
        ["--env"],
    ),
    (  # a missing file is a warning; the others load
        {"x.env": "X=1\n"},
        {"X": "proc"},
        ["--env-file=missing.env", "--env-file=x.env"],
    ),
]


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize("case", range(len(PROJECTS)))
def test_projects_match_deno(tmp_path: Path, case: int) -> None:
    files, extra, flags = PROJECTS[case]
    project = tmp_path / "app"
    project.mkdir()
    for name, text in files.items():
        (project / name).write_text(text, newline="")
    command = "deno run --allow-env " + " ".join(flags) + " main.ts --env-file=ignored.env"
    (project / "package.json").write_text(json.dumps({"scripts": {"dev": command}}))
    process = {**base_env(tmp_path), **extra}
    (answer,) = real(tmp_path, [{"args": flags, "env": extra, "cwd": str(project)}])
    assert answer["status"] == 0, answer["stderr"]
    resolution = resolve(project, PROFILES["deno"], "development", process)
    assert answer["env"] == {**process, **{k: reveal(v.value) for k, v in resolution.vars.items()}}


@pytest.mark.oracle
@requires_node
def test_relative_file_is_found_in_a_parent_directory(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("UP=parent\n")
    (tmp_path / "pnpm-workspace.yaml").write_text("packages: ['apps/*']\n")  # the project root
    project = tmp_path / "apps" / "web"
    project.mkdir(parents=True)
    (project / "package.json").write_text(
        json.dumps({"scripts": {"start": "deno run --env-file main.ts"}})
    )
    (answer,) = real(tmp_path, [{"args": ["--env-file"], "cwd": str(project)}])
    from envcheck.project import set_project_root

    set_project_root(project)  # as every command starts its run: reads stay in the workspace
    resolution = resolve(project, PROFILES["deno"], "production", base_env(tmp_path))
    assert reveal(resolution.vars["UP"].value) == answer["env"]["UP"] == "parent"
    assert resolution.files == [str(tmp_path / ".env")]


@pytest.mark.oracle
@requires_node
@pytest.mark.parametrize(
    "text",
    ["A=1\nB=x\0y\nC=3\n", "K\0=1\nL=2\n", "=\nA=1\n", "DENO_CONNECTED=1\nOK=1\n"],
    ids=["nul-value", "nul-key", "empty-key", "denied"],
)
def test_stops_and_refusals_match_deno(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.env"
    path.write_text(text)
    (answer,) = real(tmp_path, [{"args": [f"--env-file={path}"]}])
    parsed = parse_file(path, "f.env", "deno")
    assert parsed is not None
    result = load_deno([parsed], base_env(tmp_path))
    if answer["status"] != 0:
        assert crashed(result)
        return
    assert answer["env"] == {**base_env(tmp_path), **values(result)}
    assert result.notes  # each of these is reported


@pytest.mark.oracle
@requires_node
def test_invalid_utf8_file_is_skipped_whole(tmp_path: Path) -> None:
    path = tmp_path / "f.env"
    path.write_bytes(b"A=1\nB=\xff\n")
    (answer,) = real(tmp_path, [{"args": [f"--env-file={path}"]}])
    parsed = parse_file(path, "f.env", "deno")
    assert parsed is not None
    result = load_deno([parsed], base_env(tmp_path))
    assert answer["env"] == base_env(tmp_path) and values(result) == {}
    assert [n.kind for n in result.notes] == ["file-dropped"]


_PIECES = ["A", "B", "=", "\n", "\r\n", " ", "\t", "#", '"', "'", "`", "\\n", "\\", "export ",
           "x", "$", "$A", "${B}", "{", "}", "=v\n", " # c", "é"]  # fmt: skip
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _parse_env(scratch: Path, texts: list[str]) -> list[dict[str, str]]:
    answer: list[dict[str, str]] = run_deno_oracle({"dir": str(scratch), "texts": texts})
    return answer


@pytest.mark.oracle
@requires_node
def test_parser_random_texts_match_deno(tmp_path: Path) -> None:
    rnd = random.Random(29)
    texts = ["".join(rnd.choices(_PIECES, k=rnd.randint(0, 30))) for _ in range(5000)]
    theirs = _parse_env(tmp_path, texts)
    assert [t for t, o in zip(texts, theirs, strict=True) if parse(t, "f").values() != o] == []


@pytest.mark.oracle
@requires_node
@settings(max_examples=15, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=40))
def test_parser_hypothesis_matches_deno(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    scratch = tmp_path_factory.mktemp("deno")
    assert [parse(t, "f").values() for t in texts] == _parse_env(scratch, texts)


_SUBST = st.lists(
    st.sampled_from(
        [
            "A=1\n",
            "B=$A\n",
            "C=${B}x$\n",
            'D="$C\\$A"\n',
            "E='$A'\n",
            "A=2\n",
            "F=$P$Q\n",
            "G=${A\n",
            "H=$$A\n",
            "I=\\$B\n",
        ]
    ),  # fmt: skip
    max_size=12,
).map("".join)


@pytest.mark.oracle
@requires_node
@settings(max_examples=10, deadline=None)
@given(st.lists(_SUBST, min_size=1, max_size=8), st.sampled_from([{}, {"P": "p", "A": "pa"}]))
def test_substitution_hypothesis_matches_deno(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], extra: dict[str, str]
) -> None:
    scratch = tmp_path_factory.mktemp("deno")
    paths = []
    for i, text in enumerate(texts):
        paths.append(scratch / f"{i}.env")
        paths[-1].write_text(text)
    flags = [f"--env-file={p}" for p in paths]
    (answer,) = real(scratch, [{"args": flags, "env": extra}])
    process = {**base_env(scratch), **extra}
    parsed = [parse_file(p, p.name, "deno") for p in reversed(paths)]
    result = load_deno([p for p in parsed if p is not None], process)
    assert answer["env"] == {**process, **values(result)}


# -- unit cases --


def test_substitution_rules() -> None:
    env = {"A": "1", "EMPTY": ""}
    got = substitute("$A-${A}-\\$A-$-$$-${A:-d}-$A_B-${NOPE}-${EMPTY}-${A", env.get)
    assert got == ("1-1-$A-------1", False)  # "$" + a non-name character vanishes


def test_only_unquoted_and_double_quoted_values_substitute() -> None:
    entries = parse('A=$X\nB="$X"\nC=\'$X\'\nD=`$X`\nE="$X\n', "f").entries
    assert [substitutes(e) for e in entries] == [True, True, False, False, False]


def test_first_line_wins_within_a_file_last_file_wins_across() -> None:
    first = parse("K=a1\nK=a2\n", "a.env")
    last = parse("K=b1\nK=b2\n", "b.env")
    result = load_deno([last, first], {})  # b.env is last on the command line
    k = result.vars["K"]
    assert reveal(k.value) == "b1" and (k.origin.source, k.origin.line) == ("b.env", 1)
    assert [(o.source, o.line) for o in k.shadowed] == [("a.env", 1)]


def test_process_wins_and_is_reported() -> None:
    result = load_deno([parse("K=file\nR=$K\n", ".env")], {"K": "shell"})
    assert result.vars["K"].origin.is_process
    assert reveal(result.vars["R"].value) == "shell"
    assert "process-shadows-file" in {n.kind for n in result.notes}


def test_expansion_is_bounded() -> None:
    lines = ["A0=xxxxxxxxxxxxxxxx"] + [f"A{i}=$A{i - 1}$A{i - 1}" for i in range(1, 40)]
    result = load_deno([parse("\n".join(lines) + "\n", ".env")], {})
    assert "expansion-budget" in {n.kind for n in result.notes}
    assert max(len(reveal(v.value)) for v in result.vars.values()) <= MAX_VALUE


def test_quote_heuristic() -> None:
    values_ = parse('A="say "hi""\nB="x" # c "y"\nC="a" b "c"\nD="a" b\n', "f").values()
    assert values_ == {"A": 'say "hi"', "B": "x", "C": 'a" b "c', "D": "a"}


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_parser_properties(text: str) -> None:
    parsed = parse(text, "f.env")
    lines = text.count("\n") + 1
    for entry in parsed.entries:
        assert 1 <= entry.line <= entry.end_line <= lines
        assert "\r" not in entry.value
    assert parse(text.replace("\n", "\r\n"), "f.env").values() == parsed.values()
    # Substitution never raises and never grows past the bound.
    for entry in parsed.entries:
        out, _ = substitute(entry.value, {"A": "1", "B": "$A"}.get)
        assert len(out) <= MAX_VALUE
