"""Curator tools over a seeds folder: check, locate, coverage, explain, and the add, suggest
and diff sub-packages."""
