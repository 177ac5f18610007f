"""Security rules (EC4xx): table-driven unit tests, real git repositories, real permissions."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from envcheck.model import Finding, Severity
from envcheck.rules import gitfiles, security
from envcheck.rules.base import CheckContext
from envcheck.secret import Secret
from envcheck.sources.profiles import get_profile
from envcheck.sources.types import PROCESS_ORIGIN, Entry, Origin, ParsedFile, Resolution, Resolved
from tests.harness import FIXTURES, isolated_json, write
from tests.rulefixtures import expected, git_repo, isolated_git, run_fixture

# Fake but correctly shaped: never a real credential, and never expected in output.
KEY = "sk-proj-FAKEFAKEFAKEFAKE0notArealKey0unitTest000000000AbC"
STRIPE_SK = "sk_live_FAKEFAKEFAKEFAKEFAKEFAKE1234"
GITHUB = "ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE1234"
SECURITY_FIXTURES = sorted((FIXTURES / "rules" / "security").glob("EC*"))


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A temp dir every user can traverse (pytest's own are 0700, which hides EC404)."""
    path = Path(tempfile.mkdtemp(prefix="envcheck-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(autouse=True)
def _git_config(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    isolated_git(monkeypatch, tmp_path_factory.mktemp("githome"))
    # A shared machine: another person has an account, so a world-readable file is exposed
    # (the single-user case, where EC404 stays quiet, is in test_first_run.py).
    monkeypatch.setattr(security, "other_accounts", lambda owner: 1)


def ctx_for(
    project: Path,
    files: dict[str, str],
    *,
    framework: str = "nextjs",
    process_env: dict[str, str] | None = None,
    schema: Any = None,
    expanded: dict[str, str] | None = None,
) -> CheckContext:
    """A context over ``files`` (name -> ``KEY=value`` lines), written to ``project``.

    The resolution is built by hand: first file wins, process wins; ``expanded``
    overrides resolved values (what a loader's ``${VAR}`` expansion produced).
    """
    env = dict(process_env or {})
    parsed: list[ParsedFile] = []
    vars_: dict[str, Resolved] = {}
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
        (project / name).chmod(0o600)
        pf = ParsedFile(name)
        for n, line in enumerate(text.splitlines(), 1):
            if "=" in line and not line.startswith("#"):
                key, _, value = line.partition("=")
                pf.entries.append(Entry(key, value, name, n, 1))
        parsed.append(pf)
        for key, entry in pf.last_entries().items():
            if key in vars_:
                vars_[key].shadowed.append(Origin.of(entry))
            else:
                value = (expanded or {}).get(key, entry.value)
                vars_[key] = Resolved(key, Secret(value), Origin.of(entry), [], None, entry)
    for key, value in env.items():
        if key in vars_:
            res = vars_[key]
            vars_[key] = Resolved(key, Secret(value), PROCESS_ORIGIN, [res.origin, *res.shadowed])
    resolution = Resolution(framework, "development", list(files), parsed, vars_)
    return CheckContext(project, get_profile(framework), resolution, env, schema)


def codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def assert_no_values(findings: list[Finding], *values: str) -> None:
    for f in findings:
        text = f"{f} {f.message} {f.hint} {f.location}"
        for value in values:
            assert value not in text


# --- fixtures ---------------------------------------------------------------


@pytest.mark.parametrize("fixture", SECURITY_FIXTURES, ids=lambda p: p.name)
def test_fixture_matches_expected_output(fixture: Path, open_dir: Path) -> None:
    lines = run_fixture(fixture, open_dir, security.check)
    assert lines == expected(fixture)
    own = [x for x in lines if f" {fixture.name} " in x]
    assert own, "every fixture must trip its own rule"
    assert all(f" {fixture.name} " in x for x in lines), "a fixture trips only its rule"
    assert "FAKEFAKE" not in "\n".join(lines)


# --- EC401 ------------------------------------------------------------------

LEAKS = [
    # key, value, framework, expected severity (None: no finding)
    ("NEXT_PUBLIC_OPENAI_API_KEY", KEY, "nextjs", Severity.ERROR),
    ("NEXT_PUBLIC_OPENAI_API_KEY", "", "nextjs", Severity.ERROR),  # the name ships the design
    ("NEXT_PUBLIC_AI", KEY, "nextjs", Severity.ERROR),  # by shape
    ("NEXT_PUBLIC_STRIPE", STRIPE_SK, "nextjs", Severity.ERROR),
    ("NEXT_PUBLIC_GH", GITHUB, "nextjs", Severity.ERROR),
    (
        "VITE_OPENAI_API_KEY",
        "s3cret-Value1",
        "nextjs",
        Severity.WARNING,
    ),  # another framework's prefix
    ("VITE_OPENAI_API_KEY", "s3cret-Value1", "vite", Severity.ERROR),
    ("REACT_APP_JWT_SECRET", "s3cret-Value1", "cra", Severity.ERROR),
    ("EXPO_PUBLIC_API_TOKEN", "s3cret-Value1", "nextjs", Severity.WARNING),
    ("NUXT_PUBLIC_ANYTHING", KEY, "nextjs", Severity.WARNING),
    ("GATSBY_AUTH_TOKEN", "s3cret-Value1", "nextjs", Severity.WARNING),
    ("PUBLIC_DB_PASSWORD", "s3cret-Value1", "python-dotenv", Severity.WARNING),
    ("NEXT_PUBLIC_FIREBASE_API_KEY", KEY, "nextjs", Severity.ERROR),  # public name, server key
    ("NEXT_PUBLIC_SUPABASE_ANON_KEY", "anon-value-123456", "nextjs", None),
    ("NEXT_PUBLIC_FIREBASE_API_KEY", "AIzaFAKEFAKEFAKEFAKEFAKEFAKEFAKE12345", "nextjs", None),
    ("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", "pk_live_FAKEFAKEFAKEFAKEFAKEFAKE12", "nextjs", None),
    ("NEXT_PUBLIC_RECAPTCHA_SITE_KEY", "site-key-value", "nextjs", None),
    ("NEXT_PUBLIC_SENTRY_DSN", "https://abc@o1.ingest.sentry.io/1", "nextjs", None),
    ("NEXT_PUBLIC_API_URL", "https://api.example.com", "nextjs", None),
    ("NEXT_PUBLIC_KEYBOARD_LAYOUT", "qwerty", "nextjs", None),
    ("NEXT_PUBLIC_", KEY[:10], "nextjs", None),  # the bare prefix is not a variable of it
    ("OPENAI_API_KEY", KEY, "nextjs", None),  # not public
    ("MY_NEXT_PUBLIC_TOKEN", "x", "nextjs", None),  # prefix only at the start
    # Named like secrets, valued like nothing of the kind (issue 26: real repositories).
    ("NEXT_PUBLIC_AUTH_ENABLED", "true", "nextjs", None),
    ("NEXT_PUBLIC_DISABLE_PASSWORD_SIGNUP", "false", "nextjs", None),
    ("VITE_AUTH_TOKEN_TYPE", "personal-access-token", "vite", None),
    ("NEXT_PUBLIC_AUTH_SERVER", "https://auth.example.com/realms/app", "nextjs", None),
    ("NEXT_PUBLIC_SESSION_TIMEOUT", "3600", "nextjs", None),
    (
        "NEXT_PUBLIC_AUTH_WEBHOOK",
        "https://hooks.example.com/T0123/B0456/a1B2c3D4e5F6g7H8i9J0",
        "nextjs",
        Severity.ERROR,
    ),
]


@pytest.mark.parametrize(("key", "value", "framework", "severity"), LEAKS)
def test_secret_under_public_prefix(
    tmp_path: Path, key: str, value: str, framework: str, severity: Severity | None
) -> None:
    ctx = ctx_for(tmp_path, {".env.local": f"{key}={value}\n"}, framework=framework)
    everything = codes(list(security.check(ctx)), "EC401")
    found = [f for f in everything if f.severity is not Severity.INFO]
    assert [f.severity for f in found] == ([severity] if severity else [])
    notes = [f for f in everything if f.severity is Severity.INFO]  # why a key is public
    assert all("not a leak" in f.message for f in notes)
    if found:
        assert str(found[0].location) == ".env.local:1:1"
        assert found[0].key == key
    assert_no_values(found, KEY, STRIPE_SK, GITHUB)


def test_schema_public_true_allows_and_secret_true_flags(tmp_path: Path) -> None:
    schema = SimpleNamespace(
        keys={
            "NEXT_PUBLIC_MAPS_KEY": SimpleNamespace(public=True, secret=None),
            "NEXT_PUBLIC_SIGNING_SEED": SimpleNamespace(public=False, secret=True),
        }
    )
    text = "NEXT_PUBLIC_MAPS_KEY=abc\nNEXT_PUBLIC_SIGNING_SEED=abc\n"
    found = codes(list(security.check(ctx_for(tmp_path, {".env": text}, schema=schema))), "EC401")
    assert [f.key for f in found] == ["NEXT_PUBLIC_SIGNING_SEED"]


def test_real_schema_type_is_understood(tmp_path: Path) -> None:
    model = pytest.importorskip("envcheck.schema.model")
    schema = model.Schema(
        keys={"NEXT_PUBLIC_MAPS_KEY": model.KeySpec("NEXT_PUBLIC_MAPS_KEY", public=True)}
    )
    ctx = ctx_for(tmp_path, {".env": "NEXT_PUBLIC_MAPS_KEY=abc\n"}, schema=schema)
    assert codes(list(security.check(ctx)), "EC401") == []


def test_expanded_value_that_ships_a_key(tmp_path: Path) -> None:
    text = f"OPENAI_API_KEY={KEY}\nNEXT_PUBLIC_AI=${{OPENAI_API_KEY}}\n"
    ctx = ctx_for(tmp_path, {".env": text}, expanded={"NEXT_PUBLIC_AI": KEY})
    found = codes(list(security.check(ctx)), "EC401")
    assert [(f.key, str(f.location)) for f in found] == [("NEXT_PUBLIC_AI", ".env:2:1")]
    assert_no_values(found, KEY)


def test_public_secret_from_the_process_environment(tmp_path: Path) -> None:
    env = {"NEXT_PUBLIC_ADMIN_TOKEN": "t0ken-value", "VITE_ADMIN_TOKEN": "t0ken-value"}
    found = codes(list(security.check(ctx_for(tmp_path, {}, process_env=env))), "EC401")
    assert [(f.key, str(f.location)) for f in found] == [
        ("NEXT_PUBLIC_ADMIN_TOKEN", "process environment")
    ]


def test_files_not_read_in_this_mode_are_checked_too(tmp_path: Path) -> None:
    (tmp_path / ".env.production").write_text(f"NEXT_PUBLIC_OPENAI_API_KEY={KEY}\n")
    found = codes(list(security.check(ctx_for(tmp_path, {}))), "EC401")
    assert [str(f.location) for f in found] == [".env.production:1:1"]


# --- EC402 / EC403 (real git) ------------------------------------------------

SECRET_FILE = f"OPENAI_API_KEY={KEY}\n"


def _git_findings(project: Path) -> list[tuple[str, str]]:
    """EC402/EC403, with git asked by the check itself and started early by ``prepare``: equal."""

    def found(*, prepared: bool) -> list[tuple[str, str]]:
        ctx = ctx_for(project, {})
        if prepared:
            security.prepare(ctx)
        return [
            (f.code, str(f.location.path))
            for f in security.check(ctx)
            if f.code in ("EC402", "EC403")
        ]

    direct = found(prepared=False)
    assert found(prepared=True) == direct
    return direct


def test_tracked_file_with_a_secret(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(SECRET_FILE)
    git_repo(tmp_path, [".env"])
    assert _git_findings(tmp_path) == [("EC402", ".env")]


def test_tracked_stays_tracked_after_it_is_ignored(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(SECRET_FILE)
    git_repo(tmp_path, [".env"])
    (tmp_path / ".gitignore").write_text(".env\n")
    assert _git_findings(tmp_path) == [("EC402", ".env")]


@pytest.mark.parametrize(
    ("ignore_file", "patterns", "expected"),
    [
        (".gitignore", ".env*.local\n", []),
        (".gitignore", ".env\n", [("EC403", ".env.local")]),
        (".gitignore", ".env*\n!.env.local\n", [("EC403", ".env.local")]),  # negation
        (".git/info/exclude", ".env.local\n", []),  # only git knows this one
        (None, "", [("EC403", ".env.local")]),
    ],
)
def test_untracked_file_ignored_or_not(
    tmp_path: Path, ignore_file: str | None, patterns: str, expected: list[tuple[str, str]]
) -> None:
    git_repo(tmp_path)
    (tmp_path / ".env.local").write_text(SECRET_FILE)
    if ignore_file:
        (tmp_path / ignore_file).write_text(patterns)
    assert _git_findings(tmp_path) == expected


def test_project_in_a_subdirectory_of_the_work_tree(tmp_path: Path) -> None:
    app = tmp_path / "apps" / "web"
    app.mkdir(parents=True)
    (app / ".env.local").write_text(SECRET_FILE)
    (app / ".env").write_text(SECRET_FILE)
    (tmp_path / ".gitignore").write_text("apps/web/.env.local\n")
    git_repo(tmp_path, ["apps/web/.env", ".gitignore"])
    assert _git_findings(app) == [("EC402", ".env")]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".env", "OPENAI_API_KEY=\nAPP_NAME=x\n"),  # empty value
        (".env", "OPENAI_API_KEY=your-api-key-here\n"),  # placeholder
        (".env", "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxx\n"),
        (".env", "OPENAI_API_KEY=encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt\n"),  # dotenvx
        (".env.example", "OPENAI_API_KEY=changeme\nDB_PASSWORD=postgres-password\n"),
        (  # public by design: a Next.js app commits these on purpose
            ".env",
            "NEXT_PUBLIC_SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiJ9.anon-value\n"
            "NEXT_PUBLIC_FIREBASE_API_KEY=AIzaFAKEFAKEFAKEFAKEFAKEFAKEFAKE12345\n",
        ),
    ],
)
def test_tracked_files_without_real_secrets(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    git_repo(tmp_path, [name])
    assert _git_findings(tmp_path) == []


def test_tracked_template_with_a_real_shaped_key(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text(f"OPENAI_API_KEY={KEY}\n")
    git_repo(tmp_path, [".env.example"])
    assert _git_findings(tmp_path) == [("EC402", ".env.example")]


def test_not_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(SECRET_FILE)
    assert _git_findings(tmp_path) == []


def test_git_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text(SECRET_FILE)
    git_repo(tmp_path, [".env"])
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert _git_findings(tmp_path) == []


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="a POSIX shell script")
def test_git_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin" / "git"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nexec /bin/sleep 30\n")
    fake.chmod(0o755)
    (tmp_path / ".git").mkdir()  # else no git is started: nothing to discover
    monkeypatch.setenv("PATH", str(fake.parent))
    monkeypatch.setattr(gitfiles, "TIMEOUT", 0.2)
    started = gitfiles.start(tmp_path, [".env"])
    assert gitfiles.status(tmp_path, [".env"], started=started) == {}
    assert started.process is not None and started.process.returncode is not None  # reaped
    assert gitfiles.status(tmp_path, [".env"]) == {}


def test_git_status_batches_and_classifies(tmp_path: Path) -> None:
    for name in (".env", ".env.local", ".env.test"):
        (tmp_path / name).write_text("A=1\n")
    (tmp_path / ".gitignore").write_text(".env.local\n")
    git_repo(tmp_path, [".env"])
    paths = [".env", ".env.local", ".env.test"]
    expected = {
        ".env": gitfiles.TRACKED,
        ".env.local": gitfiles.IGNORED,
        ".env.test": gitfiles.UNTRACKED,
    }
    assert gitfiles.status(tmp_path, paths) == expected
    assert gitfiles.status(tmp_path, paths, started=gitfiles.start(tmp_path, paths)) == expected
    # A question started about other files is not taken for this one.
    other = gitfiles.start(tmp_path, [".env"])
    assert gitfiles.status(tmp_path, paths, started=other) == expected
    assert gitfiles.status(tmp_path, []) == {}


def test_git_started_early_in_a_directory_git_does_not_know(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=1\n")
    started = gitfiles.start(tmp_path, [".env"])
    assert gitfiles.status(tmp_path, [".env"], started=started) == {}


# --- EC404 --------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX permissions")
@pytest.mark.parametrize(
    ("mode", "dir_mode", "text", "flagged"),
    [
        (0o644, 0o755, SECRET_FILE, True),
        (0o604, 0o711, SECRET_FILE, True),  # traversable but not listable: still reachable
        (0o600, 0o755, SECRET_FILE, False),
        (0o640, 0o755, SECRET_FILE, False),  # group only
        (0o644, 0o700, SECRET_FILE, False),  # others cannot reach it
        (0o644, 0o755, "APP_NAME=demo\n", False),  # no secret
    ],
)
def test_world_readable_secret_file(
    open_dir: Path, mode: int, dir_mode: int, text: str, flagged: bool
) -> None:
    project = open_dir / "app"
    project.mkdir()
    ctx = ctx_for(project, {".env.local": text})
    (project / ".env.local").chmod(mode)
    project.chmod(dir_mode)
    try:
        found = codes(list(security.check(ctx)), "EC404")
    finally:
        project.chmod(0o755)
    assert [str(f.location) for f in found] == ([".env.local:1:1"] if flagged else [])


# --- EC405 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (f"OPENAI_BASE_URL=http://llm.example.com/v1\nOPENAI_API_KEY={KEY}\n", ["OPENAI_BASE_URL"]),
        (f"OPENAI_BASE_URL=HTTP://10.0.0.5:8000\nOPENAI_API_KEY={KEY}\n", ["OPENAI_BASE_URL"]),
        (f"OPENAI_API_BASE=http://llm.example.com\nOPENAI_API_KEY={KEY}\n", ["OPENAI_API_BASE"]),
        (
            "AZURE_OPENAI_ENDPOINT=http://x.example.com\nAZURE_OPENAI_API_KEY=9f3k2m8q7x1z5w4r\n",
            ["AZURE_OPENAI_ENDPOINT"],
        ),
        (f"OPENAI_BASE_URL=https://llm.example.com\nOPENAI_API_KEY={KEY}\n", []),
        (f"OPENAI_BASE_URL=http://localhost:11434/v1\nOPENAI_API_KEY={KEY}\n", []),
        (f"OPENAI_BASE_URL=http://127.0.0.2/v1\nOPENAI_API_KEY={KEY}\n", []),
        (f"OPENAI_BASE_URL=http://[::1]:8080\nOPENAI_API_KEY={KEY}\n", []),
        (f"OPENAI_BASE_URL=http://app.localhost\nOPENAI_API_KEY={KEY}\n", []),
        ("OPENAI_BASE_URL=http://llm.example.com\nOPENAI_API_KEY=\n", []),  # no key to leak
        ("OPENAI_BASE_URL=http://llm.example.com\n", []),
        ("OLLAMA_BASE_URL=http://192.168.1.2\nOPENAI_API_KEY=abcdef123456\n", []),  # other client
        ("OPENAI_BASE_URL=http://[bad\nOPENAI_API_KEY=abcdef123456\n", []),  # malformed: no crash
    ],
)
def test_plain_http_base_url(tmp_path: Path, text: str, flagged: list[str]) -> None:
    found = codes(list(security.check(ctx_for(tmp_path, {".env": text}))), "EC405")
    assert [f.key for f in found] == flagged
    assert_no_values(found, KEY, "llm.example.com")


# --- EC406 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "process_env", "flagged"),
    [
        ("OPENAI_API_BASE=https://p.example.com\n", {}, ["OPENAI_API_BASE"]),
        ("OPENAI_ORGANIZATION=org-1\n", {}, ["OPENAI_ORGANIZATION"]),
        ("OPENAI_ORG=org-1\n", {}, ["OPENAI_ORG"]),
        (f"OPENAI_KEY={KEY}\n", {}, ["OPENAI_KEY"]),
        ("ANTHROPIC_KEY=k\nCLAUDE_API_KEY=k\n", {}, ["ANTHROPIC_KEY", "CLAUDE_API_KEY"]),
        ("AZURE_OPENAI_KEY=k\n", {}, ["AZURE_OPENAI_KEY"]),
        ("OPENAI_ORGANIZATION=org-1\nOPENAI_ORG_ID=org-2\n", {}, ["OPENAI_ORGANIZATION"]),
        ("OPENAI_ORGANIZATION=org-1\nOPENAI_ORG_ID=org-1\n", {}, []),  # kept for LangChain
        ("OPENAI_ORGANIZATION=org-1\n", {"OPENAI_ORG_ID": "org-1"}, []),
        ("OPENAI_ORG_ID=org-1\nOPENAI_BASE_URL=https://x\nANTHROPIC_API_KEY=k\n", {}, []),
    ],
)
def test_sdk_variable_name_confusion(
    tmp_path: Path, text: str, process_env: dict[str, str], flagged: list[str]
) -> None:
    ctx = ctx_for(tmp_path, {".env": text})
    ctx.process_env = process_env
    found = codes(list(security.check(ctx)), "EC406")
    assert sorted(f.key or "" for f in found) == flagged
    assert_no_values(found, KEY)


def test_sdk_names_match_what_the_installed_sdk_reads() -> None:
    """Every name envcheck recommends is one the installed SDK really reads."""
    import importlib.util

    sources = ""
    for module in (
        "openai.lib._client_auth",
        "openai._client",
        "openai.lib.azure",
        "anthropic._client",
    ):
        try:
            spec = importlib.util.find_spec(module)
        except ModuleNotFoundError:
            continue
        if spec and spec.origin:
            sources += Path(spec.origin).read_text(encoding="utf-8")
    if not sources:
        pytest.skip("openai / anthropic not installed")
    for wrong, (right, _sdk) in security.SDK_NAMES.items():
        assert f'"{right}"' in sources, right
        assert f'environ.get("{wrong}")' not in sources, wrong


@pytest.mark.parametrize("ignored", [True, False])
def test_secrets_are_counted_only_for_a_file_with_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ignored: bool
) -> None:
    """Whether a file holds a secret decides what git is asked; how many it holds is only
    said in a finding.  An ignored, private ``.env`` of ten secrets is classified up to its
    first one (the verdicts are counted); an untracked one gets its finding, counted right."""
    from envcheck.schema import classify

    git_repo(tmp_path)
    env = tmp_path / ".env"
    env.write_text("".join(f"K{i}_OPENAI_API_KEY={KEY}\n" for i in range(10)))
    env.chmod(0o600)
    if ignored:
        (tmp_path / ".gitignore").write_text(".env\n")
    asked: list[str] = []
    real = classify.entry_is_secret

    def counted(entry: Entry, *args: Any, **kwargs: Any) -> bool:
        asked.append(entry.key)
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(classify, "entry_is_secret", counted)
    ctx = ctx_for(tmp_path, {})
    security.prepare(ctx)
    found = [(f.code, f.message) for f in security.check(ctx) if f.code.startswith("EC40")]
    if ignored:
        assert found == [] and asked == ["K0_OPENAI_API_KEY"], (found, asked)
    else:
        message = "this file holds 10 secrets (K0_OPENAI_API_KEY first)"
        assert [code for code, _ in found] == ["EC403"] and found[0][1].startswith(message)
        assert len(asked) == 10, asked


# EC407 and options that load nothing (typebot's NODE_OPTIONS=--no-node-snapshot) ---------


def _ec407_keys(tmp: Path, line: str) -> set[str]:
    project = write(tmp / "p", {"package.json": '{"name": "a"}', ".env": line + "\n"})
    _code, document, err = isolated_json(project, "check", "--format", "json")
    assert document is not None, err
    return {f.get("key") for f in document["findings"] if f["code"] == "EC407"}


@pytest.mark.parametrize(
    "value",
    ["--no-node-snapshot", "--max-old-space-size=4096 --enable-source-maps",
     "--experimental-require-module", "--max_old_space_size=8192"],
)  # fmt: skip
def test_node_options_that_load_nothing_pass(tmp_path: Path, value: str) -> None:
    assert _ec407_keys(tmp_path, f"NODE_OPTIONS={value}") == set()


@pytest.mark.parametrize(
    "value",
    ["--require ./hook.js", "-r ./hook.js", "--import=tsx", "--no-node-snapshot --loader x",
     "--inspect=0.0.0.0:9229", "./hook.js", '"--require ./a b.js'],
)  # fmt: skip
def test_node_options_that_load_code_stay_flagged(tmp_path: Path, value: str) -> None:
    assert _ec407_keys(tmp_path, f"NODE_OPTIONS='{value}'") == {"NODE_OPTIONS"}
