"""Every file ccgtui writes goes through here: the atomic replace and the output writer.

:func:`atomic_write_bytes` replaces a regular file so a crash leaves either the
old or the new file (temp file in the same folder, fsync, ``os.replace``,
fsync of the folder).  It never renames over anything but a regular file: a
rename over a device or FIFO would replace the node itself (``-o /dev/null
--force`` as root would replace the system's /dev/null).  A symlink is
followed, so the file it points at is replaced and the link kept.  The file
keeps its mode and group when it exists (a group-shared notes file stays
shared); a new one gets ``new_mode``.

:func:`write_output` is what every user-named output (exports, ``notes
export -o``, ``db backup PATH``) uses: refuse to overwrite without ``force``,
write *through* a character device or FIFO (open and write, as ``>`` does),
refuse block devices, sockets and folders, and never create missing folders.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

TEMP_SUFFIX = ".tmp"


class OutputError(Exception):
    """A user-named output cannot be written; the message says why and where."""


class NotARegularFile(OSError):
    """The path exists and is not a regular file, so it must not be replaced."""


def temp_prefix(path: Path) -> str:
    """Temp files for ``path`` are ``.<name>.<random>.tmp`` in its folder (the sweep's pattern)."""
    return f".{path.name}."


def _resolved(path: Path) -> Path:
    """The file a symlink points at (so the link survives); ``path`` otherwise."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


# What the writers take: the bytes, or chunks of them (a streamed export, issue 16).
Data = bytes | bytearray | Iterable[bytes]


def _chunks(data: Data) -> Iterable[bytes]:
    return [bytes(data)] if isinstance(data, bytes | bytearray) else data


def atomic_write_bytes(path: Path, data: Data, *, new_mode: int = 0o600) -> None:
    """Replace the regular file ``path`` (or create it) with ``data``, atomically."""
    target = _resolved(Path(path))
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        raise NotARegularFile(errno.EINVAL, f"{path} is not a regular file; not replacing it")
    fd, tmp = tempfile.mkstemp(
        prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent or "."
    )
    try:
        if old is None:
            os.fchmod(fd, new_mode)
        else:
            _keep_owner_and_mode(fd, old)
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes | bytearray):
                fh.write(data)
            else:
                fh.writelines(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def _keep_owner_and_mode(fd: int, old: os.stat_result) -> None:
    if old.st_gid != os.fstat(fd).st_gid:
        with contextlib.suppress(OSError):  # a member of the group may hand the file to it
            os.fchown(fd, -1, old.st_gid)
    os.fchmod(fd, stat.S_IMODE(old.st_mode))


def fsync_dir(folder: Path) -> None:
    try:
        dfd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def umask_mode() -> int:
    """What a new file gets from ``>``: 0666 less the umask."""
    umask = os.umask(0o022)  # reading the umask means setting it; restore at once
    os.umask(umask)
    return 0o666 & ~umask


def write_output(
    path: Path, data: Data, *, force: bool = False, new_mode: int | None = None
) -> None:
    """Write a user-named output: a regular file atomically, a device or FIFO through.

    A new file gets ``new_mode``, by default what the umask allows (as ``>``
    does).  Raises :class:`OutputError` with a one-line reason.
    """
    try:
        st = os.stat(path)  # follows a symlink: what would be written is what counts
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if st is None and os.path.lexists(path):
        raise OutputError(f"{path} is a broken symbolic link; give a file name")
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        _write_through(path, data)  # a stream has nothing to overwrite: no --force needed
        return
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path} is a folder; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path} is not a regular file, a FIFO or a terminal; not writing to it")
    if st is not None and not force:
        raise OutputError(f"{path} already exists; use --force to overwrite it")
    folder = _resolved(path).parent
    if not folder.is_dir():  # a typo in a path should not create folders
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")
    try:
        atomic_write_bytes(path, data, new_mode=umask_mode() if new_mode is None else new_mode)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _write_through(path: Path, data: Data) -> None:
    """Open and write, as ``> path`` does; blocks until a FIFO has a reader."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):  # swapped since the stat
            raise OutputError(f"{path} changed while it was being opened; not writing to it")
        for chunk in _chunks(data):
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view) :]
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """A SQLite URI opening ``path`` read-only (``sqlite3.connect(uri, uri=True)``).

    The path is percent-encoded: a '?', '#' or '%' in a folder name would otherwise
    be read as the URI's query or fragment, and the file never found.
    """
    return f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")
