"""Where the console keeps its files on this workstation."""

from __future__ import annotations

from pathlib import Path

from console import APP_ID
from console.private_files import own_private_folder, private_folder


def user_data_dir() -> Path:
    """The per-user data folder, created on first use; its user's alone (0700)."""
    import platformdirs

    return own_private_folder(platformdirs.user_data_path(APP_ID, appauthor=False))


def default_database_path() -> Path:
    return user_data_dir() / "console.sqlite"


def demo_database_path() -> Path:
    return user_data_dir() / "demo.sqlite"


def log_file_path() -> Path:
    return private_folder(user_data_dir() / "logs") / "console.log"
