"""Shared fixtures: real SQLite files in temporary folders, the offscreen Qt platform."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any Qt import: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from console.data import migrate  # noqa: E402
from console.data.engine import Database, open_database, sqlite_url  # noqa: E402

DEMO_END = dt.date(2026, 6, 30)
GUI_MODULE_PREFIXES = ("test_gui", "test_calls_table_model", "test_views")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches the Qt application as `gui` (`-m "not gui"` skips them)."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures or "qtmodeltester" in fixtures or \
                item.module.__name__.rsplit(".", 1)[-1].startswith(GUI_MODULE_PREFIXES):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path_factory: pytest.TempPathFactory,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user's real data folder (default database, logs) out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new, migrated, empty SQLite database."""
    database = open_database(sqlite_url(tmp_path / "test.sqlite"))
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo program (seed 7, ending DEMO_END) written once for the whole session.

    Tests that use it must only read it.
    """
    from console.services.demo import generate_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(sqlite_url(path))
    migrate.upgrade(database)
    generate_demo(database.session_factory, seed=7, end=DEMO_END)
    database.dispose()
    return path


@pytest.fixture
def demo_db(demo_db_path: Path) -> Iterator[Database]:
    database = open_database(sqlite_url(demo_db_path), create=False)
    yield database
    database.dispose()
