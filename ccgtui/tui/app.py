"""The explorer app: loads the data in a worker, then shows the main screen.

The app itself stays thin: it owns loading, the global keys (help, quit,
reload), the command palette providers and two navigation helpers the
palette uses; each screen owns its own bindings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Footer, LoadingIndicator
from textual.worker import Worker, WorkerState

from ccgtui.model import Dataset
from ccgtui.store import OpenReport, Store
from ccgtui.tui.commands import ActionCommands, CaseCommands, SourceCommands

if TYPE_CHECKING:
    from ccgtui.tui.screens.main import MainScreen

MAX_PROBLEMS_SHOWN = 5


@dataclass
class Loaded:
    store: Store
    dataset: Dataset
    report: OpenReport


class CcgApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "ccgtui"
    SUB_TITLE = "CCG clinical leadership case studies"
    COMMANDS = App.COMMANDS | {CaseCommands, SourceCommands, ActionCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+r", "reload", "Reload data", show=False, id="reload"),
    ]

    class DataLoaded(Message):
        def __init__(self, loaded: Loaded) -> None:
            super().__init__()
            self.loaded = loaded

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
    ) -> None:
        super().__init__()
        self.db = db
        self.cases = cases
        self.cursor_blink = cursor_blink
        self.exit_message: str | None = None
        """Why the app exited with no data; the CLI prints it on stderr."""
        self.store: Store | None = None
        self.dataset: Dataset | None = None

    def compose(self) -> ComposeResult:
        # No Header anywhere: its title watchers are async and fail with NoMatches
        # when the app exits right after a screen mounts (seen in the benchmark);
        # the row is better spent on content at 80x24.
        yield LoadingIndicator(id="loading")
        yield Footer()

    def on_mount(self) -> None:
        self.load_data()

    # -- loading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def load_data(self, reload: bool | None = None) -> None:
        """Open the store (may validate and rewrite the cache) off the UI thread."""
        from ccgtui.loader import LoadError
        from ccgtui.store import StoreError, open_store

        try:
            store, report = open_store(self.db, self.cases, reload=reload)
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

    def fail(self, message: str) -> None:
        """Exit with code 1; ``exit_message`` says why (printed by the CLI after exit)."""
        self.exit_message = message
        self.exit(return_code=1)

    def on_ccg_app_load_failed(self, message: LoadFailed) -> None:
        if self.dataset is None:
            self.fail(message.message)
        else:
            self.notify(message.message, severity="error", markup=False, timeout=15)

    def on_ccg_app_data_loaded(self, message: DataLoaded) -> None:
        from ccgtui.tui.screens.main import MainScreen

        loaded = message.loaded
        self.store = loaded.store
        first = self.dataset is None
        self.dataset = loaded.dataset
        for text in loaded.report.messages:
            self.notify(text, severity="warning", markup=False, timeout=15)
        problems = loaded.report.problems
        if problems is not None:
            lines = [str(p) for p in problems.problems[:MAX_PROBLEMS_SHOWN]]
            more = len(problems.problems) - len(lines)
            if more > 0:
                lines.append(f"... and {more} more (run `ccgtui validate`)")
            self.notify(
                "\n".join(lines),
                title=f"Case folder has {len(problems.problems)} problems; "
                "showing the last good data",
                severity="warning",
                markup=False,
                timeout=30,
            )
        if first:
            self.query_one("#loading").display = False
            self.push_screen(MainScreen(loaded.dataset))
        else:
            self.main_screen.set_dataset(loaded.dataset)
            if loaded.report.reloaded:
                self.notify("Reloaded the case folder", markup=False)

    # -- global actions --------------------------------------------------------

    @property
    def main_screen(self) -> MainScreen:
        from ccgtui.tui.screens.main import MainScreen

        for candidate in self.screen_stack:
            if isinstance(candidate, MainScreen):
                return candidate
        raise LookupError("the main screen is not open yet")

    def action_help(self) -> None:
        from ccgtui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

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
            self.push_screen(SourceScreen(source_id, self.dataset))


def make_app(
    db: Path | None = None, cases: Path | None = None, *, cursor_blink: bool = True
) -> CcgApp:
    """The one factory the CLI and the tests use."""
    return CcgApp(db=db, cases=cases, cursor_blink=cursor_blink)
