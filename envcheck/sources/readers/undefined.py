"""The words of an ``undefined-variable`` note, shared by every expander.

Every framework's expander replaces a reference to a variable defined
nowhere with an empty string, silently; the note says so and what the app
gets instead.  The referenced names are part of the value: in
``DB_PASSWORD=pa$word123`` the "name" ``word123`` is most of the password,
so for a key that holds a secret (by name or by shape) only their count is
told.
"""

from __future__ import annotations

from collections.abc import Iterable

from envcheck.secret import is_secret_name, looks_like_key

__all__ = ["undefined_message"]


def undefined_message(
    key: str,
    raw: str,
    names: Iterable[str],
    tool: str,
    where: str = "in the env files nor in the process environment",
) -> str:
    """``key`` (written as ``raw``) refers to ``names``, defined nowhere; ``tool`` expands it.

    ``where`` says where ``tool`` looks names up, after "set neither".
    """
    found = list(dict.fromkeys(names))
    if is_secret_name(key) or looks_like_key(raw):
        many = len(found) > 1
        refs = f"{len(found)} references to variables" if many else "a reference to a variable"
        what = f"{refs} (a '$' in the value reads as one)"
    else:
        what = ", ".join(f"${{{n}}}" for n in found[:5])
        what += f" and {len(found) - 5} more" if len(found) > 5 else ""
    each = "each" if len(found) > 1 else "it"
    return (
        f"{key} uses {what} that is set neither {where}: {tool} replaces {each} with an "
        "empty string, so the app gets the value with that part removed"
    )
