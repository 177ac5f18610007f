"""envcheck.code reads: each source form -> the exact reads, with the real grammars.

Table-driven like python-dotenv's tests: a snippet, written to a file of a
fresh package, and the (key, kind, form, source, line, col) facts expected.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.code import scan

Row = tuple[str | None, str, str, str, int, int]


def _reads(tmp_path: Path, name: str, source: str) -> list[Row]:
    (tmp_path / name).write_text(source)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert not facts.notes, facts.notes
    return [(r.key, r.kind, r.form, r.source, r.line, r.col) for r in facts.reads]


JS_CASES: list[tuple[str, str, list[Row]]] = [
    (
        "member",
        "const a = process.env.API_KEY;",
        [("API_KEY", "required", "member", "process.env", 1, 11)],
    ),
    (
        "subscript",
        'f(process.env["API_KEY"]);',
        [("API_KEY", "required", "subscript", "process.env", 1, 3)],
    ),
    (
        "template key",
        "f(process.env[`API_KEY`]);",
        [("API_KEY", "required", "subscript", "process.env", 1, 3)],
    ),
    (
        "nullish default",
        'const a = process.env.PORT ?? "3000";',
        [("PORT", "optional", "member", "process.env", 1, 11)],
    ),
    (
        "or default",
        'const a = process.env.PORT || "3000";',
        [("PORT", "optional", "member", "process.env", 1, 11)],
    ),
    (
        "converted then defaulted",
        "const p = Number(process.env.PORT) || 3000;",
        [("PORT", "optional", "member", "process.env", 1, 18)],
    ),
    (
        "tested in if",
        "if (process.env.SENTRY_DSN) init();",
        [("SENTRY_DSN", "optional", "member", "process.env", 1, 5)],
    ),
    (
        "compared",
        'const p = process.env.NODE_ENV === "production";',
        [("NODE_ENV", "optional", "member", "process.env", 1, 11)],
    ),
    ("negated", "if (!process.env.CI) run();", [("CI", "optional", "member", "process.env", 1, 6)]),
    (
        "ternary test",
        'const u = process.env.X ? "a" : "b";',
        [("X", "optional", "member", "process.env", 1, 11)],
    ),
    (
        "non-null is required",
        "const k = process.env.KEY!;",
        [("KEY", "required", "member", "process.env", 1, 11)],
    ),
    (
        "used is required",
        "const k = process.env.KEY.split(',');",
        [("KEY", "required", "member", "process.env", 1, 11)],
    ),
    ("write is not a read", 'process.env.X = "1"; delete process.env.Y;', []),
    (
        "dynamic",
        "const v = process.env[name];",
        [(None, "dynamic", "dynamic", "process.env", 1, 11)],
    ),
    (
        "destructuring",
        'const { A, B = "d", C: c, D: d = "x" } = process.env;',
        [
            ("A", "required", "destructure", "process.env", 1, 9),
            ("B", "optional", "destructure", "process.env", 1, 12),
            ("C", "required", "destructure", "process.env", 1, 21),
            ("D", "optional", "destructure", "process.env", 1, 27),
        ],
    ),
    (
        "import.meta.env",
        "const u = import.meta.env.VITE_API;",
        [("VITE_API", "required", "member", "import.meta.env", 1, 11)],
    ),
    ("vite builtins are not env", "const d = import.meta.env.DEV && import.meta.env.MODE;", []),
    (
        "Deno.env.get",
        'const k = Deno.env.get("DENO_KEY");',
        [("DENO_KEY", "required", "call", "Deno.env", 1, 11)],
    ),
    (
        "Deno.env.get default",
        'const k = Deno.env.get("DENO_KEY") ?? "";',
        [("DENO_KEY", "optional", "call", "Deno.env", 1, 11)],
    ),
    (
        "Bun.env",
        "const k = Bun.env.BUN_KEY;",
        [("BUN_KEY", "required", "member", "Bun.env", 1, 11)],
    ),
    (
        "cast",
        "const k = (process.env as Env).TOKEN;",
        [("TOKEN", "required", "member", "process.env", 1, 11)],
    ),
    (
        "t3-env createEnv",
        'import { createEnv } from "@t3-oss/env-nextjs";\n'
        "export const env = createEnv({\n"
        "  server: { DB_URL: z.string().url(), LOG: z.string().default('info') },\n"
        "  client: { NEXT_PUBLIC_X: z.string().optional() },\n"
        "  runtimeEnv: { DB_URL: process.env.DB_URL, LOG: process.env.LOG },\n"
        "});",
        [
            ("DB_URL", "required", "schema", "t3-env", 3, 13),
            ("LOG", "optional", "schema", "t3-env", 3, 39),
            ("NEXT_PUBLIC_X", "optional", "schema", "t3-env", 4, 13),
        ],
    ),
    (
        "envalid cleanEnv",
        'import { cleanEnv, str, port } from "envalid";\n'
        'const env = cleanEnv(process.env, { API: str(), HOST: str({ default: "" }), '
        "PORT: port({ devDefault: 3000 }) });",
        [
            ("API", "required", "schema", "envalid", 2, 37),
            ("HOST", "optional", "schema", "envalid", 2, 49),
            ("PORT", "required", "schema", "envalid", 2, 77),
        ],
    ),
    (
        "zod parse",
        "const env = z.object({ DB: z.string(), N: z.coerce.number().default(1) })"
        ".parse(process.env);",
        [("DB", "required", "schema", "zod", 1, 24), ("N", "optional", "schema", "zod", 1, 40)],
    ),
    (
        "zod schema const safeParse",
        "const schema = z.object({ SECRET: z.string(), OPT: z.string().optional() });\n"
        "const parsed = schema.safeParse(process.env);",
        [
            ("SECRET", "required", "schema", "zod", 1, 27),
            ("OPT", "optional", "schema", "zod", 1, 47),
        ],
    ),
    (
        "SvelteKit static",
        "import { DB_URL, API_KEY as key } from '$env/static/private';\n"
        "import { PUBLIC_X } from '$env/static/public';",
        [
            ("DB_URL", "required", "import", "$env/static/private", 1, 10),
            ("API_KEY", "required", "import", "$env/static/private", 1, 18),
            ("PUBLIC_X", "required", "import", "$env/static/public", 2, 10),
        ],
    ),
    (
        "SvelteKit dynamic",
        "import { env } from '$env/dynamic/private';\nconst k = env.SECRET ?? '';",
        [("SECRET", "optional", "member", "$env/dynamic/private", 2, 11)],
    ),
]


@pytest.mark.parametrize(("label", "source", "expected"), JS_CASES, ids=[c[0] for c in JS_CASES])
def test_js_read_forms(tmp_path: Path, label: str, source: str, expected: list[Row]) -> None:
    assert _reads(tmp_path, "index.ts", source) == expected


def test_dynamic_read_keeps_the_fixed_prefix(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("const v = process.env[`NEXT_PUBLIC_${name}`];\n")
    (read,) = scan(tmp_path, root=tmp_path, use_cache=False).reads
    assert (read.key, read.kind, read.pattern) == (None, "dynamic", "NEXT_PUBLIC_*")


PY_CASES: list[tuple[str, str, list[Row]]] = [
    (
        "environ subscript",
        'import os\nX = os.environ["DB_URL"]',
        [("DB_URL", "required", "subscript", "os.environ", 2, 5)],
    ),
    (
        "environ.get",
        'import os\nX = os.environ.get("DB_URL")',
        [("DB_URL", "required", "call", "os.environ", 2, 5)],
    ),
    (
        "environ.get default",
        'import os\nX = os.environ.get("DB_URL", "sqlite://")',
        [("DB_URL", "optional", "call", "os.environ", 2, 5)],
    ),
    (
        "getenv",
        'import os\nX = os.getenv("TOKEN")',
        [("TOKEN", "required", "call", "os.getenv", 2, 5)],
    ),
    (
        "getenv default",
        'import os\nX = os.getenv("TOKEN", "")',
        [("TOKEN", "optional", "call", "os.getenv", 2, 5)],
    ),
    (
        "getenv or",
        'import os\nX = os.getenv("TOKEN") or "x"',
        [("TOKEN", "optional", "call", "os.getenv", 2, 5)],
    ),
    (
        "from os import",
        'from os import environ, getenv\nA = environ["A"]\nB = getenv("B", "b")',
        [
            ("A", "required", "subscript", "os.environ", 2, 5),
            ("B", "optional", "call", "os.getenv", 3, 5),
        ],
    ),
    (
        "membership",
        'import os\nif "FLAG" in os.environ:\n    pass',
        [("FLAG", "optional", "subscript", "os.environ", 2, 4)],
    ),
    (
        "write is not a read",
        'import os\nos.environ["X"] = "1"\nos.environ.setdefault("Y", "2")',
        [],
    ),
    (
        "dynamic",
        "import os\nX = os.environ[name]",
        [(None, "dynamic", "dynamic", "os.environ", 2, 5)],
    ),
    (
        "django-environ",
        "import environ\nenv = environ.Env(DEBUG=(bool, False))\n"
        "D = env('DEBUG')\nS = env('SECRET_KEY')\n"
        "B = env.bool('FAST', default=True)\nDB = env.db()\nH = env.list('HOSTS', default=[])",
        [
            ("DEBUG", "optional", "call", "django-environ", 3, 5),
            ("SECRET_KEY", "required", "call", "django-environ", 4, 5),
            ("FAST", "optional", "call", "django-environ", 5, 5),
            ("DATABASE_URL", "required", "call", "django-environ", 6, 6),
            ("HOSTS", "optional", "call", "django-environ", 7, 5),
        ],
    ),
    ("an env() not django-environ's", "def env(x):\n    return x\nA = env('A')", []),
]


@pytest.mark.parametrize(("label", "source", "expected"), PY_CASES, ids=[c[0] for c in PY_CASES])
def test_python_read_forms(tmp_path: Path, label: str, source: str, expected: list[Row]) -> None:
    assert _reads(tmp_path, "settings.py", source) == expected


def test_required_keys_and_reads_of(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("process.env.A; process.env.B ?? 1; process.env.A || 2;\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert facts.required_keys() == ("A",)
    assert [(r.kind, r.col) for r in facts.reads_of("A")] == [("required", 1), ("optional", 36)]
    assert facts.keys() == ("A", "B")
