"""The main screen: case list on the left, the chosen case in tabs on the right."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList

from ccgtui.case_tabs import TITLES as TABS
from ccgtui.tui.errors import Guarded
from ccgtui.tui.history import History
from ccgtui.tui.navigation import Navigator, open_screen
from ccgtui.tui.screens.main_keys import MAIN_KEYS
from ccgtui.tui.widgets.case_list import CaseList
from ccgtui.tui.widgets.case_pane import CasePane
from ccgtui.tui.widgets.key_hints import KeyHints

if TYPE_CHECKING:
    # The case detail (its tabs, the renderers and the models they read) is mounted after
    # the first frame, which shows the case list (issue 16).
    from textual.widgets import TabbedContent

    from ccgtui.model import Case, Dataset
    from ccgtui.tui.case_entry import Listing
    from ccgtui.tui.dialogs.user_layer import UserLayer
    from ccgtui.tui.widgets.case_detail import CaseDetail
    from ccgtui.tui.widgets.note_list import NoteList
    from ccgtui.tui.widgets.source_list import SourceList
    from ccgtui.userdata import Note


class MainScreen(Guarded, Screen[None]):
    """Owns the case list, the detail tabs and the history of visited cases."""

    AUTO_FOCUS = "#case-list"

    BINDINGS: ClassVar[list[BindingType]] = MAIN_KEYS

    class CaseShown(Message):
        """The detail now shows ``case_id`` (hook for notes, tags, bookmarks)."""

        def __init__(self, case_id: str) -> None:
            super().__init__()
            self.case_id = case_id

    def __init__(
        self, nav: Navigator, *, listing: Listing | None = None, dataset: Dataset | None = None
    ) -> None:
        """Shown with the ``listing`` first (:meth:`show_dataset` brings the rest), or the
        ``dataset`` at once."""
        super().__init__(id="main")
        if (listing is None) == (dataset is None):
            raise ValueError("a main screen shows a listing or a dataset, one of them")
        self.listing = listing
        self._dataset = dataset
        self.nav = nav
        self.current_case: str | None = None
        self._layer: UserLayer | None = None
        self._notes_for: str | None = None  # the case whose notes the Notes tab shows
        self.history = History()
        self.before_present: tuple[str, bool] | None = None  # theme, case list hidden

    def compose(self) -> ComposeResult:
        with Horizontal(id="main-body"):
            yield CasePane(
                lambda: self.nav.store, cursor_blink=self.nav.cursor_blink, id="case-pane"
            )
            if self._dataset is not None:
                yield self._new_detail()
        yield KeyHints(id="main-footer")

    @staticmethod
    def _new_detail(width: int | None = None) -> CaseDetail:
        """The case detail; mounted after the first frame, it is told its ``width``."""
        from ccgtui.tui.widgets.case_detail import CaseDetail

        return CaseDetail(id="case-detail", width=width)

    def on_mount(self) -> None:
        if self._dataset is not None:
            self.set_dataset(self._dataset)
        elif self.listing is not None:
            self.case_pane.show_listing(self.listing)  # the first frame

    async def show_dataset(self, dataset: Dataset) -> None:
        """After the first frame: the case detail mounted, then the dataset shown."""
        if not self.ready:
            body, pane = self.query_one("#main-body", Horizontal), self.case_pane
            width = body.size.width - (pane.outer_size.width if pane.display else 0)
            await body.mount(self._new_detail(width))
        self.set_dataset(dataset)
        if self.case_list_hidden and self.case_pane.has_focus_within:
            self.focus_content()  # hidden before the detail was there to take the focus

    # -- data ----------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """The dataset is shown (before, the case list shows the table of contents)."""
        return self._dataset is not None and bool(self.query("#case-detail"))

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            raise LookupError("the main screen has no dataset yet")
        return self._dataset

    def _case(self, case_id: str | None) -> Case | None:
        """A case by id; the store's lazy view reads just that one, so never scan them all."""
        if not case_id or not self.ready:
            return None  # the first frame (a click on the list) shows no case yet
        return self.dataset.case(case_id)

    @property
    def case_pane(self) -> CasePane:
        return self.query_one("#case-pane", CasePane)

    @property
    def case_list(self) -> CaseList:
        return self.query_one("#case-list", CaseList)

    @property
    def detail(self) -> CaseDetail:
        from ccgtui.tui.widgets.case_detail import CaseDetail

        return self.query_one("#case-detail", CaseDetail)

    def set_dataset(self, dataset: Dataset) -> None:
        """Show (new) data, keeping the current case if it still exists."""
        self._dataset = dataset
        keep = self.current_case if self._case(self.current_case) is not None else None
        self.current_case = None
        self._notes_for = None
        self.case_pane.set_dataset(dataset)
        target = keep or self.case_list.current_id
        if target is not None:
            self.show_case(target, record=False)

    # -- showing a case and history ------------------------------------------

    def show_case(self, case_id: str, *, record: bool = True, browsing: bool = False) -> bool:
        """Show a case in the detail; ``record`` adds the previous one to the history
        (:mod:`ccgtui.tui.history`; ``browsing``: the list cursor only passes over it)."""
        case = self._case(case_id)
        if case is None:
            return False
        if case_id == self.current_case:
            return True
        if record:
            self.history.leave(self.current_case, browsing=browsing)
        else:
            self.history.passed_over = browsing
        self.current_case = case_id
        if not self.case_list.select_id(case_id):
            self.case_pane.reveal(case_id)  # the filter hid it: list and detail agree
        self.detail.show_case(case, self.dataset)
        self.post_message(self.CaseShown(case_id))
        return True

    @on(OptionList.OptionHighlighted, "#case-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The case the list is on *now*: after a burst of j/k the messages arrive late,
        # and showing each one's case would move the cursor back to it (and back...).
        case_id = self.case_list.current_id
        if case_id is not None:
            self.show_case(case_id, browsing=True)

    @on(OptionList.OptionSelected, "#case-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if not self.ready:
            return  # the first frame: no case to show yet
        if event.option.id is not None:
            self.show_case(event.option.id)
        self.history.passed_over = False
        self.focus_content()

    def focus_content(self) -> None:
        """Focus what is inside the visible tab; on the Notes tab, the list of notes."""
        if self.ready:
            self.detail.focus_content()

    def _sync_with_list(self) -> str | None:
        """The case the list cursor is on, shown now if it is not yet.

        Keys typed in a burst (``j`` then ``space``) arrive before the list's
        highlight message: acting on ``current_case`` would act on the case the
        cursor just left.  With no highlighted case (nothing matches the filter),
        the case still shown.
        """
        listed = self.case_list.current_id
        if listed is not None and listed != self.current_case:
            self.show_case(listed, browsing=True)
        self.history.passed_over = False  # acted on: a visit
        return self.current_case

    def action_copy(self) -> None:
        """Copy the section shown (or the statement a search jumped to) as plain text."""
        if self._sync_with_list() is None:
            return
        copied = self.detail.section_text()
        if copied is None:
            self.notify("Nothing to copy on this tab (n adds a note)", severity="warning")
            return
        text, what = copied
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied the {what} with its sources", markup=False)

    def action_back(self, back: bool = True) -> None:
        case_id = self.history.step(self.current_case, back=back)
        if case_id is None:
            later = "earlier" if back else "later"
            self.notify(f"No {later} case in history", severity="warning", markup=False)
        else:
            self.show_case(case_id, record=False)

    def action_forward(self) -> None:
        self.action_back(back=False)

    def action_focus_filter(self) -> None:
        self.case_pane.filter_input.focus()

    def action_to_list(self) -> None:
        if self.case_list_hidden:
            self.set_case_list_hidden(False)
        self.case_list.focus()

    # -- case list shown or hidden ----------------------------------------------

    @property
    def case_list_hidden(self) -> bool:
        return not self.query_one("#case-pane").display

    def set_case_list_hidden(self, hidden: bool) -> None:
        """Hide the case list (the case gets the whole width) or show it again."""
        pane = self.query_one("#case-pane")
        pane.display = not hidden
        if hidden and pane.has_focus_within:
            self.focus_content()
        self.nav.remembered.update(case_list_hidden=hidden)

    def action_toggle_case_list(self) -> None:
        self.set_case_list_hidden(not self.case_list_hidden)

    # -- big-screen mode -------------------------------------------------------

    @property
    def presenting(self) -> bool:
        return self.has_class("-present")

    def set_present(self, on: bool) -> None:
        """Big-screen mode: high contrast, no case list, one section at a time."""
        from ccgtui.tui.present import set_present

        set_present(self, self.nav.remembered, on)

    def action_toggle_present(self) -> None:
        self.set_present(not self.presenting)

    # -- tabs ------------------------------------------------------------------

    # By name, not @on(TabbedContent.TabActivated, "#case-tabs"): the tabs are not
    # imported before the first frame.
    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id != "case-tabs":
            return
        self.history.passed_over = False  # reading a tab of it: a visit
        self.nav.remembered.update(last_tab=self.detail.active_tab)

    def action_show_tab(self, tab: str) -> None:
        from ccgtui.tui.widgets.case_detail import pane_id

        self.detail.tabs.active = pane_id(tab)

    def action_cycle_tab(self, step: int) -> None:
        names = [t for t, _ in TABS]
        index = names.index(self.detail.active_tab)
        self.action_show_tab(names[(index + step) % len(names)])

    # -- other screens ---------------------------------------------------------

    def action_study(self) -> None:
        case = self._case(self.current_case)
        self.nav.open_study(case.study if case else None)

    # Handlers by name, not @on(SourceList.Open): the first frame imports no case widget.
    def on_source_list_open(self, event: SourceList.Open) -> None:
        self.nav.open_source(event.source_id)

    def action_search(self) -> None:
        from ccgtui.tui.screens.search import SearchScreen

        screen = SearchScreen(self.dataset, self.nav.store, self.nav.search_indexes)
        open_screen(self.app, screen, self.nav.show_hit)

    def action_matrix(self, by: str = "sectors") -> None:
        from ccgtui.tui.screens.matrix import MatrixScreen

        screen = MatrixScreen(self.dataset, by, case_id=self.current_case, store=self.nav.store)
        open_screen(self.app, screen)

    def action_compare(self) -> None:
        marked = [c for c in self.case_list.case_ids if c in self.case_list.marked]
        marked += sorted(self.case_list.marked - set(marked))
        if len(marked) < 2:
            self.notify("Mark two or more cases with space first", severity="warning")
            return
        self.open_compare(marked)

    def open_compare(self, case_ids: list[str]) -> None:
        from ccgtui.tui.screens.compare import CompareScreen

        open_screen(self.app, CompareScreen(self.dataset, case_ids))

    def action_mark(self) -> None:
        case_id = self._sync_with_list()
        if case_id is None:
            return
        marked = self.case_list.toggle_mark(case_id)
        self.notify(
            f"{'Marked' if marked else 'Unmarked'} {case_id} "
            f"({len(self.case_list.marked)} marked; = compares)",
            markup=False,
        )

    # -- notes, tags, bookmarks (ccgtui.tui.dialogs.user_layer does the I/O) --

    def _user_layer(self) -> UserLayer:
        from ccgtui.tui.dialogs.user_layer import UserLayer

        if self._layer is None:
            self._layer = UserLayer(
                self, lambda: self.nav.store, lambda: self.dataset, self._notes_changed
            )
        return self._layer

    def _notes_changed(self, target: str) -> None:
        """After a note/tag change: refresh the Notes tab now (a source note shows there
        too, so whatever the target)."""
        self._refresh_notes(self.current_case, force=True)

    def _refresh_notes(self, case_id: str | None, *, force: bool = False) -> None:
        """Fill the Notes tab for the case now shown (a small read, in a thread)."""
        if case_id is None or case_id != self.current_case:
            return
        if case_id == self._notes_for and not force:
            return
        self._notes_for = case_id
        self._load_notes(case_id)

    def on_main_screen_case_shown(self, event: CaseShown) -> None:
        self._refresh_notes(event.case_id)
        self.nav.remembered.update(last_case=event.case_id)

    @work(thread=True, exclusive=True, group="notes-pane", exit_on_error=False)
    def _load_notes(self, case_id: str) -> None:
        from ccgtui import userdata
        from ccgtui.tui.note_marks import notes_targets

        store = self.nav.store
        if store is not None:
            notes = userdata.notes_about(store, notes_targets(case_id, self._case(case_id)))
            tags = userdata.list_tags(store, case_id).get(case_id, [])
            self.app.call_from_thread(self._fill_notes, case_id, notes, tags)

    def _fill_notes(self, case_id: str, notes: list[Note], tags: list[str] | None = None) -> None:
        """Show the case's notes in the Notes tab (and its tags on the Overview)."""
        if case_id != self.current_case:
            return  # a slower read for a case the user has already left
        self.detail.show_user_data(case_id, notes, tags or [])
        if not notes and self.query_one("#case-notes").has_focus:
            self.case_list.focus()

    def on_note_list_edit(self, event: NoteList.Edit) -> None:
        self._user_layer().edit(event.note)

    def on_note_list_delete(self, event: NoteList.Delete) -> None:
        self._user_layer().delete(event.note)

    def action_note(self) -> None:
        self._pick_target("Note", lambda target: self._user_layer().note(target))

    def _pick_target(self, verb: str, then: Callable[[str], object]) -> None:
        """On the Story, Arenas, Partners or Sources tab, ask which item; else the case."""
        case = self._case(self._sync_with_list() or "")
        if case is None:
            return
        from ccgtui.tui.screens.target import TargetScreen, target_choices

        # A tab opened by the key just before (``7 n`` typed fast) is drawn on its
        # activation message, which may not have arrived yet: draw it now (a no-op if it is).
        self.detail.render_tab(self.detail.active_tab)
        from ccgtui.tui.widgets.source_list import SourceList

        source = self.query_one(SourceList).current_id
        choices = target_choices(case, self.detail.active_tab, source)
        if len(choices) == 1:
            then(choices[0][0])
            return

        def chosen(target: str | None) -> None:
            if target:
                then(target)

        open_screen(self.app, TargetScreen(verb, choices), chosen)

    def action_tag(self) -> None:
        case_id = self._sync_with_list()
        if case_id is not None:
            self._user_layer().tags(case_id)

    def action_bookmark(self) -> None:
        self._pick_target("Bookmark", lambda target: self._user_layer().bookmark(target))

    def action_all_notes(self) -> None:
        from ccgtui.tui.screens.all_notes import AllNotesScreen

        open_screen(self.app, AllNotesScreen(self.nav))

    def action_bookmarks(self) -> None:
        def open_target(target: str) -> None:
            if not self.nav.open_target(target):
                self.notify(f"{target} is no longer in the case files", markup=False)

        self._user_layer().bookmarks(open_target)
