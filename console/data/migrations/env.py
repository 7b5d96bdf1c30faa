"""Alembic environment: runs on the connection handed over by console.data.migrate."""

from __future__ import annotations

from alembic import context

from console.data.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the console always passes a connection
    raise RuntimeError("run migrations through console.data.migrate, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
