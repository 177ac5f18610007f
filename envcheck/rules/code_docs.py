"""Documentation of the code rules (EC9xx), kept apart from the checks."""

from __future__ import annotations

DOCS: dict[str, str] = {
    "EC901": """\
## What it does
Flags a key the app's code says it needs that nothing sets: no loaded env
file (the framework's, a wrapper script's, or one the code itself loads),
not the process environment. The code says so when a read has no default
and the code itself insists on the value: a required key of a t3-env /
envalid / zod schema, a test that throws (or exits with a failure) without it
as the module loads, TypeScript's non-null `process.env.X!` as the module
loads (`const url = process.env.X!`; in a function run later, a component's
`gaId={process.env.X!}`, the `!` is a type assertion only), a use that throws on
`undefined` (`process.env.X.split(",")`, `new URL(process.env.X)`,
`JSON.parse(process.env.X)`), Python's `os.environ["X"]`. A plain read with
no default and no guard (`process.env.X` passed on) is EC906's, off by
default. The finding is at the code line; the hint names further reads.

Keys the runtime, CI or a platform always sets are never reported: `NODE_ENV`,
`NODE_OPTIONS`, Vite's `MODE` / `DEV` / `PROD` / `SSR` / `BASE_URL`, `CI`,
`HOME`, `PATH`, `PWD`, `npm_*`, GitHub Actions' defaults (`GITHUB_SHA`,
`ACTIONS_*`, ...; not `GITHUB_TOKEN`), GitLab's `CI_*`, a build's commit
(`GIT_COMMIT_SHA`, `SOURCE_VERSION`), and each deploy platform's namespaced
variables (`VERCEL_*`, `NEXT_PUBLIC_VERCEL_*`, `RAILWAY_*`, Fly's `FLY_REGION`,
`FLY_APP_NAME`, ...; not a token a deploy stores as a secret, such as `FLY_API_TOKEN`)
(`envcheck.code.runtime.RUNTIME_KEYS`: also docker buildx's `TARGETPLATFORM`,
CI systems' "is this CI" flags such as `CIRCLECI`, the terminal's `TERM_PROGRAM`,
`FORCE_COLOR`, `NO_COLOR`, Windows' `LOCALAPPDATA`); nor are the keys
`next.config`'s `env: {...}` sets, nor those the app's own code sets
(`process.env.X = ...`, `os.environ.setdefault("X", ...)`, the env of a child
process it spawns: `spawn(cmd, { env: { ...process.env, X: v } })`, as a CLI
does for its worker), nor those the app's own `Dockerfile` sets (an `ENV`, or an
`ARG` of its build stage that CI fills with `--build-arg`). `PORT` is reported:
many apps need it set.

A read the app copes without is not reported: a default, a test, a value only
printed (`console.log("X", process.env.X)`), a feature's key read only where
another key of the feature is set (`if (process.env.SLACK_CLIENT_ID) { ...
process.env.SLACK_CLIENT_SECRET }`, `if "TOKEN" in os.environ:`; `explain` marks it
"feature only").

A key a loaded env file sets to the empty string (`SMTP_HOST=`) is reported
too, as "set to the empty string": the code gets `""` where it expects a value,
which fails as a missing key does. A key the schema declares is EC302's.

A read is optional when the code copes without the key: a default (`?? "x"`,
`|| "x"`, `.get("X", d)`, `.optional()`, `.default()`, zod 4 `.prefault()`, a
`z.preprocess(fn, schema)` whose schema has one, a local helper or constant
wrapping one (`IntEnvWithDefault(10)`, `OptionalIntEnv`), or one another file of
the package or a workspace library the app depends on exports
(`createBooleanSchema(false)` with `export const createBooleanSchema = (d) =>
z.stringbool().default(d)`; a workspace library's is looked up in a run at the
workspace root), a local function whose
parameter for the read has a default or is tested before use
(`cutoffFromEnv(process.env.X, "2026-01-01")` with `if (!override) return
fallback`), a list filtered for presence (`[process.env.A,
process.env.B].filter(Boolean)`)), a read used only as a test (`if (process.env.X)`,
`Boolean(process.env.X)`, `process.env.X?.trim()`), a `const` first used in
such a test (`const k = process.env.X; if (!k) return null;`, or `const {
FORCE_HYPERLINK } = process.env; if (FORCE_HYPERLINK) ...`), or a read on a
branch taken only when the key is set (`X ? X.trim() : "/"`, after `if (!X)
return;`, `os.environ["X"] if "X" in os.environ else None`, `"X" in
import.meta.env ? import.meta.env.X : "0"`).

A test that throws or exits with a failure without the key (`if (!k) throw
...`, `process.exit(1)`, an exit code not known) keeps it required when it runs
as the module loads: at top level, or in a function the
module calls (or a class it constructs) at top level - the app does not start.
The same test inside any other function, method or constructor (`const k =
process.env.X; if (!k) throw new Error("X is not set")` in the handler that
uses it; a module constant tested so in a function; `if not
os.environ.get("X"): raise` in a `def`) makes a *feature* read: the app starts
without the key and only that feature fails, with the code's own message.
EC901 does not report it; `explain` shows such places as "feature only", and
`init` / `generate` draft the key as optional. An exit that succeeds
(`if (!process.env.REDIS_URL) { console.log("Skipping"); process.exit(0); }`,
`process.exit()`, `sys.exit(0)`) is a skip, as an early `return` is: the code
copes without the key.

A t3-env schema whose `runtimeEnv` is computed by a call
(`runtimeEnv: runtimeEnvWithPrefix("REDIS_")`) reads its keys under names the
file does not give (`HOST` from `REDIS_HOST`): they are no keys of their own.

The test may be elsewhere in the module: a later statement (`const k =
process.env.X; log(k); if (!k) return;`), a module constant built from the
key's presence (`const enabled = !!process.env.REDIS_URL;` then `if (enabled)`
or `enabled ? ... : ...`), or another function of the same file
(`isConfigured() { return Boolean(process.env.X) }` next to the client that
reads `X`): a module that tests a key without failing runs without it, so its
other reads of the key are optional - unless a module-level test throws for it.
In the read's own function, the branches decide (`if (X) {} else { use(X) }`
stays required). A lookup table (`const hooks = { alerts: process.env.A }`)
is as optional as its lookups (`const h = hooks[type]; if (!h) return`).

Where undefined is the documented "off", the read is optional too: the options
of `envcheck.code.optional_options` (Sentry's `init({ dsn, serverName })`, the
Sentry build plugins' `authToken` / `org` / `project`, `@hono/sentry`,
`posthog.init(key)`, the AI SDK's `createVertex({ apiKey })` and its factories'
`baseURL` (`createOpenAI({ baseURL })`, `createOllama`), js-cookie's attributes, `new
Unsend(key, baseUrl)`), every value of New Relic's agent config (`newrelic.js`),
and a field of an object written as JSON (`Response.json({ faviconUrl:
process.env.FAVICON_URL })`, `res.json`, remix-typedjson's `typedjson`,
`JSON.stringify`: an undefined field is
left out). A client that throws without its key stays required (`new
OpenAI({ apiKey: process.env.OPENAI_API_KEY })`). A field of a
settings object a function returns, which nothing in its file uses (`getConfig = () =>
({ tencentSecretId: process.env.X })`, read by routes elsewhere), is a *feature* read:
whoever takes the field decides - unless the file says it must be there (`process.env.X!`,
a declared type with the field not optional, a function that validates `process.env`
first, a call in the file that uses the result, `getServerSideProps`). A zod field
optional on one branch (`isSelfHost ? z.string().optional() : z.string()`) is optional.
Python's `os.environ.get("X")` / `os.getenv("X")` is optional too: its `None`
is the idiom for "may be absent" (`os.environ["X"]` is the required one).

Only the app's own code makes a requirement: reads in tests, e2e suites,
stories, scripts and tool configs (`tests/`, `e2e/`, `playwright/`,
`*.test.*`, `*.spec.*`, `*.stories.*`, `scripts/`, `vitest.config.*`, ...) are
not reported (EC902 still counts them as reads). In a workspace, the reads of
the libraries an app depends on count for the app.

A key the schema declares belongs to the schema: EC301 reports it when it
is missing (its hint names where the code reads it), never EC901 as well.

## Why is this bad?
"New variable referenced in code, never set in prod" is the outage: the
app starts, and the first request that needs the key fails - or runs with
`undefined` in a URL.

## Example
```ts
// src/lib/openai.ts
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
// .env.local has no OPENAI_API_KEY
```

## Use instead
```
# .env.local
OPENAI_API_KEY=sk-proj-…
```
or give the read a default if the app copes without it, or declare the key in
`envcheck.toml` with `required = false`.
""",
    "EC906": """\
## What it does
Flags a key the app's code reads with no default and no guard that nothing
sets, where the code does not say it needs the value (a plain
`process.env.X` handed to a client, an options object, a settings page). Off
by default: select it (`--select EC906`) to list every such read. EC901
reports the reads that do say so.

## Why is this bad?
A plain read of a key nobody sets gets `undefined`; whether that breaks
anything depends on code this rule does not follow. On nine public
projects envcheck had never seen, 45 of 542 such findings were real problems;
the rest were optional integrations selected elsewhere (a provider module
picked by a switch on another key), values shown on a settings page, or
options whose absence means "off". So it is not on by default: it is a list
to review, not an error.

## Example
```ts
export const mailer = createTransport({ host: process.env.SMTP_HOST });
```
With `SMTP_HOST` set nowhere, `--select EC906` lists the line.

## Use instead
Set the key in the app's env file, give the read a default, or say that
the app needs it (a schema, `process.env.SMTP_HOST!`, a startup check that
throws): then EC901 reports it when unset.
""",
    "EC902": """\
## What it does
Flags a key an env file sets, or the schema declares, that no code of the
app reads. Off by default: select it (`--select EC902`) to find dead
configuration. Says nothing when no code was seen, or when the code reads
names it computes (`process.env[name]`: any key may be read); a key matching
the known part of a computed name (`NEXT_PUBLIC_*`) counts as read.

## Why is this bad?
Dead keys are copied from one environment to the next and nobody dares to
remove them; a stale secret is a secret to rotate for nothing. Keys read by
tools outside the code (Prisma's `DATABASE_URL` in `schema.prisma`, a
Docker entrypoint) are not seen: ignore the rule for them.

## Example
```
# .env
LEGACY_API_URL=https://old.example.com   # no code reads it any more
```

## Use instead
```
# .env  (the line removed)
```
""",
    "EC903": """\
## What it does
Flags a public-prefixed key (`NEXT_PUBLIC_*`, CRA's `REACT_APP_*`) read from
`process.env` in a way the framework does not inline: destructuring
(`const { NEXT_PUBLIC_URL } = process.env`) or a computed name
(``process.env[`NEXT_PUBLIC_${name}`]``), in code that may run in the
browser. Server-only modules are not flagged: there `process.env` is real.
Vite is not flagged: it replaces `import.meta.env` as a whole object. A key
`next.config`'s `env: {...}` option inlines is flagged the same way: Next.js
replaces only its literal `process.env.<key>` reads. Tests and scripts are
not flagged.

## Why is this bad?
Next.js and CRA replace each literal `process.env.NEXT_PUBLIC_X` with the
value's text at build time; nothing else. In the browser `process.env` is
empty, so the destructured or computed read is `undefined` - while it works
in development on the server, which hides the bug.

## Example
```ts
"use client";
const { NEXT_PUBLIC_API_URL } = process.env;
```

## Use instead
```ts
"use client";
const apiUrl = process.env.NEXT_PUBLIC_API_URL;
```
""",
    "EC904": """\
## What it does
Flags a server-only key (no public prefix) read from client code: a Next.js
module under `'use client'` or imported only from one, a Vite app's browser
code, SvelteKit's public side. `NODE_ENV` and Vite's built-ins are inlined
everywhere and not flagged; nor is a SvelteKit `$env/*/public` import, nor a
key `next.config`'s `env: {...}` option inlines into every bundle.

Not client code: a read on the server branch of a `typeof window` guard (after
`if (typeof window !== "undefined") return ...;`, inside `if (typeof window
=== "undefined") {...}`), even in a `'use client'` module; a server function, which
the framework splits out of the browser bundle (TanStack Start's
`createServerFn().handler(...)`, `createIsomorphicFn().server(...)`,
`createServerOnlyFn`, Qwik's `server$`, an inline `"use server"` action, a route
module's `loader` / `action`, Next.js's `getServerSideProps`); the source of an app
whose framework renders on the server too (TanStack Start, Remix, React Router's
framework mode, Qwik City: no single-page app, though `vite` serves it); a package Vite
builds in library or SSR mode (`build.lib` / `build.ssr`), or that has Vite
only for vitest (no `vite.config.*`, no `index.html`); tests, stories and
scripts.

## Why is this bad?
The framework does not ship server-only keys to the browser (rightly: they
are secrets), so the read is `undefined` there. The page renders without
the value, or a client-side call fails, often only in production.

## Example
```tsx
"use client";
export function Map() {
  return <MapView token={process.env.MAPBOX_TOKEN} />;
}
```

## Use instead
```tsx
"use client";
export function Map() {
  return <MapView token={process.env.NEXT_PUBLIC_MAPBOX_TOKEN} />;
}
```
for a key meant to be public; for a secret, call it from a server action or
route handler and pass only the result to the client.
""",
    "EC905": """\
## What it does
After a build (`.next/BUILD_ID`, `dist/index.html`, `build/index.html`),
searches the built browser code (`.next/static`, `dist`, `build/static`;
bounded, at most 64 MiB) for the value of every server-only secret the app's
environment sets (a key without a public prefix whose name or value says
credential, or `secret = true` in the schema). The value is compared, never
printed.

## Why is this bad?
A server-only secret in the client bundle is public: anyone who loads the
site can read it. It got there through a `define` in `vite.config`, an
`env:` entry in `next.config`, a public alias
(`NEXT_PUBLIC_X=$SECRET`), or a hard-coded copy.

## Example
```js
// next.config.js
module.exports = { env: { STRIPE_SECRET_KEY: process.env.STRIPE_SECRET_KEY } };
```

## Use instead
```js
// next.config.js: no `env` entry for secrets; read them in server code only
module.exports = {};
```
then rotate the key: the old bundle has been served.
""",
}
