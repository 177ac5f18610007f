"""envcheck.code loads: each env-file load form -> the paths the runtime would open.

The package is ``apps/web`` of a project root, so relative-to-file and
relative-to-working-directory resolutions differ, and ``../../..`` leaves the root.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.code import EnvLoad, scan
from envcheck.code.loads import name_the_file

DEV_PROD_TEST = ("development", "production", "test")


def _loads(tmp_path: Path, name: str, source: str) -> list[EnvLoad]:
    package = tmp_path / "apps" / "web"
    file = package / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(source)
    return list(scan(package, root=tmp_path, use_cache=False).loads)


Row = tuple[str, str, tuple[str, ...], tuple[str, ...], str, bool, bool]

CASES: list[tuple[str, str, str, Row]] = [
    (
        "dotenv default",
        "index.js",
        'require("dotenv").config();',
        ("dotenv", "file", ("apps/web/.env",), (), "cwd", False, True),
    ),
    (
        "import dotenv/config",
        "index.ts",
        'import "dotenv/config";',
        ("dotenv", "file", ("apps/web/.env",), (), "cwd", False, True),
    ),
    (
        "require dotenv/config",
        "index.js",
        'require("dotenv/config");',
        ("dotenv", "file", ("apps/web/.env",), (), "cwd", False, True),
    ),
    (
        "string path is relative to the working directory",
        "src/server.ts",
        'import dotenv from "dotenv";\ndotenv.config({ path: "../../.env" });',
        ("dotenv", "file", (".env",), (), "cwd", False, True),
    ),
    (
        "__dirname path is relative to the file",
        "src/server.ts",
        'import dotenv from "dotenv";\nimport path from "path";\n'
        'dotenv.config({ path: path.resolve(__dirname, "../../../.env") });',
        ("dotenv", "file", (".env",), (), "file", False, True),
    ),
    (
        "path.join and a const",
        "next.config.js",
        'const path = require("path");\nconst ROOT = path.join(__dirname, "..", "..");\n'
        'require("dotenv").config({ path: path.join(ROOT, ".env") });',
        ("dotenv", "file", (".env",), (), "file", False, True),
    ),
    (
        "import.meta.url",
        "vite.config.mjs",
        'import { config } from "dotenv";\nimport { fileURLToPath } from "node:url";\n'
        'config({ path: fileURLToPath(new URL("../../.env", import.meta.url)) });',
        ("dotenv", "file", (".env",), (), "file", False, True),
    ),
    (
        "array",
        "index.js",
        'const { configDotenv } = require("dotenv");\n'
        'configDotenv({ path: [".env.local", ".env"] });',
        ("dotenv", "file", ("apps/web/.env.local", "apps/web/.env"), (), "cwd", False, True),
    ),
    (
        "template over NODE_ENV: one path per mode",
        "index.js",
        'require("dotenv").config({ path: `.env.${process.env.NODE_ENV}` });',
        (
            "dotenv",
            "file",
            ("apps/web/.env.development", "apps/web/.env.production", "apps/web/.env.test"),
            DEV_PROD_TEST,
            "cwd",
            False,
            True,
        ),
    ),
    (
        "concatenation with a fallback mode",
        "index.js",
        'require("dotenv").config({ path: ".env." + (process.env.NODE_ENV || "development") });',
        (
            "dotenv",
            "file",
            ("apps/web/.env.development", "apps/web/.env.production", "apps/web/.env.test"),
            DEV_PROD_TEST,
            "cwd",
            False,
            True,
        ),
    ),
    (
        "outside the project is kept, flagged",
        "index.js",
        'require("dotenv").config({ path: "../../../secrets/.env" });',
        ("dotenv", "file", ("../secrets/.env",), (), "cwd", True, True),
    ),
    (
        "absolute path is outside",
        "index.js",
        'require("dotenv").config({ path: "/etc/app/.env" });',
        ("dotenv", "file", ("/etc/app/.env",), (), "absolute", True, True),
    ),
    (
        "computed path is unresolved",
        "index.js",
        'require("dotenv").config({ path: getPath() });',
        ("dotenv", "file", (), (), "cwd", False, False),
    ),
    (
        "dotenv-flow",
        "index.js",
        'require("dotenv-flow").config();',
        ("dotenv-flow", "dir", ("apps/web",), (), "cwd", False, True),
    ),
    (
        "@next/env loadEnvConfig",
        "scripts/seed.ts",
        'import { loadEnvConfig } from "@next/env";\nloadEnvConfig(process.cwd());',
        ("@next/env", "dir", ("apps/web",), (), "cwd", False, True),
    ),
    (
        "vite envDir",
        "vite.config.ts",
        'import { defineConfig } from "vite";\nexport default defineConfig({ envDir: "../../" });',
        ("vite-envDir", "dir", (".",), (), "cwd", False, True),
    ),
    (
        "vite loadEnv",
        "vite.config.ts",
        'import { loadEnv } from "vite";\n'
        'const env = loadEnv(mode, path.resolve(__dirname, "env"), "");',
        ("vite-loadEnv", "dir", ("apps/web/env",), (), "file", False, True),
    ),
    (
        "NestJS envFilePath",
        "src/app.module.ts",
        'ConfigModule.forRoot({ envFilePath: [`.env.${process.env.NODE_ENV}.local`, ".env"] });',
        (
            "nestjs",
            "file",
            (
                "apps/web/.env.development.local",
                "apps/web/.env.production.local",
                "apps/web/.env.test.local",
                "apps/web/.env",
            ),
            (*DEV_PROD_TEST, "*"),
            "cwd",
            False,
            True,
        ),
    ),
    (
        "load_dotenv() searches up from the file",
        "app/config.py",
        "from dotenv import load_dotenv\nload_dotenv()",
        (
            "python-dotenv",
            "search",
            ("apps/web/app/.env", "apps/web/.env", "apps/.env", ".env"),
            (),
            "file",
            False,
            True,
        ),
    ),
    (
        "load_dotenv(path)",
        "main.py",
        'from dotenv import load_dotenv\nload_dotenv("../../.env")',
        ("python-dotenv", "file", (".env",), (), "cwd", False, True),
    ),
    (
        "load_dotenv(dotenv_path=Path(__file__).parent / ...)",
        "app/main.py",
        "from pathlib import Path\nimport dotenv\n"
        'dotenv.load_dotenv(dotenv_path=Path(__file__).resolve().parent.parent / ".env")',
        ("python-dotenv", "file", ("apps/web/.env",), (), "file", False, True),
    ),
    (
        "dotenv_values with os.path",
        "app/main.py",
        "import os\nfrom dotenv import dotenv_values\n"
        'cfg = dotenv_values(os.path.join(os.path.dirname(__file__), ".env.shared"))',
        ("python-dotenv", "file", ("apps/web/app/.env.shared",), (), "file", False, True),
    ),
    (
        "find_dotenv(usecwd=True)",
        "app/main.py",
        "from dotenv import load_dotenv, find_dotenv\nload_dotenv(find_dotenv(usecwd=True))",
        ("python-dotenv", "search", ("apps/web/.env", "apps/.env", ".env"), (), "cwd", False, True),
    ),
    (
        "django-environ read_env with BASE_DIR",
        "mysite/settings.py",
        "from pathlib import Path\nimport environ\n"
        "BASE_DIR = Path(__file__).resolve().parent.parent\n"
        'environ.Env.read_env(BASE_DIR / ".env")',
        ("django-environ", "file", ("apps/web/.env",), (), "file", False, True),
    ),
]


@pytest.mark.parametrize(("label", "name", "source", "expected"), CASES, ids=[c[0] for c in CASES])
def test_load_forms(tmp_path: Path, label: str, name: str, source: str, expected: Row) -> None:
    (load,) = _loads(tmp_path, name, source)
    got = (load.loader, load.target, load.paths, load.modes, load.base, load.outside, load.resolved)
    assert got == expected
    assert load.file == f"apps/web/{name}"


def test_paths_for_a_mode(tmp_path: Path) -> None:
    (load,) = _loads(
        tmp_path,
        "app.module.ts",
        'ConfigModule.forRoot({ envFilePath: [`.env.${process.env.NODE_ENV}`, ".env"] });',
    )
    assert load.pattern == "apps/web/.env.{mode}"
    assert load.paths_for("production") == ("apps/web/.env.production", "apps/web/.env")


# -- a load path whose file name a function of the project returns by mode -----------------

NAMER_CASES: list[tuple[str, str, dict[str, str]]] = [
    (
        "novu: a table looked up with a default mode",
        "const DEFAULT_ENV = 'local';\n"
        "const envFileFromNodeEnv = {\n"
        "  production: '.env.production', test: '.env.test',\n"
        "  local: '.env', dev: '.env.development',\n"
        "} satisfies Record<string, string>;\n"
        "export function getEnvFileNameForNodeEnv(nodeEnv?: string): string {\n"
        "  const selectedEnvFile = envFileFromNodeEnv[nodeEnv || DEFAULT_ENV];\n"
        "  return selectedEnvFile;\n"
        "}\n",
        {
            "production": ".env.production",
            "test": ".env.test",
            "local": ".env",
            "dev": ".env.development",
            "": ".env",
        },
    ),
    (
        "a switch with fall-through cases and a default",
        "export const envFile = (mode: string) => {\n"
        "  switch (mode) {\n"
        "    case 'production':\n"
        "    case 'prod':\n"
        "      return '.env.prod';\n"
        "    default:\n"
        "      return '.env.local';\n"
        "  }\n"
        "};\n",
        {"production": ".env.prod", "prod": ".env.prod", "": ".env.local", "*": ".env.local"},
    ),
    (
        "an if chain, the parameter's default chosen when none is given",
        "export function envFile(mode = 'development') {\n"
        "  if (mode === 'test') return '.env.test';\n"
        "  if (!mode) { return '.env'; }\n"
        "  return `.env.dev`;\n"
        "}\n",
        {"test": ".env.test", "": ".env.dev", "*": ".env.dev"},
    ),
    (
        "a ternary over NODE_ENV read in the function",
        "export const envFile = () =>\n"
        "  process.env.NODE_ENV === 'production' ? '.env.production' : '.env';\n",
        {"production": ".env.production", "": ".env", "*": ".env"},
    ),
]


@pytest.mark.parametrize(
    ("label", "source", "expected"), NAMER_CASES, ids=[c[0] for c in NAMER_CASES]
)
def test_functions_that_name_an_env_file_by_mode(
    tmp_path: Path, label: str, source: str, expected: dict[str, str]
) -> None:
    package = tmp_path / "apps" / "web"
    (package / "src").mkdir(parents=True)
    (package / "src" / "env-file.ts").write_text(source)
    (namer,) = scan(package, root=tmp_path, use_cache=False).namers
    file, name, choices = namer
    assert file == "apps/web/src/env-file.ts"
    assert dict(choices) == expected


@pytest.mark.parametrize(
    "source",
    [
        # a function that does something else first, or chooses by another value
        "export function envFile(mode) { console.log(mode); return '.env'; }\n",
        "export function envFile(mode) { return mode === 'x' ? readFile('.env') : '.env'; }\n",
        "export function envFile(a, b) { return a === 'test' ? '.env.test' : '.env'; }\n",
        "export function banner() { return 'hello'; }\nconst f = '.env';\n",
    ],
)
def test_other_functions_name_no_env_file(tmp_path: Path, source: str) -> None:
    package = tmp_path / "apps" / "web"
    package.mkdir(parents=True)
    (package / "env-file.js").write_text(source)
    assert scan(package, root=tmp_path, use_cache=False).namers == ()


def test_a_load_path_naming_a_function_is_kept_open_with_the_function(tmp_path: Path) -> None:
    (load,) = _loads(
        tmp_path,
        "src/config/env.config.ts",
        "import dotenv from 'dotenv';\nimport path from 'node:path';\n"
        "import { getEnvFileNameForNodeEnv } from '@acme/shared';\n"
        "dotenv.config({ path: path.join(__dirname, '..',"
        " getEnvFileNameForNodeEnv(process.env.NODE_ENV)) });\n",
    )
    assert (load.resolved, load.paths) == (False, ())
    assert load.helper == ("@acme/shared", "getEnvFileNameForNodeEnv")
    assert load.pattern == "apps/web/src/{file}"
    novu = {"production": ".env.production", "test": ".env.test", "local": ".env", "": ".env"}
    named = name_the_file(load, novu)
    assert named.resolved and named.helper is None
    assert named.paths_for("development") == ("apps/web/src/.env",)  # NODE_ENV unset
    assert named.paths_for("test") == ("apps/web/src/.env.test",)
    # a table that names development itself is taken at its word
    assert name_the_file(load, {**novu, "development": ".env.dev"}).paths_for("development") == (
        "apps/web/src/.env.dev",
    )


@pytest.mark.parametrize(
    "call",
    [
        "getEnvFileNameForNodeEnv('production')",  # not the mode: a value we do not follow
        "getEnvFileNameForNodeEnv(process.env.NODE_ENV), other(process.env.NODE_ENV)",
    ],
)
def test_a_load_path_with_another_call_stays_unresolved(tmp_path: Path, call: str) -> None:
    (load,) = _loads(
        tmp_path,
        "main.ts",
        "import dotenv from 'dotenv';\nimport path from 'node:path';\n"
        "import { getEnvFileNameForNodeEnv, other } from '@acme/shared';\n"
        f"dotenv.config({{ path: path.join(__dirname, {call}) }});\n",
    )
    assert (load.resolved, load.paths, load.helper) == (False, (), None)
