"""Complaint review: cases, history, checklist, sealed attachments, deadlines, reporting lines

Revision ID: 0005_complaints
Revises: 0004_indicators
Create Date: 2026-12-03 18:40:49.386984
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import sqlite

revision = "0005_complaints"
down_revision = "0004_indicators"
branch_labels = None
depends_on = None

SQLITE_SECONDS = sqlite.DATETIME(
    storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"
)


def upgrade() -> None:
    op.create_table(
        "closure_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_closure_day_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure_day")),
        sa.UniqueConstraint("program_id", "day", name=op.f("uq_closure_day_program_id_day")),
    )
    op.create_table(
        "complaint_settings",
        sa.Column("program_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("subdivision", sa.String(length=10), nullable=True),
        sa.Column("acknowledge_days", sa.Integer(), nullable=False),
        sa.Column("classify_days", sa.Integer(), nullable=False),
        sa.Column("review_days", sa.Integer(), nullable=False),
        sa.Column("decision_days", sa.Integer(), nullable=False),
        sa.Column("close_days", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_complaint_settings_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_complaint_settings")),
    )
    op.create_table(
        "reporting_line",
        sa.Column("staff_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_reporting_line_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["staff_member.id"],
            name=op.f("fk_reporting_line_supervisor_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_reporting_line")),
    )
    with op.batch_alter_table("reporting_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reporting_line_supervisor_id"), ["supervisor_id"], unique=False
        )

    op.create_table(
        "user_staff_link",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_user_staff_link_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_user_staff_link_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_staff_link")),
        sa.UniqueConstraint("staff_id", name=op.f("uq_user_staff_link_staff_id")),
    )
    op.create_table(
        "complaint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "public",
                "family",
                "patrol",
                "provider",
                "internal",
                "anonymous",
                name="complaint_channel",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("complainant_name", sa.Text(), nullable=True),
        sa.Column("complainant_contact", sa.Text(), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "received",
                "acknowledged",
                "assigned",
                "under_review",
                "findings_proposed",
                "command_decision",
                "closed",
                "withdrawn",
                "informally_resolved",
                name="complaint_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("step_started_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "classification",
            sa.Enum(
                "informal_resolution",
                "supervisor_review",
                "full_review",
                name="complaint_classification",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column(
            "proposed_finding",
            sa.Enum(
                "sustained",
                "not_sustained",
                "exonerated",
                "unfounded",
                "policy_or_training",
                name="complaint_proposed_finding",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "finding",
            sa.Enum(
                "sustained",
                "not_sustained",
                "exonerated",
                "unfounded",
                "policy_or_training",
                name="complaint_finding",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("closing_letter", sa.Text(), nullable=True),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["call.id"], name=op.f("fk_complaint_call_id_call"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_complaint_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["staff_member.id"],
            name=op.f("fk_complaint_reviewer_id_staff_member"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
        sa.UniqueConstraint(
            "program_id", "reference", name=op.f("uq_complaint_program_id_reference")
        ),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_received_on"), ["received_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_reviewer_id"), ["reviewer_id"], unique=False)
        batch_op.create_index("ix_complaint_state_due_on", ["state", "due_on"], unique=False)

    op.create_table(
        "complaint_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("added_at", sa.DateTime().with_variant(SQLITE_SECONDS, "sqlite"), nullable=False),
        sa.Column("added_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_attachment_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_attachment")),
    )
    with op.batch_alter_table("complaint_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_attachment_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_category",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "conduct",
                "clinical_practice",
                "communication",
                "policy",
                "confidentiality",
                "bias",
                name="allegation_category",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_category_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("complaint_id", "category", name=op.f("pk_complaint_category")),
    )
    op.create_table(
        "complaint_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime().with_variant(SQLITE_SECONDS, "sqlite"), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "intake",
                "transition",
                "note",
                "document",
                name="case_event_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("action", sa.String(length=40), nullable=True),
        sa.Column(
            "from_state",
            sa.Enum(
                "received",
                "acknowledged",
                "assigned",
                "under_review",
                "findings_proposed",
                "command_decision",
                "closed",
                "withdrawn",
                "informally_resolved",
                name="event_from_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_state",
            sa.Enum(
                "received",
                "acknowledged",
                "assigned",
                "under_review",
                "findings_proposed",
                "command_decision",
                "closed",
                "withdrawn",
                "informally_resolved",
                name="event_to_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_event_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_event")),
    )
    with op.batch_alter_table("complaint_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_event_complaint_id"), ["complaint_id"], unique=False
        )

    op.create_table(
        "complaint_subject",
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_subject_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_complaint_subject_staff_id_staff_member"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("complaint_id", "staff_id", name=op.f("pk_complaint_subject")),
    )
    with op.batch_alter_table("complaint_subject", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_complaint_subject_staff_id"), ["staff_id"], unique=False
        )

    op.create_table(
        "complaint_checklist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "intake_form",
                "acknowledgement",
                "subject_notice",
                "call_record",
                "interviews",
                "clinical_consult",
                "review_report",
                "decision_memo",
                "closing_letter",
                "resolution_record",
                name="document_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "done",
                "not_applicable",
                name="checklist_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.String(length=120), nullable=True),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["complaint_attachment.id"],
            name=op.f("fk_complaint_checklist_attachment_id_complaint_attachment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaint.id"],
            name=op.f("fk_complaint_checklist_complaint_id_complaint"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_checklist")),
        sa.UniqueConstraint(
            "complaint_id", "kind", name=op.f("uq_complaint_checklist_complaint_id_kind")
        ),
    )


def downgrade() -> None:
    op.drop_table("complaint_checklist")
    with op.batch_alter_table("complaint_subject", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_subject_staff_id"))

    op.drop_table("complaint_subject")
    with op.batch_alter_table("complaint_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_event_complaint_id"))

    op.drop_table("complaint_event")
    op.drop_table("complaint_category")
    with op.batch_alter_table("complaint_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_attachment_complaint_id"))

    op.drop_table("complaint_attachment")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_state_due_on")
        batch_op.drop_index(batch_op.f("ix_complaint_reviewer_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_received_on"))
        batch_op.drop_index(batch_op.f("ix_complaint_program_id"))

    op.drop_table("complaint")
    op.drop_table("user_staff_link")
    with op.batch_alter_table("reporting_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_line_supervisor_id"))

    op.drop_table("reporting_line")
    op.drop_table("complaint_settings")
    op.drop_table("closure_day")
