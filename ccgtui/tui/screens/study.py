"""The study screen: objectives, phases timeline, team, surveys, concepts, findings."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, Tab, Tabs

from ccgtui.model import Dataset, Study
from ccgtui.tui import render

# Sections in the left / right column when the screen is wide.
LEFT = ("objectives", "phases", "team", "participants")
WIDE_AT = 140


class StudyScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,s", "app.pop_screen", "Back", id="close-study"),
        Binding("j", "scroll('down')", "Scroll down", show=False, id="study-down"),
        Binding("k", "scroll('up')", "Scroll up", show=False, id="study-up"),
        Binding("g", "scroll('home')", "Top", show=False, id="study-top"),
        Binding("G", "scroll('end')", "Bottom", show=False, id="study-bottom"),
        Binding("left_square_bracket", "cycle_study(-1)", "Prev study", id="prev-study"),
        Binding("right_square_bracket", "cycle_study(1)", "Next study", id="next-study"),
    ]

    def __init__(self, dataset: Dataset, study_id: str | None = None) -> None:
        super().__init__(id="study")
        self.dataset = dataset
        ids = [s.id for s in dataset.studies]
        self.study_id = study_id if study_id in ids else (ids[0] if ids else None)

    def compose(self) -> ComposeResult:
        yield Tabs(
            *[Tab(s.short_title or s.id, id=f"study-tab-{s.id}") for s in self.dataset.studies],
            id="study-tabs",
        )
        with VerticalScroll(id="study-body"):
            yield Static(id="study-title", markup=False)
            if not self.dataset.studies:
                yield Static("No study in this case folder.", id="study-empty", markup=False)
            with Vertical(id="study-columns"):
                for column, names in (("left", LEFT), ("right", None)):
                    with Vertical(id=f"study-col-{column}", classes="study-column"):
                        for sid, title, _ in render.study_sections(_EMPTY, self.dataset):
                            if (names is None) == (sid in LEFT):
                                continue
                            with Vertical(classes="study-section", id=f"section-{sid}"):
                                yield Static(title, classes="section-title", markup=False)
                                yield Static(id=f"study-{sid}", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        tabs = self.query_one("#study-tabs", Tabs)
        tabs.display = len(self.dataset.studies) > 1
        if self.study_id:
            tabs.active = f"study-tab-{self.study_id}"
            self.show_study(self.study_id)
        self.query_one("#study-body").focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE_AT, "-wide")

    @property
    def study(self) -> Study | None:
        return self.dataset.study(self.study_id) if self.study_id else None

    def show_study(self, study_id: str) -> None:
        study = self.dataset.study(study_id)
        if study is None:
            return
        self.study_id = study_id
        self.query_one("#study-title", Static).update(render.study_title(study))
        for sid, _, body in render.study_sections(study, self.dataset):
            self.query_one(f"#study-{sid}", Static).update(body)
        self.query_one("#study-body", VerticalScroll).scroll_home(animate=False)

    @on(Tabs.TabActivated, "#study-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        if event.tab.id:
            self.show_study(event.tab.id.removeprefix("study-tab-"))

    def action_cycle_study(self, step: int) -> None:
        ids = [s.id for s in self.dataset.studies]
        if len(ids) < 2 or self.study_id is None:
            return
        target = ids[(ids.index(self.study_id) + step) % len(ids)]
        self.query_one("#study-tabs", Tabs).active = f"study-tab-{target}"

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#study-body", VerticalScroll)
        if where == "down":
            body.scroll_down()
        elif where == "up":
            body.scroll_up()
        elif where == "home":
            body.scroll_home(animate=False)
        else:
            body.scroll_end(animate=False)


_EMPTY = Study(id="empty", title="")
