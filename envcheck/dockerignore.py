"""``.dockerignore`` as Docker reads it: which files of a build context are left out.

Docker's rules (``moby/patternmatcher`` and its ``ignorefile`` reader, which
``docker build`` and BuildKit share), reproduced here so that envcheck can
tell whether a ``.env.local`` with secrets goes to the builder -- and from
there, with ``COPY . .``, into the image:

* a line starting with ``#`` is a comment; every other line is trimmed, and
  an empty one ignored;
* ``!`` in front makes an exception (a file that matched an earlier pattern
  is put back);
* each pattern is cleaned as Go's ``filepath.Clean`` cleans a path (``./``,
  a trailing ``/`` and a leading ``/`` go: the context root is ``/``);
* ``*`` is any run of characters but ``/``, ``?`` one such character,
  ``[...]`` a class, ``\\`` escapes; ``**`` is any number of directories
  (``**/.env``), and a pattern that ends in ``**`` matches everything under
  its prefix;
* a pattern starting with ``**`` and otherwise literal is a *suffix* match
  (``**.env`` excludes ``x.env``), as Docker's matcher special-cases it;
* the patterns are tried in order and the last one that applies wins; a
  file is also excluded when a pattern matches one of its parent directories.

Matching is by a dynamic programme over (pattern token, path position): linear in
the product of the two lengths, never the backtracking a translated regex can
fall into on a hostile ``**/**/**/…`` (``.dockerignore`` is checkout data).
BuildKit's per-Dockerfile ignore file (``Dockerfile.dockerignore`` next to the
Dockerfile) takes precedence over the context's ``.dockerignore``:
:func:`ignore_file_for`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from pathlib import Path

__all__ = ["DockerIgnore", "Pattern", "ignore_file_for", "parse"]

MAX_PATTERNS = 1000  # far above a real .dockerignore; a hostile one is cut
MAX_PATTERN_LENGTH = 512
MAX_PATTERN_TEXT = 32 * 1024  # all patterns together: matching costs their length x the path's

_EXACT, _PREFIX, _SUFFIX, _GLOB = "exact", "prefix", "suffix", "glob"
# Tokens of a glob pattern: a literal character, "?" (any but "/"), "*" (a run without "/"),
# "**/" or an inner "**" (empty, or anything ending in "/"), a final "**" (anything),
# and a class ("[", negated, ranges).
_ANY, _STAR, _DIRS, _ALL = "?", "*", "**/", "**"
Token = str | tuple[bool, tuple[tuple[str, str], ...]]


def _clean(pattern: str) -> str:
    """Go's ``filepath.Clean`` on a slash path (``posixpath.normpath`` keeps a leading ``//``)."""
    cleaned = posixpath.normpath(pattern) if pattern else "."
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


class Pattern:
    """One cleaned pattern: an exception (``!``) or not, and how it matches a path."""

    __slots__ = ("text", "exception", "kind", "tokens", "valid")

    def __init__(self, text: str, exception: bool) -> None:
        self.text = text
        self.exception = exception
        self.kind, self.tokens, self.valid = _compile(text)

    def matches(self, path: str) -> bool:
        if not self.valid:
            return False
        if self.kind == _EXACT:
            return path == self.text
        if self.kind == _PREFIX:
            return path.startswith(self.text[:-2])
        if self.kind == _SUFFIX:
            suffix = self.text[2:]
            return path.endswith(suffix) or (suffix.startswith("/") and path == suffix[1:])
        return _glob_match(self.tokens, path)


def _compile(pattern: str) -> tuple[str, list[Token], bool]:
    """Docker's ``Pattern.compile``: the match kind, and the tokens of a glob."""
    kind = _EXACT
    tokens: list[Token] = []
    i, n = 0, len(pattern)
    first = True
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 2
                if i < n and pattern[i] == "/":
                    i += 1
                if i >= n:  # "**" at the end: everything below
                    if kind == _EXACT:
                        kind = _PREFIX
                    else:
                        tokens.append(_ALL)
                        kind = _GLOB
                else:
                    tokens.append(_DIRS)
                    kind = _GLOB
                if first:
                    kind = _SUFFIX
                first = False
                continue
            tokens.append(_STAR)
            kind = _GLOB
        elif ch == "?":
            tokens.append(_ANY)
            kind = _GLOB
        elif ch == "\\":
            if i + 1 < n:
                i += 1
                tokens.append("\\" + pattern[i])  # an escaped literal
                kind = _GLOB
            else:
                tokens.append("\\\\")
        elif ch == "[":
            parsed = _class(pattern, i)
            if parsed is None:
                return _GLOB, [], False  # Docker refuses the pattern (and the build fails)
            token, i = parsed
            tokens.append(token)
            kind = _GLOB
            first = False
            continue
        elif ch == "]":  # a lone "]" is a literal to Go's regexp
            tokens.append("\\]")
            kind = _GLOB
        else:
            tokens.append("\\" + ch)
        first = False
        i += 1
    return kind, tokens, True


def _class(pattern: str, start: int) -> tuple[Token, int] | None:
    """``[...]`` at ``start``: (negated, ranges) and the index after ``]``; None if malformed."""
    i = start + 1
    negated = i < len(pattern) and pattern[i] == "^"
    if negated:
        i += 1
    ranges: list[tuple[str, str]] = []
    while i < len(pattern) and (pattern[i] != "]" or not ranges):
        low = pattern[i]
        if low == "\\" and i + 1 < len(pattern):
            i += 1
            low = pattern[i]
        elif low in "*?[":
            return None
        high = low
        if i + 2 < len(pattern) and pattern[i + 1] == "-" and pattern[i + 2] != "]":
            high = pattern[i + 2]
            i += 2
        ranges.append((low, high))
        i += 1
    if i >= len(pattern):
        return None
    return (negated, tuple(ranges)), i + 1


def _one(token: Token, ch: str) -> bool:
    """Whether a one-character token takes ``ch``."""
    if isinstance(token, tuple):
        negated, ranges = token
        inside = any(low <= ch <= high for low, high in ranges)
        return inside != negated
    if token == _ANY:
        return ch != "/"
    return token[1] == ch  # "\\c": the literal c


def _glob_match(tokens: list[Token], path: str) -> bool:
    """Whether the whole ``path`` matches: reachable[j] over path positions, token by token."""
    n = len(path)
    reachable = [False] * (n + 1)
    reachable[0] = True
    for token in tokens:
        after = [False] * (n + 1)
        if token == _STAR or token == _ALL:  # a run of characters (without "/" for "*")
            run = False
            for j in range(n + 1):
                run = reachable[j] or (run and (token == _ALL or path[j - 1] != "/"))
                after[j] = run
        elif token == _DIRS:  # nothing, or anything that ends with "/"
            seen = False
            for j in range(n + 1):
                after[j] = reachable[j] or (seen and path[j - 1] == "/")
                seen = seen or reachable[j]
        else:
            for j in range(n):
                if reachable[j] and _one(token, path[j]):
                    after[j + 1] = True
        reachable = after
        if not any(reachable):
            return False
    return reachable[n]


def parse(text: str) -> list[Pattern]:
    """The patterns of a ``.dockerignore``, as ``ignorefile.ReadAll`` and ``New`` clean them."""
    patterns: list[Pattern] = []
    budget = MAX_PATTERN_TEXT
    for number, line in enumerate(text.splitlines()):
        if number == 0:
            line = line.removeprefix("\ufeff")
        if line.startswith("#"):
            continue
        line = line.strip()
        if not line:
            continue
        exception = line.startswith("!")
        if exception:
            line = line[1:].strip()
        if not line or len(line) > MAX_PATTERN_LENGTH:
            continue  # "!" alone: Docker refuses the file; nothing to match here
        line = _clean(line)
        if len(line) > 1 and line.startswith("/"):
            line = line[1:]
        budget -= len(line)
        if budget < 0 or len(patterns) >= MAX_PATTERNS:
            break  # the rest is not read: a file this large is no hand-written ignore list
        patterns.append(Pattern(line, exception))
    return patterns


class DockerIgnore:
    """A parsed ``.dockerignore`` (``source``: where it came from, for messages)."""

    def __init__(self, patterns: Iterable[Pattern], source: str | None = None) -> None:
        self.patterns = list(patterns)
        self.source = source

    @classmethod
    def from_text(cls, text: str, source: str | None = None) -> DockerIgnore:
        return cls(parse(text), source)

    def excludes(self, path: str) -> bool:
        """Whether the context-relative slash ``path`` is left out of the build context.

        ``MatchesOrParentMatches``: the last applicable pattern decides; a
        pattern that matches a parent directory counts for the file.
        """
        path = _clean(path)
        if path == ".":
            return False
        parent = posixpath.dirname(path)
        parents = parent.split("/") if parent else []
        matched = False
        for pattern in self.patterns:
            if pattern.exception != matched:
                continue  # only an exception can change an excluded file, and vice versa
            hit = pattern.matches(path)
            if not hit and parents:
                hit = any(pattern.matches("/".join(parents[: i + 1])) for i in range(len(parents)))
            if hit:
                matched = not pattern.exception
        return matched


def ignore_file_for(context: Path, dockerfile: Path) -> Path:
    """The ignore file BuildKit reads for ``dockerfile``: ``<Dockerfile>.dockerignore`` beside
    it when there is one, else the context's ``.dockerignore`` (which may not exist)."""
    own = dockerfile.with_name(dockerfile.name + ".dockerignore")
    return own if own.is_file() else context / ".dockerignore"
