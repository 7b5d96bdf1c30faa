"""Logging: everything to a rotating file in the user data folder, warnings to stderr."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path


class _OneLine(logging.Formatter):
    """The terminal gets one line per message; tracebacks go to the log file only."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is now (tests swap it between runs)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self):  # type: ignore[no-untyped-def]
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # type: ignore[no-untyped-def]
        pass


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the current one and each new one) is 0600."""

    def _open(self):  # type: ignore[no-untyped-def]
        from console.private_files import open_private

        return open_private(Path(self.baseFilename), "a", encoding=self.encoding,
                            errors=self.errors)


_installed: list[logging.Handler] = []


def setup_logging(verbose: bool = False) -> Path | None:
    """Install the console's handlers on the root logger; calling it again replaces them."""
    from console.paths import log_file_path

    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    stderr = _StderrHandler()
    stderr.setLevel(logging.DEBUG if verbose else logging.WARNING)
    stderr.setFormatter(
        logging.Formatter("%(levelname)s %(name)s: %(message)s") if verbose else _OneLine()
    )
    root.addHandler(stderr)
    _installed.append(stderr)
    try:
        path = log_file_path()
        handler = _PrivateRotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        root.warning("cannot write the log file; logging to the terminal only")
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
    _installed.append(handler)
    return path
