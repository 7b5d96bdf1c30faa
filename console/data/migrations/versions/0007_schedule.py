"""Schedule: training and court days, minimum staffing per hour band and role, the
credentials a shift needs, shift trades, published roster versions, shift templates

Revision ID: 0007_schedule
Revises: 0006_people
Create Date: 2026-12-03 20:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_schedule"
down_revision = "0006_people"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duty_away",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("training", "court", name="duty_away_kind", native_enum=False,
                    create_constraint=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_member.id"],
                                name=op.f("fk_duty_away_staff_id_staff_member"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_away")),
        sa.UniqueConstraint("staff_id", "day", name=op.f("uq_duty_away_staff_id_day")),
    )
    with op.batch_alter_table("duty_away", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duty_away_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "staffing_minimum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("start_hour", sa.Integer(), nullable=False),
        sa.Column("end_hour", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("sworn_officer", "mh_responder", "supervisor", "intern",
                    name="minimum_role", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.CheckConstraint("start_hour >= 0 AND start_hour < 24",
                           name=op.f("ck_staffing_minimum_start_hour_of_day")),
        sa.CheckConstraint("end_hour >= 0 AND end_hour <= 24",
                           name=op.f("ck_staffing_minimum_end_hour_of_day")),
        sa.CheckConstraint("minimum >= 1", name=op.f("ck_staffing_minimum_minimum_positive")),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"],
                                name=op.f("fk_staffing_minimum_program_id_program"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffing_minimum")),
    )

    op.create_table(
        "shift_requirement",
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("credential", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"],
                                name=op.f("fk_shift_requirement_shift_id_shift"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("shift_id", "credential", name=op.f("pk_shift_requirement")),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "shift_trade",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("from_staff_id", sa.Integer(), nullable=False),
        sa.Column("to_staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("requested", "approved", "refused", name="trade_status",
                    native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.CheckConstraint("from_staff_id <> to_staff_id",
                           name=op.f("ck_shift_trade_two_people")),
        sa.ForeignKeyConstraint(["from_staff_id"], ["staff_member.id"],
                                name=op.f("fk_shift_trade_from_staff_id_staff_member"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shift_id"], ["shift.id"],
                                name=op.f("fk_shift_trade_shift_id_shift"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_staff_id"], ["staff_member.id"],
                                name=op.f("fk_shift_trade_to_staff_id_staff_member"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_trade")),
    )
    with op.batch_alter_table("shift_trade", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_trade_shift_id"), ["shift_id"], unique=False)

    op.create_table(
        "roster_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("published_by", sa.String(length=80), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.CheckConstraint("last_day >= first_day",
                           name=op.f("ck_roster_version_period_order")),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"],
                                name=op.f("fk_roster_version_program_id_program"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_version")),
        sa.UniqueConstraint("program_id", "number",
                            name=op.f("uq_roster_version_program_id_number")),
    )

    op.create_table(
        "shift_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("start_minute", sa.Integer(), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("days", sa.String(length=7), nullable=False),
        sa.Column("requires", sa.String(length=200), nullable=True),
        sa.CheckConstraint("length_minutes > 0 AND length_minutes <= 1440",
                           name=op.f("ck_shift_template_length_of_day")),
        sa.CheckConstraint("start_minute >= 0 AND start_minute < 1440",
                           name=op.f("ck_shift_template_start_in_day")),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"],
                                name=op.f("fk_shift_template_program_id_program"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_template")),
    )


def downgrade() -> None:
    op.drop_table("shift_template")
    op.drop_table("roster_version")
    with op.batch_alter_table("shift_trade", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_trade_shift_id"))
    op.drop_table("shift_trade")
    op.drop_table("shift_requirement")
    op.drop_table("staffing_minimum")
    with op.batch_alter_table("duty_away", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duty_away_staff_id"))
    op.drop_table("duty_away")
