"""The one task runner for work that must not run on the GUI thread.

`TaskRunner.run(work, on_done)` runs `work(control)` on a thread pool and delivers the
result (or the exception) to callbacks on the GUI thread. `work` reports progress and
checks for cancellation through its `TaskControl` between batches. Writes go to a
single serial pool so two writers never race for the database; reads share a pool.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from console.errors import UserError
from console.views import crash

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside work by TaskControl.check() once the user has pressed Cancel."""


class TaskControl:
    """What a running task sees: progress reporting and the cancel flag."""

    def __init__(self, emit_progress: Callable[[int, int, str], None]) -> None:
        self._cancel = threading.Event()
        self._emit = emit_progress

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def progress(self, done: int, total: int, text: str = "") -> None:
        self.check()
        self._emit(done, total, text)


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker arrive queued."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[TaskControl], Any], relay: _Relay,
                 control: TaskControl) -> None:
        super().__init__()
        self._work, self._relay, self._control = work, relay, control

    def run(self) -> None:
        try:
            result = self._work(self._control)
        except BaseException as exc:  # delivered to the GUI thread, logged there
            from console.data.db_errors import database_error

            mapped = database_error(exc)  # a busy, read-only or full database is no bug
            if mapped is not None:
                log.info("%s", mapped.message, exc_info=exc)
            self._deliver(self._relay.failed, mapped or exc)
        else:
            self._deliver(self._relay.done, result)

    @staticmethod
    def _deliver(signal: Any, value: Any) -> None:
        # At shutdown the window (and with it the relay) may be gone before a long task
        # such as a backup ends: its result has nobody left to tell, which is not a bug.
        try:
            signal.emit(value)
        except RuntimeError:
            log.info("a background task ended after the window closed")


class TaskHandle:
    """A running task: cancel it, or ask whether it has ended."""

    def __init__(self, control: TaskControl) -> None:
        self.control = control
        self.finished = False

    def cancel(self) -> None:
        self.control.cancel()


class TaskRunner(QObject):
    """Runs work off the GUI thread; `synchronous=True` runs it inline (for tests)."""

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(max(2, QThreadPool.globalInstance().maxThreadCount()))
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._live: set[_Relay] = set()

    def run(
        self,
        work: Callable[[TaskControl], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        *,
        writes: bool = False,
        owner: QObject | None = None,
    ) -> TaskHandle:
        """Run `work` off the GUI thread; callbacks run on the GUI thread.

        owner: a widget the callbacks belong to; they are dropped if it was deleted
        meanwhile (a page closed by signing out while its query ran).
        """
        relay = _Relay()
        control = TaskControl(relay.progress.emit)
        handle = TaskHandle(control)

        def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
            handle.finished = True
            self._live.discard(relay)
            if owner is not None and not shiboken6.isValid(owner):
                return
            if callback is not None:
                callback(value)

        def fail(exc: BaseException) -> None:
            if isinstance(exc, Cancelled | UserError):
                log.info("background task ended: %s", exc or "cancelled")
            else:
                log.error("background task failed", exc_info=exc)
            if on_error is not None:
                finish(on_error, exc)
            elif isinstance(exc, UserError):
                finish(crash.tell_user, exc)
            elif not isinstance(exc, Cancelled):
                finish(report_bug, exc)
            else:
                finish(None, exc)

        if on_progress is not None:
            relay.progress.connect(on_progress)
        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(fail)
        self._live.add(relay)
        runnable = _Runnable(work, relay, control)
        if self.synchronous:
            runnable.run()
        else:
            (self._writes if writes else self._reads).start(runnable)
        return handle

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every queued task has run (shutdown and tests)."""
        return self._reads.waitForDone(msecs) and self._writes.waitForDone(msecs)


def report_bug(exc: BaseException) -> None:
    """Show a bug from a background task in the crash dialog (the log has the traceback)."""
    crash.show_crash_dialog(type(exc), exc, exc.__traceback__)
