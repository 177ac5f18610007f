"""Survey classes of holdout5 (bench/survey verdicts) about where the app's env comes from,
pinned in their real shapes.

* DOTENV-PATH-SCRIPT-CWD: anything-llm's example scripts ("execute this example from
  within the example folder") load ``dotenv.config({path: "../../../../.env.development"})``.
  Node resolves it against the working directory; no package script starts them, so that
  is their own folder, where the path is ``server/.env.development``, inside the project.
  The same path in a file a script starts (``node index.js``: the package folder) leaves it.
* TEMPLATE-INTENT (EC407 ``ENV``): firecrawl's compose sets ``ENV: local``, the app's own
  environment name; sh reads ``$ENV`` only when interactive, so only a value written as a
  path is worth a warning.

Each case runs the real CLI on a real git clone in ``tmp_path``; every value is fake.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.harness import clone, findings, isolated

_SERVER = json.dumps(
    {
        "name": "anything-llm-server",
        "private": True,
        "main": "index.js",
        "scripts": {"dev": "node index.js"},
        "dependencies": {"dotenv": "16.4.5", "express": "4.21.0"},
    }
)
_EXAMPLE = (
    "// You must execute this example from within the example folder.\n"
    "require('dotenv').config({ path: '../../../../.env.development' });\n"
    "console.log(process.env.OPEN_AI_KEY);\n"
)


def _outside(project: Path) -> list[str]:
    found = findings(isolated(project / "server", "check", "--format", "json"))
    return [f["path"] for f in found if f["code"] == "EC109" and "outside" in f["message"]]


def test_a_scripts_relative_dotenv_path_is_taken_from_its_own_folder(tmp_path: Path) -> None:
    project = clone(
        tmp_path / "anything-llm",
        {
            "server/package.json": _SERVER,
            "server/index.js": "require('dotenv').config()\nconsole.log(process.env.PORT)\n",
            "server/utils/agents/aibitat/example/beginner-chat.js": _EXAMPLE,
            "server/.env.example": "PORT=3001\nOPEN_AI_KEY=\n",
            ".gitignore": ".env*\n!.env.example\n",
        },
    )
    assert _outside(project) == []


def test_the_same_path_in_a_file_a_script_starts_leaves_the_project(tmp_path: Path) -> None:
    """The control: ``node index.js`` runs from the package folder, so ``../../x`` from
    there is outside the project, whatever the file's own folder would say."""
    project = clone(
        tmp_path / "anything-llm",
        {
            "server/package.json": _SERVER,
            "server/index.js": "require('dotenv').config({ path: '../../.env' })\n"
            "console.log(process.env.PORT)\n",
            "server/.env.example": "PORT=3001\n",
            ".gitignore": ".env*\n!.env.example\n",
        },
    )
    assert _outside(project) == ["index.js"]


def _env_warnings(tmp_path: Path, value: str) -> set[str]:
    project = clone(
        tmp_path / "firecrawl",
        {".env.example": "ENV=\nPORT=3002\n", ".gitignore": ".env\n"},
        untracked={".env": f"ENV={value}\nPORT=3002\n"},
    )
    found = findings(isolated(project, "check", "--format", "json"))
    return {f["key"] for f in found if f["code"] == "EC407"}


def test_an_apps_environment_name_in_env_is_no_shell_start_up_file(tmp_path: Path) -> None:
    assert _env_warnings(tmp_path / "word", "local") == set()
    assert _env_warnings(tmp_path / "path", "./evil.sh") == {"ENV"}  # a file sh would run
