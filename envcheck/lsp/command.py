"""The ``envcheck lsp`` command: start the language server on stdin/stdout."""

from __future__ import annotations

import click

EXTRA = ("pygls", "lsprotocol", "cattrs", "attrs", "attr")  # envcheck[lsp] and what it pulls in


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk LSP over stdin/stdout (the default and only transport; editors often pass it).",
)
@click.option(
    "--debounce",
    type=click.IntRange(min=0, max=10_000),
    default=300,
    show_default=True,
    metavar="MS",
    help="Wait this long after the last keystroke before checking again.",
)
def lsp(stdio: bool, debounce: int) -> int:
    """Run the envcheck language server (diagnostics, hover, completion, fixes, definitions)."""
    try:
        from envcheck.lsp.server import serve  # imports pygls and lsprotocol
    except ImportError as err:
        if (err.name or "").split(".")[0] not in EXTRA:
            raise  # envcheck's own bug, not a missing extra
        from envcheck.errors import EnvcheckError

        raise EnvcheckError(
            f"the language server needs pygls and lsprotocol ({err.name} is missing)",
            hint="pip install 'envcheck[lsp]'",
        ) from None

    serve(debounce_seconds=debounce / 1000)
    return 0
