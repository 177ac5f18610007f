"""What Wasp (wasp-lang) hands its server and its client in development (``wasp start``).

Read from Wasp's sources (``waspc/src/Wasp/Project/Env.hs``, ``Wasp/Env.hs``,
``Wasp/Env/NodeDotenvParser.hs``, the SDK's Vite plugin
``templates/sdk/wasp/client/vite/plugins/envFile.ts``) and its docs
(``web/docs/project/env-vars.md``, ``deployment/env-vars.md``):

* A Wasp app is two processes, and each has a file of its own in the project
  folder (where ``main.wasp`` / ``main.wasp.ts`` and ``.wasproot`` are):
  ``.env.server`` for the server, ``.env.client`` for the client.  No other
  name is read; a ``.env`` there makes Wasp warn that it is not used
  (``warnIfTheDotEnvPresent``), and so does this loader (a note, EC508).
* The server reads ``.env.server`` with Node's ``dotenv`` (``node -r
  dotenv/config`` on the copy Wasp writes to ``.wasp/out/server/.env``): no
  expansion, the last line of a key wins, and a variable the shell already
  has wins over the file (the docs: shell variables "take precedence over
  those defined in .env files").
* The client's Vite plugin (``wasp:env-file``) reads ``.env.client`` only for
  ``vite serve``: ``dotenv.parse``, then ``dotenv-expand``'s ``expand({parsed,
  processEnv: {...process.env}})``, then keeps only the keys that start with
  ``REACT_APP_`` (Wasp forces ``envPrefix: "REACT_APP_"``); a ``REACT_APP_``
  variable of the shell replaces the file's.  Any other key of ``.env.client``
  reaches nothing.
* Wasp's own reading of the files (to pass them on, and to spot a
  ``DATABASE_URL``) is a port of ``dotenv`` 16.6.1's ``parse``; before that port
  it was Haskell's ``dotenv`` package.  The ``node`` dialect reads as the apps do.
* ``wasp build`` reads neither file: in production the server's variables come
  from the host (``flyctl secrets set``…), the client's from the build command
  (``REACT_APP_X=… npm run build``).  The profile skips both files in mode
  ``production``.

One resolution holds both processes: a key gets the server's value, except a
``REACT_APP_`` key that ``.env.client`` sets, which gets the client's (the key
the browser code reads).  What only one process sees is said in a note (EC508):
a ``.env.client`` key without the prefix (neither process has it), a ``REACT_APP_``
key only ``.env.server`` sets (the browser code never sees it).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from pathlib import Path

from envcheck.sources.gcpause import gc_paused
from envcheck.sources.loaders.node import _issue_notes, _resolve, load_dotenv
from envcheck.sources.readers.node_expand import expand_dotenv
from envcheck.sources.types import LoadResult, ParsedFile, Problem

__all__ = ["CLIENT_FILE", "CLIENT_PREFIX", "SERVER_FILE", "load_wasp"]

SERVER_FILE = ".env.server"
CLIENT_FILE = ".env.client"
CLIENT_PREFIX = "REACT_APP_"


def _is_client_file(pf: ParsedFile) -> bool:
    return posixpath.basename(pf.path.replace("\\", "/")) == CLIENT_FILE


@gc_paused
def load_wasp(
    parsed: list[ParsedFile],
    process_env: Mapping[str, str],
    *,
    mode: str,
    project_dir: Path | None = None,
) -> LoadResult:
    """The server's ``.env.server`` and the client's ``REACT_APP_`` keys of ``.env.client``.

    A file named ``.env.client`` is the client's; any other file (``--env-file``) the
    server's.  ``project_dir``: where Wasp looks for a ``.env`` it warns about.
    """
    server = [pf for pf in parsed if not _is_client_file(pf)]
    client = [pf for pf in parsed if _is_client_file(pf)]
    result = load_dotenv(server, process_env) if server else LoadResult()
    if project_dir is not None and (project_dir / ".env").is_file():
        result.notes.append(
            Problem(
                "wasp-dotenv-unused",
                f"Wasp never reads .env: the server reads {SERVER_FILE} and the client "
                f"{CLIENT_FILE} (Wasp warns: 'Wasp .env files should be named {SERVER_FILE} "
                f"or {CLIENT_FILE}, depending on their use')",
                ".env",
            )
        )
    in_client = {k for pf in client for k in pf.last_entries()}
    result.notes.extend(_server_only(server, in_client | set(process_env)))
    for pf in client:
        shown = ParsedFile(pf.path, [e for e in pf.entries if e.key.startswith(CLIENT_PREFIX)])
        result.notes.extend(_unprefixed(pf))
        if not shown.entries:
            continue
        values, issues = expand_dotenv(shown.values(), dict(process_env))
        notes = _issue_notes(shown, issues)
        wins = {k for k in shown.last_entries() if k in process_env}
        final = {**values, **{k: process_env[k] for k in wins}}
        loaded = _resolve([shown], final, wins, "Wasp's client", notes=notes)
        result.vars.update(loaded.vars)  # the browser code reads a REACT_APP_ key
        result.notes.extend(loaded.notes)
    return result


def _server_only(server: list[ParsedFile], elsewhere: set[str]) -> list[Problem]:
    """A note per ``REACT_APP_`` key of the server's file that the client gets from nowhere
    else: the server has it, the browser code that reads it does not."""
    notes: list[Problem] = []
    for pf in server:
        for key, entry in pf.last_entries().items():
            if key.startswith(CLIENT_PREFIX) and key not in elsewhere:
                notes.append(
                    Problem(
                        "wasp-client-key-in-server-file",
                        f"{key} is set in {pf.path}, which only the server reads: the client "
                        f"gets its {CLIENT_PREFIX} keys from {CLIENT_FILE}, so the browser "
                        f"code sees no {key}",
                        pf.path,
                        entry.line,
                        entry.col,
                        key,
                    )
                )
                elsewhere.add(key)  # once per key
    return notes


def _unprefixed(pf: ParsedFile) -> list[Problem]:
    """A note per key of ``.env.client`` without the ``REACT_APP_`` prefix: Wasp drops it."""
    return [
        Problem(
            "wasp-client-key-dropped",
            f"{key} in {pf.path} does not start with {CLIENT_PREFIX}: Wasp hands the client "
            f"only {CLIENT_PREFIX} keys and the server reads {SERVER_FILE}, so {key} reaches "
            "neither",
            pf.path,
            entry.line,
            entry.col,
            key,
        )
        for key, entry in pf.last_entries().items()
        if not key.startswith(CLIENT_PREFIX)
    ]
