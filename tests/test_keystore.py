"""Where the data key is kept: a real Secret Service keyring, the demo key file, key files."""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import time
import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.backends.null
import keyring.errors
import pytest
from keyring.backends import SecretService
from secret_service import start_secret_service

from console.data.crypto import Vault
from console.data.keystore import (
    DEMO_KEY_HEADER,
    KEYRING_SERVICE,
    SCRYPT_N,
    DemoKeyFile,
    KeyStore,
    KeyUnavailable,
    OsKeyring,
    demo_key_path,
    export_key,
    import_key,
)
from console.errors import UserError

FAST_N = 2**14  # production uses SCRYPT_N; one test below runs it
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def database_uuid() -> Iterator[str]:
    """A new database UUID; its keyring entry (if any) is removed afterwards."""
    value = str(uuid.uuid4())
    yield value
    with contextlib.suppress(keyring.errors.KeyringError):
        keyring.delete_password(KEYRING_SERVICE, f"data-key:{value}")


@pytest.fixture
def fail_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


# --- OsKeyring -----------------------------------------------------------------------------


def test_os_keyring_keeps_the_key_for_a_fresh_instance(
    secret_service: str, database_uuid: str
) -> None:
    key = Vault.new_key()
    store: KeyStore = OsKeyring()
    store.save(database_uuid, key)
    assert OsKeyring().load(database_uuid) == key
    stored = keyring.get_password(KEYRING_SERVICE, f"data-key:{database_uuid}")
    assert stored is not None and base64.b64decode(stored) == key


def test_os_keyring_replaces_a_key_saved_again(secret_service: str, database_uuid: str) -> None:
    first, second = Vault.new_key(), Vault.new_key()
    OsKeyring().save(database_uuid, first)
    OsKeyring().save(database_uuid, second)
    assert OsKeyring().load(database_uuid) == second


def test_os_keyring_has_no_key_for_an_unknown_database(
    secret_service: str, database_uuid: str
) -> None:
    assert OsKeyring().load(database_uuid) is None


def test_os_keyring_label_names_the_backend(secret_service: str) -> None:
    assert OsKeyring().label == "OS keyring (SecretService)"
    assert OsKeyring(keyring.backends.fail.Keyring()).label == "OS keyring (Keyring)"


def test_os_keyring_refuses_a_damaged_entry(secret_service: str, database_uuid: str) -> None:
    keyring.set_password(KEYRING_SERVICE, f"data-key:{database_uuid}", "not base64 at all!")
    with pytest.raises(KeyUnavailable, match="damaged"):
        OsKeyring().load(database_uuid)


def test_no_keyring_gives_one_line_of_guidance(
    fail_keyring: None, database_uuid: str, caplog: pytest.LogCaptureFixture
) -> None:
    # The reason is logged at INFO: on its own this test must not depend on a test before
    # it having set the console's log level.
    caplog.set_level(logging.INFO, logger="console.data.keystore")
    store = OsKeyring()
    for action in (lambda: store.load(database_uuid),
                   lambda: store.save(database_uuid, Vault.new_key())):
        with pytest.raises(KeyUnavailable) as caught:
            action()
        message = str(caught.value)
        assert "\n" not in message
        assert message.startswith("no OS keyring is available to hold the encryption key")
        assert "GNOME Keyring or KWallet" in message and "docs/encryption-keys.md" in message
    assert caplog.records and all(r.exc_info is None for r in caplog.records)


def test_a_stopped_keyring_service_gives_guidance_and_a_log_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The Secret Service backend with no bus behind it raises OSError, not a KeyringError."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    caplog.set_level(logging.INFO, logger="console.data.keystore")
    with pytest.raises(KeyUnavailable) as caught:
        OsKeyring(SecretService.Keyring()).load(str(uuid.uuid4()))
    message = str(caught.value)
    assert message.startswith("the OS keyring failed to read the encryption key (")
    assert "running and unlocked" in message and "\n" not in message
    (record,) = caplog.records
    assert record.getMessage().startswith("keyring failed to read the data key for database")
    assert "FileNotFoundError" in record.getMessage() and record.exc_info is None


def test_a_keyring_that_forgets_is_refused(database_uuid: str) -> None:
    store = OsKeyring(keyring.backends.null.Keyring())
    with pytest.raises(KeyUnavailable, match="^no OS keyring is available"):
        store.save(database_uuid, Vault.new_key())


def test_a_locked_keyring_says_to_unlock_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second private keyring, locked, so the session's keyring stays unlocked."""
    import secretstorage
    from jeepney.io.blocking import open_dbus_connection

    database_uuid = str(uuid.uuid4())
    service = start_secret_service(tmp_path)
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus_address)
        backend = SecretService.Keyring()
        store = OsKeyring(backend)
        store.save(database_uuid, Vault.new_key())
        with open_dbus_connection(bus=service.bus_address) as connection:
            collection = secretstorage.get_default_collection(connection)
            collection.lock()
            assert collection.is_locked()
        for action in (lambda: store.load(database_uuid),
                       lambda: store.save(database_uuid, Vault.new_key())):
            with pytest.raises(KeyUnavailable) as caught:
                action()
            assert str(caught.value).startswith("the OS keyring is locked")
            assert "\n" not in str(caught.value)
    finally:
        service.stop()


# --- DemoKeyFile ---------------------------------------------------------------------------


def test_demo_key_file_round_trip(tmp_path: Path, database_uuid: str) -> None:
    db_path = tmp_path / "demo.sqlite"
    key = Vault.new_key()
    store: KeyStore = DemoKeyFile(db_path)
    assert store.load(database_uuid) is None
    store.save(database_uuid, key)
    assert DemoKeyFile(db_path).load(database_uuid) == key
    path = demo_key_path(db_path)
    assert path == tmp_path / "demo.sqlite.demo-key"
    assert path.stat().st_mode & 0o777 == 0o600
    first_line, key_line = path.read_text(encoding="ascii").splitlines()
    assert first_line == DEMO_KEY_HEADER and "DEMO ONLY" in first_line
    assert base64.b64decode(key_line) == key
    assert store.label == f"demo key file {path} (demo only)"
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_demo_key_file_replaces_a_looser_file_with_a_private_one(tmp_path: Path) -> None:
    path = demo_key_path(tmp_path / "demo.sqlite")
    path.write_text("old\n")
    path.chmod(0o644)
    key = Vault.new_key()
    DemoKeyFile(tmp_path / "demo.sqlite").save("any", key)
    assert path.stat().st_mode & 0o777 == 0o600
    assert DemoKeyFile(tmp_path / "demo.sqlite").load("any") == key


def test_a_damaged_demo_key_file_is_refused(tmp_path: Path) -> None:
    demo_key_path(tmp_path / "demo.sqlite").write_text(f"{DEMO_KEY_HEADER}\n***\n")
    with pytest.raises(KeyUnavailable, match="damaged"):
        DemoKeyFile(tmp_path / "demo.sqlite").load("any")


# --- Key files for a second workstation -----------------------------------------------------


def test_export_import_round_trip(database_uuid: str) -> None:
    key = Vault.new_key()
    blob = export_key(database_uuid, key, PASSPHRASE, n=FAST_N)
    document = json.loads(blob.decode("utf-8"))
    assert document["format"] == "coresponse-console-key" and document["version"] == 1
    assert document["database_uuid"] == database_uuid
    scrypt = (document["kdf"], document["n"], document["r"], document["p"])
    assert scrypt == ("scrypt", FAST_N, 8, 1)
    assert base64.b64encode(key).decode() not in blob.decode()
    assert import_key(blob, PASSPHRASE) == (database_uuid, key)


def test_export_import_with_the_production_scrypt_cost(database_uuid: str) -> None:
    key = Vault.new_key()
    blob = export_key(database_uuid, key, PASSPHRASE)
    assert json.loads(blob)["n"] == SCRYPT_N == 2**17
    assert import_key(blob, PASSPHRASE) == (database_uuid, key)


def test_two_exports_of_the_same_key_differ(database_uuid: str) -> None:
    key = Vault.new_key()
    first = json.loads(export_key(database_uuid, key, PASSPHRASE, n=FAST_N))
    second = json.loads(export_key(database_uuid, key, PASSPHRASE, n=FAST_N))
    assert first["salt"] != second["salt"] and first["ciphertext"] != second["ciphertext"]


def test_the_passphrase_matches_in_either_unicode_form(database_uuid: str) -> None:
    passphrase = "Zoë's long passphrase"
    key = Vault.new_key()
    blob = export_key(database_uuid, key, unicodedata.normalize("NFC", passphrase), n=FAST_N)
    assert import_key(blob, unicodedata.normalize("NFD", passphrase)) == (database_uuid, key)


def test_wrong_passphrase_is_refused(database_uuid: str) -> None:
    blob = export_key(database_uuid, Vault.new_key(), PASSPHRASE, n=FAST_N)
    with pytest.raises(UserError, match="^wrong passphrase, or the key file is damaged"):
        import_key(blob, PASSPHRASE + "!")


def test_a_relabelled_key_file_is_refused(database_uuid: str) -> None:
    document = json.loads(export_key(database_uuid, Vault.new_key(), PASSPHRASE, n=FAST_N))
    document["database_uuid"] = str(uuid.uuid4())
    with pytest.raises(UserError, match="^wrong passphrase, or the key file is damaged"):
        import_key(json.dumps(document).encode(), PASSPHRASE)


@pytest.mark.parametrize(
    "blob",
    [
        os.urandom(64),
        b"",
        b'{"format": "something-else", "version": 1}',
        b'{"database_uuid": "x", "key": "AAAA"}',
        b"[1, 2, 3]",
        b'"coresponse-console-key"',
    ],
    ids=["random", "empty", "other-format", "other-shape", "list", "string"],
)
def test_not_a_key_file_is_refused(blob: bytes) -> None:
    with pytest.raises(UserError, match="^this is not a Co-Response Console key file") as caught:
        import_key(blob, PASSPHRASE)
    assert "\n" not in str(caught.value)


def test_a_newer_key_file_version_is_refused(database_uuid: str) -> None:
    document = json.loads(export_key(database_uuid, Vault.new_key(), PASSPHRASE, n=FAST_N))
    document["version"] = 2
    with pytest.raises(UserError, match="^unsupported key file version 2"):
        import_key(json.dumps(document).encode(), PASSPHRASE)


@pytest.mark.parametrize(
    ("name", "value"),
    [("n", 3000), ("n", "16384"), ("kdf", "pbkdf2"), ("salt", "***"),
     ("nonce", "AAAA"), ("ciphertext", None)],
)
def test_a_damaged_key_file_is_refused_before_any_work(
    database_uuid: str, name: str, value: object
) -> None:
    document = json.loads(export_key(database_uuid, Vault.new_key(), PASSPHRASE, n=FAST_N))
    document[name] = value
    started = time.perf_counter()
    with pytest.raises(UserError, match="^the key file is damaged"):
        import_key(json.dumps(document).encode(), PASSPHRASE)
    assert time.perf_counter() - started < 0.05  # n = 2**30 would need 128 GiB


@pytest.mark.parametrize(
    ("n", "r", "p"),
    [(2**20, 32, 16), (2**30, 8, 1), (2**20, 8, 1), (2**17, 32, 1), (2**17, 8, 16), (2**14, 1, 1)],
    ids=["4GiB", "128GiB", "n-too-big", "r-too-big", "p-too-big", "r-too-small"],
)
def test_a_key_file_demanding_other_scrypt_costs_is_refused_before_deriving(
    database_uuid: str, n: int, r: int, p: int
) -> None:
    """A hostile key file must not make us allocate gigabytes (128 * n * r * p bytes)."""
    document = json.loads(export_key(database_uuid, Vault.new_key(), PASSPHRASE, n=FAST_N))
    document.update(n=n, r=r, p=p)
    started = time.perf_counter()
    with pytest.raises(UserError, match="^the key file asks for scrypt") as caught:
        import_key(json.dumps(document).encode(), PASSPHRASE)
    assert time.perf_counter() - started < 0.05
    assert "\n" not in caught.value.message and f"n={n}, r={r}, p={p}" in caught.value.message


def test_a_key_file_missing_a_field_is_refused(database_uuid: str) -> None:
    document = json.loads(export_key(database_uuid, Vault.new_key(), PASSPHRASE, n=FAST_N))
    del document["salt"]
    with pytest.raises(UserError, match=r"^the key file is damaged \(no 'salt' field\)"):
        import_key(json.dumps(document).encode(), PASSPHRASE)


@pytest.mark.parametrize("passphrase", ["", "short", "eleven char"])
def test_a_short_passphrase_is_refused(database_uuid: str, passphrase: str) -> None:
    with pytest.raises(UserError, match="^passphrase too short: use at least 12 characters$"):
        export_key(database_uuid, Vault.new_key(), passphrase, n=FAST_N)
    assert len(export_key(database_uuid, Vault.new_key(), "twelve chars", n=FAST_N)) > 0


# --- a first open whose commit fails leaves no key behind -----------------------------------

def test_os_keyring_forgets_a_key(secret_service: str, database_uuid: str) -> None:
    store = OsKeyring()
    store.save(database_uuid, Vault.new_key())
    store.forget(database_uuid)
    assert OsKeyring().load(database_uuid) is None
    store.forget(database_uuid)  # nothing kept: nothing to do, no error


def _first_open_whose_commit_fails(path: Path, store: KeyStore | None) -> list[str]:
    """Open a new database whose first commit of its identity fails (an injected commit
    failure: the database and the key store are real); returns the uuids it had kept."""
    from sqlalchemy import event

    from console.data import identity, migrate
    from console.data.engine import open_database, sqlite_url

    database = open_database(sqlite_url(path))
    migrate.upgrade(database)
    kept: list[str] = []
    target = store or DemoKeyFile(path)
    real_save = target.save

    def save(database_uuid: str, key: bytes) -> None:
        real_save(database_uuid, key)
        kept.append(database_uuid)

    target.save = save  # type: ignore[method-assign]

    def refuse_commit(_conn: object) -> None:
        raise OSError("disk I/O error at commit")

    event.listen(database.engine, "commit", refuse_commit)
    try:
        with pytest.raises(OSError, match="at commit"):
            identity.unlock(database, create_demo=store is None, store=target)
    finally:
        event.remove(database.engine, "commit", refuse_commit)
        database.dispose()
    return kept


def test_a_failed_first_commit_leaves_no_demo_key_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    kept = _first_open_whose_commit_fails(path, None)
    assert len(kept) == 1  # the key was kept before the commit, as it must be
    assert not demo_key_path(path).exists()


def test_a_failed_first_commit_leaves_no_key_in_the_keyring(
        secret_service: str, tmp_path: Path) -> None:
    kept = _first_open_whose_commit_fails(tmp_path / "real.sqlite", OsKeyring())
    assert len(kept) == 1
    assert OsKeyring().load(kept[0]) is None
