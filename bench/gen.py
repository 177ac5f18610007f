"""Generate realistic ``.env`` files of a given line count for the throughput benchmark.

A real env file is not ``K=V`` repeated: it mixes comments, blank lines,
quoted values, ``export``, inline comments, ``${VAR}`` references to earlier
keys and multi-line quoted values (certificates).  Every dialect envcheck
models reads this mix the same way, so all tools do the same work.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BLOCK_LINES", "block", "write_env"]


def block(n: int) -> str:
    """One service's settings: 16 lines of the usual shapes, keys unique per ``n``."""
    p = f"SVC{n}"
    return (
        f"# --- service {n} ---\n"
        f"{p}_NAME=service-{n}\n"
        f"{p}_HOST=host-{n}.internal\n"
        f"{p}_PORT={8000 + n % 1000}\n"
        f"{p}_URL=http://${{{p}_HOST}}:${{{p}_PORT}}/v1\n"
        f'{p}_TITLE="Service {n}, the quoted one"\n'
        f"{p}_LABEL='single quoted {n}'\n"
        f"export {p}_DEBUG=false\n"
        f"{p}_NOTE=plain value {n} # an inline comment\n"
        f"{p}_FALLBACK=${{{p}_MISSING:-default-{n}}}\n"
        f'{p}_CERT="-----BEGIN CERTIFICATE-----\n'
        f"MIIB{n:08d}QWERTYUIOPASDFGHJKL\n"
        f"ZXCVBNM{n:08d}poiuytrewqlkjhg\n"
        f'-----END CERTIFICATE-----"\n'
        f"{p}_TIMEOUT=30\n"
        "\n"
    )


BLOCK_LINES = block(0).count("\n")


def write_env(path: Path, lines: int) -> int:
    """Write about ``lines`` lines (whole blocks) to ``path``; return the exact count."""
    blocks = max(1, round(lines / BLOCK_LINES))
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for start in range(0, blocks, 1000):
            fh.write("".join(block(n) for n in range(start, min(blocks, start + 1000))))
    return blocks * BLOCK_LINES
