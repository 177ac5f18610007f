"""Documentation of the schema rules (EC3xx), kept apart from the checks."""

from __future__ import annotations

DOCS: dict[str, str] = {
    "EC301": """\
## What it does
Flags a key the schema (`envcheck.toml`, `[tool.envcheck]`, `.env.example` or
a pydantic-settings class) marks as required - in the current mode, when the
schema says `modes = [...]` - that no loaded file and not the process
environment sets.  Not a template's key when git tracks the very file the
template is copied to (`.env` for `.env.example`): no setup copies it over
committed settings, so the template documents another deployment (a
self-hosting reference); a key of it the app's code reads with no default
is still reported.  `init` drafts the others `required = false`.

## Why is this bad?
The app starts and fails later: on the first request that needs the key, or
in production only, where the missing value is hardest to see.

## Example
```
# envcheck.toml
[keys.OPENAI_API_KEY]
required = true
# .env.local has no OPENAI_API_KEY
```

## Use instead
```
# .env.local
OPENAI_API_KEY=sk-proj-…
```
or mark the key `required = false` if the app really copes without it.
""",
    "EC302": """\
## What it does
Flags a schema key that is set to the empty string: always when the key is
required, and for optional keys whose type is not `str`.  Not when the
project itself leaves it empty on purpose: a template read as the schema
that ships `KEY=` empty (and the copy keeps it so), or a compose file whose
`environment:` writes an empty default (`KEY: ${KEY:-}`, `KEY: ""`) -- the
project's own "off" for an integration -- unless the app's validator fails on
the empty string (`z.string().min(1)`, `z.url()`, `z.enum([...])`, envalid
`url()`); a plain `z.string()` or envalid `str()` takes it.

## Why is this bad?
`KEY=` is not "unset": frameworks hand the app an empty string, which beats
the app's default and fails a type check or an API call.

## Example
```
OPENAI_API_KEY=
PORT=
```

## Use instead
```
OPENAI_API_KEY=sk-proj-…
# PORT left out: the app's default applies
```
""",
    "EC303": """\
## What it does
Flags a key that a loaded file defines but the schema does not declare.
Off by default; select it (`select = ["EC303"]`) to keep the schema and the
env files in step.

## Why is this bad?
An undeclared key is often a typo (`OPENAI_APIKEY`) that the app never
reads, or a leftover that nobody knows is still needed.

## Example
```
# envcheck.toml declares OPENAI_API_KEY
OPENAI_APIKEY=sk-proj-…
```

## Use instead
```
OPENAI_API_KEY=sk-proj-…
```
or declare the key in the schema.
""",
    "EC304": """\
## What it does
Checks a value against the type its schema declares: `int`, `float`,
`bool` (true/false, 1/0, yes/no, on/off), `port` (1-65535), `url`, `email`,
`json`, `enum`/`choices`, `regex`, and `pattern`. Validation uses pydantic,
so "valid" means what it means to a pydantic-settings app.

## Why is this bad?
`PORT=80a` or `DEBUG=ture` is read as a string; the app crashes at start-up
or, worse, silently takes a default.

## Example
```
PORT=3000a
DEBUG=ture
```

## Use instead
```
PORT=3000
DEBUG=true
```
""",
    "EC305": """\
## What it does
Checks a value against the named format detector its schema declares
(`format = "openai-api-key"`, `"stripe-secret-key"`, `"database-url"`…).
Each detector knows the public shape of one kind of credential or URL.

## Why is this bad?
A key of the wrong kind (an Anthropic key in `OPENAI_API_KEY`, a Stripe
publishable key where the secret key goes) passes every presence check and
fails only when the first request is rejected.

## Example
```
# format = "openai-api-key"
OPENAI_API_KEY=sk-ant-api03-…
```

## Use instead
```
OPENAI_API_KEY=sk-proj-…
```
""",
    "EC306": """\
## What it does
Flags a value that is a template's placeholder: `your-api-key-here`,
`sk-xxxx…`, `changeme`, `<token>`, `TODO`, `xxx`, `...`, `REPLACE_ME`,
`example`. Runs for schema keys and for keys whose name says they hold a
credential.

## Why is this bad?
The file was copied from `.env.example` and never filled in; the app
starts and every call fails with "invalid API key".

## Example
```
OPENAI_API_KEY=your-api-key-here
```

## Use instead
```
OPENAI_API_KEY=sk-proj-…
```
""",
    "EC307": """\
## What it does
Flags a credential, URL or formatted value with characters pasted in by
accident: leading or trailing whitespace, quote characters that ended up
inside the value, a line break, or an invisible zero-width character (the
last one in any value).

## Why is this bad?
The key looks right when printed and still fails authentication: the
server compares every byte.

## Example
```
OPENAI_API_KEY="'sk-proj-…'"
OPENAI_API_KEY=" sk-proj-…"
```

## Use instead
```
OPENAI_API_KEY=sk-proj-…
```
""",
    "EC308": """\
## What it does
Checks well-known variables (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`,
`GEMINI_API_KEY`, `GROQ_API_KEY`, `AWS_ACCESS_KEY_ID`, `STRIPE_SECRET_KEY`,
`GITHUB_TOKEN`, `DATABASE_URL`, …) against the shape their issuer uses,
without any schema. `OPENAI_API_KEY` is not checked when `OPENAI_BASE_URL`
points at another provider.

## Why is this bad?
A ChatGPT session token (`sess-…`), another provider's key or a truncated
paste in a well-known variable fails only at the first request.

## Example
```
OPENAI_API_KEY=sess-…
```

## Use instead
```
OPENAI_API_KEY=sk-proj-…
```
Create an API key at platform.openai.com/api-keys; a browser session token
is not one. To silence the check for a compatible provider, declare the key
with the right `format` in `envcheck.toml`.
""",
    "EC309": """\
## What it does
Runs the app's own pydantic-settings class (`--settings module:Class`)
against the environment envcheck resolved, and reports each validation
error at the file:line the failing value came from.

## Why is this bad?
pydantic reports `port: Input should be a valid integer` with no file: with
four env files and a shell export, finding which one won is the slow part.

## Example
```
# settings.py: port: int
# .env.local:4
PORT=eighty
```

## Use instead
```
PORT=8080
```
""",
    "EC310": """\
## What it does
Lists a placeholder (`<your-client-id>`, `*** REPLACE ***`) left in the
credential of an integration the app runs without: the template marks the
key optional (also under an `envcheck.toml` that does not require it, as
`init` drafts one); the app's validator declares it optional
(`z.string().optional()`), or its code reads it only where it copes without
it (a default, a guard, a feature that checks its own key and reports it
missing); or, when the code says neither, the template's layout shows an
integration not set up: the key sits in one service's paragraph (`# Xero`
over `XERO_CLIENT_ID`, `XERO_CLIENT_SECRET`, … sharing one name stem), the
paragraph names the template's own switch and the app's value is another
(`… if FILE_STORAGE=s3` while `FILE_STORAGE=local`), or it says `deprecated`.
Off by default: select it (`--select EC310`) to see every placeholder left
after `cp .env.example .env`. A placeholder of a key the app needs - one a
schema or the template requires (`# required`, `[REQUIRED]`; not "required
for signup with passkey", a feature's), one the app's validator requires,
the app's own signing secret (`SECRET_KEY`, `AUTH_SECRET`), the URL of a
service it connects to, a key of the app's core paragraph of mixed names, or
of a template that configures one service alone - is EC306.

## Why is this bad?
It is not, until the integration is used: the app starts and works as the
README intends, and the feature that needs the key fails with its own
message ("GMAIL_CLIENT_ID must be set"). The list says which integrations
are not set up yet.

## Example
```
# .env (copied from .env.example); the code: if (process.env.GMAIL_CLIENT_ID) {...}
GMAIL_CLIENT_ID=<your-client-id>
```

## Use instead
```
GMAIL_CLIENT_ID=1234567890-abc.apps.googleusercontent.com
```
or leave the key empty (or remove it) while the integration is not used.
""",
}
