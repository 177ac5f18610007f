"""No config file a checkout can hold makes envcheck fail with an internal error (issue #23).

envcheck reads config files it did not write: ``envcheck.toml``,
``pyproject.toml``, ``package.json``, ``pnpm-workspace.yaml``,
``turbo.json``, ``compose.yaml`` and ``.env.example`` directives.  Each of
them can hold the right keys with the wrong types (a list where a table is
expected, ``workspaces: 5``, ``packages: [1, null, {}]``, a turbo
``tasks`` that is a string, a compose ``env_file: {path: 5}``), nulls,
huge numbers, dates, non-string YAML keys, duplicate keys, control
characters, arrays nested thousands deep, or be empty or a bare scalar.

The property: every command (``check``, ``lint``, ``guard``, ``explain``,
``diff``), run in-process through :func:`envcheck.cli.main` exactly as the
console script runs it, exits 0, 1 or 2, never prints the "internal error"
line (:func:`main`'s last line of defence: an exception a reader let
escape), and when it exits 2 its error names the file that is wrong and
says how to fix it.

The documents are built from each reader's real schema (the keys it looks
up), not random bytes, so the fuzz reaches the code that uses the values.
The default run draws a few dozen documents per file kind; ``make fuzz``
(``ENVCHECK_FUZZ_EXAMPLES``) runs the ``fuzz``-marked copy at scale.  The
crashes the fuzz found are kept below as plain regression cases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envcheck.cli import main

COMMANDS = (["check"], ["lint"], ["guard"], ["explain"], ["diff"])
INTERNAL = "internal error"


# -- running envcheck in-process ------------------------------------------------------


def run(project: Path, args: list[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``envcheck ARGS`` in ``project``, as the console script.

    The workspace fan-out runs serially: a fork per example would make the
    fuzz slow, and the readers are the same in every pool.
    """
    runner = CliRunner(env={"ENVCHECK_WORKSPACE_POOL": "serial", "NO_COLOR": "1"})
    with contextlib.chdir(project), runner.isolation() as (out, err, _):
        code = main(args)
    return (
        code,
        out.getvalue().decode("utf-8", "replace"),
        err.getvalue().decode("utf-8", "replace"),
    )


def assert_clean(project: Path, files: dict[str, str]) -> None:
    """Every command: exit 0/1/2, no internal error, exit 2 names a written file with a hint."""
    names = {Path(name).name for name in files} | set(files)
    for args in COMMANDS:
        code, out, err = run(project, args)
        shown = f"envcheck {' '.join(args)} -> {code}\nstdout: {out[-2000:]}\nstderr: {err}"
        assert code in (0, 1, 2), shown
        assert INTERNAL not in err, shown
        assert "Traceback" not in err and "Traceback" not in out, shown
        if code == 2:
            error = [line for line in err.splitlines() if "error:" in line]
            assert error, shown
            assert any(name in line for line in error for name in names), shown
            assert "hint:" in err, shown


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")


# -- documents: values of the wrong type ----------------------------------------------


class Obj:
    """A mapping as written in a file: pairs in order, keys of any type, duplicates allowed."""

    def __init__(self, pairs: list[tuple[Any, Any]]) -> None:
        self.pairs = pairs

    def __repr__(self) -> str:
        return f"Obj({self.pairs!r})"


class Raw:
    """Text written into the document as it is (a YAML tag, an alias, a plain token)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text!r})"


DEEP = 5000  # nesting far beyond any recursive parser's stack
odd_text = st.text(
    alphabet=st.sampled_from(["a", "Z", "_", " ", ".", "*", "/", "!", "#", "é", "\x00", "\x1b",
                              "\u202e", "\u2028", "\t", "\n", ":", ",", "$", "{", "}", "😀"]),
    max_size=12,
)  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**64, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
    st.sampled_from(["", "apps/*", "packages/*", "next", ".env", "true", "1"]),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(timezones=st.sampled_from([None, dt.UTC])),
    st.times(),
)


def _objs(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Obj]:
    keys = st.one_of(odd_text, st.sampled_from(["a", "a", "path", "<<"]), scalars)
    return st.lists(st.tuples(keys, children), max_size=4).map(Obj)


junk: st.SearchStrategy[Any] = st.recursive(
    st.one_of(scalars, st.just("DEEP")),
    lambda kids: st.one_of(st.lists(kids, max_size=4), _objs(kids)),
    max_leaves=10,
)


def field(name: str, plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[str, Any]]:
    """One member of a document: its real name, and a right or a wrong value."""
    return st.tuples(st.just(name), st.one_of(plausible, junk))


def obj(*members: st.SearchStrategy[tuple[Any, Any]]) -> st.SearchStrategy[Obj]:
    """An object with any subset of ``members`` (each maybe twice), or a value of a wrong type."""
    if not members:
        return _objs(junk)
    return st.lists(st.one_of(*members), max_size=len(members) + 1).map(Obj)


def table_of(
    names: st.SearchStrategy[str], value: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(st.tuples(names, value), max_size=4).map(Obj), junk)


# -- serializers ----------------------------------------------------------------------


def _deep(open_: str, close: str) -> str:
    return open_ * DEEP + close * DEEP


def to_json(value: Any) -> str:
    if value == "DEEP":
        return _deep("[", "]")
    if isinstance(value, Obj):
        body = ", ".join(f"{json.dumps(str(k))}: {to_json(v)}" for k, v in value.pairs)
        return "{" + body + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(to_json, value)) + "]"
    if isinstance(value, Raw):
        return json.dumps(value.text)
    if isinstance(value, dt.date | dt.time):
        return json.dumps(value.isoformat())
    return json.dumps(value)  # NaN and Infinity too: JSON5-ish files exist


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            ".nan"
            if math.isnan(value)
            else (".inf" if value > 0 else "-.inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return json.dumps(value)


def to_yaml(value: Any) -> str:
    """Flow-style YAML (keys of any type, so ``{1: x, null: y, [a]: z}`` too)."""
    if value == "DEEP":
        return _deep("[", "]")
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Obj):
        return "{" + ", ".join(f"{to_yaml(k)}: {to_yaml(v)}" for k, v in value.pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(to_yaml, value)) + "]"
    return _yaml_scalar(value)


def to_yaml_document(value: Any) -> str:
    """Block style at the top, flow below: how these files are written by hand."""
    if not isinstance(value, Obj):
        return to_yaml(value) + "\n"
    return "".join(f"{to_yaml(k)}: {to_yaml(v)}\n" for k, v in value.pairs)


def _toml_value(value: Any) -> str | None:
    if value is None:
        return None  # TOML has no null
    if value == "DEEP":
        return _deep("[", "]")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, list):
        items = [t for t in map(_toml_value, value) if t is not None]
        return "[" + ", ".join(items) + "]"
    if isinstance(value, Obj):
        items = [
            f"{json.dumps(str(k))} = {t}"
            for k, v in value.pairs
            if (t := _toml_value(v)) is not None
        ]
        return "{" + ", ".join(items) + "}"
    return json.dumps(value)


def to_toml(value: Obj, path: tuple[str, ...] = ()) -> str:
    """A TOML document: scalars first, then each object member as its own ``[table]``."""
    lines: list[str] = []
    tables: list[tuple[str, Obj]] = []
    for key, member in value.pairs:
        if isinstance(member, Obj) and member.pairs:
            tables.append((str(key), member))
            continue
        text = _toml_value(member)
        if text is not None:
            lines.append(f"{json.dumps(str(key))} = {text}")
    out = "\n".join(lines) + "\n"
    for key, member in tables:
        name = (*path, key)
        header = ".".join(k if k.replace("_", "").isalnum() and k.isascii() else json.dumps(k)
                          for k in name)  # fmt: skip
        out += f"\n[{header}]\n" + to_toml(member, name)
    return out


# -- each file, from the keys its reader reads -------------------------------------------

frameworks = st.sampled_from(["nextjs", "vite", "auto", "compose", "dotenv", "nope"])
rule_lists = st.sampled_from([["EC303"], "EC303, EC2", [], ["EC8"]])
type_names = st.sampled_from(["str", "int", "port", "url", "enum", "json", "regex", "bogus"])
key_names = st.sampled_from(["PORT", "OPENAI_API_KEY", "DATABASE_URL", "LOG_LEVEL", "ÉCLÉ\x1b"])

key_spec = st.one_of(
    type_names,
    obj(
        field("required", st.booleans()),
        field("modes", st.just(["production"])),
        field("type", type_names),
        field("choices", st.just(["debug", "info"])),
        field("pattern", st.sampled_from(["[a-z]+", "(", ""])),
        field("format", st.sampled_from(["openai-api-key", "url", "nope"])),
        field("secret", st.booleans()),
        field("public", st.booleans()),
        field("probe", st.just("openai")),
        field("base_url", st.just("https://api.openai.com")),
        field("description", st.just("text")),
        field("default", st.sampled_from(["3000", 3000, True, 1.5])),
    ),
    junk,
)
OPTION_MEMBERS = (
    field("framework", frameworks),
    field("mode", st.sampled_from(["development", "production"])),
    field("select", rule_lists),
    field("ignore", rule_lists),
    field("strict", st.booleans()),
    field("allow_unknown", st.booleans()),
    # a string names a settings class to import: never drawn (and not what is tested here)
    st.tuples(st.just("settings"), st.one_of(st.integers(), st.lists(st.none()), st.booleans())),
)
keys_table = table_of(key_names, key_spec)
env_file = st.sampled_from(["", "PORT=3000\nOPENAI_API_KEY=\nLOG_LEVEL=info\n"])


@st.composite
def envcheck_toml(draw: st.DrawFn) -> dict[str, str]:
    doc = draw(
        obj(
            field("envcheck", obj(*OPTION_MEMBERS)),
            field("keys", keys_table),
            field("workspace", obj(field("shared", st.just(["PORT"])),
                                   field("apps", st.just(["apps/web"])))),
        )
    )  # fmt: skip
    return {"envcheck.toml": to_toml(doc), ".env": draw(env_file)}


@st.composite
def pyproject_toml(draw: st.DrawFn) -> dict[str, str]:
    tool = obj(
        field("envcheck", obj(*OPTION_MEMBERS, field("keys", keys_table))),
        field("uv", obj(field("workspace", obj(field("members", st.just(["apps/*"])),
                                               field("exclude", st.just(["apps/x"])))))),
    )  # fmt: skip
    project = obj(field("name", st.just("app")), field("dependencies", st.just(["python-dotenv"])))
    doc = draw(obj(field("tool", tool), field("project", project)))
    files = {
        "pyproject.toml": to_toml(doc) + "# envcheck tool.uv.workspace\n",
        ".env": draw(env_file),
    }
    files["apps/web/pyproject.toml"] = '[project]\nname = "web"\n'
    return files


scripts = table_of(
    st.sampled_from(["dev", "start", "build", "test"]),
    st.one_of(
        st.sampled_from([
            "dotenv -e ../../.env -e .env.local -- next dev",
            "node --env-file=.env --env-file-if-exists=.env.local index.js",
            "env-cmd -f .env node index.js",
            "dotenvx run -f .env -f .env.local -- vite",
            "dotenv -e",
            "node --env-file",
            "next dev",
        ]),
        junk,
    ),
)  # fmt: skip
dependencies = table_of(
    st.sampled_from(["next", "vite", "dotenv", "dotenv-cli", "@dotenvx/dotenvx", "react-scripts"]),
    st.one_of(st.just("^1.0.0"), junk),
)
package = obj(
    field("name", st.sampled_from(["web", "@acme/web", ""])),
    field("scripts", scripts),
    field("dependencies", dependencies),
    field("devDependencies", dependencies),
    field("engines", obj(field("node", st.sampled_from([">=20", "latest", "lts/*"])))),
    field("workspaces", st.one_of(
        st.just(["apps/*"]),
        obj(field("packages", st.just(["apps/*"])), field("nohoist", st.just(["**"]))),
    )),
)  # fmt: skip


@st.composite
def package_json(draw: st.DrawFn) -> dict[str, str]:
    root, app = draw(package), draw(package)
    return {
        "package.json": to_json(root),
        ".env": draw(env_file),
        "apps/web/package.json": to_json(app),
        "apps/web/.env": draw(env_file),
    }


@st.composite
def pnpm_workspace_yaml(draw: st.DrawFn) -> dict[str, str]:
    globs = st.lists(st.one_of(st.sampled_from(["apps/*", "!apps/x", "**"]), junk), max_size=4)
    doc = draw(st.one_of(obj(field("packages", globs), field("catalog", junk)), junk))
    return {
        "pnpm-workspace.yaml": to_yaml_document(doc),
        "apps/web/package.json": to_json(draw(package)),
        "apps/web/.env": draw(env_file),
    }


env_names = st.lists(st.sampled_from(["PORT", "NEXT_PUBLIC_*", "!SECRET", "*"]), max_size=3)
task = obj(
    field("env", env_names),
    field("passThroughEnv", env_names),
    field("inputs", st.just(["$TURBO_DEFAULT$", ".env*"])),
    field("outputs", st.just([".next/**"])),
    field("cache", st.booleans()),
    field("persistent", st.booleans()),
    field("dependsOn", st.just(["^build"])),
    field("dotEnv", st.just([".env"])),
    field("envMode", st.sampled_from(["strict", "loose"])),
)
tasks = table_of(st.sampled_from(["build", "dev", "web#build", "//#lint"]), task)
turbo = obj(
    field("$schema", st.just("https://turbo.build/schema.json")),
    field("tasks", tasks),
    field("pipeline", tasks),
    field("globalEnv", env_names),
    field("globalPassThroughEnv", env_names),
    field("globalDependencies", st.just([".env"])),
    field("envMode", st.sampled_from(["strict", "loose"])),
    field("extends", st.just(["//"])),
)
web = Obj([("name", "web"), ("scripts", Obj([("build", "next build"), ("dev", "next dev")])),
           ("dependencies", Obj([("next", "15.0.0")]))])  # fmt: skip


@st.composite
def turbo_json(draw: st.DrawFn) -> dict[str, str]:
    files = {
        "turbo.json": to_json(draw(turbo)),
        "package.json": to_json(Obj([("name", "root"), ("packageManager", "pnpm@9")])),
        "apps/web/package.json": to_json(draw(st.one_of(st.just(web), package))),
        "apps/web/.env": "NEXT_PUBLIC_API=x\nPORT=3000\n",
        "apps/web/.env.local": "PORT=3001\n",
    }
    if draw(st.booleans()):
        files["apps/web/turbo.json"] = to_json(draw(turbo))
    return files


merge_like = st.one_of(junk, st.just(Raw("*common")), st.just([Raw("*common")]))
env_file_item = st.one_of(
    st.sampled_from([".env", "missing.env"]),
    obj(field("path", st.just(".env")), field("required", st.booleans()),
        field("format", st.sampled_from(["raw", "dotenv"]))),
)  # fmt: skip
service = obj(
    field("image", st.just("node:20")),
    field("env_file", st.one_of(env_file_item, st.lists(env_file_item, max_size=3))),
    field("environment", st.one_of(
        st.lists(st.sampled_from(["PORT=3000", "DEBUG", "A=${PORT}", "B=${X:?must}"]), max_size=3),
        table_of(st.sampled_from(["PORT", "DEBUG"]), st.one_of(st.just("3000"), junk)),
    )),
    field("extends", st.just("base")),
    field("<<", merge_like),
)  # fmt: skip


@st.composite
def compose_yaml(draw: st.DrawFn) -> dict[str, str]:
    doc = draw(
        st.one_of(
            obj(
                field("services", table_of(st.sampled_from(["web", "db", "1"]), service)),
                field("include", st.just(["other.yaml"])),
                field("name", st.just("demo")),
            ),
            junk,
        )
    )
    text = to_yaml_document(doc)
    if draw(st.booleans()):
        text = "x-common: &common {PORT: 1}\n" + text
    return {"compose.yaml": text, ".env": draw(env_file)}


directive = st.one_of(
    st.sampled_from(["optional", "required", "secret", "public", "secret, optional"]),
    st.builds("type: {}".format, type_names),
    st.builds("format: {}".format, st.sampled_from(["openai-api-key", "url", "nope", ""])),
    st.builds("probe: {}".format, st.sampled_from(["openai", "nope"])),
    st.builds("modes: {}".format, st.sampled_from(["production", "a,b", ","])),
    st.builds("choices: {}".format, st.sampled_from(["debug,info", "x", ""])),
    st.builds("pattern: {}".format, st.sampled_from(["[a-z]+", "(", "", "a{99999999999}"])),
    odd_text,
)


@st.composite
def env_example(draw: st.DrawFn) -> dict[str, str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        comment = "; ".join(draw(st.lists(directive, min_size=1, max_size=3)))
        key = draw(st.sampled_from(["PORT", "OPENAI_API_KEY", "LOG_LEVEL", "A.B-C"]))
        value = draw(st.sampled_from(["", "3000", "info", "sk-...", "'quoted # x'", '"open']))
        if draw(st.booleans()):
            lines += [f"# {comment}", f"{key}={value}"]
        else:
            lines.append(f"{key}={value} # {comment}")
    return {".env.example": "\n".join(lines) + "\n", ".env": draw(env_file)}


DOCUMENTS: dict[str, Callable[[], st.SearchStrategy[dict[str, str]]]] = {
    "envcheck.toml": envcheck_toml,
    "pyproject.toml": pyproject_toml,
    "package.json": package_json,
    "pnpm-workspace.yaml": pnpm_workspace_yaml,
    "turbo.json": turbo_json,
    "compose.yaml": compose_yaml,
    ".env.example": env_example,
}


# -- the property ----------------------------------------------------------------------

_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}


@contextlib.contextmanager
def fresh(base: Path) -> Iterator[Path]:
    """A new, empty project folder for one example (hypothesis reuses the test's tmp_path)."""
    import shutil
    import tempfile

    project = Path(tempfile.mkdtemp(dir=base))
    try:
        yield project
    finally:
        shutil.rmtree(project, ignore_errors=True)


def _property(kind: str, tmp_path: Path, files: dict[str, str]) -> None:
    with fresh(tmp_path) as project:
        write(project, files)
        assert_clean(project, files)


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
@settings(max_examples=int(os.environ.get("ENVCHECK_NO_INTERNAL_EXAMPLES") or 15), **_SETTINGS)
@given(data=st.data())
def test_no_config_document_is_an_internal_error(
    kind: str, tmp_path: Path, data: st.DataObject
) -> None:
    _property(kind, tmp_path, data.draw(DOCUMENTS[kind](), label=kind))


@pytest.mark.fuzz
@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
@settings(max_examples=int(os.environ.get("ENVCHECK_FUZZ_EXAMPLES") or 200), **_SETTINGS)
@given(data=st.data())
def test_fuzz_no_config_document_is_an_internal_error(
    kind: str, tmp_path: Path, data: st.DataObject
) -> None:
    _property(kind, tmp_path, data.draw(DOCUMENTS[kind](), label=kind))


# -- the crashes the fuzz found, kept as plain cases -----------------------------------

DEEP_ARRAY = "[" * DEEP + "]" * DEEP
WEB_APP = '{"name": "web", "dependencies": {"next": "15.0.0"}}'

CRASHES: dict[str, dict[str, str]] = {
    # RecursionError in tomllib, from load.py (schema), detect.py and discover.py (uv)
    "envcheck.toml nested arrays": {"envcheck.toml": f"keys = {DEEP_ARRAY}\n"},
    "pyproject.toml nested arrays": {"pyproject.toml": f"# envcheck\nproject = {DEEP_ARRAY}\n"},
    "pyproject.toml nested arrays, uv workspace": {
        "pyproject.toml": f"[tool.uv.workspace]\nmembers = {DEEP_ARRAY}\n",
        "apps/web/pyproject.toml": '[project]\nname = "web"\n',
    },
    # RecursionError in json, from detect.py, scripts.py, discover.py (root and app names)
    "package.json nested arrays": {"package.json": f'{{"engines": {DEEP_ARRAY}}}'},
    "package.json workspaces nested arrays": {
        "package.json": f'{{"workspaces": ["apps/*"], "x": {DEEP_ARRAY}}}',
        "apps/web/package.json": WEB_APP,
    },
    "app package.json nested arrays": {
        "package.json": '{"workspaces": ["apps/*"]}',
        "apps/web/package.json": f'{{"name": {DEEP_ARRAY}}}',
    },
    "turbo.json nested arrays": {
        "turbo.json": f'{{"tasks": {{"build": {{"env": {DEEP_ARRAY}}}}}}}',
        "apps/web/package.json": WEB_APP,
    },
    # RecursionError in PyYAML's composer
    "pnpm-workspace.yaml nested arrays": {
        "pnpm-workspace.yaml": f"packages: {DEEP_ARRAY}\n",
        "apps/web/package.json": WEB_APP,
    },
    "compose.yaml nested arrays": {"compose.yaml": f"services: {{web: {{image: {DEEP_ARRAY}}}}}\n"},
    # OverflowError / RecursionError compiling a schema pattern
    ".env.example huge repetition": {".env.example": "PORT=3000 # pattern: a{99999999999}\n"},
    ".env.example nested groups": {
        ".env.example": f"PORT=3000 # pattern: {'(' * DEEP}{')' * DEEP}\n"
    },
    "envcheck.toml huge repetition": {"envcheck.toml": '[keys.PORT]\npattern = "a{99999999999}"\n'},
    # AttributeError: [tool] is not a table at a uv workspace root (stopped guard and lint)
    "pyproject.toml tool is a number": {"pyproject.toml": "tool = 5  # tool.uv.workspace\n"},
    "pyproject.toml tool.uv is a list": {
        "pyproject.toml": "[tool]\nuv = [1]  # tool.uv.workspace\n"
    },
    # wrong types the readers already refuse cleanly: kept so that they stay so
    "package.json workspaces is a number": {"package.json": '{"workspaces": 5}'},
    "pnpm packages of wrong types": {"pnpm-workspace.yaml": "packages: [1, null, {}]\n"},
    "turbo tasks is a string": {
        "turbo.json": '{"tasks": "build"}',
        "apps/web/package.json": WEB_APP,
    },
    "compose env_file path is a number": {
        "compose.yaml": "services:\n  web:\n    env_file: {path: 5}\n"
    },
    "compose environment is a number": {"compose.yaml": "services:\n  web:\n    environment: 5\n"},
    "compose non-string keys": {"compose.yaml": "services:\n  ? [a]\n  : {}\n  1: {}\n"},
    "envcheck.toml options of wrong types": {
        "envcheck.toml": "envcheck = 5\n",
    },
    "envcheck.toml dates": {"envcheck.toml": "[envcheck]\nmode = 1979-05-27\n"},
    "envcheck.toml workspace apps is a table": {"envcheck.toml": "[workspace.apps]\nx = 1\n"},
    "empty documents": {"package.json": "", "turbo.json": "", "compose.yaml": ""},
    "top-level scalars": {"package.json": "5", "pnpm-workspace.yaml": "5\n"},
}


@pytest.mark.parametrize("files", list(CRASHES.values()), ids=list(CRASHES))
def test_a_config_that_once_crashed_is_a_clean_answer(
    tmp_path: Path, files: dict[str, str]
) -> None:
    write(tmp_path, {".env": "PORT=3000\n", **files})
    assert_clean(tmp_path, files)


def test_too_deep_a_document_is_refused_at_its_position(tmp_path: Path) -> None:
    """The error points at the bracket that goes too deep, so the user finds it."""
    write(tmp_path, {"envcheck.toml": f"[envcheck]\nmode = 'x'\nselect = {DEEP_ARRAY}\n"})
    code, _, err = run(tmp_path, ["check"])
    assert code == 2
    assert "envcheck.toml:3:110: invalid TOML: nested more than 100 levels deep" in err, err
    assert "hint: flatten the structure" in err
