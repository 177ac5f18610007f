"""A key's head followed by filler is a placeholder (nextcrm's ``.env.docker``:
``# RESEND_API_KEY=re_...``, ``# E2B_API_KEY=e2b_...``), and guard passes the clone;
a real key of the same head is still a secret."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from envcheck.schema import classify, values
from tests.harness import isolated, repository

_HEADS = ("re_", "fc-", "e2b_", "sk_live_", "ghp_", "xoxb-", "sk-proj-", "AKIA_")
_FILLERS = ("...", "…", "xxx", "xxxxxxxx", "***", "<...>", "[…]")


@given(st.sampled_from(_HEADS), st.sampled_from(_FILLERS))
def test_head_and_filler_is_a_stand_in(head: str, filler: str) -> None:
    assert values.is_placeholder(head + filler)
    assert classify.not_filled_in(head + filler)


_RANDOM = st.text(string.ascii_letters + string.digits, min_size=24, max_size=48).filter(
    lambda s: any(c.isdigit() for c in s) and any(c.isupper() for c in s)
)


@given(st.sampled_from(_HEADS), _RANDOM)
def test_head_and_random_tail_is_no_stand_in(head: str, tail: str) -> None:
    assert not classify.not_filled_in(head + tail)


def test_guard_passes_commented_placeholders(tmp_path: Path) -> None:
    project = repository(
        tmp_path / "p",
        {
            ".env.docker": "# RESEND_API_KEY=re_...\n# FIRECRAWL_API_KEY=fc-...\n"
            "# E2B_API_KEY=e2b_...\nSTRIPE_SECRET_KEY=sk_live_…\n"
        },
    )
    proc = isolated(project, "guard", ".env.docker")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_guard_still_refuses_a_real_key_of_that_shape(tmp_path: Path) -> None:
    key = "re_" + "Q7fK2mZp9XvT4bLw8NcR1sHd"  # fake
    project = repository(tmp_path / "p", {".env.docker": f"# RESEND_API_KEY={key}\n"})
    proc = isolated(project, "guard", ".env.docker")
    assert proc.returncode == 1 and "EC402" in proc.stdout
    assert key not in proc.stdout + proc.stderr
