"""A real Secret Service keyring for tests: a private D-Bus bus with gnome-keyring on it.

Skips (with the reason) where gnome-keyring or dbus is not installed; never fakes one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import pytest
from keyring.backends import SecretService

from console.data.keystore import KEYRING_SERVICE

NO_SECRET_SERVICE = "no Secret Service: install gnome-keyring and dbus (see .ci/run)"


@dataclass
class SecretServiceProcesses:
    """A private D-Bus session bus with gnome-keyring-daemon on it, children of the tests."""

    bus_address: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    startup_seconds: float = 0.0

    def stop(self) -> None:
        for process in reversed(self.processes):  # the keyring daemon first, then its bus
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


def _bus_has_name(bus_address: str, name: str) -> bool:
    from jeepney import new_method_call
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus=bus_address) as connection:
        reply = connection.send_and_get_reply(
            new_method_call(message_bus, "NameHasOwner", "s", (name,)), timeout=5
        )
    return bool(reply.body and reply.body[0])


def start_secret_service(workdir: Path, timeout: float = 15.0) -> SecretServiceProcesses:
    """Start dbus-daemon and an unlocked gnome-keyring-daemon (secrets only) in `workdir`.

    Skips the calling test when the programs are not installed; never fakes a keyring. Both
    run in the foreground as children of this process, so stop() ends and reaps exactly
    them. They get their own HOME and XDG folders, and no DISPLAY, so an unlock prompt fails
    at once instead of waiting for a person.
    """
    dbus_daemon, keyring_daemon = shutil.which("dbus-daemon"), shutil.which("gnome-keyring-daemon")
    if not dbus_daemon or not keyring_daemon:
        pytest.skip(NO_SECRET_SERVICE)
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")}
    for name, sub in (("HOME", "home"), ("XDG_DATA_HOME", "data"),
                      ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"),
                      ("XDG_RUNTIME_DIR", "run")):
        folder = workdir / sub
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        env[name] = str(folder)
    started = time.perf_counter()
    with open(workdir / "dbus-daemon.log", "wb") as log_file:
        bus = subprocess.Popen(
            [dbus_daemon, "--session", "--nofork", "--print-address=1"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log_file,
        )
    assert bus.stdout is not None
    address = bus.stdout.readline().decode().strip()
    service = SecretServiceProcesses(bus_address=address, processes=[bus])
    try:
        if not address:
            raise RuntimeError(f"dbus-daemon printed no address (exit code {bus.poll()})")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        with open(workdir / "gnome-keyring.log", "wb") as log_file:
            daemon = subprocess.Popen(
                [keyring_daemon, "--foreground", "--unlock", "--components=secrets"],
                env=env, stdin=subprocess.PIPE, stdout=log_file, stderr=subprocess.STDOUT,
            )
        service.processes.append(daemon)
        assert daemon.stdin is not None
        daemon.stdin.write(b"test-keyring-password")
        daemon.stdin.close()
        deadline = time.monotonic() + timeout
        while not _bus_has_name(address, "org.freedesktop.secrets"):
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"gnome-keyring-daemon did not come up on the bus, see {workdir}"
                )
            time.sleep(0.02)
    except BaseException:
        service.stop()
        raise
    service.startup_seconds = time.perf_counter() - started
    return service


def _existing_secret_service_usable() -> bool:
    """True if this process already has a session bus with an unlocked Secret Service."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    try:
        SecretService.Keyring.priority  # noqa: B018 - raises if the service is not there
        SecretService.Keyring().get_password(KEYRING_SERVICE, "data-key:probe")
    except Exception:  # any failure means: start our own
        return False
    return True


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Select a real Secret Service keyring for the session; yields the bus address."""
    previous = keyring.get_keyring()
    service = None
    with pytest.MonkeyPatch.context() as mp:
        if not _existing_secret_service_usable():
            service = start_secret_service(tmp_path_factory.mktemp("secret-service"))
            mp.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
        try:
            keyring.set_keyring(SecretService.Keyring())
            yield os.environ["DBUS_SESSION_BUS_ADDRESS"]
        finally:
            keyring.set_keyring(previous)
            if service is not None:
                service.stop()
