"""Archive until new activity, measured by time rather than by seq

A member's archive mark becomes the moment they archived: reactions, pins and edits take
a seq but are not activity, so they must not bring an archived conversation back.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parley.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("hidden_at", parley.db.base.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE members SET hidden_at = (SELECT last_activity_at FROM conversations"
        " WHERE conversations.id = members.conversation_id) WHERE hidden_seq IS NOT NULL"
    )
    with op.batch_alter_table("members") as batch:
        batch.drop_column("hidden_seq")


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("hidden_seq", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE members SET hidden_seq = (SELECT last_seq FROM conversations"
        " WHERE conversations.id = members.conversation_id) WHERE hidden_at IS NOT NULL"
    )
    with op.batch_alter_table("members") as batch:
        batch.drop_column("hidden_at")
