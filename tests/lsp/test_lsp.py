"""``envcheck lsp`` end to end: a real LSP client (pytest-lsp) talking to the server over stdio.

Each test starts ``python -m envcheck lsp`` as a subprocess, initializes a
session on a project in ``tmp_path``, and drives it as an editor would:
open, edit (unsaved), hover, complete, ask for fixes, go to definition,
shut down.  Diagnostics are awaited with pytest-lsp's own notification
helpers (never a sleep, never a duration assertion; a generous
``wait_for`` is only a hang guard).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import string
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

HANG_GUARD = 60.0  # seconds: far above a check's real cost; only stops a hung test

SCHEMA = """\
[envcheck]
framework = "nextjs"

[keys.OPENAI_API_KEY]
secret = false

[keys.PORT]
type = "port"

[keys.DATABASE_URL]
type = "url"
"""


def fake_key() -> str:
    alphabet = string.ascii_letters + string.digits
    return "sk-proj-" + "".join(secrets.choice(alphabet) for _ in range(48))


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "envcheck", "lsp", "--stdio"])
)
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    """A server (started with the test's cleaned environment) on a Next.js project."""
    project = tmp_path / "app"
    project.mkdir()
    (project / "package.json").write_text('{"dependencies": {"next": "14.2.0"}}\n')
    (project / "envcheck.toml").write_text(SCHEMA)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="app")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def open_doc(client: LanguageClient, path: Path, text: str, language: str = "dotenv") -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text
            )
        )
    )
    return uri


def change_doc(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_until(
    client: LanguageClient,
    uri: str,
    ready: Callable[[Sequence[types.Diagnostic]], bool],
) -> Sequence[types.Diagnostic]:
    """The diagnostics of ``uri`` once ``ready`` accepts them (each publication awaited)."""

    async def wait() -> Sequence[types.Diagnostic]:
        while True:
            current = client.diagnostics.get(uri)
            if current is not None and ready(current):
                return current
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), HANG_GUARD)


def codes(diagnostics: Sequence[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in diagnostics}


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """``edits`` (non-overlapping, ASCII text) applied to ``text``, last first."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def edits_for(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.document_changes is not None
    found: list[types.TextEdit] = []
    for change in action.edit.document_changes:
        if isinstance(change, types.TextDocumentEdit) and change.text_document.uri == uri:
            found.extend(e for e in change.edits if isinstance(e, types.TextEdit))
    return found


def check_json(project: Path) -> list[dict[str, object]]:
    out = subprocess.run(
        [sys.executable, "-m", "envcheck", "check", "--format", "json", "--dir", str(project)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    findings: list[dict[str, object]] = json.loads(out.stdout)["findings"]
    return findings


@pytest.mark.asyncio
async def test_diagnostics_follow_unsaved_edits_and_match_check(
    client: LanguageClient, tmp_path: Path
) -> None:
    """As the user types, the same findings as ``envcheck check`` on that text; nothing written."""
    project = tmp_path / "app"
    env = project / ".env"
    saved = "PORT=3000\nDATABASE_URL=https://db.example.com\nOPENAI_API_KEY=x\n"
    env.write_text(saved)
    uri = open_doc(client, env, saved)
    first = await diagnostics_until(client, uri, lambda ds: True)
    assert "EC201" not in codes(first)

    typed = saved + "PORT=4000\nGREETING=hello world\n"
    change_doc(client, uri, 2, typed)
    after = await diagnostics_until(client, uri, lambda ds: {"EC201", "EC209"} <= codes(ds))

    assert env.read_text() == saved  # the buffer is never written to disk
    assert sorted(p.name for p in project.iterdir()) == [".env", "envcheck.toml", "package.json"]

    # The same findings, codes, severities and lines as `check` on that text, saved.
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("package.json", "envcheck.toml"):
        (copy / name).write_text((project / name).read_text())
    (copy / ".env").write_text(typed)
    (copy / ".env").chmod(env.stat().st_mode)
    expected = {
        (f["code"], f["severity"], (int(f["line"]) - 1) if f["line"] else 0)  # type: ignore[call-overload]
        for f in check_json(copy)
        if f["path"] == ".env"
    }
    severity = {1: "error", 2: "warning", 3: "info"}
    got = {(str(d.code), severity[int(d.severity or 0)], d.range.start.line) for d in after}
    assert got == expected
    duplicate = next(d for d in after if d.code == "EC201")
    assert duplicate.range.start.line == 3 and duplicate.source == "envcheck"


@pytest.mark.asyncio
async def test_config_diagnostics_point_into_envcheck_toml(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A broken schema, still unsaved, is a diagnostic on its line of envcheck.toml."""
    toml = tmp_path / "app" / "envcheck.toml"
    uri = open_doc(client, toml, SCHEMA, language="toml")
    broken = SCHEMA + '\n[keys.MODE]\ntype = "colour"\n'
    change_doc(client, uri, 2, broken)
    found = await diagnostics_until(client, uri, lambda ds: "config" in codes(ds))
    error = next(d for d in found if d.code == "config")
    assert "colour" in error.message
    assert error.range.start.line == broken.splitlines().index("[keys.MODE]")
    assert error.severity == types.DiagnosticSeverity.Error
    assert 'type = "colour"' not in toml.read_text()


@pytest.mark.asyncio
async def test_hover_shows_winner_shadowed_schema_and_code(
    client: LanguageClient, tmp_path: Path
) -> None:
    project = tmp_path / "app"
    (project / ".env").write_text("PORT=3000\n")
    (project / "src").mkdir()
    (project / "src" / "server.js").write_text("const port = process.env.PORT;\n")
    local = project / ".env.local"
    uri = open_doc(client, local, "PORT=4000\n")  # unsaved: not on disk under that text
    local.write_text("PORT=1\n")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=2),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    text = hover.contents.value
    assert "value: 4000" in text  # the editor's text, not the file's
    assert "set by: .env.local:1 (wins)" in text
    assert "shadows: .env:1" in text
    assert "schema: envcheck.toml:7" in text and "type port" in text
    assert "read in code: src/server.js:1" in text


@pytest.mark.asyncio
async def test_secret_is_masked_in_hover_and_absent_from_diagnostics(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A real-shaped key: hover shows only its mask, though the schema says ``secret = false``."""
    key = fake_key()
    env = tmp_path / "app" / ".env"
    text = f"OPENAI_API_KEY={key}\nNEXT_PUBLIC_OPENAI_API_KEY={key}\nPORT=3000\n"
    env.write_text("PORT=3000\n")
    uri = open_doc(client, env, text)
    found = await diagnostics_until(client, uri, lambda ds: "EC401" in codes(ds))
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=0, character=3),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert f"sk-proj-…{key[-4:]}" in hover.contents.value
    published = (
        json.dumps(
            [
                [d.message, str(d.related_information), str(d.data)]
                for ds in client.diagnostics.values()
                for d in ds
            ]
        )
        + hover.contents.value
        + "".join(m.message for m in client.log_messages)
    )
    for start in range(len(key) - 11):
        assert key[start : start + 12] not in published
    assert any(d.code == "EC401" for d in found)


@pytest.mark.asyncio
async def test_completion_offers_schema_and_code_keys_not_yet_set(
    client: LanguageClient, tmp_path: Path
) -> None:
    project = tmp_path / "app"
    (project / "lib").mkdir()
    (project / "lib" / "sentry.ts").write_text("export const dsn = process.env.SENTRY_DSN!;\n")
    uri = open_doc(client, project / ".env", "PORT=3000\n\n")
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=1, character=0),
        )
    )
    assert isinstance(result, types.CompletionList)
    labels = {item.label for item in result.items}
    assert {"DATABASE_URL", "OPENAI_API_KEY", "SENTRY_DSN"} <= labels
    assert "PORT" not in labels  # already set in this file
    item = next(i for i in result.items if i.label == "DATABASE_URL")
    assert item.insert_text == "DATABASE_URL=" and "envcheck.toml" in (item.detail or "")


async def actions_at(client: LanguageClient, uri: str, line: int) -> list[types.CodeAction]:
    diagnostics = list(client.diagnostics.get(uri, ()))
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=line, character=0),
                end=types.Position(line=line, character=0),
            ),
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    return [a for a in result or [] if isinstance(a, types.CodeAction)]


@pytest.mark.asyncio
async def test_code_actions_fix_findings_as_workspace_edits(
    client: LanguageClient, tmp_path: Path
) -> None:
    key = fake_key()
    env = tmp_path / "app" / ".env"
    text = f"NEXT_PUBLIC_OPENAI_API_KEY={key}\nPORT=3000\nGREETING=hello world\nPORT=4000\n"
    env.write_text(text)
    uri = open_doc(client, env, text)
    await diagnostics_until(
        client, uri, lambda ds: {"EC201", "EC209", "EC301", "EC401"} <= codes(ds)
    )

    rename = next(a for a in await actions_at(client, uri, 0) if a.title.startswith("Rename"))
    assert apply_edits(text, edits_for(rename, uri)).startswith(f"OPENAI_API_KEY={key}\n")
    assert rename.kind == types.CodeActionKind.QuickFix
    assert rename.diagnostics and rename.diagnostics[0].code == "EC401"
    assert key not in rename.title

    quote = next(a for a in await actions_at(client, uri, 2) if a.title.startswith("Quote"))
    assert "GREETING='hello world'\n" in apply_edits(text, edits_for(quote, uri))

    dedupe = next(a for a in await actions_at(client, uri, 3) if a.title.startswith("Remove"))
    fixed = apply_edits(text, edits_for(dedupe, uri))
    assert "PORT=3000" not in fixed and fixed.endswith("PORT=4000\n")  # the loader keeps the last

    # EC301 (DATABASE_URL is required) points at .env with no line: the action adds KEY=.
    missing = [a for a in await actions_at(client, uri, 0) if a.title.startswith("Add")]
    assert any("DATABASE_URL" in a.title for a in missing)
    add = next(a for a in missing if "DATABASE_URL" in a.title)
    assert apply_edits(text, edits_for(add, uri)).endswith("PORT=4000\nDATABASE_URL=\n")
    assert env.read_text() == text  # an action is an edit for the editor to apply, not a write


@pytest.mark.asyncio
async def test_definition_from_code_and_env_file_goes_to_the_winning_line(
    client: LanguageClient, tmp_path: Path
) -> None:
    project = tmp_path / "app"
    (project / ".env").write_text("API_URL=http://localhost\n")
    (project / ".env.local").write_text("# local\nAPI_URL=http://127.0.0.1\n")
    code = project / "src" / "api.py"
    code.parent.mkdir()
    source = 'import os\nURL = os.environ["API_URL"]\nJS = "process.env.API_URL"\n'
    code.write_text(source)
    code_uri = open_doc(client, code, source, language="python")
    for line, character in ((1, 20), (2, 20)):
        found = await client.text_document_definition_async(
            types.DefinitionParams(
                text_document=types.TextDocumentIdentifier(uri=code_uri),
                position=types.Position(line=line, character=character),
            )
        )
        assert isinstance(found, types.Location)
        assert found.uri == (project / ".env.local").as_uri()
        assert found.range.start == types.Position(line=1, character=0)
        assert found.range.end == types.Position(line=1, character=len("API_URL"))

    env_uri = open_doc(client, project / ".env", "API_URL=http://localhost\n")
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=env_uri),
            position=types.Position(line=0, character=1),
        )
    )
    assert isinstance(found, types.Location) and found.uri == (project / ".env.local").as_uri()


@pytest.mark.asyncio
async def test_a_link_out_of_the_project_stays_unread_with_an_open_buffer(
    client: LanguageClient, tmp_path: Path
) -> None:
    """The editor's text for a ``.env`` that links outside is not checked as if it were inside."""
    key = fake_key()
    outside = tmp_path / "elsewhere.env"
    outside.write_text("PORT=3000\n")
    env = tmp_path / "app" / ".env"
    env.symlink_to(outside)
    uri = open_doc(client, env, f"OPENAI_API_KEY={key}\nPORT=3000\nPORT=1\n")
    found = await diagnostics_until(client, uri, lambda ds: "EC109" in codes(ds))
    assert "EC201" not in codes(found)  # the buffer was not parsed
    assert any("outside the project" in d.message for d in found)
    assert key[8:20] not in json.dumps([d.message for d in found])
    assert outside.read_text() == "PORT=3000\n"


@pytest.mark.asyncio
async def test_related_locations_arrive_as_related_information(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A finding's related places (EC301: where the schema declares the key, where the code
    reads it) reach the editor as relatedInformation, with their labels; not as prose."""
    project = tmp_path / "app"
    (project / "src").mkdir()
    code = "import OpenAI from 'openai';\nconst key = process.env.OPENAI_API_KEY;\n"
    (project / "src" / "ai.ts").write_text(code)
    (project / ".env").write_text("PORT=3000\n")
    uri = open_doc(client, project / ".env", "PORT=3000\n")
    found = await diagnostics_until(client, uri, lambda ds: "EC301" in codes(ds))
    missing = next(d for d in found if d.code == "EC301" and "OPENAI_API_KEY" in d.message)
    assert missing.related_information is not None
    places = {r.message: r.location for r in missing.related_information}
    assert set(places) == {"declared here", "read here"}
    declared, read = places["declared here"], places["read here"]
    assert declared.uri == (project / "envcheck.toml").as_uri()
    assert declared.range.start.line == SCHEMA.splitlines().index("[keys.OPENAI_API_KEY]")
    assert read.uri == (project / "src" / "ai.ts").as_uri()
    assert read.range.start.line == 1
    assert read.range.start.character == code.splitlines()[1].index("process")
    assert "envcheck.toml" not in missing.message and "ai.ts" not in missing.message
