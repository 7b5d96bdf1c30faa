"""0012_program_scope: early-warning rows written before it belong to the oldest program."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from console.data import migrate
from console.data.engine import Database


def test_rows_written_before_go_to_the_oldest_program(any_empty_db: Database) -> None:
    with any_empty_db.engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0008_referrals")
        conn.execute(text("INSERT INTO program (id, name, jurisdiction, timezone, started_on, "
                          "description, version) VALUES (7, 'Metro', 'Metro', 'UTC', "
                          "'2024-01-01', '', 1), (9, 'Other', 'Other', 'UTC', '2024-01-01', "
                          "'', 1)"))
        conn.execute(text("INSERT INTO indicator_threshold (indicator_id, watch, warning, "
                          "critical, version) VALUES ('patrol_requests', 1, 2, 3, 1)"))
        conn.execute(text("INSERT INTO indicator_seen (username, indicator_id, severity, "
                          "seen_at) VALUES ('sgt', 'patrol_requests', 'watch', "
                          "'2026-01-01 10:00:00')"))
        conn.execute(text("INSERT INTO alert_acknowledgement (indicator_id, severity, note, "
                          "acknowledged_by, acknowledged_at) VALUES ('patrol_requests', "
                          "'watch', 'looking', 'sgt', '2026-01-01 10:00:00')"))
        command.upgrade(migrate.alembic_config(conn), "head")
        for table in ("indicator_threshold", "indicator_seen", "alert_acknowledgement"):
            assert conn.execute(text(f"SELECT program_id FROM {table}")).scalars().all() == [7]
        # the key now includes the program: another program may keep its own thresholds
        conn.execute(text("INSERT INTO indicator_threshold (program_id, indicator_id, watch, "
                          "warning, critical, version) VALUES (9, 'patrol_requests', 1, 2, "
                          "3, 1)"))
