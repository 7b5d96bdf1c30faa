"""Persistence: SQLAlchemy models, engine and sessions, Alembic migrations.

Nothing in this package imports Qt.
"""
