"""Tables that fit the terminal: ids whole, long text cut with an ellipsis, columns chosen by width.

At 80 columns (a laptop split in a meeting) rich's default shares the width out and
wraps every cell, so a list of cases became a column of word fragments.  Here every
cell stays on one line: the first column (the id people copy) is never cut, one
column (the label) takes what is left and ends in "…" when it is too long, and
optional columns are left out, least useful first, until it has room to be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from ccgtui.cli.console import stdout_console
from ccgtui.cli.output import text

MIN_SQUEEZED = 24  # the label column narrower than this is not worth an optional column
UNCLAMPED = 100_000  # a width no table reaches, to measure one unwrapped
MIN_READABLE = 8  # never squeeze the label below this, even if the table must overflow


def print_fitted(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    title: str,
    squeeze: str,
    optional: Sequence[str] = (),
) -> None:
    """Print ``rows`` in the terminal's width; see the module docstring."""
    console = stdout_console(soft_wrap=False)
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    shown = list(columns)
    natural = _natural(squeeze, cells, columns)
    for drop in (None, *optional):  # with every optional column left out, room is what it is
        if drop is not None:
            shown.remove(drop)
        room = console.width - _overhead(console, shown, cells, columns, squeeze)
        if room >= min(MIN_SQUEEZED, natural):
            break
    fitted = max(MIN_READABLE, min(room, natural))
    # Narrower than that, the ids stay whole and the terminal wraps the lines.
    console.width = max(console.width, console.width - room + fitted)
    console.print(_table(shown, cells, columns, title, {squeeze: fitted}))


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _natural(column: str, cells: list[list[str]], columns: Sequence[str]) -> int:
    i = list(columns).index(column)
    return max([cell_len(column), *(cell_len(text(row[i]).plain) for row in cells)])


def _overhead(
    console: Console,
    shown: list[str],
    cells: list[list[str]],
    columns: Sequence[str],
    squeeze: str,
) -> int:
    """Width of the table without its squeezed column's text (borders, padding, the rest)."""
    table = _table(shown, cells, columns, "", {squeeze: 1})
    return _natural_width(console, table) - 1


def _natural_width(console: Console, table: Table) -> int:
    """The table's width with nothing wrapped (a measurement is clamped to the options')."""
    return Measurement.get(console, console.options.update_width(UNCLAMPED), table).maximum


def _compact_table(title: str) -> Table:
    """The one table style of ``list`` and the matrix: a rule under the head, no side padding."""
    return Table(
        title=text(title) if title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        padding=(0, 1),
    )


def _table(
    shown: list[str],
    cells: list[list[str]],
    columns: Sequence[str],
    title: str,
    widths: dict[str, int],
) -> Table:
    table = _compact_table(title)
    for column in shown:
        fixed = widths.get(column)
        table.add_column(
            text(column.replace("_", " ")),
            no_wrap=True,
            overflow="ellipsis" if fixed else "fold",
            width=fixed or _natural(column, cells, columns),
        )
    index = [list(columns).index(c) for c in shown]
    for row in cells:
        # text(), never markup: values come from case files.
        table.add_row(*(text(row[i]) for i in index))
    return table


def print_blocks(
    title: str,
    head: str,
    heads: Sequence[str],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[dict[str, str]],
) -> None:
    """A grid with a whole first column; columns that do not fit go to a next block.

    ``heads`` are the first column's cells (case ids: never cut), ``columns`` are
    (key, label) pairs and ``rows`` hold each row's cells by key.  Every block repeats
    the first column, so no cell is ever cut off or dropped at the terminal's edge.
    """
    console = stdout_console()
    # A row head is an id with its marks after it (composite, illustrative): on a narrow
    # terminal the marks go to a second line, so the id stays whole and columns fit.
    stacked = [text(h).plain.replace(" ", "\n", 1) for h in heads]
    if max(map(cell_len, heads), default=0) * 3 > console.width:
        heads = stacked
    blocks: list[list[tuple[str, str]]] = [[]]
    for column in columns:
        trial = [*blocks[-1], column]
        grid = _grid("", head, heads, trial, rows)
        if blocks[-1] and _natural_width(console, grid) > console.width:
            blocks.append([column])
        else:
            blocks[-1] = trial
    for n, block in enumerate(blocks):
        label = title if len(blocks) == 1 else f"{title} (part {n + 1} of {len(blocks)})"
        if n == 0 and len(blocks) > 1:
            label += ", more columns below"
        console.print(_grid(label, head, heads, block, rows))


def _grid(
    title: str,
    head: str,
    heads: Sequence[str],
    columns: Sequence[tuple[str, str]],
    rows: Sequence[dict[str, str]],
) -> Table:
    table = _compact_table(title)
    cells = [text(h, multiline=True) for h in heads]
    longest = max(
        [cell_len(head), *(cell_len(line) for c in cells for line in c.plain.split("\n"))]
    )
    table.add_column(text(head), no_wrap=True, min_width=longest)
    for _, label in columns:
        table.add_column(text(label), no_wrap=True, min_width=cell_len(label))
    for cell, row in zip(cells, rows, strict=True):
        table.add_row(cell, *(text(row[key]) for key, _ in columns))
    return table


def wrap_legend(legend: str, width: int, sep: str = "   ") -> str:
    """The legend's parts (separated by ``sep``) packed into lines of at most ``width``."""
    lines: list[str] = []
    for part in legend.split(sep):
        if lines and cell_len(lines[-1] + sep + part) <= width:
            lines[-1] += sep + part
        else:
            lines.append(part)
    return "\n".join(lines)
