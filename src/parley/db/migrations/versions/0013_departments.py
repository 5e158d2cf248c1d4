"""departments: the tree, memberships with titles, department groups; a manager and a
time zone per user; the pinyin keys recomputed surname-aware

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from parley.db.base import UTCDateTime
from parley.users.pinyin import name_keys

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refill_name_keys(bind: sa.Connection) -> None:
    """The surname reading now comes first (users/pinyin.py); same set of variants."""
    users = bind.execute(sa.text("SELECT id, display_name FROM users")).all()
    params = []
    for user_id, display_name in users:
        keys = name_keys(display_name)
        params.append({"id": user_id, "pinyin": keys.pinyin, "initials": keys.initials})
    if params:
        bind.execute(
            sa.text(
                "UPDATE users SET name_pinyin = :pinyin, name_initials = :initials WHERE id = :id"
            ),
            params,
        )


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("head_id", sa.Uuid(), nullable=True),
        sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["head_id"],
            ["users.id"],
            name=op.f("fk_departments_head_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["departments.id"],
            name=op.f("fk_departments_parent_id_departments"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
    )
    op.create_index(op.f("ix_departments_parent_id"), "departments", ["parent_id"])
    op.create_table(
        "department_members",
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_department_members_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_department_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("department_id", "user_id", name=op.f("pk_department_members")),
    )
    op.create_index(op.f("ix_department_members_user_id"), "department_members", ["user_id"])
    op.create_table(
        "department_groups",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("department_id", sa.Uuid(), nullable=False),
        sa.Column("include_subtree", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_department_groups_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_department_groups_department_id_departments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conversation_id", name=op.f("pk_department_groups")),
    )
    op.create_index(
        op.f("ix_department_groups_department_id"), "department_groups", ["department_id"]
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("manager_id", sa.Uuid(), nullable=True))
        batch.add_column(
            sa.Column("time_zone", sa.String(length=64), server_default="", nullable=False)
        )
        batch.create_foreign_key(
            op.f("fk_users_manager_id_users"), "users", ["manager_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index(op.f("ix_users_manager_id"), ["manager_id"])
    _refill_name_keys(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_index(op.f("ix_users_manager_id"))
        batch.drop_constraint(op.f("fk_users_manager_id_users"), type_="foreignkey")
        batch.drop_column("time_zone")
        batch.drop_column("manager_id")
    op.drop_index(op.f("ix_department_groups_department_id"), table_name="department_groups")
    op.drop_table("department_groups")
    op.drop_index(op.f("ix_department_members_user_id"), table_name="department_members")
    op.drop_table("department_members")
    op.drop_index(op.f("ix_departments_parent_id"), table_name="departments")
    op.drop_table("departments")
