"""The one filter between text from untrusted places and a terminal or a CI log.

Keys, value fragments, file names and server messages come from files
envcheck did not write (a cloned repository, a pull request) and from API
responses.  Printed raw, they could move the cursor or rewrite lines (ANSI
CSI/OSC escapes, ``\\r``, backspace), hide or reorder text (Unicode bidi
overrides, zero-width characters), or, in a GitHub Actions log, start a
workflow command of their own (a line beginning with ``::``: fake
annotations, ``::add-mask::``, ``::stop-commands::``).

:func:`for_terminal` shows every such character as an escape a reader can
see and nothing interprets: ``\\x1b``, ``\\r``, ``\\u202e``, ``\\U000e0041``.
Printable text, non-ASCII letters included (``CLÉ``), passes unchanged, so
keys stay exact and readable.  :func:`for_github` adds GitHub's own
escaping of the data and property parts of a workflow command.

JSON and SARIF output do not come here: they are data, exact by contract,
and their encoders escape what their syntax needs.
"""

from __future__ import annotations

__all__ = ["for_terminal", "for_github", "for_github_property"]

# Printable by Python's definition yet invisible or used to spoof: Hangul
# fillers, the combining grapheme joiner, the Braille blank, Mongolian vowel
# separator (now Cf in some versions), and variation selectors.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _unsafe(ch: str) -> bool:
    """Anything a terminal or a viewer may interpret or not show: controls, Cf, Zl/Zp, ..."""
    return (not ch.isprintable() and ch != " ") or ch in _INVISIBLE or ch >= "\U000e0000"


class _Escaped(dict[int, str]):
    """A ``str.translate`` table worked out per character on first sight: each character
    as :func:`_escape` shows it if :func:`_unsafe`, else itself.  A text with a line
    break (a certificate) is then escaped by C lookups, not a Python test per character.
    Holds at most :data:`_REMEMBERED` characters (a hostile file may use many)."""

    __slots__ = ("keep_newlines",)

    def __init__(self, keep_newlines: bool) -> None:
        super().__init__()
        self.keep_newlines = keep_newlines

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        shown = _escape(ch) if _unsafe(ch) and not (self.keep_newlines and ch == "\n") else ch
        if len(self) < _REMEMBERED:
            self[code] = shown
        return shown


_REMEMBERED = 4096
_ESCAPES = _Escaped(keep_newlines=False)
_KEEPING_NEWLINES = _Escaped(keep_newlines=True)


def _printable_and_visible(printable: str) -> bool:
    """Whether a text that ``isprintable()`` has no character :func:`_unsafe` still
    escapes (an invisible filler, a supplementary variation selector): the per-character
    test of a whole text, in C."""
    return _INVISIBLE.isdisjoint(printable) and max(printable) < "\U000e0000"


def for_terminal(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with everything a terminal would interpret (or hide) shown as an escape.

    Escaped: C0 and C1 controls (ESC starts CSI/OSC sequences, so no escape
    sequence survives), DEL, ``\\r``, ``\\t``, Unicode format characters
    (bidi embeddings/overrides/isolates, zero-width space/joiners, BOM, tag
    characters), line/paragraph separators, lone surrogates (from undecodable
    bytes), unassigned and private-use code points, and a few printable but
    invisible fillers.  ``\\n`` is escaped too unless ``keep_newlines`` (for a
    block already made of sanitised fields).  A line that would begin with
    ``::`` starts with ``\\x3a:`` instead, so no CI runner reads it as a
    workflow command.
    """
    if text.isprintable() and (text.isascii() or _printable_and_visible(text)):
        clean = text  # the common case, a masked value's "…" included: C calls only
    else:
        clean = text.translate(_KEEPING_NEWLINES if keep_newlines else _ESCAPES)
    if "::" in clean:
        clean = _no_command(clean)
    return clean


def _no_command(text: str) -> str:
    """Defuse ``::`` at the start of any line (leading blanks allowed, as GitHub does)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        body = line.lstrip(" ")
        if body.startswith("::"):
            lines[i] = line[: len(line) - len(body)] + "\\x3a" + body[1:]
    return "\n".join(lines)


def for_github(text: str) -> str:
    """The message part of a workflow command: terminal-safe, then GitHub's ``escapeData``.

    ``%``, ``\\r`` and ``\\n`` become ``%25``, ``%0D`` and ``%0A`` (line breaks
    kept that way render in the annotation, and cannot end the command).
    """
    safe = for_terminal(text, keep_newlines=True) if "\r" not in text else _keep_cr(text)
    return safe.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _keep_cr(text: str) -> str:
    """:func:`for_terminal` of ``text`` with its CRs left for GitHub's own ``%0D``."""
    return "\r".join(for_terminal(part, keep_newlines=True) for part in text.split("\r"))


def for_github_property(text: str) -> str:
    """A property value (``file=``, ``title=``): :func:`for_github` plus ``:`` and ``,``."""
    return for_github(text).replace(":", "%3A").replace(",", "%2C")
