"""Database objects the migrations create by hand for one database: the trigram indexes of the
names and of the sources' titles, and PostgreSQL's data version for the response cache.

SQLite: the FTS5 tables ``entity_names_fts`` (trigram tokenizer; the keys, migration 0003),
``entity_names_fts_name`` (the names as written, case folded, for the lists' name filter,
migration 0010) and ``sources_fts`` (the sources' titles and publishers, migration 0011), their
shadow tables, kept in step by triggers. PostgreSQL: GIN indexes with ``gin_trgm_ops`` from
pg_trgm (migrations 0003, 0010 and 0011), and C-collated B-tree indexes for prefix ranges
(migration 0005). The models do not describe them, so autogenerate and the schema tests must
not count them as drift.
"""

from typing import Any

FTS_TABLES = ("entity_names_fts", "sources_fts")  # and their shadow tables, by prefix
TRIGRAM_INDEXES = {
    "ix_entity_names_key_trgm",
    "ix_entity_names_skeleton_trgm",
    "ix_entity_names_name_trgm",  # lower(name), migration 0010
    "ix_sources_title_trgm",  # lower() of each, migration 0011
    "ix_sources_translated_title_trgm",
    "ix_sources_publisher_trgm",
}
PREFIX_INDEXES = {"ix_entity_names_key_c", "ix_entity_names_skeleton_c"}  # PostgreSQL, 0005
DATA_VERSION = "data_version"  # PostgreSQL only, for the response cache (migration 0004)


def is_search_index(name: str | None) -> bool:
    """True for the tables and indexes above, which only the migrations know."""
    return bool(name) and (
        str(name).startswith(FTS_TABLES)
        or name in TRIGRAM_INDEXES | PREFIX_INDEXES
        or name == DATA_VERSION
    )


def include_object(
    _object: Any, name: str | None, _type: str, reflected: bool, _compare_to: Any
) -> bool:
    """Alembic's filter: leave the search indexes, which exist only in the database, alone."""
    return not (reflected and is_search_index(name))
