"""Broken case folders get a message, not a traceback (issue 13, item 9, loader part).

A symlink loop, a file name that is not UTF-8, an unreadable case file and
arguments that are not UTF-8 each raised a traceback from every command.  Now:
``ccgtui: <what and where>`` on stderr and exit 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ccgtui.loader import LoadError, fingerprint, load_folder
from tests.conftest import MINIMAL_CASE
from tests.hostile.case_folders import run_cli, terminal_safe, valid_folder

COMMANDS = [["validate"], ["load"], ["list"], ["show", "case-a"]]


def _refused(result_stderr: bytes, returncode: int, *expected: str) -> str:
    err = result_stderr.decode("utf-8", "replace")
    assert returncode == 1, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert err.startswith("ccgtui: "), err[-3000:]
    for text in expected:
        assert text in err, err[-3000:]
    return err


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_loop_is_a_problem_naming_the_file(tmp_path: Path, command: list[str]) -> None:
    folder = valid_folder(tmp_path / "cases")
    (folder / "loop.yaml").symlink_to("loop.yaml")
    result = run_cli(["--cases", str(folder), *command], tmp_path / "db.json")
    _refused(result.stderr, result.returncode, f"{folder / 'loop.yaml'}: ", "symbolic links")
    assert terminal_safe(result.stdout + result.stderr)


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_name_that_is_not_utf8_is_a_problem(tmp_path: Path, command: list[str]) -> None:
    folder = valid_folder(tmp_path / "cases")
    name = os.fsencode(folder) + b"/caf\xe9.yaml"
    with open(name, "w", encoding="utf-8") as handle:
        handle.write(MINIMAL_CASE.replace("id: case-a", "id: case-b"))
    result = run_cli(["--cases", str(folder), *command], tmp_path / "db.json")
    _refused(result.stderr, result.returncode, "caf\\xe9.yaml", "not valid UTF-8")
    assert terminal_safe(result.stdout + result.stderr)


def test_an_unreadable_case_file_is_a_problem_naming_it(tmp_path: Path) -> None:
    folder = valid_folder(tmp_path / "cases")
    # A regular file whose read fails (EIO) even for root, who can read a chmod 000 file.
    (folder / "unreadable.yaml").symlink_to("/proc/self/mem")
    if not (folder / "unreadable.yaml").is_file():
        pytest.skip("no /proc/self/mem here")
    for command in (["validate"], ["load"]):
        result = run_cli(["--cases", str(folder), *command], tmp_path / "db.json")
        _refused(result.stderr, result.returncode, f"{folder / 'unreadable.yaml'}: ", "cannot read")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_case_file_without_read_permission_is_a_problem(tmp_path: Path) -> None:
    folder = valid_folder(tmp_path / "cases")
    (folder / "case-a.yaml").chmod(0)
    with pytest.raises(LoadError) as info:
        load_folder(folder)
    assert "cannot read the file" in str(info.value)


def test_the_fingerprint_survives_every_fault(tmp_path: Path) -> None:
    folder = valid_folder(tmp_path / "cases")
    before = fingerprint(folder)
    (folder / "loop.yaml").symlink_to("loop.yaml")
    with open(os.fsencode(folder) + b"/caf\xe9.yaml", "w", encoding="utf-8") as handle:
        handle.write("id: x\n")
    assert fingerprint(folder) != before  # the loader then reports both


@pytest.mark.parametrize(
    "args",
    [
        [b"--cases", b"caf\xe9", b"validate"],
        [b"--cases", b"caf\xe9", b"load"],
        [b"show", b"\xff\xfe"],
        [b"search", b"\xff\x1b[2J"],
    ],
)
def test_arguments_that_are_not_utf8_get_a_message(tmp_path: Path, args: list[bytes]) -> None:
    os.mkdir(os.fsencode(tmp_path) + b"/caf\xe9")  # an empty case folder with that name
    result = run_cli(list(args), tmp_path / "db.json", cwd=tmp_path)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1, err[-3000:]
    assert "Traceback" not in err and err.startswith("ccgtui: "), err[-3000:]
    assert terminal_safe(result.stdout + result.stderr)


def test_a_fifo_swapped_in_for_a_case_file_is_refused_not_waited_on(tmp_path: Path) -> None:
    """The folder listing skips FIFOs, but one can replace a file before it is opened;
    opening it for reading would wait for a writer for ever."""
    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    script = (
        "from pathlib import Path; from ccgtui.loader.yaml_file import read_file; "
        f"print(read_file(Path({str(fifo)!r}))[1][0].message)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert "not a regular file" in result.stdout
