"""Global search (``/``): live results as you type, Enter jumps to the match.

Contract with the main screen: ``SearchScreen(dataset, store, indexes)``
dismisses with the chosen :class:`ccgtui.query.Hit` (or ``None`` on escape);
the caller shows ``hit.case_id`` on tab ``hit.tab`` with the statement at
``hit.path`` highlighted and scrolled into view (study hits open the study
screen, source hits the source).

The index comes from ``indexes`` (the app's :class:`ccgtui.tui.search_cache.SearchIndexes`:
built once per dataset and notes revision, not on every ``/``) in a thread worker, and
every query runs in one too; typing is
debounced, and a generation counter drops results that a newer keystroke has
made stale, so the input never waits for a search.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ccgtui.model import Dataset
from ccgtui.query import Hit, QueryError, Searching, parse_query
from ccgtui.safe_text import clean_id
from ccgtui.store import Store
from ccgtui.tui.errors import Guarded
from ccgtui.tui.search_cache import Ready, SearchIndexes

DEBOUNCE_S = 0.12
RESULT_LIMIT = 50
MAX_QUERY = 200  # characters in the search box


LEAD = 8  # characters of context kept before the first match, so it shows on one row


def _fit(text: str, most: int) -> str:
    """``text`` cut to ``most`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _lead_in(
    snippet: str, spans: Iterable[tuple[int, int]], room: int
) -> tuple[str, list[tuple[int, int]]]:
    """The snippet, from a little before its first match (at a word) if the match would not
    fit in ``room`` columns otherwise, and the spans shifted to match."""
    spans = list(spans)
    if not spans or spans[0][0] <= LEAD + 1 or spans[0][1] + LEAD <= room:
        return snippet, spans
    cut = spans[0][0] - LEAD
    space = snippet.find(" ", cut, spans[0][0])
    cut = space + 1 if space != -1 else spans[0][0]
    shift = 1 - cut  # the ellipsis replaces what was cut
    return "…" + snippet[cut:], [(a + shift, b + shift) for a, b in spans if a >= cut]


def hit_content(hit: Hit, show_id: bool = False, width: int = 66) -> Content:
    """One row: where the hit is, then its snippet with the matches highlighted (data, not markup).

    ``show_id``: add the case id, for a label that more than one case of the results has.
    ``width``: the row's width; the label and the place take at most about a quarter of
    it each, so the match stays on the row (the list cuts the rest with an ellipsis).
    """
    if hit.case_id:
        name = f"{hit.label} ({hit.case_id})" if show_id else hit.label
    else:
        name = hit.study_id or (hit.sources[0] if hit.sources else hit.label)
    if show_id and hit.case_id:  # the id tells twins apart: cut the label, keep the id
        room = max(8, width // 4 + 2 - len(hit.case_id) - 3)
        name = f"{_fit(clean_id(hit.label), room)} ({clean_id(hit.case_id)})"
    else:
        name = _fit(clean_id(name), max(12, width // 4 + 2))
    place = f"  {_fit(hit.place, max(12, width // 4 + 2))}  "
    head = Content.assemble((name, "bold"), (place, "dim"))
    text, spans = _lead_in(hit.snippet, hit.spans, width - len(name) - len(place))
    snippet = Content(text)
    for start, end in spans:
        snippet = snippet.stylize("reverse bold", start, end)
    if hit.sources:
        snippet = snippet + Content.styled(f" [{', '.join(hit.sources)}]", "dim")
    return Content.assemble(head, snippet)


def _shared_labels(hits: Iterable[Hit]) -> set[str]:
    """Case labels that belong to more than one case among the hits."""
    cases: dict[str, set[str]] = {}
    for hit in hits:
        if hit.case_id:
            cases.setdefault(hit.label, set()).add(hit.case_id)
    return {label for label, ids in cases.items() if len(ids) > 1}


class SearchScreen(Guarded, ModalScreen[Hit | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "Close", id="close-search"),
        Binding("down", "results", "Results", show=False, id="search-results"),
    ]

    def __init__(
        self,
        dataset: Dataset,
        store: Store | None = None,
        indexes: SearchIndexes | None = None,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.store = store  # its notes and tags are searched too
        self.indexes = indexes if indexes is not None else SearchIndexes()
        self.tags: Mapping[str, Iterable[str]] | None = None
        self._index: Searching | None = None
        self._generation = 0
        self._timer: Timer | None = None
        self._hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog"):
            yield Input(
                placeholder="Search (words, and filters like sector:social-work)",
                id="search-input",
                max_length=MAX_QUERY,  # typing 100 kB must not search ever longer queries
            )
            yield Static(
                "Type to search every case, study statement, source and note.",
                id="search-status",
                markup=False,
            )
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        self._build_index()

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False)
    def _build_index(self) -> None:
        ready = self.indexes.get(self.store, self.dataset)
        self.app.call_from_thread(self._index_ready, ready)

    def _index_ready(self, ready: Ready) -> None:
        self._index = ready.index
        self.tags = ready.tags
        value = self.query_one("#search-input", Input).value
        if value.strip():
            self._schedule(value)

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        self._schedule(event.value)

    def _schedule(self, text: str) -> None:
        self._generation += 1
        if self._timer is not None:
            self._timer.stop()
        generation = self._generation
        self._timer = self.set_timer(DEBOUNCE_S, lambda: self._run(text, generation))

    def _run(self, text: str, generation: int) -> None:
        if self._index is None:
            self._set_status("Building the index…")
            return
        self._search(text, generation)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, text: str, generation: int) -> None:
        assert self._index is not None
        try:
            query = parse_query(text)
        except QueryError as exc:
            self.app.call_from_thread(self._show, generation, [], str(exc))
            return
        hits = self._index.search(query, limit=RESULT_LIMIT, tags=self.tags)
        status = "" if query.words else "Type a word to search for."
        if query.words and not hits:
            near = sorted({s for w in query.words for s in self._index.suggest(w)})
            status = f"No match. Did you mean: {', '.join(near)}?" if near else "No match."
        self.app.call_from_thread(self._show, generation, hits, status)

    def _show(self, generation: int, hits: list[Hit], status: str) -> None:
        if generation != self._generation:
            return  # a newer keystroke is already being searched: drop stale results
        self._hits = hits
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        shared = _shared_labels(hits)
        width = results.scrollable_content_region.width or 66
        results.add_options(
            Option(hit_content(h, h.label in shared, width), id=str(i)) for i, h in enumerate(hits)
        )
        if hits:
            results.highlighted = 0
            count = len(hits)
            more = "+" if count == RESULT_LIMIT else ""
            status = status or f"{count}{more} result{'' if count == 1 and not more else 's'}"
        self._set_status(status)

    def _set_status(self, text: str) -> None:
        self.query_one("#search-status", Static).update(text)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        if self._hits:
            self.dismiss(self._hits[0])

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self._hits[int(event.option.id)])

    def action_results(self) -> None:
        self.query_one("#search-results", OptionList).focus()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
