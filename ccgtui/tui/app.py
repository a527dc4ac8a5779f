"""The explorer app: loads the data in a worker, then shows the main screen.

The app itself stays thin: it owns loading, the global keys (help, quit,
reload), the command palette providers and two navigation helpers the
palette uses; each screen owns its own bindings.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, LoadingIndicator
from textual.worker import Worker, WorkerState

from ccgtui.model import Dataset
from ccgtui.safe_text import clean, clean_line
from ccgtui.store import OpenReport, Store
from ccgtui.tui.commands import ActionCommands, CaseCommands, SourceCommands
from ccgtui.tui.errors import report
from ccgtui.tui.navigation import open_screen

if TYPE_CHECKING:
    from textual.command import Provider

    from ccgtui.tui.screens.main import MainScreen

MAX_PROBLEMS_SHOWN = 5
_SENT_TO = "_ccgtui_sent_to"  # on a key event: the screen it was sent to when read
_REPLAYED = "_ccgtui_replayed"  # on a key event: typed ahead of the main screen, sent now
TYPEAHEAD_KEYS = 2000  # typed while loading: more than this are dropped whole, with a notice
QUIT_KEYS = frozenset({"ctrl+c", "ctrl+q"})  # never held: a slow load can still be left


@dataclass
class Loaded:
    store: Store
    dataset: Dataset
    report: OpenReport


def _notes_commands() -> type[Provider]:
    """The palette's "All notes" (imported when the palette opens, not at start-up)."""
    from ccgtui.tui.screens.all_notes import NotesCommands

    return NotesCommands


class CcgApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "ccgtui"
    SUB_TITLE = "CCG clinical leadership case studies"
    COMMANDS = App.COMMANDS | {CaseCommands, SourceCommands, ActionCommands, _notes_commands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+r", "reload", "Reload data", show=False, id="reload"),
    ]

    catch_errors = True
    """An unexpected error becomes a one-line notice (the test suite turns this off)."""

    class DataLoaded(Message):
        def __init__(self, loaded: Loaded) -> None:
            super().__init__()
            self.loaded = loaded

    class TypeaheadReplayed(Message):
        """Every held key so far has been sent again (and is queued before this)."""

    class LoadFailed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

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
        self._typeahead: list[events.Key] | None = []
        """Keys typed before the main screen was ready; ``None`` once they are replayed."""
        self._typeahead_lost = 0

    def compose(self) -> ComposeResult:
        # No Header anywhere: its title watchers are async and fail with NoMatches
        # when the app exits right after a screen mounts (seen in the benchmark);
        # the row is better spent on content at 80x24.
        yield LoadingIndicator(id="loading")
        yield Footer()

    def on_mount(self) -> None:
        from ccgtui.tui.present import THEME
        from ccgtui.tui.remember import Remembered

        self.register_theme(THEME)
        self.remembered = Remembered(self, self.config)
        self.remembered.apply_at_start()
        self.load_data()

    def exit(self, *args: Any, **kwargs: Any) -> None:
        remembered = getattr(self, "remembered", None)
        if remembered is not None:
            remembered.flush()  # the last case and tab, written as the reader leaves
        super().exit(*args, **kwargs)

    async def on_event(self, event: events.Event) -> None:
        """Keys typed in one burst go where the user meant them to go.

        Textual sends a key to the screen that has the focus when the key is read,
        but a key's binding runs only when the key comes back up to the app.  In a
        burst such as ``n q u i c k`` every key is read before ``n`` has opened the
        note dialog, so ``q u i c k`` would come back from the screen below it and be
        checked against the dialog's bindings: lost, or worse (``q`` quit before the
        dialog opened at once).  A key that comes back from a screen that another
        screen now covers is read again, so it goes to the screen on top (its
        priority keys such as ``ctrl+s`` included), in the order typed.  A key that
        comes back from a screen that has closed meanwhile was meant for it: it is
        dropped, not sent to the screen below.
        """
        if isinstance(event, events.Key):
            if self._hold(event):
                return
            if not event.is_forwarded:
                setattr(event, _SENT_TO, self.screen)
            else:
                sent_to = getattr(event, _SENT_TO, None)
                if sent_to is not None and sent_to is not self.screen:
                    if sent_to not in self.screen_stack:
                        return  # its screen has closed
                    again = events.Key(event.key, event.character)
                    again.set_sender(self)
                    self.post_message(again)
                    return
        await super().on_event(event)

    # -- keys typed before the main screen is ready ------------------------------

    def _hold(self, event: events.Key) -> bool:
        """Keep a key typed while loading (it was meant for the main screen, not the
        loading screen under it); True if held."""
        if (
            self._typeahead is None
            or event.is_forwarded
            or getattr(event, _REPLAYED, False)
            or event.key in QUIT_KEYS
        ):
            return False
        if self._typeahead_lost or len(self._typeahead) >= TYPEAHEAD_KEYS:
            self._typeahead_lost += len(self._typeahead) + 1  # dropped whole, not cut short
            self._typeahead.clear()
        else:
            self._typeahead.append(event)
        return True

    def _replay_typeahead(self) -> None:
        """Send the held keys again, in order, now that the main screen takes them."""
        assert self._typeahead is not None
        held, self._typeahead = self._typeahead, []
        if self._typeahead_lost:
            self.notify(
                f"{self._typeahead_lost} keys typed while loading were dropped (too many "
                "to replay safely); type them again",
                severity="warning",
                markup=False,
            )
            self._typeahead_lost = 0
        for key in held:
            again = events.Key(key.key, key.character)
            setattr(again, _REPLAYED, True)
            again.set_sender(self)
            self.post_message(again)
        self.post_message(self.TypeaheadReplayed())

    def on_ccg_app_typeahead_replayed(self, message: TypeaheadReplayed) -> None:
        # Keys typed while the held ones were being sent were held too: send them next.
        if self._typeahead or self._typeahead_lost:
            self._replay_typeahead()
        else:
            self._typeahead = None

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
        """Open the store (may validate and rewrite the cache) off the UI thread."""
        from ccgtui.loader import LoadError
        from ccgtui.store import StoreError, open_store

        try:
            store, report = open_store(self.db, self.cases, reload=reload)
            store.on_warning = self.store_warning  # not stderr: Textual captures it
            dataset = store.dataset()
        except LoadError as exc:
            self.post_message(self.LoadFailed(f"ccgtui: {exc}"))
            return
        except StoreError as exc:
            self.post_message(self.LoadFailed(f"ccgtui: {exc}"))
            return
        self.post_message(self.DataLoaded(Loaded(store, dataset, report)))

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

    def on_ccg_app_load_failed(self, message: LoadFailed) -> None:
        if self.dataset is None:
            self.fail(message.message)
        else:
            self.notify(message.message, severity="error", markup=False, timeout=15)

    async def on_ccg_app_data_loaded(self, message: DataLoaded) -> None:
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
            self.query_one("#loading").display = False
            main = MainScreen(loaded.dataset)
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

    def _back_to_main(self) -> MainScreen:
        main = self.main_screen
        while self.screen is not main and len(self.screen_stack) > 1:
            self.pop_screen()
        return main

    def jump_to_case(self, case_id: str) -> None:
        main = self._back_to_main()
        main.show_case(case_id)
        main.case_list.focus()

    def open_source(self, source_id: str) -> None:
        from ccgtui.tui.screens.source import SourceScreen

        if self.dataset is not None:
            open_screen(self, SourceScreen(source_id, self.dataset))


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
