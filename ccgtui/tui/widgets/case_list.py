"""The filterable case list with vim keys.

It lists case *summaries* (id, label, kind, study, filter facets), which the
store keeps in its index: the list of 10,000 cases appears without validating
a single case, and filtering never reads one.  The filter takes the same
syntax as `ccgtui search` / `ccgtui list`: words, ``key:value`` and
``-key:value`` (see :mod:`ccgtui.query`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.binding import BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from ccgtui.tui.case_entry import Entry, Listing, case_prompt
from ccgtui.tui.errors import Guarded
from ccgtui.tui.keys import vim_keys

if TYPE_CHECKING:
    # The models, the query language and the summaries come with the dataset, after the
    # first frame, which lists the table of contents' rows (issue 16).
    from ccgtui.lazy_cases import CaseSummary
    from ccgtui.model import Dataset
    from ccgtui.query import Query


def matches(
    summary: CaseSummary,
    study_label: str,
    query: Query,
    tags: Mapping[str, Iterable[str]] | None = None,
) -> bool:
    """Every word appears in the id, label, kind, study or themes, and every filter passes."""
    from ccgtui.query import passes

    if query.words:
        haystack = " ".join(
            [summary.id, summary.label, summary.kind, summary.study, study_label, *summary.themes]
        ).casefold()
        if not all(w.casefold() in haystack for w in query.words):
            return False
    return passes(summary.facets, summary.id, query.filters, tags)


FIRST_BATCH = 150  # at most this many options laid out before the first paint: a screenful
BATCH = 150  # further options per refresh (~0.2 ms each: ~30 ms), so 10k cases never block input


class CaseList(Guarded, OptionList):
    """Cases as options whose ids are the case ids.

    Large lists are filled in batches after the first paint: the first
    screenful appears at once and the rest follows within a few frames.  The first
    frame lists the table of contents' rows (:meth:`show_listing`); the summaries the
    filter reads come with the dataset (:meth:`set_dataset`).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *vim_keys("list"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset: Dataset | None = None
        self.marked: set[str] = set()
        self.tags: Mapping[str, Iterable[str]] = {}  # the user's tags, for tag: filters
        self.filter_text = ""
        self.filter_error: str | None = None  # set when the filter text is not a valid query
        self.match_count = 0
        self._summaries: list[CaseSummary] = []
        self._entries: Sequence[Entry] = []  # every case listed unfiltered, in file order
        self._by_id: dict[str, Entry] = {}
        self._labels: dict[str, str] = {}
        self._pending: Sequence[Entry] = []
        self._prompts: dict[tuple[str, bool], Content] = {}
        self._generation = 0

    @property
    def case_ids(self) -> list[str]:
        """Ids of the cases now listed, in order."""
        return [o.id for o in self._options if o.id is not None]

    @property
    def total(self) -> int:
        """How many cases there are (listed or not)."""
        return len(self._entries)

    def show_listing(self, listing: Listing) -> None:
        """The first frame: every case's row, before the dataset (no filter applies yet)."""
        self._entries = listing.rows
        self._labels = listing.study_labels
        self._show(listing.rows, self.current_id)

    def set_dataset(self, dataset: Dataset) -> None:
        from ccgtui.lazy_cases import summaries
        from ccgtui.tui import render

        self.dataset = dataset
        self._summaries = summaries(dataset.cases)  # built by the load worker: free here
        self._entries = self._summaries
        self._by_id = {}  # filled when first needed (a mark), not before the first frame
        self._prompts.clear()
        self._labels = {s.id: render.study_label(dataset, s.id) for s in dataset.studies}
        self.refilter(self.filter_text)

    def refilter(self, text: str, keep: str | None = None) -> None:
        """Show the cases matching ``text``; keep ``keep`` (or the current) highlighted."""
        from ccgtui.query import QueryError, parse_query

        self.filter_text = text
        if self.dataset is None:
            return
        current = keep or self.current_id
        try:
            query = parse_query(text)
            self.filter_error = None
        except QueryError as exc:
            self.filter_error = str(exc)
            query = parse_query("")  # an unfinished filter ("sector:") shows everything
        if not text.strip():  # everything: no need to test each case (10k before the first frame)
            found = self._summaries
        else:
            found = [
                s
                for s in self._summaries
                if matches(s, self._labels.get(s.study, s.study), query, self.tags)
            ]
        self._show(found, current)

    def _show(self, found: Sequence[Entry], current: str | None) -> None:
        """List ``found``: its first rows now, the rest in batches after each refresh."""
        self.match_count = len(found)
        # The current case's place (the first frame has none: its rows are not all read).
        target = (
            0 if current is None else next((i for i, s in enumerate(found) if s.id == current), 0)
        )
        # A case takes a row or more, so a screenful is at most the terminal's height: an
        # option list lays out every option it holds (issue 16: the rows it shows).
        first = max(min(FIRST_BATCH, self.app.size.height), target + 1)
        self._generation += 1
        self._pending = found[first:]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(self._option(s) for s in found[:first])
        if found:
            self.highlighted = target
        if self._pending:
            self.call_after_refresh(self._add_batch, self._generation)

    def _option(self, entry: Entry) -> Option:
        key = (entry.id, entry.id in self.marked)
        prompt = self._prompts.get(key)
        if prompt is None:
            label = self._labels.get(entry.study, entry.study)
            prompt = self._prompts[key] = case_prompt(entry, label, key[1])
        return Option(prompt, id=entry.id)

    def _add_batch(self, generation: int) -> None:
        if generation != self._generation or not self._pending:
            return  # a newer filter replaced this list
        batch, self._pending = self._pending[:BATCH], self._pending[BATCH:]
        self.add_options(self._option(s) for s in batch)
        if self._pending:
            self.call_after_refresh(self._add_batch, generation)

    def select_id(self, case_id: str) -> bool:
        """Highlight ``case_id`` if it matches the filter; ``False`` when the filter hides it."""
        try:
            index = self.get_option_index(case_id)  # a dict lookup, not a scan
        except OptionDoesNotExist:
            pending = [s.id for s in self._pending]
            if case_id not in pending:
                return False
            upto = pending.index(case_id) + 1
            batch, self._pending = self._pending[:upto], self._pending[upto:]
            self.add_options(self._option(s) for s in batch)
            index = self.get_option_index(case_id)
        if self.highlighted != index:
            self.highlighted = index
        return True

    @property
    def current_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def toggle_mark(self, case_id: str) -> bool:
        """Mark or unmark a case; returns whether it is now marked."""
        if case_id in self.marked:
            self.marked.discard(case_id)
        else:
            self.marked.add(case_id)
        if not self._by_id:
            self._by_id = {s.id: s for s in self._entries}
        entry = self._by_id.get(case_id)
        if entry is not None and case_id in self.case_ids:
            label = self._labels.get(entry.study, entry.study)
            self.replace_option_prompt(case_id, case_prompt(entry, label, case_id in self.marked))
        return case_id in self.marked
