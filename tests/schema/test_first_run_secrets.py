"""A name is a hint, the value decides (issue 26): shapes found in public repositories.

Before, ``…_DISABLE_…_SIGNUP=true``, ``…_TOKEN_TYPE=personal-access-token``,
credential-free URLs under ``…AUTH…`` names, cookie names and empty values were
called secrets: ``guard`` refused the commit of a fresh clone and ``init``
wrote ``secret = true``.  Values are fakes of the same shape.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import envcheck as _run
from tests.harness import repository

OPENAI = "sk-proj-" + "Ab3dEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH3xQa"

NOT_SECRETS = (
    "AUTH_DISABLE_EMAIL_SIGNUP=true\n"
    "NEXT_PUBLIC_AUTH_ENABLED=false\n"
    "GITHUB_TOKEN_TYPE=personal-access-token\n"
    "AUTH_SERVER=https://auth.example.com/realms/app\n"
    "SESSION_COOKIE_NAME=app_session\n"
    "TOKEN_TTL=3600\n"
    "API_SECRET=\n"
)


def _committed(tmp_path: Path, env: str) -> Path:
    return repository(
        tmp_path, {"package.json": '{"dependencies": {"next": "15.1.0"}}', ".env": env}
    )


def test_guard_and_check_accept_a_committed_file_without_a_secret(tmp_path: Path) -> None:
    where = _committed(tmp_path, NOT_SECRETS)
    guard = _run(where, "guard", ".env")
    assert guard.returncode == 0, guard.stdout + guard.stderr
    check = json.loads(_run(where, "check", "--format", "json").stdout)
    codes = {f["code"] for f in check["findings"] if f["severity"] != "info"}
    assert codes.isdisjoint({"EC401", "EC402", "EC403", "EC604"}), check["findings"]


def test_a_real_secret_in_the_same_file_is_still_caught(tmp_path: Path) -> None:
    where = _committed(
        tmp_path, NOT_SECRETS + f"OPENAI_API_KEY={OPENAI}\nJWT_SECRET=Xy9-Qp2_Lm4zz\n"
    )
    guard = _run(where, "guard", ".env")
    assert guard.returncode == 1
    check = json.loads(_run(where, "check", "--format", "json").stdout)
    ec402 = [f for f in check["findings"] if f["code"] == "EC402"]
    assert ec402 and "2 secrets" in ec402[0]["message"]
    assert OPENAI not in guard.stdout + guard.stderr


def test_explain_says_why_a_credential_name_is_shown(tmp_path: Path) -> None:
    where = _committed(tmp_path, NOT_SECRETS + "JWT_SECRET=Xy9-Qp2_Lm4zz\n")
    text = _run(where, "explain").stdout
    assert (
        "AUTH_DISABLE_EMAIL_SIGNUP: not secret: named like a credential, but it is a boolean"
        in text
    )
    assert "Xy9-Qp2_Lm4zz" not in text
    keys = json.loads(_run(where, "explain", "--format", "json").stdout)["keys"]
    assert keys["AUTH_SERVER"]["why"] == (
        "not secret: named like a credential, but it is a URL without a credential"
    )
    assert keys["JWT_SECRET"]["secret"] is True
    assert keys["API_SECRET"]["value"] == ""  # an empty value is not shown as "****"


def test_init_writes_no_secret_for_a_boolean_and_check_still_passes(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "15.1.0"}}')
    (tmp_path / ".env.local").write_text(NOT_SECRETS)
    before = _run(tmp_path, "check")
    assert _run(tmp_path, "init").returncode == 0
    toml = (tmp_path / "envcheck.toml").read_text()
    block = toml.split("[keys.AUTH_DISABLE_EMAIL_SIGNUP]", 1)[1].split("[keys.", 1)[0]
    assert "secret = true" not in block
    after = _run(tmp_path, "check")
    assert before.returncode == 0 and after.returncode == 0, after.stdout + after.stderr


def test_guard_suggests_a_local_file_only_where_the_app_reads_one(tmp_path: Path) -> None:
    """Issue 26: under compose, which never reads .env.local, that advice loses the key."""
    compose = tmp_path / "compose"
    compose.mkdir()
    (compose / "compose.yaml").write_text("services:\n  app:\n    image: x\n    env_file: .env\n")
    (compose / ".env").write_text(f"OPENAI_API_KEY={OPENAI}\n")
    hint = _run(compose, "guard", ".env").stdout
    assert ".env.local" not in hint.replace(".env.local is not read here", "")
    assert "git rm --cached .env" in hint
    next_app = _committed(tmp_path / "next", f"OPENAI_API_KEY={OPENAI}\n")
    assert "move OPENAI_API_KEY to .env.local" in _run(next_app, "guard", ".env").stdout
