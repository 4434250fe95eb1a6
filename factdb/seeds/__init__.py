"""Seed files: their format, strict YAML reading, and loading a seeds folder into rows."""
