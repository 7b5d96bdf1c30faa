"""Activation criteria versions and their entries

Revision ID: 0011_criteria
Revises: 0010_funding
Create Date: 2026-12-03 22:41:07.603872
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import sqlite

revision = "0011_criteria"
down_revision = "0010_funding"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "criteria_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.String(length=120), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("policy_reference", sa.String(length=120), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column(
            "applied_at", sa.DateTime().with_variant(sqlite.DATETIME(), "sqlite"), nullable=True
        ),
        sa.Column("applied_by", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_criteria_version_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria_version")),
        sa.UniqueConstraint("program_id", "name", name=op.f("uq_criteria_version_program_id_name")),
    )
    with op.batch_alter_table("criteria_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criteria_version_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "criteria_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("call_type", sa.String(length=80), nullable=False),
        sa.Column("in_scope", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["criteria_version.id"],
            name=op.f("fk_criteria_entry_version_id_criteria_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria_entry")),
        sa.UniqueConstraint(
            "version_id", "call_type", name=op.f("uq_criteria_entry_version_id_call_type")
        ),
    )
    with op.batch_alter_table("criteria_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_criteria_entry_version_id"), ["version_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("criteria_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criteria_entry_version_id"))

    op.drop_table("criteria_entry")
    with op.batch_alter_table("criteria_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_criteria_version_program_id"))

    op.drop_table("criteria_version")
