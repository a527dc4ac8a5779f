"""Outputs that are devices or FIFOs: written through, never replaced (issue 13, item 1).

Every writer (``export -o``, ``export --what matrix -o``, ``notes export -o``,
``db backup PATH``) goes through :func:`ccgtui.fileio.write_output`; a rename
over ``-o /dev/null --force`` as root would replace the system's /dev/null.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from ccgtui.fileio import OutputError, atomic_write_bytes, write_output

WRITERS = {
    "export md": ["export", "md"],
    "export matrix": ["export", "csv", "--what", "matrix", "--by", "arenas"],
    "notes export": ["notes", "export", "--format", "md"],
    "db backup": ["db", "backup"],
}


def _invoke(folder: Path, args: list[str], out: Path) -> tuple[int, str]:
    argv = ["--cases", str(folder), *args]
    argv += [str(out), "--force"] if args[0] == "db" else ["-o", str(out), "--force"]
    result = CliRunner().invoke(cli, argv)
    return result.exit_code, result.stderr


class _Reader(threading.Thread):
    """Reads a FIFO to its end, as `cat fifo` would."""

    def __init__(self, fifo: Path) -> None:
        super().__init__(daemon=True)
        self.fifo, self.data = fifo, b""

    def run(self) -> None:
        with self.fifo.open("rb") as fh:
            self.data = fh.read()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_fifo_is_written_through_and_stays_a_fifo(
    writer: str, minimal_folder: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = _Reader(fifo)
    reader.start()
    code, err = _invoke(minimal_folder, WRITERS[writer], fifo)
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced"
    assert code == 0, err
    assert reader.data, "nothing came through the FIFO"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_character_device_is_written_through_and_stays_a_device(
    writer: str, minimal_folder: Path, tmp_path: Path
) -> None:
    fake_null = tmp_path / "fakenull"
    try:
        os.mknod(fake_null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, AttributeError):
        pytest.skip("making a device needs root")
    code, err = _invoke(minimal_folder, WRITERS[writer], fake_null)
    st = fake_null.lstat()
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3), "the device was replaced"
    assert code == 0, err


def test_a_symlink_to_a_file_is_followed_not_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_output(link, b"new", force=True)
    assert link.is_symlink() and real.read_text() == "new"


def test_a_socket_or_folder_is_refused(tmp_path: Path) -> None:
    import socket

    sock_path = tmp_path / "s"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    try:
        with pytest.raises(OutputError, match="not a regular file"):
            write_output(sock_path, b"x", force=True)
        assert stat.S_ISSOCK(sock_path.lstat().st_mode)
    finally:
        sock.close()
    with pytest.raises(OutputError, match="folder"):
        write_output(tmp_path, b"x", force=True)


def test_the_atomic_write_never_renames_over_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "db.json"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        atomic_write_bytes(fifo, b"{}")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
