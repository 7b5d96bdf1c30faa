"""Who may use the console, what they changed, and which key protects the database."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import Base, IntPk, LocalDateTime, Name, Versioned, str_enum
from console.data.enums import AuditAction, UserRole


class UserAccount(Versioned, Base):
    """A person who signs in; the password is kept only as an Argon2 hash."""

    __tablename__ = "user_account"

    id: Mapped[IntPk]
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[Name]
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole, "user_role"))
    # info["redact"]: the audit trail records that it changed, never the value.
    password_hash: Mapped[str] = mapped_column(String(200), info={"redact": True})
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[LocalDateTime | None]
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[LocalDateTime]
    last_login_at: Mapped[LocalDateTime | None]


class AuditEntry(Base):
    """One change, in the order changes were committed.

    Each entry's hash covers its content and the previous entry's hash, keyed with a
    subkey of the data key: editing, removing or reordering entries breaks the chain, and
    the chain cannot be recomputed without the key kept in the OS keyring.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_record", "table_name", "record_id"),)

    # Assigned from AuditHead under its row lock, not by the database: sequence values
    # may commit out of order on a shared server, the chain must not.
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))  # UTC, ISO 8601: hashed exactly as stored
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, "audit_action"))
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(60))
    changes: Mapped[str] = mapped_column(Text)  # JSON {field: [old, new]}
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest entry of the chain: a single row every writer locks, so writes chain in turn."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64))


class DatabaseIdentity(Base):
    """Which data key protects this database, and whether it is a demo."""

    __tablename__ = "database_identity"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    database_uuid: Mapped[str] = mapped_column(String(36))
    key_fingerprint: Mapped[str] = mapped_column(String(32))
    # A demo database holds fictional people only and may keep its key beside the file.
    demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[LocalDateTime]


class Setting(Versioned, Base):
    """A program-wide setting a supervisor controls (e.g. the idle lock), audited like data."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = ["AuditEntry", "AuditHead", "DatabaseIdentity", "Setting", "UserAccount"]
