"""Profile pictures, contact fields on the profile card, and which of them colleagues see

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        # No foreign key: files.uploader_id already points at users, and the avatar is
        # looked up by this column (index), never joined the other way.
        batch.add_column(sa.Column("avatar_file_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("phone", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("employee_no", sa.String(32), nullable=False, server_default=""))
        batch.create_index(batch.f("ix_users_avatar_file_id"), ["avatar_file_id"])
    with op.batch_alter_table("organization") as batch:
        batch.add_column(sa.Column("profile_fields", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organization") as batch:
        batch.drop_column("profile_fields")
    with op.batch_alter_table("users") as batch:
        batch.drop_index(batch.f("ix_users_avatar_file_id"))
        batch.drop_column("employee_no")
        batch.drop_column("phone")
        batch.drop_column("avatar_file_id")
