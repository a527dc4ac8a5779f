"""The explorer app: loads the data in a worker, then shows the main screen.

The app itself stays thin: it owns loading, the global keys (help, quit,
reload), the command palette providers and the navigation API screens are
handed (:class:`ccgtui.tui.navigation.Navigator`); each screen owns its own
bindings.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from ccgtui.safe_text import clean, clean_line
from ccgtui.tui import loading
from ccgtui.tui.commands import ActionCommands, CaseCommands, NotesCommands, SourceCommands
from ccgtui.tui.errors import report
from ccgtui.tui.navigation import TAB_FOR_KIND, open_screen
from ccgtui.tui.search_cache import SearchIndexes
from ccgtui.tui.typeahead import KeyBursts

if TYPE_CHECKING:
    # Imported by the load worker, not before the app starts (issue 16: first paint).
    from ccgtui.model import Dataset
    from ccgtui.query import Hit
    from ccgtui.store import Store
    from ccgtui.tui.screens.main import MainScreen

MAX_PROBLEMS_SHOWN = 5
PROGRESS_EVERY_S = 0.1  # the loading screen's count is updated at most this often
SPINNER_AFTER_S = 0.3
"""The loading screen stays blank this long: a current store opens sooner, and an animated
spinner repaints the screen many times a second, taking the GIL from the load worker
(issue 16: ~0.05 s of a 0.45 s first paint on the bundled data)."""


class CcgApp(KeyBursts):
    CSS_PATH = "app.tcss"
    TITLE = "ccgtui"
    SUB_TITLE = "CCG clinical leadership case studies"
    COMMANDS = App.COMMANDS | {CaseCommands, SourceCommands, ActionCommands, NotesCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+r", "reload", "Reload data", show=False, id="reload"),
    ]

    catch_errors = True
    """An unexpected error becomes a one-line notice (the test suite turns this off)."""

    # What the load worker sends (ccgtui.tui.loading), handled as on_ccg_app_*.
    DataLoaded = loading.DataLoaded
    Listed = loading.Listed
    Progress = loading.Progress
    LoadFailed = loading.LoadFailed

    def __init__(
        self,
        db: Path | None = None,
        cases: Path | None = None,
        *,
        cursor_blink: bool = True,
        config: Path | None = None,
        start_case: str | None = None,
        present: bool = False,
    ) -> None:
        super().__init__()
        self.present = present
        """Big-screen mode (:mod:`ccgtui.tui.present`)."""
        self.db = db
        self.cases = cases
        self.config = config
        """The preferences file (``None``: nothing remembered, as in most tests)."""
        self.start_case = start_case
        """A case named on the command line: shown first, instead of the last one."""
        self.cursor_blink = cursor_blink
        self.exit_message: str | None = None
        """Why the app exited with no data; the CLI prints it on stderr."""
        self.store: Store | None = None
        self.dataset: Dataset | None = None
        self._progress_at = 0.0  # when the last progress count was sent
        self._first_frame = threading.Event()  # set once the case list has been drawn
        self._leaving = False  # exit() called: a load worker stops at its next step
        self.search_indexes = SearchIndexes()
        """The search index, kept per dataset and notes revision (``/`` reuses it)."""

    def compose(self) -> ComposeResult:
        # No Header anywhere: its title watchers are async and fail with NoMatches when
        # the app exits right after a screen mounts (seen in the benchmark); the row is
        # better spent on content at 80x24.  The spinner comes later (loading.show_spinner).
        yield Static("", id="loading-count", markup=False)

    def on_mount(self) -> None:
        from ccgtui.tui.present import THEME
        from ccgtui.tui.remember import Remembered

        self.register_theme(THEME)
        self.remembered = Remembered(self, self.config)
        self.remembered.apply_at_start()
        self.set_timer(SPINNER_AFTER_S, self._show_spinner)
        self.load_data()

    def _show_spinner(self) -> None:
        """The loading screen's spinner and keys, once the data is slow to come."""
        if self.store is None:  # not yet listed
            loading.show_spinner(self.screen_stack[0])

    @property
    def ready(self) -> bool:
        """The main screen shows the dataset and the keys typed while loading are replayed."""
        return self.dataset is not None and self._typeahead is None

    def exit(self, *args: Any, **kwargs: Any) -> None:
        remembered = getattr(self, "remembered", None)
        if remembered is not None:
            remembered.flush()  # the last case and tab, written as the reader leaves
        self._leaving = True
        self._first_frame.set()  # a load worker waiting for it goes on (and finds no app)
        super().exit(*args, **kwargs)

    async def _dispatch_message(self, message: Message) -> None:
        # Key bindings, palette commands and the app's own handlers run here.
        try:
            await super()._dispatch_message(message)
        except Exception as error:
            if not report(self, error):
                raise

    def _handle_exception(self, error: Exception) -> None:
        """Errors Textual catches itself (timers, other widgets' handlers, workers)."""
        if not report(self, error):
            super()._handle_exception(error)

    # -- loading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load_data(self, reload: bool | None = None) -> None:
        """Open the store (may validate and rewrite the cache) off the UI thread.

        The store is imported here too, while the UI thread starts the app.  On the
        first load the case list is drawn from the table of contents first
        (:class:`Listed`), and only after that frame are the models imported, the
        dataset built and the case list's summaries made (issue 16: the explorer paints
        from the index; everything else arrives after the first frame).
        """
        from ccgtui.facts import summaries
        from ccgtui.loader import LoadError
        from ccgtui.store import StoreError, store_for

        try:
            store = store_for(self.db, self.cases)
            store.on_progress = self._progress  # files checked, while a reload parses
            report = store.open(reload=reload)
            store.on_progress = None
            store.on_warning = self.store_warning  # not stderr: Textual captures it
            if self.store is None:  # the first load: the case list first
                from ccgtui.tui.case_entry import read_listing

                self.post_message(self.Listed(store, read_listing(store)))
                self._first_frame.wait(loading.FIRST_FRAME_WAIT_S)
                if self._leaving:
                    return  # quit while the list was shown: no dataset to build (10k: ~1 s)
            dataset = store.dataset()
            summaries(dataset.cases)  # kept by the store's lazy view: free on the UI thread
        except LoadError as exc:
            self.post_message(self.LoadFailed(f"ccgtui: {exc}"))
            return
        except StoreError as exc:
            self.post_message(self.LoadFailed(f"ccgtui: {exc}"))
            return
        self.post_message(self.DataLoaded(loading.Loaded(store, dataset, report)))

    def _progress(self, done: int, total: int) -> None:
        """The store's progress callback (in the load worker): a few updates a second."""
        now = time.monotonic()
        if done < total and now - self._progress_at < PROGRESS_EVERY_S:
            return
        self._progress_at = now
        self.post_message(self.Progress(done, total))  # thread-safe, does not wait

    def on_ccg_app_progress(self, message: loading.Progress) -> None:
        from ccgtui.wording import plural

        if self.store is None:  # the loading screen (a later reload says so in a notice)
            self._show_spinner()  # the folder is being parsed: that takes a while
            text = f"Reading the case folder: {message.done:,} of {plural(message.total, 'file')}"
            self.query_one("#loading-count", Static).update(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Unexpected errors in any worker end up here, in one place."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            if event.worker.group == "load" and self.dataset is None:
                self.fail(f"ccgtui: could not load data: {error}")
            else:
                self.notify(f"{event.worker.name} failed: {error}", severity="error", markup=False)

    def store_warning(self, message: str) -> None:
        """Something went wrong that lost nothing (a backup after a saved note): a notice.

        Called from the store, in whichever thread wrote (workers, mostly).
        """
        text = clean(f"Warning: {message}")
        if threading.get_ident() == self._thread_id:
            self.notify(text, severity="warning", markup=False, timeout=15)
        else:
            self.call_from_thread(self.notify, text, severity="warning", markup=False, timeout=15)

    def fail(self, message: str) -> None:
        """Exit with code 1; ``exit_message`` says why (printed by the CLI after exit)."""
        self.exit_message = message
        self.exit(return_code=1)

    def on_ccg_app_load_failed(self, message: loading.LoadFailed) -> None:
        if self.dataset is None:
            self.fail(message.message)
        else:
            self.notify(message.message, severity="error", markup=False, timeout=15)

    async def on_ccg_app_listed(self, message: loading.Listed) -> None:
        """The first frame: the main screen with the case list (the detail comes later)."""
        from ccgtui.tui.screens.main import MainScreen

        if self.store is not None:
            return  # a reload's: the main screen is up
        self.store = message.store
        loading.hide_loading(self.screen_stack[0])
        main = MainScreen(self, listing=message.listing)
        await self.push_screen(main)
        remembered = self.remembered.at_start
        main.set_case_list_hidden(remembered.case_list_hidden)  # before it is drawn
        main.call_after_refresh(self._first_frame.set)

    async def on_ccg_app_data_loaded(self, message: loading.DataLoaded) -> None:
        from ccgtui.tui.screens.main import MainScreen

        loaded = message.loaded
        self.store = loaded.store
        first = self.dataset is None
        self.dataset = loaded.dataset
        # Messages and problems quote file names and YAML keys from the case folder.
        for text in loaded.report.messages:
            self.notify(clean(text), severity="warning", markup=False, timeout=15)
        problems = loaded.report.problems
        if problems is not None:
            from ccgtui.wording import plural

            lines = [clean_line(str(p)) for p in problems.problems[:MAX_PROBLEMS_SHOWN]]
            more = len(problems.problems) - len(lines)
            if more > 0:
                lines.append(f"... and {more} more (run `ccgtui validate`)")
            self.notify(
                "\n".join(lines),
                title=f"Case folder has {plural(len(problems.problems), 'problem')}; "
                "showing the last good data",
                severity="warning",
                markup=False,
                timeout=30,
            )
        if first:
            loading.hide_loading(self.screen_stack[0])
            try:
                main = self.main_screen  # listed: the case list is up
                await main.show_dataset(loaded.dataset)
            except LookupError:
                main = MainScreen(self, dataset=loaded.dataset)
                await self.push_screen(main)
            self._reopen(main)
            self._replay_typeahead()
        else:
            self.main_screen.set_dataset(loaded.dataset)
            if loaded.report.reloaded:
                self.notify("Reloaded the case folder", markup=False)

    def _reopen(self, main: MainScreen) -> None:
        """The case named on the command line, else where the reader was last time."""
        from ccgtui.tui.widgets.case_detail import TABS

        remembered = self.remembered.at_start
        if main.case_list_hidden != remembered.case_list_hidden:  # else set when listed
            main.set_case_list_hidden(remembered.case_list_hidden)
        if self.present:
            main.set_present(True)
        if self.start_case is not None:
            from ccgtui.lazy_cases import summaries
            from ccgtui.lookup import find_case

            found = find_case(summaries(main.dataset.cases), self.start_case)
            if found.found is None or not main.show_case(found.found.id, record=False):
                fits = ", ".join(found.candidates or found.near)
                self.notify(
                    clean_line(
                        f"No one case {self.start_case!r}" + (f" (try {fits})" if fits else "")
                    ),
                    severity="warning",
                    markup=False,
                )
            return
        if (
            remembered.last_case
            and main.show_case(remembered.last_case, record=False)
            and remembered.last_tab in dict(TABS)
        ):
            main.action_show_tab(remembered.last_tab)

    # -- global actions --------------------------------------------------------

    @property
    def main_screen(self) -> MainScreen:
        from ccgtui.tui.screens.main import MainScreen

        for candidate in self.screen_stack:
            if isinstance(candidate, MainScreen):
                return candidate
        raise LookupError("the main screen is not open yet")

    def pop_screen(self) -> AwaitComplete:
        """Close the screen on top, never the main screen.

        A screen's ``dismiss`` pops whatever is on top: typed fast, ``enter enter`` in the
        palette dismisses it twice (the second Enter reaches it before it has closed), and
        the second pop took the main screen away (``LookupError`` on the next command).
        """
        from ccgtui.tui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            from ccgtui.tui.commands import done

            return done()
        return super().pop_screen()

    def action_command_palette(self) -> None:
        from ccgtui.tui.commands import OnceCommandPalette

        # No fixed id: one closing (still registered) must not collide with the next.
        if self.use_command_palette and not isinstance(self.screen, OnceCommandPalette):
            self.push_screen(OnceCommandPalette())

    def action_help(self) -> None:
        from ccgtui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            open_screen(self, HelpScreen())

    def action_reload(self) -> None:
        self.notify("Reloading the case folder…", markup=False)
        self.load_data(reload=None)

    # -- navigation (the Navigator protocol screens are handed) -----------------

    @property
    def current_case(self) -> str | None:
        try:
            return self.main_screen.current_case
        except LookupError:  # not loaded yet
            return None

    def back_to_main(self) -> MainScreen:
        main = self.main_screen
        while self.screen is not main and len(self.screen_stack) > 1:
            self.pop_screen()
        return main

    def jump_to_case(self, case_id: str, tab: str | None = None, mark: str | None = None) -> bool:
        main = self.back_to_main()
        if not main.show_case(case_id):
            return False
        if tab is not None:
            main.action_show_tab(tab)
        if tab is not None and mark is not None:
            main.detail.mark(tab, mark)  # highlighted and scrolled into view
            main.focus_content()
        else:
            main.case_list.focus()
        return True

    def open_source(self, source_id: str) -> None:
        from ccgtui.tui.screens.source import SourceScreen

        if self.dataset is not None:
            open_screen(self, SourceScreen(source_id, self.dataset))

    def open_study(self, study_id: str | None = None, mark: str | None = None) -> None:
        from ccgtui.tui.screens.study import StudyScreen

        if self.dataset is not None:
            self.back_to_main()
            open_screen(self, StudyScreen(self.dataset, study_id, mark=mark, store=self.store))

    def open_target(self, target: str, case_tab: str | None = None) -> bool:
        from ccgtui.userdata import UserDataError, parse_target, resolve_safe

        try:
            parsed = parse_target(target)
        except UserDataError:
            return False
        if self.dataset is None or resolve_safe(target, self.dataset) is None:
            return False
        if parsed.kind == "source":
            self.open_source(parsed.parts[0])
        elif parsed.kind == "study":
            self.open_study(parsed.parts[0])
        elif parsed.case_id is not None:
            tab = case_tab if parsed.kind == "case" else TAB_FOR_KIND.get(parsed.kind)
            return self.jump_to_case(parsed.case_id, tab)
        return True

    def show_hit(self, hit: Hit | None) -> None:
        from ccgtui.tui.widgets.case_detail import TABS

        if hit is None:
            return
        if hit.case_id is not None:
            tab = hit.tab if hit.tab in dict(TABS) else "overview"
            self.jump_to_case(hit.case_id, tab, hit.path)
        elif hit.tab == "study":
            self.open_study(hit.study_id, mark=hit.path)
        elif hit.path.startswith("source:"):
            self.open_source(hit.path.removeprefix("source:"))


def make_app(
    db: Path | None = None,
    cases: Path | None = None,
    *,
    cursor_blink: bool = True,
    config: Path | None = None,
    start_case: str | None = None,
    present: bool = False,
) -> CcgApp:
    """The one factory the CLI and the tests use; ``config`` is the preferences file."""
    return CcgApp(
        db=db,
        cases=cases,
        cursor_blink=cursor_blink,
        config=config,
        start_case=start_case,
        present=present,
    )
