"""When the disk says no: a full disk, a file-size limit, a read-only file or folder.

Each is a real situation made for real (a small tmpfs, RLIMIT_FSIZE in the child process,
an immutable file, a read-only mount) with the command line in a child process. Each
must end in one line on standard error that says what to do, exit status 2, an intact
database and no half-written file; never "internal error". The tests run as root in CI,
where file modes stop nothing: hence chattr and mount, skipped with the reason elsewhere.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_concurrency import console, finish, make_database, make_export

ROWS = 100_000  # several MB of WAL: more than the small disk or the file-size limit allow


def assert_one_line(code: int, err: str, *words: str) -> None:
    assert "internal error" not in err
    assert code == 2, err
    assert err.count("\n") == 1, err
    for word in words:
        assert word in err


def assert_intact(db: Path, calls: int = 0) -> None:
    """The database as the next open sees it: the file and its -wal, copied elsewhere (so
    the check writes nothing where the disk is full or read-only). The file alone is not
    the database: a checkpoint that found the disk full leaves committed pages in the -wal
    and the file half copied over, which SQLite finishes on a later open."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / db.name
        for suffix in ("", "-wal"):
            if Path(f"{db}{suffix}").exists():
                shutil.copyfile(f"{db}{suffix}", f"{copy}{suffix}")
        conn = sqlite3.connect(copy)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("SELECT count(*) FROM call").fetchone()[0] == calls
        finally:
            conn.close()


def size_limited(limit: int) -> Callable[[], None]:
    def limit_file_size() -> None:  # in the child, before it runs the console
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past it fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_file_size


def run(*argv: str, **kwargs: object) -> tuple[int, str, str]:
    return finish(console(*argv, **kwargs))


def no_leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.glob(target.name + "*"))


# --- a file-size limit (ulimit -f) ---------------------------------------------------

def test_an_import_under_a_file_size_limit_says_so_and_changes_nothing(tmp_path: Path) -> None:
    db = make_database(tmp_path / "console.sqlite")
    export, mapping = make_export(tmp_path, ROWS)
    code, _out, err = run("--db", str(db), "import-calls", str(export), "--mapping",
                          str(mapping), preexec_fn=size_limited(db.stat().st_size + 200_000))
    assert_one_line(code, err, "file-size limit", "nothing was changed")
    assert_intact(db)


def test_a_backup_under_a_file_size_limit_leaves_no_part_file(tmp_path: Path) -> None:
    db = make_database(tmp_path / "console.sqlite")
    export, mapping = make_export(tmp_path, ROWS)
    assert run("--db", str(db), "import-calls", str(export), "--mapping", str(mapping))[0] == 0
    target = tmp_path / "backup.sqlite"
    code, _out, err = run("--db", str(db), "backup", str(target),
                          preexec_fn=size_limited(200_000))
    assert_one_line(code, err, str(target), "file-size limit")
    assert no_leftovers(target) == []
    assert_intact(db, ROWS)


# --- a full disk ---------------------------------------------------------------------

def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip("cannot mount a small tmpfs to fill or make read-only (needs root with "
                    f"CAP_SYS_ADMIN): {done.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system of its own."""
    folder = tmp_path / "disk"
    _mount_tmpfs(folder, "1m")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def roomy_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system of its own with room for a database and its import, filled later by
    `leave_free` (room measured from the database made, not from its schema's size)."""
    folder = tmp_path / "disk"
    _mount_tmpfs(folder, "80m")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def leave_free(folder: Path, room: int) -> None:
    """Fill the file system until `room` bytes are left."""
    with (folder / "filler").open("wb") as f:
        os.posix_fallocate(f.fileno(), 0, shutil.disk_usage(folder).free - room)


KiB, MiB = 1 << 10, 1 << 20


# Where the room runs out, measured with ROWS calls (the call indexes dropped, rebuilt at
# the end): below about 13 MiB while the rows go in, from there to about 22 MiB while the
# indexes are rebuilt; from about 24.5 MiB the transaction fits in the -wal and commits.
@pytest.mark.parametrize("room", [512 * KiB, 18 * MiB],
                         ids=["while-inserting", "while-rebuilding-indexes"])
def test_an_import_on_a_full_disk_says_so_and_changes_nothing(
        roomy_disk: Path, tmp_path: Path, room: int) -> None:
    db = make_database(roomy_disk / "console.sqlite")
    export, mapping = make_export(tmp_path, ROWS)
    leave_free(roomy_disk, room)
    code, _out, err = run("--db", str(db), "import-calls", str(export), "--mapping",
                          str(mapping))
    assert_one_line(code, err, "disk is full", "nothing was changed")
    assert_intact(db)


def test_an_import_whose_checkpoint_finds_the_disk_full_keeps_every_row(
        roomy_disk: Path, tmp_path: Path) -> None:
    """The transaction fits in the -wal, copying it into the file does not: the import is
    committed, the -wal keeps it until there is room, and nothing is lost."""
    db = make_database(roomy_disk / "console.sqlite")
    export, mapping = make_export(tmp_path, ROWS)
    leave_free(roomy_disk, 32 * MiB)
    code, _out, err = run("--db", str(db), "import-calls", str(export), "--mapping",
                          str(mapping))
    assert code == 0, err
    assert Path(f"{db}-wal").stat().st_size > 0  # the checkpoint did stop on the full disk
    assert_intact(db, ROWS)


def test_a_database_on_a_disk_with_no_room_at_all_says_the_disk_is_full(
        roomy_disk: Path, tmp_path: Path) -> None:
    """Opening it makes its -shm file, and SQLite calls not being able to grow that one a
    disk I/O error: it is the full disk all the same."""
    db = make_database(roomy_disk / "console.sqlite")
    export, mapping = make_export(tmp_path, 10)
    leave_free(roomy_disk, 0)
    code, _out, err = run("--db", str(db), "import-calls", str(export), "--mapping",
                          str(mapping))
    assert_one_line(code, err, "disk is full", str(db))
    assert_intact(db)


def test_a_backup_onto_a_full_disk_leaves_no_part_file(small_disk: Path, tmp_path: Path) -> None:
    db = make_database(tmp_path / "console.sqlite")
    export, mapping = make_export(tmp_path, ROWS)
    assert run("--db", str(db), "import-calls", str(export), "--mapping", str(mapping))[0] == 0
    target = small_disk / "backup.sqlite"
    code, _out, err = run("--db", str(db), "backup", str(target))
    assert_one_line(code, err, str(target), "disk is full")
    assert no_leftovers(target) == []
    assert_intact(db, ROWS)


# --- read-only ------------------------------------------------------------------------

@pytest.fixture
def immutable(tmp_path: Path) -> Iterator[Callable[[Path], None]]:
    """chattr +i: a file that not even root may write (file modes do not stop root)."""
    made: list[Path] = []

    def make(path: Path) -> None:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip("cannot make a read-only file that binds root too (chattr +i needs "
                        f"root and ext4/xfs/btrfs): {done.stderr.strip()}")
        made.append(path)

    try:
        yield make
    finally:
        for path in made:
            subprocess.run(["chattr", "-i", str(path)], check=False)


def test_an_import_into_a_read_only_database_file_says_so(
        tmp_path: Path, immutable: Callable[[Path], None]) -> None:
    db = make_database(tmp_path / "console.sqlite")
    export, mapping = make_export(tmp_path, 10)
    immutable(db)
    code, _out, err = run("--db", str(db), "import-calls", str(export), "--mapping",
                          str(mapping))
    assert_one_line(code, err, "read-only", str(db))
    assert_intact(db)


def test_a_database_in_a_read_only_folder_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    _mount_tmpfs(folder, "4m")
    try:
        db = make_database(folder / "console.sqlite")
        export, mapping = make_export(tmp_path, 10)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        code, _out, err = run("--db", str(db), "import-calls", str(export), "--mapping",
                              str(mapping))
        assert_one_line(code, err, "read-only folder", str(folder))
        assert_intact(db)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_first_open_that_fails_midway_leaves_no_half_made_database(tmp_path: Path) -> None:
    """The schema is created in one transaction: a new file that could not take all of
    it holds none of it, and the next open (with room) makes it whole."""
    db = tmp_path / "new.sqlite"
    code, _out, err = run("--db", str(db), "migrate", preexec_fn=size_limited(40_000))
    assert_one_line(code, err, "file-size limit")
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
    finally:
        conn.close()
    code, out, err = run("--db", str(db), "migrate")
    assert code == 0 and "upgraded" in out, err
