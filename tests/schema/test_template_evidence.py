"""What a template's own text says about a value (issue #26), each class from the
real-project survey's shape: the template's mock value copied by the README in a workspace
(EC308), a URL's format field the app fills in, a value the template says works as it is,
a key the template says the app never reads (EC306), and a key the template says to leave
empty (EC301)."""

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


def _keys(found: list[dict[str, Any]], code: str) -> set[str]:
    return {f["key"] for f in found if f["code"] == code}


_PACKAGE = '{"name": "app"}'


def test_the_root_templates_mock_value_in_a_workspace_app_is_no_shape_mismatch(
    tmp_path: Path,
) -> None:
    # shelf.nu: `cp .env.example .env` at the monorepo root; apps/webapp loads it through
    # Vite's envDir "../..", so the template is outside the app's folder.  Its
    # STRIPE_SECRET_KEY="stripe-secret-key" is the project's own value; a pasted key of the
    # wrong kind (OPENAI_API_KEY) still is EC308.
    template = 'STRIPE_SECRET_KEY="stripe-secret-key"\nOPENAI_API_KEY=\n'
    live = template.replace("OPENAI_API_KEY=", "OPENAI_API_KEY=sess-abcdefghijklmnopqrstuvwx")
    project = repository(
        tmp_path / "shelf",
        {
            "package.json": '{"name": "shelf", "private": true}',
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n",
            ".env.example": template,
            ".env": live,
            "apps/webapp/package.json": '{"name": "webapp", "devDependencies": {"vite": "5.0.0"}}',
            "apps/webapp/vite.config.ts": 'export default { envDir: "../.." };\n',
        },
    )
    found = _findings(project)
    assert _keys(found, "EC308") == {"OPENAI_API_KEY"}, found


def test_a_format_field_in_a_urls_path_is_no_placeholder(tmp_path: Path) -> None:
    # polar: POLAR_CHECKOUT_BASE_URL ends in /{client_secret}/redirect, which the server
    # fills in with str.format; {HOST} / {USER} standing for a part of the URL still are.
    env = (
        'CHECKOUT_BASE_URL="http://127.0.0.1:8000/v1/checkout-links/{client_secret}/redirect"\n'
        'DATABASE_URL="postgres://{USER}:{PASSWORD}@{HOST}:6543/{DB_NAME}"\n'
    )
    project = repository(
        tmp_path / "app", {".env": env, ".env.example": env, "package.json": _PACKAGE}
    )
    assert _keys(_findings(project), "EC306") == {"DATABASE_URL"}


def test_a_value_the_template_says_works_as_it_is_is_no_placeholder(tmp_path: Path) -> None:
    # kentcdodds.com: SESSION_SECRET=anything_works_here ("Any value can be used locally,
    # but it must be set"); the same words in the key's paragraph speak for its value.
    template = (
        "# Feature: authentication\n"
        "SESSION_SECRET=anything_works_here\n"
        "\n"
        "# Any value can be used locally\n"
        "COOKIE_SECRET=replace-me\n"
        "\n"
        "GITHUB_TOKEN=your-github-token\n"
    )
    project = repository(
        tmp_path / "site", {".env.example": template, ".env": template, "package.json": _PACKAGE}
    )
    found = _findings(project)
    assert _keys(found, "EC306") | _keys(found, "EC310") == {"GITHUB_TOKEN"}, found


def test_a_key_the_template_says_the_app_does_not_read_is_no_broken_app(tmp_path: Path) -> None:
    # kentcdodds.com: the audio worker's callback secret listed in the site's template
    # under "(Cloudflare Worker vars; not read by app)".
    template = (
        "DATABASE_URL=file:./data.db\n"
        "SESSION_SECRET=s3cr3t-for-dev-only-k8Jd0aPq\n"
        "\n"
        "# Feature: audio worker runtime (Cloudflare Worker vars; not read by app)\n"
        "AUDIO_CALLBACK_SECRET=replace-with-openssl-random-hex\n"
        "\n"
        "# Feature: calls\n"
        "AUDIO_QUEUE_TOKEN=replace-with-queue-token\n"
    )
    project = repository(
        tmp_path / "site", {".env.example": template, ".env": template, "package.json": _PACKAGE}
    )
    found = _findings(project, "--select", "EC306,EC310")
    assert _keys(found, "EC306") == {"AUDIO_QUEUE_TOKEN"}, found
    assert _keys(found, "EC310") == {"AUDIO_CALLBACK_SECRET"}, found


def test_a_key_the_template_says_to_leave_empty_is_not_required(tmp_path: Path) -> None:
    # tracecat, fresh clone: `# Leave empty if not using Temporal Cloud`, `# Leave blank to
    # allow all domains`, `# Tracecat Cloud only, please ignore if self-hosted:` above keys
    # shipped empty; the superadmin's email, shipped empty with no such word, stays required.
    template = (
        "# First user to promote to superadmin\n"
        "AUTH_SUPERADMIN_EMAIL=\n"
        "# Leave blank to allow all domains\n"
        "AUTH_ALLOWED_DOMAINS=\n"
        "\n"
        "# Leave empty if not using Temporal Cloud\n"
        "TEMPORAL__API_KEY=\n"
        "\n"
        "# --- Cloud only ---\n"
        "# Tracecat Cloud only, please ignore if self-hosted:\n"
        "NEXT_PUBLIC_POSTHOG_KEY=\n"
        "\n"
        # openstatus: the words head their paragraph, and reach no further.
        "# Multi-tenant SAML SSO via WorkOS (cloud). Leave unset to hide SSO entirely.\n"
        "AUTH_WORKOS_ID=\n"
        "WORKOS_API_KEY=\n"
        "\n"
        "PAGERDUTY_APP_ID=\n"
    )
    project = repository(
        tmp_path / "tracecat", {".env.example": template, "package.json": _PACKAGE}
    )
    assert _keys(_findings(project), "EC301") == {"AUTH_SUPERADMIN_EMAIL", "PAGERDUTY_APP_ID"}


def test_a_linked_copy_is_weighed_against_the_template_it_was_copied_from(
    tmp_path: Path,
) -> None:
    # useSend: `cp .env.example .env` at the root and `ln -s ../../.env apps/web/.env`;
    # apps/web also holds .env.test.example (the test suite's template, other mock values).
    # The root template's "some-access-key" is the project's own value, not a pasted key.
    root_template = 'AWS_ACCESS_KEY_ID="some-access-key"\nAWS_SECRET_ACCESS_KEY="some-secret-key"\n'
    project = repository(
        tmp_path / "usesend",
        {
            "package.json": '{"name": "usesend", "private": true}',
            "pnpm-workspace.yaml": "packages:\n  - apps/*\n",
            ".env.example": root_template,
            ".env": root_template,
            "apps/web/package.json": '{"name": "web", "dependencies": {"next": "15.0.0"}}',
            "apps/web/.env.test.example": (
                "AWS_ACCESS_KEY_ID=test-access-key\nAWS_SECRET_ACCESS_KEY=test-secret-key\n"
            ),
        },
    )
    (project / "apps/web/.env").symlink_to("../../.env")
    found = _findings(project)
    assert not _keys(found, "EC308"), found
    # The control: a value that is no template's is still judged by its shape.
    (project / ".env").write_text('AWS_ACCESS_KEY_ID="my-key-from-the-console"\n')
    assert "AWS_ACCESS_KEY_ID" in _keys(_findings(project), "EC308")


def test_the_test_runs_mode_switch_is_no_requirement_of_development(
    tmp_path: Path,
) -> None:
    # useSend: apps/web/.env.test.example (NODE_ENV=test) is the template of .env.test; the
    # development .env, copied from the root template, has no NODE_ENV (Next sets it).  The
    # test template's other keys are what the app needs in any mode (REDIS_URL stays EC301).
    project = repository(
        tmp_path / "web",
        {
            "package.json": '{"name": "web", "dependencies": {"next": "15.0.0"}}',
            ".env.test.example": (
                "NODE_ENV=test\n"
                "DATABASE_URL=postgresql://u:p@127.0.0.1:5432/t\n"
                "REDIS_URL=redis://127.0.0.1:6380/15\n"
            ),
            ".env": "DATABASE_URL=postgresql://u:p@localhost:5432/dev\n",
        },
    )
    assert _keys(_findings(project), "EC301") == {"REDIS_URL"}
    # In the test run's own mode, the switch is what the run needs.
    assert _keys(_findings(project, "--mode", "test"), "EC301") == {"NODE_ENV", "REDIS_URL"}


def test_init_declares_no_format_a_shipped_typed_dummy_contradicts(tmp_path: Path) -> None:
    # langfuse: `cp .env.dev.example .env` copies AWS_ACCESS_KEY_ID="A123456789" (the
    # optional Bedrock feature's stand-in); `check` takes it as the template's own value,
    # so `init` must not declare the AWS key format that the next `check` fails (EC305).
    template = 'AWS_ACCESS_KEY_ID="A123456789"\nGITHUB_TOKEN=your-token-here\n'
    project = repository(
        tmp_path / "langfuse",
        {".env.example": template, ".env": template, "package.json": _PACKAGE},
    )
    before = _keys(_findings(project), "EC305") | _keys(_findings(project), "EC308")
    result = envcheck(project, "init")
    assert result.returncode == 0, result.stderr
    config = (project / "envcheck.toml").read_text()
    assert 'format = "github-token"' in config  # an instruction says nothing against the name
    after = _findings(project)
    assert before == set() and not (_keys(after, "EC305") | _keys(after, "EC308")), after
