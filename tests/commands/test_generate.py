"""``envcheck generate``: the files it writes are accepted by the real tools that read them.

env.d.ts by the real TypeScript compiler (``oracles/node_modules/typescript``,
``make oracles``), the settings class by the real pydantic-settings in a
fresh interpreter, the ``.env.example`` by envcheck itself as a schema that
says the same as the one it came from.  Then the file handling: ``--check``,
atomic writes, and no file replaced that is not envcheck's own.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from envcheck.cli import main
from envcheck.commands.generate import header
from envcheck.schema.load import load_schema
from tests.oracle import ORACLES, node_available

FAKE_KEY = "sk-proj-" + "Q7d9Kx2LmP4vR8sT1wY6zA3bC5eF0gH2jN4pU6xW8yZ1aB3c"

SCHEMA = """\
[envcheck]
framework = "vite"

[keys.OPENAI_API_KEY]
format = "openai-api-key"
description = "Chat */ declare const injected: number; /*"

[keys.PORT]
type = "port"
required = false
default = "3000"

[keys.VITE_API_URL]
type = "url"
public = true

[keys.LOG_LEVEL]
choices = ["debug", "info"]
required = false
default = "info"

[keys.SENTRY_DSN]
type = "url"
modes = ["production"]

[keys.DEBUG]
type = "bool"
required = false
default = "false"

[keys."my-key"]
required = false
description = "\\"\\"\\"\\nimport os; os.system('false')  # hostile"
"""


def _project(tmp_path: Path, schema: str = SCHEMA) -> Path:
    project = tmp_path / "app"
    project.mkdir()
    (project / "package.json").write_text('{"devDependencies": {"vite": "5.0.0"}}')
    (project / "envcheck.toml").write_text(schema)
    return project


def _run(*args: str) -> int:
    return main(["generate", *args])


# -- types: the real TypeScript compiler ---------------------------------------------------

TSC = ORACLES / "node_modules" / "typescript" / "bin" / "tsc"
requires_tsc = pytest.mark.skipif(
    not (node_available() and TSC.is_file()),
    reason="typescript missing from oracles/node_modules: run `make oracles`",
)

# What @types/node declares: an index signature, so undeclared keys are string | undefined.
NODE_TYPES = """\
declare namespace NodeJS { interface ProcessEnv { [key: string]: string | undefined } }
declare const process: { env: NodeJS.ProcessEnv };
"""
READS_DECLARED = """\
const key: string = process.env.OPENAI_API_KEY;
const port: string | undefined = process.env.PORT;
const level: "debug" | "info" | undefined = process.env.LOG_LEVEL;
const odd: string | undefined = process.env["my-key"];
const api: string = import.meta.env.VITE_API_URL;
export { key, port, level, odd, api };
"""


def _tsc(directory: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(TSC), "--noEmit", "--strict", "--noPropertyAccessFromIndexSignature",
         "--target", "es2022", "--module", "es2022", "--lib", "es2022", *files],
        cwd=directory, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@requires_tsc
def test_tsc_accepts_the_types_and_refuses_an_undeclared_key(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _run("types", "-C", str(project)) == 0
    (project / "node.d.ts").write_text(NODE_TYPES)
    (project / "ok.ts").write_text(READS_DECLARED)
    accepted = _tsc(project, "env.d.ts", "node.d.ts", "ok.ts")
    assert accepted.returncode == 0, accepted.stdout
    (project / "bad.ts").write_text(
        "const x = process.env.NOT_DECLARED;\n"  # only the index signature: refused
        "const y: string = process.env.PORT;\n"  # optional: string | undefined
        "const z = import.meta.env.OPENAI_API_KEY;\n"  # not public: not in ImportMetaEnv
        "const w = injected;\n"  # the description did not become a declaration
        "export { x, y, z, w };\n"
    )
    refused = _tsc(project, "env.d.ts", "node.d.ts", "bad.ts")
    assert refused.returncode != 0
    for line in (1, 2, 3, 4):
        assert f"bad.ts({line}," in refused.stdout, refused.stdout


def test_types_name_required_and_optional_keys(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _run("types", "-C", str(project)) == 0
    text = (project / "env.d.ts").read_text()
    assert text.startswith(header("types") + "\n")
    assert '"OPENAI_API_KEY": string;' in text and '"PORT"?: string;' in text
    assert '"SENTRY_DSN"?: string;' in text  # required only in production
    assert 'readonly "VITE_API_URL": string;' in text


def test_types_without_vite_have_no_import_meta(tmp_path: Path) -> None:
    project = _project(tmp_path, SCHEMA.replace('framework = "vite"', 'framework = "nextjs"'))
    assert _run("types", "-C", str(project)) == 0
    assert "ImportMeta" not in (project / "env.d.ts").read_text()


# -- settings: the real pydantic-settings --------------------------------------------------

LOAD = """\
import json, sys
from env_settings import Settings
try:
    s = Settings()
except Exception as err:
    print(json.dumps({"error": type(err).__name__}))
    sys.exit(0)
print(json.dumps({
    "key_matches": s.OPENAI_API_KEY.get_secret_value() == sys.argv[1],
    "key_repr_masked": sys.argv[1] not in repr(s),
    "PORT": s.PORT, "VITE_API_URL": s.VITE_API_URL, "LOG_LEVEL": s.LOG_LEVEL,
    "DEBUG": s.DEBUG, "my_key": s.env_my_key, "SENTRY_DSN": s.SENTRY_DSN,
}))
"""


def _load_settings(directory: Path, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", LOAD, FAKE_KEY],
        cwd=directory,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answer: dict[str, Any] = json.loads(proc.stdout)
    return answer


def test_pydantic_settings_loads_the_generated_class(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _run("settings", "-C", str(project)) == 0
    env = {"OPENAI_API_KEY": FAKE_KEY, "VITE_API_URL": "https://api.example.com", "PORT": "8080"}
    got = _load_settings(project, {**env, "my-key": "odd", "DEBUG": "1"})
    assert got == {
        "key_matches": True,
        "key_repr_masked": True,
        "PORT": 8080,
        "VITE_API_URL": "https://api.example.com",
        "LOG_LEVEL": "info",
        "DEBUG": True,
        "my_key": "odd",
        "SENTRY_DSN": None,
    }
    defaults = _load_settings(project, {"OPENAI_API_KEY": FAKE_KEY, "VITE_API_URL": "x"})
    assert (defaults["PORT"], defaults["DEBUG"], defaults["my_key"]) == (3000, False, None)
    assert _load_settings(project, {"VITE_API_URL": "x"}) == {"error": "ValidationError"}
    assert _load_settings(project, {**env, "LOG_LEVEL": "loud"}) == {"error": "ValidationError"}


def test_the_settings_module_runs_nothing_from_the_schema(tmp_path: Path) -> None:
    """Descriptions and names are literals: the module is imports, a docstring and a class."""
    project = _project(tmp_path)
    assert _run("settings", "-C", str(project)) == 0
    tree = ast.parse((project / "env_settings.py").read_text())
    kinds = {type(node).__name__ for node in tree.body}
    assert kinds <= {"Expr", "ImportFrom", "ClassDef"}, kinds
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert all(isinstance(n, (ast.Assign, ast.AnnAssign)) for n in cls.body)


# -- example: envcheck reads it back as the same schema ------------------------------------

COMPARED = ("required", "required_modes", "type", "choices", "public", "format", "probe")


def test_the_example_is_the_same_schema(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _run("example", "-C", str(project)) == 0
    original = load_schema(project)
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / ".env.example").write_bytes((project / ".env.example").read_bytes())
    read_back = load_schema(copy)
    assert original is not None and read_back is not None
    plain = [k for k in original.keys if k != "my-key"]  # written: my-key is not a shell name
    assert list(read_back.keys) == [*plain, "my-key"]
    for name in original.keys:
        ours, theirs = original.keys[name], read_back.keys[name]
        assert [getattr(ours, f) for f in COMPARED] == [getattr(theirs, f) for f in COMPARED]
    assert (
        read_back.keys["PORT"].default == "3000" and read_back.keys["LOG_LEVEL"].default == "info"
    )
    assert read_back.keys["OPENAI_API_KEY"].default is None


def _findings(directory: Path) -> set[tuple[str, str]]:
    proc = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "-C", str(directory), "--no-process-env",
         "--format", "json"],
        capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ.get("PATH", ""), "NODE_ENV": "production"},
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    return {(f["code"], f.get("key") or "") for f in report["findings"] if f["code"][:3] == "EC3"}


def test_check_reports_the_same_requirements_from_the_example(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _run("example", "-C", str(project)) == 0
    (project / ".env").write_text("PORT=not-a-port\nLOG_LEVEL=loud\n")
    from_toml = _findings(project)
    (project / "envcheck.toml").unlink()
    assert _findings(project) == from_toml
    assert {"OPENAI_API_KEY", "VITE_API_URL", "SENTRY_DSN", "PORT", "LOG_LEVEL"} <= {
        k for _, k in from_toml
    }


def test_a_secret_default_is_never_written(tmp_path: Path) -> None:
    schema = f'[keys.OPENAI_API_KEY]\nsecret = true\nrequired = false\ndefault = "{FAKE_KEY}"\n'
    project = _project(tmp_path, schema)
    for kind in ("example", "settings", "types"):
        assert _run(kind, "-C", str(project)) == 0
    for name in (".env.example", "env_settings.py", "env.d.ts"):
        assert FAKE_KEY not in (project / name).read_text()


# -- the files: --check, atomic writes, never someone else's file --------------------------


def test_check_exits_1_when_missing_or_stale_and_0_when_current(tmp_path: Path) -> None:
    project = _project(tmp_path)
    out = project / "env.d.ts"
    assert _run("types", "-C", str(project), "--check") == 1 and not out.exists()
    assert _run("types", "-C", str(project)) == 0
    assert _run("types", "-C", str(project), "--check") == 0
    (project / "envcheck.toml").write_text(SCHEMA + "\n[keys.NEW_KEY]\n")
    assert _run("types", "-C", str(project), "--check") == 1
    assert _run("types", "-C", str(project)) == 0  # its own file: replaced without --force
    assert '"NEW_KEY": string;' in out.read_text()
    assert [p.name for p in project.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_that_is_not_envcheck_s_is_kept_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    example = project / ".env.example"
    example.write_text("# hand-written\nA=1\n")
    assert _run("example", "-C", str(project)) == 2
    assert example.read_text() == "# hand-written\nA=1\n"
    assert "--force" in capsys.readouterr().err
    assert _run("example", "-C", str(project), "--force") == 0
    assert example.read_text().startswith(header("example"))


def test_a_link_at_the_output_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    project = _project(tmp_path)
    outside = tmp_path / "outside.ts"
    outside.write_text(header("types") + "\nsecret stuff\n")  # even one that looks like ours
    (project / "env.d.ts").symlink_to(outside)
    assert _run("types", "-C", str(project)) == 2
    assert _run("types", "-C", str(project), "--check") == 2
    assert outside.read_text() == header("types") + "\nsecret stuff\n"


def test_output_path_and_no_schema(tmp_path: Path) -> None:
    project = _project(tmp_path)
    target = tmp_path / "types" / "vite-env.d.ts"
    target.parent.mkdir()
    assert _run("types", "-C", str(project), "-o", str(target)) == 0
    assert target.read_text().startswith(header("types"))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _run("types", "-C", str(empty)) == 2


# -- keys the code reads that the schema lacks ----------------------------------------------

CODE = {
    "index.html": "<script type=module src=/src/main.ts></script>\n",
    "src/main.ts": (
        "const flag = import.meta.env.VITE_CLIENT_FLAG!;\n"  # client, required (says `!`)
        'const banner = import.meta.env.VITE_BANNER ?? "hello";\n'  # a default: optional
        "export { flag, banner };\n"
    ),
    "server.py": (
        "import os\n"
        'url = os.environ["DATABASE_URL"]\n'  # required
        'timeout = os.environ.get("HTTP_TIMEOUT", "30")\n'  # a default: optional
        'if os.getenv("FEATURE_X"):\n    pass\n'  # a guard: optional
    ),
    "tests/a.test.ts": "const t = process.env.TEST_ONLY_KEY;\n",  # a test's read: not the app's
}


def _code_project(tmp_path: Path) -> Path:
    project = _project(tmp_path, '[envcheck]\nframework = "vite"\n\n[keys.OPENAI_API_KEY]\n')
    for name, text in CODE.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    return project


@requires_tsc
def test_tsc_accepts_the_keys_the_code_reads(tmp_path: Path) -> None:
    project = _code_project(tmp_path)
    assert _run("types", "-C", str(project)) == 0
    (project / "node.d.ts").write_text(NODE_TYPES)
    (project / "ok.ts").write_text(
        "const a: string = process.env.OPENAI_API_KEY;\n"
        "const b: string = process.env.DATABASE_URL;\n"
        "const c: string | undefined = process.env.HTTP_TIMEOUT;\n"
        "const d: string | undefined = process.env.FEATURE_X;\n"
        "const e: string = import.meta.env.VITE_CLIENT_FLAG;\n"
        "const f: string | undefined = import.meta.env.VITE_BANNER;\n"
        "export { a, b, c, d, e, f };\n"
    )
    accepted = _tsc(project, "env.d.ts", "node.d.ts", "ok.ts")
    assert accepted.returncode == 0, accepted.stdout
    (project / "bad.ts").write_text(
        "const x = process.env.TEST_ONLY_KEY;\n"  # read only by a test: not declared
        "const y: string = process.env.HTTP_TIMEOUT;\n"  # read with a default: optional
        "const z = import.meta.env.DATABASE_URL;\n"  # a server key: not in ImportMetaEnv
        "export { x, y, z };\n"
    )
    refused = _tsc(project, "env.d.ts", "node.d.ts", "bad.ts")
    for line in (1, 2, 3):
        assert f"bad.ts({line}," in refused.stdout, refused.stdout


CODE_LOAD = """\
import json
from env_settings import Settings
try:
    s = Settings()
except Exception as err:
    print(json.dumps({"error": type(err).__name__}))
else:
    print(json.dumps({"url": s.DATABASE_URL, "timeout": s.HTTP_TIMEOUT, "x": s.FEATURE_X,
                      "test_only": hasattr(s, "TEST_ONLY_KEY")}))
"""


def test_pydantic_settings_requires_what_the_code_requires(tmp_path: Path) -> None:
    project = _code_project(tmp_path)
    assert _run("settings", "-C", str(project)) == 0

    def load(env: dict[str, str]) -> Any:
        proc = subprocess.run(
            [sys.executable, "-c", CODE_LOAD],
            cwd=project,
            env={"PATH": os.environ.get("PATH", ""), "OPENAI_API_KEY": FAKE_KEY, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        return json.loads(proc.stdout)

    everything = {"DATABASE_URL": "postgres://db", "VITE_CLIENT_FLAG": "1"}
    assert load(everything) == {"url": "postgres://db", "timeout": None, "x": None,
                                "test_only": False}  # fmt: skip
    assert load({"VITE_CLIENT_FLAG": "1"}) == {"error": "ValidationError"}  # DATABASE_URL
    assert load({"DATABASE_URL": "postgres://db"}) == {"error": "ValidationError"}


def test_the_example_lists_what_the_code_reads(tmp_path: Path) -> None:
    project = _code_project(tmp_path)
    assert _run("example", "-C", str(project)) == 0
    text = (project / ".env.example").read_text()
    assert "From envcheck.toml and the code" in text and "TEST_ONLY_KEY" not in text
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / ".env.example").write_text(text)
    read_back = load_schema(copy)
    assert read_back is not None
    required = {name: spec.required for name, spec in read_back.keys.items()}
    assert required == {
        "OPENAI_API_KEY": True,
        "VITE_CLIENT_FLAG": True,
        "VITE_BANNER": False,
        "DATABASE_URL": True,
        "HTTP_TIMEOUT": False,
        "FEATURE_X": False,
    }
    assert read_back.keys["VITE_CLIENT_FLAG"].public


def test_the_generated_files_do_not_feed_the_next_run(tmp_path: Path) -> None:
    """The settings class reads keys itself: it must not count as the app's code."""
    project = _code_project(tmp_path)
    for kind in ("settings", "types", "example"):
        assert _run(kind, "-C", str(project)) == 0
    for kind in ("settings", "types", "example"):
        assert _run(kind, "-C", str(project), "--check") == 0


def test_no_code_is_the_schema_alone_and_code_alone_is_enough(tmp_path: Path) -> None:
    project = _code_project(tmp_path)
    assert _run("types", "-C", str(project), "--no-code") == 0
    assert "DATABASE_URL" not in (project / "env.d.ts").read_text()
    (project / "envcheck.toml").unlink()
    assert _run("types", "-C", str(project)) == 0
    text = (project / "env.d.ts").read_text()
    assert "From the code:" in text and '"DATABASE_URL": string;' in text
