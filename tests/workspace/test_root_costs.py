"""What the work done once per app at a workspace root costs, counted (issue #24).

A root of 200 apps reads some 400 small files before its workers start
(each app's ``package.json``, the declarations): each read asks the file
system once what the file is, and follows a link in full, as before.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from envcheck.project import set_project_root
from envcheck.sources.checkout import UnreadableFile, read_text


def _counting(calls: Counter[str], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    return counted


def test_a_regular_file_is_looked_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = tmp_path / "apps" / "web"
    app.mkdir(parents=True)
    (app / "package.json").write_text('{"name": "web"}\n')
    (app / ".env.example").write_text("DATABASE_URL=\n")
    set_project_root(tmp_path)
    read_text(app / "package.json", within=app)  # the folder's real path, once per run
    calls: Counter[str] = Counter()
    monkeypatch.setattr(os, "stat", _counting(calls, "stat", os.stat))
    monkeypatch.setattr(os, "lstat", _counting(calls, "lstat", os.lstat))
    assert read_text(app / ".env.example", within=app) == "DATABASE_URL=\n"
    assert calls == {"lstat": 1}  # was an lstat and a stat of the same file


def test_a_link_is_still_followed_in_full_and_kept_inside(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    app = root / "apps" / "web"
    app.mkdir(parents=True)
    (root / ".env.shared").write_text("SHARED=1\n")
    (app / ".env").symlink_to("../../.env.shared")
    outside = tmp_path / "secret.txt"
    outside.write_text("NOPE=1\n")
    (app / ".env.local").symlink_to(outside)
    set_project_root(root)
    assert read_text(app / ".env", within=app) == "SHARED=1\n"
    with pytest.raises(UnreadableFile):
        read_text(app / ".env.local", within=app)
    (app / "fifo").unlink(missing_ok=True)
    os.mkfifo(app / "fifo")
    with pytest.raises(UnreadableFile):  # looked at before any open: a FIFO is never opened
        read_text(app / "fifo", within=app)
