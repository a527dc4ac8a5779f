"""The Compare screen (``=`` after marking cases with space).

``CompareScreen(dataset, case_ids)``: the cases side by side, one row per field
(kind, place, stages by arena, partners by sector, enablers, barriers,
outcomes, themes); rows where the cases differ are marked ``*`` and bold, and
unknown values are dimmed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ccgtui.analysis import compare
from ccgtui.model import Dataset
from ccgtui.present.text import cited_lines
from ccgtui.tui.errors import Guarded

FIELD_WIDTH = 25


def value_text(lines: list[str]) -> Text:
    if not lines:
        return Text("-", style="dim")
    text = Text()
    for n, line in enumerate(lines):
        if n:
            text.append("\n")
        style = "italic dim" if line.startswith("? ") else ""
        text.append(line, style=style)  # data, never markup
    return text


class CompareScreen(Guarded, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="close-compare"),
        Binding("d", "toggle_diff", "Differences only", id="compare-diff-only"),
    ]

    def __init__(self, dataset: Dataset, case_ids: list[str]) -> None:
        super().__init__()
        self.dataset = dataset
        self.case_ids = case_ids
        self.diff_only = False

    def compose(self) -> ComposeResult:
        with Vertical(id="compare-body"):
            yield Static("", id="compare-title", markup=False)
            yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_table()

    def refresh_table(self) -> None:
        result = compare(self.dataset, self.case_ids)
        table = self.query_one("#compare-table", DataTable)
        table.clear(columns=True)
        # Fit the screen: a fixed field column, the rest shared (2 cells of padding each).
        cases = max(1, len(result.cases))
        width = max(16, (self.app.size.width - FIELD_WIDTH - 4 - 2 * cases) // cases)
        table.add_column(Text("field"), key="field", width=FIELD_WIDTH)
        for case in result.cases:
            table.add_column(
                Text(case.id, no_wrap=True, overflow="ellipsis"), key=case.id, width=min(width, 60)
            )
        differing = 0
        for row in result.rows:
            differing += row.differs
            if self.diff_only and not row.differs:
                continue
            name = Text(
                ("* " if row.differs else "  ") + row.field, style="bold" if row.differs else ""
            )
            column = min(width, 60)
            # Each line with its statement's sources, marks and note, as `ccgtui compare` prints.
            cells = [cited_lines(v, i) for v, i in zip(row.values, row.items, strict=True)]
            height = max(1, *(sum(-(-len(line) // column) or 1 for line in v) for v in cells))
            table.add_row(name, *(value_text(v) for v in cells), height=min(height, 6))
        shown = "differences only; d shows all" if self.diff_only else "d: differences only"
        self.query_one("#compare-title", Static).update(
            f"Comparing {len(result.cases)} cases: {differing} of {len(result.rows)} rows differ "
            f"(* marks them; {shown})"
        )
        table.focus()

    def action_toggle_diff(self) -> None:
        self.diff_only = not self.diff_only
        self.refresh_table()
