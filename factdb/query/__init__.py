"""Asking the database: the canned-query registry, running queries, ad hoc SQL, output."""
