"""Documentation of the Turborepo rules (EC8xx), kept apart from the checks."""

from __future__ import annotations

DOCS: dict[str, str] = {
    "EC801": """\
## What it does
Flags a cached turbo task (not `"cache": false`, not `"persistent"`) of the
app whose hash leaves out an env file the app's framework reads when the
task runs (`build*` tasks: the production files; `test*`: the test files;
others: the checked mode). With no `inputs` (or with `"$TURBO_DEFAULT$"`)
Turborepo hashes the package's files that git does not ignore: a tracked
`.env` is hashed, a git-ignored `.env.local` is not. Explicit `inputs` globs
hash only what they match; a `!` glob removes files, also from the default
set. `globalDependencies` at the root covers a file for every task. The
finding points at the task's `inputs` in turbo.json (or at the task).
`cache: false` and persistent (dev server) tasks are never replayed, so
they are not checked.

## Why is this bad?
Edit `NEXT_PUBLIC_API_URL` in `.env.local`, run `turbo run build`: the hash
is unchanged, turbo prints `cache hit, replaying logs` and restores the old
`.next/` — a bundle with the old value. Nothing says why.

## Example
```jsonc
// turbo.json
{ "tasks": { "build": { "outputs": [".next/**"] } } }
```
```
# apps/web/.env.local (git-ignored)
NEXT_PUBLIC_API_URL=https://staging.example.com
```

## Use instead
```jsonc
{ "tasks": { "build": {
    "inputs": ["$TURBO_DEFAULT$", ".env*"],
    "outputs": [".next/**"] } } }
```
""",
    "EC802": """\
## What it does
Flags a variable the app reads from the process environment — a schema key
without a default, or a variable under the framework's public prefix — that
the process sets, when no env file of the app sets it and Turborepo's
strict env mode (the default since 2.0) would hide it from the app's
tasks: it matches none of the task's `env` / `passThroughEnv`, the root's
`globalEnv` / `globalPassThroughEnv` (`*` wildcards, `!` negations), the
variables turbo infers for the detected framework (`NEXT_PUBLIC_*` for a
package depending on `next`, `VITE_*` for `vite`, …) and turbo's built-in
list (`PATH`, `HOME`, `CI`, `NODE_OPTIONS`, `VERCEL_*`, …; not `NODE_ENV`,
not `PORT`). The env mode is, as turbo decides it: the task's own
`"envMode"`, else `TURBO_ENV_MODE` or `--env-mode` in a package.json script
that runs turbo, else the root's `"envMode"`, else strict. In loose mode
nothing is hidden. `--framework-inference=false` in such a script turns the
inference off. Applies to every task, `dev` included.

## Why is this bad?
`DATABASE_URL` is exported in CI, `envcheck check` is happy, and
`turbo run build` fails with "DATABASE_URL is not defined": turbo removed
it from the task's environment.

## Example
```jsonc
{ "tasks": { "build": { "outputs": [".next/**"] } } }
```
```
$ DATABASE_URL=postgres://… turbo run build   # the build does not see it
```

## Use instead
```jsonc
{ "tasks": { "build": { "env": ["DATABASE_URL"], "outputs": [".next/**"] } } }
```
(`passThroughEnv` if a change must not invalidate the cache.)
""",
    "EC803": """\
## What it does
Flags the Turborepo 1.x keys that turbo 2 refuses to load: `pipeline`
(renamed `tasks`), `globalDotEnv` (list the files in `globalDependencies`)
and a task's `dotEnv` (put the files in the task's `inputs`), a task's
`outputMode` (renamed `outputLogs`), `experimentalUI` (now `"ui"`) and
`experimentalSpaces` (removed). The other rules still read a `pipeline` as
the `tasks` it becomes.

## Why is this bad?
After an upgrade to turbo 2 every `turbo run` stops with "Found `pipeline`
field instead of `tasks`" or "Found an unknown key `dotEnv`".

## Example
```jsonc
{ "pipeline": { "build": { "dotEnv": [".env.local", ".env"] } } }
```

## Use instead
```jsonc
{ "tasks": { "build": { "inputs": ["$TURBO_DEFAULT$", ".env.local", ".env"] } } }
```
(`npx @turbo/codemod migrate` does this.)
""",
    "EC804": """\
## What it does
Flags a key that the app needs — a required schema key without a default,
or (without a schema) a key of the app's `.env.example` — and that the app
does not get (no env file of the app, no
process variable), while an env file at the Turborepo workspace root
defines it. Next.js, Vite, Astro, SvelteKit, CRA, dotenv and Bun read env
files only from the app's own folder (Vite: unless `envDir` says
otherwise; an app whose vite config sets `envDir`, or whose next.config
calls `loadEnvConfig`, is not checked). Not for Deno
and python-dotenv, which search parent folders, nor for docker/compose.
A root file the app does load (`dotenv -e ../../.env -- next dev`) is
not flagged.

## Why is this bad?
The key is "right there" in the repository's `.env`, but `next dev` in
`apps/web` never opens `../../.env`: the value is undefined.

## Example
```
.env               DATABASE_URL=postgres://localhost/dev
apps/web/.env.example   DATABASE_URL=
```

## Use instead
Load the root file explicitly: `"dev": "dotenv -e ../../.env -- next dev"`
with dotenv-cli; `envDir: '../../'` in vite.config;
`loadEnvConfig(path.resolve(__dirname, '../..'))` from `@next/env` in
next.config. Or copy / symlink it into the app.
""",
    "EC805": """\
## What it does
Flags a turbo.json (or turbo.jsonc, or the app's own package-level
turbo.json) that cannot be read or is not valid JSONC, at the line and
column of the error. Comments and trailing commas are allowed, as turbo
allows them.

## Why is this bad?
turbo refuses to run any task; the other Turborepo rules cannot check a
file they cannot read.

## Example
```jsonc
{ "tasks": { "build": { "outputs": [".next/**"] } }
```

## Use instead
```jsonc
{ "tasks": { "build": { "outputs": [".next/**"] } } }
```
""",
    "EC806": """\
## What it does
Flags a browser-public variable (the framework's public prefix, such as
`NEXT_PUBLIC_`) that the app reads from the process environment and that
reaches a cached task only through `passThroughEnv` /
`globalPassThroughEnv` or turbo's built-in list, not through `env` /
`globalEnv` or framework inference: the task sees it, the hash does not.

## Why is this bad?
The build inlines the value into the bundle. Change it, run the build
again: the hash is the same, turbo replays the bundle built with the old
value.

## Example
```jsonc
{ "tasks": { "build": { "passThroughEnv": ["NEXT_PUBLIC_API_URL"] } } }
```

## Use instead
```jsonc
{ "tasks": { "build": { "env": ["NEXT_PUBLIC_API_URL"] } } }
```
""",
}
