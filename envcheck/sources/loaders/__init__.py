"""Loaders: how one framework or runtime finds env files and combines them.

One module per family of tools, each exposing ``load_<name>(parsed,
process_env, *, mode) -> LoadResult``: the files that exist, already parsed
by the profile's reader, highest priority first, combined with the process
environment with that tool's precedence and expansion.  Profiles
(``envcheck.sources.profiles``) name a loader as ``"module:function"``, so a
loader is imported only when its profile is used.
"""
