"""factdb: curated facts from news coverage in a migrated SQLite database."""
