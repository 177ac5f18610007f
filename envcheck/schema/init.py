"""Draft an ``envcheck.toml`` from ``.env.example`` and the current env files.

Values are read only to guess a key's type, format and secrecy; the one
value ever written is an example file's ``default``, and only when it is
neither secret (by annotation, name or shape) nor a placeholder.  Guesses
are conservative - a wrong ``type = "int"`` would be a false error on every
run - so anything unsure stays ``str`` for the user to refine.  The file is
written atomically: a crash leaves the old file or the new one, never half.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from envcheck.errors import ConfigError
from envcheck.model import public_prefix
from envcheck.schema import public_keys
from envcheck.schema.example import ExampleKey, example_default
from envcheck.schema.formats import DETECTORS, check_format, detect, format_for_name, is_placeholder
from envcheck.schema.model import KeySpec
from envcheck.schema.values import is_typed_dummy
from envcheck.secret import (
    STRUCTURAL,
    credential_slot,
    is_secret_name,
    local_host,
    not_a_secret_because,
    redact,
    safe_key,
)

CONFIG_NAME = "envcheck.toml"
_BOOL = frozenset({"true", "false"})
_INT_NAME = re.compile(r"_(?:TIMEOUT|COUNT|SIZE|LIMIT|WORKERS|RETRIES|TTL|MAX|MIN|CONCURRENCY)$")
_URL_NAME = re.compile(r"_(?:URL|URI|ENDPOINT)$")
_URL_PASSWORD = re.compile(r"://[^/@:\s]*:([^/@\s]+)@")  # user:password@ in a URL


def _guess_format(key: str, value: str) -> str | None:
    """The format to declare: the name's, unless the value the app runs with contradicts it.

    ``OPENAI_API_KEY=hf_…`` for an OpenAI-compatible router works today;
    declaring the OpenAI key format would make the next ``check`` fail where
    it passed.  An empty value or an instruction (``your-token-here``) says nothing either
    way.  A typed dummy (:func:`envcheck.schema.values.is_typed_dummy`) is a value the
    app runs with, so it contradicts like a real one: langfuse's ``AWS_ACCESS_KEY_ID=
    "A123456789"``, which the compose file hands the optional Bedrock feature, is no AWS
    key id, and ``check`` alone takes it as the template's own value (no EC308).  Without
    the declaration, the name's format still weighs a pasted value (EC308).
    """
    known = format_for_name(key)
    if not value or (is_placeholder(value) and not is_typed_dummy(value)):
        return known
    if known is not None:
        return known if check_format(known, value) is None else None
    kind = detect(value)
    if kind is not None:
        return kind
    if "://" in value and not value.startswith(("http://", "https://")):
        return "database-url" if check_format("database-url", value) is None else None
    return None


def _guess_type(key: str, value: str) -> str:
    if not value or is_placeholder(value):
        return "str"
    if value.isdigit() and (key == "PORT" or key.endswith("_PORT")):
        return "port" if 0 < int(value) < 65536 else "str"
    if value.lower() in _BOOL:
        return "bool"
    if value.isdigit() and _INT_NAME.search(key):
        return "int"
    if _URL_NAME.search(key) and value.startswith(("http://", "https://")):
        return "url" if check_format("url", value) is None else "str"
    return "str"


def _password_at_rest(url: str) -> bool:
    """Whether a database URL carries a password worth keeping out of a committed file.

    Only a password that can be a credential (:func:`envcheck.secret.not_a_secret_because`:
    not a word, a number or a ``${VAR}`` reference; not a placeholder), sent to a host
    beyond this machine and its private network (:func:`envcheck.secret.local_host`).
    ``postgres://user:pass@127.0.0.1/outline`` and compose's ``postgres:postgres@postgres``
    are the development database the project ships next to the app, committed on
    purpose in ``.env.development``; ``check`` alone calls no such value a secret, so
    ``secret = true`` here would make the next ``check`` report a committed secret
    (EC402) where ``check`` alone passed.  sqlite and file URLs carry no password.
    """
    found = _URL_PASSWORD.search(url)
    password = found.group(1) if found else ""
    if not password or password.startswith("$") or is_placeholder(password):
        return False
    if not_a_secret_because(password) is not None:
        return False
    import urllib.parse

    try:
        host = urllib.parse.urlsplit("//" + url[found.end() :] if found else "").hostname
    except ValueError:
        return True  # unparsable: keep it masked, better safe
    return not local_host(host or "")


def _public_by_design(key: str, value: str) -> str | None:
    """Why ``key`` is public by design (Supabase anon key, Stripe ``pk_``, …), or None.

    The same classification as the security rules', so ``init`` never writes
    ``secret = true`` for a key that ``check`` then calls a leak.
    """
    prefix = public_prefix(key)
    bare = key if prefix is None else key[len(prefix) :]
    return public_keys.public_reason(bare, [value], public_prefix=prefix is not None)


def guess_spec(
    key: str, value: str, example: ExampleKey | None = None, *, set_empty: bool = False
) -> KeySpec:
    """A KeySpec for ``key``: the example's annotations first, guesses for the rest.

    ``set_empty``: the current env files set the key to an empty value, or to a
    placeholder (saleor's ``SECRET_KEY=changeme``).  The app runs like that
    today, so the key is not required unless the example says ``required``:
    a required key must hold a real value, and ``check`` would fail where it
    passed (it weighs a placeholder by what the code and the template show).
    """
    fields = example.fields if example is not None else {}
    fmt = fields.get("format") or _guess_format(key, value)
    kind = fields.get("type") or ("str" if fmt else _guess_type(key, value))
    kind_secret = bool(fmt) and DETECTORS[str(fmt)].secret and fmt != "url"
    if fmt == "database-url":
        kind_secret = _password_at_rest(value)
    public = bool(fields.get("public", False))
    if fields.get("secret"):
        secret = True
    elif public_keys.secret_reason(value):
        secret = True  # a service_role JWT is a secret whatever the name says
    else:
        why = _public_by_design(key, value)
        # A name says "secret" unless the value cannot be one (``AUTH_ENABLED=true``).
        # An empty value leaves only the name: its last word decides (credential_slot).
        named = is_secret_name(key) and (
            credential_slot(key)
            if not value.strip()
            else not_a_secret_because(value, key) not in STRUCTURAL
        )
        secret = why is None and (named or kind_secret)
        public = public or (why is not None and public_prefix(key) is not None)
    choices = fields.get("choices")
    modes = fields.get("required_modes")
    return KeySpec(
        name=key,
        required=bool(fields.get("required", not set_empty)),
        required_modes=modes if isinstance(modes, tuple) else None,
        type="enum" if choices and kind == "str" else str(kind),
        choices=choices if isinstance(choices, tuple) else None,
        pattern=str(fields["pattern"]) if "pattern" in fields else None,
        format=str(fmt) if fmt else None,
        secret=True if secret else None,
        public=public,
        probe=str(fields["probe"]) if "probe" in fields else None,
        description=redact(example.description, []) if example and example.description else None,
        default=None if example is None or secret else example_default(example),
    )


def draft(
    example: Iterable[ExampleKey] = (), current: Mapping[str, str] | None = None
) -> dict[str, KeySpec]:
    """Specs for the example's keys (in its order), then keys only the current files set.

    A "key" that is not a plain name (a pasted value on a line of its own,
    which some parsers read as a key) is left out: its name may be a secret,
    and the config file is committed.
    """
    current = current or {}
    keys: dict[str, KeySpec] = {}
    for item in example:
        if safe_key(item.name) == item.name:
            now = current.get(item.name)
            keys[item.name] = guess_spec(
                item.name, now or item.value, item, set_empty=now is not None and _unset(now)
            )
    for key, value in current.items():
        if key not in keys and safe_key(key) == key:
            keys[key] = guess_spec(key, value, set_empty=_unset(value))
    return keys


def draft_from_reads(reads: Iterable[tuple[str, bool, str]]) -> dict[str, KeySpec]:
    """Specs for the keys the code reads, when no template or env file names any.

    ``reads``: (key, demanded, where) per read, in the code's order: ``demanded``
    when the app's code reads the key with no default and no guard and says it must be
    there (what EC901 reports unset: :func:`envcheck.rules.code.states_need`), ``where``
    the read's place.  A key any read demands is
    required -- ``check`` already calls it an error when unset (EC901; EC301 once
    declared) -- the others are not, so the next ``check`` never fails where
    ``check`` alone passed.  No value is known: secrecy is guessed from the name.
    """
    demanded: dict[str, bool] = {}
    places: dict[str, list[str]] = {}
    for key, demands, where in reads:
        if safe_key(key) != key:
            continue
        demanded[key] = demanded.get(key, False) or demands
        places.setdefault(key, []).append(where)
    keys: dict[str, KeySpec] = {}
    for key, demands in demanded.items():
        shown = places[key]
        more = f" (+{len(shown) - 1} more)" if len(shown) > 1 else ""
        spec = guess_spec(key, "", set_empty=not demands)
        keys[key] = spec.replace(description=f"read by the code at {shown[0]}{more}")
    return keys


def _unset(value: str) -> bool:
    """The value the app runs with today says nothing is set up yet: empty, or a placeholder."""
    return not value.strip() or is_placeholder(value)


def _str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _name(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _str(key)


_TITLE = "# What this app needs from its environment; checked by `envcheck`."
"""The first line of every file ``init`` writes."""


def render_skeleton(framework: str) -> str:
    """The file ``init`` writes when it finds no key to describe: where keys go, no key."""
    return (
        f"{_TITLE}\n"
        "# Written by `envcheck init`, which found no key to describe (no .env.example, env\n"
        "# file, compose environment or code read envcheck follows).  Add a section per key\n"
        "# the app needs, e.g.:\n#\n"
        '# [keys.DATABASE_URL]\n# required = true\n# format = "database-url"\n\n'
        f"[envcheck]\nframework = {_str(framework)}\n"
    )


def render(keys: Mapping[str, KeySpec], *, framework: str | None, sources: Iterable[str]) -> str:
    """The TOML text; see :mod:`envcheck.schema.load` for the format."""
    lines = [
        _TITLE,
        f"# Drafted by `envcheck init` from {', '.join(sources) or 'nothing'}:",
        "# review the guesses. No secret value was copied. `envcheck rules EC3` lists the checks.",
        "",
        "[envcheck]",
    ]
    if framework:
        lines.append(f"framework = {_str(framework)}")
    for spec in keys.values():
        lines += ["", f"[keys.{_name(spec.name)}]"]
        if spec.description:
            lines.append(f"description = {_str(spec.description)}")
        lines.append(f"required = {'true' if spec.required else 'false'}")
        if spec.required_modes is not None:
            lines.append(f"modes = [{', '.join(map(_str, spec.required_modes))}]")
        if spec.choices is not None:
            lines.append(f"choices = [{', '.join(map(_str, spec.choices))}]")
        elif spec.type != "str":
            lines.append(f"type = {_str(spec.type)}")
        for name in ("format", "pattern", "probe", "default"):
            value = getattr(spec, name)
            if value is not None:
                lines.append(f"{name} = {_str(value)}")
        if spec.secret:
            lines.append("secret = true")
        if spec.public:
            lines.append("public = true")
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file in the same directory + os.replace."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # a config file for the repository, not a secret
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def refuse_overwrite(project_dir: Path, *, force: bool) -> None:
    """ConfigError (exit 2) when envcheck.toml exists and ``force`` is not given."""
    if (project_dir / CONFIG_NAME).exists() and not force:
        raise ConfigError(
            f"{CONFIG_NAME} already exists",
            where=CONFIG_NAME,
            hint="pass --force to overwrite it, or edit it by hand",
        )


def write_config(project_dir: Path, text: str, *, force: bool = False) -> Path:
    """Write ``envcheck.toml``; refuse to replace an existing one without ``force``."""
    refuse_overwrite(project_dir, force=force)
    path = project_dir / CONFIG_NAME
    try:
        write_atomic(path, text)
    except OSError as err:
        raise ConfigError(f"cannot write: {err.strerror}", where=CONFIG_NAME) from None
    return path
