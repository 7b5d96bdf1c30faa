"""Loads that belong to one request: when a newer one starts, older results are dropped.

A period picker can change faster than the measures load; the results of a period the
user has since left must not overwrite the newer ones when they arrive late.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.services.access import Access

Loader = Callable[[Callable[["Access"], Any], Callable[[Any], None]], None]


class LatestOnly:
    """Runs queries through `load`; only those of the latest `restart()` are shown."""

    def __init__(self, load: Loader) -> None:
        self._load = load
        self._generation = 0

    def restart(self) -> None:
        """A new request: results of the queries started before are dropped."""
        self._generation += 1

    def load(self, query: Callable[[Access], Any], show: Callable[[Any], None]) -> None:
        generation = self._generation

        def then(result: Any) -> None:
            if generation == self._generation:
                show(result)

        self._load(query, then)
