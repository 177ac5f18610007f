"""Read an annotated ``.env.example`` as a schema.

dotenv-safe and dotenvx users already keep a ``.env.example`` listing every
key the app needs, so it is a schema for free: a plain key is required, and
comments refine it, on the line(s) directly above the key or inline::

    # The OpenAI key for the chat route.
    # secret; format: openai-api-key; probe: openai
    OPENAI_API_KEY=sk-...
    PORT=3000            # optional; type: port
    SENTRY_DSN=          # modes: production, staging
    LOG_LEVEL=info       # choices: debug,info,warn

Directives: ``optional``, ``required``, ``secret``, ``public`` and
``type:``, ``format:``, ``probe:`` (one word), ``modes:``, ``choices:``
(comma lists), ``pattern:`` (to the end).  Separate directives with ``;``
(flags may also be separated by spaces or commas).  A comment that is not
all directives is the key's description; ``# envcheck:`` comments are left
to the inline-ignore machinery.  Example values become ``default`` only
when they are neither secret nor placeholders.

This reader is deliberately small and separate from the dialect parsers:
the example file is never loaded by the app, and its comments matter here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from envcheck.errors import ConfigError
from envcheck.schema.formats import DETECTORS, detect, is_placeholder
from envcheck.schema.model import TYPES, KeySpec
from envcheck.schema.templates_sections import Paragraph, integration, paragraphs
from envcheck.secret import is_secret_name
from envcheck.sources.templates import is_test_settings, live_name

_URL_PASSWORD = re.compile(r"://[^/@:\s]*:[^/@\s]+@")  # user:password@ in a URL

_LINE = re.compile(
    r"[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[=:][ \t]*(?P<rest>.*)"
)
_FLAGS = re.compile(
    r"(?:optional|required|secret|public)(?:[ \t,]+(?:optional|required|secret|public))*"
)
_FIELD = re.compile(r"(?P<name>type|format|probe|modes?|choices|pattern)[ \t]*:[ \t]*(?P<value>.*)")
_WORD = re.compile(r"[A-Za-z0-9_.+-]+")
# Prose that marks a key or a section optional (or, with "not", required).
_OPTIONAL = re.compile(
    r"(?i)(?P<not>\bnot[ \t]+)?\b(?P<word>optional(?:ly)?|required|mandatory"
    r"|(?:run|start|works?)\b[^.;]*?\bwithout (?:it|them|these)|can be (?:left )?(?:empty|blank)"
    # "###### DUB.CO INTERNAL USE ONLY ######": the maintainers' own keys, not the reader's
    r"|internal use only)\b"
)
# The template's own "skip it" for the keys it stands over ("Leave empty if not using
# Temporal Cloud", "Leave blank to allow all domains", "Tracecat Cloud only, please ignore
# if self-hosted"): those keys, or its paragraph's, and no further - unlike "optional"
# heading a section, it names no part of the file.
_LEAVE_EMPTY = re.compile(
    r"(?i)(?<!not )\b(?:leave (?:it |this |them )?(?:empty|blank|unset)"
    r"|ignore (?:it |this |them )?if)\b"
)
# The template's word that the app does without the key (key-level, or the paragraph's
# header, like "leave empty"): it has a default ("# defaults to DOMAIN", "If NGINX_SETUP
# is not defined, we default to https mode") or is needed only with a feature on ("only
# needed if …", "keys if you want to enable … telemetry").  A comment that only says what
# the key is ("API endpoint for your provider") is no such word.
_UNNEEDED = re.compile(
    r"(?i)\b(?:defaults?[ \t]+to|falls?[ \t]+back[ \t]+to"
    # Not "only needed for localhost": a setting the development run needs.
    r"|only[ \t]+(?:(?:needed|required|necessary|used|relevant)[ \t]+)?(?:if|when)"
    r"|if[ \t]+you[ \t]+(?:want|wish|would[ \t]+like|'d[ \t]+like)[ \t]+to[ \t]+"
    r"(?:enable|use|turn[ \t]+on|activate|send|set[ \t]+up))\b"
)
# A key's name in prose (``NGINX_SETUP``): the subject a sentence is about.
_KEY_NAME = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b")
_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")  # not the dot of a host or "e.g"
# A template's own feature switch, shipped off (``USE_S3=false``, ``ENABLE_SSO=0``,
# ``STRIPE_ENABLED=no``) as the first key of its paragraph: the empty keys after it
# configure that feature (not ``SMTP_SECURE_ENABLED=0`` amid the mail settings).
_SWITCH_NAME = re.compile(r"(?i)(?:USE|ENABLE)_[A-Z0-9_]+|[A-Z0-9_]+_ENABLED")
_OFF = frozenset({"false", "0", "no", "off"})
# The values a mode variable (NODE_ENV, APP_ENV, RAILS_ENV) takes in a test run.
_TEST_MODE_NAMES = frozenset({"test", "testing"})
_LIST = re.compile(r"[A-Za-z0-9_.+-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_.+-]+)*,?")


@dataclass(slots=True)
class ExampleKey:
    """One key of the example file: its line, example value and annotations."""

    name: str
    line: int
    value: str = field(repr=False)
    fields: dict[str, object] = field(default_factory=dict)
    description: str | None = None
    # The header of an earlier section that said "optional", when only its word (carried
    # over this key's section of empty values) makes the key optional: the evidence a
    # finding names (:func:`parse_example`).
    optional_after: str | None = None


def _split_value(rest: str) -> tuple[str, str | None]:
    """(value, inline comment) of the text after ``=``; quotes may hold ``#``."""
    rest = rest.rstrip()
    if rest[:1] in ("'", '"', "`"):
        end = rest.find(rest[0], 1)
        if end > 0:
            after = rest[end + 1 :].strip()
            return rest[1:end], after[1:].strip() if after.startswith("#") else None
        return rest[1:], None
    m = re.search(r"(?:^|[ \t])#", rest)
    if m is None:
        return rest.strip(), None
    return rest[: m.start()].strip(), rest[m.end() :].strip()


def parse_directives(comment: str, where: str) -> dict[str, object] | None:
    """The directives in one comment, or None when it is prose (a description)."""
    out: dict[str, object] = {}
    for part in (p.strip() for p in comment.split(";")):
        if not part:
            continue
        if _FLAGS.fullmatch(part):
            for flag in re.findall(r"[a-z]+", part):
                if flag in ("optional", "required"):
                    out["required"] = flag == "required"
                else:
                    out[flag] = True
            continue
        m = _FIELD.fullmatch(part)
        if m is None:
            return None
        name, value = m.group("name"), m.group("value").strip()
        if name == "pattern":
            out["pattern"] = value
        elif name in ("modes", "mode", "choices"):
            if not _LIST.fullmatch(value):
                return None
            items = tuple(v.strip() for v in value.split(",") if v.strip())
            out["required_modes" if name.startswith("mode") else "choices"] = items
        elif _WORD.fullmatch(value):
            out[name] = value
        else:
            return None
    _check(out, where)
    return out


def _check(fields: dict[str, object], where: str) -> None:
    kind = fields.get("type")
    if kind is not None and kind not in TYPES:
        raise ConfigError(
            f"unknown type {kind!r}", where=where, hint=f"use one of: {', '.join(TYPES)}"
        )
    fmt = fields.get("format")
    if fmt is not None and fmt not in DETECTORS:
        raise ConfigError(
            f"unknown format {fmt!r}", where=where, hint=f"use one of: {', '.join(DETECTORS)}"
        )
    pattern = fields.get("pattern")
    if isinstance(pattern, str):
        from envcheck.schema.patterns import problem  # runs in linear time, or is refused

        refused = problem(pattern)
        if refused is not None:
            raise ConfigError(refused.message, where=where, hint=refused.hint)


def _optional_word(comment: str) -> bool | None:
    """True when prose says "optional", False when it says "required", else None."""
    m = _OPTIONAL.search(comment)
    if m is None:
        return None
    optional = not m.group("word").lower().startswith(("required", "mandatory"))
    return optional if m.group("not") is None else not optional  # "not required"


def _unneeded_subjects(comment: str) -> list[frozenset[str]]:
    """For each word of ``comment`` (a block's lines joined: a sentence may span them)
    saying a key is not needed (:data:`_UNNEEDED`), the keys its sentence names before it:
    "AWS_S3_URL_PROTOCOL … defaults to the instance's protocol" is about that key alone,
    "# defaults to DOMAIN" (none named) about the key it stands over.  One pass over the
    text: names, sentence ends and words in order of position."""
    events = sorted(
        [(m.start(), 1, "") for m in _SENTENCE_END.finditer(comment)]
        + [(m.start(), 0, m.group()) for m in _KEY_NAME.finditer(comment)]
        + [(m.start(), 2, "") for m in _UNNEEDED.finditer(comment)]
    )
    out: list[frozenset[str]] = []
    named: set[str] = set()
    for _, kind, name in events:
        if kind == 0:
            named.add(name)
        elif kind == 1:
            named = set()
        else:
            out.append(frozenset(named))
    return out


def _unneeded_for(subjects: list[frozenset[str]], key: str) -> bool:
    """Whether one of :func:`_unneeded_subjects` is about ``key`` (names it, or none)."""
    return any(not named or key in named for named in subjects)


_DECORATION = "#=-*~_ \t"
# A header that titles the part of the file below it as optional (carried over its
# integration sections, :func:`parse_example`) or required: the word and title words only.
_PART_TITLE = re.compile(
    r"(?i)(?:additional |other |more |extra )?(?:optional|required|mandatory)"
    r"(?: (?:settings|variables|vars|env(?:ironment)? var(?:iable)?s|configuration|config"
    r"|integrations|features|services|parameters))?[ \t]*:?"
)
# ``KEY=value`` (only ``=``: ``Optional: Stripe`` is prose, not a YAML-style key).
_COMMENTED_KEY = re.compile(r"(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=")


def _is_rule(stripped: str) -> bool:
    """A comment line of decoration alone, long enough to underline a title (``# -----``,
    ``#######``): not a bare ``#`` spacing the lines of a comment block."""
    return stripped.startswith("#") and len(stripped) >= 4 and not stripped.strip(_DECORATION)


def _is_banner(lines: list[str], index: int) -> bool:
    """Whether the comment at ``lines[index]`` titles a part of the file (one that spans
    paragraphs) rather than commenting on the keys below it.

    A boxed line (``###### OPTIONAL ######``, ``# ==== Stripe ====``) is a title, and a
    rule line (``#######``) is its decoration.  A line decorated on one side only
    (``# === Common optional Settings``, ``### Database``), or underlined by a rule
    (``# Optional self-hosting vars`` over ``# -------``), is one when it stands alone:
    a blank line under it, past its rules.  One that goes on into more comment or a key
    heads that paragraph instead (a rule under ``# DATABASE`` is decoration, and
    ``# Redis (optional)`` below it still heads the keys), and so is a comment on them:
    NextChat writes every comment ``### …``, and its ``### (optional)`` over
    ``### Whitelist of allowed WebDAV endpoints…`` is about the key below the block.
    """
    stripped = lines[index].strip()
    comment = stripped.lstrip("#").strip()
    if not comment.strip(_DECORATION):
        return True
    opened = stripped.startswith("###") or comment[:3] in _RULES
    if opened and len(comment) >= 6 and comment[-3:] in _RULES:
        return True  # boxed
    below = index + 1
    while below < len(lines) and _is_rule(lines[below].strip()):
        below += 1
    if below < len(lines) and lines[below].strip():
        return False  # the paragraph goes on: its header, or a comment on its keys
    above = lines[index - 1].strip() if index > 0 else ""
    underlined = below > index + 1 and (not above or _is_rule(above))
    return opened or underlined


_RULES = ("===", "---", "***", "~~~", "###")


# A template's keys are kept for a workspace run up to this size (characters): the schema's
# loader and the EC302/EC310 rules parse the same template, and 200 apps often the same
# text; a larger file is parsed again rather than its keys held.
_KEEP_PARSE_AT_MOST = 64 * 1024


def parse_example(text: str, path: str) -> list[ExampleKey]:
    """Keys of an example file in order (the last definition of a key wins); in a
    workspace run parsed once for a template's ``text`` and ``path`` (the keys are read,
    never changed).
    """
    if len(text) > _KEEP_PARSE_AT_MOST:
        return _parse_example(text, path)
    from envcheck.sources.checkout import many_apps_memo

    memo = many_apps_memo(f"{__name__}.parse_example")
    key = (path, text)
    if key not in memo:
        memo[key] = tuple(_parse_example(text, path))
    return list(cast("tuple[ExampleKey, ...]", memo[key]))


def _parse_example(text: str, path: str) -> list[ExampleKey]:
    """Keys of an example file in order (the last definition of a key wins).

    Templates say "optional" in prose more often than as a directive: a
    comment such as ``# Optional: Stripe`` or ``# General Configuration
    (Optional)`` that starts a paragraph opens an *optional section*, and
    every key after it is ``required = false`` until the next paragraph's
    comment (a comment right after a key line belongs to that key and does
    not end the section).  Prose directly above a key or inline that says
    "optional" makes that key optional.  A directive (``# required``) wins.
    The key of a test run's template (``.env.test.example``) that names the test mode
    (``NODE_ENV=test``) is required in test mode only, unless a directive names the modes.

    Past such a header the file goes on with the optional settings: linkwarden's
    ``# Additional Optional Settings`` is followed by ``# AI Settings``,
    ``# MeiliSearch Settings``, ``# AWS S3 Settings``, ``# SSO Providers``... - sections of
    integrations, every value left empty, each switched on by its own keys.  So a
    section whose header says nothing either way, whose values are empty and whose keys
    configure one service (:func:`.templates_sections.integration`: a shared name stem,
    or a header naming the lone key's service) stays optional after an optional one
    (:attr:`ExampleKey.optional_after` names the header and the service).  A section of
    other keys (``# Database``) is not carried over; a value the template fills in (the
    app's own setting, given as a working default) or a header that says "required"
    ends the carrying, and a header that says "optional" starts it again.
    """
    # The template of the test run's settings (useSend's ``.env.test.example``, copied to
    # ``.env.test``): its keys are what the app needs in any mode (DATABASE_URL), but the
    # one that names the test mode (NODE_ENV=test) is the test run's own switch.
    test_run = is_test_settings(live_name(Path(path).name))
    keys: dict[str, ExampleKey] = {}
    pending: list[tuple[int, str]] = []  # comment lines directly above
    section_optional = file_optional = False
    # A boxed banner (``###### OPTIONAL ######``) heads a part of the file that
    # spans paragraphs: its word holds until the next banner, and a paragraph's
    # own comment starts from it rather than from the file's.
    part_optional: bool | None = None
    paragraph_start = True  # the next comment starts a paragraph: it may be a section header
    paragraph_skipped = False  # the paragraph's header says to leave its keys empty
    # The paragraph's header lines, with those of stand-alone comment paragraphs right
    # above it ("Below are example keys if you want to enable … telemetry", a blank line,
    # then the keys): what :func:`_unneeded_for` weighs for each empty key of it.  A key
    # the template fills in is its working setting whatever the section says (formbricks'
    # ``FORMBRICKS_APP_URL=https://app.formbricks.com`` under "(defaults to …)").
    paragraph_words: list[str] = []
    paragraph_subjects: list[frozenset[str]] | None = None  # theirs, read at its first key
    heading_words: list[str] = []  # the stand-alone comment paragraphs' words, carried
    paragraph_has_key = paragraph_commented = False  # keys, or commented-out keys, in it
    switch_off = False  # the paragraph's feature switch is shipped off (``USE_S3=false``)
    optional_header: str | None = None  # the last header that said "optional", while it holds
    carrying = False  # the section is optional only by that header's word, carried over
    carried: list[ExampleKey] = []  # the section's keys so far, while carrying
    own_header = False  # the keys' section has a header of its own, not only a banner
    sections: dict[str, Paragraph] | None = None  # the paragraphs, read once if carrying
    in_header = False
    seen_key = False
    lines = text.lstrip("\ufeff").splitlines()
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i]
        i += 1
        stripped = line.strip()
        if not stripped:
            if in_header and not seen_key:
                file_optional = section_optional  # a file header: "you can run it without them"
            # A comment paragraph of its own heads the keys that follow it; one of keys, or
            # of commented-out keys, is about them and ends the carrying.
            has_keys = paragraph_has_key or paragraph_commented
            heading_words = [] if has_keys else paragraph_words
            paragraph_words, paragraph_subjects = list(heading_words), None
            paragraph_has_key = paragraph_commented = switch_off = False
            pending = []
            paragraph_start, in_header, paragraph_skipped = True, False, False
            continue
        if stripped.startswith("#"):
            comment = stripped.lstrip("#").strip()
            if _COMMENTED_KEY.match(comment):
                # A commented-out key (``# KEY="x" # (optional)``): its words are about
                # that key, not about the key below, and it heads no section.
                paragraph_start, paragraph_commented = False, True
                continue
            base = file_optional if part_optional is None else part_optional
            if _is_banner(lines, i - 1):
                if not comment.strip(_DECORATION):
                    # A rule line (``# =====``) under or above a section's title is
                    # decoration: the title's paragraph goes on past it, so a comment
                    # after it still heads the keys below (``# Redis (optional)``).
                    continue
                said = _optional_word(comment)  # a banner with words opens a new part
                part_optional = said
                section_optional = base = file_optional if said is None else said
                if said is not None:
                    optional_header = comment.strip(_DECORATION) if said else None
                carrying = said is None and optional_header is not None and not base
                paragraph_start, in_header, carried, own_header = False, False, [], False
                paragraph_words, heading_words, paragraph_subjects = [], [], None
                continue
            if paragraph_start:
                section_optional, in_header, carried, own_header = base, True, [], True
                carrying = optional_header is not None and not base  # while values stay empty
            if in_header and not comment.lower().startswith("envcheck:"):
                said = _optional_word(comment)
                if said is not None:
                    section_optional, carrying = said, False
                    # Only a title starts or ends the optional part ("# Additional Optional
                    # Settings", "# Required"); a paragraph's own "# Optional: Server port" or
                    # "S3 is required for uploads in serverless environments" is about it.
                    if _PART_TITLE.fullmatch(comment.strip(_DECORATION)):
                        optional_header = comment if said else None
                paragraph_skipped = paragraph_skipped or bool(_LEAVE_EMPTY.search(comment))
                paragraph_words.append(comment)
            paragraph_start = False
            pending.append((number, comment))
            continue
        first_key = not paragraph_has_key
        paragraph_start, in_header, seen_key, paragraph_has_key = False, False, True, True
        m = _LINE.fullmatch(line)
        if m is None:
            pending = []
            continue
        rest = m.group("rest")
        quote = rest.lstrip()[:1]
        if quote in ("'", '"', "`") and rest.strip().count(quote) == 1:
            while i < len(lines) and quote not in lines[i]:  # skip a multi-line value
                i += 1
            i += 1
            value, inline = "", None
        else:
            value, inline = _split_value(rest)
        entry = ExampleKey(m.group("key"), number, value)
        comments = [*pending, (number, inline)] if inline else pending
        optional: bool | None = None
        for line_no, comment in comments:
            if not comment or comment.lower().startswith("envcheck:"):
                continue
            directives = parse_directives(comment, f"{path}:{line_no}")
            if directives is None:
                entry.description = entry.description or comment
                said = _optional_word(comment)
                if said is None and _LEAVE_EMPTY.search(comment):
                    said = True
                optional = said if said is not None else optional
            else:
                entry.fields.update(directives)
        own = " ".join(c for _, c in comments if c)
        if optional is None and _unneeded_for(_unneeded_subjects(own), entry.name):
            optional = True  # its own comment: "# defaults to DOMAIN", "If X is not defined…"
        if paragraph_subjects is None:  # the header lines come before the paragraph's keys
            paragraph_subjects = _unneeded_subjects(" ".join(paragraph_words))
        service = None
        if carrying and optional is None and "required" not in entry.fields:
            if value:
                for earlier in carried:  # a filled-in value: the app's own section after all
                    earlier.fields.pop("required", None)
                    earlier.optional_after = None
                optional_header, carrying, carried = None, False, []
                section_optional = file_optional if part_optional is None else part_optional
            elif own_header:  # a section of its own (``# Meili``), not keys right under a
                # banner that says nothing (``###### DATABASE ######``: the app's own part)
                sections = paragraphs(text) if sections is None else sections
                service = integration(entry.name, sections)
        if "required" not in entry.fields and service is not None:
            entry.fields["required"] = False
            entry.optional_after = f"its section configures {service}, past '# {optional_header}'"
            carried.append(entry)
        elif "required" not in entry.fields and (
            optional
            or (
                optional is None
                and (
                    section_optional
                    or paragraph_skipped
                    or (switch_off and not value)
                    or (not value and _unneeded_for(paragraph_subjects, entry.name))
                )
            )
        ):
            entry.fields["required"] = False
        if first_key and _SWITCH_NAME.fullmatch(entry.name) and value.lower() in _OFF:
            switch_off = True  # ``USE_S3=false``: the empty keys below it configure S3
        if test_run and value.lower() in _TEST_MODE_NAMES and "required_modes" not in entry.fields:
            entry.fields["required_modes"] = ("test",)  # NODE_ENV=test: the test run's switch
        keys[entry.name] = entry
        pending = []
    return list(keys.values())


def example_default(key: ExampleKey) -> str | None:
    """The example value as a default, unless it could be a secret or a placeholder."""
    value = key.value
    if not value or is_placeholder(value) or key.fields.get("secret"):
        return None
    if is_secret_name(key.name) or detect(value) is not None or _URL_PASSWORD.search(value):
        return None
    return value


def to_spec(key: ExampleKey, path: str) -> KeySpec:
    f = key.fields
    choices = f.get("choices")
    modes = f.get("required_modes")
    return KeySpec(
        name=key.name,
        required=bool(f.get("required", True)),
        required_modes=modes if isinstance(modes, tuple) else None,
        type=str(f.get("type") or ("enum" if choices else "str")),
        choices=choices if isinstance(choices, tuple) else None,
        pattern=str(f["pattern"]) if "pattern" in f else None,
        format=str(f["format"]) if "format" in f else None,
        secret=True if f.get("secret") else None,
        public=bool(f.get("public", False)),
        probe=str(f["probe"]) if "probe" in f else None,
        description=key.description,
        default=example_default(key),
        where=f"{path}:{key.line}",
    )
