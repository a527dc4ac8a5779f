"""A case's cited sources: Enter opens the full reference, ``c`` copies it, ``o`` opens its link.

A source with notes shows ``✎ n`` after it (:meth:`SourceList.set_note_counts`).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ccgtui.model import Dataset, Source
from ccgtui.safe_text import clean_id
from ccgtui.tui import render
from ccgtui.tui.errors import Guarded
from ccgtui.tui.keys import vim_keys


class SourceList(Guarded, OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_citation", "Copy citation", id="copy-citation"),
        Binding("o", "open_link", "Open link", id="open-source-link"),
        *vim_keys("sources"),
    ]

    class Open(Message):
        """Show the full reference of a source."""

        def __init__(self, source_id: str) -> None:
            super().__init__()
            self.source_id = source_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.dataset: Dataset | None = None
        self.note_counts: dict[str, int] = {}  # source id -> notes on it

    def _prompt(self, source_id: str, sources: dict[str, Source]) -> Content:
        from ccgtui.tui.note_marks import marker

        prompt = render.source_prompt(source_id, sources.get(source_id))
        return prompt + marker(self.note_counts.get(source_id, 0))

    def show(self, ids: list[str], dataset: Dataset) -> None:
        self.dataset = dataset
        smap = dataset.source_map
        self.set_options(Option(self._prompt(i, smap), id=i) for i in ids)
        if ids:
            self.highlighted = 0

    def set_note_counts(self, counts: dict[str, int]) -> None:
        """Show how many notes each source has; the highlight stays where it is."""
        changed = {
            i
            for i in set(counts) | set(self.note_counts)
            if counts.get(i) != self.note_counts.get(i)
        }
        self.note_counts = dict(counts)
        if self.dataset is None or not changed:
            return
        smap = self.dataset.source_map
        for option in self._options:
            if option.id in changed:
                self.replace_option_prompt(option.id, self._prompt(option.id, smap))

    @property
    def current_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Open(event.option.id))

    def action_copy_citation(self) -> None:
        source_id = self.current_id
        if source_id is None or self.dataset is None:
            self.notify("No source selected", severity="warning")
            return
        copy_citation(self.app, source_id, self.dataset)

    def action_open_link(self) -> None:
        source_id = self.current_id
        if source_id is None or self.dataset is None:
            self.notify("No source selected", severity="warning")
            return
        open_link(self.app, source_id, self.dataset)


def open_link(app: App[object], source_id: str, dataset: Dataset) -> None:
    """Open a source's DOI or web address in the browser (a new tab under ``ccgtui serve``).

    In a terminal the address is also shown: there may be no browser to open it (ssh).
    """
    from ccgtui.links import source_link

    source = dataset.source(source_id)
    link = source_link(source) if source is not None else None
    if link is None:
        app.notify(
            f"Source {clean_id(source_id)} has no DOI or web address to open",
            severity="warning",
            markup=False,
        )
        return
    app.open_url(link, new_tab=True)
    if not app.is_web:
        app.notify(f"Opening {link}", markup=False)


def copy_citation(app: App[object], source_id: str, dataset: Dataset) -> None:
    """Copy a source's citation to the clipboard and say so."""
    source = dataset.source(source_id)
    if source is None:
        app.notify(f"Source {source_id} is not defined", severity="warning", markup=False)
        return
    app.copy_to_clipboard(source.citation())
    app.notify(f"Copied citation [{source_id}]", markup=False)
