"""Where values come from: dialect parsers, framework profiles, resolution."""
