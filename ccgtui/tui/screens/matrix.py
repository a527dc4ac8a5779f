"""The Matrix screen (``m``): cases × partner sectors, arenas or themes.

``MatrixScreen(dataset, tags=None)``: move through the cells with the arrow or
hjkl keys; 1 / 2 / 3 switch to sectors / arenas / themes; Enter opens the
statements behind a cell with their sources.  Unknown (``?``) is styled apart
from absent (``·``): the sources being silent is not the same as "no".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Static

from ccgtui.analysis import LEGEND, Cell, CellState, Matrix, matrix
from ccgtui.model import Dataset
from ccgtui.tui import render

DIMENSIONS = {"sectors": "partner sectors", "arenas": "leadership arenas", "themes": "themes"}
# Rich styles for DataTable cells (rich Text, so case text can never be markup). No
# colours: bold / dim / italic read well in every theme, light or dark, and the
# symbols (✓ · ?) carry the meaning on their own.
CELL_STYLES = {
    CellState.present: "bold",
    CellState.absent: "dim",
    CellState.unknown: "italic",
}


def cell_text(cell: Cell) -> Text:
    return Text(cell.label(), style=CELL_STYLES[cell.state], justify="center")


class CellScreen(ModalScreen[None]):
    """The statements behind one matrix cell."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "dismiss", "Close", id="close-cell"),
    ]

    def __init__(self, title: str, cell: Cell) -> None:
        super().__init__(id="matrix-cell")
        self.title_text = title
        self.cell = cell

    def compose(self) -> ComposeResult:
        lines = [
            render.heading(self.title_text),
            render.lit(
                f"{self.cell.state.value}, {self.cell.count} "
                f"statement{'' if self.cell.count == 1 else 's'}",
                render.MUTED,
            ),
        ]
        for evidence in self.cell.evidence:
            lines.append(render.lit(""))
            lines.append(render.lit(evidence.path, render.MUTED))
            lines.append(render.statement(evidence.item))
        if not self.cell.evidence:
            lines.append(
                render.lit(
                    "No statement: the case records this field and does not mention this column.",
                    render.UNKNOWN,
                )
            )
        with Vertical(id="cell-dialog"):
            with VerticalScroll():
                yield Static(render.join_lines(lines), id="cell-body", markup=False)
            yield Footer()


class MatrixScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="close-matrix"),
        Binding("1", "dimension('sectors')", "Sectors", id="matrix-sectors"),
        Binding("2", "dimension('arenas')", "Arenas", id="matrix-arenas"),
        Binding("3", "dimension('themes')", "Themes", id="matrix-themes"),
        Binding("h", "move(0, -1)", "Left", show=False, id="matrix-left"),
        Binding("l", "move(0, 1)", "Right", show=False, id="matrix-right"),
        Binding("j", "move(1, 0)", "Down", show=False, id="matrix-down"),
        Binding("k", "move(-1, 0)", "Up", show=False, id="matrix-up"),
    ]

    def __init__(
        self, dataset: Dataset, by: str = "sectors", tags: Mapping[str, Iterable[str]] | None = None
    ) -> None:
        super().__init__(id="matrix")
        self.dataset = dataset
        self.by = by
        self.tags = tags
        self.result: Matrix | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="matrix-body"):
            yield Static("", id="matrix-title", markup=False)
            yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=True)
            yield Static(LEGEND, id="matrix-legend", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.by)

    def show(self, by: str) -> None:
        self.by = by
        self.result = matrix(self.dataset, by, tags=self.tags)
        table = self.query_one("#matrix-table", DataTable)
        table.clear(columns=True)
        table.add_column(Text("case"), key="case")
        for key, _ in self.result.columns:
            table.add_column(Text(self.result.short_label(key)), key=key)
        for row_id, _label in self.result.rows:
            table.add_row(
                Text(row_id, no_wrap=True, overflow="ellipsis"),
                *(cell_text(self.result.cell(row_id, key)) for key, _ in self.result.columns),
                key=row_id,
                label=None,
            )
        if self.result.columns:
            table.move_cursor(row=0, column=1)
        self.query_one("#matrix-title", Static).update(
            f"Cases × {DIMENSIONS[by]}   (1 sectors · 2 arenas · 3 themes · Enter: statements)"
        )
        table.focus()

    def action_dimension(self, by: str) -> None:
        self.show(by)

    def action_move(self, rows: int, columns: int) -> None:
        table = self.query_one("#matrix-table", DataTable)
        coordinate = table.cursor_coordinate
        table.move_cursor(
            row=max(0, coordinate.row + rows), column=max(0, coordinate.column + columns)
        )

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        if self.result is None or event.cell_key.column_key.value == "case":
            return
        row = str(event.cell_key.row_key.value)
        column = str(event.cell_key.column_key.value)
        label = dict(self.result.rows).get(row, row)
        column_label = dict(self.result.columns).get(column, column)
        self.app.push_screen(CellScreen(f"{label} × {column_label}", self.result.cell(row, column)))
