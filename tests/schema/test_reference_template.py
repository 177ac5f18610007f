"""A template whose own target file git tracks is a reference, not the developer's setup
(the survey's VARIANT-TEMPLATE class, teable's shape): ``apps/nextjs-app/.env.example``
documents self-hosting, while the repository commits the ``.env`` it would be copied to and
the ``.env.development`` the README has the developer copy (a lone tracked ``.env`` is
no such evidence).  Its keys the code defaults ask
nothing of the run (no EC301, ``init`` drafts them ``required = false``); a key the code
demands stays EC301, and the same template beside an untracked ``.env`` (the developer's
copy) keeps every EC301."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.harness import NEXT_PACKAGE, clone, codes, isolated, isolated_json

_TEMPLATE = (
    "# your public origin, required\n"
    "PUBLIC_ORIGIN=https://app.example.com\n"
    "# cache provider sqlite | memory | redis, default is sqlite\n"
    "BACKEND_CACHE_PROVIDER=sqlite\n"
    "BACKEND_CACHE_REDIS_URI=redis://default:example@127.0.0.1:6379/0\n"
    "API_BASE_URL=https://api.example.com\n"
)
_CODE = (
    "export const cache = process.env.BACKEND_CACHE_PROVIDER ?? 'sqlite';\n"
    "export const redis = process.env.BACKEND_CACHE_REDIS_URI ?? '';\n"
    "export const origin = process.env.PUBLIC_ORIGIN ?? 'http://127.0.0.1:3000';\n"
    "export const api = new URL(process.env.API_BASE_URL);\n"
)
_COMMITTED = {
    "package.json": NEXT_PACKAGE,
    ".env.example": _TEMPLATE,
    ".env.development": "PORT=3000\nLOG_LEVEL=info\n",
    "src/config.ts": _CODE,
}
_ENV = "NEXT_BUILD_ENV_CSP=true\nLOG_LEVEL=info\n"


def _missing(project: Path) -> set[str | None]:
    status, document, stderr = isolated_json(project, "check", "--format", "json")
    assert status in (0, 1), stderr
    return {key for code, key in codes(document) if code == "EC301"}


def test_a_template_whose_target_git_tracks_asks_only_what_the_code_demands(
    tmp_path: Path,
) -> None:
    project = clone(tmp_path / "teable", {**_COMMITTED, ".env": _ENV})
    assert _missing(project) == {"API_BASE_URL"}


def test_the_same_template_beside_the_developers_own_copy_keeps_every_key(
    tmp_path: Path,
) -> None:
    # The control: .env is untracked (the developer's copy), so the template is the setup.
    project = clone(tmp_path / "app", _COMMITTED, untracked={".env": _ENV})
    assert _missing(project) == {
        "PUBLIC_ORIGIN",
        "BACKEND_CACHE_PROVIDER",
        "BACKEND_CACHE_REDIS_URI",
        "API_BASE_URL",
    }


def test_init_drafts_a_reference_templates_keys_as_check_judges_them(tmp_path: Path) -> None:
    project = clone(tmp_path / "teable", {**_COMMITTED, ".env": _ENV})
    result = isolated(project, "init")
    assert result.returncode == 0, result.stderr
    keys = tomllib.loads((project / "envcheck.toml").read_text())["keys"]
    required = {name for name, spec in keys.items() if spec["required"]}
    assert "API_BASE_URL" in required  # the code demands it
    assert not required & {"PUBLIC_ORIGIN", "BACKEND_CACHE_PROVIDER", "BACKEND_CACHE_REDIS_URI"}
    assert "git tracks .env" in keys["BACKEND_CACHE_REDIS_URI"]["description"]
    assert _missing(project) == {"API_BASE_URL"}  # init then check: as check alone


def test_a_lone_tracked_env_file_is_no_reason_to_drop_the_template(tmp_path: Path) -> None:
    # `git add .` committed .env (a mistake, or a first commit), with no development
    # defaults beside it: the template is still the setup, every unset key is EC301.
    committed = {k: v for k, v in _COMMITTED.items() if k != ".env.development"}
    project = clone(tmp_path / "app", {**committed, ".env": _ENV})
    assert _missing(project) == {
        "PUBLIC_ORIGIN",
        "BACKEND_CACHE_PROVIDER",
        "BACKEND_CACHE_REDIS_URI",
        "API_BASE_URL",
    }


# maybe's shape: the root template is the self-hosting list and says so in its header,
# sending developers to the template beside it.
_SELF_HOSTING = (
    "# ================================ PLEASE READ ================================\n"
    "# This file outlines all the possible environment variables for self hosting.\n"
    "#\n"
    "# If you're a developer setting up your local environment, please use"
    " `.env.local.example` instead.\n"
    "# =============================================================================\n"
    "\n"
    "SELF_HOSTED=true\n"
    "SECRET_KEY_BASE=secret-value\n"
    "API_BASE_URL=https://api.example.com\n"
)
_DEVELOPERS = "SELF_HOSTED=false\n"


def test_a_template_that_sends_developers_elsewhere_asks_only_what_the_code_demands(
    tmp_path: Path,
) -> None:
    files = {
        "package.json": NEXT_PACKAGE,
        ".env.example": _SELF_HOSTING,
        ".env.local.example": _DEVELOPERS,
        "src/config.ts": _CODE,
    }
    assert _missing(clone(tmp_path / "maybe", files)) == {"API_BASE_URL"}
    # The control: without the template it names, its words send nobody anywhere.
    alone = {k: v for k, v in files.items() if k != ".env.local.example"}
    assert _missing(clone(tmp_path / "alone", alone)) == {
        "SELF_HOSTED",
        "SECRET_KEY_BASE",
        "API_BASE_URL",
    }
