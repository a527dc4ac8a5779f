"""Notes in conflict after a team merge (issue 17 item 6) are marked in the explorer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ccgtui import userdata as ud
from ccgtui.notes_import import parse_export
from ccgtui.store import Store
from ccgtui.tui.screens.all_notes import AllNotesScreen
from ccgtui.tui.widgets.note_list import NoteList
from tests.tui.conftest import running
from tests.tui.screen_text import screen_text


def seed_conflict(folder: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Anna's note, then Ben's edit of the same note merged in: two versions stand."""
    monkeypatch.setenv(ud.AUTHOR_ENV, "anna")
    store = Store(db, folder)
    store.open()
    ud.add_note(store, "case:fix-composite", "Anna thinks the board led")
    ud.add_note(store, "case:fix-composite", "a note nobody else edited")
    theirs = ud.export_data(store, None)
    edited = theirs["notes"][0]
    edited.update(text="Ben thinks the programme board led", author="ben")
    summary = ud.import_notes(store, parse_export(json.dumps(theirs).encode()), merge=True)
    assert len(ud.conflicts(ud.list_notes(store))) == 2, summary


async def test_the_notes_tab_marks_both_versions_of_a_note_in_conflict(
    fixture_folder: Path, isolated_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_conflict(fixture_folder, isolated_db, monkeypatch)
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        listing = app.screen.query_one("#case-notes", NoteList)
        prompts = {
            n.text: str(listing.get_option(str(n.id)).prompt) for n in listing.notes.values()
        }
        assert "⚠ 1 of 2 versions, by anna" in prompts["Anna thinks the board led"]
        assert "⚠ 1 of 2 versions, by ben" in prompts["Ben thinks the programme board led"]
        assert "⚠" not in prompts["a note nobody else edited"]


async def test_all_notes_counts_and_marks_the_conflicts(
    fixture_folder: Path, isolated_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_conflict(fixture_folder, isolated_db, monkeypatch)
    async with running(fixture_folder, size=(100, 30)) as (app, pilot):
        await pilot.press("N")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AllNotesScreen)
        text = screen_text(app)
        assert "1 note in conflict" in text and "ccgtui note resolve" in text
        assert text.count("⚠ 1 of 2 versions") == 2
