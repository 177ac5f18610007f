"""``envcheck diff``: the pure comparison, the detector, and the command on fixtures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from envcheck.diff import DIFFERENT as DIFF
from envcheck.diff import NEITHER, ONLY_SOURCE, ONLY_TARGET, SAME, compare
from envcheck.model import PROCESS
from envcheck.rules.diff import development_value
from envcheck.schema.model import KeySpec, Schema
from envcheck.secret import Fingerprinter, Secret
from envcheck.sources.types import PROCESS_ORIGIN, Origin, Resolution, Resolved
from tests.harness import FIXTURES

DEMO_KEY = "sk-proj-DEMOxDEMOxDEMOxDEMOxDEMOxDEMOxDEMOxDEMOx3xQa"


def _res(mode: str, values: dict[str, tuple[str, str, int] | str]) -> Resolution:
    """A resolution from ``key -> value`` or ``key -> (value, path, line)``."""
    out = Resolution(framework="nextjs", mode=mode, files=[f".env.{mode}"])
    for i, (key, spec) in enumerate(values.items(), start=1):
        if isinstance(spec, str):
            value, origin = spec, Origin(f".env.{mode}", i, 1)
        elif spec[1] == PROCESS:
            value, origin = spec[0], PROCESS_ORIGIN
        else:
            value, origin = spec[0], Origin(spec[1], spec[2], 1)
        out.vars[key] = Resolved(key, Secret(value), origin)
    return out


def _compare(src: Resolution, dst: Resolution, schema: Schema | None = None, fp=None):  # type: ignore[no-untyped-def]
    return compare(
        src,
        dst,
        fingerprint=fp or Fingerprinter(),
        schema=schema,
        source_label=src.mode,
        target_label=dst.mode,
    )


# --------------------------------------------------------------------------- detector


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("API_URL", "http://localhost:8080/api", "loopback"),
        ("API_URL", "https://127.0.0.1/api", "loopback"),
        ("API_URL", "http://[::1]:3000", "loopback"),
        ("API_URL", "http://0.0.0.0:3000", "0.0.0.0"),
        ("DATABASE_URL", "postgres://u:p@localhost:5432/db", "loopback"),
        ("REDIS_URL", "redis://cache.local:6379", "*.local"),
        ("API_URL", "http://app.localhost", "*.localhost"),
        ("API_URL", "https://api.example.com", "example.com"),
        ("CALLBACK", "see https://example.org/cb", "example.org"),
        ("PAYPAL_API", "https://api-m.sandbox.paypal.com", "sandbox"),
        ("PLAID_URL", "https://sandbox.plaid.com", "sandbox"),
        ("STRIPE_SECRET_KEY", "sk_test_fake_0000_not_a_real_key", "test-mode"),
        ("STRIPE_PK", "pk_test_fake_0000", "test-mode"),
        ("OPENAI_API_KEY", "sk-test-fake0000", "test-mode"),
        ("DEBUG", "true", "debugging"),
        ("DEBUG", "1", "debugging"),
        ("APP_DEBUG", "YES", "debugging"),
        ("NODE_ENV", "development", "development mode"),
        ("APP_ENV", "dev", "development mode"),
        ("DB_HOST", "localhost", "loopback"),
        ("DB_HOST", "127.0.0.1:5432", "loopback"),
        ("REDIS_HOSTNAME", "redis.local", "*.local"),
        # not development values
        ("HOST", "0.0.0.0", None),  # a bind address: every interface, normal in a container
        ("API_URL", "https://api.shop-prod.io", None),
        ("API_URL", "https://localhost-proxy.io", None),
        ("API_URL", "https://myexample.com", None),
        ("DEBUG", "false", None),
        ("DEBUG", "0", None),
        ("NODE_ENV", "production", None),
        ("STRIPE_SECRET_KEY", "sk_live_fake_0000", None),
        ("GREETING", "localhost", None),  # not a host variable, not a URL
        ("DB_HOST", "db.internal", None),
        ("EMPTY", "", None),
    ],
)
def test_development_value(key: str, value: str, expected: str | None) -> None:
    reason = development_value(key, value)
    if expected is None:
        assert reason is None
    else:
        assert reason is not None and expected in reason
        assert value not in reason or value in ("localhost", "true", "1", "development", "dev")


# --------------------------------------------------------------------------- compare


def test_statuses_and_findings_per_key() -> None:
    src = _res(
        "development",
        {
            "SAME": "x",
            "CHANGED": "a",
            "DEBUG": "true",
            "OPENAI_API_KEY": ("sk-proj-fakeSharedKey000000000000", ".env.local", 2),
            "EMPTY_TOKEN": "",
        },
    )
    dst = _res(
        "production",
        {
            "SAME": "x",
            "CHANGED": "b",
            "SENTRY_DSN": "https://k@o1.ingest.sentry.io/1",
            "OPENAI_API_KEY": ("sk-proj-fakeSharedKey000000000000", ".env.local", 2),
            "EMPTY_TOKEN": "",
            "API_URL": "http://localhost:8080",
        },
    )
    result = _compare(src, dst)
    rows = {r.key: r for r in result.rows}
    expected = {
        "API_URL": (ONLY_TARGET, ("EC602", "EC605")),
        "CHANGED": (DIFF, ("EC606",)),
        "DEBUG": (ONLY_SOURCE, ("EC601",)),
        "EMPTY_TOKEN": (SAME, ()),  # empty on both sides is not a shared credential
        "OPENAI_API_KEY": (SAME, ("EC604",)),
        "SAME": (SAME, ()),
        "SENTRY_DSN": (ONLY_TARGET, ("EC602",)),
    }
    assert {k: (r.status, r.codes) for k, r in rows.items()} == expected
    assert list(rows) == sorted(rows)
    assert rows["OPENAI_API_KEY"].secret and not rows["SAME"].secret
    shared = next(f for f in result.findings if f.code == "EC604")
    assert str(shared.location) == ".env.local:2:1"
    assert "this file feeds both modes" in (shared.hint or "")
    assert shared.message.endswith("both read it from this line") and shared.related == ()
    missing = next(f for f in result.findings if f.code == "EC601")
    assert str(missing.location) == ".env.development:3:1"


def test_no_finding_message_or_repr_carries_a_value() -> None:
    secret = "sk-proj-fakeSharedKey000000000000"
    src = _res("development", {"OPENAI_API_KEY": secret, "DEBUG": "true"})
    dst = _res("production", {"OPENAI_API_KEY": secret, "API_URL": "http://localhost:1/x"})
    result = _compare(src, dst)
    dumped = repr(result) + "".join(f"{f.message} {f.hint}" for f in result.findings)
    assert secret not in dumped and secret[-12:] not in dumped
    assert "localhost:1/x" not in dumped


def test_same_mode_shares_secrets_legitimately() -> None:
    """A container checked against its own mode should have the same key."""
    src = _res("production", {"TOKEN": "fake-token-0000000000000000"})
    dst = _res("production", {"TOKEN": ("fake-token-0000000000000000", PROCESS, 0)})
    result = _compare(src, dst)
    assert result.rows[0].status == SAME and result.findings == []
    assert result.rows[0].target is not None and result.rows[0].target.origin.is_process


@pytest.mark.parametrize("mode", ["development", "test", "dev", "local"])
def test_development_targets_may_hold_development_values(mode: str) -> None:
    src = _res("production", {"API_URL": "https://api.io"})
    dst = _res(mode, {"API_URL": "http://localhost:3000", "DEBUG": "1"})
    assert not [f for f in _compare(src, dst).findings if f.code == "EC605"]


@pytest.mark.parametrize("mode", ["production", "staging", "preview"])
def test_other_targets_are_checked_for_development_values(mode: str) -> None:
    src = _res("development", {})
    dst = _res(mode, {"API_URL": "http://localhost:3000"})
    assert [f.code for f in _compare(src, dst).findings] == ["EC602", "EC605"]


def test_schema_required_in_target_mode() -> None:
    schema = Schema(
        keys={
            "DATABASE_URL": KeySpec("DATABASE_URL"),
            "SENTRY_DSN": KeySpec("SENTRY_DSN", required_modes=("production",)),
            "DEV_ONLY": KeySpec("DEV_ONLY", required_modes=("development",)),
            "OPTIONAL": KeySpec("OPTIONAL", required=False),
            "PLAIN_NAME": KeySpec("PLAIN_NAME", secret=True),
        }
    )
    src = _res("development", {"DATABASE_URL": "x", "OPTIONAL": "y", "PLAIN_NAME": "same-value"})
    dst = _res("production", {"PLAIN_NAME": "same-value"})
    result = _compare(src, dst, schema)
    codes = {r.key: (r.status, r.codes) for r in result.rows}
    assert codes == {
        "DATABASE_URL": (ONLY_SOURCE, ("EC603",)),  # EC603 replaces EC601
        "OPTIONAL": (ONLY_SOURCE, ("EC601",)),
        "PLAIN_NAME": (SAME, ("EC604",)),  # secret because the schema says so
        "SENTRY_DSN": (NEITHER, ("EC603",)),
    }
    db = next(f for f in result.findings if f.key == "DATABASE_URL")
    assert db.severity.value == "error" and str(db.location) == ".env.development:1:1"
    sentry = next(f for f in result.findings if f.key == "SENTRY_DSN")
    assert str(sentry.location) == ".env.production"  # nowhere to point but the target's file


def test_fingerprints_are_keyed_per_run() -> None:
    value = "fake-token-0000000000000000"
    src = _res("development", {"TOKEN": value})
    dst = _res("production", {"TOKEN": value})
    one, two = _compare(src, dst), _compare(src, dst)
    fp1 = {s.fingerprint for r in one.rows for s in (r.source, r.target) if s}
    fp2 = {s.fingerprint for r in two.rows for s in (r.source, r.target) if s}
    assert len(fp1) == 1 and len(fp2) == 1 and fp1 != fp2
    assert one.rows[0].status == two.rows[0].status == SAME
    fixed = Fingerprinter(b"k" * 32)
    assert (
        _compare(src, dst, fp=fixed).rows[0].source == _compare(src, dst, fp=fixed).rows[0].source
    )


# --------------------------------------------------------------------------- command


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from envcheck.cli import main

    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def in_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(FIXTURES / "diff" / "files")
    yield


def _json_rows(out: str) -> dict[str, dict[str, object]]:
    document = json.loads(out)
    return {r["key"]: r for r in document["diff"]["rows"]}


def test_vite_modes(capsys: pytest.CaptureFixture[str]) -> None:
    app = str(FIXTURES / "diff" / "vite-app")
    code, out, _ = _run(capsys, "-C", app, "--format", "json")
    assert code == 0  # development -> production: drift, no errors
    rows = _json_rows(out)
    assert {k: (r["status"], r["codes"]) for k, r in rows.items()} == {
        "ANALYTICS_TOKEN": ("only-target", ["EC602"]),
        "VITE_API_URL": ("different", []),
        "VITE_APP_TITLE": ("same", []),
        "VITE_DEBUG": ("only-source", ["EC601"]),
    }
    assert rows["VITE_API_URL"]["source"] == {
        "fingerprint": rows["VITE_API_URL"]["source"]["fingerprint"],  # type: ignore[index]
        "source": ".env",
        "line": 3,
        "col": 1,
    }
    code, out, _ = _run(capsys, "-C", app, "--from", "staging", "--to", "production")
    assert code == 1
    assert "ANALYTICS_TOKEN" in out and "EC604" in out and "same secret" in out


def test_process_target(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = str(FIXTURES / "diff" / "vite-app")
    monkeypatch.setenv("VITE_API_URL", "https://api.board-app.io")
    monkeypatch.setenv("ANALYTICS_TOKEN", "q7Nd2Rk9analyticsTw4Lm8Xshared0Pz5")
    monkeypatch.setenv("UNRELATED_SHELL_VAR", "x")
    code, out, _ = _run(
        capsys, "-C", app, "--from", "production", "--to", "process", "--format", "json"
    )
    assert code == 0
    rows = _json_rows(out)
    assert "UNRELATED_SHELL_VAR" not in rows
    assert rows["ANALYTICS_TOKEN"]["status"] == "same"
    assert rows["ANALYTICS_TOKEN"]["target"] == {
        "fingerprint": rows["ANALYTICS_TOKEN"]["source"]["fingerprint"],  # type: ignore[index]
        "source": "process",
    }
    monkeypatch.setenv("VITE_API_URL", "http://localhost:5173/api")
    code, out, _ = _run(capsys, "-C", app, "--from", "production", "--to", "process")
    assert code == 1 and "EC605" in out and "process" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["local.env"], "two files"),
        (["local.env", "missing.env"], "env file not found"),
        (["--mode", "production"], "--from/--to"),
        (["--env-file", "local.env"], "--from/--to"),
        (["--from", "process", "--to", "process"], "both be the process"),
        (["--to", "process", "--no-process-env"], "contradicts"),
        (["--format", "yaml"], "yaml"),
    ],
)
def test_usage_errors(
    capsys: pytest.CaptureFixture[str], in_dir: None, args: list[str], message: str
) -> None:
    code, out, err = _run(capsys, "-f", "vite", *args)
    assert code == 2 and out == ""
    assert message in err


def test_two_files(capsys: pytest.CaptureFixture[str], in_dir: None) -> None:
    code, out, _ = _run(capsys, "local.env", "prod.env", "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["diff"]["from"] == {
        "label": "local.env",
        "mode": "development",
        "files": ["local.env"],
    }
    rows = {k: (r["status"], r["codes"]) for k, r in _json_rows(out).items()}
    assert rows == {
        "DATABASE_URL": ("different", []),
        "DEBUG": ("only-target", ["EC602"]),
        "HOST": ("same", []),
        "PORT": ("different", []),
        "SESSION_SECRET": ("same", ["EC604"]),
        "STRIPE_SECRET_KEY": ("same", ["EC604", "EC605"]),
    }
    findings = {(f["code"], f["path"], f["line"]) for f in document["findings"]}
    assert ("EC605", "prod.env", 6) in findings and ("EC604", "prod.env", 5) in findings
    # the same file on both sides, as the same mode: nothing is "shared across modes"
    code, out, _ = _run(capsys, "prod.env", "prod.env", "--from", "production")
    assert code == 1 and "EC604" not in out and "EC605" in out
    # --ignore turns the errors off, and with them the failure
    code, _, _ = _run(
        capsys,
        "local.env",
        "prod.env",
        "--ignore",
        "EC604",
        "--ignore",
        "development-value-in-production",
    )
    assert code == 0


def test_file_modes_come_from_their_names(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env.production").write_text("API_URL=https://api.io\n")
    (tmp_path / ".env.development").write_text("API_URL=http://localhost:3000\n")
    monkeypatch.chdir(tmp_path)
    # production -> development: localhost is expected in development
    code, out, _ = _run(capsys, "-f", "vite", ".env.production", ".env.development")
    assert code == 0 and "EC605" not in out
    code, out, _ = _run(
        capsys, "-f", "vite", ".env.development", ".env.production", "--to", "development"
    )
    assert code == 0
    code, out, _ = _run(
        capsys, "-f", "vite", ".env.production", ".env.development", "--to", "staging"
    )
    assert code == 1 and "EC605" in out


DEMO = FIXTURES / "demo"
NEXT_APP = FIXTURES / "diff" / "next-app"
VITE_APP = FIXTURES / "diff" / "vite-app"
FILES = FIXTURES / "diff" / "files"


def test_next_modes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "-C", str(NEXT_APP), "--format", "json")
    assert code == 1
    rows = {k: (r["status"], r["codes"]) for k, r in _json_rows(out).items()}
    assert rows == {
        "API_URL": ("different", []),
        "CACHE_HOST": ("only-target", ["EC602", "EC605"]),
        "DATABASE_URL": ("different", []),
        "DEBUG": ("only-source", ["EC601"]),
        "FEATURE_X": ("only-source", ["EC601"]),
        "LOG_LEVEL": ("same", []),
        "NEXT_PUBLIC_APP_NAME": ("same", []),
        "OPENAI_API_KEY": ("different", []),
        "REDIS_URL": ("neither", ["EC603"]),
        "SENTRY_DSN": ("only-target", ["EC602"]),
        "STRIPE_PUBLISHABLE_KEY": ("only-target", ["EC602", "EC605"]),
        "STRIPE_SECRET_KEY": ("same", ["EC604"]),
    }
    # --verbose adds value-differs; --quiet keeps only the rows with findings
    code, out, _ = _run(capsys, "-C", str(NEXT_APP), "--verbose")
    assert "EC606" in out and "OPENAI_API_KEY" in out
    code, out, _ = _run(capsys, "-C", str(NEXT_APP), "--quiet")
    assert "LOG_LEVEL" not in out and "STRIPE_SECRET_KEY" in out


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_demo_shows_the_three_problems_with_locations(
    capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """The owner's demo: missing keys, the reused key, localhost in production."""
    code, out, _ = _run(capsys, "-C", str(DEMO), "--format", fmt)
    assert code == 1
    for code_, key, path in [
        ("EC601", "DEBUG", ".env.development"),
        ("EC602", "SENTRY_DSN", ".env.production"),
        ("EC604", "OPENAI_API_KEY", ".env.local"),
        ("EC605", "API_URL", ".env.production"),
        ("EC605", "DATABASE_URL", ".env"),
    ]:
        assert code_ in out and key in out and path in out, (code_, key)
    if fmt == "text":
        row = next(line for line in out.splitlines() if line.startswith("OPENAI_API_KEY"))
        assert row.count(".env.local:2") == 2 and "same secret" in row
    if fmt == "github":
        from envcheck.engine import relative_to_cwd  # CI: paths from the working directory

        assert f"::error file={relative_to_cwd(DEMO)}/.env.local,line=2" in out
    if fmt == "sarif":
        json.loads(out)


def _secrets(directory: Path) -> list[str]:
    """Every value in the fixture's env files that envcheck must never print."""
    from envcheck.secret import is_secret

    found = []
    for path in directory.glob("*.env*"):
        for line in path.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.startswith("#") and is_secret(key.strip(), value.strip()):
                found.append(value.strip())
    return found


_SCENARIOS = {
    "demo": (DEMO, ["-C", str(DEMO)]),
    "next": (NEXT_APP, ["-C", str(NEXT_APP)]),
    "vite-staging": (VITE_APP, ["-C", str(VITE_APP), "--from", "staging"]),
    "vite-process": (VITE_APP, ["-C", str(VITE_APP), "--from", "staging", "--to", "process"]),
    "files": (FILES, ["-C", str(FILES), str(FILES / "local.env"), str(FILES / "prod.env")]),
}


@pytest.mark.parametrize("values", [False, True])
@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
@pytest.mark.parametrize("scenario", list(_SCENARIOS))
def test_output_never_contains_a_secret(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    scenario: str,
    fmt: str,
    values: bool,
) -> None:
    directory, args = _SCENARIOS[scenario]
    secrets = _secrets(directory)
    assert secrets  # the canary must have something to find
    monkeypatch.setenv("ANALYTICS_TOKEN", "q7Nd2Rk9analyticsTw4Lm8Xshared0Pz5")
    code, out, err = _run(capsys, *args, "--format", fmt, *(["--values"] if values else []))
    assert code in (0, 1)
    printed = out + err
    for secret in secrets:
        slices = {secret[i : i + 12] for i in range(max(1, len(secret) - 11))}
        leaked = [s for s in slices if s in printed]
        assert not leaked, f"{scenario}/{fmt}: a 12-character slice of a secret was printed"
    for password in ("devpass", "prodpass", "localpw", "prodpw"):
        assert f":{password}@" not in printed


def test_values_shows_plain_values_only(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "-C", str(VITE_APP), "--from", "staging", "--values")
    assert "https://staging-api.board-app.io" in out and "Board" in out
    _, out, _ = _run(capsys, "-C", str(VITE_APP), "--from", "staging")
    assert "board-app.io" not in out


def test_two_runs_fingerprint_differently_and_both_see_equality(
    capsys: pytest.CaptureFixture[str],
) -> None:
    prints = []
    for _ in range(2):
        code, out, _ = _run(capsys, "-C", str(VITE_APP), "--from", "staging", "--format", "json")
        row = _json_rows(out)["ANALYTICS_TOKEN"]
        assert code == 1 and row["status"] == "same" and row["codes"] == ["EC604"]
        source, target = row["source"], row["target"]
        assert isinstance(source, dict) and isinstance(target, dict)
        assert source["fingerprint"] == target["fingerprint"]
        prints.append(source["fingerprint"])
    assert prints[0] != prints[1]


def test_inline_suppression_and_config(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / ".env.development").write_text("API_URL=http://localhost:3000\n")
    (tmp_path / ".env.production").write_text(
        "API_URL=http://localhost:8080 # envcheck: ignore[development-value-in-production]\n"
        "WORKER_URL=http://127.0.0.1:9000\n"
    )
    code, out, _ = _run(capsys, "-C", str(tmp_path), "-f", "vite", "--format", "json")
    assert code == 1
    assert [(f["code"], f["key"]) for f in json.loads(out)["findings"]] == [
        ("EC602", "WORKER_URL"),
        ("EC605", "WORKER_URL"),
    ]
    (tmp_path / "envcheck.toml").write_text('[envcheck]\nignore = ["EC605"]\n')
    code, out, _ = _run(capsys, "-C", str(tmp_path), "-f", "vite", "--format", "json")
    assert code == 0 and "EC605" not in out


def test_json_on_stdout_alone_in_a_real_process() -> None:
    """``envcheck diff --format json | jq`` must see one document and nothing else."""
    import subprocess
    import sys

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "envcheck",
            "diff",
            "-C",
            str(VITE_APP),
            "--from",
            "staging",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    document = json.loads(proc.stdout)
    assert document["summary"]["errors"] == 1 and document["diff"]["to"]["mode"] == "production"


def test_a_development_only_file_key_is_a_note_not_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """FP-11 (excalidraw): a dev-server port in .env.development beside a committed
    .env.production is the author's choice; the same key between two explicit
    files, which either mode could read, stays a warning."""
    (tmp_path / "package.json").write_text('{"devDependencies": {"vite": "5"}}')
    (tmp_path / ".env.development").write_text("VITE_APP_PORT=3001\nVITE_API=http://a\n")
    (tmp_path / ".env.production").write_text("VITE_API=https://b\n")
    code, out, _ = _run(capsys, "-C", str(tmp_path), "--format", "json", "--strict")
    port = next(f for f in json.loads(out)["findings"] if f["key"] == "VITE_APP_PORT")
    assert (code, port["code"], port["severity"]) == (0, "EC601", "info")
    assert "only for development" in port["message"]
    (tmp_path / "a.env").write_text("PORT=1\n")
    (tmp_path / "b.env").write_text("OTHER=1\n")
    files = (str(tmp_path / "a.env"), str(tmp_path / "b.env"))
    code, out, _ = _run(capsys, *files, "--format", "json")
    port = next(f for f in json.loads(out)["findings"] if f["key"] == "PORT")
    assert (port["code"], port["severity"]) == ("EC601", "warning")
