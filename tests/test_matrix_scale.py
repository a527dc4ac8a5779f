"""Matrices over the store's cache (issue 16): the same answers, whatever the path or format.

The store's lazy view gives ``matrix`` each case built from its cached JSON without
validation (``ccgtui.light_cases``); piped, ``ccgtui matrix`` prints plain rows and
one-row-a-line JSON.  None of that may change a cell: here every path and every format
is compared with the validated, collected, rich-table answer.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccgtui.analysis.matrix import SHORT_LABELS, matrix, matrix_stream
from ccgtui.cli import cli
from ccgtui.facts import SYMBOLS, CellState
from ccgtui.light_cases import BUILDERS, RawCases, light_case
from ccgtui.loader import load_folder
from tests.conftest import BUNDLED_CASES, ILLUSTRATIVE, reopened_store

FOLDERS = [BUNDLED_CASES, ILLUSTRATIVE]
BY = ["sectors", "arenas", "themes"]


@pytest.mark.parametrize("folder", FOLDERS, ids=["bundled", "illustrative"])
def test_light_cases_equal_the_validated_ones(folder: Path, tmp_path: Path) -> None:
    store = reopened_store(tmp_path / "db.json", folder)
    cases = store.dataset().cases
    assert isinstance(cases, RawCases)
    for i, case in enumerate(load_folder(folder).cases):
        light = light_case(cases.raw(i), BUILDERS)
        assert (light.id, light.label, light.kind, light.illustrative) == (
            case.id,
            case.label,
            case.kind,
            case.illustrative,
        )
        for name in BUILDERS:
            assert getattr(light, name) == getattr(case, name), (case.id, name)


def test_a_field_without_a_builder_is_validated(tmp_path: Path) -> None:
    cases = reopened_store(tmp_path / "db.json", BUNDLED_CASES).dataset().cases
    assert isinstance(cases, RawCases)
    case = light_case(cases.raw(0), ["enablers"])
    assert case == load_folder(BUNDLED_CASES).cases[0]  # the whole case, validated


@pytest.mark.parametrize("folder", FOLDERS, ids=["bundled", "illustrative"])
@pytest.mark.parametrize("by", BY)
def test_matrix_from_the_cache_equals_the_validated_matrix(
    folder: Path, by: str, tmp_path: Path
) -> None:
    lazy = reopened_store(tmp_path / "db.json", folder).dataset()
    tags = {lazy.cases[0].id: ["follow-up"]}
    validated = matrix(load_folder(folder), by, tags=tags)
    assert matrix(lazy, by, tags=tags) == validated
    streamed = matrix_stream(lazy, by, tags=tags)
    assert json.loads("".join(streamed.json_chunks())) == validated.to_json()


# -- the CLI: plain rows, streamed JSON and the rich table show the same cells -----------


def run(folder: Path, *args: str, terminal: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr("ccgtui.cli.analysis._stdout_is_terminal", lambda: terminal)
    result = CliRunner(env={"COLUMNS": "400"}).invoke(
        cli, ["--cases", str(folder), "matrix", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def table_cells(out: str, keys: list[str]) -> dict[str, list[str]]:
    """Each row's cells by column position (a cell such as "✓ 1" holds a space)."""
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.split()[:1] == ["case"])
    header = lines[at]
    starts, pos = [], 0
    for word in ["case", *(SHORT_LABELS.get(k, k) for k in keys)]:
        pos = header.index(word, pos)
        starts.append(pos)
        pos += len(word)
    rows: dict[str, list[str]] = {}
    for line in lines[at + 1 :]:
        if not line.strip():
            break
        if set(line.strip()) <= {"─"}:
            continue
        parts = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        rows[parts[0].split()[0]] = parts[1:]
    return rows


def json_cells(data: dict[str, object]) -> dict[str, list[str]]:
    keys = [c["key"] for c in data["columns"]]  # type: ignore[attr-defined, index]
    cells = {}
    for row in data["rows"]:  # type: ignore[attr-defined]
        labels = []
        for key in keys:
            cell = row["cells"][key]
            symbol = SYMBOLS[CellState(cell["state"])]
            labels.append(f"{symbol} {cell['count']}" if cell["count"] else symbol)
        cells[row["id"]] = labels
    return cells


@pytest.mark.parametrize("folder", FOLDERS, ids=["bundled", "illustrative"])
@pytest.mark.parametrize("by", BY)
def test_plain_rows_and_json_show_the_rich_tables_cells(
    folder: Path, by: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pretty = run(folder, "--by", by, "--format", "json", terminal=True, monkeypatch=monkeypatch)
    piped = run(folder, "--by", by, "--format", "json", terminal=False, monkeypatch=monkeypatch)
    assert "\n  " in pretty and len(piped.splitlines()) == len(json.loads(piped)["rows"]) + 2
    assert json.loads(piped) == json.loads(pretty)
    keys = [c["key"] for c in json.loads(piped)["columns"]]
    rich = table_cells(run(folder, "--by", by, terminal=True, monkeypatch=monkeypatch), keys)
    plain_out = run(folder, "--by", by, terminal=False, monkeypatch=monkeypatch)
    assert "─" not in plain_out  # no rich table when piped
    assert table_cells(plain_out, keys) == rich == json_cells(json.loads(piped))
    assert len(rich) == len(load_folder(folder).cases)


def test_a_terminal_shows_the_first_rows_and_counts_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("ccgtui.cli.analysis.TERMINAL_ROWS", 3)
    out = run(BUNDLED_CASES, "--by", "arenas", terminal=True, monkeypatch=monkeypatch)
    total = len(load_folder(BUNDLED_CASES).cases)
    assert len(table_cells(out, ["board", "programme", "practice"])) == 3
    assert f"… {total - 3:,} more cases: the first 3 of {total:,} shown" in out
    every = run(BUNDLED_CASES, "--by", "arenas", "--all", terminal=True, monkeypatch=monkeypatch)
    assert len(table_cells(every, ["board", "programme", "practice"])) == total
    piped = run(BUNDLED_CASES, "--by", "arenas", terminal=False, monkeypatch=monkeypatch)
    assert len(table_cells(piped, ["board", "programme", "practice"])) == total


@pytest.mark.parametrize("by", BY)
def test_a_matrix_over_the_cache_validates_no_case_and_makes_no_summaries(
    by: str, tmp_path: Path
) -> None:
    """Validating 10k cached cases, or making 10k summaries, is what issue 16 measured away."""
    from ccgtui.lazy_cases import LazyCases

    dataset = reopened_store(tmp_path / "db.json", BUNDLED_CASES).dataset()
    assert isinstance(dataset.cases, LazyCases)
    assert "".join(matrix_stream(dataset, by).json_chunks())
    assert dataset.cases.validated_count() == 0
    assert dataset.cases._summaries is None  # isinstance(RawCases) must not read them


@pytest.mark.parametrize("by", BY)
def test_export_matrix_json_streams_the_same_document(
    by: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped, export json --what matrix is compact and row by row; --pretty indents it."""

    def export(*more: str) -> str:
        args = ["--cases", str(ILLUSTRATIVE), "export", "json", "--what", "matrix", "--by", by]
        result = CliRunner().invoke(cli, [*args, "-o", "-", *more], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    compact, pretty = export(), export("--pretty")
    assert "\n" not in compact.rstrip("\n") and "\n  " in pretty
    assert json.loads(compact) == json.loads(pretty)
    assert json.loads(compact) == matrix(load_folder(ILLUSTRATIVE), by).to_json()
