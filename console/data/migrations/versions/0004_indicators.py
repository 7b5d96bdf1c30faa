"""Early warnings: edited thresholds, acknowledgements and what each user has seen

Revision ID: 0004_indicators
Revises: 0003_import_profiles
Create Date: 2026-12-03 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import sqlite

revision = "0004_indicators"
down_revision = "0003_import_profiles"
branch_labels = None
depends_on = None

SQLITE_SECONDS = sqlite.DATETIME(
    storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"
)
SEVERITY_CHECK = "severity IN ('ok', 'watch', 'warning', 'critical')"


def upgrade() -> None:
    op.create_table(
        "indicator_threshold",
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.Column("watch", sa.Float(), nullable=False),
        sa.Column("warning", sa.Float(), nullable=False),
        sa.Column("critical", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("indicator_id", name=op.f("pk_indicator_threshold")),
    )
    op.create_table(
        "alert_acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.Column("flagged_since", sa.Date(), nullable=True),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=120), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime().with_variant(SQLITE_SECONDS, "sqlite"),
                  nullable=False),
        sa.CheckConstraint(SEVERITY_CHECK,
                           name=op.f("ck_alert_acknowledgement_severity_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_acknowledgement")),
    )
    op.create_index(op.f("ix_alert_acknowledgement_indicator_id"), "alert_acknowledgement",
                    ["indicator_id"])
    op.create_table(
        "indicator_seen",
        sa.Column("username", sa.String(length=60), nullable=False),
        sa.Column("indicator_id", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("seen_at", sa.DateTime().with_variant(SQLITE_SECONDS, "sqlite"),
                  nullable=False),
        sa.CheckConstraint(SEVERITY_CHECK, name=op.f("ck_indicator_seen_severity_known")),
        sa.PrimaryKeyConstraint("username", "indicator_id", name=op.f("pk_indicator_seen")),
    )


def downgrade() -> None:
    op.drop_table("indicator_seen")
    op.drop_index(op.f("ix_alert_acknowledgement_indicator_id"),
                  table_name="alert_acknowledgement")
    op.drop_table("alert_acknowledgement")
    op.drop_table("indicator_threshold")
