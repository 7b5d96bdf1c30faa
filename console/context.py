"""The application context handed to every page and command: no global singletons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the GUI builds its window before SQLAlchemy is imported
    from console.data.engine import Database
    from console.data.identity import Identity
    from console.services.access import Access


@dataclass(frozen=True)
class AppContext:
    """What a running console works with: the open database, its key, and who is signed in."""

    db: Database
    access: Access
    identity: Identity
    program: str = ""  # the current program's name (several may share a database)

    @property
    def demo(self) -> bool:
        return self.identity.demo

    @property
    def user(self) -> str:
        return self.access.actor.display_name or self.access.actor.username
