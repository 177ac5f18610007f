"""Schema rules (EC3xx): is each value what the app needs?

Missing, empty, unknown, mistyped, misformatted, placeholder and
stray-character values, checked against the project's schema when it has
one; placeholders, stray characters and the shapes of well-known keys
(``OPENAI_API_KEY`` ...) are checked without one.  One value yields at most
one finding from the value checks, the most specific one: an empty value is
not also "not an integer", a placeholder is not also "not an OpenAI key".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from envcheck.model import PROCESS, Finding, Location, Record, Related, Severity
from envcheck.rules.base import CheckContext, Rule
from envcheck.rules.schema_docs import DOCS
from envcheck.schema.classify import (  # memoised per value
    expects_credential,
    is_placeholder,
    may_be_flagged,
    nothing_to_ask,
)
from envcheck.schema.formats import DETECTORS, check_format, format_for_name
from envcheck.schema.formats import stray_characters as stray
from envcheck.schema.model import KeySpec, Schema
from envcheck.schema.values import is_typed_dummy
from envcheck.secret import is_ciphertext, is_secret_name, redact, reveal
from envcheck.sources.types import Origin, Resolution, Resolved

E, W = Severity.ERROR, Severity.WARNING


def _rule(code: str, name: str, severity: Severity, summary: str, enabled: bool = True) -> Rule:
    return Rule(code, name, severity, summary, DOCS[code], default_enabled=enabled)


RULES: tuple[Rule, ...] = (
    _rule("EC301", "missing-required-key", E, "A key the schema requires is not set"),
    _rule("EC302", "empty-value", E, "A schema key is set to the empty string"),
    _rule("EC303", "unknown-key", W, "A file defines a key the schema does not declare", False),
    _rule("EC304", "invalid-type", E, "A value does not have the type the schema declares"),
    _rule("EC305", "invalid-format", E, "A value does not fit the format the schema declares"),
    _rule("EC306", "placeholder-value", E, "A value is a template placeholder"),
    _rule("EC307", "stray-characters-in-value", E, "Whitespace, quotes or invisible characters"),
    _rule("EC308", "known-key-format-mismatch", W, "A well-known key does not have its shape"),
    _rule("EC309", "settings-validation-error", E, "The pydantic-settings class rejects a value"),
    _rule(
        "EC310",
        "unconfigured-integration",
        Severity.INFO,
        "An integration the app runs without still holds its template placeholder",
        False,
    ),
)
R = {r.code: r for r in RULES}


class _Value(Record):
    """A value and the record of where it came from (None: the process environment alone).

    The Origin and the Location are built on demand: most values never get a finding.
    """

    __slots__ = ("key", "value", "resolved")
    _not_shown = ("value",)
    key: str
    value: str
    resolved: Resolved | None

    def __init__(self, key: str, value: str, resolved: Resolved | None) -> None:
        self.key = key
        self.value = value
        self.resolved = resolved

    @property
    def origin(self) -> Origin | None:
        return None if self.resolved is None else self.resolved.origin

    @property
    def location(self) -> Location:
        return Location(PROCESS) if self.origin is None else _loc(self.origin)


def _loc(origin: Origin) -> Location:
    if origin.is_process:
        return Location(PROCESS)
    return Location(origin.source, origin.line, origin.col)


def _where(spec_where: str | None) -> Location:
    """``envcheck.toml:12`` as a Location; a settings field has no file location."""
    path, _, line = (spec_where or "").rpartition(":")
    return Location(path, int(line)) if path and line.isdigit() else Location()


class _ValueMap(Mapping[str, _Value]):
    """Key -> its :class:`_Value`, built when read: no object kept per key of a large file."""

    def __init__(self, variables: Mapping[str, Resolved]) -> None:
        self.variables = variables

    def __getitem__(self, key: str) -> _Value:
        resolved = self.variables[key]
        return _Value(key, resolved.reveal(), resolved)

    def __iter__(self) -> Iterator[str]:
        return iter(self.variables)

    def __len__(self) -> int:
        return len(self.variables)


class _Values:
    """The values the app sees, looked up as the schema matches names."""

    def __init__(self, resolution: Resolution, env: Mapping[str, str], case: bool) -> None:
        self.items = _ValueMap(resolution.vars)
        self.env = env
        self.case = case
        self.upper = {} if case else {k.upper(): k for k in resolution.vars}  # upper -> key

    def get(self, name: str) -> _Value | None:
        key = name if self.case else self.upper.get(name.upper())
        found = None if key is None else self.items.get(key)
        if found is not None:
            return found
        for key, value in self.env.items():  # set only in the process environment
            if key == name or (not self.case and key.upper() == name.upper()):
                return _Value(key, value, None)
        return None


def check(ctx: CheckContext) -> Iterable[Finding]:
    schema = ctx.schema if isinstance(ctx.schema, Schema) else None
    res = ctx.resolution
    values = _Values(res, ctx.process_env, schema.case_sensitive if schema else True)
    seen: set[str] = set()
    if schema is not None:
        for spec in schema.keys.values():
            found = values.get(spec.name)
            if found is None:
                if spec.is_required(res.mode) and not _only_a_reference_asks(ctx, spec):
                    yield _missing(spec, res, _read_at(ctx, spec.name), _home(ctx, spec))
                continue
            seen.add(found.key)
            if _left_empty(ctx, spec, found):
                continue  # the project's own "unset": nothing else to check in an empty value
            yield from _value(found, spec, ctx, required=spec.is_required(res.mode))
    quiet = nothing_to_ask()  # one C call turns away the keys with nothing to judge
    for key, resolved in res.vars.items():  # a _Value only for a key that may be judged
        if key in seen or quiet(key, value := resolved.reveal()):
            continue
        if _may_find(key, value):
            yield from _value(_Value(key, value, resolved), None, ctx, required=False)
    # EC303 is off unless selected (or allow_unknown = false): skip its difflib then.
    if schema is not None and schema.keys and (ctx.enabled is None or "EC303" in ctx.enabled):
        yield from _unknown(schema, values, seen)
    if schema is not None and schema.settings_class is not None:
        yield from _settings(schema, ctx, values)


def _left_empty(ctx: CheckContext, spec: KeySpec, found: _Value) -> bool:
    """The template leaves the key empty, with no ``required`` said, and so does the copy.

    A template read as the schema only *guesses* that every key is required;
    ``cp .env.local.example .env.local`` leaving a key empty is how a
    developer says "I do not use this one" (the Azure block of a chatbot
    that also speaks OpenAI).  Whatever type the key has: a template that
    ships ``DATABASE_URL=`` empty is written for code that takes the empty
    string as unset (nestjs-boilerplate builds the connection from
    ``DATABASE_HOST``… then).  A key missing altogether is still EC301, and
    ``envcheck.toml`` or a ``# required`` annotation still makes it EC302 - unless
    the compose file itself writes the empty default (:func:`_empty_by_compose_default`).
    """
    if found.value != "":
        return False
    if _empty_by_compose_default(ctx, found):
        return True
    if not spec.where:
        return False
    path, _, line = spec.where.rpartition(":")
    from envcheck.sources.templates import is_template

    if not line.isdigit() or not is_template(Path(path).name):
        return False
    item = _template_keys(ctx, _copied_from(ctx, found) or path).get(spec.name)
    if item is None or item.value != "" or "required" in item.fields:
        return False
    return not _validator_rejects_empty(ctx, spec.name)  # `z.string()` takes "", `.min(1)` not


def _validator_rejects_empty(ctx: CheckContext, key: str) -> bool:
    """The app's validator fails on ``KEY=`` (:attr:`envcheck.code.facts.EnvRead.rejects_empty`):
    unkey's ``UNKEY_API_ID: z.string()`` takes the empty string its template ships."""
    from envcheck.rules.code import code_reads

    return any(r.rejects_empty for r in code_reads(ctx, key) if r.context == "app")


def _empty_by_compose_default(ctx: CheckContext, found: _Value) -> bool:
    """The compose file hands the app the empty string on purpose (``${VAR:-}``, ``KEY: ""``:
    :func:`envcheck.sources.loaders.compose.set_empty_by_default`): the project's own "off",
    as a template shipping the key empty says (langfuse's SMTP and Bedrock settings).

    Whatever schema declares the key: the compose file is what starts the app, and a
    ``required`` beside it is most often a guess (a template lists every key, ``init``
    drafts from the template) that the root's other readers still need - langfuse's web
    app reads the same root ``.env`` with no compose default, so the key stays required
    there (EC301 when unset) while the compose project runs without it."""
    resolved = ctx.resolution.vars.get(found.key)
    if resolved is None or resolved.raw is None:
        return False
    from envcheck.sources.loaders.compose import set_empty_by_default

    return set_empty_by_default(resolved)


def _empty_by_unset_reference(ctx: CheckContext, found: _Value) -> bool:
    """The value is empty only because the line interpolates a variable nobody set
    (plane's ``POSTGRES_USER: ${POSTGRES_USER}`` with no ``POSTGRES_USER`` in the shell or
    the root ``.env``): docker compose substitutes the empty string, and EC507 already
    reports that line, naming the variable to set.  An EC302 beside it is the same cause
    said twice, with a hint ("set a value") that points at the wrong place."""
    origin = found.origin
    if origin is None or origin.is_process:
        return False
    return any(
        note.kind == "undefined-variable"
        and note.path == origin.source
        and note.line == origin.line
        for note in ctx.resolution.notes
    )


def _copied_from(ctx: CheckContext, found: _Value) -> str | None:
    """The template the value's file was copied from (:func:`.templates.copied_from`).

    nestjs-boilerplate ships ``env-example-relational`` and ``env-example-document``
    with the same keys; the README copies one to ``.env``, and the schema may be read
    from the other.
    """
    if found.origin is None or found.origin.is_process:
        return None
    from envcheck.sources.templates import copied_from

    source = Path(found.origin.source)
    real = _linked_copy(ctx, ctx.project_dir / source)
    if real is not None:
        name = copied_from(real.parent, real.name)
        if name is None:
            return None
        return Path(
            os.path.relpath(real.parent / name, os.path.realpath(ctx.project_dir))
        ).as_posix()
    name = copied_from(ctx.project_dir / source.parent, source.name)
    return None if name is None else (source.parent / name).as_posix()


def _linked_copy(ctx: CheckContext, live: Path) -> Path | None:
    """The real file a live env file links to, when it is a link within the checkout.

    useSend's README makes the copy at the root (``cp .env.example .env``) and links the
    app's ``apps/web/.env`` to it: the copy's template is the root's ``.env.example``, not
    the app's ``.env.test.example`` that shares its keys.  A link leading out of the
    checkout is not followed (SECURITY.md: nothing outside the project is read)."""
    if not live.is_symlink():
        return None
    from envcheck.sources.checkout import project_root

    real = os.path.realpath(live)
    root = project_root(ctx.project_dir)[0]
    if not real.startswith(root.rstrip(os.sep) + os.sep) or not os.path.isfile(real):
        return None
    return Path(real)


def _optional_integration(
    ctx: CheckContext, spec: KeySpec | None, v: _Value, *, own: bool = False
) -> str | None:
    """Why the app runs without ``v.key`` (EC310 says it), or None when nothing says so.

    In order: a requirement someone wrote (``envcheck.toml``'s ``required``, a settings
    class, the template's ``# required``) means the app needs the key; the template's
    ``optional`` means it does not.  Then the code: the app's own validator (zod, t3-env,
    envalid) declaring the key optional, or every read coping without it (a default, a
    test, a guard, a feature that checks its own key), says the app runs without it, and
    the validator requiring it says the app does not start without it.  A plain read
    with no default says neither (an integration's client reads its key so), and a key
    no code read names (``--no-code``, a pydantic settings class) is left to the
    template's layout: the integration its paragraph configures
    (:func:`envcheck.schema.templates_sections.unconfigured_because`) - never for the
    app's ``own`` secret, which no paragraph makes a third party's.

    A schema that is no template (``envcheck.toml``) and does not require the key leaves
    the word to the template the value was copied from: ``init`` drafts ``required =
    false`` from the template's ``# Redis (optional)`` (and from a placeholder value), and
    the facts stay where the template says them, so ``init`` then ``check`` weighs the
    placeholder as ``check`` alone did (openstatus' ``UPSTASH_REDIS_REST_TOKEN``)."""
    key = v.key
    own_template = _spec_template(spec) if spec is not None else None
    if spec is not None and own_template is None:
        if spec.required or spec.required_modes is not None:
            return None  # envcheck.toml, a settings class: a requirement someone wrote
    template = own_template or _template_of(ctx, v)
    name = spec.name if spec is not None else key
    item = None if template is None else _template_keys(ctx, template).get(name)
    if item is None and own_template is not None:
        return None
    if item is not None and item.fields.get("required") is True:
        return None  # `# required` in the template
    if item is not None and item.fields.get("required") is False:
        after = f": {item.optional_after}" if item.optional_after else ""
        return f"the template marks it optional{after}"  # a directive, its section's prose
    by_code = _code_says_optional(ctx, key)
    if by_code is not None:
        return by_code or None
    return None if template is None or own else _unconfigured(ctx, template, v)


def _unconfigured(ctx: CheckContext, template: str, v: _Value) -> str | None:
    """Why ``template``'s layout shows ``v.key`` as an integration not set up, or None
    (:func:`envcheck.schema.templates_sections.unconfigured_because`); the template's
    switch is read in the values the app sees."""
    from envcheck.schema.templates_sections import unconfigured_because

    res = ctx.resolution

    def live(name: str) -> str | None:
        found = res.vars.get(name)
        return reveal(found.value) if found is not None else ctx.process_env.get(name)

    paragraphs = _template_paragraphs(ctx, template)
    return unconfigured_because(v.key, paragraphs, live, by_name="://" not in v.value)


def _code_says_optional(ctx: CheckContext, key: str) -> str | None:
    """What the app's own reads of ``key`` say: a reason it runs without the key, ``""``
    when its validator requires the key, None when they say neither (or there are none).

    The validator speaks for the app: epic-stack's ``SENTRY_DSN: z.string().optional()``
    is optional though ``getEnv()`` then hands ``process.env.SENTRY_DSN`` on with no
    default, and a ``z.string()`` it parses at start is a requirement whatever a guard
    elsewhere does."""
    from envcheck.rules.code import code_reads, read_only_optionally

    reads = [r for r in code_reads(ctx, key) if r.context == "app"]
    validated = [r for r in reads if r.form == "schema"]
    if validated:
        if any(r.kind == "required" for r in validated):
            return ""
        return "the app's validator declares it optional"
    if reads and read_only_optionally(ctx, key):
        return "the code reads it only where it copes without it"
    return None


def _spec_template(spec: KeySpec) -> str | None:
    """The template a schema key was read from (``.env.example:12``), else None."""
    path, _, line = (spec.where or "").rpartition(":")
    from envcheck.sources.templates import is_template

    return path if path and line.isdigit() and is_template(Path(path).name) else None


def _weighing_template(ctx: CheckContext, spec: KeySpec | None, v: _Value) -> str | None:
    """The template whose word and layout weigh ``v``'s placeholder: the schema's own when
    the schema is a template, else the one the value was copied from (:func:`_template_of`)."""
    return (_spec_template(spec) if spec is not None else None) or _template_of(ctx, v)


def _template_of(ctx: CheckContext, v: _Value) -> str | None:
    """The template the value's file was copied from, else the first of the project's
    templates that lists ``v.key``."""
    template = _copied_from(ctx, v)
    if template is not None:
        return template
    from envcheck.rules.envfiles import project_files
    from envcheck.sources.templates import is_template

    return next(
        (
            path
            for path, parsed in project_files(ctx).items()
            if is_template(Path(path).name) and v.key in parsed.last_entries()
        ),
        None,
    )


def _template_text(ctx: CheckContext, path: str) -> str:
    """The template's text, read once per run (bounded like every env file)."""
    cache: dict[str, str] = ctx.shared.setdefault(__name__ + ".template-text", {})
    if path not in cache:
        from envcheck.sources.checkout import ENV_FILE_CAP, read_text

        try:
            cache[path] = read_text(
                ctx.project_dir / path, within=ctx.project_dir, cap=ENV_FILE_CAP, errors="replace"
            )
        except OSError:
            cache[path] = ""
    return cache[path]


def _template_keys(ctx: CheckContext, path: str) -> dict[str, Any]:
    """The template's keys, parsed once per run (the schema loader read the same file)."""
    cache: dict[str, dict[str, Any]] = ctx.shared.setdefault(__name__ + ".templates", {})
    if path not in cache:
        from envcheck.schema.example import parse_example

        cache[path] = {k.name: k for k in parse_example(_template_text(ctx, path), path)}
    return cache[path]


def _template_paragraphs(ctx: CheckContext, path: str) -> dict[str, Any]:
    """The template's paragraphs by key (:func:`.templates_sections.paragraphs`), once per run."""
    cache: dict[str, dict[str, Any]] = ctx.shared.setdefault(__name__ + ".paragraphs", {})
    if path not in cache:
        from envcheck.schema.templates_sections import paragraphs

        cache[path] = paragraphs(_template_text(ctx, path))
    return cache[path]


def _only_a_reference_asks(ctx: CheckContext, spec: KeySpec) -> bool:
    """The key comes from a template that is a reference (:func:`reference_template`) and
    the app's own code does not demand it (a read with no default, EC901's test): nothing
    the developer's setup runs asks for it.  A key the code demands stays EC301's."""
    template = _spec_template(spec)
    if template is None:
        return False
    cache: dict[str, str | None] = ctx.shared.setdefault(__name__ + ".reference", {})
    if template not in cache:
        cache[template] = reference_template(ctx.project_dir, template)
    if cache[template] is None:
        return False
    from envcheck.rules.code import code_reads, demands

    return not any(demands(r) for r in code_reads(ctx, spec.name))


def reference_template(project_dir: Path, template: str) -> str | None:
    """Why ``template`` (a path below ``project_dir``) is a reference and not the developer's
    setup, or None: its own header sends the developer to another template beside it
    (:func:`envcheck.sources.templates.sent_elsewhere`), the workspace run checks it in a
    package whose path says no setup runs it (:func:`_package_no_setup_runs`), or git
    tracks the very file it would be copied to.

    A setup that copies ``.env.example`` to ``.env`` overwrites ``.env``; when the
    repository commits that ``.env`` and the development defaults beside it (teable's
    ``apps/nextjs-app/.env`` and ``.env.development``, which its README has the developer
    copy), no setup does,
    and the template documents another deployment (self-hosting).  Its keys then ask
    nothing of the development run: ``check`` raises no EC301 for them, ``init`` drafts
    them ``required = false``.  Without git's answer (no repository, git missing) it is
    not a reference.  The one place that decides it, for ``check`` and ``init``."""
    from envcheck.rules import gitfiles
    from envcheck.sources.templates import live_name, sent_elsewhere

    folder, _, name = template.rpartition("/")
    instead = sent_elsewhere((project_dir / template).parent, name)
    if instead is not None:
        return f"{template} sends the developer to {instead} instead: a reference, not the setup"
    package = _package_no_setup_runs(project_dir)
    if package is not None:
        return f"{template}'s package {package}/ is named as no app the setup runs: a reference"
    target = f"{folder}/{live_name(name)}" if folder else live_name(name)
    # A lone tracked .env may be a mistake (``git add .``); a repository that also
    # commits the development run's defaults beside it has chosen committed settings.
    defaults = f"{folder}/.env.development" if folder else ".env.development"
    if not ((project_dir / target).is_file() and (project_dir / defaults).is_file()):
        return None
    tracked = gitfiles.status(project_dir, [target, defaults])
    if tracked.get(target) != gitfiles.TRACKED or tracked.get(defaults) != gitfiles.TRACKED:
        return None
    return (
        f"git tracks {target}, the file {template} is copied to, and {defaults}: "
        "a reference, not the setup"
    )


def _package_no_setup_runs(project_dir: Path) -> str | None:
    """The package's root-relative path when the workspace run started at a root checks a
    package whose path says no setup runs it (:func:`envcheck.workspace.markers.says_not_an_app`:
    novu's ``playground/nextjs``, an SDK's test bed its ``pnpm-workspace.yaml`` lists
    under ``playground/*``), else None.

    The package is still checked (its committed files are the repository's: stack-auth's
    ``examples/*`` commit ``.env.development`` files whose keys EC401 weighs); only its
    template asks nothing of the run.  A run started inside the package is the developer
    running it: its template is the setup there."""
    from envcheck.workspace.current import SCHEMA_ROOT

    root = SCHEMA_ROOT.get()
    if root is None:
        return None
    rel = os.path.relpath(project_dir, root).replace(os.sep, "/")
    if rel == "." or rel.startswith("../"):
        return None
    from envcheck.workspace.markers import says_not_an_app, shipped_app

    if not says_not_an_app(rel) or shipped_app(rel, project_dir):
        return None  # open-saas's template/app is the Wasp app its setup runs
    return rel


def _read_at(ctx: CheckContext, key: str) -> tuple[Related, ...]:
    """Where the code reads ``key``: EC301 owns a declared key the code reads (EC901 leaves
    it alone), so it points at the code too."""
    from envcheck.rules.code import code_reads, related_reads

    return related_reads(code_reads(ctx, key), "read here")


_ANY_FILE = "the app’s env file"


def _home(ctx: CheckContext, spec: KeySpec) -> str | None:
    """The one file a key belongs in, where the framework's files are separate processes'
    (:attr:`~envcheck.sources.profiles.Profile.separate_files`): the file its template is
    copied to (Wasp: ``.env.client`` for ``.env.client.example``'s keys, read only by
    the client); ``""`` when no template says which (a key of ``envcheck.toml``): no
    loaded file is named, the server's may be the wrong one.  None elsewhere: any loaded
    file will do."""
    if not ctx.profile.separate_files:
        return None
    template = _spec_template(spec)
    if template is None:
        return ""
    from envcheck.sources.templates import live_name

    name = live_name(Path(template).name)
    return name if name in ctx.profile.candidates(ctx.resolution.mode) else ""


def _missing(
    spec: KeySpec, res: Resolution, read_at: tuple[Related, ...] = (), home: str | None = None
) -> Finding:
    """EC301 at the file the key belongs in (the app's first loaded file; ``home`` when
    only that file is read for the key, :func:`_home`), or at the schema line when the app
    loads none yet (or none is ``home``; ``""``: no file is known to be it).  The hint
    names no path: the finding's own location does, placed for the reader (relative to a
    workspace root in a fan-out) as a hint's text could not be; it names ``home``, a file
    name.  With no file yet, no place is guessed: where the README's ``cp`` puts it (the
    app's folder, or a root file its scripts load) is not known here, and two apps of one
    root template then report the key once."""
    modes = f" in {res.mode} mode" if spec.required_modes is not None else ""
    files = res.files if home is None else [f for f in res.files if home and Path(f).name == home]
    location = Location(files[0]) if files else _where(spec.where)
    declared = _where(spec.where)
    related = read_at
    if declared.path is not None and declared != location:
        related = (Related(declared, "declared here"), *read_at)
    # A settings field is no place in a file: the hint names it.
    named = f"; {spec.where} declares it" if spec.where and declared.path is None else ""
    return R["EC301"].finding(
        f"{spec.name} is required{modes} but no loaded file or the process environment sets it",
        location,
        key=spec.name,
        hint=f"add {spec.name}=… to {'this file' if files else home or _ANY_FILE}{named}",
        related=related,
    )


def _value(
    v: _Value, spec: KeySpec | None, ctx: CheckContext, *, required: bool
) -> Iterator[Finding]:
    """At most one finding per value: empty, placeholder, stray, type, then format."""
    fmt = spec.format if spec is not None else None
    known = None if fmt else format_for_name(v.key)
    secret = spec.secret if spec is not None and spec.secret is not None else None
    if secret is None:
        secret = expects_credential(v.key, v.value)
    if v.value == "":
        if _empty_by_unset_reference(ctx, v):
            return  # one cause, one finding: EC507 names the unset variable on this line
        if spec is not None and (required or spec.type != "str" or spec.choices):
            yield R["EC302"].finding(
                f"{v.key} is set but empty",
                v.location,
                key=v.key,
                hint="set a value, or remove the line so the app's default applies",
                severity=None if required else W,
            )
        return
    if is_ciphertext(v.value):
        return  # dotenvx ciphertext: the app gets the plaintext; EC511 checks its key
    from envcheck.sources.references import reference_kind

    if reference_kind(v.value):
        return  # op://…, ${{ secrets.X }}, a deploy target's secret store: a pointer, not a value
    if is_placeholder(v.value) and not (  # any key: the app gets "replace-me" as its value
        is_typed_dummy(v.value) and not _own_secret(v.key) and _projects_own_value(v, spec, ctx)
    ):  # a bundled service's local password the template ships (``polarpolar``) works; the
        # app's own key shipped as 64 zeros (``ENCRYPTION_KEY``) encrypts with a published key
        if not _working_value(ctx, spec, v):
            yield _placeholder(
                v, spec, ctx, needed=bool(required or secret or (spec is None and known))
            )
        return
    if reason := _stray(v, spec, secret, fmt or known):
        yield R["EC307"].finding(
            f"{v.key} {reason}",
            v.location,
            key=v.key,
            hint="remove the stray characters (check what the clipboard carried in)",
        )
        return
    if spec is not None:
        from envcheck.schema.types import validate

        if reason := validate(spec, v.value):
            yield R["EC304"].finding(
                f"{v.key} {redact(reason, [v.value])}",
                v.location,
                key=v.key,
                hint=f"{spec.where or 'the schema'} declares type {spec.type}",
            )
            return
    if fmt and (reason := check_format(fmt, v.value)):
        yield R["EC305"].finding(
            f"{v.key} {reason}",
            v.location,
            key=v.key,
            hint=f"{spec.where if spec and spec.where else 'the schema'} declares format {fmt}; "
            f"expected {DETECTORS[fmt].shape}",
        )
    elif (
        known
        and not _other_provider(v.key, known, ctx)
        and not _projects_own_value(v, spec, ctx)
        and (reason := check_format(known, v.value))
    ):
        yield R["EC308"].finding(
            f"{v.key} {reason}",
            v.location,
            key=v.key,
            hint=f"expected {DETECTORS[known].shape}; declare the key's format in envcheck.toml "
            "if this is intended",
        )


def _placeholder(v: _Value, spec: KeySpec | None, ctx: CheckContext, *, needed: bool) -> Finding:
    """EC306 for a placeholder the app will use; EC310 for an integration it runs without.

    ``needed``: a requirement says so, the name holds a credential, or the key is a
    well-known one.  A needed key the code reads only optionally (or the template
    marks optional) is a third party's account the developer has not set up
    (``GMAIL_CLIENT_ID=<your-client-id>`` after ``cp .env.example .env``): the app
    works as the README intends, so it is EC310, off by default.  The app's own
    secret (:func:`_own_secret`) is no integration: a placeholder there signs sessions
    with a published string, so it stays EC306 (a warning when the code copes without
    it).  Any other key's placeholder is a warning.
    """
    own = _own_secret(v.key)
    if needed:
        because = _optional_integration(ctx, spec, v, own=own)
    else:  # no credential, nothing requires it: only an integration's paragraph makes it one
        template = _weighing_template(ctx, spec, v)
        because = None if own or template is None else _unconfigured(ctx, template, v)
    optional = because is not None
    if because is not None and not own:
        return R["EC310"].finding(
            f"{v.key} holds a placeholder: the integration it configures is not set up "
            f"({because}; the app runs without it)",
            v.location,
            key=v.key,
            hint=f"set the real {v.key} when you use that integration",
        )
    return R["EC306"].finding(
        f"{v.key} holds a placeholder, not a real value",
        v.location,
        key=v.key,
        hint=f"replace it with the real {v.key}",
        severity=None if needed and not optional else W,
    )


def _working_value(ctx: CheckContext, spec: KeySpec | None, v: _Value) -> bool:
    """A placeholder-looking value that the value itself, or its template, says works as it
    is (:func:`envcheck.schema.templates_sections.any_value_works`): kentcdodds.com's
    ``SESSION_SECRET=anything_works_here`` under "Any value can be used locally".  The copy
    is set up for development; whether a deploy target holds a real one is the deploy
    family's question, not a placeholder left in."""
    from envcheck.schema.templates_sections import any_value_works

    template = _weighing_template(ctx, spec, v)
    keys = _template_paragraphs(ctx, template) if template is not None else {}
    return any_value_works(v.key, keys, v.value)


# The words of a name that holds the app's own secret: one it signs or checks with itself
# (``SECRET_KEY``, ``AUTH_SECRET``, ``NEXTAUTH_SECRET``, ``CRON_SECRET``), not the
# credential of a third party's account (``GMAIL_CLIENT_SECRET``, ``RESEND_API_KEY``).
_OWN_SECRET_WORDS = frozenset(
    "SECRET SECRETS KEY BASE AUTH NEXTAUTH BETTER SESSION SESSIONS COOKIE COOKIES JWT "
    "SIGNING SIGN ENCRYPTION ENCRYPT CRYPTO APP CRON HMAC MASTER SALT PEPPER CSRF".split()
)


def _own_secret(key: str) -> bool:
    """Whether ``key`` names the app's own secret: every word of it is one of those words.

    Such a key has no integration to leave unconfigured: with a placeholder
    the app still starts, signing with a string anyone can read in the template.
    """
    words = [w for w in key.upper().split("_") if w]
    return bool(words) and all(w in _OWN_SECRET_WORDS for w in words)


def _may_find(key: str, value: str) -> bool:
    """False when ``_value()`` of ``key=value`` without a spec surely finds nothing (the
    common case, cheaply: no ``_Value`` is built for it).

    Without a spec: an empty value is no finding, and a value that is neither
    secret nor of a well-known format can only be a placeholder or have a zero-width
    character.
    """
    if value == "":
        return False
    # The name first: two cheap tests; then the classifier's flags, for a value that can hold any.
    return bool(format_for_name(key)) or is_secret_name(key) or may_be_flagged(value)


def _stray(v: _Value, spec: KeySpec | None, secret: bool, fmt: str | None) -> str | None:
    reason = stray(v.value)
    if reason is None or "zero-width" in reason:
        return reason
    keyish = secret or fmt is not None or (spec is not None and spec.type in ("url", "email"))
    if not keyish:
        return None
    if reason == "contains a line break" and (
        "-----BEGIN" in v.value or (spec is not None and spec.type == "json")
    ):
        return None  # PEM keys and JSON span lines by design
    return reason


def _projects_own_value(v: _Value, spec: KeySpec | None, ctx: CheckContext) -> bool:
    """A value the project chose, not one a developer pasted: EC308 does not judge its shape.

    EC308 is about a pasted key of the wrong kind.  Two values are the project's own
    design instead: the very value its template ships for the key, copied unchanged
    (``AWS_ACCESS_KEY_ID="mock-access-key"`` that the app's mock servers accept, a local
    MinIO's ``access-key``), and a URL of a service running next to the app - a
    loopback or single-label host, such as a compose service (``DATABASE_URL=
    http://libsql:8080``, libsql's own HTTP protocol) - whose scheme is that service's.

    The templates weighed first are the one the value's file was copied from
    (:func:`_copied_from`, through a link: useSend's ``apps/web/.env`` is the root copy)
    and the schema's own: an app of a workspace loads the root ``.env`` its README
    copied from the root ``.env.example`` (shelf.nu's ``STRIPE_SECRET_KEY=
    "stripe-secret-key"``), a template outside the app's folder.
    """
    if _local_service_url(v.value):
        return True
    if v.value == "" or v.origin is None:
        return False
    from envcheck.rules.envfiles import project_files
    from envcheck.sources.templates import is_template

    for template in (_copied_from(ctx, v), _spec_template(spec) if spec is not None else None):
        if template is not None and template != v.origin.source:
            item = _template_keys(ctx, template).get(v.key)
            if item is not None and item.value == v.value:
                return True
    # The project's templates, whichever schema is in use (``init`` writes envcheck.toml).
    for path, parsed in project_files(ctx).items():
        if path != v.origin.source and is_template(Path(path).name):
            entry = parsed.last_entries().get(v.key)
            if entry is not None and entry.value == v.value:
                return True
    return False


def _local_service_url(value: str) -> bool:
    """``scheme://host…`` on a loopback or single-label host (``localhost``, ``libsql``):
    :func:`envcheck.secret.local_host`."""
    if "://" not in value:
        return False
    import urllib.parse

    from envcheck.secret import local_host

    try:
        return local_host(urllib.parse.urlsplit(value.strip()).hostname or "")
    except ValueError:
        return False


def _other_provider(key: str, known: str, ctx: CheckContext) -> bool:
    """An OpenAI-compatible provider's key in OPENAI_API_KEY is not a mismatch."""
    if known != "openai-api-key":
        return False
    base = ctx.resolution.vars.get("OPENAI_BASE_URL")
    url = reveal(base.value) if base is not None else ctx.process_env.get("OPENAI_BASE_URL", "")
    return bool(url) and "api.openai.com" not in url


def _unknown(schema: Schema, values: _Values, seen: set[str]) -> Iterator[Finding]:
    import difflib

    names = list(schema.keys)
    for key, v in values.items.items():
        if key in seen or v.location.path == PROCESS:
            continue
        close = difflib.get_close_matches(key, names, n=1)
        yield R["EC303"].finding(
            f"{key} is not declared in the schema ({schema.source})",
            v.location,
            key=key,
            hint=f"did you mean {close[0]}?" if close else f"declare it in {schema.source}",
            severity=None if schema.allow_unknown else E,
        )


def _settings(schema: Schema, ctx: CheckContext, values: _Values) -> Iterator[Finding]:
    from envcheck.schema.settings import validate_settings

    env = dict(ctx.process_env)
    env.update((v.key, v.value) for v in values.items.values())
    cls = schema.settings_class
    for error in validate_settings(cls, env):
        loc = error["loc"]
        if error["type"] == "missing":
            continue  # EC301 reports it, with a hint where to add it
        field = str(loc[0]) if loc else ""
        name = schema.field_env.get(field, field.upper())
        found = values.get(name) if name else None
        path = f"{field}.{'.'.join(map(str, loc[1:]))}" if len(loc) > 1 else field
        message = redact(str(error["msg"]), [found.value] if found else [])
        res = ctx.resolution
        yield R["EC309"].finding(
            f"{name or cls.__name__} fails {cls.__name__} validation: {message}",
            found.location if found else Location(res.files[0] if res.files else None),
            key=name or None,
            hint=f"field {path!r} of {schema.settings}" if field else None,
        )
