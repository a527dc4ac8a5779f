"""Notes, tags and bookmarks in the explorer: deleting notes, the Notes tab's reach
(sources too), notes on the study, All notes with orphans, and keys typed in a burst."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList
from textual.worker import WorkerCancelled

from ccgtui import userdata as ud
from ccgtui.store import Store
from ccgtui.tui.app import CcgApp
from ccgtui.tui.dialogs.confirm import ConfirmScreen
from ccgtui.tui.dialogs.note import NoteScreen
from ccgtui.tui.screens.all_notes import AllNotesScreen
from ccgtui.tui.screens.main import MainScreen
from ccgtui.tui.screens.source import SourceScreen
from ccgtui.tui.screens.study import StudyScreen
from ccgtui.tui.screens.target import TargetScreen
from ccgtui.tui.widgets.note_list import NoteList
from tests.tui.conftest import running
from tests.tui.screen_text import screen_text


def list_text(listing: NoteList) -> str:
    return "\n".join(str(o.prompt) for o in listing.options)


def main_of(app: CcgApp) -> MainScreen:
    return app.main_screen


def store_of(app: CcgApp) -> Store:
    assert app.store is not None
    return app.store


async def settle(pilot: Pilot[None]) -> None:
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled):  # a newer read replaced an older one
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def send(pilot: Pilot[None], *keys: str) -> None:
    """Queue ``keys`` the way a terminal delivers a paste or fast typing: all of them
    before the app handles the first (``pilot.press`` waits after every key)."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        char = {"space": " ", "enter": "\r"}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)


async def burst(pilot: Pilot[None], *keys: str) -> None:
    """:func:`send`, then wait until the app has handled them."""
    send(pilot, *keys)
    await settle(pilot)


def seed(folder: Path, db: Path, *targets_and_texts: tuple[str, str]) -> Store:
    """Notes written before the explorer starts (``dataset`` unchecked: orphans too)."""
    store = Store(db, folder)
    store.open()
    for target, text in targets_and_texts:
        ud.add_note(store, target, text)
    return store


# -- 1. deleting a note ---------------------------------------------------------------------


async def test_n_then_ctrl_d_deletes_the_note_after_a_confirmation(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"to delete", "ctrl+s")
        await settle(pilot)
        assert [n.text for n in ud.list_notes(store_of(app))] == ["to delete"]
        await pilot.press("n")  # the same note, to edit or delete
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen) and app.screen.note_id is not None
        # Drawn, with the stored text in it (the dialog opened before it was read).
        text = screen_text(app)
        assert "Edit note #1 on Case: Fixture frail elderly integration" in text
        assert "to delete" in text and "ctrl+d delete" in text
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert ud.list_notes(store_of(app)) == []
        await pilot.press("6")
        await pilot.pause()
        assert "No notes yet" in screen_text(app)
        assert "to delete" not in screen_text(app)


async def test_notes_tab_edits_and_deletes_the_highlighted_note(
    fixture_folder: Path, isolated_db: Path
) -> None:
    seed(
        fixture_folder,
        isolated_db,
        ("case:fix-composite", "first"),
        ("stage:fix-composite/negotiation", "second"),
    )
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("6")
        main = main_of(app)
        main.focus_content()
        await pilot.pause()
        listing = app.screen.query_one("#case-notes", NoteList)
        assert listing.has_focus
        assert listing.current_note is not None and listing.current_note.text == "first"
        await pilot.press("j", "enter")  # the stage note, to edit
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*" edited", "ctrl+s")
        await settle(pilot)
        assert [n.text for n in ud.list_notes(store_of(app))] == ["first", "second edited"]
        assert "second edited" in list_text(listing)

        await pilot.press("d")  # still on the stage note
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # kept
        await settle(pilot)
        assert len(ud.list_notes(store_of(app))) == 2
        await pilot.press("d", "y")
        await settle(pilot)
        assert [n.text for n in ud.list_notes(store_of(app))] == ["first"]
        assert "second edited" not in list_text(listing)
        assert listing.current_note is not None and listing.current_note.text == "first"


# -- 2. what the Notes tab covers; notes on the study ---------------------------------------


async def test_a_note_on_a_source_shows_in_the_notes_tab(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("7", "n")
        await pilot.pause()
        assert isinstance(app.screen, TargetScreen)
        await pilot.press("down", "enter")  # the highlighted source, after the whole case
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"check this report", "ctrl+s")
        await settle(pilot)
        [note] = ud.list_notes(store_of(app))
        assert note.target.startswith("source:")
        await pilot.press("6")
        await pilot.pause()
        text = screen_text(app)
        assert "check this report" in text
        assert "Source: " in text


async def test_the_notes_tab_shows_notes_on_cited_sources_only(
    fixture_folder: Path, isolated_db: Path
) -> None:
    seed(
        fixture_folder,
        isolated_db,
        ("source:fix-report", "cited by the scoping case"),
        ("source:fix-article", "not cited by the scoping case"),
        ("study:fix-study", "on the study"),
        ("case:fix-composite", "another case"),
    )
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("j", "j", "6")
        await settle(pilot)
        assert main_of(app).current_case == "fix-scoping"
        text = list_text(app.screen.query_one("#case-notes", NoteList))
        assert "cited by the scoping case" in text
        assert "not cited" not in text
        assert "on the study" not in text and "another case" not in text


async def test_study_screen_adds_lists_and_deletes_its_notes(fixture_folder: Path) -> None:
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"about the whole study", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)
        [note] = ud.list_notes(store_of(app))
        assert note.target == "study:fix-study"
        listing = app.screen.query_one("#study-notes", NoteList)
        assert "about the whole study" in list_text(listing)
        # Scrolled into view after a refresh: give a loaded machine a few frames.
        for _ in range(40):
            if "about the whole study" in screen_text(app):
                break
            await pilot.pause(0.05)
        assert "about the whole study" in screen_text(app)

        listing.focus()
        await pilot.press("d", "y")
        await settle(pilot)
        assert ud.list_notes(store_of(app)) == []
        assert "No notes on this study yet" in list_text(listing)


# -- 3. All notes: every note, orphans flagged --------------------------------------------


async def test_all_notes_lists_every_note_with_orphans_flagged(
    fixture_folder: Path, isolated_db: Path
) -> None:
    seed(
        fixture_folder,
        isolated_db,
        ("case:fix-composite", "on the composite"),
        ("case:deleted-case", "written before the case was removed"),
        ("source:fix-report", "on a source"),
    )
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("N")
        await settle(pilot)
        assert isinstance(app.screen, AllNotesScreen)
        text = screen_text(app)
        assert "3 notes on 3 targets · 1 orphaned" in text
        assert "⚠ case:deleted-case (orphaned)" in text
        assert "written before the case was removed" in text
        assert text.index("on a source") < text.index("deleted-case")  # orphans last

        await pilot.press("G", "o")  # the orphan has nowhere to go
        await pilot.pause()
        assert isinstance(app.screen, AllNotesScreen)
        assert any("no longer in the case files" in str(n.message) for n in app._notifications)
        await pilot.press("d", "y")
        await settle(pilot)
        assert [n.text for n in ud.list_notes(store_of(app))] == [
            "on the composite",
            "on a source",
        ]
        assert "orphaned" not in screen_text(app)

        await pilot.press("g", "o")  # the case note: its case, on the Notes tab
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.main_screen.current_case == "fix-composite"
        assert app.main_screen.detail.active_tab == "notes"


async def test_all_notes_from_the_palette_and_go_to_a_source(
    fixture_folder: Path, isolated_db: Path
) -> None:
    seed(fixture_folder, isolated_db, ("source:fix-report", "on a source"))
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"all notes")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AllNotesScreen)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, SourceScreen)


# -- 5. keys typed in a burst ------------------------------------------------------------------


async def test_j_j_in_a_burst_moves_two_cases_and_stays(fixture_folder: Path) -> None:
    """The list's highlight messages arrive after both keys: each shows the case the
    cursor is on now, not the one it was on (which moved the cursor back and forth)."""
    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        await burst(pilot, "j", "j")
        await pilot.pause(0.2)
        assert (main.current_case, main.case_list.current_id) == ("fix-scoping", "fix-scoping")
        assert main.history.back == ["fix-composite"]


async def test_j_then_space_in_a_burst_marks_the_case_moved_to(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        main = main_of(app)
        await burst(pilot, "j", "space")
        assert main.case_list.marked == {"fix-in-depth-1"}
        await burst(pilot, "j", "space", "k", "space")
        assert main.case_list.marked == {"fix-scoping"}


async def test_n_and_typing_in_a_burst_go_into_the_note(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await burst(pilot, "j", "n", *"quick", "ctrl+s")
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, MainScreen)
        notes = ud.list_notes(store_of(app))
        assert [(n.target, n.text) for n in notes] == [("case:fix-in-depth-1", "quick")]
        await burst(pilot, "n", *" more", "ctrl+s")  # edits it: the save waits for the read
        notes = ud.list_notes(store_of(app))
        assert [(n.target, n.text) for n in notes] == [("case:fix-in-depth-1", "quick more")]


async def test_t_and_b_in_a_burst_act_on_the_case_moved_to(fixture_folder: Path) -> None:
    async with running(fixture_folder) as (app, pilot):
        await burst(pilot, "j", "j", "t", *"fast", "enter", "ctrl+s")
        assert ud.list_tags(store_of(app)) == {"fix-scoping": ["fast"]}
        await burst(pilot, "k", "b")
        marks = ud.list_bookmarks(store_of(app))
        assert [b.target for b in marks] == ["case:fix-in-depth-1"]


# -- 4. ✎ markers after items with notes -------------------------------------------------------


async def test_items_with_notes_are_marked_on_their_tabs(
    fixture_folder: Path, isolated_db: Path
) -> None:
    seed(
        fixture_folder,
        isolated_db,
        ("case:fix-composite", "on the case"),
        ("stage:fix-composite/negotiation", "one"),
        ("stage:fix-composite/negotiation", "two"),
        ("arena:fix-composite/board", "on the board"),
        ("partner:fix-composite/2", "on the hospital (a position, no partner ids here)"),
        ("source:fix-report", "on the report"),
        ("stage:fix-composite/removed-stage", "orphaned: not counted anywhere"),
    )

    def line_with(text: str) -> str:
        """The line of the case detail (right of the case list) that shows ``text``."""
        right = [line.split("▕", 1)[-1] for line in screen_text(app).splitlines()]
        return next(line for line in right if text in line)

    async with running(fixture_folder, size=(120, 40)) as (app, pilot):
        assert "✎ 1" in line_with("Fixture frail elderly integration")  # Overview: the case
        await pilot.press("2")
        await pilot.pause()
        assert "✎ 2" in line_with("Programme board negotiates")
        assert "✎" not in line_with("Board gives legitimacy")
        await pilot.press("3")
        await pilot.pause()
        assert "✎ 1" in line_with("CCG board (strategy)")
        assert "✎" not in line_with("Programme board (operational")
        await pilot.press("4")
        await pilot.pause()
        assert "✎ 1" in line_with("The hospital took part.")
        assert "✎" not in line_with("Social work joined")
        await pilot.press("7")
        await pilot.pause()
        sources = app.screen.query_one("#source-list", OptionList)
        assert str(sources.get_option("fix-report").prompt).endswith("✎ 1")
        assert "✎" not in str(sources.get_option("fix-article").prompt)
        assert "✎ 1" in screen_text(app)


async def test_a_new_note_marks_its_stage_at_once_and_keeps_the_place(
    fixture_folder: Path,
) -> None:
    async with running(fixture_folder, size=(80, 12)) as (app, pilot):
        await pilot.press("2")
        main_of(app).focus_content()
        await pilot.pause()
        scroll = app.screen.query_one("#story-scroll")
        scroll.scroll_to(y=4, animate=False, immediate=True)
        await pilot.pause()
        await pilot.press("n", "down", "down", "enter")  # the second stage
        await settle(pilot)
        await pilot.press(*"who chaired it?", "ctrl+s")
        await settle(pilot)
        assert [n.target for n in ud.list_notes(store_of(app))] == [
            "stage:fix-composite/negotiation"
        ]
        assert scroll.scroll_y == 4
        assert "Programme board negotiates (2014) ✎ 1" in screen_text(app)


async def test_keys_typed_fast_through_the_target_picker(fixture_folder: Path) -> None:
    """Keys read before the picker (or the search box) was ready reach it, in order."""
    async with running(fixture_folder) as (app, pilot):
        send(pilot, "2", "n")
        while not isinstance(app.screen, TargetScreen):
            await asyncio.sleep(0)
        assert app.screen.focused is None  # pushed, not mounted yet
        await burst(pilot, "down", "down", "enter")
        assert isinstance(app.screen, NoteScreen)
        await burst(pilot, *"second stage", "ctrl+s")
        notes = ud.list_notes(store_of(app))
        assert [(n.target, n.text) for n in notes] == [
            ("stage:fix-composite/negotiation", "second stage")
        ]
        # The Sources tab is drawn on a message that came after n: n saw no source.
        await burst(pilot, "7", "n", "down", "enter")
        assert isinstance(app.screen, NoteScreen) and app.screen.target == "source:fix-article"
        await burst(pilot, "escape")
        await burst(pilot, "slash", *"frail")  # typed before the search box had the focus
        assert app.screen.query_one("#search-input", Input).value == "frail"


async def test_a_bookmark_opens_its_case_tab_source_or_study(fixture_folder: Path) -> None:
    """``B`` then enter goes where the bookmark is about, through the app's navigation:
    a stage on its case's Story tab, a source's reference, the study (before, bookmarks
    on a source or the study opened nothing)."""
    async with running(fixture_folder) as (app, pilot):
        for target in ("stage:fix-composite/negotiation", "source:fix-report", "study:fix-study"):
            ud.add_bookmark(store_of(app), target)
        await pilot.press("j")  # away from the composite case
        expected = [
            (0, lambda: main_of(app).current_case == "fix-composite"),
            (1, lambda: isinstance(app.screen, SourceScreen)),
            (2, lambda: isinstance(app.screen, StudyScreen)),
        ]
        for row, arrived in expected:
            app.back_to_main()
            await pilot.pause()
            await pilot.press("B")
            await settle(pilot)
            await pilot.press(*["down"] * row, "enter")
            await settle(pilot)
            assert arrived(), row
        app.back_to_main()
        await pilot.pause()
        assert main_of(app).detail.active_tab == "story"
