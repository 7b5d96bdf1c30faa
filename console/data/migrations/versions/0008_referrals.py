"""Referrals and the provider network: providers, referrals, follow-up contacts

Revision ID: 0008_referrals
Revises: 0007_schedule
Create Date: 2026-12-03 22:35:58.472795
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import sqlite

revision = "0008_referrals"
down_revision = "0007_schedule"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("catchment", sa.Text(), nullable=False),
        sa.Column("contacts", sa.Text(), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("after_hours", sa.Boolean(), nullable=False),
        sa.Column(
            "vetting",
            sa.Enum(
                "not_vetted",
                "vetted",
                "lapsed",
                "suspended",
                name="vetting_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("vetted_on", sa.Date(), nullable=True),
        sa.Column("vetted_by", sa.String(length=80), nullable=True),
        sa.Column("mou_signed_on", sa.Date(), nullable=True),
        sa.Column("mou_renewal_due", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_provider_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider")),
        sa.UniqueConstraint("program_id", "name", name=op.f("uq_provider_program_id_name")),
    )
    op.create_table(
        "referral",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "warm_handoff",
                "information_only",
                name="referral_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "referred_at", sa.DateTime().with_variant(sqlite.DATETIME(), "sqlite"), nullable=False
        ),
        sa.Column("contact_made", sa.Boolean(), nullable=True),
        sa.Column("contact_attempts", sa.Integer(), nullable=False),
        sa.Column(
            "first_service_at",
            sa.DateTime().with_variant(sqlite.DATETIME(), "sqlite"),
            nullable=True,
        ),
        sa.Column(
            "result",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                "no_show",
                name="referral_result",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("outcome_notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("contact_attempts >= 0", name=op.f("ck_referral_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["call_id"], ["call.id"], name=op.f("fk_referral_call_id_call"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_referral_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_referral_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_referral_provider_id_provider"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_referral_staff_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral")),
        sa.UniqueConstraint("call_id", "provider_id", name=op.f("uq_referral_call_id_provider_id")),
    )
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_referred_at"), ["referred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_referral_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "follow_up_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column(
            "contacted_at", sa.DateTime().with_variant(sqlite.DATETIME(), "sqlite"), nullable=False
        ),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referral.id"],
            name=op.f("fk_follow_up_contact_referral_id_referral"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_follow_up_contact_staff_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_contact")),
    )
    with op.batch_alter_table("follow_up_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_contact_referral_id"), ["referral_id"], unique=False
        )




def downgrade() -> None:

    with op.batch_alter_table("follow_up_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_contact_referral_id"))

    op.drop_table("follow_up_contact")
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_staff_id"))
        batch_op.drop_index(batch_op.f("ix_referral_referred_at"))
        batch_op.drop_index(batch_op.f("ix_referral_provider_id"))
        batch_op.drop_index(batch_op.f("ix_referral_program_id"))
        batch_op.drop_index(batch_op.f("ix_referral_person_id"))

    op.drop_table("referral")
    op.drop_table("provider")

