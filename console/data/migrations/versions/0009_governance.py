"""Governance: model, agency roles, posts, holders, reporting lines

Revision ID: 0009_governance
Revises: 0008_referrals
Create Date: 2026-12-03 22:42:45.862689
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_governance"
down_revision = "0008_referrals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "governance_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "program_owner",
                "budget_holder",
                "outcomes_owner",
                "supervision_contact",
                "other",
                name="post_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_governance_post_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_post")),
        sa.UniqueConstraint(
            "program_id", "title", name=op.f("uq_governance_post_program_id_title")
        ),
    )
    with op.batch_alter_table("governance_post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_governance_post_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "program_governance",
        sa.Column("program_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column(
            "model",
            sa.Enum(
                "city",
                "county",
                "regional",
                name="governance_model",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_program_governance_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_program_governance")),
    )
    op.create_table(
        "agency_responsibility",
        sa.Column("agency_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("responsibility", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_agency_responsibility_agency_id_agency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_agency_responsibility")),
    )
    op.create_table(
        "governance_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("reports_to_id", sa.Integer(), nullable=False),
        sa.Column("dotted", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "post_id <> reports_to_id", name=op.f("ck_governance_line_not_to_itself")
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["governance_post.id"],
            name=op.f("fk_governance_line_post_id_governance_post"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_governance_line_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reports_to_id"],
            ["governance_post.id"],
            name=op.f("fk_governance_line_reports_to_id_governance_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_line")),
        sa.UniqueConstraint(
            "post_id", "reports_to_id", name=op.f("uq_governance_line_post_id_reports_to_id")
        ),
    )
    with op.batch_alter_table("governance_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_line_post_id"), ["post_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_governance_line_program_id"), ["program_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_governance_line_reports_to_id"), ["reports_to_id"], unique=False
        )

    op.create_table(
        "governance_holder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rank", sa.String(length=40), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("sworn", sa.Boolean(), nullable=False),
        sa.Column("acting", sa.Boolean(), nullable=False),
        sa.Column("since_on", sa.Date(), nullable=False),
        sa.Column("until_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "until_on IS NULL OR until_on >= since_on",
            name=op.f("ck_governance_holder_until_after_since"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_governance_holder_agency_id_agency"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["governance_post.id"],
            name=op.f("fk_governance_holder_post_id_governance_post"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_governance_holder_staff_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_governance_holder")),
    )
    with op.batch_alter_table("governance_holder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_governance_holder_post_id"), ["post_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("governance_holder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_holder_post_id"))

    op.drop_table("governance_holder")
    with op.batch_alter_table("governance_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_line_reports_to_id"))
        batch_op.drop_index(batch_op.f("ix_governance_line_program_id"))
        batch_op.drop_index(batch_op.f("ix_governance_line_post_id"))

    op.drop_table("governance_line")
    op.drop_table("agency_responsibility")
    op.drop_table("program_governance")
    with op.batch_alter_table("governance_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_governance_post_program_id"))

    op.drop_table("governance_post")
