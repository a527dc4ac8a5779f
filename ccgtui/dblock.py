"""The database's cross-process lock: an advisory ``flock`` that survives its file being deleted.

An advisory lock belongs to an open file, not to a name.  If someone deletes
``ccgtui.json.lock`` while a process holds it, the next process creates a new
file under the same name and locks *that*: two writers at once, and a lost
note.  Two defences:

* after locking, the holder checks that the file it locked is still the one
  at the path (same device and inode) and starts again if not;
* it then also locks the database folder itself (a folder's name cannot be
  deleted from under a running ccgtui without deleting the database), so a
  lock file deleted *while* it is held lets nobody in.  Where folders cannot
  be locked (some network file systems), the store asks
  :meth:`DbLock.still_held` before each commit, and a writer whose lock file
  vanished writes nothing rather than racing another.

The lock file comes first, so an older ccgtui, which locks only the file,
is still excluded.

The lock file is never deleted by ccgtui (a waiter must find the same inode),
and it never needs deleting by hand: the lock dies with its process.  On a
timeout, :func:`holder` names the process holding it when the system says
(Linux ``/proc/locks``).  Reentrant within a thread; threads of one process
exclude each other (each acquisition opens its own descriptor).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from ccgtui.safe_text import clean_line

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: filelock's native lock instead
    fcntl = None  # type: ignore[assignment]


class LockTimeout(Exception):
    """Another process held the lock for the whole timeout."""


class DbLock:
    def __init__(self, path: Path, timeout: float) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._local = threading.local()

    @property
    def _depth(self) -> int:
        return int(getattr(self._local, "depth", 0))

    def acquire(self) -> None:
        if self._depth:
            self._local.depth += 1
            return
        self._local.fd = self._local.folder_fd = self._local.fallback = None
        if fcntl is None:  # pragma: no cover - Windows
            from filelock import FileLock

            lock = FileLock(str(self.path), timeout=self.timeout)
            try:
                lock.acquire()
            except Exception as exc:
                raise LockTimeout(str(self.path)) from exc
            self._local.fallback = lock
        else:
            deadline = time.monotonic() + self.timeout
            fd = self._acquire_file(deadline)
            try:
                self._local.folder_fd = self._acquire_folder(deadline)
            except BaseException:
                os.close(fd)
                raise
            self._local.fd = fd
        self._local.depth = 1

    def release(self) -> None:
        self._local.depth -= 1
        if self._local.depth:
            return
        if self._local.fallback is not None:  # pragma: no cover - Windows
            self._local.fallback.release()
        for fd in (self._local.folder_fd, self._local.fd):
            if fd is not None:
                os.close(fd)  # closing lets the flock go
        self._local.fd = self._local.folder_fd = self._local.fallback = None

    def __enter__(self) -> DbLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def still_held(self) -> bool:
        """Whether nobody else can hold the lock now (see the module docstring)."""
        if not self._depth:
            return False
        if getattr(self._local, "folder_fd", None) is not None:
            return True
        fd = getattr(self._local, "fd", None)
        return True if fd is None else _same_file(fd, self.path)  # None: the Windows fallback

    def _acquire_file(self, deadline: float) -> int:
        while True:
            fd = _open_lock_file(self.path)
            try:
                _flock_until(fd, deadline, str(self.path))
            except BaseException:
                os.close(fd)
                raise
            if _same_file(fd, self.path):
                return fd
            os.close(fd)  # the file we locked was deleted or replaced: lock the one there now

    def _acquire_folder(self, deadline: float) -> int | None:
        try:
            fd = os.open(self.path.parent, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            _flock_until(fd, deadline, str(self.path))
        except LockTimeout:
            os.close(fd)
            raise
        except OSError:  # folders cannot be locked here: rely on the file and still_held
            os.close(fd)
            return None
        return fd


def _flock_until(fd: int, deadline: float, what: str) -> None:
    assert fcntl is not None
    pause = 0.001
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(what) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.05)


def _open_lock_file(path: Path) -> int:
    flags = getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o666)
    except PermissionError:
        # A read-only lock file still locks: flock needs no write access.
        return os.open(path, os.O_RDONLY | flags)


def _same_file(fd: int, path: Path) -> bool:
    try:
        there = os.stat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def holder(path: Path) -> str | None:
    """``process 1234 (ccgtui note add ...)`` holding the lock on ``path``, if the system says."""
    try:
        st = os.stat(path)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (a waiter's lines start "-> ")
        fields = line.split()
        if len(fields) < 6 or fields[1] == "->" or fields[1] != "FLOCK":
            continue
        pid, dev_ino = fields[4], fields[5]
        if dev_ino.rsplit(":", 1)[-1] == str(st.st_ino) and pid.isdigit():
            return f"process {pid}{_command(int(pid))}"
    return None


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    words = [w.decode("utf-8", "replace") for w in raw.split(b"\0") if w]
    text = " ".join(os.path.basename(w) if i == 0 else w for i, w in enumerate(words))
    return f" ({clean_line(text[:80])})" if text else ""  # another program's argv: data
