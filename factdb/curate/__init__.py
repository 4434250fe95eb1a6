"""Curator tools over a seeds folder: check, locate, coverage, explain."""
