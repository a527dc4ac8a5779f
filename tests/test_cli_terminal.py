"""Issue 12: the CLI in a real shell: closed pipes, no terminal, 80 and 60 columns."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from ccgtui.cli import cli
from tests.conftest import BUNDLED_CASES

BUNDLED_IDS = [
    "composite-frail-elderly",
    "in-depth-1",
    "in-depth-6",
    "scoping-15-ccgs",
    "coleman-eight-early-ccgs",
]


def ccgtui(*args: str) -> list[str]:
    return [sys.executable, "-m", "ccgtui", *args]


# -- item 4: a closed pipe is not an error --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("list", "--format", "json"),
        ("show", "composite-frail-elderly"),
        ("export", "md", "-o", "-"),
    ],
)
def test_closed_pipe_exits_0_quietly(args: tuple[str, ...]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `ccgtui list | true` once true has exited
    try:
        result = subprocess.run(
            ccgtui("--cases", str(BUNDLED_CASES), *args),
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""


# -- item 5: no terminal, no explorer -------------------------------------------------


def test_explorer_without_a_terminal_refuses_in_one_line() -> None:
    result = subprocess.run(
        ccgtui("--cases", str(BUNDLED_CASES)),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,  # before the fix it never exited
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("ccgtui: ") and "terminal" in lines[0]
    assert "ccgtui --help" in lines[0] and "ccgtui list" in lines[0]


# -- item 7: reading at 80 and 60 columns ---------------------------------------------


def at_width(width: int, *args: str) -> str:
    result = CliRunner(env={"COLUMNS": str(width)}).invoke(
        cli, ["--cases", str(BUNDLED_CASES), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def assert_fits(out: str, width: int) -> None:
    too_wide = [line for line in out.splitlines() if cell_len(line) > width]
    assert too_wide == []


@pytest.mark.parametrize("width", [80, 60])
def test_list_fits_the_width_with_whole_ids_one_line_per_case(width: int) -> None:
    out = at_width(width, "list")
    assert_fits(out, width)
    lines = out.splitlines()
    for case_id in BUNDLED_IDS:
        rows = [line for line in lines if case_id in line.split()]
        assert len(rows) == 1, (case_id, out)  # whole, and on one line: no wrapping
    assert "illustrativ\n" not in out and "…" in out  # labels cut with an ellipsis
    header = next(line for line in lines if " id " in f" {line} ")
    assert "kind" in header and "label" in header


def test_list_shows_more_columns_when_there_is_room() -> None:
    wide = at_width(200, "list")
    assert "study" in wide and "…" not in wide
    assert "Integrated care for frail elderly people" in wide


@pytest.mark.parametrize("width", [80, 60])
@pytest.mark.parametrize("by", ["sectors", "arenas", "themes"])
def test_matrix_keeps_ids_whole_and_loses_no_column(
    width: int, by: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a terminal (piped, the matrix is plain rows: tests/test_matrix_scale.py)
    monkeypatch.setattr("ccgtui.cli.analysis._stdout_is_terminal", lambda: True)
    out = at_width(width, "matrix", "--by", by)
    assert_fits(out, width)
    words = out.split()
    for case_id in BUNDLED_IDS:
        assert case_id in words, (case_id, out)
    full = at_width(400, "matrix", "--by", by).splitlines()
    header = next(line for line in full if line.split()[:1] == ["case"])
    for label in header.split()[1:]:
        assert label in words, (label, out)  # a column that does not fit moves, never drops


# -- item 8: the README says what each exit code means ---------------------------------


def test_readme_explains_every_exit_code() -> None:
    readme = (BUNDLED_CASES.parent / "README.md").read_text(encoding="utf-8")
    assert "### Exit codes" in readme
    section = readme.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    rows = {line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")}
    assert {"0", "1", "2"} <= rows
    assert "closed pipe" in section and "without a terminal" in section
    assert "does not exist" in section and "left unchanged" in section
