"""full-text search over material: FTS5 on SQLite, a tsvector column with GIN on PostgreSQL

Revision ID: 0014
Revises: 0007 (depends on 0006)
Create Date: 2026-11-23 21:40:00.000000
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
# It changes 0006's table, which lies on another branch.
depends_on: str | Sequence[str] | None = '0006'

# Kept here, not imported: a migration must not change when the application's code does.
WORD = re.compile(r"[^\W_]+")


def _dictionary(column: str) -> str:
    """The network's own stemmer (da/sv/en) plus 'simple', so names and codes match as written."""
    stemmed = (
        f"CASE language WHEN 'da' THEN to_tsvector('danish'::regconfig, {column}) "
        f"WHEN 'sv' THEN to_tsvector('swedish'::regconfig, {column}) "
        f"WHEN 'en' THEN to_tsvector('english'::regconfig, {column}) "
        "ELSE ''::tsvector END"
    )
    return f"{stemmed} || to_tsvector('simple'::regconfig, {column})"


SQLITE_FTS = [
    # External content: the words live in material.title/search_text, FTS5 keeps the index.
    # The repository indexes new rows (an insert trigger would read FTS5 before the insert holds
    # the write lock, and concurrent inserts would fail); changes and deletions use triggers.
    "CREATE VIRTUAL TABLE material_fts USING fts5(title, search_text, content='material', "
    "content_rowid='id', tokenize=\"unicode61 remove_diacritics 0\")",
    "CREATE TRIGGER material_fts_delete AFTER DELETE ON material BEGIN "
    "INSERT INTO material_fts(material_fts, rowid, title, search_text) "
    "VALUES ('delete', old.id, old.title, old.search_text); END",
    "CREATE TRIGGER material_fts_update AFTER UPDATE OF title, search_text ON material BEGIN "
    "INSERT INTO material_fts(material_fts, rowid, title, search_text) "
    "VALUES ('delete', old.id, old.title, old.search_text); "
    "INSERT INTO material_fts(rowid, title, search_text) "
    "VALUES (new.id, new.title, new.search_text); END",
    "INSERT INTO material_fts(material_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language', sa.String(length=5), server_default='', nullable=False)
        )
    bind = op.get_bind()
    # The search text becomes plain words (separators, URLs' punctuation and '%' dropped).
    rows = bind.execute(sa.text('SELECT id, search_text FROM material')).all()
    for row_id, text in rows:
        words = " ".join(WORD.findall(str(text).casefold()))
        bind.execute(
            sa.text('UPDATE material SET search_text = :t WHERE id = :i'), {"t": words, "i": row_id}
        )
    bind.execute(
        sa.text(
            'UPDATE material SET language = '
            '(SELECT networks.language FROM networks WHERE networks.id = material.network_id)'
        )
    )
    if bind.dialect.name == 'postgresql':
        vector = (
            f"setweight({_dictionary('title')}, 'A') || setweight({_dictionary('search_text')}, 'D')"
        )
        op.execute(
            f"ALTER TABLE material ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({vector}) STORED"
        )
        op.execute('CREATE INDEX ix_material_search_vector ON material USING gin (search_vector)')
    elif bind.dialect.name == 'sqlite':
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute('DROP INDEX ix_material_search_vector')
        op.execute('ALTER TABLE material DROP COLUMN search_vector')
    elif bind.dialect.name == 'sqlite':
        for name in ('delete', 'update'):
            op.execute(f'DROP TRIGGER material_fts_{name}')
        op.execute('DROP TABLE material_fts')
    with op.batch_alter_table('material', schema=None) as batch_op:
        batch_op.drop_column('language')
