"""Preferences that stay (issue 18 item 2): theme, last case and tab, case list, keymap.

Each test runs the explorer twice on a temporary config file (``CCGTUI_CONFIG``), as a
restart would, and looks at what the second run shows.
"""

from __future__ import annotations

from pathlib import Path

from ccgtui import prefs
from ccgtui.tui.app import CcgApp, make_app
from ccgtui.tui.screens.main import MainScreen
from tests.tui.conftest import wait_loaded


def explorer(cases: Path, **kwargs: object) -> CcgApp:
    return make_app(cases=cases, cursor_blink=False, config=prefs.config_path(), **kwargs)  # type: ignore[arg-type]


async def test_the_theme_survives_a_restart(fixture_folder: Path) -> None:
    app = explorer(fixture_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        assert app.theme != "nord"
        app.theme = "nord"
        await pilot.pause()
        await pilot.press("q")
    again = explorer(fixture_folder)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        assert again.theme == "nord"


async def test_the_last_case_and_tab_reopen(fixture_folder: Path) -> None:
    app = explorer(fixture_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("j", "j", "3")
        await pilot.pause()
        assert app.main_screen.current_case == "fix-scoping"
        await pilot.press("q")
    again = explorer(fixture_folder)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        main = again.main_screen
        assert main.current_case == "fix-scoping"
        assert main.case_list.current_id == "fix-scoping"
        assert main.detail.active_tab == "arenas"


async def test_a_case_named_on_the_command_line_wins(fixture_folder: Path) -> None:
    prefs.save(prefs.config_path(), prefs.Prefs(last_case="fix-scoping", last_tab="story"))
    app = explorer(fixture_folder, start_case="fix-illustrative")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        assert app.main_screen.current_case == "fix-illustrative"
        assert app.main_screen.detail.active_tab == "overview"


async def test_a_hidden_case_list_stays_hidden(fixture_folder: Path) -> None:
    app = explorer(fixture_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        before = app.main_screen.detail.size.width
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.main_screen.case_list_hidden
        assert app.main_screen.detail.size.width > before
        await pilot.press("q")
    again = explorer(fixture_folder)
    async with again.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        assert again.main_screen.case_list_hidden
        await pilot.press("escape")  # back to the list: it shows again
        assert not again.main_screen.case_list_hidden


async def test_a_keymap_rebinds_a_key(fixture_folder: Path) -> None:
    prefs.config_path().write_text('[keymap]\nopen-matrix = "M"\n')
    app = explorer(fixture_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # m no longer opens the matrix
        await pilot.press("M")
        await pilot.pause()
        assert type(app.screen).__name__ == "MatrixScreen"


async def test_a_broken_config_warns_and_does_not_crash(fixture_folder: Path) -> None:
    path = prefs.config_path()
    broken = 'theme = "nord"\n[keymap]\nno-such-binding = "x"\ncase_list = 7\n'
    path.write_text(broken)
    app = explorer(fixture_folder)
    notices: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        notices = [n.message for n in app._notifications]
        assert app.theme == "nord"  # the good key still counts
        await pilot.press("j", "2")
        await pilot.press("q")
    assert any("keymap.no-such-binding" in n for n in notices), notices
    assert any("keymap.case_list" in n for n in notices), notices
    assert all("\n" not in n for n in notices)
    assert path.read_text() == broken  # never overwritten


async def test_a_file_that_is_not_toml_warns_and_stays(fixture_folder: Path) -> None:
    path = prefs.config_path()
    path.write_text("theme = \n")
    app = explorer(fixture_folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        (notice,) = [n.message for n in app._notifications]
        assert "not valid TOML" in notice
        await pilot.press("j")
        await pilot.press("q")
    assert path.read_text() == "theme = \n"


async def test_without_a_config_path_nothing_is_written(fixture_folder: Path) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        app.theme = "nord"
        await pilot.press("j", "q")
    assert not prefs.config_path().exists()


def test_docs_name_every_binding_id_and_no_other() -> None:
    """docs/config.md lists the ids a keymap takes: none missing, none made up."""
    import re

    from ccgtui.tui.remember import known_binding_ids

    text = (Path(__file__).resolve().parents[2] / "docs" / "config.md").read_text()
    named = set(re.findall(r"`([a-z][a-z-]+)`", text.split("## Key names and binding ids")[1]))
    known = known_binding_ids()
    ranged = {f"tab-{t}" for t in ("overview", "story", "arenas", "partners", "evidence")}
    ranged |= {"tab-notes", "tab-sources"}
    assert known - named - ranged == set(), "add these ids to docs/config.md"
    words = {"space", "slash", "enter", "escape", "backspace", "ctrl", "alt", "equals_sign"}
    assert {n for n in named if "-" in n} - known - words == set(), "no such binding ids"
