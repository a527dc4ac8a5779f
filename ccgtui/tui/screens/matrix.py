"""The Matrix screen (``m``): cases × partner sectors, arenas or themes; stages × arenas.

``MatrixScreen(dataset, by="sectors", tags=None, case_id=None, store=None)``: move
through the cells with the arrow or hjkl keys; 1 / 2 / 3 switch to cases × sectors /
arenas / themes, 4 to the stages of one case × arenas (``case_id``, the case the main
screen shows); Enter opens the statements behind a cell with their sources; e
exports the matrix shown.  Unknown (``?``) is styled apart from absent (``·``):
the sources being silent is not the same as "no".

The themes matrix includes the user's tags (``tag:NAME`` columns).  Pass ``tags``
(case id -> tags) or leave it ``None`` and the screen reads them from ``store`` in a
worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Static

from ccgtui import dimensions
from ccgtui.analysis import LEGEND, Cell, CellState, Matrix, matrix
from ccgtui.model import Case, Dataset
from ccgtui.tui import render
from ccgtui.tui.errors import Guarded
from ccgtui.tui.keys import GRID, vim_keys
from ccgtui.tui.navigation import open_screen
from ccgtui.tui.palette import Item, ItemCommands
from ccgtui.wording import NOT_REPORTED

if TYPE_CHECKING:
    from ccgtui.store import Store


class _ColumnNouns(Mapping[str, str]):
    """Each registered dimension's columns, for titles (read live: ``ccgtui.dimensions``)."""

    def __getitem__(self, by: str) -> str:
        return dimensions.DIMENSIONS[by].columns_noun

    def __iter__(self) -> Iterator[str]:
        return iter(dimensions.DIMENSIONS)

    def __len__(self) -> int:
        return len(dimensions.DIMENSIONS)


DIMENSIONS: Mapping[str, str] = _ColumnNouns()


def dimension_bindings() -> list[BindingType]:
    """A key for each registered dimension (binding id ``matrix-ID``)."""
    return [
        Binding(d.key, f"dimension('{d.id}')", d.name, id=f"matrix-{d.id}")
        for d in dimensions.DIMENSIONS.values()
    ]


# The footer shows 1-4 and e; the title adds what Enter does.
KEYS_HINT = "Enter: statements"
# The stages matrix: its stage column never narrower than this, and what the three arena
# columns (with cell padding and the scrollbar) need beside it, in cells.
STAGE_MIN_WIDTH = 20
ARENA_COLUMNS_WIDTH = 32
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


class CellScreen(Guarded, ModalScreen[None]):
    """The statements behind one matrix cell."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "dismiss", "Close", id="close-cell"),
    ]

    def __init__(self, title: str, cell: Cell) -> None:
        super().__init__()
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
                    f"{NOT_REPORTED}."
                    if self.cell.state is CellState.unknown
                    else "No statement: the case records this field and does not mention "
                    "this column.",
                    render.UNKNOWN,
                )
            )
        with Vertical(id="cell-dialog"):
            with VerticalScroll():
                yield Static(render.join_lines(lines), id="cell-body", markup=False)
            yield Footer()


class MatrixCommands(ItemCommands):
    """On the Matrix screen: export the matrix shown, or show another dimension."""

    HELP = ("on the Matrix screen: export this matrix, show another dimension",)

    def _items(self) -> list[Item]:
        screen = self.screen
        return screen.palette_items() if isinstance(screen, MatrixScreen) else []


class MatrixScreen(Guarded, Screen[None]):
    COMMANDS: ClassVar[set[Any]] = {MatrixCommands}  # "Export this matrix as …" and more

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="close-matrix"),
        *dimension_bindings(),
        Binding("e", "export", "Export", id="matrix-export"),
        *vim_keys("matrix", GRID),
    ]

    def __init__(
        self,
        dataset: Dataset,
        by: str = "sectors",
        tags: Mapping[str, Iterable[str]] | None = None,
        case_id: str | None = None,
        store: Store | None = None,
    ) -> None:
        super().__init__()
        self.dataset = dataset
        self.store = store  # the user's tags are read from it when not given
        self.by = by
        self.tags = tags
        self.case_id = case_id
        """The case whose stages the stages matrix shows."""
        self.result: Matrix | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="matrix-body"):
            yield Static("", id="matrix-title", markup=False)
            yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=True)
            yield Static(LEGEND, id="matrix-legend", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.tags is None:
            self._load_tags()
        if self.by == "stages" and self._case() is None:
            self.by = "sectors"
        self.show(self.by)

    def _case(self) -> Case | None:
        return self.dataset.case(self.case_id) if self.case_id else None

    @work(thread=True, exclusive=True, group="matrix-tags", exit_on_error=False)
    def _load_tags(self) -> None:
        """The user's tags (a small read of the user file), for the themes matrix."""
        from ccgtui import userdata

        store = self.store
        if store is not None:
            tags = userdata.list_tags(store)
            self.app.call_from_thread(self._tags_loaded, tags)

    def _tags_loaded(self, tags: dict[str, list[str]]) -> None:
        self.tags = tags
        if self.by == "themes" and any(tags.values()):
            self.show("themes")

    def show(self, by: str) -> None:
        case = self._case()
        if by == "stages" and case is None:
            self.notify("Choose a case first: the stages matrix shows one case", markup=False)
            return
        table = self.query_one("#matrix-table", DataTable)
        keep = table.cursor_coordinate if by == self.by and self.result is not None else None
        self.by = by
        if case is not None and by == "stages":  # one case, already read: at once
            self._fill(matrix(self.dataset, by, cases=[case]), keep)
            return
        # Every case is read (from the cache, ~0.2 ms apiece): always in a worker, so
        # the screen takes keys meanwhile whatever the number of cases (issue 14).
        self.query_one("#matrix-title", Static).update(
            f"Cases × {DIMENSIONS[by]}: reading {len(self.dataset.cases):,} cases…"
        )
        self._compute(by, keep)

    @work(thread=True, exclusive=True, group="matrix", exit_on_error=False)
    def _compute(self, by: str, keep: Coordinate | None) -> None:
        result = matrix(self.dataset, by, tags=self.tags)
        self.app.call_from_thread(self._computed, result, keep)

    def _computed(self, result: Matrix, keep: Coordinate | None) -> None:
        if result.by == self.by:  # not overtaken by another dimension key
            self._fill(result, keep)

    def _fill(self, result: Matrix, keep: Coordinate | None) -> None:
        by = result.by
        table = self.query_one("#matrix-table", DataTable)
        self.result = result
        table.clear(columns=True)
        table.fixed_columns = 1  # the case (or stage) stays in view when scrolled sideways
        if by == "stages":
            # As wide as the longest title, leaving room for the three arena columns.
            room = max(STAGE_MIN_WIDTH, self.app.size.width - ARENA_COLUMNS_WIDTH)
            width = max((len(label) for _, label in self.result.rows), default=5)
            table.add_column(Text("stage"), key="case", width=min(room, max(5, width)))
        else:
            table.add_column(Text("case"), key="case")
        for key, _ in self.result.columns:
            table.add_column(Text(self.result.short_label(key)), key=key)
        for row_id, label in self.result.rows:
            table.add_row(
                Text(label if by == "stages" else row_id, no_wrap=True, overflow="ellipsis"),
                *(cell_text(self.result.cell(row_id, key)) for key, _ in self.result.columns),
                key=row_id,
                label=None,
            )
        if keep is not None:
            table.move_cursor(row=keep.row, column=keep.column)
        elif self.result.columns:
            table.move_cursor(row=0, column=1)
        title = self.result.title if by == "stages" else f"Cases × {DIMENSIONS[by]}"
        if by == "stages" and not self.result.rows:
            title += ": the case records no stages"
        self.query_one("#matrix-title", Static).update(f"{title}   ({KEYS_HINT})")
        table.focus()

    def palette_items(self) -> list[Item]:
        """The palette's commands here (:class:`MatrixCommands`)."""
        shown = self.result.title if self.result is not None else "this matrix"
        items: list[Item] = [
            (
                f"Export this matrix as {fmt}…",
                partial(self.action_export, fmt),
                f"write {shown} to a file",
            )
            for fmt in ("md", "html", "csv", "json")
        ]
        items += [
            (f"Show matrix by {by}", partial(self.action_dimension, by), "on this screen")
            for by in dimensions.names()
            if by != self.by
        ]
        return items

    def action_dimension(self, by: str) -> None:
        self.show(by)

    def action_export(self, fmt: str = "md") -> None:
        """Export the matrix shown (the path's extension can pick another format)."""
        from ccgtui.tui.screens.export import ExportScreen

        def done(message: str | None) -> None:
            if message:
                self.app.notify(message, title="Export", markup=False)

        tags = {k: list(v) for k, v in self.tags.items()} if self.tags else None
        case_id = self.case_id if self.by == "stages" else None
        screen = ExportScreen(self.dataset, fmt, "matrix", case_id, by=self.by, tags=tags)
        open_screen(self.app, screen, done)

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
        open_screen(
            self.app, CellScreen(f"{label} × {column_label}", self.result.cell(row, column))
        )
