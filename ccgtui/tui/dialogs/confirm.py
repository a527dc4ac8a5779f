"""Ask before something that cannot be undone here (deleting a note)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ccgtui.safe_text import clean, clean_line
from ccgtui.tui.errors import Guarded


class ConfirmScreen(Guarded, ModalScreen[bool]):
    """Ask before something that cannot be undone here; ``y`` yes, ``n``/escape no.

    The safe answer has the focus, so a stray enter keeps things as they are.
    """

    CSS_PATH = "dialogs.tcss"  # shared by the dialogs here
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(Content(clean_line(self.question)), classes="dialog-title")
            if self.detail:
                yield Static(Content(clean(self.detail)), id="confirm-detail")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="error", id="confirm-yes-button")
                yield Button("Keep (n)", id="confirm-no-button")

    def on_mount(self) -> None:
        self.query_one("#confirm-no-button", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes-button")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
