"""`factdb suggest`: drafting statements for unaccounted passages, and writing them."""
