"""Producing batches in a forked child: same items, errors reported, no stray process."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator

import pytest

from console.services.child_producer import can_fork, produced_elsewhere

# The timeout by SIGALRM here: pytest-timeout's default thread method runs a timer thread
# beside each test, and a process with another thread rightly refuses to fork.
pytestmark = pytest.mark.timeout(300, method="signal")


@pytest.fixture(autouse=True)
def _fork_is_safe() -> None:
    """Asked as each test starts, not at collection: an earlier test may have left threads
    running (a Qt pool's idle workers), and then produced_elsewhere rightly does not fork."""
    if not can_fork():
        pytest.skip("this process cannot fork safely now (other threads are running)")


def test_items_arrive_in_order() -> None:
    def produce() -> Iterator[list[int]]:
        for i in range(50):
            yield list(range(i * 100, i * 100 + 100))

    got = [x for batch in produced_elsewhere(produce) for x in batch]
    assert got == list(range(5_000))
    assert multiprocessing.active_children() == []


def test_an_error_in_the_child_is_raised_here() -> None:
    def produce() -> Iterator[int]:
        yield 1
        raise ValueError("bad day 17")

    with pytest.raises(RuntimeError, match="ValueError: bad day 17"):
        list(produced_elsewhere(produce))
    assert multiprocessing.active_children() == []


def test_stopping_early_ends_the_child() -> None:
    def produce() -> Iterator[int]:
        yield from range(10**9)

    for item in produced_elsewhere(produce):
        if item == 3:
            break
    assert multiprocessing.active_children() == []
