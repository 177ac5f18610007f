"""Value-level precision (issue #26), each class from the real-project survey's shape:
a value the project itself ships is no pasted key of the wrong kind (EC308), a placeholder
or an empty slot under a public prefix ships no secret (EC401), and an integration the app
runs without is EC310, not EC306."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.harness import envcheck, repository


def _findings(where: Path, *args: str) -> list[dict[str, Any]]:
    result = envcheck(where, "check", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


def _codes(found: list[dict[str, Any]], code: str) -> set[str]:
    return {f["key"] for f in found if f["code"] == code}


def test_mock_values_the_template_ships_are_no_shape_mismatch(tmp_path: Path) -> None:
    # epic-stack: the template's mock credentials, accepted by the app's mock servers,
    # copied by `cp .env.example .env`; openstatus: a libsql URL of a compose service.
    template = (
        'GITHUB_TOKEN="MOCK_GITHUB_TOKEN"\n'
        'AWS_ACCESS_KEY_ID="mock-access-key"\n'
        'AWS_SECRET_ACCESS_KEY="mock-secret-key"\n'
        "DATABASE_URL=http://libsql:8080\n"
        "OPENAI_API_KEY=\n"
    )
    live = template.replace("OPENAI_API_KEY=", "OPENAI_API_KEY=sess-abcdefghijklmnopqrstuvwx")
    project = repository(
        tmp_path / "app",
        {".env.example": template, ".env": live, "package.json": '{"name": "app"}'},
    )
    found = _findings(project)
    # A developer's paste of the wrong kind is still EC308; the project's own values are not.
    assert _codes(found, "EC308") == {"OPENAI_API_KEY"}, found


def test_a_pasted_value_that_differs_from_the_template_keeps_ec308(tmp_path: Path) -> None:
    project = repository(
        tmp_path / "app",
        {
            ".env.example": 'AWS_ACCESS_KEY_ID="mock-access-key"\n',
            ".env": 'AWS_ACCESS_KEY_ID="my-access-key-from-the-console"\n',
            "package.json": '{"name": "app"}',
        },
    )
    assert _codes(_findings(project), "EC308") == {"AWS_ACCESS_KEY_ID"}


def test_a_placeholder_or_empty_slot_under_a_public_prefix_ships_no_secret(
    tmp_path: Path,
) -> None:
    # polar: NEXT_PUBLIC_STRIPE_KEY="*** REPLACE ***" / "__UNSET__"; hoppscotch: an empty
    # VITE_PROXYSCOTCH_ACCESS_TOKEN (its proxy's token is shipped to the browser by design).
    # A well-known secret key's empty slot under the prefix is still a leak by design.
    env = (
        'NEXT_PUBLIC_STRIPE_KEY="*** REPLACE ***"\n'
        'NEXT_PUBLIC_GITHUB_APP_TOKEN="__UNSET__"\n'
        "NEXT_PUBLIC_PROXY_ACCESS_TOKEN=\n"
        "NEXT_PUBLIC_OPENAI_API_KEY=\n"
        "NEXT_PUBLIC_SESSION_TOKEN=k8Jd0aPq3LmZ9xWv2TtR7yUe\n"
    )
    project = repository(
        tmp_path / "web",
        {".env.local": env, "package.json": '{"name": "web", "dependencies": {"next": "15.0.0"}}'},
    )
    found = [f for f in _findings(project) if f["severity"] != "info"]
    assert _codes(found, "EC401") == {"NEXT_PUBLIC_OPENAI_API_KEY", "NEXT_PUBLIC_SESSION_TOKEN"}


def test_init_then_check_keeps_an_empty_public_slot_quiet(tmp_path: Path) -> None:
    # init guesses `secret = true` from the name; an empty value still ships nothing.
    project = repository(
        tmp_path / "web",
        {
            ".env.example": "VITE_PROXYSCOTCH_ACCESS_TOKEN=\nVITE_BACKEND_URL=http://localhost:3170\n",
            ".env": "VITE_PROXYSCOTCH_ACCESS_TOKEN=\nVITE_BACKEND_URL=http://localhost:3170\n",
            "package.json": '{"name": "web", "devDependencies": {"vite": "5.0.0"}}',
        },
    )
    assert envcheck(project, "init").returncode == 0
    assert "EC401" not in {f["code"] for f in _findings(project)}
    # polar: a `__UNSET__` sentinel init declared secret ships nothing either.
    (project / ".env").write_text("VITE_PROXYSCOTCH_ACCESS_TOKEN=__UNSET__\n")
    assert "EC401" not in {f["code"] for f in _findings(project)}


def test_unconfigured_integration_is_ec310_off_by_default_and_ec306_without_code(
    tmp_path: Path,
) -> None:
    # midday/polar: `cp .env.example .env` leaves <your-client-id> in integrations the app
    # runs without (the code reads them only behind a guard); the key the code needs
    # stays EC306.
    template = (
        "GMAIL_CLIENT_ID=<your-client-id>\n"
        "GMAIL_CLIENT_SECRET=<your-client-secret>\n"
        "STRIPE_SECRET_KEY=<your-stripe-secret-key>\n"
    )
    project = repository(
        tmp_path / "app",
        {
            ".env.example": template,
            ".env": template,
            "package.json": '{"name": "app", "dependencies": {"dotenv": "16.4.0"}}',
            "src/index.js": (
                'require("dotenv").config();\n'
                "const stripe = makeStripe(process.env.STRIPE_SECRET_KEY);\n"
                "if (process.env.GMAIL_CLIENT_ID) {\n"
                "  gmail(process.env.GMAIL_CLIENT_ID, process.env.GMAIL_CLIENT_SECRET || '');\n"
                "}\n"
            ),
        },
    )
    found = _findings(project)
    assert _codes(found, "EC306") == {"STRIPE_SECRET_KEY"}
    assert _codes(found, "EC310") == set()  # off by default
    selected = _findings(project, "--select", "EC306,EC310")
    assert _codes(selected, "EC310") == {"GMAIL_CLIENT_ID", "GMAIL_CLIENT_SECRET"}
    assert all(f["severity"] == "info" for f in selected if f["code"] == "EC310")
    # Without the code, nothing says the app runs without them: today's EC306.
    no_code = _findings(project, "--no-code")
    assert _codes(no_code, "EC306") == {
        "GMAIL_CLIENT_ID",
        "GMAIL_CLIENT_SECRET",
        "STRIPE_SECRET_KEY",
    }


def test_a_typed_key_the_template_ships_empty_is_no_empty_value(tmp_path: Path) -> None:
    # nestjs-boilerplate: `env-example-relational` ships `DATABASE_URL=` empty on purpose
    # (the app builds the connection from DATABASE_HOST/PORT then), `env-example-document`
    # a mongodb URL; the README copies the relational one to .env.  A typed key the
    # developer emptied, unlike the template, is still EC302.
    relational = "DATABASE_TYPE=postgres\nDATABASE_HOST=localhost\nDATABASE_URL=\nPORT=3000\n"
    document = (
        "DATABASE_TYPE=mongodb\nDATABASE_HOST=\nDATABASE_URL=mongodb://mongo:27017\nPORT=3000\n"
    )
    project = repository(
        tmp_path / "api",
        {
            "env-example-relational": relational,
            "env-example-document": document,
            ".env": relational.replace("PORT=3000", "PORT="),
            "package.json": '{"name": "api", "dependencies": {"dotenv": "16.4.0"}}',
        },
    )
    assert _codes(_findings(project), "EC302") == {"PORT"}


def test_a_typed_local_password_the_template_ships_is_no_placeholder(tmp_path: Path) -> None:
    # polar: POLAR_MINIO_PWD=polarpolar and POLAR_AWS_SECRET_ACCESS_KEY=polar123456789 are
    # the bundled MinIO's credentials (the settings' defaults too), copied by the README's
    # cp; the same typed value where the template asks for a real one is still EC306.
    template = "MINIO_PWD=polarpolar\nAWS_SECRET_ACCESS_KEY=polar123456789\nAPP_SECRET=changeme\n"
    project = repository(
        tmp_path / "server",
        {
            ".env.template": template,
            ".env": template.replace("APP_SECRET=changeme", "APP_SECRET=polarpolar"),
            "package.json": '{"name": "server", "dependencies": {"dotenv": "16.4.0"}}',
        },
    )
    assert _codes(_findings(project, "--no-code"), "EC306") == {"APP_SECRET"}
