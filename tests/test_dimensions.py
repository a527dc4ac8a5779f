"""The matrix dimension registry: a dimension registered there is everywhere (issue 14).

Before the registry, ``analysis.matrix``, ``cli/analysis.py``, ``cli/export.py`` and the
explorer's Matrix screen each listed the dimensions.  Here a fake dimension is added to
the registry alone, and the CLI's choices and help, both commands' output and the Matrix
screen's keys, title and palette all have it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

import pytest
from click.testing import CliRunner

from ccgtui import dimensions
from ccgtui.cli import cli
from ccgtui.dimensions import Dimension, Tags
from ccgtui.facts import Cell, CellState
from ccgtui.model import Case
from tests.conftest import BUNDLED_CASES, reopened_store


def _columns(cases: Sequence[Case], tags: Tags | None) -> list[tuple[str, str]]:
    return [("made-up", "Made up"), ("real", "Real")]


def _cell(case: Case, key: str, tags: Tags | None) -> Cell:
    made_up = case.illustrative or case.kind == "composite"
    return Cell(CellState.present if (key == "made-up") == made_up else CellState.absent)


@pytest.fixture
def kinds(monkeypatch: pytest.MonkeyPatch) -> Iterator[Dimension]:
    """A dimension added for one test: its registry entry and nothing else."""
    fake = Dimension("kinds", "9", "Kinds", "kinds of case", "made up or real", _columns, _cell)
    monkeypatch.setitem(dimensions.DIMENSIONS, "kinds", fake)
    yield fake


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--cases", str(BUNDLED_CASES), *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_registry_lists_every_dimension_once() -> None:
    assert dimensions.names() == ("sectors", "arenas", "themes", "stages")
    assert dimensions.names(one_case=True) == ("stages",)
    assert len({d.key for d in dimensions.DIMENSIONS.values()}) == len(dimensions.DIMENSIONS)
    with pytest.raises(ValueError, match="registered twice"):
        dimensions.register(dimensions.DIMENSIONS["arenas"])
    with pytest.raises(ValueError, match="use one of: sectors, arenas, themes, stages"):
        dimensions.lookup("colours")


@pytest.mark.usefixtures("kinds")
@pytest.mark.parametrize("command", ["matrix", "export"])
def test_a_registered_dimension_is_a_cli_choice_with_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "sectors|arenas|themes|stages|kinds" in flat
    assert "kinds: made up or real" in flat


@pytest.mark.usefixtures("kinds")
def test_a_registered_dimension_draws_its_matrix() -> None:
    code, out, err = run("matrix", "--by", "kinds", "--format", "csv")
    assert code == 0, err
    rows = {r["id"]: (r["made-up"], r["real"]) for r in csv.DictReader(io.StringIO(out))}
    assert rows["composite-frail-elderly"] == ("✓", "·")
    assert rows["in-depth-1"] == ("·", "✓")
    code, out, err = run("export", "md", "--what", "matrix", "--by", "kinds")
    assert code == 0, err
    assert "| case | Made up | Real |" in out


@pytest.mark.usefixtures("kinds")
def test_a_registered_dimension_reads_the_cache_too(tmp_path: object) -> None:
    from pathlib import Path

    from ccgtui.analysis.matrix import matrix

    assert isinstance(tmp_path, Path)
    lazy = reopened_store(tmp_path / "db.json", BUNDLED_CASES).dataset()
    result = matrix(lazy, "kinds")
    assert result.cell("composite-frail-elderly", "made-up").state is CellState.present


@pytest.mark.usefixtures("kinds")
async def test_a_registered_dimension_is_on_the_matrix_screen() -> None:
    from ccgtui.tui.screens import matrix as screen_module
    from ccgtui.tui.screens.matrix import MatrixScreen
    from tests.tui.conftest import running

    bindings = screen_module.dimension_bindings()
    assert ("9", "dimension('kinds')", "matrix-kinds") in [
        (b.key, b.action, b.id)  # type: ignore[union-attr]
        for b in bindings
    ]
    async with running(BUNDLED_CASES, size=(100, 30)) as (app, pilot):
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        labels = [text for text, _, _ in screen.palette_items()]
        assert "Show matrix by kinds" in labels
        screen.action_dimension("kinds")
        await pilot.pause()
        assert screen.result is not None and screen.result.by == "kinds"
        title = screen.query_one("#matrix-title").render()
        assert "Cases × kinds of case" in str(title)
