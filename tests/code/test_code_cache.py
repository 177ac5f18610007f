"""The code-facts cache never serves stale facts: every change to the source is seen.

A warm scan takes a package's facts whole from the cache when a fingerprint of every
source file's path, size and ``mtime_ns`` (and the package's top names, its
``package.json``, the project root, the envcheck and facts versions) is unchanged
(:mod:`envcheck.code.cache`).  Each test here changes one thing after a warm scan and
checks that the next scan sees it, counting what was parsed (never timing it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from envcheck.code import CodeFacts, cached_scan, scan
from envcheck.code.cache import CACHE_FILE
from tests.harness import envcheck, repository


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "lib").mkdir(parents=True)
    (root / "lib" / "a.ts").write_text("export const a = process.env.KEY_A;\n")
    (root / "lib" / "b.ts").write_text("export const b = process.env.KEY_B;\n")
    for n in range(5):
        (root / "lib" / f"m{n}.ts").write_text(f"export const m{n} = {n};\n")
    return root


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache" / CACHE_FILE


def _warm(project: Path, cache: Path) -> CodeFacts:
    """Scan twice: the second scan is served whole by the cache (and says so)."""
    scan(project, root=project, cache_file=cache)
    warm = scan(project, root=project, cache_file=cache)
    assert warm.files_parsed == 0
    assert cached_scan(project, root=project, cache_file=cache) is not None
    return warm


def _places(facts: CodeFacts) -> list[tuple[str | None, str]]:
    return [(r.key, r.file) for r in facts.reads]


def test_an_edit_that_changes_the_size_is_seen(project: Path, cache: Path) -> None:
    _warm(project, cache)
    (project / "lib" / "a.ts").write_text("export const a = process.env.KEY_A_LONGER;\n")
    assert cached_scan(project, root=project, cache_file=cache) is None
    edited = scan(project, root=project, cache_file=cache)
    assert edited.keys() == ("KEY_A_LONGER", "KEY_B")
    assert edited.files_parsed == 1  # the other files' facts come from the files table


def test_an_edit_that_keeps_the_size_is_seen_by_its_time(project: Path, cache: Path) -> None:
    source = project / "lib" / "a.ts"
    before = source.stat()
    _warm(project, cache)
    source.write_text("export const a = process.env.KEY_C;\n")  # as long as KEY_A's line
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + 1))  # one tick later
    assert source.stat().st_size == before.st_size
    edited = scan(project, root=project, cache_file=cache)
    assert (edited.keys(), edited.files_parsed) == (("KEY_B", "KEY_C"), 1)


def test_a_new_file_is_seen(project: Path, cache: Path) -> None:
    _warm(project, cache)
    (project / "lib" / "c.ts").write_text("export const c = process.env.KEY_NEW;\n")
    found = scan(project, root=project, cache_file=cache)
    assert found.keys() == ("KEY_A", "KEY_B", "KEY_NEW")
    assert (found.files_parsed, found.files_scanned) == (1, 8)


def test_a_new_file_in_a_new_folder_is_seen(project: Path, cache: Path) -> None:
    _warm(project, cache)
    (project / "app" / "api").mkdir(parents=True)
    (project / "app" / "api" / "route.ts").write_text("export const r = process.env.KEY_NEW;\n")
    assert "KEY_NEW" in scan(project, root=project, cache_file=cache).keys()


def test_a_deleted_file_is_seen(project: Path, cache: Path) -> None:
    _warm(project, cache)
    (project / "lib" / "b.ts").unlink()
    found = scan(project, root=project, cache_file=cache)
    assert (found.keys(), found.files_parsed, found.files_scanned) == (("KEY_A",), 0, 6)


def test_a_renamed_folder_is_seen(project: Path, cache: Path) -> None:
    """A folder renamed: every file keeps its size and time, only the paths change."""
    warm = _warm(project, cache)
    assert _places(warm) == [("KEY_A", "lib/a.ts"), ("KEY_B", "lib/b.ts")]
    (project / "lib").rename(project / "shared")
    moved = scan(project, root=project, cache_file=cache)
    assert _places(moved) == [("KEY_A", "shared/a.ts"), ("KEY_B", "shared/b.ts")]
    (project / "shared").rename(project / "node_modules")  # now a folder the walk skips
    assert scan(project, root=project, cache_file=cache).reads == ()


def test_a_renamed_folder_below_the_top_is_seen(project: Path, cache: Path) -> None:
    """The names at the package's top stay the same: the files' own paths tell."""
    (project / "lib" / "db").mkdir()
    (project / "lib" / "a.ts").rename(project / "lib" / "db" / "a.ts")
    _warm(project, cache)
    (project / "lib" / "db").rename(project / "lib" / "store")
    assert _places(scan(project, root=project, cache_file=cache)) == [
        ("KEY_B", "lib/b.ts"),
        ("KEY_A", "lib/store/a.ts"),
    ]
    (project / "lib" / "store" / "a.ts").rename(project / "lib" / "store" / "a.test.ts")
    assert [r.context for r in scan(project, root=project, cache_file=cache).reads] == [
        "app",
        "test",
    ]


def test_a_file_moved_with_its_size_and_time_is_seen(project: Path, cache: Path) -> None:
    """``os.rename`` keeps a file's size and time: only its path changes."""
    _warm(project, cache)
    (project / "tests").mkdir()
    (project / "lib" / "a.ts").rename(project / "tests" / "a.ts")
    moved = scan(project, root=project, cache_file=cache)
    assert [(r.key, r.file, r.context) for r in moved.reads] == [
        ("KEY_B", "lib/b.ts", "app"),
        ("KEY_A", "tests/a.ts", "test"),  # a test's read: no longer the app's requirement
    ]


def test_two_files_swapping_names_are_seen(project: Path, cache: Path) -> None:
    """Same set of paths, sizes and times, but each under the other's name."""
    a, b, swap = project / "lib" / "a.ts", project / "lib" / "b.ts", project / "swap"
    (project / "lib" / "a.ts").write_text("export const a = process.env.KEY_A;\n// a\n")
    _warm(project, cache)
    a.rename(swap)
    b.rename(a)
    swap.rename(b)
    assert _places(scan(project, root=project, cache_file=cache)) == [
        ("KEY_B", "lib/a.ts"),
        ("KEY_A", "lib/b.ts"),
    ]


def test_the_same_package_under_another_root_gets_its_own_paths(project: Path, cache: Path) -> None:
    _warm(project, cache)
    nested = scan(project, root=project.parent, cache_file=cache)
    assert _places(nested) == [("KEY_A", "p/lib/a.ts"), ("KEY_B", "p/lib/b.ts")]
    assert _places(scan(project, root=project, cache_file=cache))[0] == ("KEY_A", "lib/a.ts")


def test_a_cache_of_another_envcheck_or_facts_version_is_not_used(
    project: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from envcheck.code import cache as facts_cache

    _warm(project, cache)
    monkeypatch.setattr(facts_cache, "__version__", "99.0.0")
    assert cached_scan(project, root=project, cache_file=cache) is None
    assert scan(project, root=project, cache_file=cache).files_parsed == 2  # the two with a token
    monkeypatch.setattr(facts_cache, "VERSION", facts_cache.VERSION + 1)
    assert scan(project, root=project, cache_file=cache).files_parsed == 2  # the two with a token
    assert scan(project, root=project, cache_file=cache).files_parsed == 0


def test_cache_files_of_earlier_formats_are_deleted_when_the_cache_is_written(
    project: Path, cache: Path
) -> None:
    """Earlier releases named their cache files by format (and some by project): a
    user's cache folder held 1,100 of them, never read again.  Writing the cache deletes
    those, by their exact names, and nothing else in the folder."""
    cache.parent.mkdir(parents=True)
    older = ["code-facts-v1.json", "code-facts-v3-0056b4da40417a6d4aac.json"]
    current = "code-facts-v4-2b6cc681b0998a744d22.json"  # another package's, this format
    others = ["probe-cache.json", "code-facts-v3-notes.txt", "code-facts-v2.json.bak", current]
    for name in older + others:
        (cache.parent / name).write_text("{}")
    os.symlink(project / "lib" / "a.ts", cache.parent / "code-facts-v2.json")
    _warm(project, cache)
    left = sorted(path.name for path in cache.parent.iterdir())
    assert left == sorted([*others, "code-facts-v2.json", CACHE_FILE])
    assert (project / "lib" / "a.ts").exists()  # a link is not followed, nor deleted


def test_a_warm_workspace_run_sees_an_edit_in_one_app(tmp_path: Path) -> None:
    """End to end, as ``predev`` runs it: a fresh process each time, one facts cache per
    package folder; a key an app starts reading after two warm runs is reported."""
    files = {
        "package.json": '{"name": "root", "private": true, "workspaces": ["apps/*"]}\n',
    }
    for name in ("web", "admin"):
        files[f"apps/{name}/package.json"] = (
            f'{{"name": "{name}", "scripts": {{"dev": "next dev"}},'
            ' "dependencies": {"next": "15.0.0"}}\n'
        )
        files[f"apps/{name}/.env"] = "SITE_URL=https://example.com\n"
        files[f"apps/{name}/app/page.tsx"] = (
            "export default function Page() { return process.env.SITE_URL }\n"
        )
    root = repository(tmp_path / "repo", files)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # cold, then warm
        run = envcheck(root, "check", env=env)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "PAYMENTS_WEBHOOK_SECRET" not in run.stdout
    assert len(list((tmp_path / "cache" / "envcheck").iterdir())) == 2  # one per app
    (root / "apps/admin/app/page.tsx").write_text(  # asserted as the module loads
        "const secret = process.env.PAYMENTS_WEBHOOK_SECRET!;\n"
        "export default function Page() { return secret }\n"
    )
    edited = envcheck(root, "check", env=env)
    assert edited.returncode == 1, edited.stdout + edited.stderr
    assert "PAYMENTS_WEBHOOK_SECRET" in edited.stdout


def test_a_load_naming_a_function_and_the_function_come_back_from_the_cache(
    tmp_path: Path, cache: Path
) -> None:
    # the fields of a computed load path (the function it calls) and of a file-naming
    # function (its choices) survive both tables: the package's whole facts, and a
    # file's facts when another file of the package changed
    root = tmp_path / "svc"
    (root / "src").mkdir(parents=True)
    (root / "src" / "env-file.ts").write_text(
        "export const envFile = (mode?: string) =>\n  mode === 'test' ? '.env.test' : '.env';\n"
    )
    (root / "src" / "main.ts").write_text(
        "import dotenv from 'dotenv';\nimport path from 'path';\n"
        "import { envFile } from './env-file';\n"
        "dotenv.config({ path: path.join(__dirname, envFile(process.env.NODE_ENV)) });\n"
    )
    (root / "src" / "other.ts").write_text("export const other = process.env.OTHER;\n")
    cold = scan(root, root=root, cache_file=cache)
    assert [load.helper for load in cold.loads] == [("./env-file", "envFile")]
    assert [name for _, name, _ in cold.namers] == ["envFile"]
    warm = _warm(root, cache)
    assert (warm.loads, warm.namers) == (cold.loads, cold.namers)
    (root / "src" / "other.ts").write_text("export const other = process.env.OTHER_KEY;\n")
    again = scan(root, root=root, cache_file=cache)
    assert again.files_parsed == 1  # the other two from the files table
    assert (again.loads, again.namers) == (cold.loads, cold.namers)
