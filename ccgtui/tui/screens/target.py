"""Pick what a note or bookmark is about: the case, or one of its stages,
arenas, partners or sources (the choices follow the tab being read).

A partner is offered by its id (``partner:<case>/<id>``) when the case file
gives it one, else by its position (``partner:<case>/<n>``); the host passes
the dataset to :mod:`ccgtui.userdata` so a position note remembers its partner.

``TargetScreen(choices)`` dismisses with the chosen target id, or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ccgtui import case_tabs
from ccgtui import userdata as ud
from ccgtui.model import ARENA_TITLES, SECTOR_TITLES, Arena, Case
from ccgtui.safe_text import clean_id
from ccgtui.tui.errors import Guarded

Choice = tuple[str, str]  # (target id, what a person reads)


def _stages(case: Case, source_id: str | None) -> list[Choice]:
    if not isinstance(case.story, list):
        return []
    return [(ud.stage_target(case.id, s.id), f"Stage: {s.title}") for s in case.story]


def _arenas(case: Case, source_id: str | None) -> list[Choice]:
    return [(ud.arena_target(case.id, a), f"Arena: {ARENA_TITLES[a]}") for a in Arena]


def _partners(case: Case, source_id: str | None) -> list[Choice]:
    if not isinstance(case.partners, list):
        return []
    # A partner's id when it has one (the note then follows it if the partners are
    # reordered); otherwise its position, which userdata checks against the partner.
    return [
        (
            ud.target_for_partner(case, n),
            f"Partner: {SECTOR_TITLES[p.sector]}"
            + (f" - {p.organisation}" if p.organisation else ""),
        )
        for n, p in enumerate(case.partners, 1)
    ]


def _source(case: Case, source_id: str | None) -> list[Choice]:
    return [] if source_id is None else [(ud.source_target(source_id), f"Source: {source_id}")]


# The choices each note-target kind offers on the tab that shows it (ccgtui.case_tabs).
CHOICES: dict[str, Callable[[Case, str | None], list[Choice]]] = {
    "stage": _stages,
    "arena": _arenas,
    "partner": _partners,
    "source": _source,
}


def target_choices(case: Case, tab: str, source_id: str | None = None) -> list[Choice]:
    """The case first, then the items of the tab being read."""
    choices: list[Choice] = [(ud.case_target(case.id), f"The whole case: {case.label}")]
    found = case_tabs.lookup(tab)
    more = CHOICES.get(found.note_kind or "") if found is not None else None
    return choices + more(case, source_id) if more is not None else choices


class TargetScreen(Guarded, ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-target"),
    ]

    def __init__(self, verb: str, choices: list[Choice]) -> None:
        super().__init__()
        self.verb = verb
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="target-dialog"):
            yield Static(f"{self.verb}: what about?", markup=False)
            yield OptionList(
                *(Option(Content(clean_id(label)), id=target) for target, label in self.choices),
                id="target-list",
            )

    def on_mount(self) -> None:
        self.query_one("#target-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#target-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
