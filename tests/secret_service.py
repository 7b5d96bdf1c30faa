"""A real Secret Service keyring for tests: a private D-Bus bus with gnome-keyring on it.

The whole session runs on it (`private_keyring`): no test, nor any process a test starts,
can reach the keyring of the person running the tests. Where gnome-keyring or dbus is
not installed the keyring refuses every use, and tests that need one (`secret_service`)
skip with the reason; never faked.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from keyring.backends import SecretService

NO_SECRET_SERVICE = "no Secret Service: install gnome-keyring and dbus (see .ci/run)"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


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


def _end_with_the_tests() -> None:
    """Run in each daemon before it starts: on Linux it is sent SIGTERM when the test
    process ends, however it ends (a run stopped by its timeout leaves no daemon behind)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


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
            preexec_fn=_end_with_the_tests,
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
                preexec_fn=_end_with_the_tests,
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


@dataclass(frozen=True)
class PrivateKeyring:
    """The session's own Secret Service; bus_address None where none could be started."""

    bus_address: str | None
    reason: str = ""  # why there is none
    broken: bool = False  # installed but would not start: tests that need it fail

    def apply(self, mp: pytest.MonkeyPatch) -> None:
        """Point this process and its children at the private keyring, or at none at all."""
        if self.bus_address is not None:
            mp.setenv("DBUS_SESSION_BUS_ADDRESS", self.bus_address)
            mp.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
            keyring.set_keyring(SecretService.Keyring())
        else:  # no Secret Service of our own: any use of a keyring fails, none is reached
            mp.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
            mp.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
            keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture(scope="session", autouse=True)
def private_keyring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateKeyring]:
    """The whole session uses a Secret Service of its own: no test reaches the keyring of
    the person running them (their session bus is hidden from the tests and from the
    processes they start). Without gnome-keyring, the keyring is one that refuses."""
    if not shutil.which("dbus-daemon") or not shutil.which("gnome-keyring-daemon"):
        private, service = PrivateKeyring(None, NO_SECRET_SERVICE), None
    else:
        try:
            service = start_secret_service(tmp_path_factory.mktemp("secret-service"))
        except Exception as exc:  # the tests that need it fail with this; others run
            private, service = PrivateKeyring(None, f"private Secret Service: {exc}", True), None
        else:
            private = PrivateKeyring(service.bus_address)
    previous = keyring.get_keyring()
    with pytest.MonkeyPatch.context() as mp:
        private.apply(mp)
        try:
            yield private
        finally:
            keyring.set_keyring(previous)
            if service is not None:
                service.stop()


@pytest.fixture(autouse=True)
def _private_keyring_for_each_test(private_keyring: PrivateKeyring,
                                   monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts on the private keyring, whatever the one before it switched to."""
    private_keyring.apply(monkeypatch)
    yield
    private_keyring.apply(monkeypatch)


@pytest.fixture(scope="session")
def secret_service(private_keyring: PrivateKeyring) -> str:
    """A real Secret Service keyring (the session's private one); yields its bus address.

    Skips with the reason where gnome-keyring or dbus is not installed."""
    if private_keyring.bus_address is None:
        if private_keyring.broken:
            pytest.fail(private_keyring.reason)
        pytest.skip(private_keyring.reason)
    return private_keyring.bus_address
