"""What the app needs from its environment: the schema, its sources and its checks.

Importing this package imports only the data model; the loaders, pydantic
and pydantic-settings are imported by the functions that need them.
"""

from __future__ import annotations

from envcheck.schema.model import TYPES, KeySpec, Schema

__all__ = ["TYPES", "KeySpec", "Schema", "load_schema"]


def __getattr__(name: str) -> object:
    if name == "load_schema":
        from envcheck.schema.load import load_schema

        return load_schema
    raise AttributeError(name)
