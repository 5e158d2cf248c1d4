"""search index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

One row per searchable (text) message in `message_search`: the columns search filters
on (conversation, seq for the member's join point, sender, date) and `terms`, the
index terms produced by `parley.messages.search_index.index_terms` (jieba tokens today,
keyed token hashes once encryption at rest lands). `id` is an integer ordering key that
never changes for a message, so "newest first" can walk the full-text index in rowid
order and stop at the page size instead of sorting every hit.

SQLite: `terms` is space-separated text, mirrored into the external-content FTS5 table
`message_search_fts` by triggers, so a plain INSERT/UPDATE/DELETE on `message_search`
(or an ON DELETE CASCADE from `messages`) keeps the full-text index in step.
PostgreSQL: `terms` is a tsvector built from the terms as given (no parser, which
mangles CJK under a C locale), under a GIN index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import parley.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE message_search_fts USING fts5("
    "terms, content='message_search', content_rowid='id', tokenize='unicode61', columnsize=0)"
)
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER message_search_ai AFTER INSERT ON message_search BEGIN
        INSERT INTO message_search_fts(rowid, terms) VALUES (new.id, new.terms);
    END""",
    """CREATE TRIGGER message_search_ad AFTER DELETE ON message_search BEGIN
        INSERT INTO message_search_fts(message_search_fts, rowid, terms)
        VALUES ('delete', old.id, old.terms);
    END""",
    """CREATE TRIGGER message_search_au AFTER UPDATE ON message_search BEGIN
        INSERT INTO message_search_fts(message_search_fts, rowid, terms)
        VALUES ('delete', old.id, old.terms);
        INSERT INTO message_search_fts(rowid, terms) VALUES (new.id, new.terms);
    END""",
)


def _create_table(terms_type: sa.types.TypeEngine) -> None:
    op.create_table(
        "message_search",
        # INTEGER PRIMARY KEY on SQLite (a rowid alias, stable across VACUUM).
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", parley.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("terms", terms_type, nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_search_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_search")),
        sa.UniqueConstraint("message_id", name=op.f("uq_message_search_message_id")),
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _create_table(sa.Text())
        op.execute(_SQLITE_FTS)
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)
    else:
        _create_table(postgresql.TSVECTOR())
        op.create_index(
            op.f("ix_message_search_terms"),
            "message_search",
            ["terms"],
            postgresql_using="gin",
        )
    # Filters that can be far more selective than the words: a page walks them newest
    # first instead of every match of a common word.
    op.create_index(
        op.f("ix_message_search_conversation_id_id"), "message_search", ["conversation_id", "id"]
    )
    op.create_index(op.f("ix_message_search_sender_id_id"), "message_search", ["sender_id", "id"])
    op.create_index(op.f("ix_message_search_created_at"), "message_search", ["created_at"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("message_search_au", "message_search_ad", "message_search_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS message_search_fts")
    op.drop_table("message_search")
