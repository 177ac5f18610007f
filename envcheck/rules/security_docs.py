"""Documentation of the security rules (EC4xx), kept apart from the checks."""

from __future__ import annotations

DOCS: dict[str, str] = {
    "EC401": """\
## What it does
Flags a secret - by name (`KEY`, `SECRET`, `TOKEN`, `PASSWORD`, `PRIVATE`…
after the prefix) or by value (anything a format detector recognises as a
credential) - under a prefix that ships the value to the browser:
`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`, `EXPO_PUBLIC_`, `NUXT_PUBLIC_`,
`GATSBY_`, `PUBLIC_`. The framework's own prefix is an error; the others are
warnings. Templates (`.env.example`, `.env.local.example`, …) are not
checked: no app loads them.

Keys that are public by design are not flagged, and an info line says why
when the name alone would have looked like a credential. They are known by
shape first: a Supabase anon key (a JWT whose payload `role` claim is
`anon`; the payload is decoded locally, the signature is not checked),
Stripe and Clerk publishable keys (`pk_live_…`, `pk_test_…`), Supabase
`sb_publishable_…`, Firebase/Google browser keys (`AIza…`: restricted by HTTP
referrer and App Check, not by secrecy; not when the name says Gemini or
another AI API, whose `AIza…` keys bill the project), Sentry DSNs, PostHog
project keys (`phc_…`), Mapbox public tokens (`pk.…`); and by name where the
value cannot tell (`SUPABASE_ANON_KEY`, `ALGOLIA_SEARCH_KEY`,
`RECAPTCHA_SITE_KEY`, …). Their secret twins are always errors, whatever
the name or `public = true` says: a Supabase `service_role` JWT (it
bypasses row-level security), `sb_secret_…`, Mapbox `sk.…`, PostHog
personal keys `phx_…`.

## Why is this bad?
The framework inlines these variables into the JavaScript bundle at build
time. Anyone who opens the site can read the key in the browser's dev tools
and spend your credit with it.

## Example
```
NEXT_PUBLIC_OPENAI_API_KEY=sk-proj-…
```

## Use instead
```
OPENAI_API_KEY=sk-proj-…
```
Read it only in server code (an API route, a server action, a loader) and
rotate the old key if it was ever deployed. If the value really is public,
declare it in `envcheck.toml`:
```
[keys.NEXT_PUBLIC_MAPS_KEY]
public = true
```
""",
    "EC402": """\
## What it does
Asks git (`git ls-files`) whether an env file holding at least one secret
(by name or by shape; placeholders and empty values do not count) is tracked.

## Why is this bad?
Everyone who can clone the repository - colleagues, CI logs, a fork, a
leaked laptop - has the key, and it stays in the history after the file is
deleted.

## Example
```
$ git ls-files
.env.local
```

## Use instead
```
$ git rm --cached .env.local
$ echo '.env*.local' >> .gitignore
```
Then rotate every key the file held. Commit a `.env.example` with empty
values instead.
""",
    "EC403": """\
## What it does
Asks git (`git check-ignore`) whether an untracked env file that holds
secrets is ignored.

## Why is this bad?
The file is one `git add .` or `git commit -a` away from the repository;
many editors stage new files on their own.

## Example
A `.gitignore` that lists `.env` but not `.env.local`.

## Use instead
```
# .gitignore
.env*.local
.env
```
""",
    "EC404": """\
## What it does
Flags an env file holding secrets that someone else on the machine can
read or replace. POSIX only.

* Writable by others (`mode & 0o002`): always flagged; anyone can swap the key.
* Readable by others (`mode & 0o004`): flagged only when every parent
  directory is searchable by others (a 0644 file in a 0700 home is safe)
  *and* another login account besides yours and root is in use (a uid
  from 1000 - 500 on macOS - whose shell is not `nologin`/`false`, and,
  where the system lists processes in `/proc`, that runs a process: an
  image's dormant `node` user is nobody).

`cp .env.example .env.local` under the default umask makes a 0644 file; on
a single-user laptop or in a container nobody else exists to read it, and
a warning there would fail `--strict` on every fresh checkout.

## Why is this bad?
On a shared host or a build server with other users, their processes can
read the keys.

## Example
```
-rw-r--r--  .env.local
```

## Use instead
```
$ chmod 600 .env.local
```
""",
    "EC405": """\
## What it does
Flags a base URL (`OPENAI_BASE_URL`, `*_BASE_URL`, `*_API_BASE`,
`*_ENDPOINT`) that uses `http://` on a host across the network (a dotted
name, or an address that is not loopback), when a key of the same client
(`OPENAI_API_KEY` for `OPENAI_BASE_URL`) is set.

## Why is this bad?
The SDK sends the key in the `Authorization` header of every request; over
plain HTTP anyone on the network path can read it.

## Example
```
OPENAI_BASE_URL=http://llm.internal.example.com/v1
OPENAI_API_KEY=sk-proj-…
```

## Use instead
```
OPENAI_BASE_URL=https://llm.internal.example.com/v1
```
`http://localhost` and `http://127.0.0.1` are fine: the key never leaves
the machine.  So is a single-label host such as `http://minio:9000` or
`http://web:3000`: only a private resolver knows it (a compose project's
service on its bridge network, a Kubernetes service, `/etc/hosts`), so the
request stays on the private network the app runs in.
""",
    "EC406": """\
## What it does
Flags variable names the official SDKs do not read, such as
`OPENAI_API_BASE` and `OPENAI_ORGANIZATION` (openai 0.x names) or
`OPENAI_KEY`, when the name the SDK reads is missing or holds a different
value. The openai SDK reads `OPENAI_API_KEY`, `OPENAI_ORG_ID`,
`OPENAI_PROJECT_ID`, `OPENAI_BASE_URL`; AzureOpenAI `AZURE_OPENAI_API_KEY`,
`AZURE_OPENAI_ENDPOINT`, `OPENAI_API_VERSION`; anthropic
`ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`, `ANTHROPIC_BASE_URL`.

## Why is this bad?
The value is silently ignored: requests go to the default endpoint or
organisation, and the error (or the bill) shows up somewhere else.

## Example
```
OPENAI_API_BASE=https://proxy.example.com/v1
OPENAI_ORGANIZATION=org-…
```

## Use instead
```
OPENAI_BASE_URL=https://proxy.example.com/v1
OPENAI_ORG_ID=org-…
```
Setting both names to the same value is fine (LangChain still reads the
old ones).
""",
    "EC407": """\
## What it does
Flags a variable set by an env file that makes programs load or run code
when they start: the dynamic linker's `LD_PRELOAD`, `LD_LIBRARY_PATH`,
`LD_AUDIT` and the other names ld.so(8) lists (an app's own `LD_DB_HOST`
is not one) and macOS's `DYLD_*` (libraries loaded into every program),
`BASH_ENV` and `ENV` (files shells run), `NODE_OPTIONS`,
`JAVA_TOOL_OPTIONS`, `_JAVA_OPTIONS`, `JDK_JAVA_OPTIONS`, `PERL5OPT`,
`RUBYOPT` (options that load code), `PYTHONSTARTUP`, `PYTHONPATH`,
`PYTHONHOME`, `PERL5LIB`, `RUBYLIB` (where code is loaded from), git's
`GIT_CONFIG_*`, `GIT_SSH_COMMAND`, `GIT_SSH`, `GIT_ASKPASS`,
`GIT_PROXY_COMMAND`, `GIT_EXTERNAL_DIFF`, `GIT_EXEC_PATH`, `GIT_DIR`
(commands git runs), `PROMPT_COMMAND`, `IFS` and `PATH` (which program a
command name starts). The same names from the process environment are
yours and not flagged. `ENV` set to a word (`ENV=local`, `ENV=production`) is
the app's own environment name, not flagged: sh reads `$ENV` only when it
starts interactive, so only a value written as a path (`ENV=./x.sh`,
`ENV=~/.shrc`) is. `NODE_OPTIONS`, `PERL5OPT` and `RUBYOPT` made only of
options that load nothing (`NODE_OPTIONS=--no-node-snapshot`,
`--max-old-space-size=4096`, `--enable-source-maps`) are not flagged; one
option that loads code or lets a debugger in (`--require`/`-r`, `--import`,
`--loader`, `--inspect`, `--env-file`, Perl's `-M`, Ruby's `-r`), or a word
that is not an option, is.

## Why is this bad?
An env file comes with the checkout: a pull request or a cloned
repository can carry one. `envcheck exec -- CMD` hands its values to CMD,
and a dotenv loader puts them into the app's environment, which every
program the app starts inherits. `NODE_OPTIONS=--require ./evil.js` or
`LD_PRELOAD=./evil.so` then runs the file's code before the app's. With
`envcheck exec --strict`, CMD is not started.

## Example
```
NODE_OPTIONS=--require ./preload.js
LD_PRELOAD=/tmp/x.so
```

## Use instead
Set such a variable where you start the program (your shell, the CI job,
the container's `ENV`), not in an env file. If the file must keep it, say
so on its line: `# envcheck: ignore[EC407]`.
""",
}
