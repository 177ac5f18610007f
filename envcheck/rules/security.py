"""Security rules (EC4xx): secrets that reach a browser bundle, a git remote or the wire.

Each check names the key and the place, never the value.  Whether a value is
a secret is decided in one place (:mod:`envcheck.schema.classify`), and git is
asked through the real ``git`` (:mod:`envcheck.rules.gitfiles`), because
``.gitignore`` semantics (negations, nested ignores, ``core.excludesFile``,
``info/exclude``) are too subtle to re-implement.
"""

from __future__ import annotations

import operator
import os
import sys
import urllib.parse
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from envcheck.model import PUBLIC_PREFIXES, Finding, Location, Severity
from envcheck.rules import deploy, envfiles, expiry, gitfiles
from envcheck.rules.base import CheckContext, DocsIn, Rule
from envcheck.schema import classify, public_keys
from envcheck.secret import (
    credential_slot,
    is_secret_name,
    local_host,
    not_a_secret_because,
    reveal,
)
from envcheck.sources.types import Entry, Origin, ParsedFile, Resolved

_DOCS = DocsIn("envcheck.rules.security_docs")  # read by `envcheck rules`, never by check


def _rule(code: str, name: str, severity: Severity, summary: str) -> Rule:
    return Rule(code, name, severity, summary, _DOCS)


EC401 = _rule(
    "EC401",
    "secret-under-public-prefix",
    Severity.ERROR,
    "a secret under a prefix that ships it to the browser",
)
EC402 = _rule(
    "EC402",
    "secret-file-tracked-by-git",
    Severity.ERROR,
    "a file holding secrets is tracked by git",
)
EC403 = _rule(
    "EC403",
    "secret-file-not-ignored",
    Severity.WARNING,
    "a file holding secrets is neither tracked nor ignored by git",
)
EC404 = _rule(
    "EC404",
    "world-readable-secret-file",
    Severity.WARNING,
    "a file holding secrets is readable by every user",
)
EC405 = _rule(
    "EC405",
    "plain-http-base-url",
    Severity.ERROR,
    "an API base URL sends the key over plain HTTP",
)
EC406 = _rule(
    "EC406",
    "sdk-variable-name-confusion",
    Severity.WARNING,
    "a variable name the official SDK does not read",
)
EC407 = _rule(
    "EC407",
    "start-up-hijack-variable",
    Severity.WARNING,
    "an env file sets a variable that makes programs load or run code",
)
RULES = (EC401, EC402, EC403, EC404, EC405, EC406, EC407, *deploy.SECURITY_RULES, *expiry.RULES)

# Variable names people set that the SDKs never read -> the name they do read.
# openai-python 1.x+ (lib/_client_auth.py) and openai-node read OPENAI_API_KEY,
# OPENAI_ADMIN_KEY, OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_WEBHOOK_SECRET,
# OPENAI_BASE_URL; AzureOpenAI reads AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT,
# AZURE_OPENAI_AD_TOKEN, OPENAI_API_VERSION; anthropic reads ANTHROPIC_API_KEY,
# ANTHROPIC_AUTH_TOKEN, ANTHROPIC_BASE_URL.  The wrong names are the openai 0.x
# ones (OPENAI_API_BASE, OPENAI_ORGANIZATION) and common guesses.
SDK_NAMES: dict[str, tuple[str, str]] = {
    "OPENAI_API_BASE": ("OPENAI_BASE_URL", "openai"),
    "OPENAI_API_BASE_URL": ("OPENAI_BASE_URL", "openai"),
    "OPENAI_API_URL": ("OPENAI_BASE_URL", "openai"),
    "OPENAI_ORGANIZATION": ("OPENAI_ORG_ID", "openai"),
    "OPENAI_ORGANIZATION_ID": ("OPENAI_ORG_ID", "openai"),
    "OPENAI_ORG": ("OPENAI_ORG_ID", "openai"),
    "OPENAI_PROJECT": ("OPENAI_PROJECT_ID", "openai"),
    "OPENAI_KEY": ("OPENAI_API_KEY", "openai"),
    "OPENAI_TOKEN": ("OPENAI_API_KEY", "openai"),
    "OPENAI_SECRET_KEY": ("OPENAI_API_KEY", "openai"),
    "AZURE_OPENAI_KEY": ("AZURE_OPENAI_API_KEY", "openai (AzureOpenAI)"),
    "AZURE_OPENAI_BASE_URL": ("AZURE_OPENAI_ENDPOINT", "openai (AzureOpenAI)"),
    "AZURE_OPENAI_API_VERSION": ("OPENAI_API_VERSION", "openai (AzureOpenAI)"),
    "ANTHROPIC_KEY": ("ANTHROPIC_API_KEY", "anthropic"),
    "ANTHROPIC_TOKEN": ("ANTHROPIC_API_KEY", "anthropic"),
    "CLAUDE_API_KEY": ("ANTHROPIC_API_KEY", "anthropic"),
    "ANTHROPIC_API_BASE": ("ANTHROPIC_BASE_URL", "anthropic"),
    "ANTHROPIC_API_URL": ("ANTHROPIC_BASE_URL", "anthropic"),
}
_URL_SUFFIXES = ("_BASE_URL", "_API_BASE", "_API_URL", "_ENDPOINT")


def prepare(ctx: CheckContext) -> None:
    """Start the git question of EC402/EC403 now, so that git runs while other families check.

    The secret files found for it (each up to its first secret) are kept for :func:`check`.
    """
    secrets = _secret_files(ctx, envfiles.project_files(ctx))
    question = _git_question(ctx, secrets)
    started = gitfiles.start(ctx.project_dir, question) if question else None
    ctx.shared[__name__] = (secrets, started)


def check(ctx: CheckContext) -> Iterable[Finding]:
    files = envfiles.project_files(ctx)
    yield from _public_prefix(ctx, files)
    yield from _files_at_rest(ctx, files)
    yield from _plain_http(ctx)
    yield from _sdk_names(ctx)
    yield from _start_up_hijack(ctx)
    yield from deploy.security_check(ctx)  # EC408: secrets in the Docker build context
    yield from expiry.check(ctx)  # EC409: a JWT value past or near its exp


def _at(entry: Entry) -> Location:
    return Location(entry.path, entry.line, entry.col)


def _origin_at(origin: Origin) -> Location:
    return Location(origin.source, origin.line, origin.col)


# EC401 ---------------------------------------------------------------------


public_prefix = envfiles.public_prefix


def _leaks(ctx: CheckContext, key: str, values: Iterable[str]) -> str | None:
    """Why ``key`` is a secret under a public prefix, or None.

    A secret twin of a public key (a Supabase ``service_role`` JWT) is a
    leak even where the schema says ``public = true``; a public-by-design
    key (:mod:`envcheck.schema.public_keys`) is none, whatever its name says.
    """
    prefix = public_prefix(key)
    if prefix is None:
        return None
    values = list(values)
    twin = next((r for r in map(public_keys.secret_reason, values) if r), None)
    if twin is not None:
        return f"its value is {twin}"
    if classify.schema_flag(ctx.schema, key, "public"):
        return None
    if any(classify.value_is_secret(v) for v in values):
        return "its value has the shape of a credential"
    declared = classify.schema_flag(ctx.schema, key, "secret")
    if declared is False:
        return None
    # Declared secret: a leak once a value is there; an empty or placeholder value ships
    # nothing yet, and the name decides as for an undeclared key.
    if declared and not all(_not_filled_in(v) for v in values):
        return "the schema declares it secret"
    if public_keys.public_reason(key[len(prefix) :], values, public_prefix=True):
        return None
    if classify.name_is_secret(key, ctx.schema) and any(
        _may_ship_credential(key, key[len(prefix) :], v) for v in values
    ):
        return f"{key[len(prefix) :]} names a credential"
    return None


def _not_filled_in(value: str) -> bool:
    """Empty, a template's placeholder, or a sentinel word (``__UNSET__``): no value yet."""
    text = value.strip()
    if classify.not_filled_in(text):
        return True
    word = text.strip("_")
    return (
        text != word
        and text.startswith("__")
        and text.endswith("__")
        and (word.replace("_", "").isalpha())
    )


def _may_ship_credential(key: str, bare: str, value: str) -> bool:
    """Whether a credential-named public key's ``value`` is (or will be) a shipped secret.

    A value that cannot be a credential (``NEXT_PUBLIC_AUTH_ENABLED=true``, a
    ``__UNSET__`` sentinel) ships none, and neither does a template's placeholder
    (``*** REPLACE ***``): the README's setup replaces it with whatever the vendor
    issues for browsers.  An empty value gives no evidence, so the name alone
    decides, and only where it names a vendor's *secret* key (every value issued
    for ``NEXT_PUBLIC_OPENAI_API_KEY=`` is secret): a made-up
    ``VITE_PROXYSCOTCH_ACCESS_TOKEN=`` may be the public token the project means
    to ship, and ``NEXT_PUBLIC_DISABLE_EMAIL_PASSWORD_SIGNUP=`` is a flag.
    """
    if not value.strip():
        from envcheck.schema.formats import DETECTORS, format_for_name

        known = format_for_name(bare)
        return credential_slot(key) and known is not None and DETECTORS[known].secret
    if _not_filled_in(value):
        return False
    return not_a_secret_because(value, key) is None


def _public_note(ctx: CheckContext, key: str, values: list[str], where: Location) -> Finding | None:
    """An info line saying why a credential-named key under a public prefix is fine to ship."""
    prefix = public_prefix(key)
    if prefix is None or classify.schema_flag(ctx.schema, key, "public"):
        return None  # declared public: nothing to explain
    bare = key[len(prefix) :]
    if not is_secret_name(bare) or classify.schema_flag(ctx.schema, key, "secret") is not None:
        return None  # the name raises no doubt, or the schema has decided
    why = public_keys.public_reason(bare, values, public_prefix=True)
    if why is None:
        return None
    return EC401.finding(
        f"{key} is under the public prefix {prefix} and is not a leak: {why}",
        where,
        key=key,
        severity=Severity.INFO,
        hint=f"`public = true` for {key} in envcheck.toml records this and silences the note",
    )


def _leak_finding(ctx: CheckContext, key: str, why: str, where: Location) -> Finding:
    prefix = public_prefix(key) or ""
    own = prefix in ctx.profile.public_prefixes
    shipped = (
        f"{ctx.profile.title} inlines {prefix}* variables into the browser bundle"
        if own
        else f"{prefix}* variables are shipped to the browser by the frameworks that use them"
    )
    return EC401.finding(
        f"{key} is a secret under the public prefix {prefix} ({why}); {shipped}",
        where,
        key=key,
        severity=Severity.ERROR if own else Severity.WARNING,
        hint=(
            f"rename it to {_server_name(key[len(prefix) :])} and use it only in server code; "
            "rotate the key "
            "if it was ever deployed"
            + (
                ""
                if why.startswith("its value is")  # a secret twin is never public by design
                else ". If it is public by design, set `public = true` for it in envcheck.toml"
            )
        ),
    )


def _server_name(bare: str) -> str:
    """The name to suggest without the public prefix: ``11LABS_API_KEY`` is no valid name."""
    if bare[:1].isalpha() or bare[:1] == "_":
        return bare
    return f"a server-only name that starts with a letter (not {bare})"


def _public_prefix(ctx: CheckContext, files: dict[str, ParsedFile]) -> Iterator[Finding]:
    resolved = ctx.resolution.vars
    # Templates (.env.example, .env.local.example, ...) ship nothing: no app loads them.
    extra = [
        f
        for p, f in files.items()
        if p not in ctx.resolution.files and not envfiles.is_template(Path(p).name)
    ]
    for parsed in ctx.resolution.parsed + extra:
        for entry in parsed.last_entries().values():
            # One C call rules most keys out; public_prefix decides the rest.
            if not entry.key.startswith(PUBLIC_PREFIXES) or public_prefix(entry.key) is None:
                continue  # _leaks would say None: skip building its arguments
            values = [entry.value]
            res = resolved.get(entry.key)
            if res is not None and res.entry == entry:
                values.append(reveal(res.value))  # after ${VAR} expansion: what ships
            why = _leaks(ctx, entry.key, values)
            if why is not None:
                yield _leak_finding(ctx, entry.key, why, _at(entry))
            elif (note := _public_note(ctx, entry.key, values, _at(entry))) is not None:
                yield note
    # The process's winners: _leaks says None for a key without a public prefix.
    for key, res in resolved.items():
        if key.startswith(PUBLIC_PREFIXES) and res.from_process:
            why = _leaks(ctx, key, [reveal(res.value)])
            if why is not None:
                yield _leak_finding(ctx, key, why, _origin_at(res.origin))
    for key, value in ctx.process_env.items():
        if key in resolved or public_prefix(key) not in ctx.profile.public_prefixes:
            continue
        why = _leaks(ctx, key, [value])
        if why is not None:
            yield _leak_finding(ctx, key, why, Location())


# EC402-EC404 ---------------------------------------------------------------


def _secret_files(
    ctx: CheckContext, files: dict[str, ParsedFile]
) -> dict[str, tuple[Entry, Iterator[Entry]]]:
    """Path -> its first secret entry and the search for the others, for the files that hold any.

    Whether a file holds a secret decides what git is asked; how many it holds is only
    said in a finding's message, so the rest are classified (:func:`_count`) only for a
    file that gets a finding: the usual ``.env`` (git ignores it, only its owner reads it)
    stops at its first secret, and a 100,000-line one skips four fifths of the classifier.
    """
    secrets: dict[str, tuple[Entry, Iterator[Entry]]] = {}
    for path, parsed in files.items():
        found = envfiles.secret_entries(parsed, ctx.schema)
        first = next(found, None)
        if first is not None:
            secrets[path] = (first, found)
    return secrets


def _count(rest: Iterator[Entry]) -> int:
    """How many secrets a file holds: its first one and those ``rest`` still finds."""
    return 1 + sum(1 for _ in rest)


def _git_question(ctx: CheckContext, secrets: Iterable[str]) -> list[str]:
    """The files to ask git about: those holding secrets inside the project, if EC402/3 run."""
    if ctx.enabled is not None and ctx.enabled.isdisjoint((EC402.code, EC403.code)):
        return []
    return sorted(p for p in secrets if _inside(ctx.project_dir, p))


def _files_at_rest(ctx: CheckContext, files: dict[str, ParsedFile]) -> Iterator[Finding]:
    prepared = ctx.shared.pop(__name__, None)
    secrets, started = prepared if prepared is not None else (_secret_files(ctx, files), None)
    if not secrets:  # then prepare started no git either
        return
    status = gitfiles.status(ctx.project_dir, _git_question(ctx, secrets), started=started)
    for path, (entry, rest) in sorted(secrets.items(), key=lambda item: item[0]):
        state = status.get(path)
        exposure = _exposure(ctx.project_dir / path)
        if state not in (gitfiles.TRACKED, gitfiles.UNTRACKED) and exposure is None:
            continue  # no finding: the other secrets are never counted
        count = _count(rest)
        what = (
            f"this file holds {count} secrets ({entry.key} first)"
            if count > 1
            else f"this file holds a secret ({entry.key})"
        )  # never its own path: renderers place it, a workspace merge moves it
        name = os.path.basename(path)  # a command or pattern that holds wherever it is run
        if state == gitfiles.TRACKED:
            yield EC402.finding(
                f"{what} and git tracks it: everyone with a clone has it",
                _at(entry),
                key=entry.key,
                hint=(
                    f"untrack it (`git rm --cached {name}` in its folder), add it to "
                    ".gitignore, and rotate the keys: they stay in the git history"
                ),
            )
        elif state == gitfiles.UNTRACKED:
            yield EC403.finding(
                f"{what} and git does not ignore it: one `git add .` away from a commit",
                _at(entry),
                key=entry.key,
                hint=f"add {name} (or `.env*.local`) to .gitignore",
            )
        if exposure is not None:
            yield EC404.finding(
                f"{what} and {exposure}",
                _at(entry),
                key=entry.key,
                hint=f"chmod 600 {path}",
            )


def _inside(project_dir: Path, path: str) -> bool:
    """Can git answer for ``path``: in the project, or up in the same work tree.

    A monorepo app reads ``../../.env`` (``dotenv -e``, a settings class's
    ``env_file``): that file is tracked or not in the repository the app is
    in.  A path outside every work tree would make ``git ls-files`` fail
    for all the questions, so it is not asked.
    """
    p = Path(path)
    if p.is_absolute():
        return False
    if ".." not in p.parts:
        return True
    tree = gitfiles.work_tree(project_dir)
    if tree is None:
        return False
    target = Path(os.path.normpath(os.path.join(os.path.realpath(project_dir), path)))
    return target.is_relative_to(tree.top)


def _exposure(path: Path) -> str | None:
    """Who else on this machine can read or replace the file, in words; None when nobody.

    * Writable by others: any account (or a compromised service) can swap the key.
    * Readable by others: only a risk when the file is reachable (every parent
      directory is searchable by others: a 0644 file in a 0700 home is safe)
      *and* another person has an account here.  ``cp .env.example .env.local``
      under the default umask makes a 0644 file; on a single-user laptop or in
      a container nobody else exists to read it, and flagging it would fail
      ``--strict`` on every fresh checkout.
    """
    if os.name != "posix":
        return None  # Windows ACLs do not map to mode bits
    try:
        target = path.resolve()
        info = target.stat()
        if info.st_mode & 0o002:
            return "every user on this machine can overwrite it"
        if not info.st_mode & 0o004:
            return None
        if not all(parent.stat().st_mode & 0o001 for parent in target.parents):
            return None
    except OSError:
        return None
    others = other_accounts(info.st_uid)
    if not others:
        return None
    return f"{others} other user account{'s' if others > 1 else ''} on this machine can read it"


def other_accounts(owner: int) -> int:
    """How many login accounts besides ``owner`` (and root) could read a world-readable file."""
    return _other_accounts(owner)


@cache
def _other_accounts(owner: int) -> int:
    """Login accounts besides ``owner`` that are in use: they own a running process.

    An account that merely exists says little: images and dev VMs ship one
    (``node``, a cloud SDK's user) that nobody logs in as, and counting it made
    EC404 fire on every developer machine of the real-project survey.  Where
    the system lists processes (``/proc``), only accounts running something
    count; a shared server's other users always are.  Elsewhere (macOS) every
    login account counts, as before.
    """
    try:
        import pwd
    except ImportError:  # pragma: no cover - not POSIX
        return 0
    floor = 500 if sys.platform == "darwin" else 1000  # where human accounts start
    try:
        entries = pwd.getpwall()
    except OSError:  # pragma: no cover - a broken name service
        return 0
    logins = {
        e.pw_uid
        for e in entries
        if e.pw_uid not in (owner, 0, 65534)
        and e.pw_uid >= floor
        and not e.pw_shell.endswith(("nologin", "false"))
    }
    active = _process_owners()
    return len(logins if active is None else logins & active)


def _process_owners() -> set[int] | None:
    """The uids that own a running process, from ``/proc``; None where it cannot tell."""
    try:
        entries = os.scandir("/proc")
    except OSError:
        return None
    owners: set[int] = set()
    with entries:
        for entry in entries:
            if entry.name.isdigit():
                try:
                    owners.add(entry.stat(follow_symlinks=False).st_uid)
                except OSError:
                    continue  # the process ended meanwhile
    return owners


# EC405 ---------------------------------------------------------------------


def _consumer_keys(vars_: dict[str, Resolved], prefix: str) -> list[str]:
    """Secret-named keys of the same client (``OPENAI_*``) that hold a real value."""
    return sorted(
        k
        for k, r in vars_.items()
        if k.startswith(prefix + "_")
        and not k.endswith(_URL_SUFFIXES)
        and is_secret_name(k)
        and not classify.not_filled_in(reveal(r.value))
    )


def _plain_http(ctx: CheckContext) -> Iterator[Finding]:
    vars_ = ctx.resolution.vars
    for key in sorted(filter(operator.methodcaller("endswith", _URL_SUFFIXES), vars_)):
        res = vars_[key]
        suffix = next((s for s in _URL_SUFFIXES if key.endswith(s)), None)
        if suffix is None or public_prefix(key):
            continue
        try:
            url = urllib.parse.urlsplit(reveal(res.value).strip())
            host = url.hostname or ""
        except ValueError:
            continue  # a malformed URL is the formats rules' business
        if url.scheme.lower() != "http" or not host or local_host(host):
            continue  # loopback, or a compose service on its private network (http://minio:9000)
        consumers = _consumer_keys(vars_, key[: -len(suffix)])
        if not consumers:
            continue  # nothing secret goes with the requests
        yield EC405.finding(
            f"{key} is a plain http:// URL on a host across the network: "
            f"{', '.join(consumers)} "
            "would be sent over the network unencrypted",
            _origin_at(res.origin),
            key=key,
            hint=(
                f"use https:// in {key}; plain http is only safe for localhost or a "
                "service on a private network (a compose service name)"
            ),
        )


# EC406 ---------------------------------------------------------------------


def _sdk_names(ctx: CheckContext) -> Iterator[Finding]:
    vars_ = ctx.resolution.vars
    for wrong in sorted(name for name in SDK_NAMES if name in vars_):
        res = vars_[wrong]
        right, sdk = SDK_NAMES[wrong]
        other = vars_.get(right)
        other_value = reveal(other.value) if other is not None else ctx.process_env.get(right)
        if other_value is None:
            message = f"{wrong} is set but the {sdk} SDK never reads it; it reads {right}"
        elif other_value == reveal(res.value):
            continue  # both set alike: kept for another tool (LangChain reads the old names)
        else:
            message = f"{wrong} and {right} differ; the {sdk} SDK uses {right} and ignores {wrong}"
        yield EC406.finding(
            message,
            _origin_at(res.origin),
            key=wrong,
            hint=f"rename {wrong} to {right}",
        )


# EC407 ---------------------------------------------------------------------

# What each variable makes a program do at start-up, before any of the app's own code
# runs: load a library, run a file, take options that load code, or run a command.
# A checked-out env file is data; any of these in it lets the file choose code to run
# in every program started under the environment (``envcheck exec``, a dotenv loader's
# child processes).  PATH is one of them: it decides which program a bare command name
# starts (``node``, ``git``), so a file that sets it picks the programs.
START_UP_EFFECTS: dict[str, str] = {
    "BASH_ENV": "bash runs the file it names before every script",
    "ENV": "an interactive sh runs the file it names when it starts",
    "NODE_OPTIONS": "every node process takes it as options (--require loads code)",
    "PYTHONSTARTUP": "python runs the file it names",
    "PYTHONPATH": "python imports modules from it before the app's own",
    "PYTHONHOME": "python loads its standard library from it",
    "PERL5OPT": "every perl process takes it as options (-M loads code)",
    "PERL5LIB": "perl loads modules from it before the app's own",
    "RUBYOPT": "every ruby process takes it as options (-r loads code)",
    "RUBYLIB": "ruby loads libraries from it before the app's own",
    "JAVA_TOOL_OPTIONS": "every JVM takes it as options (-javaagent loads code)",
    "_JAVA_OPTIONS": "every JVM takes it as options (-javaagent loads code)",
    "JDK_JAVA_OPTIONS": "the java launcher takes it as options (-javaagent loads code)",
    "GIT_SSH_COMMAND": "git runs it to reach a remote",
    "GIT_SSH": "git runs it to reach a remote",
    "GIT_ASKPASS": "git runs it to ask for a password",
    "GIT_PROXY_COMMAND": "git runs it to connect",
    "GIT_EXTERNAL_DIFF": "git runs it to show a diff",
    "GIT_EXEC_PATH": "git runs its subcommands from it",
    "GIT_DIR": "git reads the config (and hooks) of the repository it names",
    "PROMPT_COMMAND": "bash runs it before every prompt",
    "IFS": "shells split words differently, so scripts run other commands",
    "PATH": "it decides which program a command name such as node or git starts",
    **dict.fromkeys(
        ("LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT"),
        "the dynamic linker loads libraries from it into every program",
    ),
    # The rest of glibc's ld.so(8) ENVIRONMENT list.  The linker reads these names, not the
    # LD_ prefix: an app's own LD_DB_HOST or LD_HOST_PORT (linkding) is an ordinary setting.
    **dict.fromkeys(
        (
            "LD_ASSUME_KERNEL",
            "LD_BIND_NOT",
            "LD_BIND_NOW",
            "LD_DEBUG",
            "LD_DEBUG_OUTPUT",
            "LD_DYNAMIC_WEAK",
            "LD_HWCAP_MASK",
            "LD_ORIGIN_PATH",
            "LD_POINTER_GUARD",
            "LD_PREFER_MAP_32BIT_EXEC",
            "LD_PROFILE",
            "LD_PROFILE_OUTPUT",
            "LD_SHOW_AUXV",
            "LD_TRACE_LOADED_OBJECTS",
            "LD_TRACE_PRELINKING",
            "LD_USE_LOAD_BIAS",
            "LD_VERBOSE",
            "LD_WARN",
        ),
        "the dynamic linker reads it as every program starts (how it links, traces or writes)",
    ),
}
START_UP_PREFIXES: dict[str, str] = {
    "DYLD_": "the macOS dynamic linker loads libraries from it into every program",
    "GIT_CONFIG": "git takes configuration from it (core.sshCommand, core.fsmonitor run commands)",
}

_START_UP_STARTS = tuple(START_UP_PREFIXES)
_start_up_start = operator.methodcaller("startswith", _START_UP_STARTS)


def start_up_effect(key: str) -> str | None:
    """What ``key`` makes every program started under it do, or None for an ordinary variable."""
    if key in START_UP_EFFECTS:
        return START_UP_EFFECTS[key]
    if not key.startswith(_START_UP_STARTS):  # one C call for the ordinary variable
        return None
    return next((why for p, why in START_UP_PREFIXES.items() if key.startswith(p)), None)


def _names_a_file(value: str) -> bool:
    """A value written as a path (``~/.shrc``, ``./evil.sh``, ``$HOME/x``, ``/tmp/x``), not
    a word such as ``local`` or ``production``."""
    return "/" in value or value.startswith(("~", "$", "."))


def _mode_word(key: str, res: Resolved) -> bool:
    """``ENV`` set to a word: the app's own environment name (``ENV=local``, read as
    ``process.env.ENV === "local"``), which many apps and compose files use.  sh reads
    ``$ENV`` only when it starts interactive (POSIX ``sh``, dash, bash in POSIX mode), never
    for a script or ``sh -c`` -- so only a value that looks like the file it would run
    there is worth a warning.  ``BASH_ENV`` stays flagged whatever its value: bash runs it
    before every script."""
    return key == "ENV" and not _names_a_file(res.reveal().strip())


# The options of an options variable that load or run code, or let another program in
# (a debugger port, a file of more settings); every other option only tunes the program
# (``--max-old-space-size=4096``, ``--no-node-snapshot``, ``--enable-source-maps``, ``-w``,
# ``-Xmx512m``).  Matched as ``opt``, ``opt=…`` or, for one-letter options, ``-rfoo``.
_CODE_LOADING_OPTIONS: dict[str, tuple[str, ...]] = {
    # node --help; nodejs.org/api/cli.html "NODE_OPTIONS": the options allowed there that
    # load a module, a loader, a snapshot, an OpenSSL config (which may load an engine),
    # a policy (which may redirect modules) or an env file, or open the inspector.
    "NODE_OPTIONS": (
        "-r", "--require", "--import", "--loader", "--experimental-loader",
        "--experimental-policy", "--snapshot-blob", "--openssl-config", "--env-file",
        "--env-file-if-exists", "--inspect", "--inspect-brk", "--inspect-port",
        "--inspect-wait", "--inspect-publish-uid", "--debug-port",
    ),
    "PERL5OPT": ("-M", "-m", "-I", "-d"),
    "RUBYOPT": ("-r", "-I"),
}  # fmt: skip


def _loads_nothing(key: str, value: str) -> bool:
    """An options variable (``NODE_OPTIONS``) whose every word is an option that loads no
    code: the file tunes the program (``--no-node-snapshot``) rather than choosing code
    for it.  A value that cannot be split, or holds a word that is not an option (an
    ``@argfile``, a path), is not known to load nothing."""
    loading = _CODE_LOADING_OPTIONS.get(key)
    if loading is None:
        return False
    import shlex

    try:
        words = shlex.split(value)
    except ValueError:
        return False
    return bool(words) and all(_tuning_option(word, loading) for word in words)


def _tuning_option(word: str, loading: tuple[str, ...]) -> bool:
    if not word.startswith("-") or word in ("-", "--"):
        return False
    name = word.split("=", 1)[0]
    if name.startswith("--"):
        name = name.replace("_", "-")  # node reads --max_old_space_size as --max-old-space-size
        return name not in loading
    return not any(word.startswith(short) for short in loading if not short.startswith("--"))


def _start_up_hijack(ctx: CheckContext) -> Iterator[Finding]:
    """A start-up variable whose winning value comes from a file (the process's are the user's)."""
    vars_ = ctx.resolution.vars
    # The names first, in C: the start-up names the keys hold (a set intersection) and the
    # keys with a start-up prefix (a filter); then in the resolution's order, if any.
    named = {name for name in START_UP_EFFECTS if name in vars_}
    named.update(filter(_start_up_start, vars_))
    for key in (k for k in vars_ if k in named) if named else ():
        res = vars_[key]
        effect = start_up_effect(key)
        if effect is None or res.from_process or _mode_word(key, res):
            continue
        if _loads_nothing(key, res.reveal()):
            continue
        yield EC407.finding(
            f"{key} is set by this env file: {effect}; "
            "an env file should not choose code for programs to run",
            _origin_at(res.origin),
            key=key,
            hint=f"remove {key} from {res.origin.source} and set it in your shell or CI if you "
            "mean it; `envcheck exec --strict` refuses to start a command with it",
        )
