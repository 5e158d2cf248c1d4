"""group permissions: per-group settings, muting one member, join requests

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

Existing groups keep today's behaviour: admins invite, pin and edit the info, anyone
may @all as far as the organisation allows, no approval, no limit, new members read
from their joining on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from parley.db.base import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ROLES = {
    "invite_role": "admin",
    "mention_all_role": "member",
    "pin_role": "admin",
    "edit_info_role": "admin",
}


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        for name, default in _ROLES.items():
            batch.add_column(
                sa.Column(name, sa.String(length=8), nullable=False, server_default=default)
            )
        batch.add_column(
            sa.Column("join_approval", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("max_members", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("history_visible", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("muted_until", UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "join_requests",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_join_requests_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_join_requests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["users.id"],
            name=op.f("fk_join_requests_invited_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("conversation_id", "user_id", name=op.f("pk_join_requests")),
    )


def downgrade() -> None:
    op.drop_table("join_requests")
    with op.batch_alter_table("members") as batch:
        batch.drop_column("muted_until")
    with op.batch_alter_table("conversations") as batch:
        for name in ("history_visible", "max_members", "join_approval", *_ROLES):
            batch.drop_column(name)
