"""The task runner: results, errors, progress and cancel arrive on the GUI thread."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QThread

from console.views.tasks import Cancelled, TaskControl, TaskRunner


def test_result_arrives_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    seen: dict[str, object] = {}
    gui = QThread.currentThread()

    def work(_: TaskControl) -> int:
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        return 42

    def done(value: int) -> None:
        seen["value"] = value
        seen["on_gui"] = QThread.currentThread() is gui

    handle = runner.run(work, done)
    qtbot.waitUntil(lambda: handle.finished, timeout=5_000)
    assert seen == {"worker": True, "value": 42, "on_gui": True}


def test_progress_then_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    progress: list[int] = []
    errors: list[BaseException] = []
    started = threading.Event()

    def work(control: TaskControl) -> None:
        for i in range(1_000):
            control.progress(i, 1_000, "step")
            started.set()
            time.sleep(0.005)

    handle = runner.run(work, lambda _: None, errors.append, lambda d, t, s: progress.append(d))
    assert started.wait(5)
    qtbot.waitUntil(lambda: len(progress) > 0, timeout=5_000)
    handle.cancel()
    qtbot.waitUntil(lambda: handle.finished, timeout=5_000)
    assert len(errors) == 1 and isinstance(errors[0], Cancelled)
    assert 0 < len(progress) < 1_000


def test_error_goes_to_on_error(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    errors: list[BaseException] = []

    def work(_: TaskControl) -> None:
        raise ValueError("bad row")

    handle = runner.run(work, lambda _: None, errors.append)
    qtbot.waitUntil(lambda: handle.finished, timeout=5_000)
    assert [str(e) for e in errors] == ["bad row"]


def test_writes_run_one_at_a_time(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    running = 0
    most = 0
    lock = threading.Lock()

    def work(_: TaskControl) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    handles = [runner.run(work, lambda _: None, writes=True) for _ in range(5)]
    qtbot.waitUntil(lambda: all(h.finished for h in handles), timeout=5_000)
    assert most == 1


def test_synchronous_runner_runs_inline(qapp) -> None:  # type: ignore[no-untyped-def]
    """Tests of pages use it: the callback has run by the time run() returns."""
    runner = TaskRunner(synchronous=True)
    out: list[int] = []
    handle = runner.run(lambda _: 7, out.append)
    assert out == [7] and handle.finished
