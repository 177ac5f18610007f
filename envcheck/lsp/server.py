"""The language server: pygls wiring around :mod:`envcheck.lsp.analysis`.

Checks run in a worker thread, one at a time (the buffer overlay and the
project root are process-wide), ``debounce`` seconds after the last change
to a project's documents; requests (hover, completion, code actions,
definition) reuse the last check when nothing changed since, else run one.
The protocol owns stdout: the server writes LSP to a copy of it and points
file descriptor 1 at stderr, so that no stray print (nor a child process)
can corrupt the stream.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from envcheck import __version__
from envcheck.lsp.analysis import (
    Diagnosis,
    Edit,
    Fix,
    Snapshot,
    Spot,
    assigned_keys,
    code_key_at,
    env_key_at,
    is_code_file,
    is_config_file,
    is_env_file,
    project_dir_for,
    typing_key,
)
from envcheck.model import Severity
from envcheck.secret import safe_key

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class EnvcheckServer(LanguageServer):
    """The server and its state: debounced checks, the last snapshot per project."""

    def __init__(self, debounce_seconds: float) -> None:
        super().__init__("envcheck", __version__)
        self.debounce_seconds = debounce_seconds
        self.generation = 0  # bumped on every document change: a snapshot's freshness
        self.snapshots: dict[Path, tuple[int, Snapshot]] = {}
        self.pending: dict[Path, asyncio.Task[None]] = {}
        self.published: dict[Path, set[Path]] = {}
        self.check_lock = threading.Lock()

    # -- documents ----------------------------------------------------------------------

    def top(self) -> Path | None:
        root = self.workspace.root_path
        return Path(root) if root else None

    def buffers(self) -> dict[Path, str]:
        """Every open document's unsaved text, by absolute path."""
        found: dict[Path, str] = {}
        for uri, document in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path:
                found[Path(os.path.abspath(path))] = document.source
        return found

    def lines_of(self, snapshot: Snapshot, path: Path) -> list[str]:
        return snapshot.lines_of(path)

    # -- checks -------------------------------------------------------------------------

    def _check(self, project_dir: Path, generation: int, buffers: dict[Path, str]) -> Snapshot:
        """One check, in a worker thread; ``buffers`` were taken on the event loop."""
        with self.check_lock:  # the overlay and the project root are process-wide
            snapshot = Snapshot(project_dir, buffers)
        self.snapshots[project_dir] = (generation, snapshot)
        return snapshot

    async def _run_check(self, project_dir: Path) -> Snapshot:
        snapshot = await asyncio.to_thread(
            self._check, project_dir, self.generation, self.buffers()
        )
        if snapshot.internal_error:
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Error,
                    message=f"envcheck: internal error ({snapshot.internal_error}) "
                    "checking the project; please report it",
                )
            )
        return snapshot

    async def snapshot(self, project_dir: Path) -> Snapshot:
        """The check of ``project_dir`` as the buffers are now (the last one if still fresh)."""
        cached = self.snapshots.get(project_dir)
        if cached is not None and cached[0] == self.generation:
            return cached[1]
        return await self._run_check(project_dir)

    def schedule(self, path: Path) -> None:
        """Check ``path``'s project after the debounce delay (a newer change restarts it)."""
        self.generation += 1
        if not checked_file(path):
            return
        project_dir = project_dir_for(path, self.top())
        previous = self.pending.pop(project_dir, None)
        if previous is not None:
            previous.cancel()
        self.pending[project_dir] = asyncio.get_running_loop().create_task(
            self._check_later(project_dir)
        )

    async def _check_later(self, project_dir: Path) -> None:
        await asyncio.sleep(self.debounce_seconds)
        self.publish(await self._run_check(project_dir))

    def publish(self, snapshot: Snapshot) -> None:
        """Diagnostics for every file with findings, and empty lists for files now clean."""
        placed = snapshot.diagnoses()
        before = self.published.get(snapshot.project_dir, set())
        top = self.top()
        shown = {  # open documents of this project, so a clean file is said to be clean
            path
            for path in self.buffers()
            if checked_file(path) and project_dir_for(path, top) == snapshot.project_dir
        }
        for path in sorted((before | shown) - set(placed)):
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=from_fs_path(str(path)) or "", diagnostics=[])
            )
        for path, diagnoses in placed.items():
            lines = self.lines_of(snapshot, path)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=from_fs_path(str(path)) or "",
                    diagnostics=[self.diagnostic(snapshot, d, lines) for d in diagnoses],
                )
            )
        self.published[snapshot.project_dir] = set(placed) | shown

    # -- conversions ----------------------------------------------------------------------

    def range(self, lines: list[str], spot: Spot) -> types.Range:
        codec = self.workspace.position_codec
        return types.Range(
            start=codec.position_to_client_units(lines, types.Position(spot.line, spot.start)),
            end=codec.position_to_client_units(lines, types.Position(spot.line, spot.end)),
        )

    def diagnostic(self, snapshot: Snapshot, d: Diagnosis, lines: list[str]) -> types.Diagnostic:
        related = [
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=from_fs_path(str(spot.path)) or "",
                    range=self.range(self.lines_of(snapshot, spot.path), spot),
                ),
                message=message,
            )
            for spot, message in d.related
        ]
        return types.Diagnostic(
            range=self.range(lines, d.spot),
            message=d.message,
            severity=SEVERITIES[d.severity],
            code=d.code,
            source="envcheck",
            related_information=related or None,
            data={"name": d.name, "key": safe_key(d.key) if d.key else None},
        )

    def workspace_edit(self, snapshot: Snapshot, fix: Fix) -> types.WorkspaceEdit:
        changes: list[Any] = [
            types.CreateFile(uri=from_fs_path(str(path)) or "", options=None)
            for path in fix.creates
        ]
        by_file: dict[Path, list[Edit]] = {}
        for edit in fix.edits:
            by_file.setdefault(edit.path, []).append(edit)
        for path, edits in by_file.items():
            lines = [] if path in fix.creates else self.lines_of(snapshot, path)
            codec = self.workspace.position_codec
            text_edits: list[types.TextEdit | types.AnnotatedTextEdit | types.SnippetTextEdit] = [
                types.TextEdit(
                    range=types.Range(
                        start=codec.position_to_client_units(lines, types.Position(*e.start)),
                        end=codec.position_to_client_units(lines, types.Position(*e.end)),
                    ),
                    new_text=e.text,
                )
                for e in edits
            ]
            uri = from_fs_path(str(path)) or ""
            document = self.workspace.text_documents.get(uri)
            changes.append(
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=document.version if document is not None else None
                    ),
                    edits=text_edits,
                )
            )
        return types.WorkspaceEdit(document_changes=changes)


def checked_file(path: Path) -> bool:
    """A document whose edits start a check: env files, envcheck's config, and code."""
    return is_env_file(path) or is_config_file(path) or is_code_file(path)


def _path(uri: str) -> Path | None:
    path = to_fs_path(uri)
    return Path(os.path.abspath(path)) if path else None


def build(debounce_seconds: float) -> EnvcheckServer:
    """The server with every feature registered."""
    server = EnvcheckServer(debounce_seconds)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: EnvcheckServer, params: types.DidOpenTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:
            ls.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: EnvcheckServer, params: types.DidChangeTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:
            ls.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: EnvcheckServer, params: types.DidSaveTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:
            ls.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: EnvcheckServer, params: types.DidCloseTextDocumentParams) -> None:
        path = _path(params.text_document.uri)
        if path is not None:  # the file on disk counts again
            ls.schedule(path)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: EnvcheckServer, params: types.HoverParams) -> types.Hover | None:
        found = await _key_under_cursor(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        snapshot, key, spot = found
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.PlainText, value=snapshot.hover(key)
            ),
            range=ls.range(ls.lines_of(snapshot, spot.path), spot),
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(
        ls: EnvcheckServer, params: types.DefinitionParams
    ) -> types.Location | None:
        found = await _key_under_cursor(ls, params.text_document.uri, params.position)
        if found is None:
            return None
        snapshot, key, _ = found
        target = snapshot.definition(key)
        if target is None:
            return None
        return types.Location(
            uri=from_fs_path(str(target.path)) or "",
            range=ls.range(ls.lines_of(snapshot, target.path), target),
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=["_"])
    )
    async def completion(
        ls: EnvcheckServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        path = _path(params.text_document.uri)
        if path is None or not is_env_file(path):
            return None
        document = ls.workspace.get_text_document(params.text_document.uri)
        lines = document.lines
        position = document.position_codec.position_from_client_units(lines, params.position)
        line = lines[position.line] if position.line < len(lines) else ""
        if not typing_key(line, position.character):
            return None
        snapshot = await ls.snapshot(project_dir_for(path, ls.top()))
        taken = assigned_keys(document.source)
        items = [
            types.CompletionItem(
                label=key,
                kind=types.CompletionItemKind.Variable,
                detail=where,
                insert_text=f"{key}=",
            )
            for key, where in snapshot.known_keys().items()
            if key not in taken
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    async def code_action(
        ls: EnvcheckServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        path = _path(params.text_document.uri)
        if path is None:
            return None
        snapshot = await ls.snapshot(project_dir_for(path, ls.top()))
        fixes = snapshot.fixes(path, params.range.start.line, params.range.end.line)
        return [
            types.CodeAction(
                title=fix.title,
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[d for d in params.context.diagnostics if d.code == fix.code] or None,
                edit=ls.workspace_edit(snapshot, fix),
            )
            for fix in fixes
        ]

    return server


async def _key_under_cursor(
    ls: EnvcheckServer, uri: str, position: types.Position
) -> tuple[Snapshot, str, Spot] | None:
    """The key at ``position``: an env file's key, or a variable a line of code reads."""
    path = _path(uri)
    if path is None:
        return None
    document = ls.workspace.get_text_document(uri)
    lines = document.lines
    at = document.position_codec.position_from_client_units(lines, position)
    line = lines[at.line].rstrip("\r\n") if at.line < len(lines) else ""
    found = env_key_at if is_env_file(path) else code_key_at
    under = found(line, at.character)
    if under is None:
        return None
    key, start, end = under
    snapshot = await ls.snapshot(project_dir_for(path, ls.top()))
    return snapshot, key, Spot(path, at.line, start, end)


def serve(debounce_seconds: float = 0.3) -> None:
    """Serve LSP on this process's stdin/stdout until the client says exit."""
    protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb", buffering=0)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray output (ours, a child's): stderr
    sys.stdout = sys.stderr
    build(debounce_seconds).start_io(sys.stdin.buffer, protocol_out)
