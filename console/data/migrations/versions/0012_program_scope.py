"""Early-warning thresholds, acknowledgements and last-seen marks belong to one program

Revision ID: 0012_program_scope
Revises: 0011_criteria
Create Date: 2026-12-03 23:00:00.000000
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0012_program_scope"
down_revision = "0011_criteria"
branch_labels = None
depends_on = None

# (table, its new primary key or None) — rows written before go to the oldest program,
# the only one a database could hold until now.
_TABLES = (
    ("alert_acknowledgement", None),
    ("indicator_seen", ["username", "program_id", "indicator_id"]),
    ("indicator_threshold", ["program_id", "indicator_id"]),
)


@contextmanager
def _new_key_quietly() -> Iterator[None]:
    """SQLite's batch copy warns that the copied table's key differs from the reflected
    one, then uses the new key: exactly what this revision asks for."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*as primary_key=True, not matching")
        yield


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, key in _TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("program_id", sa.Integer(), nullable=True))
        op.execute(f"UPDATE {table} SET program_id = (SELECT min(id) FROM program)")
        op.execute(f"DELETE FROM {table} WHERE program_id IS NULL")
        with _new_key_quietly(), op.batch_alter_table(table) as batch_op:
            batch_op.alter_column("program_id", existing_type=sa.Integer(), nullable=False)
            if key is None:
                batch_op.create_index(batch_op.f(f"ix_{table}_program_id"), ["program_id"])
            else:
                if not sqlite:  # SQLite's batch copy replaces the key by itself
                    batch_op.drop_constraint(f"pk_{table}", type_="primary")
                batch_op.create_primary_key(f"pk_{table}", key)
            batch_op.create_foreign_key(batch_op.f(f"fk_{table}_program_id_program"),
                                        "program", ["program_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, key in reversed(_TABLES):
        with _new_key_quietly(), op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_program_id_program"),
                                     type_="foreignkey")
            if key is None:
                batch_op.drop_index(batch_op.f(f"ix_{table}_program_id"))
            else:
                if not sqlite:
                    batch_op.drop_constraint(f"pk_{table}", type_="primary")
                batch_op.create_primary_key(f"pk_{table}",
                                            [c for c in key if c != "program_id"])
            batch_op.drop_column("program_id")
