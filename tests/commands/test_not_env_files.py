"""Files named like env files but of another type (wasp open-saas's ``app_diff/.env.vault.diff``).

opensaas-sh/app_diff/ holds unified diffs that a script patches onto the template app;
the pre-commit pattern ``(^|/)\\.env(\\.[^/]*)?$`` and the commands' own discovery took
them for env files (EC102 on every ``+KEY=…`` line).  Every command skips them, named or
found, so a run given the files agrees with one that finds them.
"""

from __future__ import annotations

from pathlib import Path

from tests.harness import codes, isolated, isolated_json, repository

_DIFF = """--- template/app/.env.vault
+++ opensaas-sh/app/.env.vault
@@ -1,2 +1,3 @@
 #/-------------------.env.vault---------------------/
-DOTENV_VAULT_DEVELOPMENT="aaa"
+DOTENV_VAULT_DEVELOPMENT="bbb"
+DOTENV_VAULT_PRODUCTION="ccc"
"""


def _project(tmp_path: Path) -> Path:
    return repository(
        tmp_path / "p",
        {".env.vault.diff": _DIFF, ".env.client.diff": _DIFF, ".env.local.patch": _DIFF},
    )


def test_lint_and_guard_skip_named_diff_files(tmp_path: Path) -> None:
    project = _project(tmp_path)
    for command in ("lint", "guard"):
        proc = isolated(project, command, "--format", "json", ".env.vault.diff", ".env.local.patch")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "EC1" not in proc.stdout and "EC4" not in proc.stdout
        assert ".env.vault.diff: a .diff file, not an env file: skipped" in proc.stderr
        assert f"no env files among the files named to {command}" in proc.stderr


def test_discovery_finds_no_env_file_in_patches(tmp_path: Path) -> None:
    """lint and guard without files, and check, find nothing to read: the same answer as
    with the files named."""
    project = _project(tmp_path)
    for command in ("lint", "guard"):
        proc = isolated(project, command)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "no env files here" in proc.stderr
    code, document, err = isolated_json(project, "check", "--format", "json")
    assert code == 0, err
    assert document is not None and ".env.local.patch" not in document.get("files", [])
    assert not {c for c, _ in codes(document) if c.startswith(("EC1", "EC4"))}


def test_a_real_env_file_beside_a_patch_is_still_linted(tmp_path: Path) -> None:
    project = repository(tmp_path / "p", {".env.vault.diff": _DIFF, ".env": "A=1\nA=2\n"})
    proc = isolated(project, "lint", "--format", "json", ".env", ".env.vault.diff")
    assert proc.returncode in (0, 1), proc.stderr
    assert '".env"' in proc.stdout and ".env.vault.diff" not in proc.stdout
