"""login throttle counters and security alerts

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

Failed logins were counted on the user row after the password check, so parallel
attempts all passed, and one counter per account let anyone lock anyone out. Counters
now live in their own table, per (name, address), per address and per name, and are
taken before the check (security/login_policy.py). The user row's `failed_logins` and
`last_failed_login_at` are no longer read by login.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from parley.db.base import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("allowed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("reset_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_index(op.f("ix_login_throttle_reset_at"), "login_throttle", ["reset_at"])
    op.create_table(
        "security_alerts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("login", sa.String(length=254), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_security_alerts_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_alerts")),
    )


def downgrade() -> None:
    op.drop_table("security_alerts")
    op.drop_index(op.f("ix_login_throttle_reset_at"), table_name="login_throttle")
    op.drop_table("login_throttle")
