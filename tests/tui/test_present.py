"""Big-screen mode (issue 18 item 4): ``ccgtui --present`` or ``P``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ccgtui import prefs
from ccgtui.tui.app import make_app
from ccgtui.tui.present import THEME
from tests.tui.conftest import wait_loaded
from tests.tui.screen_text import screen_text


async def test_present_shows_one_section_high_contrast_without_the_list(
    fixture_folder: Path,
) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False, present=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        main = app.main_screen
        assert app.theme == THEME.name
        assert main.case_list_hidden
        text = screen_text(app)
        assert "Story" not in text.splitlines()[3]  # no tab bar
        assert "Fixture in-depth case" not in text  # no case list
        assert "COMPOSITE CASE" in text  # the banner stays
        await pilot.press("3")  # the section keys still work
        assert main.detail.active_tab == "arenas"
        assert "CCG board (strategy)" in screen_text(app)


async def test_p_toggles_it_and_the_presenters_own_choices_stay(fixture_folder: Path) -> None:
    path = prefs.config_path()
    prefs.save(path, prefs.Prefs(theme="nord"))
    app = make_app(cases=fixture_folder, cursor_blink=False, config=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        main = app.main_screen
        assert app.theme == "nord" and not main.case_list_hidden
        await pilot.press("P")
        await pilot.pause()
        assert app.theme == THEME.name and main.case_list_hidden and main.presenting
        await pilot.press("j", "q")  # quit while presenting
    saved = prefs.load(path).prefs
    assert saved.theme == "nord" and not saved.case_list_hidden  # not the projector's
    app = make_app(cases=fixture_folder, cursor_blink=False, config=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("P", "P")
        await pilot.pause()
        assert app.theme == "nord" and not app.main_screen.case_list_hidden


def test_present_snapshot(snap_compare: Any, fixture_folder: Path) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False, present=True)
    assert snap_compare(app, terminal_size=(80, 24), press=["3"], run_before=wait_loaded)
