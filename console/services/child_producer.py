"""Run a producer of batches in a forked child process, consuming them here.

Writing a million-call demo is half Python (building rows) and half SQLite (storing
them); on two cores the two halves can overlap. The child inherits the producer's state
by fork, so it yields exactly what the producer would have yielded here: the result is
the same, only sooner. Where fork is unavailable or unsafe (other threads running, as in
the GUI), the producer simply runs in this process.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

QUEUE_BATCHES = 4  # bounded: memory stays flat whichever side is faster


def can_fork() -> bool:
    """Fork only a single-threaded process: a fork copies no other thread's locks safely."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def produced_elsewhere(produce: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    """Yield what produce() yields, computed in a child process when that is safe."""
    if not can_fork():
        yield from produce()
        return
    ctx = multiprocessing.get_context("fork")
    channel: Any = ctx.Queue(maxsize=QUEUE_BATCHES)

    def child() -> None:
        try:
            for item in produce():
                channel.put(("item", item))
            channel.put(("end", None))
        except BaseException as exc:  # reported to the parent, which raises it
            channel.put(("error", f"{type(exc).__name__}: {exc}"))

    process = ctx.Process(target=child, name="demo-producer", daemon=True)
    process.start()
    try:
        while True:
            try:
                kind, value = channel.get(timeout=1.0)
            except queue.Empty:
                if not process.is_alive():
                    raise RuntimeError(
                        f"the producer process ended unexpectedly (exit {process.exitcode})"
                    ) from None
                continue
            if kind == "end":
                return
            if kind == "error":
                raise RuntimeError(f"the producer process failed: {value}")
            yield value
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        channel.close()
