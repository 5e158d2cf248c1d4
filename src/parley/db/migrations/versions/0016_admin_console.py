"""admin console: runtime organisation settings and archived groups

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

`organization.self_registration` and `organization.max_upload_mb` override the
environment's PARLEY_SELF_REGISTRATION / PARLEY_MAX_UPLOAD_BYTES when set (null: the
environment decides). `conversations.archived_at` marks a group an administrator
archived: it stays readable, nobody posts in it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from parley.db.base import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.add_column(sa.Column("self_registration", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("max_upload_mb", sa.Integer(), nullable=True))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("archived_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("archived_at")
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("max_upload_mb")
        batch.drop_column("self_registration")
