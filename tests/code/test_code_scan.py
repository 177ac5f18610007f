"""envcheck.code scan: fixture projects, client/server sides, models, bounds, cache, bad input."""

from __future__ import annotations

import json
import os
import secrets
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from envcheck import __version__
from envcheck.code import scan
from envcheck.code.cache import _MAGIC, CACHE_FILE, VERSION
from tests.harness import FIXTURES

CODE = FIXTURES / "code"


def _fake_key() -> str:
    return "sk-proj-" + "".join(
        secrets.choice(string.ascii_letters + string.digits) for _ in range(48)
    )


def _sides(package: Path, root: Path) -> dict[str | None, set[str]]:
    found: dict[str | None, set[str]] = {}
    for read in scan(package, root=root, use_cache=False).reads:
        found.setdefault(read.key, set()).add(read.side)
    return found


# -- fixture projects ------------------------------------------------------------------


def test_nextjs_use_client_and_the_files_only_it_imports_are_client() -> None:
    facts = scan(CODE / "nextjs", root=CODE, use_cache=False)
    by_key = {r.key: (r.kind, r.side, r.file) for r in facts.reads}
    assert by_key["OPENAI_API_KEY"] == ("required", "server", "nextjs/app/api/chat/route.ts")
    assert by_key["SITE_TITLE"] == ("optional", "server", "nextjs/app/page.tsx")
    assert by_key["NEXT_PUBLIC_API_URL"] == ("required", "client", "nextjs/components/Banner.tsx")
    assert by_key["ANALYTICS_SECRET"] == ("required", "client", "nextjs/lib/analytics.ts")
    assert by_key[None] == ("dynamic", "client", "nextjs/components/Banner.tsx")
    (load,) = facts.loads
    assert (load.loader, load.paths, load.base, load.outside) == (
        "dotenv",
        (".env.shared",),
        "file",
        False,
    )
    assert [(m.provider, m.model, m.file, m.line) for m in facts.models] == [
        ("openai", "gpt-4o-mini", "nextjs/app/api/chat/route.ts", 6)
    ]


def test_a_file_imported_from_client_and_server_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}')
    (tmp_path / "app").mkdir()
    (tmp_path / "app/page.tsx").write_text('import { v } from "../lib/v";\nexport default v;\n')
    (tmp_path / "app/Widget.tsx").write_text('"use client";\nimport { v } from "@/lib/v";\n')
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib/v.ts").write_text("export const v = process.env.SHARED;\n")
    assert _sides(tmp_path, tmp_path) == {"SHARED": {"unknown"}}
    (tmp_path / "app/page.tsx").write_text("export default 1;\n")  # now only the client imports it
    assert _sides(tmp_path, tmp_path) == {"SHARED": {"client"}}


def test_t3_env_project_without_env_example_has_its_schema_as_reads() -> None:
    facts = scan(CODE / "t3", root=CODE, use_cache=False)
    schema = {(r.key, r.kind, r.side) for r in facts.reads if r.source == "t3-env"}
    assert schema == {
        ("DATABASE_URL", "required", "server"),
        ("NODE_ENV", "optional", "server"),
        # `NODE_ENV === "production" ? z.string() : z.string().optional()`: optional on one
        # branch, so the app runs without it in some setup (survey class SCHEMA-DEFAULT)
        ("AUTH_SECRET", "optional", "server"),
        ("NEXT_PUBLIC_CLIENTVAR", "optional", "client"),
    }
    # runtimeEnv's process.env reads belong to the schema: not counted again
    assert not [
        r for r in facts.reads if r.source == "process.env" and r.line >= 13 and r.line <= 17
    ]
    assert facts.required_keys() == ("DATABASE_URL",)


def test_nestjs_env_file_path_per_mode() -> None:
    facts = scan(CODE / "nestjs", root=CODE, use_cache=False)
    (load,) = facts.loads
    assert load.loader == "nestjs"
    assert load.paths_for("test") == ("nestjs/.env.test", "nestjs/.env")
    assert ("JWT_SECRET", "required", "server") in {(r.key, r.kind, r.side) for r in facts.reads}
    assert ("PORT", "optional") in {(r.key, r.kind) for r in facts.reads}


def test_vite_app_env_dir_and_browser_code() -> None:
    root = CODE / "vite"
    facts = scan(root / "apps" / "spa", root=root, use_cache=False)
    assert {(r.key, r.kind, r.side) for r in facts.reads} == {
        ("VITE_API_URL", "required", "client"),
        ("VITE_STRIPE_KEY", "optional", "client"),
    }
    assert [(x.loader, x.target, x.paths, x.outside) for x in facts.loads] == [
        ("vite-loadEnv", "dir", ("apps/spa",), False),
        ("vite-envDir", "dir", (".",), False),
    ]


def test_django_app_with_django_environ() -> None:
    facts = scan(CODE / "django", root=CODE, use_cache=False)
    assert facts.required_keys() == ("DATABASE_URL", "SECRET_KEY", "SENTRY_DSN")
    assert {r.key for r in facts.reads if r.kind == "optional"} == {
        "DEBUG",
        "ALLOWED_HOSTS",
        "EMAIL_HOST_PASSWORD",
    }
    (load,) = facts.loads
    assert (load.loader, load.paths, load.base) == ("django-environ", ("django/.env",), "file")
    assert {r.side for r in facts.reads} == {"server"}


def test_fastapi_app_with_os_getenv() -> None:
    facts = scan(CODE / "fastapi", root=CODE, use_cache=False)
    assert facts.required_keys() == ("API_TOKEN", "DATABASE_URL")
    assert [(m.provider, m.model) for m in facts.models] == [("openai", "gpt-4o")]
    assert facts.loads[0].paths == ("fastapi/app/.env", "fastapi/.env", ".env")
    assert (facts.files_scanned, facts.files_parsed) == (2, 1)  # main.py has no env token


def test_sveltekit_server_files_and_astro_sections(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"devDependencies": {"@sveltejs/kit": "2.0.0"}}')
    routes = tmp_path / "src" / "routes"
    routes.mkdir(parents=True)
    (routes / "+page.server.ts").write_text("export const load = () => process.env.DB;\n")
    (routes / "+page.ts").write_text("export const load = () => process.env.BOTH;\n")
    (tmp_path / "src/lib/server").mkdir(parents=True)
    (tmp_path / "src/lib/server/db.ts").write_text("export const u = process.env.DB_URL;\n")
    (routes / "Comp.svelte").write_text(
        '<script lang="ts">\n  import { PUBLIC_X } from "$env/static/public";\n'
        "</script>\n<p>{PUBLIC_X}</p>\n"
    )
    (tmp_path / "Page.astro").write_text(
        "---\nconst key = import.meta.env.SECRET_KEY;\n---\n<h1>x</h1>\n"
        "<script>\n  console.log(import.meta.env.PUBLIC_ID);\n</script>\n"
    )
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    got = {(r.key, r.side, r.file, r.line) for r in facts.reads}
    assert got == {
        ("DB", "server", "src/routes/+page.server.ts", 1),
        ("BOTH", "unknown", "src/routes/+page.ts", 1),
        ("DB_URL", "server", "src/lib/server/db.ts", 1),
        ("PUBLIC_X", "unknown", "src/routes/Comp.svelte", 2),
        ("SECRET_KEY", "server", "Page.astro", 2),
        ("PUBLIC_ID", "client", "Page.astro", 6),
    }
    assert [r.public_module for r in facts.reads if r.key == "PUBLIC_X"] == [True]


def test_models_from_anthropic_and_the_vercel_ai_sdk(tmp_path: Path) -> None:
    (tmp_path / "a.ts").write_text(
        'import Anthropic from "@anthropic-ai/sdk";\nimport OpenAI from "openai";\n'
        "const anthropic = new Anthropic();\nconst openai = new OpenAI();\n"
        'await anthropic.messages.create({ model: "claude-3-5-sonnet-latest", max_tokens: 9 });\n'
        'await openai.responses.create({ model: "gpt-4.1" });\n'
    )
    (tmp_path / "b.ts").write_text(
        'import { openai } from "@ai-sdk/openai";\n'
        'await generateText({ model: openai("gpt-4o"), prompt: "hi" });\n'
    )
    (tmp_path / "c.py").write_text(
        "import anthropic\nclient = anthropic.Anthropic()\n"
        'client.messages.create(model="claude-3-haiku")\n'
    )
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert [(m.provider, m.model, m.file, m.line) for m in facts.models] == [
        ("anthropic", "claude-3-5-sonnet-latest", "a.ts", 5),
        ("openai", "gpt-4.1", "a.ts", 6),
        ("openai", "gpt-4o", "b.ts", 2),
        ("anthropic", "claude-3-haiku", "c.py", 3),
    ]


# -- bounds: prefilter, skipped folders, links, caps -------------------------------------


def test_only_files_with_a_token_reach_the_parser(tmp_path: Path) -> None:
    for n in range(20):
        (tmp_path / f"plain{n}.ts").write_text(f"export const n{n} = {n};\n")
    (tmp_path / "env.ts").write_text("export const k = process.env.K;\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert (facts.files_scanned, facts.files_parsed) == (21, 1)


def test_vendored_built_and_gitignored_folders_are_skipped(tmp_path: Path) -> None:
    for folder in ("node_modules/x", ".next/server", "dist", "generated"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "a.js").write_text("process.env.HIDDEN;\n")
    (tmp_path / ".gitignore").write_text("# built\ngenerated/\n*.log\n")
    (tmp_path / "index.js").write_text("process.env.SEEN;\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert facts.keys() == ("SEEN",)
    assert facts.files_scanned == 1


def test_a_link_out_of_the_project_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.js").write_text("process.env.OUTSIDE_KEY;\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "linked.js").symlink_to(outside / "secret.js")
    (project / "linkdir").symlink_to(outside, target_is_directory=True)
    (project / "loop").symlink_to(project, target_is_directory=True)
    (project / "index.js").write_text("process.env.INSIDE_KEY;\n")
    facts = scan(project, root=project, use_cache=False)
    assert facts.keys() == ("INSIDE_KEY",)
    assert sorted((n.kind, n.file) for n in facts.notes) == [
        ("link", "linkdir"),
        ("link", "linked.js"),
    ]


def test_a_fifo_or_device_named_like_source_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.js")
    (tmp_path / "zero.js").symlink_to("/dev/zero")
    (tmp_path / "ok.js").write_text("process.env.OK;\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False)  # would hang on the FIFO if opened
    assert facts.keys() == ("OK",)


def test_minified_and_oversized_files_are_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "bundle.js").write_text("var a=process.env.MIN;" + "x=1;" * 5000 + "\n")
    (tmp_path / "vendor.min.js").write_text("process.env.MIN2;\n")
    (tmp_path / "huge.js").write_text("process.env.HUGE;\n" + "// pad\n" * 200_000)
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert facts.reads == ()
    assert sorted((n.kind, n.file) for n in facts.notes) == [
        ("minified", "bundle.js"),
        ("minified", "vendor.min.js"),
        ("too-large", "huge.js"),
    ]


def test_file_cap_is_noted(tmp_path: Path) -> None:
    for n in range(5):
        (tmp_path / f"f{n}.js").write_text("process.env.K;\n")
    facts = scan(tmp_path, root=tmp_path, use_cache=False, max_files=3)
    assert facts.files_scanned == 3
    assert [n.kind for n in facts.notes] == ["file-cap"]


# -- bad input -----------------------------------------------------------------------------


def test_js_syntax_error_is_noted_counted_and_read_where_it_parses(tmp_path: Path) -> None:
    (tmp_path / "broken.ts").write_text(
        "const a = process.env.BEFORE;\nfunction (( {\nconst b = process.env.AFTER;\n"
    )
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert facts.files_failed == 1
    assert [n.kind for n in facts.notes] == ["syntax"]
    assert "BEFORE" in facts.keys()


def test_python_syntax_error_is_skipped_with_a_note_that_quotes_nothing(tmp_path: Path) -> None:
    key = _fake_key()
    (tmp_path / "bad.py").write_text(f'import os\nKEY = os.getenv("K", "{key}"\nif\n')
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert (facts.files_failed, facts.reads) == (1, ())
    (note,) = facts.notes
    assert note.kind == "syntax" and note.file == "bad.py"
    assert key not in str(note) and "os.getenv" not in str(note)


def test_nothing_is_executed_or_imported(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    (tmp_path / "evil.py").write_text(
        f"import os\nopen({str(marker)!r}, 'w').write('x')\nos.getenv('K')\n"
    )
    (tmp_path / "evil.js").write_text(
        f"require('fs').writeFileSync({json.dumps(str(marker))}, 'x'); process.env.K;\n"
    )
    facts = scan(tmp_path, root=tmp_path, use_cache=False)
    assert facts.keys() == ("K",)
    assert not marker.exists()


def test_package_outside_root_is_a_caller_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        scan(tmp_path, root=tmp_path / "sub", use_cache=False)


# -- cache ---------------------------------------------------------------------------------


def test_cache_warm_scan_parses_nothing_and_an_edit_is_reparsed(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    cache = tmp_path / "cache" / CACHE_FILE
    (project / "a.ts").write_text("export const a = process.env.A;\n")
    (project / "b.ts").write_text("export const b = process.env.B;\n")
    cold = scan(project, root=project, cache_file=cache)
    warm = scan(project, root=project, cache_file=cache)
    assert (cold.files_parsed, warm.files_parsed) == (2, 0)
    assert warm.reads == cold.reads
    assert oct(cache.stat().st_mode & 0o777) == "0o600"
    (project / "a.ts").write_text("export const a = process.env.A2 ?? 1;\n")
    edited = scan(project, root=project, cache_file=cache)
    assert edited.files_parsed == 1
    assert [(r.key, r.kind) for r in edited.reads] == [("A2", "optional"), ("B", "required")]
    (project / "b.ts").unlink()
    assert scan(project, root=project, cache_file=cache).keys() == ("A2",)


def test_cache_sides_and_notes_survive_a_warm_scan(tmp_path: Path) -> None:
    cache = tmp_path / CACHE_FILE
    cold = scan(CODE / "nextjs", root=CODE, cache_file=cache)
    warm = scan(CODE / "nextjs", root=CODE, cache_file=cache)
    assert warm.files_parsed == 0
    assert (warm.reads, warm.loads, warm.models, warm.notes) == (
        cold.reads,
        cold.loads,
        cold.models,
        cold.notes,
    )


def _blob(head: object, files: object = None) -> bytes:
    """A cache file as :mod:`envcheck.code.cache` lays it out: the magic line, the head
    (version, envcheck version, packages) as a line of JSON, the files table."""
    rest = b"" if files is None else json.dumps(files).encode()
    return _MAGIC + json.dumps(head).encode() + b"\n" + rest


def _cached(cache: Path) -> tuple[Any, ...]:
    """(version, envcheck version, files, packages) from the cache file."""
    data = cache.read_bytes()
    assert data.startswith(_MAGIC)
    head, files = data[len(_MAGIC) :].split(b"\n")
    version, made_by, packages = json.loads(head)
    return version, made_by, json.loads(files), packages


def _write_cached(cache: Path, loaded: tuple[Any, ...]) -> None:
    version, made_by, files, packages = loaded
    cache.write_bytes(_blob([version, made_by, packages], files))
    cache.chmod(0o600)


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        _MAGIC,
        _MAGIC + b"\xff\x00garbage\n{}",
        _MAGIC + b"[" * 100_000 + b"\n{}",
        _MAGIC + b"(\xff\xff\xff\x7f",  # marshal's declared count of 2**31 items
        _blob([]),
        _blob([VERSION, "0.0.0-other", {}], {}),
        _blob([VERSION - 1, __version__, {}], {}),
        _blob([VERSION, __version__, {"y": [1, 2, 3]}], {"x": 1}),
        _blob([VERSION, __version__, []], []),
        _blob([VERSION, __version__, {}], "[" * 100_000),
        _blob([VERSION, __version__, {}]) + b"{not json",
    ],
)
def test_a_corrupt_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "a.js").write_text("process.env.A;\n")
    cache = tmp_path / CACHE_FILE
    cache.write_bytes(content)
    cache.chmod(0o600)
    first = scan(project, root=project, cache_file=cache)
    assert (first.keys(), first.files_parsed) == (("A",), 1)
    version, made_by, files, _ = _cached(cache)
    size, mtime_ns, row = files[str(project / "a.js")]
    damaged = [[["A", "required"]], *row[1:]]  # a read row cut short: a miss, not a crash
    _write_cached(cache, (version, made_by, {str(project / "a.js"): [size, mtime_ns, damaged]}, {}))
    again = scan(project, root=project, cache_file=cache)
    assert (again.keys(), again.files_parsed) == (("A",), 1)


@pytest.mark.parametrize(
    "damage",
    [
        lambda row: [[row[0][0][:9]], *row[1:]],  # a read cut short
        lambda row: [[["A", "bogus-kind", *row[0][0][2:]]], *row[1:]],  # an unknown kind
        lambda row: [[[*row[0][0][:6], "1", *row[0][0][7:]]], *row[1:]],  # a line as text
        lambda row: [[[7, *row[0][0][1:]]], *row[1:]],  # a number for a key
        lambda row: [*row[:4], "0", *row[5:]],  # files_failed as text
        lambda row: row[:7],  # a field missing
        lambda row: {"reads": row[0]},  # an object for a row
    ],
)
def test_a_damaged_package_entry_is_a_miss_and_the_files_are_put_together_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Callable[[list[Any]], Any]
) -> None:
    """Every field of a kept package is checked on load: a damaged one is never served."""
    from envcheck.code import sides

    project = tmp_path / "p"
    project.mkdir()
    (project / "a.js").write_text("process.env.A;\n")
    cache = tmp_path / CACHE_FILE
    cold = scan(project, root=project, cache_file=cache)
    version, made_by, files, packages = _cached(cache)
    ((folder, (fingerprint, row)),) = packages.items()
    _write_cached(cache, (version, made_by, files, {folder: [fingerprint, damage(row)]}))
    classified = _counting(monkeypatch, sides, "classify")
    warm = scan(project, root=project, cache_file=cache)
    assert (warm.reads, warm.files_parsed, len(classified)) == (cold.reads, 0, 1)
    assert _cached(cache)[3][folder] == [fingerprint, row]  # and kept again, whole


def test_a_package_entry_as_written_is_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the test above: an undamaged entry is taken as it is."""
    from envcheck.code import sides

    project = tmp_path / "p"
    project.mkdir()
    (project / "a.js").write_text("process.env.A;\n")
    cache = tmp_path / CACHE_FILE
    cold = scan(project, root=project, cache_file=cache)
    _write_cached(cache, _cached(cache))
    classified = _counting(monkeypatch, sides, "classify")
    assert (scan(project, root=project, cache_file=cache).reads, len(classified)) == (cold.reads, 0)


def test_a_cache_file_others_can_write_is_not_trusted(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "a.js").write_text("process.env.A;\n")
    cache = tmp_path / CACHE_FILE
    scan(project, root=project, cache_file=cache)
    cache.chmod(0o666)
    assert scan(project, root=project, cache_file=cache).files_parsed == 1


def test_no_value_is_ever_written_to_the_cache(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    key = _fake_key()
    (project / "a.ts").write_text(
        f'const k = process.env.OPENAI_API_KEY ?? "{key}";\n'
        f'const {{ B = "{key}" }} = process.env;\n'
    )
    (project / "b.py").write_text(f'import os\nK = os.getenv("K", "{key}")\n')
    (project / ".env").write_text(f"OPENAI_API_KEY={key}\n")
    cache = tmp_path / CACHE_FILE
    facts = scan(project, root=project, cache_file=cache)
    assert facts.keys() == ("B", "K", "OPENAI_API_KEY")
    assert key.encode() not in cache.read_bytes()
    assert key not in repr(facts)


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_a_warm_scan_of_an_unchanged_package_puts_nothing_together_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The package entry of the cache: no file is read, rebuilt or classified (counted)."""
    from envcheck.code import files, sides
    from envcheck.code.raw import FileFacts

    project = tmp_path / "p"
    (project / "lib").mkdir(parents=True)
    (project / "lib/db.ts").write_text("export const url = process.env.DATABASE_URL;\n")
    for n in range(20):
        (project / f"lib/m{n}.ts").write_text(f"export const m{n} = {n};\n")
    cache = tmp_path / CACHE_FILE
    cold = scan(project, root=project, cache_file=cache)
    classified = _counting(monkeypatch, sides, "classify")
    rebuilt = _counting(monkeypatch, FileFacts, "from_row")
    read = _counting(monkeypatch, files, "read_facts")
    warm = scan(project, root=project, cache_file=cache)
    assert (warm.reads, warm.files_scanned, warm.files_parsed) == (cold.reads, 21, 0)
    assert (len(classified), len(rebuilt), len(read)) == (0, 0, 0)


def test_a_file_without_env_reads_that_changes_a_side_is_seen_on_a_warm_scan(
    tmp_path: Path,
) -> None:
    """The package entry is keyed by every source file, not only those with facts."""
    project = tmp_path / "p"
    (project / "app").mkdir(parents=True)
    (project / "lib").mkdir()
    (project / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}')
    (project / "lib/v.ts").write_text("export const v = process.env.SHARED;\n")
    (project / "app/page.tsx").write_text('import { v } from "../lib/v";\nexport default v;\n')
    cache = tmp_path / CACHE_FILE

    def sides_now() -> set[str]:
        return {r.side for r in scan(project, root=project, cache_file=cache).reads}

    assert sides_now() == {"server"}
    assert sides_now() == {"server"}  # warm
    (project / "app/page.tsx").write_text('"use client";\nimport { v } from "../lib/v";\n')
    assert sides_now() == {"client"}
    (project / "package.json").write_text('{"dependencies": {}}')  # no framework: server
    assert sides_now() == {"server"}
