"""The application context handed to every page and command: no global singletons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the GUI builds its window before SQLAlchemy is imported
    from console.data.engine import Database


@dataclass(frozen=True)
class AppContext:
    """What a running console works with: the open database and who is at the keyboard."""

    db: Database
    user: str
    demo: bool = False
