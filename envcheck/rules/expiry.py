"""EC409 (security family): a key whose value is a JWT that has expired or soon will.

Service-role keys and custom API tokens are often JWTs, and their payload
says when they stop working.  ``check`` reads that date offline
(:mod:`envcheck.tokens`: the payload is base64url-decoded, the token is
sent nowhere and its signature is not checked) for every value the app
gets, and reports an expired token (error), one not valid yet (error), or
one that expires within ``--expiry-warn`` days (warning, default 14), so a
scheduled job hears about it while there is time to rotate the key.
"""

from __future__ import annotations

from collections.abc import Iterator

from envcheck.model import Finding, Location, Severity
from envcheck.rules.base import CheckContext, Rule
from envcheck.secret import reveal

__all__ = ["EC409", "RULES", "check"]

EC409 = Rule(
    "EC409",
    "token-expiring",
    Severity.ERROR,
    "a JWT-valued key has expired or expires soon",
    """\
## What it does
For every value the app gets that is a JWT (`eyJ….….…`), reads the payload's
`exp` and `nbf` claims, offline: the token is decoded here, never sent
anywhere, and its signature is not checked.  An error once `exp` has passed
or while `nbf` is still ahead; a warning when `exp` is within `--expiry-warn`
days (default 14).  GitHub tokens' expiry comes from the live probe instead
(EC712).

## Why is this bad?
An expired service-role key fails every request, typically in the nightly
job nobody watches, on the morning nobody expected.  The date was written in
the token all along.

## Example
```
SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.…   # exp: 2023-11-14
```

## Use instead
Issue a new token before the date and replace the value where the finding
points; `--expiry-warn DAYS` sets how early the warning comes.
""",
)
RULES = (EC409,)


def check(ctx: CheckContext) -> Iterator[Finding]:
    """EC409 for each resolved value that is a dated JWT near or past its end."""
    if ctx.enabled is not None and EC409.code not in ctx.enabled:
        return
    from envcheck import tokens

    warn_days = float(ctx.options.get("expiry_warn", tokens.DEFAULT_WARN_DAYS))
    # Only a value holding "eyJ" can be a JWT (tokens.times): the rest are not sorted or read.
    dated = [(k, r) for k, r in ctx.resolution.vars.items() if "eyJ" in r.reveal()]
    for key, resolved in sorted(dated):
        found = tokens.times(reveal(resolved.value))
        if found is None:
            continue
        state = tokens.state(found, warn_days=warn_days)
        if state is None:
            continue
        at = state.when.strftime("%Y-%m-%d %H:%M UTC")
        origin = resolved.origin
        where = Location(origin.source, origin.line, origin.col)
        if state.status == "expiring":
            yield EC409.finding(
                f"{key} is a JWT that {state.describe()}",
                where,
                key=key,
                hint="issue a new token and replace this value before then",
                severity=Severity.WARNING,
            )
        elif state.status == "expired":
            yield EC409.finding(
                f"{key} is a JWT that expired {at}: every request with it is refused",
                where,
                key=key,
                hint="issue a new token and replace this value",
            )
        else:
            yield EC409.finding(
                f"{key} is a JWT not valid before {at}: requests with it are refused until then",
                where,
                key=key,
                hint="check the token's nbf claim and this machine's clock",
            )
