"""Where the console keeps its files on this workstation."""

from __future__ import annotations

from pathlib import Path

from console import APP_ID


def user_data_dir() -> Path:
    """The per-user data folder (created on first use)."""
    import platformdirs

    path = platformdirs.user_data_path(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return user_data_dir() / "console.sqlite"


def demo_database_path() -> Path:
    return user_data_dir() / "demo.sqlite"


def log_file_path() -> Path:
    logs = user_data_dir() / "logs"
    logs.mkdir(exist_ok=True)
    return logs / "console.log"
