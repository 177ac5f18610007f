"""The checkout reader's folder memo: a relative path is the folder it names now.

A run resolves each folder's real path once (a workspace run asks for 200 app folders
under the same parents).  The memo was keyed by the path as written, so ``"."`` -- the
folder of every bare file name -- kept the first working directory of the run: after a
``chdir`` (a test, the editor server, a library caller), ``x.env`` was read from the old
folder, or refused as "leads outside the project" when that folder lay outside the root.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from envcheck.sources.checkout import read_text, set_project_root


def test_a_bare_name_is_read_in_the_working_directory_of_the_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.env").write_text(f"K={name}\n")
    set_project_root(tmp_path)  # one run over both folders
    monkeypatch.chdir(tmp_path / "a")
    assert read_text(Path("x.env"), within=Path.cwd()) == "K=a\n"
    monkeypatch.chdir(tmp_path / "b")
    assert read_text(Path("x.env"), within=Path.cwd()) == "K=b\n"


def test_a_bare_name_after_leaving_the_root_stays_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's first folder lies inside its root; the next one does not: its file is
    read for its own folder, never refused as a link out of the first one's project."""
    inside, outside = tmp_path / "root" / "app", tmp_path / "elsewhere"
    for folder in (inside, outside):
        folder.mkdir(parents=True)
        (folder / "x.env").write_text(f"K={folder.name}\n")
    set_project_root(tmp_path / "root")
    monkeypatch.chdir(inside)
    assert read_text(Path("x.env"), within=Path.cwd()) == "K=app\n"
    monkeypatch.chdir(outside)
    assert read_text(Path("x.env"), within=Path.cwd()) == "K=elsewhere\n"
