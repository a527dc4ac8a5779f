"""The filterable case list with vim keys."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ccgtui.model import Case, Dataset
from ccgtui.tui import render


def matches(case: Case, study_label: str, words: list[str]) -> bool:
    """Every word of the filter appears in the id, label, kind, study or themes."""
    haystack = " ".join(
        [case.id, case.label, case.kind.value, case.study, study_label, *case.themes]
    ).casefold()
    return all(w in haystack for w in words)


class CaseList(OptionList):
    """Cases as options whose ids are the case ids."""

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
        self._labels: dict[str, str] = {}

    @property
    def case_ids(self) -> list[str]:
        """Ids of the cases now listed, in order."""
        return [o.id for o in self._options if o.id is not None]

    def set_dataset(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._labels = {s.id: render.study_label(dataset, s.id) for s in dataset.studies}
        self.refilter(self.filter_text)

    def refilter(self, text: str, keep: str | None = None) -> None:
        """Show the cases matching ``text``; keep ``keep`` (or the current) highlighted."""
        self.filter_text = text
        if self.dataset is None:
            return
        current = keep or self.current_id
        words = text.casefold().split()
        options = [
            Option(
                render.case_prompt(c, self._labels.get(c.study, c.study), c.id in self.marked),
                id=c.id,
            )
            for c in self.dataset.cases
            if matches(c, self._labels.get(c.study, c.study), words)
        ]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
        ids = self.case_ids
        if not ids:
            return
        self.highlighted = ids.index(current) if current in ids else 0

    @property
    def current_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def select_id(self, case_id: str) -> bool:
        """Highlight ``case_id`` if listed; ``False`` when the filter hides it."""
        if case_id not in self.case_ids:
            return False
        self.highlighted = self.get_option_index(case_id)
        return True

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
