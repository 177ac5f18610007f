"""Generate the benchmark's ``.env`` files: realistic mixed ones and adversarial ones.

A real env file is not ``K=V`` repeated, and the generated or concatenated
files people run envcheck on are not clean either.  :func:`block` is one
service's settings, 24 lines of the usual shapes: comments and blank lines,
unquoted, single-, double- and multi-line quoted values (certificates),
``export``, inline comments, ``${VAR}`` references to earlier keys, to keys
set nowhere and with defaults, URLs with passwords, and secrets of known
shapes (OpenAI, Stripe, GitHub, AWS).  One block in :data:`PROBLEM_EVERY`
also carries lint problems (a duplicate key, a lower-case key, spaces around
``=``, trailing whitespace, an unquoted value with a space, an unquoted
``#``, a malformed ``${``), which makes a few percent of the lines findings.

Every tool in the bench reads the same file: the values are shaped so that
python-dotenv, Node's dotenv and envcheck's dialects all parse them (the
findings are style findings, not lines a parser drops).

The adversarial files: :func:`write_long_line` (one value of 10 MB),
:func:`write_ref_chain` (every key refers to the one before it) and
:func:`write_mode_files` (12,000 one-line ``.env.<mode>`` files beside it).
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BLOCK_LINES",
    "PROBLEM_EVERY",
    "block",
    "write_env",
    "write_long_line",
    "write_ref_chain",
    "write_variant",
]

PROBLEM_EVERY = 8  # one block in 8 has lint problems


def _token(n: int, width: int) -> str:
    """A deterministic run of key characters (the body of a fake credential)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    out = []
    x = n * 2654435761 + 12345
    for _ in range(width):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(alphabet[x % len(alphabet)])
    return "".join(out)


def block(n: int, *, variant: int = 0) -> str:
    """One service's settings (:data:`BLOCK_LINES` lines), keys unique per ``n``.

    ``variant`` changes some values (for the second file of ``diff A B``).
    """
    p = f"SVC{n}"
    v = f"{n}" if not variant or n % 3 else f"{n}-v{variant}"
    tok = _token(n + variant * 7919, 40)
    lines = [
        f"# --- service {n} ---",
        f"{p}_NAME=service-{v}",
        f"{p}_HOST=host-{n}.internal",
        f"{p}_PORT={8000 + n % 1000}",
        f"{p}_URL=http://${{{p}_HOST}}:${{{p}_PORT}}/v1",
        f"{p}_DATABASE_URL=postgres://app:pw{tok[:12]}@db-{n}.internal:5432/app",
        f'{p}_TITLE="Service {v}, the quoted one"',
        f"{p}_LABEL='single quoted {n}'",
        f"export {p}_DEBUG=false",
        f"{p}_NOTE=plain # an inline comment",
        f"{p}_FALLBACK=${{{p}_MISSING:-default-{n}}}",
        f"{p}_REGION=${{DEPLOY_REGION_{n % 50}}}",
        f"{p}_OPENAI_API_KEY=sk-proj-{tok}",
        f"{p}_STRIPE_SECRET_KEY=sk_live_{tok[:24]}",
        f"{p}_GITHUB_TOKEN=ghp_{tok[:36]}",
        f"{p}_AWS_ACCESS_KEY_ID=AKIA{tok[:16].upper()}",
        f"{p}_SESSION_SECRET={tok[:32]}",
        f'{p}_CERT="-----BEGIN CERTIFICATE-----',
        f"MIIB{n:08d}QWERTYUIOPASDFGHJKL",
        f"ZXCVBNM{n:08d}poiuytrewqlkjhg",
        '-----END CERTIFICATE-----"',
        f"{p}_TIMEOUT=30",
    ]
    if n % PROBLEM_EVERY == 1:
        lines += [
            f"{p}_PORT={9000 + n % 1000}",  # duplicated-key
            f"{p.lower()}_mode=fast",  # lowercase-key
            f"{p}_SPACED = spaced",  # space-around-separator
            f"{p}_TRAIL=trailing   ",  # trailing-whitespace
            f"{p}_GREETING=hello world",  # unquoted-whitespace
            f"{p}_ANCHOR=https://example.com/#/home",  # hash-in-unquoted-value
            f"{p}_BROKEN=${{{p}_HOST",  # malformed-substitution
        ]
    else:
        lines += [
            f"{p}_WORKERS={n % 16 + 1}",
            f"{p}_ENABLED=true",
            "# retries and caching",
            f"{p}_RETRIES={n % 5}",
            f"{p}_CACHE_TTL={60 * (n % 10 + 1)}",
            f"{p}_LOG_LEVEL=info",
            f"{p}_QUEUE=jobs-{n % 7}",
        ]
    return "\n".join(lines) + "\n\n"


BLOCK_LINES = block(0).count("\n")


def write_env(path: Path, lines: int, *, variant: int = 0) -> int:
    """Write about ``lines`` lines (whole blocks) to ``path``; return the exact count."""
    blocks = max(1, round(lines / BLOCK_LINES))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for start in range(0, blocks, 1000):
            stop = min(blocks, start + 1000)
            fh.write("".join(block(n, variant=variant) for n in range(start, stop)))
    return blocks * BLOCK_LINES


def write_variant(path: Path, lines: int) -> int:
    """The second file of ``diff A B``: a third of the values changed, the rest equal."""
    return write_env(path, lines, variant=1)


def write_long_line(path: Path, size: int = 10_000_000) -> int:
    """A few keys and one unquoted value of ``size`` bytes; returns the line count."""
    body = (_token(1, 61) + "x") * (size // 62 + 1)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("BEFORE=1\n")
        fh.write(f"HUGE={body[:size]}\n")
        fh.write("AFTER=${BEFORE}\n")
    return 3


def write_ref_chain(path: Path, keys: int = 100_000) -> int:
    """``keys`` keys, each referring to the one before it (``K1=${K0}``).

    Every value expands to the first one: a chain as long as the file, whose
    values do not grow (a growing chain is bounded by the expansion budget
    instead, which :mod:`envcheck.sources.budget` tests).
    """
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("K0=start\n")
        for start in range(1, keys, 10_000):
            stop = min(keys, start + 10_000)
            fh.write("".join(f"K{i}=${{K{i - 1}}}\n" for i in range(start, stop)))
    return keys


def write_mode_files(path: Path, modes: int = 12_000) -> int:
    """``path`` (a one-line ``.env``) and ``modes`` one-line ``.env.m<i>`` files beside it.

    Each mode file sets a key no other file sets: rules that compare modes
    (EC504, a key set for one mode only) must stay linear in the files, not
    compare every mode with every other one.
    """
    path.write_text("BASE=1\n", encoding="utf-8")
    for i in range(modes):
        (path.parent / f"{path.name}.m{i}").write_text(f"K{i}=v\n", encoding="utf-8")
    return modes
