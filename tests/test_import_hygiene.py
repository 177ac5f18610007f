"""Start-up stays as cheap as importing click: nothing heavy on the default path."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import FIXTURES

HEAVY = ("openai", "pydantic", "pydantic_settings", "anthropic", "httpx", "dotenv")


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
