"""django-environ (``Env.read_env`` then ``env.str``): the reader and loader against the real one.

The oracle is django-environ 0.14.0 from PyPI (the ``[test]`` extra) in a
fresh interpreter whose environment is exactly the case's: it calls
``environ.Env.read_env(path, overwrite=…)`` for each file, then
``environ.Env().str(key)`` for every variable, and reports ``os.environ``,
each value ``str`` returns and each exception it raises.  Every corpus file,
multi-file projects with a process environment, and random files must agree.
Without django-environ the oracle tests fail under ``ENVCHECK_REQUIRE_ORACLES``
(CI) and skip otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.secret import reveal
from envcheck.sources.detect import detect
from envcheck.sources.loaders.django_environ import load_django_environ
from envcheck.sources.profiles import PROFILES
from envcheck.sources.readers.django_environ import parse
from envcheck.sources.resolve import parse_file, resolve
from envcheck.sources.types import LoadResult
from tests.harness import CORPUS
from tests.oracle import django_environ as real

FILES = sorted((CORPUS / "files").glob("*.env")) + sorted((CORPUS / "ruby").glob("*.env"))
PROFILE = PROFILES["django-environ"]
CRASH = "django-environ-crash"
PROXY_KINDS = {"undefined-variable", "expansion-cycle"}


def ours(directory: Path, names: list[str], env: dict[str, str], overwrite: bool) -> LoadResult:
    """``names`` in read order, handed to the loader highest priority first."""
    parsed = [
        pf for n in names if (pf := parse_file(directory / n, n, "django-environ")) is not None
    ]
    if not overwrite:
        return load_django_environ(parsed, env)
    return load_django_environ(parsed[::-1], env, overwrite=True)


def agree(answer: dict[str, Any], result: LoadResult, env: dict[str, str], label: str) -> None:
    crashed = any(n.kind == CRASH for n in result.notes)
    if answer["status"] != "ok":
        assert crashed, f"{label}: django-environ raises {answer['error']}, envcheck loads it"
        return
    assert not crashed, f"{label}: envcheck says read_env raises; django-environ loads it"
    failing = {n.key for n in result.notes if n.kind in PROXY_KINDS}
    assert failing == set(answer["errors"]) - (set(env) - set(result.vars)), label
    got = {k: reveal(r.value) for k, r in result.vars.items() if k not in failing}
    expected = {
        k: v
        for k, v in answer["values"].items()
        if k in result.vars or k not in env  # the process keys no file names are not ours
    }
    assert got == expected, label


@pytest.mark.parametrize("overwrite", [False, True])
def test_every_corpus_file_loads_as_django_environ_loads_it(overwrite: bool) -> None:
    env = {"HOST": "proc-host", "EMPTY": "", "A": "procA"}
    cases = [
        {"dir": str(f.parent), "files": [f.name], "env": e, "overwrite": overwrite}
        for f in FILES
        for e in ({}, env)
    ]
    assert len(cases) >= 100
    for case, answer in zip(cases, real(cases), strict=True):
        folder = Path(case["dir"])
        result = ours(folder, case["files"], case["env"], overwrite)
        agree(answer, result, case["env"], f"{case['files'][0]} {bool(case['env'])}")


PROJECTS: list[tuple[str, dict[str, str], list[str], dict[str, str]]] = [
    # (name, files, read order, process env)
    (
        "first-file-wins",
        {".env.local": "A=local\nP=$B\n", ".env": "A=base\nB=base-b\nC=$A\n"},
        [".env.local", ".env"],
        {},
    ),
    (
        "process-wins-and-feeds-proxies",
        {".env": "TOKEN=file\nURL=$HOST\nHOST=file-host\nLOOP=$LOOP\nGONE=$NOWHERE\n"},
        [".env"],
        {"TOKEN": "from-shell", "HOST": "shell-host"},
    ),
    (
        "proxy-chains-and-dollars",
        {".env": "A=$$B\nB=$C\nC=end\nD=a$B\nE=${C}\nF=$\nG='$C'\nH=\"$C\"\n"},
        [".env"],
        {},
    ),
    (
        "process-value-is-a-proxy",
        {".env": "KEY=file\nTARGET=t\n"},
        [".env"],
        {"KEY": "$TARGET"},
    ),
]


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("name,files,order,env", PROJECTS, ids=[p[0] for p in PROJECTS])
def test_projects_load_as_django_environ_loads_them(
    name: str,
    files: dict[str, str],
    order: list[str],
    env: dict[str, str],
    overwrite: bool,
    tmp_path: Path,
) -> None:
    for file, text in files.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    case = {"dir": str(tmp_path), "files": order, "env": env, "overwrite": overwrite}
    [answer] = real([case])
    agree(answer, ours(tmp_path, order, env, overwrite), env, name)


_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "A=1",
                "B=$A",
                "C=$$B",
                "D=$D",
                "E=$NOPE",
                "export F='q'",
                'G="x\\ny\\"z"',
                "H='\"w\"'",
                "I=v # c",
                " J=1",
                "K =1",
                "#c",
                "",
                "\ufeffL=1",
            ]
        ),
        st.text(alphabet="AB_=$ \t#'\"\\x\x0b\x85\u2028\r", max_size=14),
    ),
    max_size=8,
)


@settings(max_examples=50, deadline=None)
@given(files=st.lists(_LINES, min_size=40, max_size=40))
def test_random_files_load_as_django_environ_loads_them(
    files: list[list[str]], tmp_path_factory
) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path_factory.mktemp("rand")
    cases = []
    for i, lines in enumerate(files):
        folder = base / str(i)
        folder.mkdir()
        (folder / ".env").write_bytes("\n".join(lines).encode("utf-8"))
        cases.append({"dir": str(folder), "files": [".env"], "env": {}, "overwrite": False})
    for case, answer in zip(cases, real(cases), strict=True):
        folder = Path(case["dir"])
        text = (folder / ".env").read_bytes().decode("utf-8")
        agree(answer, ours(folder, [".env"], {}, False), {}, repr(text))


# ---- what envcheck tells the user (no oracle needed) ----


def test_the_reader_reports_what_django_environ_drops_or_keeps() -> None:
    parsed = parse(
        '\ufeffFIRST=1\n  INDENTED=1\nSPACED = 1\nURL=http://x # note\nQ="open\n', ".env"
    )
    kinds = {(p.kind, p.line) for p in parsed.problems}
    assert {("bom", 1), ("dropped-line", 2), ("dropped-line", 3)} <= kinds
    assert {("comment-in-value", 4), ("unterminated-quote", 5)} <= kinds
    assert parsed.values() == {"URL": "http://x # note", "Q": '"open'}
    assert "http://x" not in repr(parsed)


def test_a_proxy_to_nothing_names_no_secret_fragment() -> None:
    result = load_django_environ([parse("DB_PASSWORD=$3cr3tPassw0rdValue\n", ".env")], {})
    [note] = [n for n in result.notes if n.kind == "undefined-variable"]
    assert "3cr3t" not in note.message
    assert "ImproperlyConfigured" in note.message


def test_invalid_utf8_stops_the_settings(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"A=1\nB=\xff\n")
    resolution = resolve(tmp_path, PROFILE, "development", {})
    assert any(n.kind == CRASH for n in resolution.notes)
    assert resolution.vars == {}


COMPOSE = "services:\n  web:\n    build: .\n    env_file: .env\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (  # cookiecutter-django's layout: requirements/ and a compose file
            {"requirements/base.txt": "django==5.1\ndjango-environ==0.14.0\n"},
            "django-environ",
        ),
        ({"requirements.txt": "Django>=5\ndjango-environ\n"}, "django-environ"),
        ({"requirements-dev.txt": "django_environ\n"}, "django-environ"),
        ({"Pipfile": '[packages]\ndjango = "*"\ndjango-environ = "*"\n'}, "django-environ"),
        (
            {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["django-environ>=0.11"]\n'},
            "django-environ",
        ),
        ({"requirements.txt": "django\npsycopg\n"}, "compose"),
    ],
)
def test_a_django_project_with_compose_gets_django_environ(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    (tmp_path / "manage.py").write_text("import os\n", encoding="utf-8")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.py").write_text(
        "import environ\nenv = environ.Env()\nenviron.Env.read_env()\n", encoding="utf-8"
    )
    (tmp_path / "docker-compose.yml").write_text(COMPOSE, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert detect(tmp_path) == expected


def test_check_reports_a_broken_proxy_and_a_kept_comment(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django-environ==0.14.0\n", encoding="utf-8")
    (tmp_path / "docker-compose.yml").write_text(COMPOSE, encoding="utf-8")
    (tmp_path / ".env").write_text(
        "DATABASE_HOST=$DB_HOST_NAME\nDEBUG=true # dev only\n", encoding="utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--format", "json"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "")},
        cwd=tmp_path,
        timeout=60,
    )
    report = json.loads(proc.stdout)
    assert report["framework"] == "django-environ", proc.stderr
    codes = {(f["code"], f.get("key")) for f in report["findings"]}
    assert ("EC507", "DATABASE_HOST") in codes
    assert any(key == "DEBUG" for _, key in codes)


def test_the_oracle_module_is_not_imported_by_envcheck() -> None:
    """envcheck reads django-environ's files; it never imports django-environ itself."""
    proc = subprocess.run(
        [sys.executable, "-c", "import envcheck.sources.loaders.django_environ, sys; "
         "print('environ' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert proc.stdout.strip() == "False"


def test_a_hostile_proxy_chain_costs_linear_work() -> None:
    """N keys each proxying to the next (then a loop back) cost N steps, not N squared."""
    from tests.bounded import assert_linear

    def make(n: int):  # type: ignore[no-untyped-def]
        text = "".join(f"K{i}=$K{i + 1}\n" for i in range(n)) + f"K{n}=$K0\n"
        return lambda: load_django_environ([parse(text, ".env")], {})

    assert_linear(make, 200)
    result = make(2000)()
    assert sum(n.kind == "expansion-cycle" for n in result.notes) == 2001
