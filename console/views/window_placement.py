"""Where the main window opens: fitted to the screen the first time, then where the user
left it (geometry and state kept in QSettings), never off every screen.

The settings are the workstation account's (a QSettings file in its configuration
folder), not the signed-in console user's: the window is placed before anyone signs in,
and moving it after sign-in would make it jump under the user's pointer.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QMargins, QPoint, QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QWidget

from console import APP_ID

log = logging.getLogger(__name__)

PREFERRED_SIZE = QSize(1440, 900)
MINIMUM_SIZE = QSize(960, 620)
GEOMETRY_KEY = "mainWindow/geometry"
STATE_KEY = "mainWindow/state"
# A window is reachable when this much of its top edge (where the title bar is) lies
# on some screen: enough to grab it and drag it back.
GRIP = QSize(120, 24)
# Room for the title bar and borders the window manager adds around the window: the
# window's inside is fitted within what is left, so the status bar stays on screen.
FRAME = QMargins(8, 34, 8, 8)


def settings_path() -> Path:
    """The settings file in the user's configuration folder (XDG_CONFIG_HOME on Linux,
    %LOCALAPPDATA% on Windows), read again on every call so tests can move it."""
    import platformdirs

    return platformdirs.user_config_path(APP_ID, appauthor=False) / "window.ini"


def window_settings() -> QSettings:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return QSettings(str(path), QSettings.Format.IniFormat)


def fitted(available: QRect, preferred: QSize = PREFERRED_SIZE) -> QRect:
    """The window's inside: the preferred size, no larger than the available area less a
    frame, centred in it."""
    room = available.marginsRemoved(FRAME)
    rect = QRect(QPoint(0, 0), preferred.boundedTo(room.size()))
    rect.moveCenter(room.center())
    return rect


def reachable(frame: QRect, screens: list[QRect]) -> bool:
    """Whether enough of the window's top edge lies on one of the screens."""
    top = QRect(frame.left(), frame.top(), frame.width(), GRIP.height())
    return any(top.intersected(screen).width() >= min(GRIP.width(), frame.width())
               and top.intersected(screen).height() >= min(GRIP.height(), frame.height())
               for screen in screens)


def fit_to_screen(window: QWidget, preferred: QSize) -> None:
    """Size a dialog to `preferred`, no larger than its screen's available area less a
    frame (a tall dialog would put its buttons below a laptop's taskbar)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    window.resize(fitted(screen.availableGeometry(), preferred).size())


def available_screens() -> list[QRect]:
    return [s.availableGeometry() for s in QGuiApplication.screens()]


def place(window: QMainWindow, settings: QSettings | None) -> None:
    """Size and place the window before it is shown: where it was left if that is still on
    a screen, otherwise fitted to the screen's available area."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    window.setMinimumSize(MINIMUM_SIZE.boundedTo(available.marginsRemoved(FRAME).size()))
    saved = settings.value(GEOMETRY_KEY) if settings is not None else None
    if isinstance(saved, QByteArray) and window.restoreGeometry(saved) and \
            reachable(window.geometry(), available_screens()):
        state = settings.value(STATE_KEY) if settings is not None else None
        if isinstance(state, QByteArray):
            window.restoreState(state)
        return
    window.setGeometry(fitted(available))


def remember(window: QMainWindow, settings: QSettings | None) -> None:
    """Keep the window's geometry and state for the next start."""
    if settings is None:
        return
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(STATE_KEY, window.saveState())
    settings.sync()
    if settings.status() != QSettings.Status.NoError:
        log.warning("could not save the window's place in %s", settings.fileName())
