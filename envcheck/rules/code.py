"""Code rules (EC9xx): what the app's source reads, against what its environment sets.

The facts come from :func:`envcheck.code.scan` through
:func:`envcheck.workspace.apps.app_facts` (the app's code plus the workspace
libraries it depends on), read once per process and cached per file on disk.
The family costs nothing when none of its code-reading rules is enabled, on
``--no-code``, and for a compose or docker project (the containers' code is
not the checkout's folder).  EC905 needs no code facts: it searches a
finished build.

**Requirements.**  An app's required keys are its schema's (each with its
schema line) plus the keys its code reads with no default (each with its
code line).  A key both declared and read belongs to the schema: EC301
reports it, naming the first code read in its hint; EC901 reports only the
keys the schema does not declare.  Only the app's own code makes a requirement: a
read in a test, e2e suite, story, script or tool config (``EnvRead.context``) counts as
a read for EC902 and for nothing else.

**What nobody sets in the project.**  Keys the runtime, the platform or CI set by
themselves (:func:`envcheck.code.runtime.runtime_set`) are never "set nowhere" and
never "unread"; keys ``next.config`` inlines through its ``env`` option
(``CodeFacts.inlined``) are set by it, and public to browser code; keys the app's own
code sets (``CodeFacts.sets``: ``process.env.X = ...``, the env of a child it spawns, as
a CLI does for its watchdog process) are set by the code; keys the app's own
``Dockerfile`` sets (``ENV``, a build stage's ``ARG`` its CI fills) are set where the
project builds and runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from envcheck.model import PROCESS, Finding, Location, Related, Severity
from envcheck.rules.base import CheckContext, Rule
from envcheck.rules.code_docs import DOCS

if TYPE_CHECKING:
    from pathlib import Path

    from envcheck.code import CodeFacts, EnvRead

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _rule(code: str, name: str, severity: Severity, summary: str, enabled: bool = True) -> Rule:
    return Rule(code, name, severity, summary, DOCS[code], default_enabled=enabled)


RULES: tuple[Rule, ...] = (
    _rule(
        "EC901", "read-but-never-set", E, "The code reads a key with no default; nothing sets it"
    ),
    _rule("EC902", "set-but-never-read", INFO, "A key is set or declared; no code reads it", False),
    _rule("EC903", "dynamic-public-read", W, "A public key is read in a way that is not inlined"),
    _rule("EC904", "server-key-in-client-code", W, "Client code reads a server-only key"),
    _rule(
        "EC905", "server-value-in-client-bundle", E, "A server-only secret is in the client bundle"
    ),
    _rule(
        "EC906",
        "plain-read-never-set",
        W,
        "The code reads a key with no default and no stated need; nothing sets it",
        False,
    ),
)
R = {r.code: r for r in RULES}
_NEEDS_FACTS = frozenset({"EC901", "EC902", "EC903", "EC904", "EC906"})

# Keys a bundler inlines into browser code whatever their prefix (see RUNTIME_KEYS).
BROWSER_BUILTINS = frozenset({"NODE_ENV", "MODE", "DEV", "PROD", "SSR", "BASE_URL", "NEXT_RUNTIME"})
# Frameworks that replace only literal ``process.env.X`` reads in browser code.
LITERAL_ONLY = frozenset({"nextjs", "cra", "dotenvx-nextjs"})


def code_facts(ctx: CheckContext) -> CodeFacts | None:
    """The app's code facts, once per run; None without code (or with ``--no-code``)."""
    slot = __name__ + ".facts"
    if slot in ctx.shared:
        found: CodeFacts | None = ctx.shared[slot]
        return found
    facts = None
    if ctx.options.get("code", True) and ctx.profile.resolver is None:
        from envcheck.workspace.apps import app_facts

        scanned = in_workspace(app_facts(ctx.project_dir), ctx.project_dir)
        facts = scanned if scanned.files_scanned else None
    ctx.shared[slot] = facts
    return facts


def in_workspace(facts: CodeFacts, app_dir: Path) -> CodeFacts:
    """``facts`` with each read's context decided from its path in the workspace of the run
    (``packages/e2e_tests/utils/trpc.ts``, ``tools/seed-snapshot/src/index.ts``), not only
    in its package: a whole package can be a test suite, a benchmark or a dev tool, and
    then none of its reads is a requirement of an app.  Unchanged outside a workspace run."""
    from envcheck.workspace.current import SCHEMA_ROOT

    root = SCHEMA_ROOT.get()
    if root is None:
        return facts
    import os
    import posixpath

    from envcheck.code.sides import context_of

    where = os.path.relpath(os.path.abspath(app_dir), os.path.abspath(root)).replace(os.sep, "/")
    if where == "." or where.startswith("../"):
        return facts
    changed = False
    reads = []
    for read in facts.reads:
        if read.context == "app":
            context = context_of(posixpath.normpath(posixpath.join(where, read.file)))
            if context != "app":
                read, changed = read.replace(context=context), True
        reads.append(read)
    return facts.replace(reads=tuple(reads)) if changed else facts


def related_reads(reads: Iterable[EnvRead], label: str) -> tuple[Related, ...]:
    """The reads as related places of a finding (EC901's further reads, EC301's reads)."""
    return tuple(Related(r.location, label) for r in reads)


def code_reads(ctx: CheckContext, key: str) -> tuple[EnvRead, ...]:
    """Where the code reads ``key`` (for other families' hints: EC301)."""
    if ctx.enabled is not None and ctx.enabled.isdisjoint(_NEEDS_FACTS | {"EC310"}):
        return ()  # --ignore EC9: the code is not read at all (EC310 weighs by the reads)
    facts = code_facts(ctx)
    return facts.reads_of(key) if facts is not None else ()


def check(ctx: CheckContext) -> Iterator[Finding]:
    enabled = ctx.enabled

    def on(code: str) -> bool:
        return enabled is None or code in enabled

    if any(on(c) for c in _NEEDS_FACTS):
        facts = code_facts(ctx)
        if facts is not None:
            if on("EC901") or on("EC906"):
                yield from _never_set(ctx, facts, on)
            if on("EC902"):
                yield from _never_read(ctx, facts)
            if on("EC903"):
                yield from _dynamic_public(ctx, facts)
            if on("EC904"):
                yield from _server_in_client(ctx, facts)
    if on("EC905"):
        yield from _value_in_bundle(ctx)


def _by_key(reads: Iterable[EnvRead]) -> dict[str, list[EnvRead]]:
    grouped: dict[str, list[EnvRead]] = {}
    for read in reads:
        if read.key is not None:
            grouped.setdefault(read.key, []).append(read)
    return grouped


def _declared(ctx: CheckContext, key: str) -> bool:
    schema = ctx.schema
    spec = getattr(schema, "spec", None)
    return spec is not None and spec(key) is not None


def demands(read: EnvRead) -> bool:
    """The app fails or misbehaves without the key: a required read in the app's own code,
    except Python's ``os.environ.get("X")`` / ``os.getenv("X")``, whose ``None`` is the
    idiom for "may be absent" (the required idiom is ``os.environ["X"]``).  A ``feature``
    read demands nothing of the app: the function that reads it fails with its own message
    when it runs, and the app starts without the key."""
    if read.kind != "required" or read.context != "app":
        return False
    return not (read.form == "call" and read.source in ("os.environ", "os.getenv"))


def states_need(read: EnvRead) -> bool:
    """The app's own code demands the key (:func:`demands`) and says it must be there
    (:attr:`envcheck.code.facts.EnvRead.asserted`): what EC901 reports unset, and what
    ``init`` and ``generate`` draft as required (so the next ``check`` agrees)."""
    return read.asserted and demands(read)


def read_only_optionally(ctx: CheckContext, key: str) -> bool:
    """The app's own code reads ``key`` and copes without it at every read (a default, a
    test, a guard, a feature that fails with its own message): an integration the app can
    run without (EC306 weighs a placeholder by it).  False when the code is not read
    (``--no-code``, ``--ignore EC9``)."""
    reads = [r for r in code_reads(ctx, key) if r.context == "app"]
    return bool(reads) and not any(demands(r) for r in reads)


def _never_set(ctx: CheckContext, facts: CodeFacts, on: Callable[[str], bool]) -> Iterator[Finding]:
    """Keys the app's code demands that nothing sets: EC901 when a read says the key must be
    there (:attr:`envcheck.code.facts.EnvRead.asserted`), EC906 (off by default) when every
    read is plain.  A plain read with no guard seen is no requirement the code states: on
    nine public projects this tool had never seen, 45 of 542 such findings were true (the
    rest optional integrations chosen elsewhere, settings pages, provider modules picked by
    a switch), against 24 of 36 for asserted reads (docs/survey.md, stop 34)."""
    from envcheck.code.runtime import runtime_set  # only with code facts (not on --no-code)

    variables = ctx.resolution.vars
    required = _by_key(r for r in facts.reads if demands(r))
    image: list[frozenset[str]] = []

    def image_keys() -> frozenset[str]:
        """Read once, and only when a key is otherwise unset: see :func:`_set_by_image`."""
        if not image:
            image.append(_set_by_image_or_compose(ctx))
        return image[0]

    by_code = set(facts.inlined) | set(facts.sets)  # next.config `env`; the code's own writes
    for key, reads in sorted(required.items(), key=lambda kv: (kv[1][0].file, kv[1][0].line)):
        if runtime_set(key) or key in ctx.process_env or key in by_code:
            continue
        if _declared(ctx, key):
            continue  # the schema's key: EC301 (unset) and EC302 (empty) own it
        if _set_by_tool_scripts(ctx, key, reads):
            continue
        if key in image_keys():
            continue
        asserting = [r for r in reads if r.asserted]
        rule = R["EC901"] if asserting else R["EC906"]
        if not on(rule.code):
            continue
        first = asserting[0] if asserting else reads[0]
        rest = [r for r in reads if r is not first]
        if key in variables:
            empty = _set_empty(variables[key])
            if empty is not None:
                yield empty.finding_for(rule, first, rest)
            continue
        if _set_where_the_library_runs(ctx, key, reads) or _set_for_the_project(ctx, key, reads):
            continue
        # The file to add it to is a related place, not text: placed for the reader (relative
        # to a workspace root in a fan-out) like every location.
        # With no file yet, no place is guessed (see rules.schema._missing).
        files = ctx.resolution.files
        target = (Related(Location(files[0]), "the app's first env file"),) if files else ()
        said = "" if asserting else " (the code does not say it needs it)"
        yield rule.finding(
            f"{key} is read here with no default{said}, but no env file, schema default or the "
            "process environment sets it",
            first.location,
            key=key,
            hint=f"add {key}=… to the app’s env file, or give the read a default",
            related=(*related_reads(rest, "also read here"), *target),
        )


def _set_by_image_or_compose(ctx: CheckContext) -> frozenset[str]:
    """:func:`_set_by_image`, and the keys the root compose service that builds the app
    gives it (:func:`envcheck.workspace.sources.run_by_compose`)."""
    from envcheck.workspace.sources import run_by_compose

    by_compose = run_by_compose(ctx.project_dir, ctx.resolution.mode, ctx.process_env)
    return _set_by_image(ctx.project_dir) | by_compose


def _set_where_the_library_runs(ctx: CheckContext, key: str, reads: list[EnvRead]) -> bool:
    """Every read is in a workspace library another app runs with ``key`` set
    (:func:`envcheck.workspace.sources.set_where_the_library_runs`)."""
    if not all(r.file.startswith("../") for r in reads):
        return False  # the app's own code reads it: the common case costs nothing more
    from envcheck.workspace.sources import set_where_the_library_runs

    files = sorted({r.file for r in reads})
    return set_where_the_library_runs(
        ctx.project_dir, key, files, ctx.resolution.mode, ctx.process_env
    )


def _set_for_the_project(ctx: CheckContext, key: str, reads: list[EnvRead]) -> bool:
    """The app loads no env file of the checkout, and another app of the workspace run sets
    ``key`` (:func:`envcheck.workspace.sources.keys_set_for`: a value, from a file it loads,
    not a template).  Such an app takes its environment from where it is deployed or
    started (midday's Trigger.dev jobs package, its marketing site with only a template),
    so "nothing sets it" is a guess, and the project does give ``key`` a value: the README
    fills the dashboard's ``.env`` with the ``PLAIN_API_KEY`` the site's support action
    reads.  An app that loads an env file of its own is still told (its file is where the
    key belongs), and so is a key no app sets, or only a compose file or the compose
    service that builds an app (they configure containers:
    :func:`envcheck.workspace.sources.given_by_compose`).
    Not a key the build inlines (``import.meta.env``, a public prefix): its value is taken
    where the app itself is built, from the app's own files (hoppscotch's desktop shell
    importing a component that reads ``VITE_BASE_URL`` is told).  Only in a run at the
    workspace root, only for a key otherwise reported; each other app's env is resolved
    once per process."""
    if ctx.resolution.files:
        return False  # the common case: the app's own file is where the key belongs
    if _public(ctx, key) or any(r.source == "import.meta.env" for r in reads):
        return False
    from envcheck.workspace.sources import given_by_compose, keys_set_for

    mode, process_env = ctx.resolution.mode, ctx.process_env

    def sets_it(directory: Path) -> bool:
        """The app's own env files give ``key`` a value; not only the compose service
        that builds it (that configures that container, not the project).  Not the files
        its code loads: this app's task must not scan another app's folder."""
        return key in keys_set_for(directory, mode, process_env, code=False) and key not in (
            given_by_compose(directory, mode, process_env)
        )

    return any(sets_it(directory) for directory in _other_apps(ctx))


def _other_apps(ctx: CheckContext) -> tuple[Path, ...]:
    """The folders of the other apps of the workspace run that load env files of their own
    (not a compose or docker project: its values configure containers; not an app with no
    env file, which sets nothing and whose folder this app's task must not scan); () outside a run
    at the workspace root.  The workspace's apps are sorted out once per run
    (:func:`envcheck.sources.checkout.run_memo`), not once per app of a fan-out."""
    from envcheck.workspace.current import SCHEMA_ROOT

    if SCHEMA_ROOT.get() is None:
        return ()
    from envcheck.sources.checkout import run_memo
    from envcheck.workspace.apps import NOT_CHECKED, classify, package_at, workspace_of_run
    from envcheck.workspace.markers import has_own_env_files

    workspace = workspace_of_run(ctx.project_dir)
    me = None if workspace is None else package_at(workspace, ctx.project_dir)
    if workspace is None or me is None:
        return ()
    memo = run_memo(__name__ + ".configured_apps")
    apps = memo.get(workspace.root)
    if not isinstance(apps, tuple):
        from envcheck.sources.detect import detect
        from envcheck.sources.profiles import get_profile

        apps = memo[workspace.root] = tuple(
            (package.app.path, package.app.directory)
            # code=False: only an app with env files of its own can set the key, and that
            # much needs no code read (a fan-out worker must not scan the others' folders)
            for package in classify(workspace, code=False)
            if package.kind not in NOT_CHECKED
            and has_own_env_files(package.app.directory)
            and get_profile(detect(package.app.directory)).resolver is None
        )
    return tuple(directory for path, directory in apps if path != me.path)


def _set_by_image(app_dir: Path) -> frozenset[str]:
    """The keys the app's own ``Dockerfile`` has the build supply or the running image set:
    an ``ARG`` with no default or an ``ENV X=$X`` of any stage (``ARG NEXT_PUBLIC_BUILD_ID``,
    filled by the CI's ``--build-arg``), and every ``ENV`` of the last stage, the one that
    runs.  The project sets them where it builds and runs the app, as a platform sets its
    own (:func:`envcheck.code.runtime.runtime_set`): a read of one is no key "nothing
    sets".  Not a literal ``ENV`` of an earlier stage: a stand-in for the build
    (``ENV DATABASE_URL="postgresql://user:pass@localhost:5432/dummy"``), which the
    running app never sees."""
    from envcheck.targets import DOCKERFILES

    name = next((n for n in DOCKERFILES if (app_dir / n).is_file()), None)
    if name is None:
        return frozenset()  # no image built here: the parser is not even imported
    from envcheck.targets.dockerfile import stages
    from envcheck.targets.model import REFERENCE

    found = stages(app_dir, name)
    keys: set[str] = set()
    for stage in found:
        keys.update(k for k, v in (*stage.args.items(), *stage.env.items()) if v.kind == REFERENCE)
    if found:
        keys.update(found[-1].env)
    return frozenset(keys)


def _set_by_tool_scripts(ctx: CheckContext, key: str, reads: list[EnvRead]) -> bool:
    """Every read of ``key`` is in a tool's config file (``drizzle.config.ts``) and a
    command that runs that tool sets ``key`` inline (``X=… pnpm --dir=db run migrate``,
    ``"migrate": "X=… drizzle-kit push"``): the tool sees it, though no file sets it."""
    import posixpath

    if not all(".config." in posixpath.basename(r.file) for r in reads):
        return False  # the common case: nothing more is imported or read
    import os
    from pathlib import Path

    from envcheck.sources.scripts import inline_keys_for_tool
    from envcheck.workspace.current import SCHEMA_ROOT

    root = Path(os.path.abspath(SCHEMA_ROOT.get() or ctx.project_dir))
    for read in reads:
        config = Path(os.path.abspath(ctx.project_dir / read.file))
        if os.path.relpath(config, root).startswith(".."):
            return False
        if key not in inline_keys_for_tool(config, root):
            return False
    return bool(reads)


class _Empty:
    """A key a file sets to the empty string: the code gets ``""`` where it reads a value
    with no default (``new URL("")`` throws, ``""`` is no credential), as it would get
    ``undefined`` were the key missing.  A schema key is EC302's; a key the code only
    tests, or reads with a default, copes with ``""`` as with nothing (not required)."""

    __slots__ = ("key", "where")

    def __init__(self, key: str, where: Location) -> None:
        self.key, self.where = key, where

    def finding_for(self, rule: Rule, first: EnvRead, rest: list[EnvRead]) -> Finding:
        return rule.finding(
            f"{self.key} is read here with no default, but the env file sets it to the empty "
            'string: the code gets ""',
            first.location,
            key=self.key,
            # The file is a related place (placed for the reader like every location), not text.
            hint=f"give {self.key} a value where it is set empty, or give the read a default",
            related=(Related(self.where, "set empty here"), *related_reads(rest, "also read here")),
        )


def _set_empty(resolved: Any) -> _Empty | None:
    """An :class:`_Empty` when a file (not the process) gives ``resolved`` no value."""
    from envcheck.secret import reveal

    origin = resolved.origin
    if origin.is_process or reveal(resolved.value) != "":
        return None
    return _Empty(resolved.key, Location(origin.source, origin.line, origin.col))


def _dynamic_patterns(facts: CodeFacts) -> tuple[list[str], bool]:
    """Name patterns of dynamic reads, and whether one could be any name at all."""
    patterns: list[str] = []
    anything = False
    for read in facts.reads:
        if read.kind == "dynamic":
            if read.pattern and read.pattern.strip("*"):
                patterns.append(read.pattern)
            else:
                anything = True
    return patterns, anything


def _never_read(ctx: CheckContext, facts: CodeFacts) -> Iterator[Finding]:
    from envcheck.code.runtime import runtime_set

    patterns, anything = _dynamic_patterns(facts)
    if anything or not facts.reads:
        return  # `process.env[name]` may read any key: nothing can be called unread
    read = set(facts.keys())

    def unread(key: str) -> bool:
        return (
            key not in read
            and not runtime_set(key)
            and not any(fnmatchcase(key, p) for p in patterns)
        )

    reported: set[str] = set()
    for parsed in ctx.resolution.parsed:
        for key, entry in parsed.last_entries().items():
            if key in reported or not unread(key):
                continue
            reported.add(key)
            yield R["EC902"].finding(
                f"{key} is set here, but no code of the app reads it",
                Location(parsed.path, entry.line, entry.col),
                key=key,
                hint="remove it if it is dead configuration (a tool that reads it outside the "
                "code, such as Prisma, keeps it alive: ignore EC902 for it)",
            )
    keys = getattr(ctx.schema, "keys", None) or {}
    for key, spec in keys.items():
        if key in reported or not unread(key):
            continue
        path, _, line = (spec.where or "").rpartition(":")
        where = Location(path, int(line)) if path and line.isdigit() else Location(spec.where)
        yield R["EC902"].finding(
            f"{key} is declared in the schema, but no code of the app reads it",
            where,
            key=key,
            hint="remove the declaration if the key is no longer used",
        )


def _public(ctx: CheckContext, key: str) -> bool:
    from envcheck.model import PUBLIC_PREFIXES

    prefixes = tuple(ctx.profile.public_prefixes) or PUBLIC_PREFIXES
    return key.startswith(prefixes)


def _browser_reads(facts: CodeFacts) -> Iterator[EnvRead]:
    """Reads of the app's own code that may run in the browser (tests run in Node)."""
    return (r for r in facts.reads if r.side != "server" and r.context == "app")


def _dynamic_public(ctx: CheckContext, facts: CodeFacts) -> Iterator[Finding]:
    profile = ctx.profile
    if profile.name not in LITERAL_ONLY or not profile.public_prefixes:
        return
    prefixes = tuple(profile.public_prefixes)
    inlined = set(facts.inlined)  # next.config `env`: inlined as literal reads only, too
    for read in _browser_reads(facts):
        if read.source != "process.env":
            continue
        name = read.key if read.form == "destructure" else read.pattern
        if read.form not in ("destructure", "dynamic") or not name:
            continue
        if not name.startswith(prefixes) and name not in inlined:
            continue
        how = (
            "destructured from" if read.form == "destructure" else "read with a computed name from"
        )
        yield R["EC903"].finding(
            f"{name} is {how} process.env: {profile.title} inlines only literal "
            f"`process.env.{prefixes[0]}X` reads into the browser bundle, so this is undefined "
            "in the browser",
            read.location,
            key=read.key,
            hint=f"write each read out as process.env.{read.key or prefixes[0] + 'NAME'}",
        )


def _server_in_client(ctx: CheckContext, facts: CodeFacts) -> Iterator[Finding]:
    inlined = set(facts.inlined)
    client = _by_key(
        r
        for r in _browser_reads(facts)
        if r.side == "client"
        and r.key is not None
        and not r.public_module
        and r.key not in BROWSER_BUILTINS
        and r.key not in inlined
        and not _public(ctx, r.key)
    )
    prefix = (tuple(ctx.profile.public_prefixes) or ("NEXT_PUBLIC_",))[0]
    for key, reads in client.items():
        first, rest = reads[0], reads[1:]
        yield R["EC904"].finding(
            f"{key} is server-only (no {prefix} prefix) but is read from client code: it is "
            "undefined in the browser",
            first.location,
            key=key,
            hint=f"read it on the server and pass the result down, or rename it {prefix}{key} "
            "if it is not a secret",
            related=related_reads(rest, "also read in client code"),
        )


_MIN_SECRET = 8  # shorter values ("true", a port) would match anywhere in minified code


def _value_in_bundle(ctx: CheckContext) -> Iterator[Finding]:
    from envcheck.rules.buildtime import build_marker, in_bundle

    built = build_marker(ctx.project_dir, ctx.profile.name)
    if built is None:
        return
    _, bundle, command = built
    from envcheck.secret import expects_credential, reveal

    wanted: dict[str, list[Any]] = {}
    for key, resolved in ctx.resolution.vars.items():
        if _public(ctx, key):
            continue
        value = reveal(resolved.value)
        spec = ctx.schema.spec(key) if hasattr(ctx.schema, "spec") else None
        declared = getattr(spec, "secret", None)
        secret = declared if isinstance(declared, bool) else expects_credential(key, value)
        if secret and len(value) >= _MIN_SECRET:
            wanted.setdefault(value, []).append(resolved)
    if not wanted:
        return
    found = in_bundle(bundle, set(wanted))
    shown = bundle.relative_to(ctx.project_dir).as_posix()
    for value in sorted(found, key=lambda v: wanted[v][0].key):
        for resolved in wanted[value]:
            origin = resolved.origin
            where = (
                Location(PROCESS)
                if origin.is_process
                else Location(origin.source, origin.line, origin.col)
            )
            yield R["EC905"].finding(
                f"the value of {resolved.key}, a server-only secret, is in the built client "
                f"bundle ({shown}): anyone who loads the app can read it",
                where,
                key=resolved.key,
                hint=f"rotate {resolved.key} now; then find what inlines it (a `define`, an "
                f"`env:` entry in the config, a public alias) and rebuild (`{command}`)",
            )
