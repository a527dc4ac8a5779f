"""The note, tag and bookmark dialogs, hosted in a tiny App, plus the UserLayer glue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static, TextArea

from ccgtui import userdata as ud
from ccgtui.store import Store
from ccgtui.tui.dialogs.bookmarks import BookmarksResult, BookmarksScreen
from ccgtui.tui.dialogs.confirm import ConfirmScreen
from ccgtui.tui.dialogs.note import DELETE, NoteScreen
from ccgtui.tui.dialogs.tags import TagScreen
from ccgtui.tui.dialogs.user_layer import UserLayer
from ccgtui.tui.widgets.note_list import NoteList, group_notes

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


async def test_note_screen_ctrl_d_deletes_after_a_confirmation() -> None:
    app = Host(lambda: NoteScreen("case:c1", "old", note_id=3))
    async with app.run_test() as pilot:
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Delete note #3" in str(app.screen.query_one(".dialog-title", Static).render())
        await pilot.press("n")  # keep it
        assert isinstance(app.screen, NoteScreen)
        assert app.results == []
        await pilot.press("ctrl+d")
        await pilot.press("escape")  # escape keeps it too, and leaves the note open
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("ctrl+d", "y")
        await pilot.pause()
        assert app.results == [DELETE]


async def test_note_screen_saving_an_emptied_note_offers_to_delete_it() -> None:
    app = Host(lambda: NoteScreen("case:c1", "old", note_id=3))
    async with app.run_test() as pilot:
        await pilot.press("backspace", "backspace", "backspace", "ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-yes-button")
        await pilot.pause()
        assert app.results == [DELETE]


async def test_a_new_note_has_nothing_to_delete() -> None:
    app = Host(lambda: NoteScreen("case:c1"))
    async with app.run_test() as pilot:
        await pilot.press(*"draft", "ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)  # no confirmation: nothing stored to delete
        assert app.results == []
        assert app.screen.query_one("#note-text", TextArea).text == "draft"
        assert "ctrl+d" not in str(app.screen.query_one("#note-hint", Static).render())


async def test_note_screen_loading_keeps_typed_text_and_holds_the_save() -> None:
    """The dialog opens before the stored note is read: typing goes after it, and a
    save waits for it (else it would add a second note instead of editing)."""
    app = Host(lambda: NoteScreen("case:c1", reading=True))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, NoteScreen)
        await pilot.press(*" more", "ctrl+s")
        await pilot.pause()
        assert app.results == [] and app.screen is screen
        screen.load("stored", 5)
        await pilot.pause()
        assert app.results == ["stored more"]
        assert screen.note_id == 5 and screen.existing_text == "stored"


async def test_keys_reaching_the_dialogs_before_their_focus_are_typed_in() -> None:
    """Keys typed in the burst that opened a dialog can reach it before its text area
    or input has the focus: they are text, not lost (nor keys for the screen)."""
    app = Host(lambda: NoteScreen("case:c1"))
    async with app.run_test() as pilot:
        app.screen.set_focus(None)
        await pilot.press("a", "enter", "b")
        assert app.screen.query_one("#note-text", TextArea).text == "a\nb"
    app = Host(lambda: TagScreen("c1"))
    async with app.run_test() as pilot:
        app.screen.set_focus(None)
        await pilot.press(*"ab")
        assert app.screen.query_one("#tag-input", Input).value == "ab"
        await pilot.press("ctrl+s")  # the tag being typed is saved too
        await pilot.pause()
        assert app.results == [["ab"]]


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


async def test_tag_screen_loading_merges_the_stored_tags_and_holds_the_save() -> None:
    app = Host(lambda: TagScreen("c1", reading=True))
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, TagScreen)
        await pilot.press(*"new", "enter", "ctrl+s")
        await pilot.pause()
        assert app.results == []
        screen.load(["old"])
        await pilot.pause()
        assert app.results == [["new", "old"]]


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


def list_text(listing: NoteList) -> str:
    """What a NoteList shows, as plain text."""
    return "\n".join(str(o.prompt) for o in listing.options)


def test_notes_are_grouped_by_target_with_orphans_last_and_flagged(
    minimal_folder: Path, isolated_db: Path
) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    ud.add_note(store, "case:gone", "lost")
    ud.add_note(store, "source:src-a", "on the source")
    ud.add_note(store, "case:case-a", "live")
    ud.add_note(store, "case:case-a", "live again")
    groups = group_notes(ud.list_notes(store), store.dataset())
    assert [(g.target, g.orphan, [n.text for n in g.notes]) for g in groups] == [
        ("case:case-a", False, ["live", "live again"]),
        ("source:src-a", False, ["on the source"]),
        ("case:gone", True, ["lost"]),
    ]
    assert groups[0].title == "Case: Case A"
    assert groups[2].title == "case:gone (orphaned)"


async def test_note_list_keys_ask_the_host_to_edit_or_delete(
    minimal_folder: Path, isolated_db: Path
) -> None:
    store = Store(isolated_db, minimal_folder)
    store.open()
    ud.add_note(store, "case:case-a", "first")
    ud.add_note(store, "case:gone", "[b]lost[/b]")
    asked: list[tuple[str, int]] = []

    class ListHost(App[None]):
        def compose(self) -> ComposeResult:
            yield NoteList(id="notes")

        def on_mount(self) -> None:
            listing = self.query_one(NoteList)
            listing.show(ud.list_notes(store), store.dataset())
            listing.focus()

        def on_note_list_edit(self, event: NoteList.Edit) -> None:
            asked.append(("edit", event.note.id))

        def on_note_list_delete(self, event: NoteList.Delete) -> None:
            asked.append(("delete", event.note.id))

    app = ListHost()
    async with app.run_test() as pilot:
        listing = app.query_one(NoteList)
        text = list_text(listing)
        assert "Case: Case A" in text and "⚠ case:gone (orphaned)" in text
        assert "[b]lost[/b]" in text  # the user's text, not markup
        assert listing.current_note is not None and listing.current_note.id == 1
        await pilot.press("enter", "d", "j")  # j skips the orphan's heading
        await pilot.press("e", "delete")
        await pilot.pause()
        assert asked == [("edit", 1), ("delete", 1), ("edit", 2), ("delete", 2)]
        listing.show([], None)
        assert listing.current_note is None
        assert "No notes yet" in list_text(listing)


class LayerHost(App[None]):
    """A stand-in for the main screen: a Notes pane and the n/t/b actions."""

    BINDINGS = [("n", "note", "Note"), ("t", "tag", "Tag"), ("b", "bookmark", "Bookmark")]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.cursor_blink = False
        self.opened: list[str] = []
        self.layer = UserLayer(self, lambda: store, store.dataset, self.refresh_notes)

    def compose(self) -> ComposeResult:
        yield NoteList(id="notes")

    def refresh_notes(self, target: str) -> None:
        listing = self.query_one(NoteList)
        self.layer.load_notes(["case:case-a"], lambda notes: listing.show(notes, None))

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
        assert "first" in list_text(app.query_one(NoteList))

        await pilot.press("n")  # edits the newest note on the target
        await settle(pilot)
        assert app.screen.query_one("#note-text", TextArea).text == "first"
        await pilot.press(*" edited", "ctrl+s")
        await settle(pilot)
        assert [n.text for n in ud.list_notes(store)] == ["first edited"]

        [note] = ud.list_notes(store)
        app.layer.delete(note)  # as d in a list of notes does
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert ud.list_notes(store) == []
        assert "first" not in list_text(app.query_one(NoteList))

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
        text = list_text(app.screen.query_one("#case-notes", NoteList))
        assert "remember this" in text

    label_changed = (minimal_folder / "case-a.yaml").read_text().replace("Case A", "Case A v2")
    (minimal_folder / "case-a.yaml").write_text(label_changed)
    app = make_app(cases=minimal_folder, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = list_text(app.screen.query_one("#case-notes", NoteList))
        assert "remember this" in text and "Case A v2" in text
        await pilot.press("B")
        await settle(pilot)
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("escape")
    store = Store(isolated_db, minimal_folder)
    assert ud.list_tags(store) == {"case-a": ["follow-up"]}


async def test_when_the_stored_note_or_tags_cannot_be_read(
    minimal_folder: Path, isolated_db: Path, monkeypatch: Any
) -> None:
    """The note dialog stays usable (what is typed is added as a note); the tag dialog
    closes, since saving without the stored tags would drop them."""
    store = Store(isolated_db, minimal_folder)
    store.open()
    ud.set_tags(store, "case-a", ["keep"])

    def unreadable(*args: Any, **kwargs: Any) -> Any:
        raise ud.UserDataError("the notes file is locked")

    app = LayerHost(store)
    async with app.run_test() as pilot:
        monkeypatch.setattr(ud, "list_notes", unreadable)
        monkeypatch.setattr(ud, "list_tags", unreadable)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteScreen) and not app.screen.reading
        await pilot.press(*"typed anyway", "ctrl+s")
        await settle(pilot)
        monkeypatch.undo()
        assert [n.text for n in ud.list_notes(store)] == ["typed anyway"]

        monkeypatch.setattr(ud, "list_tags", unreadable)
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(app.screen, TagScreen)
        monkeypatch.undo()
        assert ud.list_tags(store) == {"case-a": ["keep"]}
