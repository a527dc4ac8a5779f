"""The right-hand side of the main screen: one case in tabs.

Only the visible tab is rendered when the case changes; the others are
rendered when they are opened, so moving through the list stays instant.

Hook for the notes feature: the Notes tab holds a container with the id
``notes-pane`` (showing "No notes yet"); the main screen posts
:class:`ccgtui.tui.screens.main.MainScreen.CaseShown` whenever the case changes.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane

from ccgtui.describe import cited_source_ids
from ccgtui.model import Case, Dataset
from ccgtui.tui import render

TABS: list[tuple[str, str]] = [
    ("overview", "Overview"),
    ("story", "Story"),
    ("arenas", "Arenas"),
    ("partners", "Partners"),
    ("evidence", "Evidence"),
    ("notes", "Notes"),
    ("sources", "Sources"),
]
TEXT_TABS: dict[str, Callable[[Case, Dataset], Content]] = {
    "overview": render.overview,
    "story": lambda case, _: render.story(case),
    "arenas": render.arenas,
    "partners": lambda case, _: render.partners(case),
    "evidence": lambda case, _: render.evidence(case),
}
ILLUSTRATIVE_BANNER = "ILLUSTRATIVE EXAMPLE: fictional, not study data"


def pane_id(tab: str) -> str:
    return f"tab-{tab}"


class CaseDetail(Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.case: Case | None = None
        self.dataset: Dataset | None = None
        self._dirty: set[str] = set()

    def compose(self) -> ComposeResult:
        from ccgtui.tui.widgets.source_list import SourceList

        yield Static(ILLUSTRATIVE_BANNER, id="illustrative-banner", markup=False)
        with TabbedContent(id="case-tabs"):
            for tab, title in TABS:
                with TabPane(f"{TABS.index((tab, title)) + 1} {title}", id=pane_id(tab)):
                    if tab in TEXT_TABS:
                        with VerticalScroll(id=f"{tab}-scroll", classes="tab-scroll"):
                            yield Static(id=f"{tab}-body", classes="tab-body", markup=False)
                    elif tab == "notes":
                        with VerticalScroll(id="notes-pane"):
                            yield Static("No notes yet", id="notes-empty", markup=False)
                    else:
                        yield SourceList(id="source-list")

    @property
    def tabs(self) -> TabbedContent:
        return self.query_one("#case-tabs", TabbedContent)

    @property
    def active_tab(self) -> str:
        return self.tabs.active.removeprefix("tab-")

    def show_case(self, case: Case, dataset: Dataset) -> None:
        self.case = case
        self.dataset = dataset
        self.query_one("#illustrative-banner").display = case.illustrative
        self._dirty = {tab for tab, _ in TABS}
        self.render_tab(self.active_tab)

    def render_tab(self, tab: str) -> None:
        if tab not in self._dirty or self.case is None or self.dataset is None:
            return
        self._dirty.discard(tab)
        if tab in TEXT_TABS:
            self.query_one(f"#{tab}-body", Static).update(TEXT_TABS[tab](self.case, self.dataset))
            self.query_one(f"#{tab}-scroll", VerticalScroll).scroll_home(animate=False)
        elif tab == "sources":
            from ccgtui.tui.widgets.source_list import SourceList

            ids = cited_source_ids(self.case)
            self.query_one("#source-list", SourceList).show(ids, self.dataset)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.render_tab(event.pane.id.removeprefix("tab-") if event.pane.id else "")

    def focus_content(self) -> None:
        """Focus what is inside the visible tab (for reading or scrolling)."""
        tab = self.active_tab
        if tab in TEXT_TABS:
            self.query_one(f"#{tab}-scroll").focus()
        elif tab == "sources":
            self.query_one("#source-list").focus()
        else:
            self.query_one("#notes-pane").focus()
