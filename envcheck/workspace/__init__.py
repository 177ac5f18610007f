"""Workspaces (monorepos): find the apps under a root and run every command per app.

:mod:`.markers` answers "is this a workspace root?" with a few ``stat`` calls
(it is on every command's cold path); :mod:`.discover` lists the apps;
:mod:`.sources` adds the files an app reads from outside its folder
(``dotenv -e ../../.env``, a settings class's ``env_file="../.env"``);
:mod:`.run` checks the apps in parallel and merges their reports;
:mod:`.hook` is the decorator that sends a command there.
"""
