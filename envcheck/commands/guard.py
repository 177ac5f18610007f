"""``envcheck guard FILE…``: refuse env files that hold secrets (for pre-commit).

pre-commit passes the staged files, so every file given here is about to
enter git history, where a key outlives any later ``git rm``.  A file is
refused when

* its name says it is machine-local (``.env.local``, ``.env.<mode>.local``):
  frameworks load it *because* it is never committed, whatever it holds today;
* it holds an entry that is a secret, decided exactly as the security rules
  decide it (:mod:`envcheck.rules.envfiles`), so ``guard`` at commit time and
  EC402 ``secret-file-tracked-by-git`` afterwards never disagree: by name or
  by shape, never a placeholder; in templates (``.env.example``,
  ``.env.sample``, ``.env.template``, …) only a value shaped like a real key.

Findings carry EC402 and point at the key's line, so
``# envcheck: ignore[EC402]`` on that line accepts a value on purpose.  The
value itself is never printed, only the key and the kind of credential.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from envcheck.commands.reporting import FORMATS
from envcheck.errors import EXIT_FINDINGS, EXIT_OK, SourceError
from envcheck.model import Finding, Location, Report, Severity
from envcheck.sources.readers import DIALECTS
from envcheck.sources.types import Entry
from envcheck.workspace.hook import workspace_hook

__all__ = ["guard", "guard_files", "is_local_file"]

# ``.env.local`` and ``.env.<mode>.local``: the files every framework reads as "this machine only".
_LOCAL = re.compile(r"\.env(?:\.[^/\\]+)?\.local")
# dotenvx's encrypted vault is committed by design (its keys live in .env.keys).
_COMMITTED_BY_DESIGN = frozenset({".env.vault"})


def is_local_file(path: Path) -> bool:
    """Whether the file name marks a machine-local env file that git must never hold."""
    return bool(_LOCAL.fullmatch(path.name))


def _kind(value: str) -> str:
    """``: an OpenAI API key`` when a detector names the value's shape, else empty."""
    try:
        from envcheck.schema.formats import DETECTORS, detect
    except ImportError:  # pragma: no cover - the schema package is optional here
        return ""
    name = detect(value.strip())
    if name not in DETECTORS:
        return ""
    title = DETECTORS[name].title
    return f": {'an' if title[0] in 'AEIOU' else 'a'} {title}"


def _local_name(name: str) -> str:
    """Where a secret in ``name`` belongs: its ``.local`` counterpart, ignored by git."""
    return f"{name}.local" if re.fullmatch(r"\.env(?:\.[A-Za-z0-9_-]+)?", name) else ".env.local"


def _secret_findings(path: Path, shown: str, dialect: str) -> Iterator[Finding]:
    from envcheck.rules import envfiles
    from envcheck.rules.security import EC402
    from envcheck.sources.resolve import parse_file

    parsed = parse_file(path, shown, dialect)
    if parsed is None:
        raise SourceError("file not found", where=shown, hint="check the file name")
    template = envfiles.is_template(path.name)
    entry: Entry
    for entry in envfiles.secret_entries(parsed):
        where = Location(shown, entry.line, entry.col)
        if template:
            yield EC402.finding(
                f"{shown} is a template meant for git, but {entry.key} holds what looks "
                f"like a real key{_kind(entry.value)}",
                where,
                key=entry.key,
                hint=f"replace the value with a placeholder ({entry.key}=) and rotate the key "
                "if it was ever pushed",
            )
        elif path.name == ".env.keys" or path.name.startswith(".env.keys."):
            # dotenvx's private keys: the file exists to stay out of git (the encrypted
            # .env is what is committed); moving the key elsewhere is not the fix.
            yield EC402.finding(
                f"{shown} holds dotenvx's private key ({entry.key}) and must not be committed",
                where,
                key=entry.key,
                hint=f"add {path.name} to .gitignore; if it was ever pushed, run "
                "`dotenvx rotate` and commit the re-encrypted files",
            )
        else:
            yield EC402.finding(
                f"{shown} holds a secret ({entry.key}{_kind(entry.value)}) and must not be "
                "committed",
                where,
                key=entry.key,
                hint=f"move {entry.key} to {_local_name(path.name)} (keep .env*.local in "
                ".gitignore) and commit a .env.example with a placeholder instead",
            )


def _git_states(paths: list[Path]) -> dict[Path, str]:
    """Each file's state as the real git sees it: tracked, staged, ignored or untracked.

    Asked per directory (paths relative to it); a file git cannot tell about
    (no repository, no git) is left out, and is then refused as before.
    """
    from envcheck.rules import gitfiles

    by_dir: dict[Path, list[Path]] = {}
    for path in paths:
        by_dir.setdefault(path.absolute().parent, []).append(path)
    states: dict[Path, str] = {}
    for directory, group in by_dir.items():
        answer = gitfiles.status(directory, [p.name for p in group], staged=True)
        states.update({p: answer[p.name] for p in group if p.name in answer})
    return states


def _not_ignored(shown: str, where: Location, key: str | None = None) -> Finding:
    from envcheck.rules.security import EC403

    return EC403.finding(
        f"{shown} is not committed, but git does not ignore it: one `git add .` away from a commit",
        where,
        key=key,
        severity=Severity.ERROR,
        hint="add .env*.local (or this file) to .gitignore",
    )


def guard_files(paths: list[Path], dialect: str = "node") -> Report:
    """Findings for every file in ``paths`` that must not be committed; raises SourceError.

    git is asked first: a file it ignores and does not hold (neither tracked
    nor staged) cannot enter a commit, so it passes whatever it holds; one
    git tracks or has staged is refused with the state named.
    """
    from envcheck.rules import gitfiles, suppress
    from envcheck.rules.security import EC402

    for path in paths:
        if path.name not in _COMMITTED_BY_DESIGN and not path.is_file():
            raise SourceError("file not found", where=str(path), hint="check the file name")
    states = _git_states([p for p in paths if p.name not in _COMMITTED_BY_DESIGN])
    findings: list[Finding] = []
    texts: dict[str, str | None] = {}
    for path in paths:
        shown = str(path)
        state = states.get(path)
        if path.name in _COMMITTED_BY_DESIGN or state == gitfiles.IGNORED:
            continue  # ignored and not in the index: git will not commit it
        if is_local_file(path):
            if state == gitfiles.UNTRACKED:
                findings.append(_not_ignored(shown, Location(shown)))
                continue
            held = {
                gitfiles.TRACKED: "git tracks it",
                gitfiles.STAGED: "it is staged for commit",
            }.get(state or "", "it must stay out of git")
            findings.append(
                EC402.finding(
                    f"{shown} is a machine-local env file and {held}: frameworks read it "
                    "because it never leaves this machine",
                    Location(shown),
                    hint=f"unstage it (git rm --cached {shown}) and add .env*.local to .gitignore"
                    if state in (gitfiles.TRACKED, gitfiles.STAGED)
                    else "keep .env*.local in .gitignore and never `git add -f` it",
                )
            )
            continue
        found = list(_secret_findings(path, shown, dialect))
        if found:
            texts[shown] = path.read_bytes().decode("utf-8", "replace")
            findings.extend(found)
    kept = suppress.apply(findings, texts.get)
    return Report(findings=kept, files=[str(p) for p in paths])


def project_env_files(directory: Path) -> list[Path]:
    """What ``guard`` checks when given no file: the env files here, templates included."""
    from envcheck.rules.envfiles import env_file_names, template_names

    names = dict.fromkeys([*env_file_names(directory), *template_names(directory)])
    base = directory if directory != Path.cwd() else Path()
    return [base / n for n in names]


@click.command("guard")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--dialect",
    type=click.Choice(sorted(DIALECTS)),
    default="node",
    show_default=True,
    help="Whose parser reads the files.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.pass_context
@workspace_hook("guard")  # at a monorepo root: every app
def guard(ctx: click.Context, files: tuple[Path, ...], dialect: str, fmt: str, quiet: bool) -> int:
    """Refuse env FILES that hold secrets or are machine-local (for pre-commit).

    Without FILES, the env files of the current directory (templates too).
    Exit 1 when any file must not be committed, 2 when a file cannot be read.
    """
    from envcheck.commands.reporting import emit

    paths = list(files) or project_env_files(Path.cwd())
    if not paths:
        click.echo("envcheck: no env files here to guard", err=True)
        return EXIT_OK
    report = guard_files(paths, dialect)
    emit(report, fmt, quiet=quiet, verbose=False, stream=sys.stdout)
    code = EXIT_FINDINGS if report.findings else EXIT_OK
    if code:
        ctx.exit(code)
    return code
