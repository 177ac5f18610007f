"""A command started at a workspace root, run for every app and merged into one output.

:mod:`.hook` is the decorator that sends a command here; :mod:`.run` runs
it once per app; :mod:`.pool` bounds the parallel runs; :mod:`.merge`
turns the apps' outcomes into one output and one exit code.  Below it,
:mod:`envcheck.workspace` knows the apps; this package only runs them.
"""
