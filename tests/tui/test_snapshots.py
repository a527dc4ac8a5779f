"""SVG snapshots of each screen at 80x24 and 200x60, on the fixture folder.

Review changes with the report pytest-textual-snapshot writes on failure
before running ``pytest --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from ccgtui.tui.app import make_app
from tests.tui.conftest import wait_loaded

SMALL = (80, 24)
WIDE = (200, 60)


async def loaded(pilot: Pilot[None]) -> None:
    await wait_loaded(pilot)


@pytest.mark.parametrize(
    ("name", "size", "keys"),
    [
        ("overview", SMALL, []),
        ("story", SMALL, ["2"]),
        ("arenas", SMALL, ["3"]),
        ("partners", SMALL, ["4"]),
        ("sources", SMALL, ["7"]),
        ("illustrative", SMALL, ["G"]),
        ("unknowns", SMALL, ["j", "2"]),
        ("filtered", SMALL, ["f", *"scop"]),
        ("overview-wide", WIDE, []),
        ("story-wide", WIDE, ["2"]),
        ("arenas-wide", WIDE, ["3"]),
        ("partners-wide", WIDE, ["4"]),
        ("evidence-wide", WIDE, ["5"]),
    ],
)
def test_main_screen(
    snap_compare: Any, fixture_folder: Path, name: str, size: tuple[int, int], keys: list[str]
) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    assert snap_compare(app, terminal_size=size, press=keys, run_before=loaded)


@pytest.mark.parametrize("size", [SMALL, WIDE], ids=["small", "wide"])
def test_study_screen(snap_compare: Any, fixture_folder: Path, size: tuple[int, int]) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    assert snap_compare(app, terminal_size=size, press=["s"], run_before=loaded)


@pytest.mark.parametrize("size", [SMALL, WIDE], ids=["small", "wide"])
def test_help_screen(snap_compare: Any, fixture_folder: Path, size: tuple[int, int]) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    assert snap_compare(app, terminal_size=size, press=["question_mark"], run_before=loaded)


def test_source_screen(snap_compare: Any, fixture_folder: Path) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    keys = ["7", "enter", "j", "enter"]
    assert snap_compare(app, terminal_size=SMALL, press=keys, run_before=loaded)


def test_hostile_labels(snap_compare: Any, hostile_folder: Path) -> None:
    app = make_app(cases=hostile_folder, cursor_blink=False)
    assert snap_compare(app, terminal_size=(100, 30), press=["G"], run_before=loaded)


def test_search_jump_highlights_the_statement(snap_compare: Any, fixture_folder: Path) -> None:
    """``/``, a word, Enter: the story stage that holds it is highlighted (80x24)."""

    async def search(pilot: Pilot[None]) -> None:
        await loaded(pilot)
        await pilot.press("j", "slash")
        await pilot.app.workers.wait_for_complete()
        await pilot.press(*"negotiated")
        await pilot.pause(0.3)  # past the debounce
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    app = make_app(cases=fixture_folder, cursor_blink=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=search)
