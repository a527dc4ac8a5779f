"""Every palette command works from every screen: the open screen is switched, refreshed or
replaced, never covered by a second screen with the same id (issue 12: DuplicateIds)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from ccgtui.tui.app import CcgApp
from ccgtui.tui.screens.all_notes import AllNotesScreen
from ccgtui.tui.screens.compare import CompareScreen
from ccgtui.tui.screens.matrix import CellScreen, MatrixScreen
from ccgtui.tui.screens.source import SourceScreen
from tests.tui.conftest import running, settle


async def run_command(pilot: Pilot[None], app: CcgApp, query: str, wanted: str) -> None:
    """ctrl+p, ``query``, wait (bounded) until the top option starts with ``wanted``, Enter."""
    await pilot.press("ctrl+p", *query)
    deadline = time.monotonic() + 10
    first = ""
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        listing = app.screen.query(CommandList)
        if listing and listing.first().option_count:
            prompt = listing.first().get_option_at_index(0).prompt
            first = getattr(prompt, "plain", str(prompt))
            if first.startswith(wanted):
                break
    assert first.startswith(wanted), f"palette offered {first!r} for {query!r}"
    await pilot.press("enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def ids_on_stack(app: CcgApp) -> list[str | None]:
    return [screen.id for screen in app.screen_stack]


def assert_unique_ids(app: CcgApp) -> None:
    ids = [i for i in ids_on_stack(app) if i]
    assert len(ids) == len(set(ids)), ids


@pytest.mark.parametrize(
    ("keys", "query", "wanted", "screen_type"),
    [
        (["m"], "open matrix by arenas", "Open matrix by arenas", MatrixScreen),
        (["space", "j", "space", "equals_sign"], "compare with", "Compare with", CompareScreen),
        (["7", "enter", "enter"], "fix-article", "Jump to source: [fix-article]", SourceScreen),
        (["N"], "All notes", "All notes", AllNotesScreen),
    ],
    ids=["matrix", "compare", "source", "all-notes"],
)
async def test_palette_command_for_the_open_screen(
    fixture_folder: Path, keys: list[str], query: str, wanted: str, screen_type: type
) -> None:
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press(*keys)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, screen_type), app.screen
        await run_command(pilot, app, query, wanted)
        assert app.is_running
        assert isinstance(app.screen, screen_type), app.screen
        assert not isinstance(app.screen, CommandPalette)
        assert_unique_ids(app)
        assert sum(isinstance(s, screen_type) for s in app.screen_stack) == 1


async def test_matrix_command_refreshes_the_open_matrix(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("m")
        await pilot.pause()
        await run_command(pilot, app, "open matrix by arenas", "Open matrix by arenas")
        assert isinstance(app.screen, MatrixScreen)
        assert app.screen.by == "arenas"


async def test_source_command_shows_the_new_source(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("7", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)
        first = app.screen.source_id
        other = "fix-web" if first != "fix-web" else "fix-article"
        await run_command(pilot, app, other, f"Jump to source: [{other}]")
        assert isinstance(app.screen, SourceScreen)
        assert app.screen.source_id == other


async def test_jump_to_case_from_a_modal_over_the_matrix(fixture_folder: Path) -> None:
    """A case jump from any depth returns to the main screen and shows the case."""
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("m")
        await settle(pilot)  # the matrix is built in a worker
        await pilot.press("enter")  # a matrix cell opens a modal over the matrix
        await pilot.pause()
        assert isinstance(app.screen, CellScreen)
        await run_command(pilot, app, "scoping interviews", "Jump to case")
        assert app.screen is app.main_screen
        assert app.main_screen.current_case == "fix-scoping"
        assert_unique_ids(app)
