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
  ``.env.sample``, ``.env.template``, …) and a test run's committed settings
  (``.env.test``, ``.env.testing``) only a value shaped like a real key.

A committed secret stays readable however it is written, so the file is
read the way the most lenient loader reads it - UTF-8 with or without a
byte-order mark, UTF-16 with one - and besides the entries the dialect
keeps, ``guard`` scans commented-out assignments (``# OPENAI_API_KEY=sk-…``)
and lines that hold nothing but a credential (a key pasted on a line of its
own).  What it cannot read (bytes that are no text, a file it may not open)
is refused with exit 2, never passed.

Findings carry EC402 and point at the key's line, so
``# envcheck: ignore[EC402]`` on that line accepts a value on purpose.  The
value itself is never printed, only the key and the kind of credential.
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from envcheck.commands.common import named_env_files
from envcheck.commands.reporting import FORMATS
from envcheck.errors import EXIT_FINDINGS, EXIT_OK, SourceError
from envcheck.fanout.hook import workspace_hook
from envcheck.fanout.result import AppRun
from envcheck.model import Finding, Location, Report, Severity
from envcheck.project import files_to_guard
from envcheck.secret import safe_key
from envcheck.sources.readers import DIALECTS
from envcheck.sources.types import Entry

__all__ = ["guard", "guard_app", "guard_files", "is_local_file"]

# ``.env.local`` and ``.env.<mode>.local``: the files every framework reads as "this machine only".
_LOCAL = re.compile(r"\.env(?:\.[^/\\]+)?\.local")
# dotenvx's encrypted vault is committed by design (its keys live in .env.keys).
_COMMITTED_BY_DESIGN = frozenset({".env.vault"})


def is_local_file(path: Path) -> bool:
    """Whether the file name marks a machine-local env file that git must never hold."""
    return bool(_LOCAL.fullmatch(path.name))


def _kind(value: str) -> str:
    """``: an OpenAI API key`` when a detector names the value's shape, else empty."""
    from envcheck.schema.formats import DETECTORS, detect

    name = detect(value.strip())
    if name not in DETECTORS:
        return ""
    title = DETECTORS[name].title
    return f": {'an' if title[0] in 'AEIOU' else 'a'} {title}"


def _local_name(name: str) -> str:
    """Where a secret in ``name`` belongs: its ``.local`` counterpart, ignored by git."""
    return f"{name}.local" if re.fullmatch(r"\.env(?:\.[A-Za-z0-9_-]+)?", name) else ".env.local"


def _move_hint(path: Path) -> Callable[[str], str]:
    """Where a secret of ``path`` should live instead: a ``.local`` file only if the app
    reads one, as a function of the key.

    Next.js and Vite read ``.env.local``; docker compose, python-dotenv and a
    plain ``.env`` never do, so there the file itself must leave git.  The framework is
    detected once per file: a file with 16,000 secrets gets one hint per secret, not one
    detection per secret.
    """
    from envcheck.sources.detect import detect
    from envcheck.sources.profiles import get_profile

    local = _local_name(path.name)
    profile = get_profile(detect(path.parent))
    modes = ("development", "production", "test")
    if any(local in profile.candidates(mode) for mode in modes):
        return lambda key: (
            f"move {key} to {local} (keep .env*.local in .gitignore) and commit a "
            ".env.example with a placeholder instead"
        )
    return lambda key: (
        f"{local} is not read here ({profile.title}): keep {path.name} itself out of git "
        f"(add it to .gitignore, `git rm --cached {path.name}`) and commit a .env.example "
        "with a placeholder instead"
    )


def _unreadable(shown: str, why: str, hint: str) -> SourceError:
    """Exit 2: a file guard cannot read is refused, never passed as clean."""
    return SourceError(f"cannot check this file: {why}", where=shown, hint=hint)


def _text(path: Path, shown: str) -> str:
    """The file's text as the most lenient loader would read it; SourceError when unreadable.

    UTF-16 with a byte-order mark is decoded (``open(…, encoding="utf-16")``
    reads it, and git keeps it either way); UTF-8 through the loaders' own
    decoder (:mod:`envcheck.sources.decode`), without the BOM so that the
    first line is scanned like any other.  Invalid UTF-8 or NUL bytes mean
    the file is not the text guard would scan: refused, not guessed at.
    """
    from envcheck.sources.decode import BOM, decode
    from envcheck.sources.resolve import MAX_FILE_BYTES, read_again

    data = read_again(path, named=True)  # regular, in the project or named, capped
    if data is None:
        raise _unreadable(
            shown, "it is not a regular file envcheck may open", "check its type and permissions"
        )
    if len(data) > MAX_FILE_BYTES:
        raise _unreadable(
            shown,
            f"it is over {MAX_FILE_BYTES // (1024 * 1024)} MiB",
            "an env file this big is not one; keep it out of the commit",
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").removeprefix(BOM)
        except UnicodeDecodeError:
            raise _unreadable(
                shown, "it starts like UTF-16 but is not valid UTF-16", "save it as UTF-8"
            ) from None
    text, problems = decode(data, shown)
    for problem in problems:
        if problem.kind in ("invalid-utf8", "binary"):
            where = f"{shown}:{problem.line}:{problem.col}" if problem.line else shown
            raise SourceError(
                f"cannot check this file: {problem.message}",
                where=where,
                hint="save it as UTF-8 text",
            )
    return text.removeprefix(BOM)


def _commented(text: str) -> str:
    """Only the commented-out lines, their ``#`` made blanks: the same lines and columns.

    ``# OPENAI_API_KEY=sk-…`` is not loaded, but it is committed all the same.
    """
    lines = []
    for line in text.split("\n"):
        body = line.lstrip(" \t")
        if body.startswith("#") and "=" in body:
            hashes = len(body) - len(body.lstrip("#"))
            lines.append(line[: len(line) - len(body)] + " " * hashes + body[hashes:])
        else:
            lines.append("")
    return "\n".join(lines)


def _bare_credentials(text: str, shown: str) -> Iterator[tuple[Location, str]]:
    """Lines that hold nothing but a credential (commented out or not), with its kind.

    A key pasted on a line of its own is dropped by some parsers and glued
    onto the next key by others; either way it is in the commit.  The test
    is the security rules' shape test (:func:`envcheck.rules.envfiles.value_is_secret`).
    """
    from envcheck.rules import envfiles

    for number, line in enumerate(text.splitlines(), 1):
        body = line.strip().lstrip("#").strip().strip("\"'`")
        if body and "=" not in body and envfiles.value_is_secret(body):
            yield Location(shown, number, line.index(body[0]) + 1), body


def _secret_findings(path: Path, shown: str, dialect: str) -> Iterator[Finding]:
    from envcheck.rules import envfiles
    from envcheck.rules.security import EC402
    from envcheck.sources.readers import parser_for

    text = _text(path, shown)
    template = envfiles.is_template(path.name)
    from envcheck.sources.templates import committed_settings

    settings = committed_settings(path.name)
    by_shape = template or settings is not None  # committed on purpose: stand-ins
    parse = parser_for(dialect)
    kept = list(envfiles.secret_entries(parse(text, shown)))
    commented = [
        e
        for e in parse(_commented(text), shown).entries
        if envfiles.entry_is_secret(e, template=by_shape)
    ]
    entry: Entry
    move_hint: Callable[[str], str] | None = None  # detected at the first secret
    found = [(e, False) for e in kept] + [(e, True) for e in commented]
    for entry, is_comment in sorted(found, key=lambda pair: (pair[0].line, pair[0].col)):
        where = Location(shown, entry.line, entry.col)
        name = safe_key(entry.key)  # a pasted credential can be a "key" (util.parseEnv)
        if is_comment:
            name = f"{name}, commented out"
        if by_shape:
            meant = "a template" if template else settings
            yield EC402.finding(
                f"{shown} is {meant} meant for git, but {name} holds what looks "
                f"like a real key{_kind(entry.value)}",
                where,
                key=entry.key,
                hint=f"replace the value with a placeholder ({safe_key(entry.key)}=) and rotate "
                "the key if it was ever pushed",
            )
        elif path.name == ".env.keys" or path.name.startswith(".env.keys."):
            # dotenvx's private keys: the file exists to stay out of git (the encrypted
            # .env is what is committed); moving the key elsewhere is not the fix.
            yield EC402.finding(
                f"{shown} holds dotenvx's private key ({name}) and must not be committed",
                where,
                key=entry.key,
                hint=f"add {path.name} to .gitignore; if it was ever pushed, run "
                "`dotenvx rotate` and commit the re-encrypted files",
            )
        else:
            yield EC402.finding(
                f"{shown} holds a secret ({name}{_kind(entry.value)}) and must not be committed",
                where,
                key=entry.key,
                hint=(move_hint := move_hint or _move_hint(path))(safe_key(entry.key)),
            )
    for where, value in _bare_credentials(text, shown):
        yield EC402.finding(
            f"{shown} holds a credential on a line of its own{_kind(value)}; "
            "it is committed even though no key is set from it",
            where,
            hint="delete the line and rotate the credential if it was ever pushed",
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


def guard_files(
    paths: list[Path], dialect: str = "node", *, notes: list[str] | None = None
) -> Report:
    """Findings for every file in ``paths`` that must not be committed; raises SourceError.

    What is said beside the report (a link to a file not created yet) goes to
    stderr, or into ``notes`` when given (a workspace app's run).

    git is asked first: a file it ignores and does not hold (neither tracked
    nor staged) cannot enter a commit, so it passes whatever it holds; one
    git tracks or has staged is refused with the state named.
    """
    from envcheck.report.sanitize import for_terminal
    from envcheck.rules import gitfiles, suppress
    from envcheck.rules.security import EC402
    from envcheck.sources.resolve import DANGLING_LINK, read_again

    dangling = [p for p in paths if p.is_symlink() and not p.exists()]
    for path in dangling:  # git stores the link, not a file: nothing in it can leak
        line = for_terminal(f"envcheck: {path}: {DANGLING_LINK}")
        if notes is None:
            click.echo(line, err=True)
        else:
            notes.append(line)
    paths = [p for p in paths if p not in dangling]
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
            texts[shown] = (read_again(path, named=True) or b"").decode("utf-8", "replace")
            findings.extend(found)
    kept = suppress.apply(findings, texts.get)
    return Report(findings=kept, files=[str(p) for p in paths])


def guard_app(call: dict[str, Any]) -> tuple[AppRun, None]:
    """One app of a workspace root (``call``: the command's arguments, ``files`` the app's
    env files): its report, exit code and notes as data."""
    notes: list[str] = []
    report = guard_files(list(call["files"]), call.get("dialect") or "node", notes=notes)
    return AppRun(EXIT_FINDINGS if report.findings else EXIT_OK, report, tuple(notes)), None


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
@workspace_hook("guard", guard_app)  # at a monorepo root: every app
def guard(ctx: click.Context, files: tuple[Path, ...], dialect: str, fmt: str, quiet: bool) -> int:
    """Refuse env FILES that hold secrets or are machine-local (for pre-commit).

    Without FILES, the env files of the current directory (templates too).
    Exit 1 when any file must not be committed, 2 when a file cannot be read.
    """
    from envcheck.commands.reporting import emit

    paths = named_env_files(list(files)) if files else files_to_guard(Path.cwd())
    if not paths:
        where = "among the files named" if files else "here"
        click.echo(f"envcheck: no env files {where} to guard", err=True)
        return EXIT_OK
    report = guard_files(paths, dialect)
    emit(report, fmt, quiet=quiet, verbose=False, stream=sys.stdout)
    code = EXIT_FINDINGS if report.findings else EXIT_OK
    if code:
        ctx.exit(code)
    return code
