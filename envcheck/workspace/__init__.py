"""Workspaces (monorepos) as data: the apps under a root and what each reads.

:mod:`.markers` answers "is this a workspace root?" with a few ``stat`` calls
(it is on every command's cold path); :mod:`.discover` lists the apps;
:mod:`.apps` tells apps from libraries; :mod:`.sources` adds the files an
app reads from outside its folder (``dotenv -e ../../.env``, a settings
class's ``env_file="../.env"``); :mod:`.context` is the root schema an app
without one falls back to.  Running a command for every app is
:mod:`envcheck.fanout`, a layer above the engine.
"""
