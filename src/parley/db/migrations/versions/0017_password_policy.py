"""Password expiry and history: when each password was set, and the recent hashes

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from parley.db.base import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("password_changed_at", UTCDateTime(timezone=True), nullable=True)
        )
    # Existing passwords count from the upgrade: none expires at once.
    op.execute(sa.text("UPDATE users SET password_changed_at = CURRENT_TIMESTAMP"))
    op.create_table(
        "password_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_password_history_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_history")),
    )
    op.create_index(
        op.f("ix_password_history_user_id_created_at"),
        "password_history",
        ["user_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_table("password_history")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("password_changed_at")
