"""The filterable case list with vim keys."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from ccgtui.model import Case, Dataset
from ccgtui.tui import render


def matches(case: Case, study_label: str, words: list[str]) -> bool:
    """Every word of the filter appears in the id, label, kind, study or themes."""
    haystack = " ".join(
        [case.id, case.label, case.kind.value, case.study, study_label, *case.themes]
    ).casefold()
    return all(w in haystack for w in words)


FIRST_BATCH = 150  # options laid out before the first paint
BATCH = 500  # further options per refresh (~50 ms), so 10k cases never block input


class CaseList(OptionList):
    """Cases as options whose ids are the case ids.

    Large lists are filled in batches after the first paint: the first
    screenful appears at once and the rest follows within a few frames.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="list-down"),
        Binding("k", "cursor_up", "Up", show=False, id="list-up"),
        Binding("g", "first", "First", show=False, id="list-first"),
        Binding("G", "last", "Last", show=False, id="list-last"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset: Dataset | None = None
        self.marked: set[str] = set()
        self.filter_text = ""
        self.match_count = 0
        self._labels: dict[str, str] = {}
        self._pending: list[Case] = []
        self._prompts: dict[tuple[str, bool], Content] = {}
        self._generation = 0

    @property
    def case_ids(self) -> list[str]:
        """Ids of the cases now listed, in order."""
        return [o.id for o in self._options if o.id is not None]

    def set_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._prompts.clear()
        self._labels = {s.id: render.study_label(dataset, s.id) for s in dataset.studies}
        self.refilter(self.filter_text)

    def refilter(self, text: str, keep: str | None = None) -> None:
        """Show the cases matching ``text``; keep ``keep`` (or the current) highlighted."""
        self.filter_text = text
        if self.dataset is None:
            return
        current = keep or self.current_id
        words = text.casefold().split()
        found = [
            c for c in self.dataset.cases if matches(c, self._labels.get(c.study, c.study), words)
        ]
        self.match_count = len(found)
        ids = [c.id for c in found]
        target = ids.index(current) if current in ids else 0
        first = max(FIRST_BATCH, target + 1)
        self._generation += 1
        self._pending = found[first:]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(self._option(c) for c in found[:first])
        if found:
            self.highlighted = target
        if self._pending:
            self.call_after_refresh(self._add_batch, self._generation)

    def _option(self, case: Case) -> Option:
        key = (case.id, case.id in self.marked)
        prompt = self._prompts.get(key)
        if prompt is None:
            label = self._labels.get(case.study, case.study)
            prompt = self._prompts[key] = render.case_prompt(case, label, key[1])
        return Option(prompt, id=case.id)

    def _add_batch(self, generation: int) -> None:
        if generation != self._generation or not self._pending:
            return  # a newer filter replaced this list
        batch, self._pending = self._pending[:BATCH], self._pending[BATCH:]
        self.add_options(self._option(c) for c in batch)
        if self._pending:
            self.call_after_refresh(self._add_batch, generation)

    def select_id(self, case_id: str) -> bool:
        """Highlight ``case_id`` if it matches the filter; ``False`` when the filter hides it."""
        try:
            index = self.get_option_index(case_id)  # a dict lookup, not a scan
        except OptionDoesNotExist:
            pending = [c.id for c in self._pending]
            if case_id not in pending:
                return False
            upto = pending.index(case_id) + 1
            batch, self._pending = self._pending[:upto], self._pending[upto:]
            self.add_options(self._option(c) for c in batch)
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
        if self.dataset is not None and case_id in self.case_ids:
            case = self.dataset.case(case_id)
            if case is not None:
                self.replace_option_prompt(
                    case_id,
                    render.case_prompt(
                        case, self._labels.get(case.study, case.study), case_id in self.marked
                    ),
                )
        return case_id in self.marked
