"""The test suite's own guards, each shown on a small test file run by a pytest of its
own: a bug in the GUI fails its test instead of opening a modal crash dialog that nobody
closes (the suite would hang), a hang fails the run at its timeout, and no test (nor any
process a test starts) reaches the keyring of the person running the tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from keyring.backends import SecretService
from secret_service import PrivateKeyring, start_secret_service

from console.data.keystore import KEYRING_SERVICE

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def run_pytest(folder: Path, source: str, *options: str, env: dict[str, str] | None = None,
               timeout: float = 240) -> tuple[int, str]:
    """Run pytest on `source` (a test file written into folder) with this suite's conftest
    and settings; return its exit status and output."""
    (folder / "test_inner.py").write_text(textwrap.dedent(source))
    environment = {**(os.environ if env is None else env), "PYTHONPATH": str(TESTS)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-c", str(ROOT / "pyproject.toml"),
         "--rootdir", str(folder), "-p", "no:cacheprovider", "-q", "-rfE", *options,
         str(folder / "test_inner.py")],
        cwd=folder, env=environment, capture_output=True, text=True, timeout=timeout,
    )
    return proc.returncode, proc.stdout + proc.stderr


def outcomes(output: str) -> dict[str, str]:
    """{test name: FAILED or ERROR} from the short summary (-rfE)."""
    return {m.group(2): m.group(1)
            for m in re.finditer(r"^(FAILED|ERROR) test_inner\.py::(\w+)", output, flags=re.M)}


# --- A bug in the GUI fails the test, no dialog ----------------------------------------

BROKEN_PAGE = """
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    from console.views.crash import install_excepthook
    from console.views.tasks import TaskRunner


    class BrokenPage(QWidget):
        '''A page with a bug in a slot and a bug in the work of its background task.'''

        def __init__(self):
            super().__init__()
            self.tasks = TaskRunner(self, synchronous=True)
            self.reload = QPushButton("Reload")
            self.reload.clicked.connect(self.on_reload)
            self.load = QPushButton("Load")
            self.load.clicked.connect(self.on_load)
            self.fine = QPushButton("Fine")
            self.fine.clicked.connect(lambda: self.setWindowTitle("fine"))
            box = QVBoxLayout(self)
            for button in (self.reload, self.load, self.fine):
                box.addWidget(button)

        def on_reload(self):
            raise ValueError("a bug in a slot")

        def on_load(self):
            self.tasks.run(lambda control: 1 / 0, self.setWindowTitle)


    def page(qtbot):
        widget = BrokenPage()
        qtbot.addWidget(widget)
        widget.show()
        return widget


    def test_a_slot_raises_under_the_consoles_excepthook(qtbot):
        install_excepthook()  # as console.app does at start: bugs go to the crash dialog
        page(qtbot).reload.click()


    def test_a_slot_raises(qtbot):
        page(qtbot).reload.click()


    def test_a_background_task_fails(qtbot):
        page(qtbot).load.click()


    def test_a_page_without_a_bug(qtbot):
        widget = page(qtbot)
        widget.fine.click()
        assert widget.windowTitle() == "fine"
"""


@pytest.mark.gui
def test_a_bug_in_a_gui_page_fails_its_test_without_a_dialog(tmp_path: Path) -> None:
    status, output = run_pytest(tmp_path, BROKEN_PAGE, "-o", "timeout=60")
    # Without the guard the crash dialog of the first and third test waits for a click:
    # the run would stop at its timeout instead (a "Timeout" stack dump, nothing after).
    assert "Timeout" not in output, output
    assert outcomes(output) == {
        "test_a_slot_raises_under_the_consoles_excepthook": "FAILED",
        "test_a_slot_raises": "FAILED",
        "test_a_background_task_fails": "FAILED",
    }, output
    assert re.search(r"^3 failed, 1 passed", output, flags=re.M), output
    assert status == 1
    assert "crash dialog" in output and "ValueError: a bug in a slot" in output
    assert "ZeroDivisionError" in output


HANGING_PAGE = """
    from PySide6.QtWidgets import QMessageBox


    def test_a_modal_dialog_nobody_closes(qtbot):
        box = QMessageBox()
        box.setText("Waiting for a click that never comes")
        box.exec()
"""


@pytest.mark.gui
@pytest.mark.slow
def test_a_hang_ends_the_run_at_the_timeout(tmp_path: Path) -> None:
    status, output = run_pytest(tmp_path, HANGING_PAGE, "-o", "timeout=3", timeout=120)
    assert status == 1
    assert "Timeout" in output and "box.exec()" in output  # the stack of the hang


# --- The keyring of the person running the tests is never reached ------------------------


def test_this_session_runs_on_its_own_keyring(private_keyring: PrivateKeyring) -> None:
    backend = keyring.get_keyring()
    if private_keyring.bus_address is None:  # no gnome-keyring here: a keyring that refuses
        assert isinstance(backend, keyring.backends.fail.Keyring)
        assert "DBUS_SESSION_BUS_ADDRESS" not in os.environ
        assert os.environ["PYTHON_KEYRING_BACKEND"] == "keyring.backends.fail.Keyring"
    else:
        assert isinstance(backend, SecretService.Keyring)
        assert os.environ["DBUS_SESSION_BUS_ADDRESS"] == private_keyring.bus_address
        assert os.environ["PYTHON_KEYRING_BACKEND"] == "keyring.backends.SecretService.Keyring"


WRITES_KEYS = f"""
    import subprocess, sys

    from console.data.keystore import OsKeyring


    def test_a_test_saves_a_data_key():
        OsKeyring().save("inner-database", b"k" * 32)
        assert OsKeyring().load("inner-database") == b"k" * 32


    def test_a_process_started_by_a_test_saves_a_password():
        subprocess.run([sys.executable, "-c", "import keyring; "
                        "keyring.set_password({KEYRING_SERVICE!r}, 'child', 'secret')"],
                       check=True)
"""


def _users_entry(bus_address: str, name: str, monkeypatch: pytest.MonkeyPatch) -> str | None:
    with monkeypatch.context() as mp:
        mp.setenv("DBUS_SESSION_BUS_ADDRESS", bus_address)
        return SecretService.Keyring().get_password(KEYRING_SERVICE, name)


def test_tests_never_write_into_the_users_keyring(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # "The user's own keyring": a Secret Service on the session bus the tests are run from.
    users = start_secret_service(tmp_path / "users-keyring")
    try:
        with monkeypatch.context() as mp:
            mp.setenv("DBUS_SESSION_BUS_ADDRESS", users.bus_address)
            SecretService.Keyring().set_password(KEYRING_SERVICE, "users-own", "theirs")
        env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
        env["DBUS_SESSION_BUS_ADDRESS"] = users.bus_address
        status, output = run_pytest(tmp_path, WRITES_KEYS, env=env)
        assert status == 0 and re.search(r"^2 passed", output, flags=re.M), output
        # The tests wrote into a keyring of their own; the user's holds only its own entry.
        assert _users_entry(users.bus_address, "users-own", monkeypatch) == "theirs"
        assert _users_entry(users.bus_address, "data-key:inner-database", monkeypatch) is None
        assert _users_entry(users.bus_address, "child", monkeypatch) is None
    finally:
        users.stop()
