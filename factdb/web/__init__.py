"""Datasette: the site configuration and factdb's plugin."""
