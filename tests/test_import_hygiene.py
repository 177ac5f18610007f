"""Start-up stays as cheap as importing click: nothing heavy on the default path."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.harness import FIXTURES, REPO_ROOT, envcheck

HEAVY = (
    "openai",
    "pydantic",
    "pydantic_settings",
    "anthropic",
    "httpx",
    "httpx2",
    "dotenv",
    "yaml",
)


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_cli_loads_nothing_heavy() -> None:
    loaded = _modules_after("import envcheck.cli")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}


def test_check_and_explain_on_demo_load_nothing_heavy() -> None:
    for command in ("explain", "check"):
        code = (
            "import contextlib, io\n"
            "from envcheck.cli import main\n"
            "quiet = contextlib.redirect_stdout(io.StringIO())\n"
            "with quiet, contextlib.redirect_stderr(io.StringIO()):\n"
            f"    main(['{command}', '--dir', {str(FIXTURES / 'demo')!r}, '--framework', 'nextjs'])"
        )
        loaded = _modules_after(code)
        heavy = {m for m in loaded if m.split(".")[0] in HEAVY}
        assert not heavy, f"{command} imported {sorted(heavy)}"


# Imported only by the paths that need them: each would add 0.5-2 ms to a cold start.
# dataclasses: value classes subclass envcheck.model.Record (a @dataclass costs 0.3-0.5 ms).
# json: the code-facts cache reads it once the project has source code to scan (issue #25);
# `--no-code` keeps it off (tests/code/test_code_rules.py::test_no_code_reads_no_source).
NOT_ON_PATH = {
    "explain": (
        "subprocess",
        "difflib",
        "dataclasses",
        "envcheck.engine",
        "envcheck.rules.base",
    ),
    "check": ("difflib", "dataclasses"),  # difflib: only for EC303, off by default
}


def _after(argv: list[str], report: str, cwd: Path | None = None) -> object:
    """``report`` (a Python expression) evaluated after ``envcheck ARGV`` ran in a fresh
    interpreter, in-process (``main(argv)``: the process does not end there)."""
    code = (
        "import contextlib, io, sys\n"
        "from envcheck.cli import main\n"
        "quiet = contextlib.redirect_stdout(io.StringIO())\n"
        "with quiet, contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main({argv!r})\n"
        f"found = {report}\n"
        "import json\n"  # only now: the command must not have imported it
        "print(json.dumps(found))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _after_demo(command: str, report: str) -> object:
    return _after([command, "--dir", str(FIXTURES / "demo"), "--framework", "nextjs"], report)


def test_explain_and_check_on_demo_skip_what_they_do_not_use() -> None:
    for command, unwanted in NOT_ON_PATH.items():
        loaded = _after_demo(command, "sorted(sys.modules)")
        assert isinstance(loaded, list)
        assert not set(unwanted) & set(loaded), f"{command} imported {set(unwanted) & set(loaded)}"


def test_value_classes_on_the_start_up_path_are_not_dataclasses() -> None:
    report = (
        "sorted({m.__name__ for m in list(sys.modules.values())"
        " if m.__name__.startswith('envcheck')"
        " for v in vars(m).values()"
        " if isinstance(v, type) and v.__module__ == m.__name__"
        " and '__dataclass_fields__' in vars(v)})"
    )
    for command in NOT_ON_PATH:
        found = _after_demo(command, report)
        assert isinstance(found, list)
        assert found == [], f"{command}: dataclasses in {found}"


def _next_project(directory: Path) -> Path:
    """The bench's cold-start case (``bench/cold.py``: a ``package.json`` depending on
    ``next`` and a 6-key ``.env``), written into ``directory``."""
    sys.path.insert(0, str(REPO_ROOT / "bench"))  # cold.py imports its neighbours
    try:
        spec = importlib.util.spec_from_file_location("bench_cold", REPO_ROOT / "bench" / "cold.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(REPO_ROOT / "bench"))
    project: Path = module.write_next_project(directory)
    return project


# What a plain `check` of a small Next.js project (issue #24's cold-start case) has no
# input for, so must not import; each is 0.1-2 ms of a start-up of about 20 ms above
# Python and click.  subprocess: git runs only below a `.git` (rules/gitfiles.py);
# binascii, base64: a JWT's payload is decoded only for a value shaped like one;
# the Turborepo checks and docs, Docker's ignore rules and Dockerfile reader: no
# turbo.json, no Dockerfile; rule docs: only `envcheck rules` and SARIF read them.
NOT_ON_NEXT_CHECK = (
    "subprocess",
    "binascii",
    "base64",
    "tomllib",
    "difflib",
    "dataclasses",
    "envcheck.rules.turbo_docs",
    "envcheck.rules.turbo_checks",
    "envcheck.rules.turbo_config",
    "envcheck.dockerignore",
    "envcheck.targets.dockerfile",
    "envcheck.sources.scripts",  # no value names npm_package_*: package.json's scripts unread
    "envcheck.workspace.discover",  # a single app: no workspace to discover
)


def test_check_of_a_small_next_project_imports_only_what_it_uses(tmp_path: Path) -> None:
    project = _next_project(tmp_path / "app")
    loaded = _after(["check", str(project)], "sorted(sys.modules)", cwd=project)
    assert isinstance(loaded, list)
    assert "envcheck.rules.security" in loaded  # the check did run its rules
    unwanted = set(NOT_ON_NEXT_CHECK) & set(loaded)
    assert not unwanted, f"check imported {sorted(unwanted)}"


def _fake_git(tmp_path: Path) -> tuple[Path, Path]:
    """A ``git`` that only records that it ran; returns (its folder, the record)."""
    record = tmp_path / "git-ran"
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> '{record}'\nexit 128\n")
    fake.chmod(0o755)
    return fake.parent, record


def test_no_git_runs_outside_a_repository(tmp_path: Path) -> None:
    folder, record = _fake_git(tmp_path)
    project = _next_project(tmp_path / "app")
    # A live-shaped key: the security rules want to know whether git tracks the file.
    key = "sk-proj-" + "uKEc53r1mXZAJmA6IjB4IGt8Zni965pSSbdN3sTWMFu4UQHA"
    (project / ".env.local").write_text(f"OPENAI_API_KEY={key}\n", encoding="utf-8")
    path = f"{folder}{os.pathsep}/usr/bin{os.pathsep}/bin"
    assert envcheck(project, "check", env={"PATH": path}).returncode == 1  # EC306
    assert not record.exists()
    (project / ".git").mkdir()  # the same project in a (broken) repository: git is asked
    assert envcheck(project, "check", env={"PATH": path}).returncode == 1
    assert record.exists()


# `envcheck` (the script) and `python -m envcheck` end the process in main(): the
# interpreter's teardown frees ~200 modules for nothing.  Only when nothing else must
# run at exit; the output is flushed and the exit code kept.
_AS_SCRIPT = (
    "import os, sys\n"
    "class Witness:\n"  # freed by the teardown; writes with what outlives sys.stderr
    "    def __del__(self, write=os.write):\n"
    "        write(2, b'teardown ran\\n')\n"
    "witness = Witness()\n"
    "{setup}"
    "from envcheck.cli import main\n"
    "sys.argv = ['envcheck', 'check', '--format', 'json', {project!r}]\n"
    "raise SystemExit(main())\n"
)


def test_the_script_ends_without_teardown_and_keeps_output_and_code(tmp_path: Path) -> None:
    project = _next_project(tmp_path / "app")
    code = _AS_SCRIPT.format(setup="", project=str(project))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=project
    )
    assert done.returncode == 1
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["EC306"]
    assert "teardown ran" not in done.stderr


def test_the_script_exits_as_usual_when_something_runs_at_exit(tmp_path: Path) -> None:
    project = _next_project(tmp_path / "app")
    setup = "import atexit\natexit.register(lambda: sys.stderr.write('atexit ran\\n'))\n"
    code = _AS_SCRIPT.format(setup=setup, project=str(project))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=project
    )
    assert done.returncode == 1
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["EC306"]
    assert "atexit ran" in done.stderr and "teardown ran" in done.stderr
