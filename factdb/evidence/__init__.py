"""Evidence in a text: locating words, passages, and names."""
