"""Reads the code says it needs (``EnvRead.asserted``): EC901 for those, EC906 for the rest.

Nine public projects this tool had never seen (docs/survey.md, stop 34) printed 542 EC901
findings for plain reads -- ``process.env.X`` handed to a client, an options object, a
settings page -- of which 45 were real; where the code itself insisted on the value (a
validator's required key, a non-null ``!``, a use that throws on ``undefined``) 24 of 36
were.  So a plain read nothing sets is EC906, off by default, and EC901 keeps the reads
the code asserts.  Each shape here comes from those projects.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.code import scan
from tests.harness import envcheck, findings, isolated, write_project

NEXT = '{"name": "app", "private": true, "dependencies": {"next": "15.0.0"}}'


def _asserted(tmp_path: Path, name: str, source: str) -> dict[str | None, bool]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert not facts.notes, facts.notes
    return {r.key: r.asserted for r in facts.reads if r.kind == "required"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # TypeScript's non-null: the author says it is there.
        ("export const k = process.env.STRIPE_SECRET_KEY!;\n", True),
        # A member of the value itself throws on undefined.
        ('export const hosts = process.env.ALLOWED_HOSTS.split(",");\n', True),
        # A call that throws on undefined.
        ("export const n = new URL(process.env.API_URL);\n", True),
        ("export const cfg = JSON.parse(process.env.FEATURE_FLAGS);\n", True),
        # SDK clients whose constructor throws without their key, as the module loads.
        (
            'import OpenAI from "openai";\n'
            "export const ai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n",
            True,
        ),
        (
            'import Stripe from "stripe";\nexport const s = new Stripe(process.env.STRIPE_KEY);\n',
            True,
        ),
        # Built in a constructor (a provider class a switch elsewhere picks): the client's
        # error stops only that feature, as a throw inside a function does.
        (
            'import OpenAI from "openai";\n'
            "export class ApiPieProvider {\n  constructor() {\n"
            "    this.client = new OpenAI({ apiKey: process.env.APIPIE_API_KEY });\n  }\n}\n",
            False,
        ),
        # ... but a function called as the module loads is the load.
        (
            'import OpenAI from "openai";\n'
            "function make() {\n  return new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n}\n"
            "export const ai = make();\n",
            True,
        ),
        # A module-level test that throws without it, through an alias.
        ("const k = process.env.JWT_SECRET;\nif (!k) throw new Error('JWT_SECRET');\n", True),
        # Plain reads: handed on, nothing said.
        ("export const host = process.env.SMTP_HOST;\n", False),
        ("export const settings = { llm: process.env.LLM_PROVIDER };\n", False),
        ("export const n = Number(process.env.POOL_SIZE);\n", False),
        # An SDK that does not throw at construction (Anthropic reads its key per request).
        (
            'import Anthropic from "@anthropic-ai/sdk";\n'
            "export const c = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n",
            False,
        ),
        # A same-named option of a client that does not throw for it.
        (
            'import { Client } from "x-sdk";\n'
            "export const c = new Client({ apiKey: process.env.X_API_KEY });\n",
            False,
        ),
    ],
)
def test_what_a_javascript_read_says(tmp_path: Path, source: str, expected: bool) -> None:
    reads = _asserted(tmp_path, "src/env.ts", source)
    assert len(reads) == 1, reads
    assert next(iter(reads.values())) is expected


def test_an_envalid_schema_bound_to_a_constant_is_the_codes_statement(tmp_path: Path) -> None:
    """novu's ``env.validators.ts``: ``cleanEnv(process.env, envValidators)`` with the specs a
    module constant (``satisfies Record<...>``): its keys without a default are required and
    asserted, as an inline object's are; a key with a default is optional."""
    source = (
        'import { str, port, cleanEnv } from "envalid";\n'
        "export function validateEnv() {\n  return cleanEnv(process.env, envValidators);\n}\n"
        "export const envValidators = {\n"
        "  PORT: port(),\n  JWT_SECRET: str(),\n  TZ: str({ default: 'UTC' }),\n"
        "} satisfies Record<string, unknown>;\n"
    )
    path = tmp_path / "src/config/env.validators.ts"
    path.parent.mkdir(parents=True)
    path.write_text(source)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    kinds = {r.key: (r.kind, r.form, r.asserted) for r in facts.reads}
    assert kinds == {
        "PORT": ("required", "schema", True),
        "JWT_SECRET": ("required", "schema", True),
        "TZ": ("optional", "schema", False),
    }


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('import os\nKEY = os.environ["SECRET_KEY"]\n', {"SECRET_KEY": True}),
        ('import os\nKEY = os.getenv("SECRET_KEY")\n', {"SECRET_KEY": False}),
        ('import environ\nenv = environ.Env()\nKEY = env("SECRET_KEY")\n', {"SECRET_KEY": True}),
        # gpt-researcher's provider branches and retrievers: the KeyError stops only the
        # provider the config picks, not the app's start
        (
            "import os\ndef chat(provider):\n    if provider == 'deepseek':\n"
            "        return os.environ['DEEPSEEK_API_KEY']\n",
            {"DEEPSEEK_API_KEY": False},
        ),
        (
            "import os\nclass Google:\n    def key(self):\n"
            "        return os.environ['GOOGLE_API_KEY']\n",
            {"GOOGLE_API_KEY": False},
        ),
        # ...unless the module calls the function as it loads
        (
            "import os\ndef key():\n    return os.environ['SECRET_KEY']\nKEY = key()\n",
            {"SECRET_KEY": True},
        ),
    ],
)
def test_what_a_python_read_says(tmp_path: Path, source: str, expected: dict[str, bool]) -> None:
    """``os.environ["X"]`` raises KeyError and django-environ's ``env("X")``
    ImproperlyConfigured: the code says so where it runs as the module loads; in a
    function only what calls it stops; ``os.getenv`` returns None by design."""
    assert _asserted(tmp_path, "app/settings.py", source) == expected


# wger's settings/main.py: `os` from `from .settings_global import *`, features switched by
# another key or a module constant read from one
_WGER_SETTINGS = """\
import environ
from .settings_global import *
env = environ.Env(DJANGO_DEBUG=(bool, False))
if os.environ.get('DJANGO_ADMINS'):
    ADMINS = [env.tuple('DJANGO_ADMINS')]
if os.environ.get('PS_DATABASE_URI'):
    DATABASES = {'default': env.db_url('PS_DATABASE_URI')}
else:
    DATABASES = {'default': {'ENGINE': env.str('DJANGO_DB_ENGINE')}}
if env.bool('ENABLE_EMAIL', False):
    EMAIL_HOST = env.str('EMAIL_HOST')
USE_S3_MEDIA_FILES = env.bool('USE_S3_MEDIA_FILES', False)
USE_S3_STATIC_FILES = env.bool('USE_S3_STATIC_FILES', False)
if USE_S3_MEDIA_FILES or USE_S3_STATIC_FILES:
    AWS_ACCESS_KEY_ID = env.str('AWS_ACCESS_KEY_ID')
if 'DJANGO_CACHE_CLIENT_SSL_KEYFILE' in os.environ:
    KEYFILE = env.str('DJANGO_CACHE_CLIENT_SSL_KEYFILE')
"""


def test_a_settings_read_under_a_feature_switch_is_that_features(tmp_path: Path) -> None:
    """Only the database engine is needed as the settings load: every other strict read
    runs where its own key, another key's switch or a constant read from one is set; the
    engine is the branch taken where PS_DATABASE_URI is not."""
    assert _asserted(tmp_path, "settings/main.py", _WGER_SETTINGS) == {"DJANGO_DB_ENGINE": True}


def test_check_reports_an_asserted_read_and_lists_a_plain_one_only_when_asked(
    tmp_path: Path,
) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            "lib/clients.ts": (
                'import OpenAI from "openai";\n'
                "export const ai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });\n"
                "export const mail = { host: process.env.SMTP_HOST };\n"
            ),
        },
    )
    default = findings(envcheck(project, "check", "--format", "json"))
    assert [(f["code"], f["key"]) for f in default] == [("EC901", "OPENAI_API_KEY")]
    asked = findings(envcheck(project, "check", "--format", "json", "--select", "EC906"))
    assert [(f["code"], f["key"], f["severity"]) for f in asked] == [
        ("EC906", "SMTP_HOST", "warning")
    ]
    assert "does not say it needs it" in asked[0]["message"]
    # With no template and no env file, init drafts from the reads what check judges: the
    # asserted key required, the plain one not (so init then check changes nothing).
    assert envcheck(project, "init").returncode == 0
    drafted = (project / "envcheck.toml").read_text()
    for key, required in (("OPENAI_API_KEY", "true"), ("SMTP_HOST", "false")):
        section = drafted.partition(f"[keys.{key}]")[2].partition("[keys.")[0]
        assert f"required = {required}" in section, (key, drafted)


def test_a_module_level_falsy_test_that_throws_rejects_the_empty_value(tmp_path: Path) -> None:
    """nextcrm's ``lib/minio.ts``: ``if (!process.env.MINIO_ACCESS_KEY) throw`` as the module
    loads, beside a template that ships ``MINIO_ACCESS_KEY=`` empty: the copy left empty is
    no "I do not use this one" (EC302), the app cannot start.  A test with ``=== undefined``
    lets ``""`` through, and says nothing about it."""
    path = tmp_path / "lib" / "minio.ts"
    path.parent.mkdir(parents=True)
    path.write_text(
        'if (!process.env.MINIO_ACCESS_KEY) throw new Error("MINIO_ACCESS_KEY");\n'
        'if (process.env.MINIO_BUCKET === undefined) throw new Error("MINIO_BUCKET");\n'
        "export const c = { key: process.env.MINIO_ACCESS_KEY, b: process.env.MINIO_BUCKET };\n"
    )
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    said = {(r.key, r.line): (r.asserted, r.rejects_empty) for r in facts.reads}
    assert said[("MINIO_ACCESS_KEY", 1)] == (True, True)  # the test itself is the need
    assert said[("MINIO_BUCKET", 2)] == (True, False)


def test_check_reports_an_empty_copy_of_a_key_the_code_refuses_empty(tmp_path: Path) -> None:
    project = write_project(
        tmp_path,
        {
            "package.json": NEXT,
            ".env.local.example": "MINIO_ACCESS_KEY=\nANALYTICS_ID=\n",
            ".env.local": "MINIO_ACCESS_KEY=\nANALYTICS_ID=\n",
            "lib/minio.ts": (
                'if (!process.env.MINIO_ACCESS_KEY) throw new Error("MINIO_ACCESS_KEY");\n'
                "export const key = process.env.MINIO_ACCESS_KEY;\n"
                "export const id = process.env.ANALYTICS_ID ?? null;\n"
            ),
        },
    )
    found = findings(envcheck(project, "check", "--format", "json"))
    assert [(f["code"], f["key"]) for f in found] == [("EC302", "MINIO_ACCESS_KEY")]


# mem0's mem0-ts/src/oss/examples/vector-stores/redis.ts: a demo that skips without its key.
MEM0_REDIS = """\
export async function demoRedis() {
  const memory = new Memory({
    vectorStore: {
      provider: "redis",
      config: {
        redisUrl: process.env.REDIS_URL || "redis://localhost:6379",
        username: process.env.REDIS_USERNAME,
      },
    },
  });
  await runTests(memory);
}

if (require.main === module) {
  if (!process.env.REDIS_URL) {
    console.log("\\nSkipping Redis test - environment variables not set");
    process.exit(0);
  }
  demoRedis();
}
"""


def _reads(tmp_path: Path, name: str, source: str) -> list[tuple[str | None, str, bool, bool]]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert not facts.notes, facts.notes
    return [(r.key, r.kind, r.asserted, r.rejects_empty) for r in facts.reads]


@pytest.mark.parametrize(
    ("exit", "fails"),
    [
        ("process.exit(0);", False),  # a success: the demo skips
        ("process.exit();", False),  # exit code 0 too
        ("Deno.exit(0);", False),
        ("process.exit(1);", True),
        ("process.exit(code);", True),  # a code not known here: taken as a failure
        ('throw new Error("REDIS_URL");', True),
    ],
)
def test_only_an_exit_that_fails_makes_the_tested_key_the_apps_need(
    tmp_path: Path, exit: str, fails: bool
) -> None:
    """``if (!process.env.REDIS_URL) { console.log("Skipping ..."); process.exit(0); }``
    stops the program as a success without the key: the code copes, as an early
    ``return`` does.  Only a throw or a failing exit makes the key required, asserted and
    refusing ``REDIS_URL=``."""
    reads = _reads(tmp_path, "src/redis.ts", MEM0_REDIS.replace("process.exit(0);", exit))
    tested = [r for r in reads if r[0] == "REDIS_URL" and r[1] != "optional"]
    if fails:
        assert tested == [("REDIS_URL", "required", True, True)], reads
    else:
        assert tested == [], reads
        assert not any(asserted for _, _, asserted, _ in reads), reads


def test_a_function_that_returns_without_its_key_does_not_need_it(tmp_path: Path) -> None:
    source = (
        "async function main() {\n"
        "  if (!process.env.MEM0_API_KEY) {\n"
        '    console.log("Skipping the hosted test");\n    return;\n  }\n'
        "  await run(process.env.MEM0_API_KEY);\n}\nmain();\n"
    )
    assert _reads(tmp_path, "src/hosted.ts", source) == [
        ("MEM0_API_KEY", "optional", False, False),
        ("MEM0_API_KEY", "optional", False, False),
    ]


@pytest.mark.parametrize(
    ("exit", "kind"),  # the kind of the test's read; the read after it is guarded by it
    [
        ("sys.exit(0)", "optional"),
        ("sys.exit()", "optional"),
        ("sys.exit(1)", "required"),
        ('sys.exit("REDIS_URL is not set")', "required"),  # a message: exit status 1
    ],
)
def test_a_python_script_that_exits_successfully_without_its_key(
    tmp_path: Path, exit: str, kind: str
) -> None:
    source = (
        "import os\nimport sys\n\n"
        'if not os.environ.get("REDIS_URL"):\n'
        '    print("Skipping the Redis demo")\n'
        f"    {exit}\n"
        'URL = os.environ["REDIS_URL"]\n'
    )
    reads = _reads(tmp_path, "app/demo.py", source)
    assert [k for _, k, _, _ in reads] == [kind, "optional"], reads  # the test, the use


# assafelovic/gpt-researcher frontend/nextjs/app/layout.tsx
GPT_RESEARCHER_LAYOUT = """\
import { GoogleAnalytics } from "@next/third-parties/google";

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <html lang="en">
      <head>
        <GoogleAnalytics gaId={process.env.NEXT_PUBLIC_GA_MEASUREMENT_ID!} />
      </head>
      <body>{children}</body>
    </html>
  );
}
"""


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        # rendered when a request comes: the `!` quiets the compiler, an undefined prop
        # renders nothing
        ("app/layout.tsx", GPT_RESEARCHER_LAYOUT, False),
        (
            "lib/providers.ts",
            "export const build = () => ({ clientId: process.env.GITLAB_CLIENT_ID! });\n",
            False,
        ),
        # as the module loads: the author states what the app starts with
        ("lib/url.ts", "export const url = process.env.APP_URL!;\n", True),
        (
            "lib/stripe.ts",
            'import Stripe from "stripe";\n'
            "export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n",
            True,
        ),
        (
            "lib/main.ts",
            "function start() {\n  return connect(process.env.DATABASE_URL!);\n}\nstart();\n",
            True,
        ),
        # in a function, a use of the value that throws on undefined still says so
        (
            "lib/hosts.ts",
            'export function hosts() {\n  return process.env.ALLOWED_HOSTS!.split(",");\n}\n',
            True,
        ),
    ],
)
def test_a_non_null_assertion_insists_only_as_the_module_loads(
    tmp_path: Path, name: str, source: str, expected: bool
) -> None:
    reads = _asserted(tmp_path, name, source)
    assert len(reads) == 1, reads
    assert next(iter(reads.values())) is expected


def test_check_leaves_a_rendered_non_null_read_to_ec906(tmp_path: Path) -> None:
    project = write_project(
        tmp_path, {"package.json": NEXT, "app/layout.tsx": GPT_RESEARCHER_LAYOUT}
    )
    default = findings(isolated(project, "check", "--format", "json"))
    assert [f["key"] for f in default if f["code"] == "EC901"] == []
    asked = findings(isolated(project, "check", "--format", "json", "--select", "EC906"))
    assert [(f["code"], f["key"]) for f in asked] == [("EC906", "NEXT_PUBLIC_GA_MEASUREMENT_ID")]
