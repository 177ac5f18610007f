"""Rules: stable codes, names, docs, and the checks that emit findings."""
