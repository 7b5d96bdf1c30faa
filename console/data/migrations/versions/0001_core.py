"""Core schema: program, agencies, staff, positions, shifts, persons, calls, events.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-27 05:23:13.210614
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_person_key"), ["person_key"], unique=True)

    op.create_table(
        "program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("jurisdiction", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program")),
        sa.UniqueConstraint("name", name=op.f("uq_program_name")),
    )
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "police",
                "sheriff",
                "behavioral_health",
                "dispatch",
                "other",
                name="agency_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_agency_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("program_id", "name", name=op.f("uq_agency_program_id_name")),
    )
    op.create_table(
        "position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "sworn_officer",
                "mh_responder",
                "supervisor",
                "intern",
                name="position_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("funding_source", sa.String(length=80), nullable=True),
        sa.Column("authorized_on", sa.Date(), nullable=False),
        sa.Column("abolished_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "abolished_on IS NULL OR abolished_on >= authorized_on",
            name=op.f("ck_position_abolished_after"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_position_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_position")),
    )
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_position_program_id"), ["program_id"], unique=False)

    op.create_table(
        "program_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "briefing",
                "ride_along",
                "patrol_training",
                "office_move",
                "schedule_change",
                "leadership_change",
                "other",
                name="event_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_program_event_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_event")),
    )
    with op.batch_alter_table("program_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_program_event_occurred_on"), ["occurred_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_program_event_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_shift_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_shift_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift")),
    )
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shift_starts_at"), ["starts_at"], unique=False)

    op.create_table(
        "staff_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("staff_key", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "sworn_officer",
                "mh_responder",
                "supervisor",
                "intern",
                name="staff_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("rank", sa.String(length=40), nullable=True),
        sa.Column(
            "degree_level",
            sa.Enum(
                "none",
                "associate",
                "bachelor",
                "master",
                "doctorate",
                name="degree_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("discipline", sa.String(length=80), nullable=True),
        sa.Column("hired_on", sa.Date(), nullable=False),
        sa.Column("separated_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "separated_on IS NULL OR separated_on >= hired_on",
            name=op.f("ck_staff_member_separation_after_hire"),
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_staff_member_agency_id_agency"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_staff_member_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_member")),
        sa.UniqueConstraint("staff_key", name=op.f("uq_staff_member_staff_key")),
    )
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_member_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("incident_number", sa.String(length=40), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(), nullable=True),
        sa.Column("arrived_at", sa.DateTime(), nullable=True),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.Column(
            "patrol_cleared_at",
            sa.DateTime(),
            nullable=True,
        ),
        sa.Column("initial_call_type", sa.String(length=80), nullable=True),
        sa.Column("final_call_type", sa.String(length=80), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "911",
                "non_emergency",
                "on_view",
                "other",
                name="call_source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "activation",
            sa.Enum(
                "dispatch",
                "patrol_request",
                "self_initiated",
                "follow_up",
                name="activation",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("requesting_officer_id", sa.Integer(), nullable=True),
        sa.Column("in_scope", sa.Boolean(), nullable=True),
        sa.Column(
            "disposition",
            sa.Enum(
                "resolved_on_scene",
                "voluntary_transport",
                "ed_transport",
                "involuntary_hold",
                "arrest",
                "refused_services",
                "unable_to_locate",
                "referred",
                name="disposition",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("use_of_force", sa.Boolean(), nullable=False),
        sa.Column("subject_injured", sa.Boolean(), nullable=False),
        sa.Column("officer_injured", sa.Boolean(), nullable=False),
        sa.Column("responder_injured", sa.Boolean(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("location_key", sa.String(length=64), nullable=True),
        sa.Column("precinct", sa.String(length=40), nullable=True),
        sa.Column("sector", sa.String(length=40), nullable=True),
        sa.Column("beat", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_call_agency_id_agency"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_call_person_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_call_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requesting_officer_id"],
            ["staff_member.id"],
            name=op.f("fk_call_requesting_officer_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call")),
        sa.UniqueConstraint(
            "agency_id", "incident_number", name=op.f("uq_call_agency_id_incident_number")
        ),
    )
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.create_index("ix_call_activation_id", ["activation", "id"], unique=False)
        batch_op.create_index("ix_call_beat_id", ["beat", "id"], unique=False)
        batch_op.create_index("ix_call_disposition_id", ["disposition", "id"], unique=False)
        batch_op.create_index("ix_call_final_call_type_id", ["final_call_type", "id"], unique=False)
        batch_op.create_index("ix_call_incident_number_id", ["incident_number", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_location_key"), ["location_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_program_id"), ["program_id"], unique=False)
        batch_op.create_index("ix_call_received_at_id", ["received_at", "id"], unique=False)

    op.create_table(
        "position_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "end_on IS NULL OR end_on >= start_on",
            name=op.f("ck_position_assignment_end_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["position.id"],
            name=op.f("fk_position_assignment_position_id_position"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_position_assignment_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_position_assignment")),
    )
    with op.batch_alter_table("position_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_position_assignment_position_id"), ["position_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_position_assignment_staff_id"), ["staff_id"], unique=False
        )

    op.create_table(
        "shift_assignment",
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shift.id"],
            name=op.f("fk_shift_assignment_shift_id_shift"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_shift_assignment_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shift_id", "staff_id", name=op.f("pk_shift_assignment")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("shift_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shift_assignment_staff_id"), ["staff_id"], unique=False
        )

    op.create_table(
        "call_responder",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
            name=op.f("fk_call_responder_call_id_call"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_call_responder_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("call_id", "staff_id", name=op.f("pk_call_responder")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("call_responder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_responder_staff_id"), ["staff_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("call_responder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_responder_staff_id"))

    op.drop_table("call_responder")
    with op.batch_alter_table("shift_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_assignment_staff_id"))

    op.drop_table("shift_assignment")
    with op.batch_alter_table("position_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_assignment_staff_id"))
        batch_op.drop_index(batch_op.f("ix_position_assignment_position_id"))

    op.drop_table("position_assignment")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index("ix_call_received_at_id")
        batch_op.drop_index(batch_op.f("ix_call_program_id"))
        batch_op.drop_index(batch_op.f("ix_call_person_id"))
        batch_op.drop_index(batch_op.f("ix_call_location_key"))
        batch_op.drop_index("ix_call_incident_number_id")
        batch_op.drop_index("ix_call_final_call_type_id")
        batch_op.drop_index("ix_call_disposition_id")
        batch_op.drop_index("ix_call_beat_id")
        batch_op.drop_index("ix_call_activation_id")

    op.drop_table("call")
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_member_program_id"))

    op.drop_table("staff_member")
    with op.batch_alter_table("shift", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shift_starts_at"))

    op.drop_table("shift")
    with op.batch_alter_table("program_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_event_program_id"))
        batch_op.drop_index(batch_op.f("ix_program_event_occurred_on"))

    op.drop_table("program_event")
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_position_program_id"))

    op.drop_table("position")
    op.drop_table("agency")
    op.drop_table("program")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_person_key"))

    op.drop_table("person")
