"""Which program to work in, when one database or server holds several."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QWidget

if TYPE_CHECKING:
    from console.services.program_scope import ProgramChoice


def choose_program(parent: QWidget, found: list[ProgramChoice],
                   named: str | None = None) -> ProgramChoice | None:
    """The program `named` (from --program) if there is one by that name, else the one the
    user picks; None when they cancel."""
    if named:
        wanted = named.strip().casefold()
        for choice in found:
            if choice.name.casefold() == wanted:
                return choice
    labels = [f"{c.name} ({c.jurisdiction})" if c.jurisdiction else c.name for c in found]
    label, ok = QInputDialog.getItem(
        parent, "Choose a program",
        "This database holds several programs. Work in:", labels, 0, False)
    return found[labels.index(label)] if ok and label in labels else None
