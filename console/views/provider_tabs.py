"""The provider network's tabs of the Referrals page: the providers and their scorecard.

The Referrals page (views/referrals_page.py) asks this module for its provider tabs so
that the two halves of the area can grow apart. Each tab is a QWidget with a
`refresh()` method that the page calls when it is first shown and after data changed;
a tab loads through `page.load` (never on the GUI thread) and emits
`page.data_changed` after it edits something other pages show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from console.views.page import Page


def provider_tabs(page: Page) -> list[tuple[str, QWidget]]:
    """(title, tab) pairs in the order the page shows them."""
    return []
