"""The secret canary: one fake key, everywhere a key can be, and no command may show it.

A fresh ``sk-proj-`` key is generated for each test run and planted in
``.env``, ``.env.local``, ``.env.production``, a pydantic-settings default,
a URL password, a multi-line value, a broken line and the process
environment.  Then every command runs as a real ``python -m envcheck``
process, in every format it has, with ``--verbose``, on success and on
failure paths (broken files and config, usage errors, a settings class that
raises, a probe server that echoes the key back).  Nothing it prints to
stdout or stderr, and no file it leaves in the project or the XDG cache
(the probe cache included), may hold the key, its base64, URL or hex
encodings, or any 12-character slice of it.

A fresh random key means a leak cannot hide behind a fixture value that a
masking rule happens to special-case, and an old output cannot match.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import shutil
import string
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.probe_server import ProbeServer, Reply, load_cases, serve

CANARY = "sk-proj-" + "".join(
    secrets.choice(string.ascii_letters + string.digits) for _ in range(100)
)
TIMEOUT = 60
CASES = {c["name"]: c for c in load_cases()}


def _forms(value: str) -> set[str]:
    """The canary as a leak would spell it: raw, URL-encoded, hex and base64 at every alignment.

    A base64 encoding of a longer string that contains the key (a Basic
    auth header, a JSON blob) shifts the alignment, so the stable middle of
    each of the three alignments is a needle of its own.
    """
    raw = value.encode()
    found = {value, urllib.parse.quote(value, safe=""), urllib.parse.quote_plus(value), raw.hex()}
    for pad in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            found.add(encode(b"\0" * pad + raw).decode()[4:-4])
    return found


FORMS = _forms(CANARY)
SLICES = {CANARY[i : i + 12] for i in range(len(CANARY) - 11)}


def leaks(text: str) -> list[str]:
    """The needles ``text`` contains (encoded forms first, then 12-character slices)."""
    found = [f for f in sorted(FORMS) if f in text]
    found += [s for s in sorted(SLICES) if s in text]
    return found


def _context(text: str) -> str:
    """The first lines holding a needle, the canary itself spelled CANARY (for failure messages)."""
    found = leaks(text)
    lines = [line for line in text.splitlines() if any(n in line for n in found)]
    return "\n".join(line.replace(CANARY, "<CANARY>") for line in lines[:3])


def test_needles_catch_what_they_must() -> None:
    """The detector itself: a masked key passes, any echo or encoding of it does not."""
    from envcheck.secret import mask

    assert not leaks(f"OPENAI_API_KEY={mask(CANARY)}")
    assert leaks("x" + CANARY[40:52] + "y")
    assert leaks(base64.b64encode(f"user:{CANARY}".encode()).decode())
    assert leaks(urllib.parse.quote(f"?key={CANARY}"))


# -- the projects -----------------------------------------------------------

SETTINGS_PY = f'''\
from pydantic import field_validator
from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    openai_api_key: str = "{CANARY}"
    api_url: str = "https://api.example.com"


class Echoing(BaseSettings):
    """A validator that puts the value in its error message, as real ones do."""

    openai_api_key: str = "{CANARY}"

    @field_validator("openai_api_key")
    @classmethod
    def _reject(cls, value: str) -> str:
        raise ValueError(f"key {{value}} is not allowed here")
'''

BOOM_PY = f'raise RuntimeError("cannot start with key {CANARY}")\n'

BASE: dict[str, str] = {
    ".env": (
        f"OPENAI_API_KEY={CANARY}\n"
        "API_URL=https://api.example.com\n"
        f"DATABASE_URL=postgres://app:{CANARY}@db.example.com:5432/app\n"
        f"PLAIN_VALUE={CANARY}\n"
        f'QUOTED="{CANARY}"\n'
        f"export EXPORTED_TOKEN='{CANARY}'\n"
        f'MULTI="first line\n{CANARY}\nlast line"\n'
        f"NOTE=see {CANARY} for details\n"
    ),
    ".env.local": f"OPENAI_API_KEY={CANARY}\nLOG_LEVEL=debug\n",
    "package.json": '{"dependencies": {"next": "16.0.0"}}\n',
    ".env.development": "LOG_LEVEL=info\n",
    ".env.production": f"OPENAI_API_KEY={CANARY}\nAPI_URL=http://localhost:3000\n",
    ".env.example": "# The OpenAI key\nOPENAI_API_KEY=\n# optional\nAPI_URL=https://api.example.com\n",
    "settings.py": SETTINGS_PY,
    "boom.py": BOOM_PY,
}

VARIANTS: dict[str, dict[str, str]] = {
    # no errors: every command's success path
    "clean": BASE,
    # a secret under a public prefix (EC401, an error): the failure paths
    "dirty": {
        **BASE,
        ".env.local": BASE[".env.local"] + f"NEXT_PUBLIC_OPENAI_KEY={CANARY}\n",
    },
    # lines the parsers reject, each holding the key
    "broken": {
        **BASE,
        ".env.local": (
            f'OPENAI_API_KEY={CANARY}\nBROKEN="{CANARY}\n{CANARY}\n'
            f"{CANARY}=1\nbad key={CANARY}\n\x00{CANARY}\n"
        ),
    },
    # an envcheck.toml that is not TOML, with the key on the bad line
    "bad-toml": {**BASE, "envcheck.toml": f'[keys.OPENAI_API_KEY]\ndefault = "{CANARY}\n'},
    # a valid TOML config that envcheck must reject, quoting the key
    "bad-config": {
        **BASE,
        "envcheck.toml": (
            f'[envcheck]\n"{CANARY}" = 1\n\n[keys.OPENAI_API_KEY]\npattern = "{CANARY}(["\n'
        ),
    },
    # a config whose default values and patterns are the key
    "config": {
        **BASE,
        "envcheck.toml": (
            '[envcheck]\nframework = "nextjs"\n\n'
            f'[keys.OPENAI_API_KEY]\nformat = "openai-api-key"\nprobe = "openai"\n\n'
            f'[keys.PORT]\ntype = "port"\nrequired = false\ndefault = "{CANARY}"\n\n'
            f'[keys.LOG_LEVEL]\npattern = "{CANARY}"\n'
        ),
    },
    "bad-pyproject": {**BASE, "pyproject.toml": f'[tool.envcheck\nsettings = "{CANARY}"\n'},
}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("canary-templates")
    made = {}
    for name, files in VARIANTS.items():
        project = root / name
        project.mkdir()
        for rel, text in files.items():
            (project / rel).write_text(text, encoding="utf-8")
            if rel.startswith(".env") and name == "clean":
                (project / rel).chmod(0o600)
        made[name] = project
    return made


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, ProbeServer]]:
    """One loopback server per recorded case and for the echo fault, for the whole module."""
    with ExitStack() as stack:
        running = {
            name: stack.enter_context(serve(Reply.from_case(case))) for name, case in CASES.items()
        }
        running["echo"] = stack.enter_context(serve(Reply(401, fault="echo")))
        running["echo-500"] = stack.enter_context(serve(Reply(500, fault="echo")))
        yield running


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One XDG cache for every run of the module, so later runs see earlier verdicts."""
    return tmp_path_factory.mktemp("canary-xdg")


@dataclass(frozen=True)
class Run:
    """One command line, the project variant it runs in and the exit codes it may give."""

    args: tuple[str, ...]
    variant: str = "dirty"
    codes: frozenset[int] = frozenset({0, 1})
    server: str | None = None
    writes: frozenset[str] = frozenset()
    env: tuple[tuple[str, str], ...] = field(default=())

    @property
    def id(self) -> str:
        text = " ".join(self.args).replace(CANARY, "CANARY")
        return f"{self.variant}:{text}" + (f"@{self.server}" if self.server else "")


OK = frozenset({0})
FAIL = frozenset({1})
USAGE = frozenset({2})
INCONCLUSIVE = frozenset({3})
REPORT_FORMATS = ("text", "json", "github", "sarif")
VERBOSE = "--verbose"


def _check_runs() -> list[Run]:
    runs = []
    for fmt in REPORT_FORMATS:
        runs.append(Run(("check", "--format", fmt, VERBOSE), "clean", OK))
        runs.append(Run(("check", "--format", fmt, VERBOSE, "--strict"), "dirty", FAIL))
        runs.append(Run(("check", "--format", fmt), "broken", FAIL))
        runs.append(Run(("check", "--format", fmt, VERBOSE), "config", FAIL))
        runs.append(Run(("check", "--format", fmt, "--settings", "settings:Settings", VERBOSE)))
    runs += [
        Run(("check", "--settings", "settings:Echoing", VERBOSE), "clean", FAIL),
        Run(("check", "--settings", "settings:Echoing", "--format", "json"), "clean", FAIL),
        Run(("check", "--settings", "boom:Settings", VERBOSE), "clean", USAGE),
        Run(("check", "--settings", "nosuchmodule:Settings"), "clean", USAGE),
        Run(("check", VERBOSE), "bad-toml", USAGE),
        Run(("check", "--format", "json"), "bad-config", USAGE),
        Run(("check", VERBOSE), "bad-pyproject", frozenset({0, 1, 2})),
        Run(("check", "-f", "python-dotenv", "--env-file", ".env.local", VERBOSE), "broken", FAIL),
        Run(("check", "--framework", "vite", "--format", "sarif"), "broken", FAIL),
        Run(("check", "--mode", "production", VERBOSE, "--format", "github")),
        Run(("check", "--env-file", ".env.local", "--env-file", ".env", VERBOSE), "broken", FAIL),
        Run(("check", "--framework", "nope"), "clean", USAGE),
        Run(("check", "--select", "EC999"), "clean", USAGE),
        Run(("check", "--dir", "no-such-dir"), "clean", USAGE),
        Run(("check", "--env-file", "missing.env"), "clean", USAGE),
        Run(("--mode", "production"), "clean"),  # `envcheck` alone runs check
    ]
    return runs


def _explain_runs() -> list[Run]:
    runs = []
    for fmt in ("text", "json"):
        for variant in ("dirty", "broken"):
            runs.append(Run(("explain", "--format", fmt), variant, OK))
            runs.append(Run(("explain", "--all", "--format", fmt), variant, OK))
        keys = ("OPENAI_API_KEY", "DATABASE_URL", "MULTI", "NOTE", "NOT_SET_ANYWHERE")
        runs.append(Run(("explain", *keys, "--format", fmt), "dirty", FAIL))
        runs.append(Run(("explain", CANARY, "--format", fmt), "dirty", FAIL))
        runs.append(Run(("explain", "--mode", "production", "--format", fmt), "dirty", OK))
    runs += [
        Run(("explain", "--format", "yaml"), "dirty", USAGE),
        Run(("explain", "--dir", "no-such-dir"), "dirty", USAGE),
    ]
    return runs


def _diff_runs() -> list[Run]:
    runs = []
    for fmt in REPORT_FORMATS:
        runs.append(Run(("diff", "--values", VERBOSE, "--format", fmt)))
        runs.append(Run(("diff", "--format", fmt)))
    for fmt in ("text", "json"):
        runs += [
            Run(("diff", ".env", ".env.local", "--values", VERBOSE, "--format", fmt), "broken"),
            Run(("diff", ".env", ".env.production", "--values", "--format", fmt)),
            Run(("diff", "--to", "process", "--values", VERBOSE, "--format", fmt)),
            Run(("diff", "--from", "process", "--values", "--format", fmt)),
            Run(("diff", "--from", "development", "--to", "development", "--values", "-v")),
        ]
    runs += [
        Run(("diff", "--values", VERBOSE, "--settings", "settings:Settings")),
        Run(("diff", VERBOSE), "bad-toml", USAGE),
        Run(("diff", ".env"), "dirty", USAGE),
        Run(("diff", "--mode", "production"), "dirty", USAGE),
        Run(("diff", ".env", "missing.env"), "dirty", USAGE),
        Run(("diff", "--from", "process", "--to", "process"), "dirty", USAGE),
    ]
    return runs


def _probe_runs() -> list[Run]:
    runs = [Run(("probe",), "clean", frozenset({0, 1, 3}), server=name) for name in CASES]
    for fmt in ("text", "json"):
        runs += [
            Run(("probe", "--format", fmt, "--no-cache"), "clean", FAIL, server="echo"),
            Run(("probe", "--format", fmt), "clean", INCONCLUSIVE, server="echo-500"),
            Run(("probe", "--format", fmt, "--var", "OPENAI_API_KEY"), "config", FAIL, "echo"),
        ]
        # twice against the same cache: the second answer comes from the cache
        runs += [Run(("probe", "--format", fmt), "clean", OK, server="funded-param-error")] * 2
    for fmt in REPORT_FORMATS:
        runs.append(Run(("check", "--probe", VERBOSE, "--format", fmt), "clean", FAIL, "echo"))
    runs += [
        Run(("check", "--probe", "--format", "json"), "clean", OK, "funded-param-error"),
        Run(("check", "--probe"), "clean", INCONCLUSIVE, "server-error"),
        Run(("probe", "--timeout", "0"), "clean", USAGE),
    ]
    return runs


CHILD = [sys.executable, "-c", "print('child ran')"]


def _exec_runs() -> list[Run]:
    return [
        Run(("exec", "--", *CHILD), "dirty", FAIL),
        Run(("exec", "--strict", "--", *CHILD), "clean", FAIL),
        Run(("exec", "--", *CHILD), "broken", FAIL),
        Run(("exec", "--", *CHILD), "clean", OK),
        Run(("exec", "--process-env-only", "--", *CHILD), "clean", OK),
        Run(("exec", "--", "no-such-program-envcheck"), "clean", frozenset({127})),
        Run(("exec", "--settings", "boom:Settings", "--", *CHILD), "clean", USAGE),
        Run(("exec", "--settings", "settings:Echoing", "--", *CHILD), "clean", FAIL),
        Run(("exec", "--probe", "--", *CHILD), "clean", FAIL, server="echo"),
        Run(("exec", "--no-process-env", "--", *CHILD), "clean", USAGE),
        Run(("exec", "--", *CHILD), "bad-toml", USAGE),
    ]


TOML = frozenset({"envcheck.toml"})


def _other_runs() -> list[Run]:
    runs = [
        Run(("init",), "dirty", OK, writes=TOML),
        Run(("init", "--from-env"), "broken", OK, writes=TOML),
        Run(("init", "--from-example"), "clean", OK, writes=TOML),
        Run(("init", "--force"), "config", OK, writes=TOML),
        Run(("init",), "config", USAGE),
        Run(("rules",), "clean", OK),
        Run(("rules", "EC401"), "clean", OK),
        Run(("rules", "EC4"), "clean", OK),
        Run(("rules", "no-such-rule"), "clean", USAGE),
        Run(("rules", CANARY), "clean", USAGE),
        Run(("nosuchcommand",), "clean", USAGE),
        Run(("lint", ".env", ".env.local", "--dialect", "python"), "broken", FAIL),
        Run(("lint", ".env", "missing.env"), "broken", USAGE),
        Run(("guard", ".env", ".env.local", ".env.example"), "dirty", FAIL),
        Run(("guard", "missing.env"), "dirty", USAGE),
    ]
    for fmt in REPORT_FORMATS:
        runs.append(
            Run(("lint", ".env", ".env.local", ".env.production", "--format", fmt), "broken")
        )
        runs.append(Run(("guard", ".env", ".env.local", "--format", fmt), "broken", FAIL))
    return runs


RUNS = [*_check_runs(), *_explain_runs(), *_diff_runs(), *_probe_runs(), *_exec_runs()]
RUNS += _other_runs()


def _environment(cache: Path, home: Path, base_url: str | None) -> dict[str, str]:
    """A minimal environment holding the canary; no PYTHONDONTWRITEBYTECODE, so writes show."""
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(cache),
        "OPENAI_API_KEY": CANARY,
        "SERVICE_TOKEN": CANARY,
        "LANG": "C.UTF-8",
    }
    if base_url:
        env["OPENAI_BASE_URL"] = base_url
    return env


@pytest.mark.parametrize("run", RUNS, ids=[r.id for r in RUNS])
def test_no_command_shows_the_canary(
    run: Run,
    templates: dict[str, Path],
    servers: dict[str, ProbeServer],
    cache_home: Path,
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    shutil.copytree(templates[run.variant], project)
    before = _snapshot(project)
    url = servers[run.server].base_url if run.server else None
    env = _environment(cache_home, tmp_path / "home", url)
    env.update(run.env)
    done = subprocess.run(
        [sys.executable, "-m", "envcheck", *run.args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=TIMEOUT,
    )
    output = done.stdout + done.stderr
    assert done.returncode in run.codes, (done.returncode, output[-3000:])
    assert "Traceback" not in output and "internal error" not in output, output[-3000:]
    assert not leaks(done.stdout), f"the canary leaked to stdout: {_context(done.stdout)}"
    assert not leaks(done.stderr), f"the canary leaked to stderr: {_context(done.stderr)}"
    if run.args[0] == "exec" and run.codes == OK:
        assert done.stdout.strip() == "child ran"

    after = _snapshot(project)
    changed = {rel for rel, data in after.items() if before.get(rel) != data}
    assert changed <= run.writes, f"unexpected files written into the project: {sorted(changed)}"
    for rel in changed:
        assert not leaks(after[rel].decode("latin-1")), f"the canary leaked into {rel}"
    for path in [*cache_home.rglob("*"), *(tmp_path / "home").rglob("*")]:
        if path.is_file():
            assert not leaks(path.read_bytes().decode("latin-1")), f"leaked into {path.name}"


def test_probe_cache_is_used_and_holds_no_key(
    templates: dict[str, Path], servers: dict[str, ProbeServer], tmp_path: Path
) -> None:
    """Two probes of a funded key: one request, then a cached verdict; the cache holds an HMAC."""
    server = servers["funded-param-error"]
    cache = tmp_path / "xdg"
    env = _environment(cache, tmp_path / "home", server.base_url)
    server.requests.clear()
    answers = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "envcheck", "probe", "--format", "json"],
            cwd=templates["clean"],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert done.returncode == 0, done.stderr
        assert not leaks(done.stdout + done.stderr)
        answers.append(json.loads(done.stdout)["results"][0])
    assert [a["requests"] for a in answers] == [1, 0]
    assert answers[1]["detail"].get("cached") == "true"
    assert len(server.requests) == 1
    files = [p for p in cache.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"probe-cache.json"}
    digest = hashlib.sha256(CANARY.encode()).hexdigest()
    for path in files:
        data = path.read_bytes().decode("latin-1")
        assert not leaks(data) and digest not in data
