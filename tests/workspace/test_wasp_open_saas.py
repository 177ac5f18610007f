"""A Wasp app nested in a repository that declares nothing: wasp-lang/open-saas.

open-saas keeps its app in ``template/app`` (``main.wasp.ts``, ``.wasproot``, a
package.json with no scripts and ``workspaces`` over Wasp's generated ``.wasp/out/*``,
``.env.server.example`` and ``.env.client.example``); the root has a package.json with
lint scripts only.  Its getting started: ``cp .env.server.example .env.server``, then
``wasp start``.  Checked at the root, envcheck used to say "0 files, 3 keys read in code":
``template/`` is a template folder, and the app, detected as Vite (it lists ``vite``),
read no file Wasp reads and took the client's template as its whole schema.

Now: the Wasp app is found from the root (:func:`envcheck.workspace.markers.undeclared_apps`),
checked with the ``wasp`` profile (``.env.server`` for the server, ``.env.client`` for the
client), and both templates are its schema.  The fixture is the real shape, cut down; the
CLI runs on a real git repository in ``tmp_path``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from envcheck.workspace import markers
from tests.harness import clone as project
from tests.harness import isolated_json as envcheck

ROOT_PACKAGE = {
    "name": "wasp-repo",
    "type": "module",
    "scripts": {"lint": "eslint .", "prettier:check": "prettier --check ."},
    "devDependencies": {"eslint": "^9.39.4", "prettier": "3.8.1", "typescript": "5.9.3"},
}
APP_PACKAGE = {
    "name": "opensaas",
    "type": "module",
    "workspaces": [".wasp/out/*", ".wasp/out/sdk/wasp"],
    "dependencies": {"react": "^19.2.1", "stripe": "18.1.0", "zod": "^4.3.6"},
    "devDependencies": {"@wasp.sh/spec": "file:.wasp/spec", "prisma": "5.19.1", "vite": "^8.1.0"},
}
MAIN_WASP_TS = """import { app } from "@wasp.sh/spec";
import { serverEnvValidationSchema } from "./src/env" with { type: "ref" };

export default app({
  name: "OpenSaaS",
  wasp: { version: "^0.25.0" },
  server: { envValidationSchema: serverEnvValidationSchema },
});
"""
SERVER_TEMPLATE = """# NOTE: you can let Wasp set up your Postgres DB by running `wasp start db`.
# If you use `wasp start db` then you DO NOT need to add a DATABASE_URL env variable here.
# DATABASE_URL=

# For testing, get a test stripe key that starts with "sk_test_...".
STRIPE_API_KEY=sk_test_...
STRIPE_WEBHOOK_SECRET=whsec_...

# If using Stripe, go to https://dashboard.stripe.com/test/products.
PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID=012345
PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID=012345

# Set this as a comma-separated list of emails you want to give admin privileges to.
ADMIN_EMAILS=me@example.com,you@example.com

# Get your sendgrid api key at https://app.sendgrid.com/settings/api_keys.
SENDGRID_API_KEY=test...

# (OPTIONAL) Get your openai api key at https://platform.openai.com/account.
OPENAI_API_KEY=sk-k...

# (OPTIONAL) Get your aws s3 credentials at https://console.aws.amazon.com.
AWS_S3_IAM_ACCESS_KEY=ACK...
AWS_S3_REGION=your-region
"""
CLIENT_TEMPLATE = """# All client-side env vars must start with REACT_APP_ https://wasp.sh/docs/project/env-vars

# See https://docs.opensaas.sh/guides/analytics/#google-analytics
REACT_APP_GOOGLE_ANALYTICS_ID=G-...
"""
REQUIRED_SERVER_KEYS = {
    "STRIPE_API_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID",
    "PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID",
    "ADMIN_EMAILS",
    "SENDGRID_API_KEY",
}
# `cp .env.server.example .env.server`, every value replaced by a fake of the same shape
FILLED_SERVER = (
    SERVER_TEMPLATE.replace("sk_test_...", "sk_test_51Qm9x3Zt7Lp2Vw8Rk5Nc1Hd6Jf4Sg0Ya9Tb")
    .replace("whsec_...", "whsec_8f2k1m9q3z7x5c4v6b0n2m8l1k3j5h7g")
    .replace("012345", "price_1PqR7sT2uV3wX4yZ5aB6cD7e")
    .replace("me@example.com,you@example.com", "alice@acme-saas.io,bob@acme-saas.io")
    .replace("test...", "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")
    .replace("sk-k...", "sk-proj-Zq8Wm3Xr7Tn2Vb5Lc9Kd4Hf6Jg1Sa0Ye")
    .replace("ACK...", "AKIAYXV2KGAFRFW0H9NY")
    .replace("your-region", "eu-central-1")
)
FILLED_CLIENT = CLIENT_TEMPLATE.replace("G-...", "G-7QX2LMN5PK")


def _open_saas(tmp_path: Path, untracked: dict[str, str] | None = None) -> Path:
    return project(
        tmp_path / "open-saas",
        {
            "package.json": json.dumps(ROOT_PACKAGE, indent=2),
            ".gitignore": "node_modules/\n.DS_Store\ntemplate/app/migrations\n",
            "README.md": "wasp new -t saas\n",
            "CONTRIBUTING.md": "Get the app in template/app/ running (`wasp start`).\n",
            "template/.gitignore": ".env\n.env.*\n!.env.example\n!.env.*.example\n",
            "template/app/.wasproot": "File marking the root of Wasp project.\n",
            "template/app/main.wasp.ts": MAIN_WASP_TS,
            "template/app/package.json": json.dumps(APP_PACKAGE, indent=2),
            "template/app/.gitignore": "node_modules/\n.wasp/\n",
            "template/app/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n',
            "template/app/.env.server.example": SERVER_TEMPLATE,
            "template/app/.env.client.example": CLIENT_TEMPLATE,
            "template/app/src/env.ts": (
                'import { defineEnvValidationSchema } from "wasp/env";\n'
                'import * as z from "zod";\n\n'
                "export const serverEnvValidationSchema = defineEnvValidationSchema(\n"
                "  z.object({ STRIPE_API_KEY: z.string() }),\n);\n"
            ),
            # the server reads its keys through Wasp's validated env object
            "template/app/src/payment/stripe/stripeClient.ts": (
                'import Stripe from "stripe";\nimport { env } from "wasp/server";\n\n'
                "export const stripeClient = new Stripe(env.STRIPE_API_KEY, {});\n"
            ),
            "template/app/src/client/components/cookie-consent/Config.ts": (
                "export const ga = () => import.meta.env.REACT_APP_GOOGLE_ANALYTICS_ID;\n"
            ),
            # the other folders of the repository: patches and scripts, no app
            "template-test/app_diff/.env.vault.diff": "--- a/.env.vault\n+++ b/.env.vault\n",
            "opensaas-sh/app_diff/.env.client.diff": "+REACT_APP_GOOGLE_ANALYTICS_ID=G-1\n",
            "opensaas-sh/blog/package.json": json.dumps(
                {"name": "blog", "scripts": {"dev": "astro dev"}, "dependencies": {"astro": "5"}}
            ),
            "tools/dope.sh": "#!/bin/sh\ndiff -ruN template/app opensaas-sh/app\n",
        },
        untracked=untracked,
    )


def _found(document: dict[str, Any] | None, code: str) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in (document or {}).get("findings", []) if f["code"] == code}


def _apps(document: dict[str, Any] | None) -> list[tuple[str, str]]:
    return [(a["path"], a["framework"]) for a in (document or {}).get("apps", [])]


def test_a_fresh_clone_checks_the_wasp_app_from_the_root(tmp_path: Path) -> None:
    root = _open_saas(tmp_path)
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 1, stderr
    assert _apps(document) == [("template/app", "wasp")]
    assert (document or {})["workspace"]["kind"] == markers.NESTED
    missing = _found(document, "EC301")
    # every required key of both templates; the (OPTIONAL) sections ask for nothing
    assert set(missing) == REQUIRED_SERVER_KEYS | {"REACT_APP_GOOGLE_ANALYTICS_ID"}
    stripe = missing["STRIPE_API_KEY"]
    assert (stripe["path"], stripe["line"]) == ("template/app/.env.server.example", 6)
    assert stripe["hint"] == "add STRIPE_API_KEY=… to .env.server"
    assert [r["label"] for r in stripe["related"]] == ["read here"]
    ga = missing["REACT_APP_GOOGLE_ANALYTICS_ID"]
    assert ga["path"] == "template/app/.env.client.example"
    assert ga["hint"] == "add REACT_APP_GOOGLE_ANALYTICS_ID=… to .env.client"
    assert "matches no folder" not in stderr  # .wasp/out/* declares no workspace


def test_the_server_file_the_readme_copies_is_what_the_server_reads(tmp_path: Path) -> None:
    root = _open_saas(tmp_path, untracked={"template/app/.env.server": FILLED_SERVER})
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert _apps(document) == [("template/app", "wasp")], stderr
    found = [(f["code"], f.get("key")) for f in (document or {}).get("findings", [])]
    # only the client's key is left, and it belongs in .env.client (the server's file
    # never reaches the browser)
    assert found == [("EC301", "REACT_APP_GOOGLE_ANALYTICS_ID")]
    ga = _found(document, "EC301")["REACT_APP_GOOGLE_ANALYTICS_ID"]
    assert ga["path"] == "template/app/.env.client.example"
    assert ga["hint"] == "add REACT_APP_GOOGLE_ANALYTICS_ID=… to .env.client"
    assert code == 1

    code, explained, stderr = envcheck(root, "explain", "--format", "json")
    assert code == 0, stderr
    (app,) = (explained or {})["apps"]
    document = app["document"]
    assert (document["framework"], document["mode"]) == ("wasp", "development")
    assert document["files"] == ["template/app/.env.server"]
    stripe = document["keys"]["STRIPE_API_KEY"]
    assert (stripe["source"], stripe["line"]) == ("template/app/.env.server", 6)
    (read,) = stripe["read_at"]  # `env.STRIPE_API_KEY` of `import { env } from "wasp/server"`
    assert (read["path"], read["line"]) == ("template/app/src/payment/stripe/stripeClient.ts", 4)


def test_both_files_set_up_leave_nothing_to_say(tmp_path: Path) -> None:
    root = _open_saas(
        tmp_path,
        untracked={
            "template/app/.env.server": FILLED_SERVER,
            "template/app/.env.client": FILLED_CLIENT,
        },
    )
    code, document, stderr = envcheck(root, "check", "--format", "json")
    assert code == 0, stderr
    assert (document or {}).get("findings") == []
    (app,) = (document or {})["apps"]
    assert app["files"] == ["template/app/.env.server", "template/app/.env.client"]


def test_inside_the_app_it_is_one_wasp_project(tmp_path: Path) -> None:
    root = _open_saas(tmp_path, untracked={"template/app/.env.server": FILLED_SERVER})
    code, document, stderr = envcheck(root / "template" / "app", "check", "--format", "json")
    assert "apps" not in (document or {}), stderr  # no npm workspace of .wasp/out/*
    assert (document or {})["framework"] == "wasp"
    assert set(_found(document, "EC301")) == {"REACT_APP_GOOGLE_ANALYTICS_ID"}
    assert code == 1


def test_only_a_wasp_app_is_taken_below_a_template_folder(tmp_path: Path) -> None:
    # an example's Wasp app, a test bed's, and a Vite app below template/: none is the app
    root = _open_saas(tmp_path)
    for folder, files in {
        "examples/todo": {".wasproot": "", ".env.server.example": "A=1\n"},
        "template-test/app": {".wasproot": "", ".env.server.example": "A=1\n"},
        "template/web": {
            "package.json": '{"scripts": {"dev": "vite"}, "devDependencies": {"vite": "8"}}',
            ".env.example": "VITE_A=1\n",
        },
    }.items():
        for name, text in files.items():
            (root / folder).mkdir(parents=True, exist_ok=True)
            (root / folder / name).write_text(text, encoding="utf-8")
    assert markers.undeclared_apps(root) == ["template/app"]


def test_init_drafts_both_templates_and_a_client_key_is_not_sent_to_the_server_file(
    tmp_path: Path,
) -> None:
    root = _open_saas(tmp_path, untracked={"template/app/.env.server": FILLED_SERVER})
    app = root / "template" / "app"
    code, _, stderr = envcheck(app, "init")
    assert code == 0, stderr
    assert "from .env.server.example, .env.client.example" in stderr
    config = (app / "envcheck.toml").read_text(encoding="utf-8")
    assert "[keys.STRIPE_API_KEY]" in config and "[keys.REACT_APP_GOOGLE_ANALYTICS_ID]" in config
    code, document, stderr = envcheck(app, "check", "--format", "json")
    ga = _found(document, "EC301")["REACT_APP_GOOGLE_ANALYTICS_ID"]
    # no template says which file: the schema line, never the server's file
    assert ga["path"] == "envcheck.toml", stderr
    assert ga["hint"] == "add REACT_APP_GOOGLE_ANALYTICS_ID=… to the app’s env file"
