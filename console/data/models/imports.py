"""Saved import mappings: how one kind of CAD or records-system export maps onto calls."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from console.data.base import Base, IntPk, LocalDateTime, Versioned


class ImportProfile(Versioned, Base):
    """A named mapping (console.data.importers.fields.Mapping as JSON), reused per export."""

    __tablename__ = "import_profile"

    id: Mapped[IntPk]
    name: Mapped[str] = mapped_column(String(80), unique=True)
    mapping: Mapped[str] = mapped_column(Text)  # Mapping.to_json(), serialised
    saved_at: Mapped[LocalDateTime]
    saved_by: Mapped[str] = mapped_column(String(120), default="")

