"""Checkout data is read as JSON only through the bounded decoder.

The stdlib's decoder recurses once per nesting level: a ``package.json``, a value typed
``json`` or a JWT payload inside a value holding ``[[[…`` a few thousand deep is a
RecursionError, an internal error (the fuzz test found one in the workspace discovery).
:func:`envcheck.sources.structured.json_loads` refuses such a document with a decode
error every caller reports.  Only data envcheck wrote itself or a provider's reply may use
``json.loads`` directly.
"""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import REPO_ROOT

DIRECT_JSON_ALLOWED = {
    "envcheck/sources/structured.py",  # the bounded decoder itself
    "envcheck/code/cache.py",  # envcheck's own cache files
    "envcheck/probe/cache.py",  # envcheck's own cache files
    "envcheck/schema/settings.py",  # the reply of envcheck's own settings worker
    "envcheck/probe/support.py",  # provider replies (bounded by the probe's body cap)
    "envcheck/probe/rest.py",
    "envcheck/probe/github.py",
}


def test_no_module_decodes_checkout_json_with_the_unbounded_decoder() -> None:
    direct = {
        str(path.relative_to(REPO_ROOT))
        for path in (REPO_ROOT / "envcheck").rglob("*.py")
        if re.search(r"\bjson\.loads\(", path.read_text("utf-8"))
    }
    assert direct <= DIRECT_JSON_ALLOWED, sorted(direct - DIRECT_JSON_ALLOWED)


DEEP = "[" * 5000 + "]" * 5000


def _jwt(claims: str) -> str:
    def part(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    header = part('{"alg":"HS256"}')
    return f"{header}.{part(claims)}.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    "files",
    [
        {  # workspace discovery reads each package's scripts
            "pnpm-workspace.yaml": "",
            "apps/web/package.json": '{"name": {"x": ' + DEEP + "}}",
            "apps/web/.env": "",
        },
        {  # a value the schema types as json
            ".env": f"FLAGS={DEEP}\n",
            "envcheck.toml": '[keys.FLAGS]\ntype = "json"\n',
        },
        {".env": f"SUPABASE_ANON_KEY={_jwt(DEEP)}\n"},  # a JWT payload inside a value
    ],
    ids=["package.json", "json value", "jwt payload"],
)
def test_deep_json_in_the_checkout_is_no_internal_error(
    tmp_path: Path, files: dict[str, str]
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    for command in (["check"], ["explain", "--all"], ["lint"]):
        done = subprocess.run(
            [sys.executable, "-m", "envcheck", *command],
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "internal error" not in done.stderr, (command, done.stderr[-300:])
        assert done.returncode in (0, 1, 2), (command, done.returncode)
