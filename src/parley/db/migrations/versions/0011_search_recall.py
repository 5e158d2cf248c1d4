"""search recall: Chinese bigrams in the message index, pinyin keys of names

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-03

Two changes that existing rows must catch up with, done here so that upgrading is the
only step (`parley migrate`, or `parley serve`, which migrates on start):

* `message_search.terms` of every indexed message is recomputed with today's
  `search_index.index_terms` (jieba words plus the bigrams of Chinese runs), in batches
  of 2,000 entries; on SQLite the update triggers refresh the FTS5 table. It takes about
  as long as indexing did (bench/README.md: thousands of messages a second).
* `users.name_pinyin` / `users.name_initials` (the directory's pinyin keys) are added
  and filled from each display name (users/pinyin.py).

Downgrading drops the columns; the index keeps its bigrams, which older code ignores
(no query of it ever names a marked bigram).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from parley.messages.search_index import index_terms
from parley.users.pinyin import name_keys

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2_000
_PAGE = sa.text(
    "SELECT s.id, m.text FROM message_search AS s JOIN messages AS m ON m.id = s.message_id "
    "WHERE s.id > :after ORDER BY s.id LIMIT :limit"
)


def _reindex_messages(bind: sa.Connection) -> None:
    sqlite = bind.dialect.name == "sqlite"
    update = sa.text(
        "UPDATE message_search SET terms = "
        + (":terms" if sqlite else "array_to_tsvector(:terms)")
        + " WHERE id = :id"
    )
    if not sqlite:
        update = update.bindparams(sa.bindparam("terms", type_=postgresql.ARRAY(sa.Text())))
    after = 0
    while rows := bind.execute(_PAGE, {"after": after, "limit": _BATCH}).all():
        params = []
        for entry_id, text in rows:
            terms = index_terms(text or "")
            if terms:  # an entry without words never exists; keep it as it is if so
                params.append({"id": entry_id, "terms": " ".join(terms) if sqlite else terms})
        if params:
            bind.execute(update, params)
        after = rows[-1][0]


def _fill_name_keys(bind: sa.Connection) -> None:
    users = bind.execute(sa.text("SELECT id, display_name FROM users")).all()
    update = sa.text(
        "UPDATE users SET name_pinyin = :pinyin, name_initials = :initials WHERE id = :id"
    )
    params = []
    for user_id, display_name in users:
        keys = name_keys(display_name)
        if keys.pinyin:
            params.append({"id": user_id, "pinyin": keys.pinyin, "initials": keys.initials})
    if params:
        bind.execute(update, params)


def upgrade() -> None:
    op.add_column("users", sa.Column("name_pinyin", sa.Text(), nullable=False, server_default=""))
    op.add_column("users", sa.Column("name_initials", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    _fill_name_keys(bind)
    _reindex_messages(bind)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("name_initials")
        batch.drop_column("name_pinyin")
