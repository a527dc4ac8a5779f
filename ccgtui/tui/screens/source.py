"""The full reference of one source, as a modal."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ccgtui.model import Dataset
from ccgtui.tui import render
from ccgtui.tui.errors import Guarded
from ccgtui.tui.widgets.source_list import copy_citation, open_link


class SourceScreen(Guarded, ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "dismiss", "Close", id="close-source"),
        Binding("c", "copy_citation", "Copy citation", id="source-copy-citation"),
        Binding("o", "open_link", "Open link", id="source-open-link"),
    ]

    def __init__(self, source_id: str, dataset: Dataset) -> None:
        super().__init__()
        self.source_id = source_id
        self.dataset = dataset

    def compose(self) -> ComposeResult:
        source = self.dataset.source(self.source_id)
        with Vertical(id="source-dialog"):
            with VerticalScroll(id="source-scroll"):
                if source is None:
                    yield Static(
                        f"Source {self.source_id} is not defined in sources.yaml",
                        id="source-body",
                        markup=False,
                    )
                else:
                    yield Static(render.source_detail(source), id="source-body", markup=False)
            yield Footer()

    def action_copy_citation(self) -> None:
        copy_citation(self.app, self.source_id, self.dataset)

    def action_open_link(self) -> None:
        open_link(self.app, self.source_id, self.dataset)
