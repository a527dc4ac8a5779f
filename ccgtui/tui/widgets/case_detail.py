"""The right-hand side of the main screen: one case in tabs.

Only the visible tab is rendered when the case changes; the others are
rendered when they are opened, so moving through the list stays instant.

Hook for the notes feature: the Notes tab holds a container with the id
``notes-pane`` (showing "No notes yet"); the main screen posts
:class:`ccgtui.tui.screens.main.MainScreen.CaseShown` whenever the case changes.
``decorate(tab, case, lines)``, when set, may change a text tab's tagged lines
before they are drawn (the main screen adds a ``✎ n`` after items with notes);
:meth:`CaseDetail.redraw` draws them again when its answer changes.

A search result is shown with :meth:`CaseDetail.mark`: the lines of the
statement it found are highlighted and scrolled into view, until the reader
moves to another tab or case.

The tab bar never scrolls: on every resize the widest set of labels that fits
is used (``1 Overview`` … when there is room, down to ``Overview`` … with
tighter spacing at 80 columns, and shorter forms below that).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane

from ccgtui.describe import cited_source_ids
from ccgtui.model import Case, Dataset
from ccgtui.tui import render
from ccgtui.tui.errors import Guarded
from ccgtui.tui.hanging import HangingStatic, HangingText, hung_lines
from ccgtui.wording import banners

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

# Tab labels, widest first, and whether the tabs need the tight spacing (class -tight-tabs:
# one space before each label instead of one either side).  The first that fits is used.
_TITLES = [title for _, title in TABS]
_SHORT = ["Over", "Story", "Arena", "Partn", "Evid", "Notes", "Srcs"]
TAB_LABELS: list[tuple[list[str], bool]] = [
    ([f"{n} {title}" for n, title in enumerate(_TITLES, 1)], False),
    (_TITLES, False),
    (_TITLES, True),
    (_SHORT, True),
    ([str(n) for n in range(1, len(TABS) + 1)], True),
]


def tab_bar_width(labels: list[str], tight: bool) -> int:
    """Cells the tab bar needs for ``labels``: each label plus its padding."""
    return sum(Content(label).cell_length for label in labels) + len(labels) * (1 if tight else 2)


def fitting_labels(width: int) -> tuple[list[str], bool]:
    """The widest label set whose tab bar fits in ``width`` cells (else the narrowest)."""
    for labels, tight in TAB_LABELS:
        if tab_bar_width(labels, tight) <= width:
            return labels, tight
    return TAB_LABELS[-1]


def pane_id(tab: str) -> str:
    return f"tab-{tab}"


@dataclass(frozen=True)
class Marked:
    """The statement a search jumped to: its tab, its path, and where it is drawn.

    ``rows`` is the span of rows (start, end) it fills inside the tab's text, at the
    width it was last measured; ``None`` until it has been measured.
    """

    tab: str
    path: str
    lines: tuple[int, int]
    rows: tuple[int, int] | None = None


class CaseDetail(Guarded, Vertical):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.case: Case | None = None
        self.dataset: Dataset | None = None
        self._dirty: set[str] = set()
        self._mark: tuple[str, str] | None = None  # (tab, path) to highlight
        self.marked: Marked | None = None  # the highlighted statement as drawn
        self._lines: dict[str, list[Content]] = {}  # each text tab's lines, as drawn
        self.tab_labels: list[str] = TAB_LABELS[0][0]
        self.decorate: Callable[[str, Case, list[render.Line]], list[render.Line]] | None = None

    def compose(self) -> ComposeResult:
        from ccgtui.tui.widgets.source_list import SourceList

        # Above every tab: an illustrative or a synthesis case never reads as one real CCG.
        yield Static("", id="record-banner", markup=False)
        with TabbedContent(id="case-tabs"):
            for (tab, _), label in zip(TABS, self.tab_labels, strict=True):
                with TabPane(label, id=pane_id(tab)):
                    if tab in TEXT_TABS:
                        with VerticalScroll(id=f"{tab}-scroll", classes="tab-scroll"):
                            yield HangingStatic(id=f"{tab}-body", classes="tab-body")
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

    def on_resize(self, event: events.Resize) -> None:
        self.fit_tab_labels(event.size.width)

    def fit_tab_labels(self, width: int) -> None:
        """Use the widest tab labels that fit ``width``, so no tab is ever off-screen."""
        labels, tight = fitting_labels(width)
        self.set_class(tight, "-tight-tabs")
        if labels == self.tab_labels:
            return
        self.tab_labels = labels
        for (tab, _), label in zip(TABS, labels, strict=True):
            self.tabs.get_tab(pane_id(tab)).label = label

    def show_case(self, case: Case, dataset: Dataset) -> None:
        self.case = case
        self.dataset = dataset
        banner = self.query_one("#record-banner", Static)
        shown = banners(case)
        banner.update("\n".join(shown))
        banner.display = bool(shown)
        banner.set_class(case.illustrative, "-illustrative")
        banner.set_class(case.kind == "composite" and not case.illustrative, "-composite")
        self._mark = None
        self.marked = None
        self._dirty = {tab for tab, _ in TABS}
        self.render_tab(self.active_tab)

    def mark(self, tab: str, path: str) -> None:
        """Highlight the statement at ``path`` on ``tab`` and scroll it into view.

        The highlight stays until the reader opens another tab or case.  The tab
        should be the active one (else it is marked when it is next opened).
        """
        if tab not in TEXT_TABS:
            return
        self._mark = (tab, path)
        self._dirty.add(tab)
        if tab == self.active_tab:
            self.render_tab(tab)

    def clear_mark(self) -> None:
        if self._mark is not None:
            self._dirty.add(self._mark[0])  # redrawn without the highlight when next shown
        self._mark = None
        self.marked = None

    def render_tab(self, tab: str) -> None:
        if tab not in self._dirty or self.case is None or self.dataset is None:
            return
        self._dirty.discard(tab)
        if tab in TEXT_TABS:
            tagged = render.TAB_LINES[tab](self.case, self.dataset)
            if self.decorate is not None:
                tagged = self.decorate(tab, self.case, tagged)
            self._lines[tab] = [line for line, _ in tagged]
            path = self._mark[1] if self._mark is not None and self._mark[0] == tab else None
            content, span = (
                render.mark(tagged, path) if path else (render.join_tagged(tagged), None)
            )
            # Wrapped rows keep their indent (issue 12); drawn at the body's width.
            self.query_one(f"#{tab}-body", Static).update(HangingText(content.split("\n")))
            if self.marked is not None and self.marked.tab == tab:
                self.marked = None
            if path is None or span is None:  # nothing to show (or it is no longer there)
                self.query_one(f"#{tab}-scroll", VerticalScroll).scroll_home(animate=False)
            else:
                self.marked = Marked(tab, path, span)
                self.call_after_refresh(self._scroll_to_mark, self.marked)
        elif tab == "sources":
            from ccgtui.tui.widgets.source_list import SourceList

            ids = cited_source_ids(self.case)
            self.query_one("#source-list", SourceList).show(ids, self.dataset)

    def redraw(self) -> None:
        """Draw the text tabs again (``decorate`` changed its mind), keeping the place."""
        self._dirty |= set(TEXT_TABS)
        tab = self.active_tab
        if tab not in TEXT_TABS:
            return
        scroll = self.query_one(f"#{tab}-scroll", VerticalScroll)
        y = scroll.scroll_y
        self.render_tab(tab)
        if self._mark is None or self._mark[0] != tab:  # else it scrolls to the mark
            # Not immediate: after render_tab's own scroll_home, which waits for a refresh.
            scroll.scroll_to(y=y, animate=False)

    def _scroll_to_mark(self, marked: Marked, tries: int = 5) -> None:
        """Scroll the marked lines into view, with a few rows of context above them.

        Runs after a refresh, once the text has been laid out at its real width
        (tried again after the next refresh if the layout is not there yet).
        """
        if marked is not self.marked:
            return  # the reader has moved on
        body = self.query_one(f"#{marked.tab}-body", Static)
        scroll = self.query_one(f"#{marked.tab}-scroll", VerticalScroll)
        width = body.content_size.width
        if width <= 0:
            if tries:
                self.call_after_refresh(self._scroll_to_mark, marked, tries - 1)
            return
        # Each line wraps on its own, with its hanging indent, as HangingText lays it out.
        heights = [len(hung_lines([line], width)) for line in self._lines[marked.tab]]
        if scroll.virtual_size.height < sum(heights) and tries:
            self.call_after_refresh(self._scroll_to_mark, marked, tries - 1)
            return
        first, end = marked.lines
        top = sum(heights[:first])
        rows = (top, top + sum(heights[first:end]))
        self.marked = Marked(marked.tab, marked.path, marked.lines, rows)
        height = scroll.scrollable_content_region.height
        # Visible from the top of the tab: stay there; else show it with context above.
        y = 0 if rows[1] <= height else max(0, top - max(1, height // 4))
        scroll.scroll_to(y=y, animate=False, immediate=True)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id.removeprefix("tab-") if event.pane.id else ""
        if self._mark is not None and self._mark[0] != tab:
            self.clear_mark()
        self.render_tab(tab)

    def focus_content(self) -> None:
        """Focus what is inside the visible tab (for reading or scrolling)."""
        tab = self.active_tab
        if tab in TEXT_TABS:
            self.query_one(f"#{tab}-scroll").focus()
        elif tab == "sources":
            self.query_one("#source-list").focus()
        else:
            self.query_one("#notes-pane").focus()
