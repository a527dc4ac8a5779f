"""The note, tag and bookmark dialogs, hosted in a tiny App, plus the UserLayer glue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static, TextArea

from ccgtui import userdata as ud
from ccgtui.store import Store
from ccgtui.tui.screens.notes import (
    BookmarksResult,
    BookmarksScreen,
    NoteScreen,
    TagScreen,
    UserLayer,
    note_widgets,
)

HOSTILE = "[bold]not markup[/] [@click=app.quit]x[/] [link=http://e.org]l[/]"


class Host(App[None]):
    """Pushes one dialog on mount and records what it dismissed with."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.results: list[Any] = []
        self.cursor_blink = False

    def compose(self) -> ComposeResult:
        yield Static("host", id="host")

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


def bm(i: int, target: str, label: str = "") -> ud.Bookmark:
    return ud.Bookmark(id=i, target=target, label=label, created="2026-01-01T00:00:00+00:00")


# -- NoteScreen ----------------------------------------------------------------------


async def test_note_screen_saves_typed_text() -> None:
    app = Host(lambda: NoteScreen("case:c1", title="Case: One"))
    async with app.run_test() as pilot:
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"hello", "enter", *"world")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == ["hello\nworld"]
        assert not isinstance(app.screen, NoteScreen)


async def test_note_screen_edits_existing_text_and_escape_cancels() -> None:
    app = Host(lambda: NoteScreen("case:c1", "old"))
    async with app.run_test() as pilot:
        area = app.screen.query_one("#note-text", TextArea)
        assert area.text == "old"
        await pilot.press(*" and new")
        assert area.text == "old and new"
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_note_screen_refuses_an_empty_note() -> None:
    app = Host(lambda: NoteScreen("case:c1"))
    async with app.run_test() as pilot:
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, NoteScreen)


async def test_note_screen_shows_hostile_text_as_data() -> None:
    app = Host(lambda: NoteScreen("case:c1", HOSTILE, title=HOSTILE))
    async with app.run_test() as pilot:
        title = app.screen.query_one(".dialog-title", Static)
        assert HOSTILE in str(title.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [HOSTILE]


# -- TagScreen -----------------------------------------------------------------------


async def test_tag_screen_adds_normalised_tags_and_removes() -> None:
    app = Host(lambda: TagScreen("c1", ["frailty"]))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, TagScreen)
        await pilot.press(*"Follow Up", "enter")
        await pilot.press(*"frailty", "enter")  # already there: kept once
        assert screen.tags == ["follow-up", "frailty"]
        listing = screen.query_one("#tag-list", OptionList)
        listing.focus()
        listing.highlighted = 1
        await pilot.press("delete")
        assert screen.tags == ["follow-up"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [["follow-up"]]


async def test_tag_screen_enter_on_empty_input_saves_and_escape_cancels() -> None:
    app = Host(lambda: TagScreen("c1", []))
    async with app.run_test() as pilot:
        assert app.screen.query_one("#tag-input", Input).has_focus
        await pilot.press(*"x y", "enter", "enter")
        await pilot.pause()
        assert app.results == [["x-y"]]
    app = Host(lambda: TagScreen("c1", ["keep"]))
    async with app.run_test() as pilot:
        await pilot.press(*"new", "enter", "escape")
        await pilot.pause()
        assert app.results == [None]


# -- BookmarksScreen -----------------------------------------------------------------


async def test_bookmarks_screen_opens_and_removes() -> None:
    marks = [bm(1, "case:c1", "Tuesday"), bm(2, "case:gone"), bm(3, "source:s1")]
    names: dict[str, str | None] = {
        "case:c1": "Case: One",
        "case:gone": None,
        "source:s1": "Source: S",
    }
    app = Host(lambda: BookmarksScreen(marks, names))
    async with app.run_test() as pilot:
        listing = app.screen.query_one("#bookmark-list", OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(3)]
        assert prompts == [
            "1. Tuesday — Case: One",
            "2. case:gone (orphaned)",
            "3. Source: S",
        ]
        await pilot.press("down", "delete")  # remove bookmark 2
        assert listing.option_count == 2
        await pilot.press("enter")  # now on bookmark 3
        await pilot.pause()
        assert app.results == [BookmarksResult(open=marks[2], removed=[2])]


async def test_bookmarks_screen_empty_and_escape() -> None:
    app = Host(lambda: BookmarksScreen([]))
    async with app.run_test() as pilot:
        await pilot.press("delete", "enter", "escape")
        await pilot.pause()
        assert app.results == [BookmarksResult(open=None, removed=[])]


# -- the Notes pane and the UserLayer glue ----------------------------------------------


def test_note_widgets_flag_orphans(minimal_folder: Path, isolated_db: Path) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    ud.add_note(store, "case:case-a", "live")
    ud.add_note(store, "case:gone", "lost")
    widgets = note_widgets(ud.list_notes(store), store.dataset())
    assert [w.has_class("orphaned") for w in widgets] == [False, True]
    assert [w.id for w in note_widgets([], None)] == ["notes-empty"]


class LayerHost(App[None]):
    """A stand-in for the main screen: a Notes pane and the n/t/b actions."""

    BINDINGS = [("n", "note", "Note"), ("t", "tag", "Tag"), ("b", "bookmark", "Bookmark")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.cursor_blink = False
        self.opened: list[str] = []
        self.layer = UserLayer(self, lambda: store, store.dataset, self.refresh_notes)

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="notes-pane")

    def refresh_notes(self, case_id: str) -> None:
        self.layer.refresh_pane(self.query_one("#notes-pane"), case_id)

    def action_note(self) -> None:
        self.layer.note("case:case-a")

    def action_tag(self) -> None:
        self.layer.tags("case-a")

    def action_bookmark(self) -> None:
        self.layer.bookmark("case:case-a")


async def settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def test_user_layer_adds_edits_tags_and_bookmarks(
    minimal_folder: Path, isolated_db: Path
) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    app = LayerHost(store)
    async with app.run_test() as pilot:
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"first", "ctrl+s")
        await settle(pilot)
        assert [n.text for n in ud.list_notes(store)] == ["first"]
        pane_text = [str(w.render()) for w in app.query(".note-item")]
        assert len(pane_text) == 1 and "first" in pane_text[0]

        await pilot.press("n")  # edits the newest note on the target
        await settle(pilot)
        assert app.screen.query_one("#note-text", TextArea).text == "first"
        await pilot.press(*" edited", "ctrl+s")
        await settle(pilot)
        assert [n.text for n in ud.list_notes(store)] == ["first edited"]

        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"Follow Up", "enter", "ctrl+s")
        await settle(pilot)
        assert ud.list_tags(store) == {"case-a": ["follow-up"]}

        await pilot.press("b")
        await settle(pilot)
        assert [b.target for b in ud.list_bookmarks(store)] == ["case:case-a"]

        opened: list[str] = []
        app.layer.bookmarks(opened.append)
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert opened == ["case:case-a"]

        app.layer.bookmarks(opened.append)
        await settle(pilot)
        await pilot.press("delete", "escape")
        await settle(pilot)
        assert ud.list_bookmarks(store) == []


def test_note_screen_snapshot(snap_compare: Any) -> None:
    app = Host(
        lambda: NoteScreen(
            "stage:fixture-case/start",
            "A note written while reading.\nSecond line with [brackets] kept as text.",
            title="Fixture case › Stage: Start",
        )
    )
    assert snap_compare(app, terminal_size=(80, 24))


# -- wired into the explorer: annotate, quit, edit the case files, reopen ------------------


async def test_explorer_note_survives_quit_and_case_file_edits(
    minimal_folder: Path, isolated_db: Path
) -> None:
    import pytest

    pytest.importorskip("ccgtui.tui.screens.main")
    from ccgtui.tui.app import make_app

    app = make_app(cases=minimal_folder, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"remember this", "ctrl+s")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press(*"Follow up", "enter", "ctrl+s")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        items = [str(w.render()) for w in app.screen.query(".note-item")]
        assert len(items) == 1 and "remember this" in items[0]

    label_changed = (minimal_folder / "case-a.yaml").read_text().replace("Case A", "Case A v2")
    (minimal_folder / "case-a.yaml").write_text(label_changed)
    app = make_app(cases=minimal_folder, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        items = [str(w.render()) for w in app.screen.query(".note-item")]
        assert len(items) == 1 and "remember this" in items[0] and "Case A v2" in items[0]
        await pilot.press("B")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("escape")
    store = Store(isolated_db, minimal_folder)
    assert ud.list_tags(store) == {"case-a": ["follow-up"]}
