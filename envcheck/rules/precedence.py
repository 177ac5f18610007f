"""Precedence rules (EC5xx): values the app does not see where the developer put them.

Most of these are computed from the resolution's provenance (which origin
won, which it shadowed, which files the framework skipped).  The rest are
loader notes: a loader records what the framework does silently (drops a
file, forces a mode, fails an expansion) as a :class:`Problem`, and this
module maps each note kind to a rule.  Kinds this module does not know, and
that are not parser (syntax) kinds, go to a catch-all rule so nothing a
loader noticed is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from envcheck.model import Finding, Location, Related, Severity
from envcheck.rules import buildtime, deploy, envfiles
from envcheck.rules.base import CheckContext, DocsIn, Rule
from envcheck.secret import Secret, safe_key
from envcheck.sources.types import Entry, Origin, ParsedFile, Problem, Resolution

_DOCS = DocsIn("envcheck.rules.precedence_docs")  # read by `envcheck rules`, never by check


def _rule(code: str, name: str, severity: Severity, summary: str, on: bool = True) -> Rule:
    return Rule(code, name, severity, summary, _DOCS, default_enabled=on)


EC501 = _rule(
    "EC501",
    "shadowed-by-process-env",
    Severity.WARNING,
    "a process environment value overrides a file value",
)
EC502 = _rule(
    "EC502",
    "local-file-ignored-in-test",
    Severity.WARNING,
    "a file exists that the framework does not read in this mode",
)
EC503 = _rule(
    "EC503",
    "mode-file-beats-local",
    Severity.WARNING,
    ".env.<mode> overrides .env.local (Vite order)",
)
EC504 = _rule(
    "EC504",
    "key-only-in-one-mode",
    Severity.WARNING,
    "a key is set for one mode and undefined in the others",
    on=False,
)
EC505 = _rule(
    "EC505",
    "file-dropped-by-framework",
    Severity.ERROR,
    "the framework silently drops a file, or fails loading it",
)
EC506 = _rule("EC506", "mode-overridden", Severity.WARNING, "the framework forces a different mode")
EC507 = _rule(
    "EC507",
    "expansion-problem",
    Severity.WARNING,
    "a ${VAR} expansion the framework resolves differently than written",
)
EC508 = _rule(
    "EC508",
    "silent-loader-behaviour",
    Severity.WARNING,
    "something else the framework does silently",
)
EC509 = _rule(
    "EC509",
    "expansion-budget",
    Severity.ERROR,
    "a ${VAR} expansion grows without bound (the app would hang or run out of memory)",
)
EC510 = _rule(
    "EC510",
    "reader-mismatch",
    Severity.WARNING,
    "two tools read the same env file line differently (docker/compose vs the app's dotenv)",
)
EC511 = _rule(
    "EC511",
    "dotenvx-private-key-missing",
    Severity.ERROR,
    "a dotenvx encrypted value whose DOTENV_PRIVATE_KEY* is not available",
)
EC512 = _rule(
    "EC512",
    "command-substitution",
    Severity.WARNING,
    "a value dotenvx builds by running a $(...) command (never run by envcheck)",
)
RULES = (
    *(EC501, EC502, EC503, EC504, EC505, EC506, EC507, EC508, EC509, EC510),
    *(EC511, EC512),
    *buildtime.RULES,
    *deploy.PRECEDENCE_RULES,
)

# Parser problems: the syntax family reports them.
SYNTAX_KINDS = frozenset(
    {
        "unterminated-quote",
        "dropped-line",
        "swallowed-line",
        "invalid-key",
        "invalid-utf8",
        "bom",
        "encoding",
        "binary",
        "crlf",
        "lone-cr",
        "unreadable",
    }
)
_EXPANSION_KINDS = frozenset(
    {"undefined-variable", "self-reference", "recursive-expansion", "bad-substitution"}
)
_NOTE_RULES: dict[str, Rule] = {
    "expansion-budget": EC509,
    "reader-mismatch": EC510,
    "private-key-missing": EC511,
    "command-substitution": EC512,
    "file-dropped": EC505,
    "mode-overridden": EC506,
    "vite-mode-beats-local": EC503,
    "process-shadows-file": EC501,
    "local-ignored-in-test": EC502,
}
_HINTS: dict[str, str] = {
    "EC509": "a chain of references doubles the value at each step: rewrite it without nesting",
    "EC505": "fix what the note names: until then the file is not loaded, or the tool will not "
    "start",
    "EC506": "unset NODE_ENV (or set it to the mode you mean) before starting the app",
    "EC507": "define the variable before it is used, or escape the $ as \\$",
    "EC511": "set the DOTENV_PRIVATE_KEY* the message names in the process environment "
    "(or keep it in .env.keys next to the file); never commit .env.keys",
    "EC512": "check the command's output yourself, or write the value out",
}
# Names that are documentation or not a mode: never compared across modes.
_NOT_MODES = frozenset({"local", "keys", "me", "vault"}) | envfiles.TEMPLATE_SUFFIXES


def rule_for_note(kind: str) -> Rule | None:
    """The rule that reports a loader note of ``kind``; None for parser (syntax) kinds."""
    if kind in SYNTAX_KINDS:
        return None
    if kind in _NOTE_RULES:
        return _NOTE_RULES[kind]
    if kind.endswith("-crash"):
        return EC505  # the loader throws: the file (or the rest of it) is never loaded
    if kind in _EXPANSION_KINDS or kind.startswith("expansion-"):
        return EC507
    return EC508


def check(ctx: CheckContext) -> Iterable[Finding]:
    files = envfiles.project_files(ctx)
    done: set[tuple[str, str | None]] = set()  # (code, key) already reported from notes
    computed = list(_process_shadows(ctx.resolution))
    done.update(("EC501", f.key) for f in computed)
    differing: list[Problem] = []  # compose services that set a key to different values
    for note in ctx.resolution.notes:
        rule = rule_for_note(note.kind)
        if rule is None or (rule.code, note.key) in done:
            continue  # syntax kinds, or a shadowing the provenance already explains
        if note.kind == _SERVICES_DIFFER and note.key is not None:
            if note.key not in {n.key for n in differing}:
                differing.append(note)
            continue
        done.add((rule.code, note.key))
        yield _from_note(rule, note)
    yield from _services_disagree(ctx, differing)
    yield from computed
    yield from _skipped_files(ctx, files, done)
    yield from _mode_beats_local(ctx, done)
    if ctx.enabled is None or EC504.code in ctx.enabled:  # off by default: not computed then
        yield from _one_mode_keys(files)
    yield from buildtime.check(ctx)
    yield from deploy.precedence_check(ctx)  # EC513, EC521


def _from_note(rule: Rule, note: Problem) -> Finding:
    # A note may carry its own hint (crossread: which fix fits this line).
    message, _, own_hint = note.message.partition("; hint: ")
    name = safe_key(note.key) if note.key else None  # a pasted value can be a "key"
    if name and name not in message:
        message = f"{name}: {message}"
    return rule.finding(
        message,
        Location(note.path, note.line, note.col),
        key=note.key,
        hint=own_hint or _HINTS.get(rule.code),
    )


# EC508: compose services that must agree ------------------------------------

_SERVICES_DIFFER = "service-values-differ"  # the compose loader's note


def _services_disagree(ctx: CheckContext, notes: list[Problem]) -> Iterator[Finding]:
    """EC508 for a key the compose services hold differently, when they must agree.

    A compose file configures each service for itself: an in-network URL for the
    worker (``http://minio:9000``) and a browser-facing one for the web app
    (``http://localhost:9090``), a ``PORT`` per server, a flag only one service
    turns on -- each is the file working as written, and is no finding.  What two
    services must share is reported: a secret (what one signs or encrypts with
    ``NEXTAUTH_SECRET``, ``SALT``, ``ENCRYPTION_KEY``, the other must verify or
    read) and the credentials of one address (the same database reached as two
    users, one of whom cannot log in).  Not judged: a ``localhost`` URL in one
    service where another names a service host -- ``env_file:`` hands every key of
    a file to every service, and envcheck cannot tell which image reads it.
    When the per-service values cannot be known (``--env-file``) each note is
    reported as the loader wrote it.
    """
    if not notes:
        return
    by_service = _values_by_service(ctx)
    for note in notes:
        key = str(note.key)
        if by_service is None:
            yield _from_note(EC508, note)
            continue
        held = {name: values[key] for name, values in by_service.items() if key in values}
        found = _disagreement(key, held)
        if found is None:
            continue
        message, hint = found
        yield EC508.finding(message, Location(note.path, note.line, note.col), key=key, hint=hint)


def _values_by_service(ctx: CheckContext) -> dict[str, dict[str, str]] | None:
    """service -> the values compose hands it, each service resolved alone (as
    ``--service NAME`` checks it); None when that cannot be done as the run did it."""
    if ctx.options.get("explicit_files"):
        return None  # the run's --env-file files replace the project .env: not known here
    from envcheck.errors import EnvcheckError
    from envcheck.secret import reveal
    from envcheck.sources.loaders.compose import find_compose_file, resolve_compose
    from envcheck.sources.loaders.compose_file import read_compose_file

    path = find_compose_file(ctx.project_dir)
    if path is None:
        return None
    try:
        # Only the service names are wanted, and names are never interpolated.
        names = list(read_compose_file(path, path.name, lambda _name: "x").services)
        resolved = {
            name: resolve_compose(
                ctx.project_dir,
                ctx.profile,
                ctx.resolution.mode,
                ctx.process_env,
                services=[name],
            )
            for name in names
        }
    except EnvcheckError:
        return None
    return {
        name: {key: reveal(r.value) for key, r in resolution.vars.items()}
        for name, resolution in resolved.items()
    }


def _disagreement(key: str, held: dict[str, str]) -> tuple[str, str] | None:
    """(message, hint) when services that hold ``key`` differently must agree on it.

    A service that leaves the key empty does not use it; two values are compared only
    when both are set.  Never a value in the message: only the services' names.
    """
    from envcheck.secret import is_secret, url_credential

    services = [(name, value) for name, value in held.items() if value.strip()]
    for i, (first, one) in enumerate(services):
        for second, other in services[i + 1 :]:
            if one == other:
                continue
            address = _address(one)
            if address is not None and address == _address(other):
                # formbricks: `?schema=public` in one, `?sslmode=disable` in the other, the
                # same user and password -- both log in
                if _login(one) != _login(other) and (url_credential(one) or url_credential(other)):
                    return (
                        f"{key} names the same {address[1] or 'address'} in services {first} "
                        f"and {second} with different credentials: one of them cannot log in",
                        f"give both services the same credentials for it (or check each with "
                        f"--service {first})",
                    )
                continue
            if address is None and _address(other) is None and is_secret(key, one):
                if is_secret(key, other):
                    return (
                        f"{key} differs between services {first} and {second}: a secret "
                        "services share must be the same in each, or what one signs or "
                        "encrypts the other rejects",
                        f"set {key} once (in .env, or a YAML anchor) and hand that value to "
                        "every service",
                    )
    return None


def _address(value: str) -> tuple[str, str, int | None, str] | None:
    """(scheme, host, port, path) of a URL value; None for any other value."""
    from urllib.parse import urlsplit

    if "://" not in value:
        return None
    try:
        parts = urlsplit(value.strip())
        return parts.scheme.lower(), (parts.hostname or ""), parts.port, parts.path
    except ValueError:  # a port that is no number
        return None


def _login(value: str) -> tuple[str | None, str | None]:
    """(user, password) of a URL value (compared, never shown)."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    return parts.username, parts.password


def _entry(resolution: Resolution, origin: Origin, key: str) -> Entry | None:
    for parsed in resolution.parsed:
        if parsed.path == origin.source:
            return parsed.last_entries().get(key)
    return None


def _at(origin: Origin) -> Location:
    return Location(origin.source, origin.line, origin.col)


def _context(resolution: Resolution) -> str:
    return f"({resolution.framework}, {resolution.mode})"


# EC501 ---------------------------------------------------------------------


def _process_shadows(resolution: Resolution) -> Iterator[Finding]:
    # Only the keys the process won that shadow something, then sorted: not every key.
    won = [(k, r) for k, r in resolution.vars.items() if r.shadows and r.from_process]
    for key, res in sorted(won):
        shadowed = [o for o in res.shadowed if not o.is_process]
        if not shadowed:
            continue
        first, rest = shadowed[0], shadowed[1:]
        entry = _entry(resolution, first, key)
        also = tuple(Related(_at(o), "shadowed too") for o in rest)
        where = f"{key} from the process environment overrides this line {_context(resolution)}"
        if entry is not None and Secret(entry.value) == res.value:
            yield EC501.finding(
                f"{where} with the same value",
                _at(first),
                key=key,
                severity=Severity.INFO,
                hint=f"the export of {key} is redundant: remove it so that edits to "
                "this file take effect",
                related=also,
            )
            continue
        differ = "the values differ" if entry is not None else "the file value is not used"
        yield EC501.finding(
            f"{where} and {differ}",
            _at(first),
            key=key,
            hint=f"unset {key} in your shell, or remove the export from your shell profile",
            related=also,
        )


# EC502 ---------------------------------------------------------------------


def _skipped_files(
    ctx: CheckContext, files: dict[str, ParsedFile], done: set[tuple[str, str | None]]
) -> Iterator[Finding]:
    if any(code == "EC502" for code, _ in done):
        return
    res = ctx.resolution
    # A framework that reads no file in this mode (``wasp build``): the values come from
    # where the app runs, never from another file.
    elsewhere = not ctx.profile.candidates(res.mode) and not ctx.profile.script_tool
    for name, why in sorted(res.skipped.items()):
        parsed = files.get(name)
        if parsed is None:
            continue  # the file does not exist: nothing is lost
        keys = list(parsed.last_entries())
        missing = [k for k in keys if k not in res.vars and k not in ctx.process_env]
        where = Location(name, 1, 1)
        if missing:
            shown = ", ".join(missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            yield EC502.finding(
                f"not read: {why}; {shown} "
                f"{'is' if len(missing) == 1 else 'are'} undefined in {res.mode} mode",
                where,
                hint=(
                    f"{ctx.profile.title} reads no env file in {res.mode} mode: set these "
                    "where the app runs (the host's variables; browser keys on the build "
                    "command)"
                    if elsewhere
                    else f"put values the {res.mode} run needs in .env.{res.mode} or .env"
                ),
            )
        else:
            yield EC502.finding(
                f"not read: {why}",
                where,
                severity=Severity.INFO,
                hint=f"the {res.mode} run gets every key of {name} from elsewhere",
            )


# EC503 ---------------------------------------------------------------------


def _mode_beats_local(ctx: CheckContext, done: set[tuple[str, str | None]]) -> Iterator[Finding]:
    res = ctx.resolution
    order = ctx.profile.candidates(res.mode)
    mode_file = f".env.{res.mode}"
    if mode_file not in order or ".env.local" not in order:
        return
    if order.index(mode_file) > order.index(".env.local"):
        return  # Next.js order: .env.local wins, as people expect
    # A source that does not end with the file's name is not it: most keys are skipped unsorted.
    won = [(k, r) for k, r in res.vars.items() if r.source.endswith(mode_file)]
    for key, r in sorted(won):
        if ("EC503", key) in done or Path(r.origin.source).name != mode_file:
            continue
        local = next((o for o in r.shadowed if Path(o.source).name == ".env.local"), None)
        if local is None:
            continue
        yield EC503.finding(
            f"{key} has no effect here: {r.origin} wins because "
            f"{ctx.profile.title} reads {mode_file} before .env.local {_context(res)}",
            _at(local),
            key=key,
            hint=f"move the override to {mode_file}.local, which beats {mode_file}",
        )


# EC504 ---------------------------------------------------------------------


def _mode_of(name: str) -> str | None:
    parts = name.split(".")  # "", "env", mode[, "local"]
    if len(parts) == 3 or (len(parts) == 4 and parts[3] == "local"):
        mode = parts[2]
        return None if mode.lower() in _NOT_MODES else mode
    return None


# At most this many lacking modes are named in one EC504 message; the rest are
# counted.  A checkout with thousands of .env.<mode> files would otherwise make
# each finding list every other mode: output (and work) quadratic in the files.
_LACKING_SHOWN = 5


def _one_mode_keys(files: dict[str, ParsedFile]) -> Iterator[Finding]:
    """EC504, in time linear in the entries of the mode files.

    Which modes lack a key depends on the key only, so it is worked out once
    per key, by walking the sorted modes and skipping the ones that set it:
    at most (modes setting it + names shown) steps, never one step per mode
    for every entry.
    """
    bases: list[ParsedFile] = []
    modes: dict[str, dict[str, Entry]] = {}
    for path, parsed in sorted(files.items()):
        name = Path(path).name
        if name in (".env", ".env.local"):
            bases.append(parsed)
        elif (mode := _mode_of(name)) is not None:
            for key, entry in parsed.last_entries().items():
                modes.setdefault(mode, {}).setdefault(key, entry)
    if len(modes) < 2:
        return
    base = {key for parsed in bases for key in parsed.last_entries()}
    sorted_modes = sorted(modes)
    setting: dict[str, set[str]] = {}  # key -> the modes that set it
    for mode in sorted_modes:
        for key in modes[mode]:
            if key not in base:
                setting.setdefault(key, set()).add(mode)
    lacking_text: dict[str, tuple[str, str] | None] = {}  # key -> (names, first) or None
    for key, present in setting.items():
        lacking_text[key] = _lacking(sorted_modes, present)
    for mode in sorted_modes:
        for key, entry in modes[mode].items():
            lacking = lacking_text.get(key)
            if lacking is None:
                continue
            names, first = lacking
            yield EC504.finding(
                f"{key} is set only for {mode}, not in .env: it is undefined in {names}",
                Location(entry.path, entry.line, entry.col),
                key=key,
                hint=f"add {key} to .env (a default) or to .env.{first}",
            )


def _lacking(sorted_modes: list[str], present: set[str]) -> tuple[str, str] | None:
    """(``"a, b, c and 7 more"``, first lacking mode) of the modes not in ``present``, or None."""
    missing = len(sorted_modes) - len(present)
    if missing <= 0:
        return None
    shown: list[str] = []
    for mode in sorted_modes:  # skips at most len(present) modes before enough are shown
        if mode not in present:
            shown.append(mode)
            if len(shown) == _LACKING_SHOWN:
                break
    more = missing - len(shown)
    names = ", ".join(shown) + (f" and {more} more" if more else "")
    return names, shown[0]
