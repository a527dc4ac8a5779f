"""The explorer's first frame: the case list from the table of contents, the rest after it.

Issue 16: "the explorer paints from the index and builds summaries for the rows it
shows; everything else arrives after the first frame."  Here the dataset is held back
(as a slow machine holds it) to look at the screen between the two.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.worker import WorkerCancelled

from ccgtui.store import Store, StoreError, store_for
from ccgtui.tui import case_entry
from ccgtui.tui.app import CcgApp, make_app
from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.widgets.case_list import CaseList
from tests.tui.conftest import CASE_IDS, wait_loaded
from tests.tui.key_bursts import burst
from tests.tui.screen_text import screen_text


@pytest.fixture
def held_dataset(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The store's dataset is built only when the returned event is set."""
    release = threading.Event()
    real = Store.dataset

    def slow(self: Store) -> Any:
        release.wait(timeout=20)
        return real(self)

    monkeypatch.setattr(Store, "dataset", slow)
    yield release
    release.set()


async def _until(pilot: Any, done: Any) -> None:
    deadline = time.monotonic() + 10
    while not done() and time.monotonic() < deadline:
        await pilot.pause(0.02)


def _prompts(app: CcgApp) -> list[str]:
    listing = app.screen.query_one("#case-list", CaseList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def test_the_case_list_is_drawn_before_the_dataset(
    fixture_folder: Path, held_dataset: threading.Event
) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, MainScreen))
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.pause()
        assert app.dataset is None and not main.ready  # held: no case model read
        assert main.case_list.case_ids == CASE_IDS
        first = _prompts(app)
        text = screen_text(app)
        assert "Fixture frail elderly" in text and "4 cases" in text
        assert first[0] == "Fixture frail elderly integration\n  COMPOSITE Fixture study"
        assert not main.query("#case-detail")  # the tabs come with the dataset
        await pilot.click("#case-list")  # a click on the list before it: nothing breaks
        clicked = main.case_list.current_id
        held_dataset.set()
        await wait_loaded(pilot)
        assert main.ready and main.current_case == clicked  # the case clicked is shown
        assert _prompts(app) == first  # the same entries, drawn from the summaries now
        assert "Overview" in screen_text(app)


async def test_keys_typed_before_the_dataset_are_replayed(
    fixture_folder: Path, held_dataset: threading.Event
) -> None:
    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, MainScreen))
        burst(app, ["j", "j", "3"])  # the case list shows; the detail is not there yet
        await pilot.pause()
        held_dataset.set()
        await wait_loaded(pilot)
        main = app.main_screen
        assert main.current_case == CASE_IDS[2]
        assert main.detail.active_tab == "arenas"


async def test_a_dataset_that_fails_after_the_listing_exits_1(
    fixture_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged(self: Store) -> Any:
        raise StoreError("the case cache is damaged; run `ccgtui load`")

    monkeypatch.setattr(Store, "dataset", damaged)
    app = make_app(cases=fixture_folder, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        with contextlib.suppress(WorkerCancelled):  # the app exits as the worker ends
            await app.workers.wait_for_complete()
        await _until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 1
    assert app.exit_message == "ccgtui: the case cache is damaged; run `ccgtui load`"


def test_the_listing_is_the_table_of_contents_and_the_study_labels(
    fixture_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_for(tmp_path / "db.json", fixture_folder)
    store.open()
    listing = case_entry.read_listing(store)
    summaries = store.case_summaries()
    assert [(r.id, r.kind, r.label, r.study) for r in listing.rows] == [
        (s.id, s.kind, s.label, s.study) for s in summaries
    ]
    assert [r.id for r in listing.rows] == CASE_IDS
    assert listing.study_labels == {"fix-study": "Fixture study", "fix-other": "Other study"}
    # Without the cached records (no current table of contents): the same, from the models.
    plain = store_for(tmp_path / "db.json", fixture_folder)
    plain.open()
    monkeypatch.setattr(plain, "cached_records", lambda: None)
    assert case_entry.read_listing(plain) == listing


def test_an_entry_reads_the_same_from_a_row_and_from_its_case(
    fixture_folder: Path, tmp_path: Path
) -> None:
    from ccgtui.tui import render

    store = store_for(tmp_path / "db.json", fixture_folder)
    store.open()
    listing = case_entry.read_listing(store)
    dataset = store.dataset()
    for row in listing.rows:
        case = dataset.case(row.id)
        assert case is not None
        label = render.study_label(dataset, case.study)
        assert label == listing.study_labels[row.study]
        for marked in (False, True):
            assert case_entry.case_prompt(row, label, marked) == render.case_prompt(
                case, label, marked
            )


async def test_quitting_while_the_list_shows_builds_no_dataset(
    fixture_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quit before the detail arrives: the load worker stops, not building the dataset
    (at 10k about a second the quit would wait for), review."""
    built: list[str] = []
    real = Store.dataset

    def counted(self: Store) -> Any:
        built.append("dataset")
        return real(self)

    class NoFirstFrame(threading.Event):
        def set(self) -> None:  # the first frame is never reported
            pass

    monkeypatch.setattr(Store, "dataset", counted)
    app = make_app(cases=fixture_folder, cursor_blink=False)
    app._first_frame = NoFirstFrame()
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, MainScreen))
        app.exit()
        threading.Event.set(app._first_frame)  # what exit() does, past the stand-in
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
    assert built == []
