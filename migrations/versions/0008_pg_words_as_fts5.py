"""PostgreSQL's full-text search reads words as SQLite's FTS5 does, so both find the same hits.

SQLite: nothing changes (the revision keeps both engines at one number). PostgreSQL:

- words are runs of letters and digits, everything else separates them (FTS5's unicode61).
  PostgreSQL's parser read ``Lavrov’s`` and ``“looking`` as one word each in a database
  whose LC_CTYPE is C (any non-ASCII character is a letter there), ``2022-02-01`` as
  ``2022 -02 -01``, and host names and e-mail addresses whole. ``factdb_words(text)`` cuts
  the text into words first (a regular expression under a UTF-8 collation); the tsvector
  columns and the events' description index read it;
- stemming is the original Porter algorithm (FTS5's ``porter``), not Snowball's English
  (Porter2: ``certainly`` -> ``certain``), and without stop words (``the``, ``will`` and
  ``those`` are found, as in SQLite).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The word tokens 0004 maps to unaccent and the stemmer; words with digits (``covid19``) were
# left to ``simple`` (no accents removed, no stemming), where FTS5 stems them too.
WORD_TOKENS = "hword, hword_part, word, asciiword, asciihword, hword_asciipart"
NUMBER_WORDS = "numword, numhword, hword_numpart"
DESCRIPTION_AND_PLACE = "description || ' ' || coalesce(place, '')"
# Collations whose character classes know Unicode, in order of preference (the first the
# server has is used; without any, factdb_words leaves the text as it is).
UTF8_COLLATIONS = ("C.utf8", "C.UTF-8", "und-x-icu", "en_US.utf8", "en_US.UTF-8")


def _vectors(words: str) -> dict[str, str]:
    """Each table's tsvector, reading its text through ``words`` (a format string)."""
    return {
        "documents": f"setweight(to_tsvector('factdb', {words.format('title')}), 'A') || "
                     f"setweight(to_tsvector('factdb', {words.format('text')}), 'B')",
        "statements": f"to_tsvector('factdb', {words.format('quote')})",
        "events": "to_tsvector('factdb', "
                  f"{words.format(DESCRIPTION_AND_PLACE)})",
    }


def _remake(words: str, dictionary: str, numbers: str) -> None:
    """Map the word tokens to (unaccent and) ``dictionary``, words with digits to
    ``numbers``, and make the tsvector columns and the description index read ``words``."""
    schema = op.get_bind().exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'unaccent'").scalar()
    for tokens, last in ((WORD_TOKENS, dictionary), (NUMBER_WORDS, numbers)):
        chain = f"{schema}.unaccent, {last}" if schema and last != "simple" else last
        op.execute(f"ALTER TEXT SEARCH CONFIGURATION factdb ALTER MAPPING FOR {tokens} "
                   f"WITH {chain}")
    for table, vector in _vectors(words).items():
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_words_fts")
        op.execute(f"ALTER TABLE {table} DROP COLUMN words_fts")
        op.execute(f"ALTER TABLE {table} ADD COLUMN words_fts tsvector "
                   f"GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"CREATE INDEX ix_{table}_words_fts ON {table} USING gin (words_fts)")
    op.execute("DROP INDEX IF EXISTS ix_events_description_fts")
    op.execute("CREATE INDEX ix_events_description_fts ON events "
               f"USING gin (to_tsvector('factdb', {words.format('description')}))")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    collation = op.get_bind().exec_driver_sql(
        "SELECT collname FROM pg_collation WHERE collname = ANY(%(names)s) "
        "AND collencoding IN (-1, 6) AND pg_char_to_encoding('UTF8') = "
        "(SELECT encoding FROM pg_database WHERE datname = current_database()) "
        "ORDER BY array_position(%(names)s, collname) LIMIT 1",
        {"names": list(UTF8_COLLATIONS)}).scalar()
    body = (f"regexp_replace(value COLLATE \"{collation}\", '[^[:alnum:]]+', ' ', 'g')"
            if collation else "value")
    op.execute("CREATE FUNCTION factdb_words(value text) RETURNS text LANGUAGE sql IMMUTABLE "
               f"PARALLEL SAFE AS $$ SELECT {body} $$")
    op.execute("CREATE TEXT SEARCH DICTIONARY factdb_porter "
               "(TEMPLATE = snowball, Language = porter)")
    _remake("factdb_words({})", "factdb_porter", "factdb_porter")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _remake("{}", "english_stem", "simple")
    op.execute("DROP TEXT SEARCH DICTIONARY factdb_porter")
    op.execute("DROP FUNCTION factdb_words(text)")
