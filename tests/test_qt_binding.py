"""The Qt binding itself: defects of a PySide6 release that would crash the console.

PySide6 6.12.0 drops a reference to True on every `Signal.emit()` from Python; after a
few thousand emits (progress reports, wizard pages re-checking their Next button) the
interpreter aborts with "bool_dealloc: deallocating True or False". pyproject.toml keeps
that release out; this test fails, rather than crashes, if a release with it comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    valued = Signal(int, str)


def test_emitting_signals_keeps_references_to_true_and_false(qapp) -> None:  # type: ignore[no-untyped-def]
    emitter = _Emitter()
    seen: list[int] = []
    emitter.valued.connect(lambda n, _text: seen.append(n))
    before = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    for n in range(500):
        emitter.fired.emit()
        emitter.valued.emit(n, "x")
    after = sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)
    assert len(seen) == 500
    # A handful either way is other code; a leak per emit shows as hundreds.
    assert all(abs(b - a) < 50 for b, a in zip(before, after, strict=True)), (before, after)
