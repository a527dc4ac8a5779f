"""Keys typed before the main screen is ready go, in order, to the screen they were meant for.

Issue 12: ``ccgtui`` then at once ``ctrl+p in-depth-2``: the ``ctrl+p`` was lost and ``n``
opened a note editor; ``/programme board`` opened the matrix and an export dialog.
The load is held here until the keys are typed, as a slow disk or a big folder holds it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandList
from textual.widgets import Input

import ccgtui.store
from ccgtui.tui import typeahead
from ccgtui.tui.app import CcgApp, make_app
from ccgtui.tui.dialogs.note import NoteScreen
from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.screens.search import SearchScreen
from tests.tui.key_bursts import burst


@pytest.fixture
def held_load(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The store opens only when the returned event is set."""
    release = threading.Event()
    real = ccgtui.store.store_for

    def slow_open(*args: Any, **kwargs: Any) -> Any:
        release.wait(timeout=20)
        return real(*args, **kwargs)

    monkeypatch.setattr(ccgtui.store, "store_for", slow_open)
    yield release
    release.set()


async def _settle(app: CcgApp, pilot: Any, until: Any) -> None:
    """Wait (bounded) for the load and the replayed keys to be handled."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        await pilot.pause(0.05)
        if until():
            break
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_palette_typed_before_the_main_screen_is_ready(
    fixture_folder: Path, held_load: threading.Event
) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        burst(app, ["ctrl+p", *"case one"])
        await pilot.pause()
        held_load.set()
        await _settle(app, pilot, lambda: app.dataset is not None)
        await _settle(app, pilot, lambda: app.screen.query(Input).first().value == "case one")
        assert not any(isinstance(s, NoteScreen) for s in app.screen_stack)
        palette_input = app.screen.query(Input).first()
        assert palette_input.value == "case one"
        assert isinstance(app.screen_stack[-2], MainScreen)  # the palette is above the main screen
        await _settle(app, pilot, lambda: app.screen.query(CommandList).first().option_count)
        await pilot.press("enter")
        await _settle(app, pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.main_screen.current_case == "fix-in-depth-1"


async def test_search_typed_before_the_main_screen_is_ready(
    fixture_folder: Path, held_load: threading.Event
) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        burst(app, ["slash", *"programme board"])
        await pilot.pause()
        held_load.set()
        await _settle(app, pilot, lambda: isinstance(app.screen, SearchScreen))
        await _settle(
            app, pilot, lambda: app.screen.query_one("#search-input", Input).value.endswith("d")
        )
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one("#search-input", Input).value == "programme board"
        assert [type(s).__name__ for s in app.screen_stack][1:] == ["MainScreen", "SearchScreen"]


async def test_too_much_typed_ahead_is_dropped_whole_with_a_notice(
    fixture_folder: Path, held_load: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(typeahead, "TYPEAHEAD_KEYS", 5)
    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        burst(app, [*"jjjjjjjj", "m"])
        await pilot.pause()
        held_load.set()
        await _settle(app, pilot, lambda: app.dataset is not None)
        assert isinstance(app.screen, MainScreen)
        assert app.main_screen.current_case == "fix-composite"  # no key was replayed
        assert any("typed while loading" in str(n.message) for n in app._notifications)
