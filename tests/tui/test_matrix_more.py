"""Matrix screen: stages × arenas for the case shown, your tags as themes, export the matrix."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from textual.command import CommandList
from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from ccgtui import userdata
from ccgtui.tui.app import CcgApp
from ccgtui.tui.screens.export import ExportScreen
from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.screens.matrix import CellScreen, MatrixScreen
from tests.tui.conftest import running, settle
from tests.tui.screen_text import screen_text


def matrix_of(app: CcgApp) -> MatrixScreen:
    screen = app.screen
    assert isinstance(screen, MatrixScreen)
    return screen


async def open_cell(pilot: Pilot[None], row: int, column: int) -> str:
    """Put the cursor on (row, column), press Enter and return the cell dialog's text."""
    app = pilot.app
    assert isinstance(app, CcgApp)
    table = matrix_of(app).query_one("#matrix-table")
    table.move_cursor(row=row, column=column)  # type: ignore[attr-defined]
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CellScreen)
    text = screen_text(app)
    await pilot.press("escape")
    await settle(pilot)
    return text


async def test_stages_matrix_of_the_case_shown_drills_to_statements(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("m", "4")
        await settle(pilot)
        screen = matrix_of(app)
        assert screen.by == "stages" and screen.case_id == "fix-composite"
        assert screen.result is not None
        assert [r for r, _ in screen.result.rows] == ["legitimacy", "negotiation", "delivery"]
        text = screen_text(app)
        assert "Stages of fix-composite × arenas" in text
        assert "Board gives legitimacy" in text and "Programme board negotiates" in text
        # row 1 (negotiation) × programme (column 2): the stage's statement and sources
        body = await open_cell(pilot, 1, 2)
        assert "Programme board negotiates × Programme board" in body
        assert "present, 1 statement" in body
        assert "Partners negotiated the plan. [fix-article, fix-report]" in body
        # the same stage × board: absent
        body = await open_cell(pilot, 1, 1)
        assert "absent, 0 statements" in body
        # back to a cross-case dimension and again
        await pilot.press("1")
        assert screen.by == "sectors" and "Cases × partner sectors" in screen_text(app)
        await pilot.press("4")
        assert screen.by == "stages"


async def test_stages_matrix_of_a_case_whose_story_is_unknown(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("j")  # fix-in-depth-1: story: {unknown: true}
        await settle(pilot)
        await pilot.press("m", "4")
        await settle(pilot)
        screen = matrix_of(app)
        assert screen.case_id == "fix-in-depth-1"
        assert screen.result is not None and [r for r, _ in screen.result.rows] == ["story"]
        body = await open_cell(pilot, 0, 1)
        assert "unknown" in body and "Not reported in available sources" in body


async def test_stages_matrix_of_a_case_with_no_stages_says_so(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("j", "j")  # fix-scoping: no story
        await settle(pilot)
        await pilot.press("m", "4")
        await settle(pilot)
        assert "the case records no stages" in screen_text(app)


async def test_stages_matrix_from_the_palette(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("ctrl+p", *"matrix by stages")
        await pilot.pause(1.0)
        await pilot.press("enter")
        await settle(pilot)
        screen = matrix_of(app)
        assert screen.by == "stages" and screen.case_id == "fix-composite"


async def test_themes_matrix_includes_the_users_tags(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        assert app.store is not None
        userdata.add_tags(app.store, "fix-in-depth-1", ["Follow up"])
        await pilot.press("m", "3")
        await app.workers.wait_for_complete()
        await settle(pilot)
        screen = matrix_of(app)
        assert screen.result is not None
        assert "tag:follow-up" in [key for key, _ in screen.result.columns]
        assert screen.result.cell("fix-in-depth-1", "tag:follow-up").state.value == "present"
        assert screen.result.cell("fix-composite", "tag:follow-up").state.value == "absent"
        assert "tag:follow-up" in screen_text(app)


async def _export(pilot: Pilot[None], path: Path | None = None) -> ExportScreen:
    """On the export dialog: optionally set the path, press Enter, wait for the write."""
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    if path is not None:
        screen.query_one("#export-path", Input).value = str(path)
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await settle(pilot)
    return screen


async def test_e_exports_the_matrix_shown(
    fixture_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("m", "2", "e")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert screen.query_one("#export-path", Input).value == str(
            tmp_path / "ccgtui-matrix-arenas.md"
        )
        assert "cases × arenas" in screen_text(app)
        # the file name's extension picks the format
        await _export(pilot, tmp_path / "arenas.csv")
        assert isinstance(app.screen, MatrixScreen)
        rows = list(csv.DictReader(io.StringIO((tmp_path / "arenas.csv").read_text("utf-8"))))
        assert list(rows[0]) == ["id", "label", "board", "programme", "practice"]
        assert {r["id"]: r["board"] for r in rows}["fix-composite"] == "✓ 2"
        assert any("Wrote" in str(n.message) for n in app._notifications)
        # the stages matrix of the case shown, default name and format
        await pilot.press("4", "e")
        await settle(pilot)
        await _export(pilot)
        text = (tmp_path / "ccgtui-matrix-stages-fix-composite.md").read_text("utf-8")
        assert text.startswith("# Stages of fix-composite × arenas")
        assert "| stage | CCG board (strategy) |" in text
        assert "| Board gives legitimacy | ✓ 1 | · | · |" in text


async def _palette_lines(pilot: Pilot[None], query: str, wanted: str) -> list[str]:
    await pilot.press("ctrl+p", *query)
    deadline = time.monotonic() + 10
    lines: list[str] = []
    while time.monotonic() < deadline:
        await pilot.pause(0.1)
        listing = pilot.app.screen.query_one(CommandList)
        lines = [
            str(listing.get_option_at_index(i).prompt).split("\n")[0]
            for i in range(listing.option_count)
        ]
        if wanted in lines:
            break
    return lines


async def test_palette_exports_this_matrix_with_your_tags(
    fixture_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        assert app.store is not None
        userdata.add_tags(app.store, "fix-scoping", ["to read"])
        # not offered where there is no matrix
        lines = await _palette_lines(pilot, "export this matrix", "Export this matrix as json…")
        assert "Export this matrix as json…" not in lines
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("m", "3")
        await app.workers.wait_for_complete()
        lines = await _palette_lines(
            pilot, "export this matrix json", "Export this matrix as json…"
        )
        assert lines[0] == "Export this matrix as json…"
        await pilot.press("enter")
        await settle(pilot)
        screen = await _export(pilot)
        assert screen.what == "matrix" and screen.by == "themes"
        data = json.loads((tmp_path / "ccgtui-matrix-themes.json").read_text("utf-8"))
        assert data["by"] == "themes"
        row = next(r for r in data["rows"] if r["id"] == "fix-scoping")
        assert row["cells"]["tag:to-read"]["state"] == "present"


def test_stages_matrix_snapshot(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The illustrative Riverside case: the bundled composite's story is now an explicit
    unknown (issue 15), so it has no stages to show."""
    from ccgtui.tui.app import make_app
    from tests.conftest import ILLUSTRATIVE

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert pilot.app.screen.current_case == "riverside-frailty"
        await pilot.press("m", "4")
        await settle(pilot)

    app = make_app(cases=ILLUSTRATIVE, cursor_blink=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_the_case_column_stays_when_the_matrix_scrolls_sideways(
    fixture_folder: Path,
) -> None:
    """Issue 12: at 80 columns, moving right through a wide matrix kept the cells but
    lost the case column (here the sectors matrix at 50)."""
    async with running(fixture_folder, size=(50, 24)) as (app, pilot):
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen)
        table = app.screen.query_one("#matrix-table", DataTable)
        await pilot.press(*["l"] * 12)
        await settle(pilot)
        assert table.scroll_x > 0, "the matrix did not scroll sideways"
        assert "fix-composite" in screen_text(app)
