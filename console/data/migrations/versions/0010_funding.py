"""Funding: budget lines, funding sources, funded positions, unit costs

Revision ID: 0010_funding
Revises: 0009_governance
Create Date: 2026-12-03 22:41:07.851537
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_funding"
down_revision = "0009_governance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budget_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "personnel",
                "training",
                "vehicles",
                "other",
                name="budget_category",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("amount_cents >= 0", name=op.f("ck_budget_line_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_budget_line_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_line")),
    )
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_line_program_id"), ["program_id"], unique=False)

    op.create_table(
        "funding_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "general_fund",
                "county",
                "state",
                "grant",
                "partner",
                name="funding_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("annual_cents", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column(
            "renewal",
            sa.Enum(
                "none",
                "pending",
                "renewed",
                "denied",
                name="renewal_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("annual_cents >= 0", name=op.f("ck_funding_source_amount_not_negative")),
        sa.CheckConstraint(
            "end_on IS NULL OR end_on >= start_on", name=op.f("ck_funding_source_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_funding_source_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_source")),
        sa.UniqueConstraint("program_id", "name", name=op.f("uq_funding_source_program_id_name")),
    )
    with op.batch_alter_table("funding_source", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_funding_source_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "unit_cost",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ed_visit",
                "inpatient_day",
                "jail_booking",
                "officer_hour",
                "ambulance_transport",
                name="unit_cost_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_unit_cost_amount_positive")),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_unit_cost_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_cost")),
        sa.UniqueConstraint("program_id", "kind", name=op.f("uq_unit_cost_program_id_kind")),
    )
    with op.batch_alter_table("unit_cost", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_cost_program_id"), ["program_id"], unique=False)

    op.create_table(
        "funded_position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("share_percent", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "share_percent > 0 AND share_percent <= 100",
            name=op.f("ck_funded_position_share_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_funded_position_position_id_position"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["funding_source.id"],
            name=op.f("fk_funded_position_source_id_funding_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funded_position")),
        sa.UniqueConstraint(
            "source_id", "position_id", name=op.f("uq_funded_position_source_id_position_id")
        ),
    )
    with op.batch_alter_table("funded_position", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_funded_position_position_id"), ["position_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_funded_position_source_id"), ["source_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("funded_position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funded_position_source_id"))
        batch_op.drop_index(batch_op.f("ix_funded_position_position_id"))

    op.drop_table("funded_position")
    with op.batch_alter_table("unit_cost", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unit_cost_program_id"))

    op.drop_table("unit_cost")
    with op.batch_alter_table("funding_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_source_program_id"))

    op.drop_table("funding_source")
    with op.batch_alter_table("budget_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_line_program_id"))

    op.drop_table("budget_line")
