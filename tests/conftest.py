"""Guard rails for every test.

The process environment is stripped of anything a loader or the probe
would read (a developer's real OPENAI_API_KEY must never reach a test), and
HOME / XDG_CACHE_HOME point into a temp dir so nothing is written to the
real home directory.
"""

from __future__ import annotations

import os
import re

import pytest

_LEAKY = re.compile(
    r"^(OPENAI_|ANTHROPIC_|AZURE_|NEXT_PUBLIC_|VITE_|REACT_APP_|NODE_ENV$|APP_ENV$|ENV$|"
    r"DOTENV_|NO_COLOR$|FORCE_COLOR$|XDG_CACHE_HOME$|"
    # GitHub keys are probed too (api.github.com): a CI runner's token must not be.
    r"GITHUB_TOKEN$|GH_TOKEN$|GITHUB_PAT$|GH_PAT$|GITHUB_PERSONAL_ACCESS_TOKEN$|GITHUB_API_URL$)"
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    for name in list(os.environ):
        if _LEAKY.match(name):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "envcheck tests")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "tests@envcheck.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "envcheck tests")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "tests@envcheck.invalid")
    yield
