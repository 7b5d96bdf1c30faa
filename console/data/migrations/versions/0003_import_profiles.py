"""Import profiles: named mappings of CAD and records-system exports onto calls

Revision ID: 0003_import_profiles
Revises: 0002_trust
Create Date: 2026-11-27 08:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import sqlite

revision = "0003_import_profiles"
down_revision = "0002_trust"
branch_labels = None
depends_on = None

SQLITE_SECONDS = sqlite.DATETIME(
    storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"
)


def upgrade() -> None:
    op.create_table(
        "import_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("mapping", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime().with_variant(SQLITE_SECONDS, "sqlite"),
                  nullable=False),
        sa.Column("saved_by", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_profile")),
        sa.UniqueConstraint("name", name=op.f("uq_import_profile_name")),
    )


def downgrade() -> None:
    op.drop_table("import_profile")
