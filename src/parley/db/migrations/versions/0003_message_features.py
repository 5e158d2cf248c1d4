"""Message features: edits, recalls, reactions, pins, favorites, mentions, member settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parley.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = parley.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("target_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("edited_at", UTC, nullable=True))
        batch.add_column(sa.Column("recalled_at", UTC, nullable=True))
        batch.add_column(sa.Column("recalled_by", sa.Uuid(), nullable=True))
        batch.create_index(batch.f("ix_messages_target_id"), ["target_id"])
    with op.batch_alter_table("members") as batch:
        batch.add_column(
            sa.Column("muted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("pinned_at", UTC, nullable=True))
        batch.add_column(sa.Column("hidden_seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("draft", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "reactions",
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("emoji", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_reactions_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reactions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("message_id", "user_id", "emoji", name=op.f("pk_reactions")),
    )
    op.create_table(
        "pins",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("pinned_by", sa.Uuid(), nullable=False),
        sa.Column("pinned_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_pins_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_pins_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["pinned_by"], ["users.id"], name=op.f("fk_pins_pinned_by_users")),
        sa.PrimaryKeyConstraint("conversation_id", "message_id", name=op.f("pk_pins")),
    )
    op.create_table(
        "favorites",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_favorites_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_favorites_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "message_id", name=op.f("pk_favorites")),
    )
    op.create_index(op.f("ix_favorites_user_id_created_at"), "favorites", ["user_id", "created_at"])
    op.create_table(
        "message_mentions",
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_message_mentions_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_message_mentions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", "user_id", name=op.f("pk_message_mentions")),
    )
    op.create_index(
        op.f("ix_message_mentions_user_id_message_id"),
        "message_mentions",
        ["user_id", "message_id"],
    )


def downgrade() -> None:
    op.drop_table("message_mentions")
    op.drop_table("favorites")
    op.drop_table("pins")
    op.drop_table("reactions")
    with op.batch_alter_table("members") as batch:
        for column in ("draft", "hidden_seq", "pinned_at", "muted"):
            batch.drop_column(column)
    with op.batch_alter_table("messages") as batch:
        batch.drop_index(batch.f("ix_messages_target_id"))
        for column in ("recalled_by", "recalled_at", "edited_at", "target_id"):
            batch.drop_column(column)
