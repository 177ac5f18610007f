"""package.json scripts: the env-loading invocations found in them, and the resolver hook."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envcheck.sources.scripts import (
    Invocation,
    find_invocations,
    pick,
    read_scripts,
    script_env_files,
)

CASES: list[tuple[str, list[Invocation]]] = [
    ("node --env-file=.env app.js", [Invocation("node", "s", (".env",))]),
    (
        "node --env-file .env --env-file-if-exists=.env.local --watch app.js",
        [Invocation("node", "s", (".env", ".env.local"), (".env.local",))],
    ),
    ("node app.js --env-file=.env", []),  # after the script: the app's argument
    ("node -r dotenv/config --env-file=a.env app.js", [Invocation("node", "s", ("a.env",))]),
    (
        "cross-env NODE_ENV=production API=x node --env-file=.env.prod dist/index.js",
        [Invocation("node", "s", (".env.prod",))],
    ),
    ("tsx --env-file=.env src/index.ts", [Invocation("node", "s", (".env",))]),
    ("npm run build && node --env-file=.env server.js", [Invocation("node", "s", (".env",))]),
    (
        "deno run --allow-net --env-file=.env.local --env-file main.ts",
        [Invocation("deno", "s", (".env", ".env.local"), (".env", ".env.local"))],
    ),
    ("deno run --env-file .env main.ts", [Invocation("deno", "s", (".env",), (".env",))]),
    (
        "deno serve --env=.env.prod main.ts",
        [Invocation("deno", "s", (".env.prod",), (".env.prod",))],
    ),
    ("deno run main.ts", []),
    ("bun --env-file=.env.test run index.ts", [Invocation("bun", "s", (".env.test",))]),
    (
        "bun run --env-file .env.a --env-file .env.b x",
        [Invocation("bun", "s", (".env.a", ".env.b"))],
    ),
    (
        "dotenvx run -f .env.local -f .env --overload -- next dev",
        [Invocation("dotenvx", "s", (".env.local", ".env"), (), ("--overload",))],
    ),
    (
        "dotenvx run --convention nextjs -- next dev",
        [Invocation("dotenvx", "s", (), (), ("--convention=nextjs",))],
    ),
    (
        "dotenvx run -f .env.a .env.b -- node x.js",
        [Invocation("dotenvx", "s", (".env.a", ".env.b"))],
    ),
    ("npx dotenvx run -- node index.js", [Invocation("dotenvx", "s", (".env",))]),
    (
        "dotenv -e .env.local -e .env -- jest",
        [Invocation("dotenv-cli", "s", (".env.local", ".env"))],
    ),
    (
        "dotenv -c production -- next start",
        [Invocation("dotenv-cli", "s", (".env",), (), ("-c=production",))],
    ),
    ("env-cmd -f .env.staging node app.js", [Invocation("env-cmd", "s", (".env.staging",))]),
    (
        "env-cmd --file=.env --no-override node app.js",
        [Invocation("env-cmd", "s", (".env",), (), ("--no-override",))],
    ),
    ("next dev", []),
    (
        "node --env-file='.env files/dev.env' app.js",
        [Invocation("node", "s", (".env files/dev.env",))],
    ),
    ('node --env-file=".env', [Invocation("node", "s", (".env",))]),  # unclosed quote: best effort
]


@pytest.mark.parametrize(("command", "expected"), CASES)
def test_find_invocations(command: str, expected: list[Invocation]) -> None:
    assert find_invocations(command, "s") == expected


def test_two_invocations_in_one_script() -> None:
    found = find_invocations("node --env-file=a.env x.js; deno run --env-file=b.env y.ts", "s")
    assert [(i.tool, i.files) for i in found] == [("node", ("a.env",)), ("deno", ("b.env",))]


def _package(tmp_path: Path, scripts: object) -> Path:
    (tmp_path / "package.json").write_text(json.dumps({"scripts": scripts}))
    return tmp_path


def test_pick_prefers_dev_and_start(tmp_path: Path) -> None:
    scan = read_scripts(
        _package(
            tmp_path,
            {
                "build": "node --env-file=.env.build build.js",
                "start": "node --env-file=.env.production server.js",
                "dev": "node --env-file=.env.development --watch server.js",
                "lint": "eslint .",
            },
        )
    )
    assert [i.script for i in scan.invocations] == ["build", "start", "dev"]
    assert pick(scan.invocations, "node", "development").script == "dev"  # type: ignore[union-attr]
    assert pick(scan.invocations, "node", "production").script == "start"  # type: ignore[union-attr]
    assert pick(scan.invocations, "node", "staging").script == "build"  # type: ignore[union-attr]
    assert pick(scan.invocations, "deno", "development") is None


def test_broken_package_json_gives_a_problem_not_an_exception(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"scripts": {"dev": "node --env-file=.env x",}\n')
    scan = read_scripts(tmp_path)
    assert scan.invocations == []
    (problem,) = scan.problems
    assert (problem.kind, problem.path, problem.line) == ("invalid-package-json", "package.json", 1)


@pytest.mark.parametrize("scripts", [None, [], "node --env-file=.env", {"dev": 3}, {"1": None}])
def test_odd_shapes_are_ignored(tmp_path: Path, scripts: object) -> None:
    assert read_scripts(_package(tmp_path, scripts)).invocations == []


def test_no_package_json(tmp_path: Path) -> None:
    scan = read_scripts(tmp_path)
    assert scan.invocations == [] and scan.problems == []


def test_inline_secret_never_kept() -> None:
    (inv,) = find_invocations("API_KEY=sk-proj-abcdef123456 node --env-file=.env app.js", "dev")
    assert "sk-proj" not in repr(inv)
    (inv,) = find_invocations("dotenv -v API_KEY=sk-proj-abcdef123456 -e .env -- x", "dev")
    assert "sk-proj" not in repr(inv)


def test_script_env_files_order_and_required(tmp_path: Path) -> None:
    _package(
        tmp_path, {"dev": "node --env-file=.env --env-file-if-exists=.env.local --env-file=b.env x"}
    )
    found = script_env_files(tmp_path, "node", "development")
    assert [p.name for p in found.paths] == ["b.env", ".env.local", ".env"]  # highest first
    assert {p.name for p in found.required} == {"b.env", ".env"}
    assert found.dialect in ("nodeutil", "nodeutil22")


def test_script_env_files_without_scripts(tmp_path: Path) -> None:
    found = script_env_files(tmp_path, "deno", "development")
    assert found.paths == [tmp_path.absolute() / ".env"] and not found.required
    assert found.dialect is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_never_raises(command: str) -> None:
    for inv in find_invocations(command, "s"):
        assert inv.tool in ("node", "deno", "bun", "dotenvx", "dotenv-cli", "env-cmd")
        assert set(inv.optional) <= set(inv.files)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.from_regex(r"[A-Za-z0-9_.\-/]{1,12}", fullmatch=True).filter(
            lambda s: not s.startswith("-")
        ),
        min_size=1,
        max_size=4,
    )
)
def test_node_files_in_command_order(files: list[str]) -> None:
    command = "node " + " ".join(f"--env-file={f}" for f in files) + " app.js"
    (inv,) = find_invocations(command, "s")
    assert inv.files == tuple(files)
