"""People: leave, separations with their reason, credentials, cross training, the
leadership bench, and the intern pipeline (partner programs, candidates, stages,
field-readiness evaluations)

Revision ID: 0006_people
Revises: 0005_complaints
Create Date: 2026-12-03 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_people"
down_revision = "0005_complaints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_program",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("university", sa.String(length=200), nullable=False),
        sa.Column("degree", sa.String(length=80), nullable=False),
        sa.Column("agreement_from", sa.Date(), nullable=False),
        sa.Column("agreement_to", sa.Date(), nullable=True),
        sa.Column("vetted", sa.Boolean(), nullable=False),
        sa.Column("vetted_by", sa.String(length=80), nullable=True),
        sa.Column("vetted_on", sa.Date(), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "agreement_to IS NULL OR agreement_to > agreement_from",
            name=op.f("ck_partner_program_agreement_ends_after"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_partner_program_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_program")),
    )
    with op.batch_alter_table("partner_program", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_program_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("cohort", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column(
            "stage",
            sa.Enum(
                "applied",
                "screened",
                "interviewed",
                "placed",
                "mid_evaluation",
                "final_evaluation",
                "offered",
                "hired",
                "withdrawn",
                name="candidate_stage",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("stage_since", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partner_program.id"],
            name=op.f("fk_candidate_partner_id_partner_program"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_candidate_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate")),
    )
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_candidate_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_candidate_program_id"), ["program_id"], unique=False)

    op.create_table(
        "bench_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "sworn_supervisor",
                "clinical_lead",
                "director",
                name="protected_role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "readiness",
            sa.Enum(
                "ready_now",
                "within_year",
                "developing",
                name="readiness",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_bench_candidate_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_bench_candidate_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bench_candidate")),
        sa.UniqueConstraint("role", "staff_id", name=op.f("uq_bench_candidate_role_staff_id")),
    )
    with op.batch_alter_table("bench_candidate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bench_candidate_program_id"), ["program_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bench_candidate_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "candidate_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "applied",
                "screened",
                "interviewed",
                "placed",
                "mid_evaluation",
                "final_evaluation",
                "offered",
                "hired",
                "withdrawn",
                name="history_stage",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("entered_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_candidate_stage_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidate_stage")),
    )
    with op.batch_alter_table("candidate_stage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidate_stage_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "license",
                "certification",
                name="credential_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on > issued_on",
            name=op.f("ck_credential_expires_after_issue"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_credential_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential")),
    )
    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credential_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "cross_training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_cross_training_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cross_training")),
    )
    with op.batch_alter_table("cross_training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cross_training_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "mid_placement",
                "final",
                name="evaluation_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("evaluator", sa.String(length=80), nullable=False),
        sa.Column("risk", sa.Integer(), nullable=False),
        sa.Column("deescalation", sa.Integer(), nullable=False),
        sa.Column("rapport", sa.Integer(), nullable=False),
        sa.Column("command", sa.Integer(), nullable=False),
        sa.Column("documentation", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint("command BETWEEN 1 AND 5", name=op.f("ck_evaluation_command_score")),
        sa.CheckConstraint(
            "deescalation BETWEEN 1 AND 5", name=op.f("ck_evaluation_deescalation_score")
        ),
        sa.CheckConstraint(
            "documentation BETWEEN 1 AND 5", name=op.f("ck_evaluation_documentation_score")
        ),
        sa.CheckConstraint("rapport BETWEEN 1 AND 5", name=op.f("ck_evaluation_rapport_score")),
        sa.CheckConstraint("risk BETWEEN 1 AND 5", name=op.f("ck_evaluation_risk_score")),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidate.id"],
            name=op.f("fk_evaluation_candidate_id_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation")),
    )
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_candidate_id"), ["candidate_id"], unique=False
        )

    op.create_table(
        "staff_leave",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "annual",
                "sick",
                "family",
                "military",
                "injury",
                "other",
                name="leave_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on > starts_on", name=op.f("ck_staff_leave_return_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_member.id"],
            name=op.f("fk_staff_leave_staff_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_leave")),
    )
    with op.batch_alter_table("staff_leave", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_leave_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "bench_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "acting",
                "training",
                name="bench_activity_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_bench_activity_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["bench_candidate.id"],
            name=op.f("fk_bench_activity_candidate_id_bench_candidate"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bench_activity")),
    )
    with op.batch_alter_table("bench_activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bench_activity_candidate_id"), ["candidate_id"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        _add_columns_sqlite()
        return
    with op.batch_alter_table("position", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reauthorizes_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "protected_role",
                sa.Enum(
                    "sworn_supervisor",
                    "clinical_lead",
                    "director",
                    name="position_protected_role",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=True,
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_position_reauthorizes_id_position"),
            "position",
            ["reauthorizes_id"],
            ["id"],
        )

    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "separation_reason",
                sa.Enum(
                    "resigned",
                    "transferred",
                    "retired",
                    "dismissed",
                    "end_of_grant",
                    name="separation_reason",
                    native_enum=False,
                    create_constraint=True,
                ),
                nullable=True,
            )
        )
        batch_op.create_check_constraint(
            "reason_of_separation", "separation_reason IS NULL OR separated_on IS NOT NULL"
        )



PROTECTED = "'sworn_supervisor', 'clinical_lead', 'director'"
REASONS = "'resigned', 'transferred', 'retired', 'dismissed', 'end_of_grant'"


def _add_columns_sqlite() -> None:
    """Plain ADD COLUMN with its constraints inline. A batch copy of the table would do
    too, but it writes the table's constraints in an arbitrary order, and the same
    migration must build byte-identical files (the demo's determinism test). SQLite
    keeps no name for an inline foreign key; the batch drop in downgrade finds it by
    its column."""
    op.execute(
        "ALTER TABLE position ADD COLUMN reauthorizes_id INTEGER "
        "REFERENCES position (id)"
    )
    op.execute(
        "ALTER TABLE position ADD COLUMN protected_role VARCHAR(16) "
        f"CONSTRAINT ck_position_position_protected_role CHECK (protected_role IN ({PROTECTED}))"
    )
    op.execute(
        "ALTER TABLE staff_member ADD COLUMN separation_reason VARCHAR(12) "
        "CONSTRAINT ck_staff_member_separation_reason "
        f"CHECK (separation_reason IN ({REASONS})) "
        "CONSTRAINT ck_staff_member_reason_of_separation "
        "CHECK (separation_reason IS NULL OR separated_on IS NOT NULL)"
    )

def downgrade() -> None:
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_staff_member_reason_of_separation"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_staff_member_separation_reason"), type_="check")
        batch_op.drop_column("separation_reason")

    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("position", schema=None) as batch_op:
        if not sqlite:  # on SQLite the foreign key is unnamed and goes with its column
            batch_op.drop_constraint(
                batch_op.f("fk_position_reauthorizes_id_position"), type_="foreignkey"
            )
        batch_op.drop_constraint(batch_op.f("ck_position_position_protected_role"), type_="check")
        batch_op.drop_column("protected_role")
        batch_op.drop_column("reauthorizes_id")

    with op.batch_alter_table("bench_activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bench_activity_candidate_id"))

    op.drop_table("bench_activity")
    with op.batch_alter_table("staff_leave", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_leave_staff_id"))

    op.drop_table("staff_leave")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_candidate_id"))

    op.drop_table("evaluation")
    with op.batch_alter_table("cross_training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cross_training_staff_id"))

    op.drop_table("cross_training")
    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credential_staff_id"))

    op.drop_table("credential")
    with op.batch_alter_table("candidate_stage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_stage_candidate_id"))

    op.drop_table("candidate_stage")
    with op.batch_alter_table("bench_candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bench_candidate_staff_id"))
        batch_op.drop_index(batch_op.f("ix_bench_candidate_program_id"))

    op.drop_table("bench_candidate")
    with op.batch_alter_table("candidate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidate_program_id"))
        batch_op.drop_index(batch_op.f("ix_candidate_partner_id"))

    op.drop_table("candidate")
    with op.batch_alter_table("partner_program", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_program_program_id"))

    op.drop_table("partner_program")
