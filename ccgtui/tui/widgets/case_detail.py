"""The right-hand side of the main screen: one case in tabs.

Only the visible tab is rendered when the case changes; the others are
rendered when they are opened, so moving through the list stays instant.

The reader's own layer: the main screen reads the notes and tags of the case
shown (in a worker) and hands them to :meth:`CaseDetail.show_user_data`, which
lists the notes on the Notes tab, adds a ``✎ n`` after the items with notes on
every tab and the tags on the Overview (drawn again only when they change).

A search result is shown with :meth:`CaseDetail.mark`: the lines of the
statement it found are highlighted and scrolled into view, until the reader
moves to another tab or case.

The tab bar never scrolls: on every resize the widest set of labels that fits
is used (``1 Overview`` … when there is room, down to ``Overview`` … with
tighter spacing at 80 columns, and shorter forms below that).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static, TabbedContent, TabPane

from ccgtui import case_tabs
from ccgtui.describe import cited_source_ids
from ccgtui.model import Case, Dataset
from ccgtui.tui import render
from ccgtui.tui.errors import Guarded
from ccgtui.tui.hanging import HangingStatic, HangingText, scroll_to_lines
from ccgtui.tui.widgets.note_list import NoteList
from ccgtui.wording import banners

if TYPE_CHECKING:
    from ccgtui.userdata import Note

NO_NOTES = (
    "No notes yet on this case, its stages, arenas and partners, or the sources it "
    "cites (n adds one)"
)

# Every case tab, in order, as (id, title): read from the registry (ccgtui.case_tabs)
# each time.  The text tabs are its layout sections; "notes" and "sources" are lists.
TABS = case_tabs.TITLES
TEXT_TABS = render.TAB_LINES


def tab_labels() -> list[tuple[list[str], bool]]:
    """Tab labels, widest first, and whether the tabs need the tight spacing (class
    -tight-tabs: one space before each label instead of one either side)."""
    titles = [t.title for t in case_tabs.TABS.values()]
    short = [t.short for t in case_tabs.TABS.values()]
    return [
        ([f"{n} {title}" for n, title in enumerate(titles, 1)], False),
        (titles, False),
        (titles, True),
        (short, True),
        ([str(n) for n in range(1, len(titles) + 1)], True),
    ]


def tab_bar_width(labels: list[str], tight: bool) -> int:
    """Cells the tab bar needs for ``labels``: each label plus its padding."""
    return sum(Content(label).cell_length for label in labels) + len(labels) * (1 if tight else 2)


def fitting_labels(width: int) -> tuple[list[str], bool]:
    """The widest label set whose tab bar fits in ``width`` cells (else the narrowest)."""
    every = tab_labels()
    for labels, tight in every:
        if tab_bar_width(labels, tight) <= width:
            return labels, tight
    return every[-1]


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
    def __init__(self, *, id: str | None = None, width: int | None = None) -> None:
        """``width``: the cells it will have, when known (mounted into a laid-out screen),
        so that its first frame has the tab labels that fit; else a resize fits them."""
        labels, tight = fitting_labels(width) if width else (tab_labels()[0][0], False)
        super().__init__(id=id, classes="-tight-tabs" if tight else None)
        self.case: Case | None = None
        self.dataset: Dataset | None = None
        self._dirty: set[str] = set()
        self._mark: tuple[str, str] | None = None  # (tab, path) to highlight
        self.marked: Marked | None = None  # the highlighted statement as drawn
        self._lines: dict[str, list[Content]] = {}  # each text tab's lines, as drawn
        self.tab_labels: list[str] = labels
        self._note_counts: tuple[str | None, dict[str, int]] = (None, {})  # for ✎ markers
        self._tags: tuple[str | None, list[str]] = (None, [])  # the user's tags, on Overview

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
                        # Its list of notes takes the focus, not the pane around it.
                        with VerticalScroll(id="notes-pane", can_focus=False):
                            yield Static(NO_NOTES, id="notes-empty", markup=False)
                            yield NoteList(id="case-notes")
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
            tagged = self._decorate(tab, self.case, render.TAB_LINES[tab](self.case, self.dataset))
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

    def section_text(self) -> tuple[str, str] | None:
        """What ``y`` copies from the tab shown (only the statement marked on it, if one
        is) as plain text, and what that is; ``None`` if the tab has no text."""
        from ccgtui.tui.copy_text import section_text

        if self.case is None or self.dataset is None:
            return None
        tab, title = self.active_tab, dict(TABS)[self.active_tab]
        marked = self.marked
        path = marked.path if marked is not None and marked.tab == tab else None
        text = section_text(self.case, self.dataset, tab, title, path)
        what = "statement" if path else f"{title} section"
        return None if text is None else (text, f"{what} of {self.case.id}")

    # -- the reader's notes and tags ------------------------------------------------------

    def show_user_data(self, case_id: str, notes: list[Note], tags: list[str]) -> None:
        """The notes on the case shown (Notes tab, ``✎ n`` marks) and its tags (Overview)."""
        from ccgtui.tui.note_marks import note_counts, source_counts
        from ccgtui.tui.widgets.source_list import SourceList

        if self.case is None or self.dataset is None or case_id != self.case.id:
            return
        listing = self.query_one("#case-notes", NoteList)
        listing.show(notes, self.dataset, trim=f"{self.case.label} › ")
        listing.display = bool(notes)
        self.query_one("#notes-empty", Static).display = not notes
        before = (self._note_counts, self._tags)
        counts = note_counts(notes, self.dataset)
        self._note_counts = (case_id, counts)
        self._tags = (case_id, tags)
        self.query_one("#source-list", SourceList).set_note_counts(source_counts(counts))
        old_counts = before[0][1] if before[0][0] == case_id else {}
        old_tags = before[1][1] if before[1][0] == case_id else []
        if counts != old_counts or tags != old_tags:
            self.redraw()

    def _decorate(self, tab: str, case: Case, lines: list[render.Line]) -> list[render.Line]:
        """The note markers and (on the Overview) the tags of the case shown."""
        from ccgtui.tui.note_marks import decorate

        case_id, counts = self._note_counts
        lines = decorate(tab, case, lines, counts) if case_id == case.id else lines
        tagged_case, tags = self._tags
        if tab == "overview" and tags and tagged_case == case.id:
            lines = render.with_user_tags(lines, tags)
        return lines

    def redraw(self) -> None:
        """Draw the text tabs again (the notes or tags changed), keeping the place."""
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
        """Scroll the marked lines into view once laid out at their real width."""
        if marked is not self.marked:
            return  # the reader has moved on
        body = self.query_one(f"#{marked.tab}-body", Static)
        scroll = self.query_one(f"#{marked.tab}-scroll", VerticalScroll)
        lines = self._lines[marked.tab]
        rows = scroll_to_lines(body, scroll, lines, marked.lines, keep_top=True, force=not tries)
        if rows is None:
            if tries:
                self.call_after_refresh(self._scroll_to_mark, marked, tries - 1)
            return
        self.marked = Marked(marked.tab, marked.path, marked.lines, rows)

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
            notes = self.query_one("#case-notes", NoteList)
            if notes.display:
                notes.focus()
