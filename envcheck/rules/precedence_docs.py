"""Documentation of the precedence rules (EC5xx), kept apart from the checks."""

from __future__ import annotations

DOCS: dict[str, str] = {
    "EC501": """\
## What it does
Flags a key that an env file sets but the process environment also sets:
every framework envcheck knows lets the process value win. The finding
points at the file line that loses, says where the winning value came from,
and whether the two values differ (compared in memory, never printed). When
they are equal it is only informational.

## Why is this bad?
A stale `export OPENAI_API_KEY=…` in `~/.zshrc` silently beats the fresh
key in `.env.local`. The app fails with "invalid key" although the file is
right, and editing the file changes nothing.

## Example
```
$ grep OPENAI ~/.zshrc
export OPENAI_API_KEY=sk-proj-…old
$ cat .env.local
OPENAI_API_KEY=sk-proj-…new
```

## Use instead
Remove the export from the shell profile (and `unset OPENAI_API_KEY` in the
open shell), or keep the key in one place only.
""",
    "EC502": """\
## What it does
Flags a file that exists but that the framework does not read in this mode:
Next.js, Create React App and dotenv-flow skip `.env.local` when the mode is
`test`. A warning when keys defined only there are then undefined, info
otherwise.

## Why is this bad?
Tests run with a different environment than `npm run dev`; a key that lives
only in `.env.local` is undefined under `jest`, with no message saying why.

## Example
```
# .env.local
DATABASE_URL=postgres://localhost/dev
$ NODE_ENV=test npm test   # DATABASE_URL is undefined
```

## Use instead
Put what tests need in `.env.test` (committed, no secrets) or
`.env.test.local`.
""",
    "EC503": """\
## What it does
Flags a key set in both `.env.<mode>` and `.env.local` where the framework
(Vite) lets `.env.<mode>` win, so the `.env.local` line has no effect.

## Why is this bad?
In Next.js `.env.local` overrides `.env.development`; in Vite it is the
other way round. A local override copied from a Next.js habit is silently
ignored.

## Example
```
# .env.development
VITE_API_URL=https://staging.example.com
# .env.local
VITE_API_URL=http://localhost:8080     # ignored by Vite in development
```

## Use instead
Put the override in `.env.development.local`, which beats `.env.development`
in every framework.
""",
    "EC504": """\
## What it does
Compares the mode files of the project (`.env.development`,
`.env.production`, `.env.test`, and their `.local` variants) and flags a key
set for one mode, absent from `.env` / `.env.local`, and missing for another
mode. Off by default: some keys are legitimately production-only.

## Why is this bad?
"Works on my machine": a key set only in `.env.development` is undefined in
the production build, and the failure shows up after deployment.

## Example
```
# .env.development
FEATURE_FLAGS_URL=http://localhost:4000
# .env.production    (no FEATURE_FLAGS_URL)
```

## Use instead
Give the key a default in `.env`, or set it in every mode file.
""",
    "EC505": """\
## What it does
Reports a file the framework drops as a whole, as noted by envcheck's model
of its loader: for example a self-referencing `${VAR}` that makes
`@next/env`'s expansion throw, after which Next.js discards every value of
that file.

## Why is this bad?
Every key of the file is undefined, not only the broken one, and the
framework prints at most a debug message.

## Example
```
# .env.local
PATH_PREFIX=${PATH_PREFIX}/api
OPENAI_API_KEY=sk-proj-…     # dropped too
```

## Use instead
```
PATH_PREFIX=/api
```
""",
    "EC506": """\
## What it does
Reports that the framework uses a different mode than the one asked for,
for example `NODE_ENV=test` in the environment forcing test mode.

## Why is this bad?
A different set of files is loaded (`.env.local` is skipped in test), so the
values differ from the ones the developer checked.

## Example
```
$ NODE_ENV=test next dev
```

## Use instead
Unset `NODE_ENV` and let the framework pick its mode, or pass the mode
explicitly (`vite --mode staging`).
""",
    "EC507": """\
## What it does
Reports a `${VAR}` expansion that the framework resolves differently than
written: an undefined variable (expanded to an empty string), a cycle, a
self-reference.

## Why is this bad?
The app gets an empty or half-expanded value, silently. A `$` inside a
password is the usual victim: the Node expanders read `pa$word123` as `pa`
followed by a reference to `word123` (the finding does not repeat which:
it is part of the password). A name the process environment defines is not
undefined (check with `--no-process-env` to see what a fresh shell gets);
a `${VAR:-default}` is a decision and is not reported (except under
react-scripts, whose expander knows no `:-`).

## Example
```
API_URL=${API_HOST}/v1     # API_HOST is defined nowhere
DB_PASSWORD=pa$word123     # the app gets "pa"
```

## Use instead
```
API_HOST=https://api.example.com
API_URL=${API_HOST}/v1
DB_PASSWORD=pa\\$word123    # or define the variable the $ refers to
```
""",
    "EC508": """\
## What it does
Reports any other silent behaviour the framework's loader has that envcheck
noticed but that no more specific rule covers.  Under docker compose it
reports a key two services hold differently when they must agree: a secret
they share (`NEXTAUTH_SECRET`, `SALT`, `ENCRYPTION_KEY`: what one signs or
encrypts, the other verifies or reads), or one address reached with two
credentials.  A key each service holds for itself is no finding: an
in-network URL for a worker (`http://minio:9000`) and a browser-facing one
for the web app (`http://localhost:9090`), a `PORT` per server, a flag one
service turns on.  With several services envcheck shows the first service's
value of such a key; `--service NAME` checks one service exactly.

## Why is this bad?
Whatever the framework does silently is invisible to the developer until a
value is wrong at run time.  Two services with different secrets start
fine and then reject each other's tokens, sessions or encrypted rows.

## Example
```yaml
services:
  web:
    environment:
      ENCRYPTION_KEY: ${ENCRYPTION_KEY}
  worker:
    environment:
      ENCRYPTION_KEY: a-key-only-the-worker-has
```

## Use instead
Follow the finding's hint: for compose, set the shared value once (`.env`,
or a YAML anchor) and hand it to every service.  Or select it away with
`--ignore EC508` once understood.
""",
    "EC509": """\
## What it does
Reports a key whose `${VAR}` expansion envcheck stopped because it went
over its budget: a value longer than 1 MiB, a reference chain more than 64
keys deep, or more than 64 MiB of text built by all expansions of one run.
The message names the key and the chain of references followed.

## Why is this bad?
Each line of `A1=${A0}${A0}`, `A2=${A1}${A1}`, ... doubles the value (the
"billion laughs" shape): forty such lines ask the framework to build a
terabyte at start-up. The app hangs or runs out of memory before it serves
anything, and a pull request adding such a file hangs a CI job. envcheck
keeps the key's value as written and goes on.

## Example
```
A0=xxxxxxxxxx
A1=${A0}${A0}
A2=${A1}${A1}
# ... forty lines
```

## Use instead
Write the value out, or reference each variable once, without nesting.
""",
    "EC510": """\
## What it does
Reads each env file that `docker run --env-file` or docker compose loads
(the project `.env`, every `env_file:`) a second time the way the app's own
dotenv library does (the detected framework; `dotenv` when the folder has
none), and reports each key whose two readings differ: the key, both
readers and both values, masked, with the fix that fits the line.

## Why is this bad?
The same `.env` is often read twice: by compose to interpolate
`compose.yaml` or as an `env_file`, and by the app's dotenv inside the
container or on a developer's machine. A `$` in a password is interpolated
by compose (`pa$word` becomes `pa`), and `docker run --env-file` keeps
quotes and ` # comments` as part of the value. The app works locally and
fails in the container, with the "same" file.

## Example
```
# .env, used as env_file by compose and by dotenv in `npm run dev`
DB_PASSWORD=pa$word          # compose: "pa", dotenv: "pa$word"
# raw.env, read by docker run --env-file
API_URL="https://x.example"  # docker: with the quotes
```

## Use instead
Single-quote a value with a `$` (`DB_PASSWORD='pa$word'`: both read it
literally), or write `$$` where only compose reads the file, or use
`format: raw` for the env_file; leave values unquoted and comments on
their own line in files for `docker run --env-file`.
""",
    "EC520": """\
## What it does
For a Next.js, Vite or Create React App project checked in production mode
that has already been built (`.next/BUILD_ID`, `dist/index.html`,
`build/index.html`), reports browser-public keys (`NEXT_PUBLIC_`, `VITE_`,
`REACT_APP_`) that the process environment sets, and env files defining
such keys that changed after the build.

## Why is this bad?
These frameworks replace public variables with their values when the app
is built. Setting `NEXT_PUBLIC_API_URL` in `docker run -e` or a Kubernetes
`env:` block for an image that ran `next build` earlier changes nothing in
the browser, and a Turborepo or Docker layer cache can replay a build made
before a `.env` edit.

## Example
```
# Dockerfile: RUN npm run build   (NEXT_PUBLIC_API_URL unset at build)
docker run -e NEXT_PUBLIC_API_URL=https://api.example.com app
```

## Use instead
```
# pass it at build time
docker build --build-arg NEXT_PUBLIC_API_URL=https://api.example.com .
```
or read the value on the server at run time instead of through the public
prefix.
""",
    "EC511": """\
## What it does
For a project run through `dotenvx run`, flags a value in `encrypted:` form
(written by `dotenvx encrypt`) whose private key dotenvx will not find:
`DOTENV_PRIVATE_KEY` for `.env`, `DOTENV_PRIVATE_KEY_<ENV>` for
`.env.<env>` (`.env.production.local` -> `DOTENV_PRIVATE_KEY_PRODUCTION_LOCAL`),
looked up in the process environment, then in the `.env.keys` next to the
file. envcheck does not decrypt; it only checks that the key is there.

## Why is this bad?
dotenvx prints an error and starts the app anyway, with the ciphertext as
the value: the app sends `encrypted:BD…` as its API key.

## Example
```
# .env.production (committed)
OPENAI_API_KEY="encrypted:BDqDBibm4wsYqMpCjTQ6BsDHmMadg9K3dAt…"
$ docker run app            # no DOTENV_PRIVATE_KEY_PRODUCTION given
```

## Use instead
Pass the key to the container (`docker run -e DOTENV_PRIVATE_KEY_PRODUCTION=…`)
or from the CI secret store; locally keep it in `.env.keys` (git-ignored).
""",
    "EC512": """\
## What it does
Flags a key whose value dotenvx builds by running a shell command:
`KEY=$(vault read -field=key secret/app)`. dotenvx runs every `$(...)` of
a value that is not single-quoted, and a value that references such a key
(`B=${KEY}/x`) gets its output too. envcheck never runs the command, so it
cannot check the value.

## Why is this bad?
The value the app gets depends on a command, its `PATH` and its exit
status at start-up; a command that fails leaves the `$(...)` text as the
value, and a `.env` from an untrusted source runs code on your machine.

## Example
```
DATABASE_URL=$(cat /run/secrets/db_url)
```

## Use instead
Inject the value through the process environment, or single-quote it to
keep it literal (`'$(not a command)'`).
""",
}
