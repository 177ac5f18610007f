"""Diff rules (EC6xx): what changes between two environments, and what should not.

These rules compare two resolved environments, so they run in ``envcheck
diff`` (see :mod:`envcheck.diff`), not in ``check``: ``check`` looks at one
mode.  They are ordinary rules otherwise, with codes, names and docs, and
``--select/--ignore`` and config apply to them as to any other family.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from envcheck.model import Finding, Severity
from envcheck.rules.base import Rule

if TYPE_CHECKING:
    from envcheck.rules.base import CheckContext

# Modes where development-looking values are expected, not a mistake.
DEV_MODES = frozenset({"development", "dev", "local", "test", "testing"})

# The lookbehind starts a scheme only at the start of a run of scheme characters:
# without it, finditer retries inside a long run of letters, quadratic in its length.
_URL = re.compile(
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@\s]*@)?(\[[^\]]*\]|[^:/?#\s,;]*)"
)
_LOOPBACK = re.compile(r"^(?:localhost|127(?:\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1)$")
_LOOPBACK_FIRST = frozenset("l1:0")  # what a _LOOPBACK match starts with
_UNSPECIFIED = frozenset({"0.0.0.0", "::"})
_HOST_PORT = re.compile(r"^(\[[^\]]*\]|[^:\s]+)(?::\d+)?$")
_TEST_KEY = re.compile(r"^(?:sk|pk|rk)[-_]test[-_]|^whsec_test_", re.IGNORECASE)
# What a match can start with (``(?i)`` folds the long s onto ``s``): most values skip the regex.
_TEST_KEY_FIRST = frozenset("sSpPrRwW\u017f")
_TRUE = frozenset({"1", "true", "yes", "on"})
_DEV_WORDS = frozenset({"development", "dev", "local"})
_ENV_NAMES = frozenset(
    {"NODE_ENV", "APP_ENV", "ENV", "ENVIRONMENT", "FLASK_ENV", "RAILS_ENV", "RACK_ENV"}
)
_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")


def _host_reason(host: str, *, bind: bool = False) -> str | None:
    """Why a host is a development host, or None.

    ``bind`` is for a bare ``*_HOST`` value, where ``0.0.0.0`` means "listen
    on every interface" (normal in a container), not an address to call.
    """
    host = host.strip("[]").lower().rstrip(".")
    if (
        host[:1] not in _LOOPBACK_FIRST
        and "example." not in host
        and "sandbox" not in host
        and not host.endswith((".local", ".localhost"))
        and host not in _UNSPECIFIED
    ):
        return None  # what each test of _host_tests needs is missing: most hosts
    return _host_tests(host, bind)


def _host_tests(host: str, bind: bool) -> str | None:
    """:func:`_host_reason` of a host already trimmed and lower-cased, test by test."""
    if _LOOPBACK.match(host):
        return f"a loopback host ({host})"
    if host in _UNSPECIFIED and not bind:
        return f"the unspecified address {host} (this machine)"
    if host.endswith((".local", ".localhost")):
        return f"a local-network host (*.{host.rsplit('.', 1)[-1]})"
    for domain in _EXAMPLE_DOMAINS:
        if host == domain or host.endswith("." + domain):
            return f"the placeholder domain {domain}"
    if any(label.startswith("sandbox") or label.endswith("sandbox") for label in host.split(".")):
        return "a sandbox endpoint"
    return None


def development_value(key: str, value: str) -> str | None:
    """Why ``value`` looks like a development setting, or None.

    The reason names the pattern (``a loopback host (localhost)``), never the
    value, so it can go straight into a finding's message.
    """
    text = value.strip()
    if not text:
        return None
    upper = key.upper()
    if (upper == "DEBUG" or upper.endswith("_DEBUG")) and text.lower() in _TRUE:
        return "debugging switched on"
    if upper in _ENV_NAMES and text.lower() in _DEV_WORDS:
        return f"{key} set to a development mode"
    if text[0] in _TEST_KEY_FIRST and _TEST_KEY.match(text):
        return "a test-mode API key"
    if "://" in text:  # every _URL match holds it; most values hold none
        for match in _URL.finditer(text):
            reason = _host_reason(match.group(1))
            if reason:
                return reason
    if upper.endswith(("HOST", "HOSTNAME", "_SERVER", "_ADDR", "_ADDRESS")):
        bare = _HOST_PORT.match(text)
        if bare:
            return _host_reason(bare.group(1), bind=True)
    return None


PRODUCTION_MODES = frozenset({"production", "prod"})


def is_production_mode(mode: str) -> bool:
    """Whether ``mode`` is production (a deploy target's default mode is too)."""
    return mode.lower() in PRODUCTION_MODES


def is_dev_mode(mode: str) -> bool:
    """Whether ``mode`` is one where development values belong (EC605 stays quiet)."""
    return mode.lower() in DEV_MODES


KEY_MISSING_IN_TARGET = Rule(
    "EC601",
    "key-missing-in-target",
    Severity.WARNING,
    "A key the source sets is missing from the target.",
    """\
## What it does
Flags a key that the source environment (by default `development`) sets and
the target (by default `production`) does not.

## Why is this bad?
Code that reads the key works on a developer's machine and gets `undefined`
in production: the classic "works locally" deploy failure.

## Example
```
# .env.development
FEATURE_FLAGS_URL=https://flags.internal/dev
# .env.production: no FEATURE_FLAGS_URL
```

## Use instead
Set the key for the target too, or delete it from the source if nothing
reads it.  When the schema requires the key in the target mode, EC603
reports it instead (as an error).

A key set only in a file that just the source mode reads (`.env.development`,
`.env.development.local`) while the target has a file of its own is a
development-only setting by the author's choice (a dev-server port, a debug
switch): it is reported as info, not as a warning.
""",
)

KEY_MISSING_IN_SOURCE = Rule(
    "EC602",
    "key-missing-in-source",
    Severity.INFO,
    "A key only the target sets.",
    """\
## What it does
Flags a key that the target environment sets and the source does not.

## Why is this bad?
Usually harmless (a production-only integration such as error reporting),
but a developer cannot exercise that code path locally, and a key nobody
sets in development tends to be forgotten when it is renamed.

## Example
```
# .env.production
SENTRY_DSN=https://...
# .env.development: no SENTRY_DSN
```

## Use instead
Set a development value (or an empty one, documenting that the feature is
off), or ignore this rule if production-only keys are intended.
""",
)

REQUIRED_KEY_MISSING_IN_TARGET = Rule(
    "EC603",
    "required-key-missing-in-target",
    Severity.ERROR,
    "A key the schema requires in the target mode is missing there.",
    """\
## What it does
Flags a key that the schema (`envcheck.toml`, `[tool.envcheck]`,
`.env.example` or a settings class) marks as required in the target's mode,
when the target environment does not set it.

## Why is this bad?
The app will fail at startup or, worse, at the first request that needs the
key, after the deploy has gone out.

## Example
```toml
[keys.DATABASE_URL]
required = true
```
with no `DATABASE_URL` in `.env.production` nor in the deployment.

## Use instead
Set the key for the target mode, or declare it optional in that mode.
""",
)

SECRET_SHARED_ACROSS_MODES = Rule(
    "EC604",
    "secret-shared-across-modes",
    Severity.ERROR,
    "The same secret value in two different modes.",
    """\
## What it does
Flags a secret key whose value is identical in the source and the target
environment when their modes differ (for example the same `OPENAI_API_KEY`
in development and production).  Values are compared through a keyed hash
whose key is random per run; the value is never printed.  Keys that are
public by design (a Supabase anon key, a Stripe `pk_test_` key) are not
secrets here either.  A password inside a URL (`postgres://app:PASSWORD@db/shop`)
is a secret of its own: the same password in both modes' URLs is reported
even when hosts or databases differ (its fingerprint is compared, never the
value).

When the target mode has no file of its own (no `.env.production` or
`.env.production.local`), its values come from the deployment - Vercel's,
Netlify's, the container's environment - and the shared files it also reads
(`.env.local`, `.env`) only show the development values again.  `diff` then
prints one note saying so, and a value both modes read from the same file
is not reported (nor EC605 for it, nor EC603 for a key only the deployment
can set).  EC604 still fires where a production file or source really
repeats a development secret.

## Why is this bad?
A development credential lives on laptops, in shell history and in CI logs.
When it is also the production credential, any of those leaks is a
production incident, and rotating it breaks every developer at once.  A
common cause is `.env.local`, which Next.js and Vite read in production
builds too.

## Example
```
# .env.local (read in development *and* production)
OPENAI_API_KEY=sk-proj-...
```

## Use instead
Issue a separate credential per environment: keep the development key in
`.env.development.local` and give production its own from the deployment's
secret store (or `.env.production.local` on the build machine).
""",
)

DEVELOPMENT_VALUE_IN_PRODUCTION = Rule(
    "EC605",
    "development-value-in-production",
    Severity.ERROR,
    "A development-looking value in a non-development target.",
    """\
## What it does
Flags values in the target environment (when its mode is not development or
test) that look like development settings: URLs or hosts on `localhost`,
`127.0.0.1`, `::1`, `*.local` or `*.localhost`, URLs on `0.0.0.0` (a bare
`HOST=0.0.0.0` is a bind address, normal in a container); the placeholder
domains `example.com`, `example.org`, `example.net`; sandbox endpoints;
test-mode API keys (`sk_test_`, `pk_test_`, `sk-test-`); `DEBUG=true`; and
`NODE_ENV`/`APP_ENV` set to `development`.  The message names the pattern,
never the value.

## Why is this bad?
A production build pointing at `localhost` fails for every user; a test-mode
payment key accepts no real money; debugging switched on leaks stack traces.

## Example
```
# .env.production
API_URL=http://localhost:8080/api
STRIPE_SECRET_KEY=sk_test_...
```

## Use instead
```
# .env.production
API_URL=https://api.example-app.io
```
and the live key from the deployment's secret store.
""",
)

VALUE_DIFFERS = Rule(
    "EC606",
    "value-differs",
    Severity.INFO,
    "A key's value differs between the two sides.",
    """\
## What it does
Reports each key set on both sides with different values.  Off by default
(the diff table already shows it); `--verbose` or `--select EC606` turns it
on, which is useful in CI to list every drift as an annotation.

## Why is this bad?
It usually is not: development and production are meant to differ.  It is a
review aid, to check that each difference is intended.

## Example
```
# .env.development
LOG_LEVEL=debug
# .env.production
LOG_LEVEL=info
```

## Use instead
Nothing to change when the difference is intended.
""",
    default_enabled=False,
)

PRODUCTION_RESOURCE_OUTSIDE_PRODUCTION = Rule(
    "EC607",
    "production-resource-outside-production",
    Severity.ERROR,
    "A non-production mode or target uses the production resource.",
    """\
## What it does
Compares the *resource* each side's value points at, when one side is
production (`--to production`, or a deploy target) and the other is not:
the host, port and database of a database, cache or broker URL
(`postgres://`, `mysql://`, `mongodb+srv://`, `redis://`, `amqp://`, ...);
the host and port of an HTTP API (loopback hosts and shared public APIs such
as `api.openai.com` aside); the account and mode of a Stripe key; the
project ref of a Supabase URL or anon/service JWT; the account and resource
of an AWS ARN; a Firebase / Google Cloud project id; a Sentry DSN's
organisation and project.  Passwords and keys are never kept: a part cut
from a key is compared through the run's keyed fingerprint, and messages
name the parts that agree, never their values.

## Why is this bad?
A staging deploy that points at the production database runs its
migrations, test data and load tests against customers' data; a preview
with the production Stripe account in live mode takes real payments.  The
values differ (another password, another query string), so the diff shows
"differs" and nothing else catches it.

## Example
```
# .env.staging
DATABASE_URL=postgres://staging:pw1@db.prod.internal:5432/shop
# .env.production
DATABASE_URL=postgres://app:pw2@db.prod.internal:5432/shop
```

## Use instead
Give the non-production side its own resource (a staging database, a
test-mode Stripe key, a separate Supabase project).  A Sentry DSN shared by
all environments is the vendor's advice (environments are a tag): it is
reported as info only.
""",
)

RULES: tuple[Rule, ...] = (
    KEY_MISSING_IN_TARGET,
    KEY_MISSING_IN_SOURCE,
    REQUIRED_KEY_MISSING_IN_TARGET,
    SECRET_SHARED_ACROSS_MODES,
    DEVELOPMENT_VALUE_IN_PRODUCTION,
    VALUE_DIFFERS,
    PRODUCTION_RESOURCE_OUTSIDE_PRODUCTION,
)


def check(ctx: CheckContext) -> Iterable[Finding]:
    """Nothing: diff rules need two environments and run in ``envcheck diff``."""
    return ()
