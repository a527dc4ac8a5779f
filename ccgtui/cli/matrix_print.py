"""How ``ccgtui matrix`` prints a matrix: plain rows when piped, a fitted table on a
terminal (at most ``cap`` rows and a count of the rest), Markdown; and the Markdown and
notice helpers ``compare`` shares.

A rich table of 10,000 rows was most of ``matrix``'s time (issue 16); piped, a script
gets one plain line per row instead, never wrapped at a width it does not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from ccgtui.cli.output import echo, text

if TYPE_CHECKING:
    from ccgtui.analysis.matrix import Matrix, MatrixStream


def md_cell(value: str) -> str:
    """A data string as Markdown text: the exports' escaper (no HTML, links or pipes)."""
    from ccgtui.export.markdown import md_escape

    return md_escape(value)


def md_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table of cells the caller has already escaped."""
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


@dataclass
class Labels:
    """A matrix as cell labels (no statements), the form every table prints."""

    title: str
    row_kind: str
    one_case: bool
    columns: list[tuple[str, str]]
    short: list[str]  # column heads narrow enough for a terminal
    rows: list[dict[str, str]]  # id, label (with the row's marks), a label per column
    heads: list[str]  # the first column: case id and marks, or the stage's title
    banners: list[str]  # "id: banner" lines


def labelled(source: Matrix | MatrixStream) -> Labels:
    from ccgtui.analysis.matrix import Matrix

    rows: list[dict[str, str]] = []
    heads: list[str] = []
    banner_lines: list[str] = []
    if isinstance(source, Matrix):
        rows = source.to_rows()
        marks = source.marks
        banner_lines = _banner_lines(source)
    else:
        marks = {}
        for made in source.rows:  # a row at a time: its statements are dropped here
            cells = {k: c.label() for k, c in made.cells.items()}
            rows.append({"id": made.id, "label": made.label, **cells})
            if made.mark:
                marks[made.id] = made.mark
            banner_lines += [f"{made.id}: {line}" for line in made.banners]
        if source.case:
            banner_lines = [f"{source.case}: {line}" for line in source.case_banners]
    for row in rows:  # a composite or illustrative row says so in its label
        row["label"] += marks.get(row["id"], "")
        heads.append(row["label"] if source.case else row["id"] + marks.get(row["id"], ""))
    return Labels(
        source.title,
        source.row_kind,
        bool(source.case),
        source.columns,
        [source.short_label(key) for key, _ in source.columns],
        rows,
        heads,
        banner_lines,
    )


def print_md(table: Labels, result: Matrix | None) -> None:
    from ccgtui.analysis.matrix import LEGEND

    keys = [key for key, _ in table.columns]
    header = [md_cell(c) for c in [table.row_kind, *(lab for _, lab in table.columns)]]
    body = [[md_cell(c) for c in [r["label"], *(r[k] for k in keys)]] for r in table.rows]
    echo(f"**{md_cell(table.title)}**\n\n" if table.one_case else "", nl=False)
    echo(md_table(header, body))
    echo(f"\n{LEGEND}")
    echo("".join(f"\n> {md_cell(line)}\n" for line in table.banners), nl=False)
    if result is not None:
        echo("\n" + "\n".join(f"- {md_cell(line)}" for line in _evidence_lines(result)))


def print_plain(table: Labels, result: Matrix | None) -> None:
    """Plain rows for a pipe: the table's cells, columns two spaces apart, no rich table.

    A rich table of 10,000 rows was most of ``matrix``'s time (issue 16), and a script
    wants one line per row, never wrapped at a width it does not have.
    """
    from rich.cells import cell_len

    from ccgtui.analysis.matrix import LEGEND
    from ccgtui.safe_text import clean_line

    keys = [key for key, _ in table.columns]
    grid = [[table.row_kind, *map(clean_line, table.short)]]
    grid += [
        [clean_line(h), *(r[k] for k in keys)] for h, r in zip(table.heads, table.rows, strict=True)
    ]
    widths = [max(cell_len(line[i]) for line in grid) for i in range(len(grid[0]))]
    lines = [clean_line(table.title)]
    for line in grid:
        padded = [c + " " * (w - cell_len(c)) for c, w in zip(line, widths, strict=True)]
        lines.append("  ".join(padded).rstrip())
    lines += ["", LEGEND, *map(clean_line, table.banners)]
    click.echo("\n".join(lines))
    if result is not None:
        _echo_evidence(result)


def print_table(table: Labels, result: Matrix | None, cap: int | None) -> None:
    """The table on a terminal: columns that do not fit go below; at most ``cap`` rows."""
    from ccgtui.analysis.matrix import LEGEND
    from ccgtui.cli.console import stdout_console
    from ccgtui.cli.fit import print_blocks, wrap_legend

    total = len(table.rows)
    rows, heads = table.rows, table.heads
    if cap is not None and total > cap:
        rows, heads = rows[:cap], heads[:cap]
    keys = list(zip((key for key, _ in table.columns), table.short, strict=True))
    if not table.one_case:
        print_blocks(table.title, "case", heads, keys, rows)
    else:
        from rich import box
        from rich.table import Table

        grid = Table(
            title=text(table.title),
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            collapse_padding=True,
            padding=(0, 1),
        )
        grid.add_column("stage", overflow="fold", ratio=1)
        for _, label in keys:
            grid.add_column(text(label), no_wrap=True, min_width=len(label))
        for row in rows:
            grid.add_row(text(row["label"]), *(text(row[key]) for key, _ in keys))
        stdout_console().print(grid)
    if len(rows) < total:
        more = total - len(rows)
        echo(
            f"… {more:,} more {table.row_kind}s: the first {len(rows):,} of {total:,} shown "
            "(--all shows every row; piped, every row is printed)"
        )
    echo(wrap_legend(LEGEND, stdout_console().width))
    shown = {r["id"] for r in rows}
    lines = table.banners
    if not table.one_case:
        lines = [line for line in lines if line.split(": ", 1)[0] in shown]
    echo_notices(lines)
    if result is not None:
        _echo_evidence(result, shown if not table.one_case else None)


def _banner_lines(result: Matrix) -> list[str]:
    """``case-id: banner`` for each row (or the one case) that carries a banner."""
    return [f"{rid}: {line}" for rid, lines in result.banners.items() for line in lines]


def _evidence_lines(result: Matrix, rows: set[str] | None = None) -> list[str]:
    """Each cell, then the statements behind it: path, text, sources, marks, note."""
    from ccgtui.present.text import cite

    lines: list[str] = []
    for rid, _ in result.rows:
        if rows is not None and rid not in rows:
            continue
        for key, _ in result.columns:
            cell = result.cell(rid, key)
            lines.append(f"{rid} × {key}: {cell.label()}")
            lines += [f"    {e.path}: {cite(e.item)}" for e in cell.evidence]
    return lines


def echo_notices(lines: list[str]) -> None:
    """Banner lines wrapped to the terminal (rich wraps a ``Text``; never cut, never markup)."""
    from ccgtui.cli.console import stdout_console

    console = stdout_console()
    for line in lines:
        console.print(text(line), overflow="fold")


def _echo_evidence(result: Matrix, rows: set[str] | None = None) -> None:
    echo("\nEvidence (cell, then each statement behind it):")
    for line in _evidence_lines(result, rows):
        echo(text(line).plain)
