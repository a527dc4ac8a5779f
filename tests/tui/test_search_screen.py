"""Global search in the explorer: live results, Enter jumps to the case and tab."""

from __future__ import annotations

from pathlib import Path

from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.screens.search import SearchScreen
from ccgtui.tui.screens.study import StudyScreen
from tests.tui.conftest import running
from tests.tui.screen_text import screen_text


async def type_query(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text)
    await pilot.pause(0.3)  # past the debounce
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_slash_opens_search_and_enter_jumps_to_case_and_tab(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("j")  # move away from the composite case first
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await app.workers.wait_for_complete()
        await type_query(pilot, "negotiated")
        text = screen_text(app)
        assert "negotiated" in text.lower() and "story" in text
        await pilot.press("enter")
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.current_case == "fix-composite"
        assert main.detail.active_tab == "story"


async def test_typo_and_no_match_suggestion(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "negotiatd")
        assert "results" in screen_text(app)
        await pilot.press(*["backspace"] * 9)
        await type_query(pilot, "zzqqxx")
        assert "No match" in screen_text(app)


async def test_bad_filter_is_explained(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "arena:boardroom")
        assert "board, programme, practice" in " ".join(screen_text(app).replace("│", " ").split())


async def test_study_hit_opens_study_screen_and_escape_closes(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "literature")  # a phase of the fixture study
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("slash")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_stale_results_are_dropped(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("slash")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await app.workers.wait_for_complete()
        screen._generation = 5
        screen._show(4, [], "stale")  # an older search finishing late
        assert "stale" not in screen_text(app)


async def test_hostile_text_in_results_is_literal(hostile_folder: Path) -> None:
    async with running(hostile_folder, size=(120, 40)) as (app, pilot):
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await type_query(pilot, "boom")
        assert isinstance(app.screen, SearchScreen)
        assert "[@click=app.quit]boom[/]" in screen_text(app)
