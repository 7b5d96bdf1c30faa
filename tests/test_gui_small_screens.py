"""Small screens and display scaling: every tile's text fits its tile and every chart keeps a
readable height at the window's minimum size, on a 1366x768 screen and on a 1920x1080
screen at 150% (1280x720 logical pixels); the window fits the screen and remembers itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from layout_fit import page_problems
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication
from test_gui import window  # noqa: F401  (the fixture: the console on the demo program)

from console.views.main_window import MainWindow

# The window's inside on a maximised window: the screen less a taskbar and a title bar.
SMALL_LAPTOP = QSize(1366, 768 - 40 - 30)
SCALED_LAPTOP = QSize(1280, 720 - 32 - 30)  # 1920x1080 at 150%


@pytest.mark.parametrize("size", ["minimum", "1366x768", "1920x1080 at 150%"])
def test_every_tile_reads_whole_and_charts_keep_their_height(
        window: MainWindow, size: str) -> None:  # noqa: F811
    target = {"minimum": window.minimumSize(), "1366x768": SMALL_LAPTOP,
              "1920x1080 at 150%": SCALED_LAPTOP}[size]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    problems = page_problems(app, window, target)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("env", [{"QT_SCALE_FACTOR": "1.5"}, {"QT_FONT_DPI": "120"}],
                         ids=["scale-150", "font-dpi-120"])
def test_pages_read_whole_when_scaled(demo_db_path: Path, env: dict[str, str]) -> None:
    """A child process: Qt reads the scale factor and font DPI once, before it starts."""
    here = Path(__file__).parent
    result = subprocess.run(
        [sys.executable, str(here / "layout_fit.py"), str(demo_db_path), "min", "1280x658"],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        capture_output=True, text=True, timeout=300, cwd=here.parent)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
