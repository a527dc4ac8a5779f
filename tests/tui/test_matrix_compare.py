"""Matrix (m), Compare (=), the palette's analysis and export commands."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from ccgtui.tui.screens.compare import CompareScreen
from ccgtui.tui.screens.export import ExportScreen
from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.screens.matrix import CellScreen, MatrixScreen
from tests.conftest import BUNDLED_CASES
from tests.tui.conftest import running, settle
from tests.tui.screen_text import screen_text


async def test_matrix_on_bundled_data_drills_into_a_cell() -> None:
    async with running(BUNDLED_CASES, size=(100, 30)) as (app, pilot):
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        text = screen_text(app)
        assert "composite-frail-elderly" in text and "✓ 1" in text and "?" in text
        # composite row, social-work column (the 4th sector) -> 1 statement
        await pilot.press("l", "l", "l")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CellScreen)
        body = screen_text(app)
        assert "present, 1 statement" in body and "[storey2018]" in body
        await pilot.press("escape")
        await settle(pilot)
        # an in-depth case: unknown, with the reason
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CellScreen)
        assert "unknown, 0 statements" in screen_text(app)
        await pilot.press("escape", "2")
        await settle(pilot)
        assert "Cases × leadership arenas" in screen_text(app)
        await pilot.press("3")
        await settle(pilot)
        assert "frail-eld" in screen_text(app) or "integrated" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_mark_two_cases_and_compare(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("space", "j", "space", "equals_sign")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert screen.case_ids == ["fix-composite", "fix-in-depth-1"]
        text = screen_text(app)
        assert "* kind" in text and "rows differ" in text
        await pilot.press("d")
        await settle(pilot)
        assert "differences only" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_hostile_labels_are_literal_in_matrix(hostile_folder: Path) -> None:
    async with running(hostile_folder, size=(120, 40)) as (app, pilot):
        main = app.screen
        assert isinstance(main, MainScreen)
        main.open_compare(["fix-composite", "hostile"])
        await settle(pilot)
        assert "[red]Org[/red]" in screen_text(app)


async def test_palette_opens_matrix_by_arenas(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"matrix by arenas")
        await pilot.pause(1.0)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen) and app.screen.by == "arenas"


async def test_palette_export_this_case(
    fixture_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.press(*"export this case as md")
        await pilot.pause(1.0)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await settle(pilot)
        out = tmp_path / "ccgtui-fix-composite.md"
        assert out.read_text(encoding="utf-8").startswith("# ccgtui briefing")
        assert any("Wrote" in str(n.message) for n in app._notifications)
        # a second export to the same path asks before overwriting
        out.write_text("keep")
        await pilot.press("ctrl+p")
        await pilot.press(*"export this case as md")
        await pilot.pause(1.0)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen) and screen._confirm_overwrite == out
        assert "press Enter again" in " ".join(screen_text(app).replace("│", " ").split())
        assert out.read_text() == "keep"
        await pilot.press("escape")


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["small", "wide"])
def test_matrix_snapshot(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from ccgtui.tui.app import make_app

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)

    app = make_app(cases=BUNDLED_CASES, cursor_blink=False)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (200, 60)], ids=["small", "wide"])
def test_compare_snapshot(snap_compare, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from ccgtui.tui.app import make_app

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)
        await pilot.press("space", "j", "space", "equals_sign")
        await settle(pilot)

    app = make_app(cases=BUNDLED_CASES, cursor_blink=False)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_big_matrices_are_built_in_a_worker(
    fixture_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the number of cases the screen says it is reading, then fills in."""
    import ccgtui.tui.screens.matrix as matrix_screen
    from ccgtui.analysis import matrix

    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, MatrixScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result is not None and screen.result.by == "sectors"
        assert app.dataset is not None
        assert screen.result == matrix(app.dataset, "sectors", tags=screen.tags)
        table = screen.query_one("#matrix-table", DataTable)
        assert table.row_count == len(app.dataset.cases)
        # Hold the worker so the screen can be read while it runs.
        release = threading.Event()

        def slow_matrix(*args: Any, **kwargs: Any) -> Any:
            release.wait(timeout=10)
            return matrix(*args, **kwargs)

        monkeypatch.setattr(matrix_screen, "matrix", slow_matrix)
        await pilot.press("2")
        await pilot.pause()
        assert "reading 4 cases" in screen_text(app)
        await pilot.press("j")  # the screen still takes keys meanwhile
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.result.by == "arenas" and "Cases × leadership arenas" in screen_text(app)
