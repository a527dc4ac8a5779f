"""A case file is read whole and bounded by ``os.read`` (issue 16's load speed).

``read_regular`` first asks for the size ``fstat`` gave plus one byte; a file that grew
(or shrank) since must still be read whole, or refused over the limit.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ccgtui.loader import yaml_file
from ccgtui.loader.yaml_file import MAX_FILE_BYTES, read_regular


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 70_000, 300_000])
def test_reads_every_byte(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = tmp_path / "case.yaml"
    path.write_bytes(data)
    assert read_regular(path) == data


def _fstat_saying(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    """fstat reports ``size``: as if the file had that size when it was looked at."""
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        st = real(fd)
        fields = list(st)
        fields[6] = size  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat)


@pytest.mark.parametrize("said", [0, 10, 69_999])
def test_a_file_grown_since_fstat_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, said: int
) -> None:
    data = os.urandom(70_000)
    path = tmp_path / "case.yaml"
    path.write_bytes(data)
    _fstat_saying(monkeypatch, said)
    assert read_regular(path) == data


def test_a_file_grown_past_the_limit_since_fstat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 10))
    _fstat_saying(monkeypatch, 100)
    with pytest.raises(OSError, match="over"):
        read_regular(path)
    doc, problems = yaml_file.read_file(path)
    assert doc is None and "limit" in problems[0].message


def test_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_bytes(b"#" * MAX_FILE_BYTES)
    assert len(read_regular(path)) == MAX_FILE_BYTES
