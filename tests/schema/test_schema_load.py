"""Where the schema comes from: each source, their precedence, and their errors."""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from envcheck.errors import ConfigError
from envcheck.schema.load import load_schema
from envcheck.schema.model import KeySpec, Schema


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(root: Path, settings: str | None = None) -> Schema:
    schema = load_schema(root, settings=settings)
    assert schema is not None
    return schema


ENVCHECK_TOML = """
[envcheck]
framework = "vite"
mode = "staging"
ignore = ["EC205"]
select = "EC303, unknown-key"
strict = true

[keys.OPENAI_API_KEY]
format = "openai-api-key"
secret = true
probe = "openai"

[keys.PORT]
type = "port"
required = false
default = 3000

[keys.SENTRY_DSN]
type = "url"
modes = ["production"]

[keys.LOG_LEVEL]
choices = ["debug", "info"]

[keys]
DEBUG = "bool"
"""


def test_envcheck_toml(tmp_path: Path) -> None:
    write(tmp_path, "envcheck.toml", ENVCHECK_TOML)
    s = load(tmp_path)
    assert (s.source, s.framework, s.mode, s.strict) == ("envcheck.toml", "vite", "staging", True)
    assert s.ignore == ("EC205",) and s.select == ("EC303", "unknown-key")
    assert s.keys["OPENAI_API_KEY"] == KeySpec(
        "OPENAI_API_KEY",
        format="openai-api-key",
        secret=True,
        probe="openai",
        where="envcheck.toml:8",
    )
    port = s.keys["PORT"]
    assert (port.type, port.required, port.default, port.where) == (
        "port",
        False,
        "3000",
        "envcheck.toml:13",
    )
    dsn = s.keys["SENTRY_DSN"]
    assert dsn.required_modes == ("production",)
    assert dsn.is_required("production") and not dsn.is_required("development")
    assert s.keys["LOG_LEVEL"].type == "enum" and s.keys["LOG_LEVEL"].choices == ("debug", "info")
    assert s.keys["DEBUG"].type == "bool" and s.keys["DEBUG"].where == "envcheck.toml:26"


def test_pyproject_tool_envcheck(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        """
        [project]
        name = "app"

        [tool.envcheck]
        framework = "pydantic-settings"

        [tool.envcheck.keys.DATABASE_URL]
        format = "database-url"
        """,
    )
    s = load(tmp_path)
    assert (s.source, s.framework) == ("pyproject.toml", "pydantic-settings")
    assert s.keys["DATABASE_URL"].format == "database-url"
    assert s.keys["DATABASE_URL"].where == "pyproject.toml:7"


EXAMPLE = """
# OpenAI, for the chat route.
# secret; format: openai-api-key; probe: openai
OPENAI_API_KEY=sk-...

PORT=3000            # optional; type: port
SENTRY_DSN=          # modes: production, staging
LOG_LEVEL=info       # choices: debug,info,warn
# public
NEXT_PUBLIC_SITE_URL="https://example.com"  # type: url
# envcheck: ignore[EC302]
CERT="-----BEGIN CERT-----
MIIB
-----END CERT-----"
export DB_PASSWORD=hunter2
SESSION_SECRET=abc # optional secret
"""


def test_annotated_example(tmp_path: Path) -> None:
    write(tmp_path, ".env.example", EXAMPLE)
    s = load(tmp_path)
    assert s.source == ".env.example"
    assert list(s.keys) == [
        "OPENAI_API_KEY",
        "PORT",
        "SENTRY_DSN",
        "LOG_LEVEL",
        "NEXT_PUBLIC_SITE_URL",
        "CERT",
        "DB_PASSWORD",
        "SESSION_SECRET",
    ]
    key = s.keys["OPENAI_API_KEY"]
    assert (key.required, key.secret, key.format, key.probe, key.where) == (
        True,
        True,
        "openai-api-key",
        "openai",
        ".env.example:3",
    )
    assert key.description == "OpenAI, for the chat route."
    assert key.default is None  # a placeholder is never a default
    port = s.keys["PORT"]
    assert (port.required, port.type, port.default) == (False, "port", "3000")
    assert s.keys["SENTRY_DSN"].required_modes == ("production", "staging")
    assert s.keys["LOG_LEVEL"].choices == ("debug", "info", "warn")
    assert s.keys["LOG_LEVEL"].type == "enum" and s.keys["LOG_LEVEL"].default == "info"
    site = s.keys["NEXT_PUBLIC_SITE_URL"]
    assert (site.public, site.type, site.default) == (True, "url", "https://example.com")
    assert s.keys["CERT"].description is None  # the envcheck: comment is not prose
    assert s.keys["DB_PASSWORD"].default is None  # secret by name: never copied
    secret = s.keys["SESSION_SECRET"]
    assert (secret.required, secret.secret, secret.default) == (False, True, None)


def test_example_fallbacks_sample_then_template(tmp_path: Path) -> None:
    write(tmp_path, ".env.template", "A=1\n")
    assert load(tmp_path).source == ".env.template"
    write(tmp_path, ".env.sample", "B=1\n")
    assert list(load(tmp_path).keys) == ["B"]
    write(tmp_path, ".env.example", "C=1\n")
    assert list(load(tmp_path).keys) == ["C"]


def test_example_bad_annotation_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path, ".env.example", "A=1\n\nB=2 # format: openai-key\n")
    with pytest.raises(ConfigError) as err:
        load_schema(tmp_path)
    assert err.value.where == ".env.example:3"
    assert "openai-key" in err.value.message and err.value.hint


def test_precedence(tmp_path: Path) -> None:
    write(tmp_path, ".env.example", "FROM_EXAMPLE=1\n")
    write(tmp_path, "pyproject.toml", "[tool.envcheck.keys.FROM_PYPROJECT]\n")
    write(tmp_path, "envcheck.toml", "[keys.FROM_TOML]\n")
    assert list(load(tmp_path).keys) == ["FROM_TOML"]
    (tmp_path / "envcheck.toml").unlink()
    assert list(load(tmp_path).keys) == ["FROM_PYPROJECT"]
    write(tmp_path, "pyproject.toml", '[tool.envcheck]\nframework = "vite"\n')
    s = load(tmp_path)  # options from pyproject, keys from the example
    assert (list(s.keys), s.framework, s.source) == (["FROM_EXAMPLE"], "vite", ".env.example")


def test_no_schema_at_all(tmp_path: Path) -> None:
    assert load_schema(tmp_path) is None
    write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_schema(tmp_path) is None
    write(tmp_path, "pyproject.toml", "[project\nname = 'x'\n")  # broken, and not ours
    assert load_schema(tmp_path) is None


def test_options_only_config(tmp_path: Path) -> None:
    write(tmp_path, "envcheck.toml", '[envcheck]\nignore = ["EC3"]\n')
    s = load(tmp_path)
    assert (s.keys, s.ignore, s.source) == ({}, ("EC3",), "envcheck.toml")


@pytest.mark.parametrize(
    ("name", "text", "where", "needle"),
    [
        (
            "envcheck.toml",
            '[keys.A]\ntype = "int"\nrequired = tru\n',
            "envcheck.toml:3:12",
            "Invalid value",
        ),
        ("envcheck.toml", "[envcheck]\nframework = 'vite\n", "envcheck.toml:2:18", "Expected"),
        ("pyproject.toml", "[tool.envcheck]\nmode = = 1\n", "pyproject.toml:2:8", "Invalid value"),
    ],
)
def test_broken_toml_names_line_and_column(
    tmp_path: Path, name: str, text: str, where: str, needle: str
) -> None:
    write(tmp_path, name, text)
    with pytest.raises(ConfigError) as err:
        load_schema(tmp_path)
    assert err.value.where == where
    assert needle in err.value.message and "(at line" not in err.value.message
    assert err.value.hint


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ("[envcheck]\nframwork = 'vite'\nignroe = []\n", ["framwork", "ignroe"]),
        ("[keys.A]\nrequried = true\n", ["requried", "[keys.A]"]),
        ("[key.A]\n", ["key"]),
        ("[keys.A]\ntype = 'integer'\n", ["integer"]),
        ("[keys.A]\nformat = 'openai'\n", ["openai"]),
        ("[keys.A]\ntype = 'enum'\n", ["no choices"]),
        ("[keys.A]\npattern = '(a'\n", ["pattern"]),
        ("[keys.A]\nrequired = 'yes'\n", ["required"]),
        ("[envcheck]\nframework = 'rails'\n", ["rails"]),
    ],
)
def test_invalid_config_is_named(tmp_path: Path, text: str, needles: list[str]) -> None:
    write(tmp_path, "envcheck.toml", text)
    with pytest.raises(ConfigError) as err:
        load_schema(tmp_path)
    for needle in needles:
        assert needle in str(err.value)
    assert str(err.value).startswith("envcheck.toml")


@pytest.fixture
def module_name() -> Iterator[str]:
    name = f"envcheck_test_settings_{uuid.uuid4().hex[:8]}"
    yield name
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[mod]


SETTINGS = """
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APP_", env_file=".env")

    openai_api_key: SecretStr
    port: int = 8000
    debug: bool = False
    database_url: str = Field(alias="DATABASE_URL", description="Primary database")
    region: str = Field("eu", validation_alias=AliasChoices("REGION", "AWS_REGION"))


class Strict(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True)

    Token: str
"""


def test_pydantic_settings_class(tmp_path: Path, module_name: str) -> None:
    write(tmp_path, f"{module_name}/__init__.py", "")
    write(tmp_path, f"{module_name}/config.py", SETTINGS)
    s = load(tmp_path, settings=f"{module_name}.config:Settings")
    assert s.source == f"settings:{module_name}.config:Settings"
    assert s.case_sensitive is False and s.settings_class.__name__ == "Settings"
    assert list(s.keys) == ["APP_OPENAI_API_KEY", "APP_PORT", "APP_DEBUG", "DATABASE_URL", "REGION"]
    key = s.keys["APP_OPENAI_API_KEY"]
    assert (key.required, key.secret, key.type) == (True, True, "str")
    assert s.keys["APP_PORT"].required is False
    assert s.keys["DATABASE_URL"].description == "Primary database"
    assert s.field_env["port"] == "APP_PORT" and s.field_env["database_url"] == "DATABASE_URL"
    assert s.spec("app_port") is s.keys["APP_PORT"]  # case-insensitive like the class
    assert str(tmp_path) not in sys.path  # the project dir is taken off sys.path again

    strict = load(tmp_path, settings=f"{module_name}.config:Strict")
    assert list(strict.keys) == ["Token"] and strict.case_sensitive
    assert strict.spec("TOKEN") is None


@pytest.fixture
def project_code_allowed() -> Iterator[None]:
    """As ``--allow-project-code``: the config's ``settings =`` may be imported."""
    from envcheck.schema.interpreter import allow_project_code

    allow_project_code(True)
    yield
    allow_project_code(None)


@pytest.mark.usefixtures("project_code_allowed")  # a checked file alone never imports a class
def test_settings_from_config_refined_by_keys(tmp_path: Path, module_name: str) -> None:
    write(tmp_path, f"{module_name}.py", SETTINGS)
    write(
        tmp_path,
        "envcheck.toml",
        f"""
        [envcheck]
        settings = "{module_name}:Settings"
        [keys.APP_OPENAI_API_KEY]
        format = "openai-api-key"
        """,
    )
    s = load(tmp_path)
    assert s.source == f"settings:{module_name}:Settings+envcheck.toml"
    assert s.keys["APP_OPENAI_API_KEY"].format == "openai-api-key"
    assert "APP_PORT" in s.keys


@pytest.mark.parametrize(
    ("body", "exc"),
    [
        ("import os\nraise RuntimeError('sk-proj-' + 'secret' * 8)\n", "RuntimeError"),
        ("import does_not_exist_anywhere\n", "ModuleNotFoundError"),
        ("def broken(:\n", "SyntaxError"),
        ("import sys\nsys.exit(3)\n", "SystemExit"),
        (
            "from pydantic_settings import BaseSettings\n"
            "class S(BaseSettings):\n    port: int\n"
            "settings = S(port='sk-proj-secretsecretsecret')\n",
            "ValidationError",
        ),
    ],
)
def test_settings_import_failure_is_one_line(
    tmp_path: Path, module_name: str, body: str, exc: str
) -> None:
    write(tmp_path, f"{module_name}.py", body)
    with pytest.raises(ConfigError) as err:
        load_schema(tmp_path, settings=f"{module_name}:Settings")
    text = str(err.value)
    assert text == f"cannot import settings module {module_name!r}: {exc}"
    assert "secret" not in text and "\n" not in text
    assert err.value.__cause__ is None and err.value.__suppress_context__


@pytest.mark.parametrize("target", ["nocolon", ":Settings", "mod:"])
def test_settings_target_must_name_a_class(tmp_path: Path, target: str) -> None:
    with pytest.raises(ConfigError, match="package.module:Class"):
        load_schema(tmp_path, settings=target)


def test_settings_target_must_be_a_settings_class(tmp_path: Path, module_name: str) -> None:
    write(tmp_path, f"{module_name}.py", "class Settings:\n    pass\nsettings = 1\n")
    for target in ("Settings", "settings", "Missing"):
        with pytest.raises(ConfigError, match="not a pydantic-settings BaseSettings class"):
            load_schema(tmp_path, settings=f"{module_name}:{target}")
