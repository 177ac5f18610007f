"""The seam the language server checks unsaved text through, and the ``lsp`` command's edges.

:func:`envcheck.sources.checkout.overlaid` replaces only a file's *content*
for the duration of a check: every defence of the bounded reader (inside
the project root, regular file, size cap) still applies to the path, and
nothing is ever written to disk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from envcheck.sources.checkout import (
    UnreadableFile,
    overlaid,
    read_bytes,
    set_project_root,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    root.mkdir()
    (root / ".git").mkdir()  # a repository's top: the project root stops here
    set_project_root(root)
    return root


def test_overlay_replaces_content_only_within_the_block(project: Path) -> None:
    env = project / ".env"
    env.write_bytes(b"PORT=3000\n")
    with overlaid({os.path.realpath(env): b"PORT=4000\n"}):
        assert read_bytes(env, within=project) == b"PORT=4000\n"
    assert read_bytes(env, within=project) == b"PORT=3000\n"
    assert env.read_bytes() == b"PORT=3000\n"


def test_overlay_cannot_lead_a_link_out_of_the_project(project: Path, tmp_path: Path) -> None:
    """A checkout link to a file outside stays refused, whatever text the editor holds for it."""
    outside = tmp_path / "outside.env"
    outside.write_bytes(b"TOKEN=elsewhere\n")
    (project / ".env").symlink_to(outside)
    with overlaid({os.path.realpath(outside): b"TOKEN=typed\n"}), pytest.raises(UnreadableFile):
        read_bytes(project / ".env", within=project)


def test_overlay_does_not_make_a_fifo_or_a_missing_file_readable(project: Path) -> None:
    fifo = project / ".env.fifo"
    os.mkfifo(fifo)
    missing = project / ".env.missing"
    texts = {os.path.realpath(fifo): b"A=1\n", os.path.realpath(missing): b"B=2\n"}
    with overlaid(texts):
        with pytest.raises(UnreadableFile, match="named pipe"):
            read_bytes(fifo, within=project)
        with pytest.raises(FileNotFoundError):
            read_bytes(missing, within=project)


def test_overlay_is_held_to_the_cap(project: Path) -> None:
    env = project / ".env"
    env.write_bytes(b"A=1\n")
    with overlaid({os.path.realpath(env): b"A=" + b"x" * 100 + b"\n"}):
        with pytest.raises(UnreadableFile, match="envcheck reads at most"):
            read_bytes(env, within=project, cap=64)
        assert len(read_bytes(env, within=project, cap=64, truncate=True)) == 64


def test_lsp_is_not_imported_at_start_up(project: Path) -> None:
    """``envcheck check`` never imports the server, pygls or lsprotocol."""
    (project / ".env").write_text("PORT=3000\n")
    code = (
        "import contextlib, io, json, sys\n"
        "from envcheck.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    main(['check', '--dir', {str(project)!r}])\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "envcheck.commands.check_run" in loaded  # the check really ran (without click)
    assert not {m for m in loaded if m.split(".")[0] in ("pygls", "lsprotocol", "cattrs")}
    assert not {m for m in loaded if m.startswith("envcheck.lsp")}


def test_lsp_without_its_extra_says_how_to_install_it() -> None:
    """Without pygls: one line naming the extra, exit 2, no traceback."""
    code = (
        "import sys\n"
        "sys.modules['pygls'] = None  # as if not installed\n"
        "from envcheck.cli import main\n"
        "sys.exit(main(['lsp']))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 2
    assert "envcheck[lsp]" in out.stderr and "Traceback" not in out.stderr


def test_code_scan_reads_the_buffer_and_never_caches_it(project: Path, tmp_path: Path) -> None:
    """The code scan's own bounded reader takes the overlay too; its facts cache does not."""
    from envcheck.code import scan
    from envcheck.code.walk import FILE_CAP

    source = project / "src" / "a.ts"
    source.parent.mkdir()
    source.write_text("export const a = process.env.ON_DISK_KEY;\n")
    cache = tmp_path / "cache" / "code-facts.json"

    def keys() -> set[str | None]:
        return {r.key for r in scan(project, root=project, cache_file=cache).reads}

    assert keys() == {"ON_DISK_KEY"}  # warms the cache with the file's facts
    typed = b"export const a = process.env.TYPED_KEY;\n"
    with overlaid({os.path.realpath(source): typed}):
        assert keys() == {"TYPED_KEY"}  # not the cached facts of the file on disk
    assert b"TYPED_KEY" not in cache.read_bytes()
    assert keys() == {"ON_DISK_KEY"}  # and the cache still answers for the file
    assert source.read_text() == "export const a = process.env.ON_DISK_KEY;\n"
    huge = b"//" + b"x" * FILE_CAP + b"\nprocess.env.TYPED_KEY;\n"
    with overlaid({os.path.realpath(source): huge}):
        facts = scan(project, root=project, cache_file=cache)
    assert not facts.reads and [n.kind for n in facts.notes] == ["too-large"]
