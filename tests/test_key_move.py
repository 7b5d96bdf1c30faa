"""Moving the data key to a second workstation, each with its own real Secret Service."""

from __future__ import annotations

import io
import os
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from keyring.backends import SecretService
from secret_service import start_secret_service

from console.__main__ import main

PASSPHRASE = "river stones under the bridge"


@pytest.fixture
def workstations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A function that switches this process to a fresh workstation keyring."""
    previous, started = keyring.get_keyring(), []

    def switch(name: str) -> None:
        service = start_secret_service(tmp_path / name)
        started.append(service)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
        keyring.set_keyring(SecretService.Keyring())

    yield switch
    keyring.set_keyring(previous)
    for service in started:
        service.stop()


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_export_then_import_on_a_second_workstation(
        workstations, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db, key_file = tmp_path / "unit.sqlite", tmp_path / "unit.key"
    workstations("first")
    assert main(["--db", str(db), "key", "info"]) == 0  # creates the key in keyring one
    info = capsys.readouterr().out
    assert "OS keyring (SecretService)" in info and "DEMO" not in info
    assert not any(p.name.endswith(".demo-key") for p in tmp_path.iterdir())
    _stdin(monkeypatch, f"{PASSPHRASE}\n")
    assert main(["--db", str(db), "key", "export", str(key_file)]) == 0
    assert key_file.exists() and os.path.getsize(key_file) > 100
    assert b"coresponse-console-key" in key_file.read_bytes()

    workstations("second")  # a workstation whose keyring never saw this database
    capsys.readouterr()
    assert main(["--db", str(db), "stats"]) == 2
    err = capsys.readouterr().err
    assert "is not in OS keyring" in err and "key import" in err and err.count("\n") == 1

    _stdin(monkeypatch, "the wrong passphrase entirely\n")
    assert main(["key", "import", str(key_file)]) == 2
    assert "passphrase" in capsys.readouterr().err
    _stdin(monkeypatch, f"{PASSPHRASE}\n")
    assert main(["key", "import", str(key_file)]) == 0
    assert main(["--db", str(db), "stats"]) == 0


def test_no_keyring_backend_gives_guidance_and_creates_nothing(
        tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        db = tmp_path / "real.sqlite"
        assert main(["--db", str(db), "stats"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "keyring" in err and "Traceback" not in err
        assert not any(p.name.endswith(".demo-key") for p in tmp_path.iterdir())
        # The demo needs no keyring: its key lies beside it, marked demo-only.
        demo = tmp_path / "demo.sqlite"
        assert main(["--db", str(demo), "demo", "--years", "1", "--calls", "300"]) == 0
        assert (tmp_path / "demo.sqlite.demo-key").read_text().startswith("# DEMO ONLY")
        capsys.readouterr()
        assert main(["--db", str(demo), "key", "info"]) == 0
        assert "DEMO ONLY" in capsys.readouterr().out
    finally:
        keyring.set_keyring(previous)
