"""One module per CLI command; ``envcheck.cli`` imports each only when it runs."""
