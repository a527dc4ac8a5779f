"""Faults around the database files: a one-line message and exit 1, never a traceback.

Issue 13 items 6 (lock), 8 (a failed backup after a saved note) and 9's
storage part (read-only folder, lock path that is a folder, full disk, a
malformed notes row).  Running as root, permissions do not stop anything, so
read-only and full-disk faults are made in-process by making the write fail
as the kernel would.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import ccgtui.fileio
from ccgtui import userdata as ud
from ccgtui.cli import cli
from ccgtui.store import Store, StoreError
from ccgtui.store import base as store_base
from ccgtui.store import userfile as store_userfile


def _run(folder: Path, db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--cases", str(folder), "--db", str(db), *args])


def _clean_failure(result: Result, *words: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.stderr, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)  # a traceback would leave the exception here
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ccgtui: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _fail_with(monkeypatch: pytest.MonkeyPatch, name: str, code: int) -> None:
    """Make every atomic write fail at ``name`` with ``code`` (ENOSPC, EACCES ...)."""

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(ccgtui.fileio.os, name, fail)


# -- the lock -----------------------------------------------------------------------------


_HOLDER = """
import fcntl, sys, time
fd = open(sys.argv[1], "a")
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def test_a_lock_timeout_names_the_holder_and_never_says_delete(
    minimal_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ccgtui.json"
    Store(db, minimal_folder).open()
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db) + ".lock"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        monkeypatch.setattr(store_base, "LOCK_TIMEOUT_S", 0.2)
        with pytest.raises(StoreError) as info:
            ud.add_note(Store(db, minimal_folder), "case:case-a", "waits")
    finally:
        proc.kill()
        proc.wait()
    message = str(info.value)
    if Path("/proc/locks").exists():
        assert f"process {proc.pid}" in message
    assert "remove" not in message and "delete" not in message


def test_a_lock_path_that_is_a_folder(minimal_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "ccgtui.json"
    (tmp_path / "ccgtui.json.lock").mkdir()
    _clean_failure(_run(minimal_folder, db, "list"), "ccgtui.json.lock")


def test_a_read_only_lock_file_still_locks(
    minimal_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ccgtui.json"
    Store(db, minimal_folder).open()
    import ccgtui.dblock

    real_open = os.open

    def no_write_access(path: object, flags: int, *args: int) -> int:
        if str(path).endswith(".lock") and flags & os.O_RDWR:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ccgtui.dblock.os, "open", no_write_access)
    result = _run(minimal_folder, db, "note", "add", "case:case-a", "kept")
    assert result.exit_code == 0, result.stderr
    assert [n.text for n in ud.list_notes(Store(db, minimal_folder))] == ["kept"]


# -- read-only and full ---------------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_note_add_on_a_full_or_read_only_disk(
    code: int, minimal_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ccgtui.json"
    _run(minimal_folder, db, "note", "add", "case:case-a", "first")
    before = db.with_name("ccgtui.user.json").read_bytes()
    _fail_with(monkeypatch, "fsync" if code == errno.ENOSPC else "replace", code)
    result = _run(minimal_folder, db, "note", "add", "case:case-a", "second")
    _clean_failure(result, "ccgtui.user.json", os.strerror(code))
    assert db.with_name("ccgtui.user.json").read_bytes() == before
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_load_on_a_full_disk(
    minimal_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ccgtui.json"
    _fail_with(monkeypatch, "fsync", errno.ENOSPC)
    _clean_failure(_run(minimal_folder, db, "load"), "ccgtui.json", "No space left")


def test_a_read_only_database_folder(
    minimal_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ccgtui.json"
    import tempfile

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path))

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    _clean_failure(_run(minimal_folder, db, "list"), "Permission denied")


# -- a backup that fails after the note is saved (item 8) -----------------------------------


def test_a_failed_backup_after_a_saved_note_is_a_warning(
    minimal_folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "ccgtui.json"
    (tmp_path / "ccgtui.backups").write_text("a file where the backups folder goes")
    result = _run(minimal_folder, db, "note", "add", "case:case-a", "saved once")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "warning" in result.stderr and "ccgtui.backups" in result.stderr
    assert [n.text for n in ud.list_notes(Store(db, minimal_folder))] == ["saved once"]


def test_a_full_backups_folder_is_a_warning(
    minimal_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ccgtui.json"
    real = ccgtui.fileio.atomic_write_bytes

    def full_backups(path: Path, data: bytes | bytearray, **kw: int) -> None:
        if path.parent.name.endswith(".backups"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data, **kw)

    monkeypatch.setattr(store_userfile, "atomic_write_bytes", full_backups)
    result = _run(minimal_folder, db, "note", "add", "case:case-a", "saved once")
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert "No space left" in result.stderr


# -- a malformed row in a notes file (item 9) -----------------------------------------------


@pytest.mark.parametrize(
    "row",
    [{"target": "case:case-a"}, {"id": "x", "target": "case:case-a", "text": "t"}, ["a list"]],
)
def test_a_malformed_notes_row(minimal_folder: Path, tmp_path: Path, row: object) -> None:
    db = tmp_path / "ccgtui.json"
    _run(minimal_folder, db, "note", "add", "case:case-a", "fine")
    user = db.with_name("ccgtui.user.json")
    data = json.loads(user.read_bytes())
    data["notes"]["2"] = row
    user.write_text(json.dumps(data))
    os.utime(user, (time.time(), time.time()))
    _clean_failure(_run(minimal_folder, db, "note", "list"), "ccgtui.user.json", "note")
