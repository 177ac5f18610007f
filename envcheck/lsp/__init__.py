"""``envcheck lsp``: the checks of ``envcheck check`` in the editor, over LSP.

:mod:`envcheck.lsp.analysis` turns a project plus the editor's unsaved
buffers into findings, hovers, completions, fixes and definitions (plain
envcheck data, no protocol); :mod:`envcheck.lsp.server` speaks LSP with
pygls; :mod:`envcheck.lsp.command` is the click command.  Nothing here is
imported unless ``envcheck lsp`` runs (pygls and lsprotocol are the
optional extra ``envcheck[lsp]``).
"""
