"""Run a rule family over a fixture project copied into a temp dir.

A fixture is a directory under ``fixtures/rules/<family>/<CODE>/`` holding
the project files, ``fixture.toml`` (framework, mode, process environment,
git and permission setup) and ``expected.txt``: one
``location: CODE severity message`` line per finding, in report order.
Git metadata cannot live inside the envcheck repository, so ``gitignore.txt``
becomes ``.gitignore`` in the copy and ``git.tracked`` lists the files to commit.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from envcheck.model import Finding, Report
from envcheck.rules.base import CheckContext
from envcheck.secret import Secret
from envcheck.sources.profiles import Profile, get_profile
from envcheck.sources.types import Origin, Problem, Resolution, Resolved
from tests.harness import FIXTURES, REPO_ROOT, git

_META = {"fixture.toml", "expected.txt", "gitignore.txt"}


def git_repo(path: Path, tracked: Iterable[str] = ()) -> None:
    """A real repository at ``path`` with ``tracked`` committed."""
    git(path, "init", "-q", "-b", "main")
    names = list(tracked)
    if names:
        git(path, "add", "-f", "--", *names)
        git(path, "commit", "-q", "-m", "init")


def fallback_resolution(
    project: Path, profile: Profile, mode: str, process_env: Mapping[str, str]
) -> Resolution:
    """Files in the profile's order, first wins, process wins; no expansion.

    Used only while the profile's real loader is not written yet.
    """
    from envcheck.sources.resolve import parse_file

    parsed = [
        p
        for name in profile.candidates(mode)
        if (p := parse_file(project / name, name, profile.dialect)) is not None
    ]
    vars_: dict[str, Resolved] = {}
    for pf in parsed:
        for key, entry in pf.last_entries().items():
            if key in vars_:
                vars_[key].shadowed.append(Origin.of(entry))
            else:
                vars_[key] = Resolved(key, Secret(entry.value), Origin.of(entry), [], None, entry)
    for key, res in vars_.items():
        if key in process_env:
            res.shadowed.insert(0, res.origin)
            res.origin = Origin("process")
            res.value = Secret(process_env[key])
            res.entry = None
    return Resolution(
        profile.name,
        mode,
        [p.path for p in parsed],
        parsed,
        vars_,
        skipped=profile.skipped(mode),
    )


def resolution_for(
    project: Path, profile: Profile, mode: str, process_env: Mapping[str, str]
) -> Resolution:
    """The real resolver when the profile's loader exists, else :func:`fallback_resolution`."""
    from envcheck.sources.resolve import resolve

    try:
        return resolve(project, profile, mode, process_env)
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("envcheck.sources.load_"):
            return fallback_resolution(project, profile, mode, process_env)
        raise


def context(
    project: Path,
    framework: str = "nextjs",
    mode: str = "development",
    process_env: Mapping[str, str] | None = None,
    schema: Any = None,
) -> CheckContext:
    profile = get_profile(framework)
    env = dict(process_env or {})
    return CheckContext(project, profile, resolution_for(project, profile, mode, env), env, schema)


def line(f: Finding) -> str:
    """``path:line:col: CODE severity message``, then a ``  related: place label`` line each."""
    related = "".join(f"\n  related: {r}" for r in f.related)
    return f"{f.location}: {f.code} {f.severity.value} {f.message}{related}"


def render(findings: Iterable[Finding]) -> list[str]:
    return [ln for f in Report(list(findings)).sorted() for ln in line(f).split("\n")]


def setup_fixture(src: Path, dst: Path) -> dict[str, Any]:
    """Copy fixture ``src`` to ``dst``, build its git repo and permissions; return its config."""
    meta = tomllib.loads((src / "fixture.toml").read_text(encoding="utf-8"))
    for item in src.iterdir():
        if item.is_dir():  # build output such as .next/
            shutil.copytree(item, dst / item.name)
        elif item.name not in _META:
            shutil.copy2(item, dst / item.name)
            (dst / item.name).chmod(0o600)
    if (src / "gitignore.txt").exists():
        shutil.copy2(src / "gitignore.txt", dst / ".gitignore")
    if "git" in meta:
        git_repo(dst, meta["git"].get("tracked", []))
    for name, mode in meta.get("chmod", {}).items():
        (dst / name).chmod(int(mode, 8))
    return meta


def run_fixture(
    src: Path, dst: Path, check: Callable[[CheckContext], Iterable[Finding]]
) -> list[str]:
    """The fixture's findings as ``expected.txt`` lines.

    ``notes`` in fixture.toml are appended to the resolution's loader notes;
    ``compare = "code"`` keeps only ``path: CODE severity`` (the message and
    the line of a loader note are the loader's to choose).
    """
    meta = setup_fixture(src, dst)
    ctx = context(
        dst,
        meta.get("framework", "nextjs"),
        meta.get("mode", "development"),
        meta.get("process_env", {}),
    )
    ctx.resolution.notes.extend(Problem(**n) for n in meta.get("notes", []))
    findings = Report(list(check(ctx))).sorted()
    if meta.get("compare") == "code":
        return [f"{f.location.path or 'process'}: {f.code} {f.severity.value}" for f in findings]
    return [ln for f in findings for ln in line(f).split("\n")]


def expected(src: Path) -> list[str]:
    return (src / "expected.txt").read_text(encoding="utf-8").splitlines()


def isolated_git(monkeypatch: Any, home: Path) -> None:
    """No global or system git config (a global excludesFile would change the answers)."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(var, raising=False)


# --- every fixture through the real command -------------------------------------------

RULE_FIXTURES = FIXTURES / "rules"
# The command a family's findings come from, when fixture.toml names none (the
# families `check` does not run have their own commands; the probe is `check --probe`).
COMMAND_OF_FAMILY = {"diff": "diff", "syntax": "lint", "style": "lint"}
# The only process environment a fixture run sees, besides its own ``process_env``.
_KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV")


def rule_fixtures() -> list[Path]:
    """Every rule fixture: a ``<family>/<CODE>/`` project, or a ``<family>/<CODE>.env`` file."""
    return sorted(
        path
        for family in RULE_FIXTURES.iterdir()
        if family.is_dir()
        for path in family.iterdir()
        if path.name.startswith("EC") and (path.is_dir() or path.suffix == ".env")
    )


def is_env_file_fixture(path: Path) -> bool:
    """``<CODE>.env`` (linted as it is; EC109's is a directory, an unreadable env file)."""
    return path.suffix == ".env"


def fixture_code(path: Path) -> str:
    return path.name.removesuffix(".env")


def fixture_expected(path: Path) -> list[str]:
    """The lines the fixture's run must print: ``expected.txt``, or ``<CODE>.expected``."""
    text = path.with_suffix(".expected") if is_env_file_fixture(path) else path / "expected.txt"
    return text.read_text(encoding="utf-8").splitlines() if text.is_file() else []


_CODE_IN_LINE = re.compile(r": (EC\d{3})\b")


def shown_codes(path: Path) -> frozenset[str]:
    """The fixture's own code and every other code its expected output shows.

    A fixture may show a neighbour's findings too (EC310's shows that the
    placeholders it reports are not EC306's as well): those rules run as
    well, and all their findings must be exactly the expected ones.
    """
    found = {m.group(1) for line in fixture_expected(path) if (m := _CODE_IN_LINE.search(line))}
    return frozenset({fixture_code(path), *found})


def _json_lines(findings: list[dict[str, Any]], *, severity: bool, code_only: bool) -> list[str]:
    """The JSON output's findings as expected-file lines (see :func:`line`)."""
    from envcheck.model import Location

    out: list[str] = []
    for f in findings:
        where = Location(f["path"], f["line"], f["col"])
        if code_only:
            out.append(f"{f['path'] or 'process'}: {f['code']} {f['severity']}")
            continue
        level = f" {f['severity']}" if severity else ""
        out.append(f"{where}: {f['code']}{level} {f['message']}")
        out.extend(
            f"  related: {Location(r['path'], r['line'], r['col'])} {r['label']}"
            for r in f.get("related", ())
        )
    return out


def run_rule_fixture(path: Path, workdir: Path, monkeypatch: Any) -> list[str]:
    """What the real command prints for the fixture at ``path``, as expected-file lines.

    The command runs in this process (``envcheck.cli.main``), in a copy of the
    project under ``workdir``, with ``--format json --select CODE`` (and a
    ``--select`` for each other code ``expected.txt`` shows), a process
    environment of PATH, HOME and the fixture's ``process_env`` only, and git
    without the machine's config.  fixture.toml may say:

    * ``command`` (default: the family's, else ``check``) and ``args``, given
      after ``--framework`` (``framework``, default nextjs) and ``--mode``
      (``mode``, default development; not for ``diff``, whose sides are
      ``--from`` and ``--to`` in ``args``);
    * ``cwd``: the folder of the copy to run in (an app of a workspace);
    * ``settings``: the fixture's pydantic-settings class, passed as ``--settings``;
    * ``process_env``, ``[git]``, ``[chmod]`` (:func:`setup_fixture`);
    * ``compare = "code"``: only ``path: CODE severity`` is compared;
    * ``probe_case``: a recorded answer of ``tests/data/openai-errors.json``,
      served on loopback; its base URL is ``OPENAI_BASE_URL`` in the process
      environment (where a trusted base URL comes from);
    * ``notes`` / ``problems``: loader notes / parser problems of kinds no
      loader or parser emits today, added to the resolution as a new one
      would (EC508, EC199: what is unknown today must still be reported).

    The machine counts as shared (one other account in use), so EC404 speaks.
    """
    import contextlib

    from envcheck.cli import main
    from envcheck.rules import security

    family = path.parent.name
    monkeypatch.setattr(security, "other_accounts", lambda owner: 1)
    home = workdir / "home"
    home.mkdir()
    for name in list(os.environ):
        if name not in _KEPT_ENVIRONMENT:
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    codes = shown_codes(path)
    select = ["--format", "json", *(arg for c in codes for arg in ("--select", c))]
    if is_env_file_fixture(path):  # one env file, linted where it is: paths as in the expected file
        monkeypatch.chdir(REPO_ROOT)
        from tests.lint_fixtures import dialect

        argv = ["lint", *select, "--dialect", dialect(path), str(path.relative_to(REPO_ROOT))]
        return _lines_of(main, argv, codes=codes, severity=False, code_only=False)
    project = workdir / "project"
    project.mkdir()
    meta = setup_fixture(path, project)
    monkeypatch.chdir(project / meta.get("cwd", "."))
    for key, value in meta.get("process_env", {}).items():
        monkeypatch.setenv(key, value)
    _inject(meta, monkeypatch)
    command = meta.get("command", COMMAND_OF_FAMILY.get(family, "check"))
    argv = [command, *select]
    argv += ["--framework", meta.get("framework", "nextjs")]
    if command != "diff":  # diff's sides are --from and --to (``args``)
        argv += ["--mode", meta.get("mode", "development")]
    if "settings" in meta:  # a pydantic-settings class of the fixture (trusted: named here)
        argv += ["--settings", meta["settings"]]
    argv += meta.get("args", [])
    with contextlib.ExitStack() as stack:
        if "probe_case" in meta:
            from tests.probe_server import Reply, load_cases, serve

            case = next(c for c in load_cases() if c["name"] == meta["probe_case"])
            server = stack.enter_context(serve(Reply.from_case(case)))
            monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        return _lines_of(
            main, argv, codes=codes, severity=True, code_only=meta.get("compare") == "code"
        )


def _lines_of(
    main: Callable[[list[str]], int],
    argv: list[str],
    *,
    codes: frozenset[str],
    severity: bool,
    code_only: bool,
) -> list[str]:
    import contextlib
    import io
    import json

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    assert status in (0, 1, 3), f"envcheck {' '.join(argv)} exited {status}: {err.getvalue()}"
    document = json.loads(out.getvalue())
    findings = [f for f in document["findings"] if f["code"] in codes]
    return _json_lines(findings, severity=severity, code_only=code_only)


def _inject(meta: Mapping[str, Any], monkeypatch: Any) -> None:
    """Add fixture.toml's ``notes`` and ``problems`` to the project the command loads."""
    notes = [Problem(**n) for n in meta.get("notes", [])]
    problems = [Problem(**p) for p in meta.get("problems", [])]
    if not notes and not problems:
        return
    import envcheck.engine

    real_load = envcheck.engine.load

    def load_with_injection(*args: Any, **kwargs: Any) -> Any:
        project = real_load(*args, **kwargs)
        project.resolution.notes.extend(notes)
        for parsed in project.resolution.parsed:
            parsed.problems.extend(p for p in problems if p.path == parsed.path)
        return project

    monkeypatch.setattr(envcheck.engine, "load", load_with_injection)
