"""Start-up stays as cheap as importing click: nothing heavy on the default path."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import FIXTURES

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
# `--no-code` keeps it off (tests/test_code_rules.py::test_no_code_reads_no_source).
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


def _after_demo(command: str, report: str) -> object:
    code = (
        "import contextlib, io, sys\n"
        "from envcheck.cli import main\n"
        "quiet = contextlib.redirect_stdout(io.StringIO())\n"
        "with quiet, contextlib.redirect_stderr(io.StringIO()):\n"
        f"    main(['{command}', '--dir', {str(FIXTURES / 'demo')!r}, '--framework', 'nextjs'])\n"
        f"found = {report}\n"
        "import json\n"  # only now: the command must not have imported it
        "print(json.dumps(found))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


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
