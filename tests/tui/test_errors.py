"""An unexpected error anywhere in the explorer ends in a one-line notice, not a dead app."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccgtui.tui.app import make_app
from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.screens.matrix import MatrixScreen
from ccgtui.tui.widgets.case_detail import CaseDetail
from tests.tui.conftest import running, wait_loaded


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom\x1b]0;pwned\x07 in a handler")


def _error_notices(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]  # type: ignore[attr-defined]


async def test_an_error_in_a_key_binding_is_a_notice(
    fixture_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MainScreen, "action_matrix", _boom)
    async with running(fixture_folder) as (app, pilot):
        app.catch_errors = True
        await pilot.press("m")
        await pilot.pause()
        assert app.is_running
        notices = _error_notices(app)
        assert len(notices) == 1 and "boom" in notices[0]
        assert "\n" not in notices[0] and "\x1b" not in notices[0] and "\x07" not in notices[0]
        # The explorer still answers keys.
        await pilot.press("2")
        await pilot.pause()
        assert app.main_screen.detail.active_tab == "story"


async def test_an_error_in_a_screen_handler_keeps_the_screen_working(
    fixture_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler on the main screen (the case list's highlight) raises; the screen's
    message loop goes on: the next keys still work."""
    async with running(fixture_folder) as (app, pilot):
        app.catch_errors = True
        monkeypatch.setattr(CaseDetail, "show_case", _boom)
        await pilot.press("j")
        await pilot.pause()
        assert app.is_running
        assert any("boom" in n for n in _error_notices(app))
        monkeypatch.undo()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MatrixScreen)


async def test_an_error_while_a_screen_mounts_is_a_notice(
    fixture_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MatrixScreen, "on_mount", _boom)
    async with running(fixture_folder) as (app, pilot):
        app.catch_errors = True
        await pilot.press("m")
        await pilot.pause()
        assert app.is_running
        assert any("boom" in n for n in _error_notices(app))


async def test_under_tests_errors_still_raise(
    fixture_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite's default: a programming error fails the test, it is not swallowed."""
    monkeypatch.setattr(MainScreen, "action_matrix", _boom)
    app = make_app(cases=fixture_folder, cursor_blink=False)
    with pytest.raises(RuntimeError, match="boom"):
        async with app.run_test() as pilot:
            await wait_loaded(pilot)
            await pilot.press("m")
            await pilot.pause()
