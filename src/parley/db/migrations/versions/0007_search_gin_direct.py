"""search index: GIN entries written directly (PostgreSQL)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

With GIN's default `fastupdate`, new entries collect in a pending list that the insert
which finds it over `gin_pending_list_limit` (4 MB) merges into the index itself: about
every 60,000 messages one send batch stalled for 171 ms in a single INSERT into
`message_search` (PostgreSQL's statement log during the steady-chat bench, the only
statement over 25 ms in that run). Written directly, each insert pays a little more and
none pays for everyone. SQLite has no such index: nothing to do there.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_message_search_terms"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX {_INDEX} SET (fastupdate = off)")
        # Entries already pending stay pending until merged: merge them now.
        op.execute(f"SELECT gin_clean_pending_list('{_INDEX}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX {_INDEX} RESET (fastupdate)")
