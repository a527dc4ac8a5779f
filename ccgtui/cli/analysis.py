"""``ccgtui matrix`` and ``ccgtui compare``: cross-case views for meetings and scripts."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from ccgtui import dimensions
from ccgtui.cli.complete import complete_case_ids
from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.cli.filters import FilterCommand
from ccgtui.cli.output import echo, emit, print_json, text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ccgtui.matrix import Matrix, MatrixStream
    from ccgtui.model import Case, Statement, Unknown


def _md_cell(value: str) -> str:
    """A data string as Markdown text: the exports' escaper (no HTML, links or pipes)."""
    from ccgtui.export.markdown import md_escape

    return md_escape(value)


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table of cells the caller has already escaped."""
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _select_cases(
    env: Env, filters: tuple[str, ...], tags: dict[str, list[str]] | None
) -> Sequence[Case]:
    """The cases passing ``filters`` (the list/search syntax, your tags included).

    Without filters, the store's lazy view itself: the matrix reads each case's cached
    JSON once, as its row is made, instead of a list of 10k validated cases.
    """
    dataset = env.dataset()
    if not filters:
        return dataset.cases
    from ccgtui.cli.search import parse_or_usage
    from ccgtui.query import filter_cases

    query = parse_or_usage(" ".join(filters))
    if query.words:
        raise click.UsageError(
            f"matrix takes only key:value filters; to search for {query.text!r} use `ccgtui search`"
        )
    return list(filter_cases(dataset, query, tags=tags))


def _user_tags(env: Env) -> dict[str, list[str]]:
    from ccgtui.cli.search import user_notes_and_tags

    return user_notes_and_tags(env)[1]


class DimensionChoice(click.Choice):  # type: ignore[type-arg]
    """``--by``: the registered matrix dimensions, read when asked (``ccgtui.dimensions``)."""

    def __init__(self) -> None:
        super().__init__(dimensions.names())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        return dimensions.names()

    @choices.setter
    def choices(self, value: object) -> None:
        pass  # always the registry's


# On a terminal, at most this many rows (and a count of the rest); piped, every row.
TERMINAL_ROWS = 200


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


@click.command(cls=FilterCommand)
@click.option(
    "--by",
    type=DimensionChoice(),
    default="sectors",
    show_default=True,
    help=f"Columns: {dimensions.help_text()}.",
)
@click.option(
    "--case",
    "case_ref",
    metavar="CASE",
    default=None,
    help="The case whose stages are the rows, with --by stages (id, id prefix or label).",
)
@click.argument("filters", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "md"]),
    default="table",
    show_default=True,
)
@click.option(
    "--evidence",
    is_flag=True,
    help="Under the table, each cell's statements: where they sit in the case, their "
    "sources, unverified marks and notes (the JSON always carries them).",
)
@click.option(
    "--pretty",
    is_flag=True,
    help="JSON: indented for reading (the default on a terminal; files and pipes get "
    "one row a line, written row by row).",
)
@click.option(
    "--all",
    "all_rows",
    is_flag=True,
    help=f"table on a terminal: every row (else the first {TERMINAL_ROWS} and a count).",
)
@pass_env
def matrix(
    env: Env,
    by: str,
    case_ref: str | None,
    filters: tuple[str, ...],
    fmt: str,
    evidence: bool,
    pretty: bool,
    all_rows: bool,
) -> None:
    """Cases × partner sectors, arenas or themes: which cell has evidence.

    \b
    ✓ n  present, with n cited statements behind it
    ·    absent: the case records the field and says nothing for this column
    ?    unknown: the sources do not report it
    --evidence traces every cell to its statements and sources.
    FILTERS use the search syntax, e.g. kind:in-depth or study:ccg-clinical-leadership;
    -key:value excludes.  --by themes adds a tag:NAME column for each of your tags.
    --by stages --case CASE shows where each stage of one case's redesign happened.
    Piped, the table is plain rows (one a line) and the JSON one row a line.

    \b
    Examples:
      ccgtui matrix --by arenas -kind:scoping --format md
      ccgtui matrix --by stages --case composite-frail-elderly
    """
    from ccgtui.matrix import matrix_stream

    if evidence and fmt == "csv":
        raise click.UsageError("--evidence goes with table or md; CSV has one cell per cell")
    if dimensions.lookup(by).one_case:
        if case_ref is None:
            raise click.UsageError(f"--by {by} needs --case CASE (the case whose {by} to show)")
        if filters:
            raise click.UsageError(f"--by {by} shows one case; drop the filters")
        one = env.cases_with_references([case_ref])  # reads only that case
        stream = matrix_stream(one, by, cases=one.cases)
    else:
        if case_ref is not None:
            raise click.UsageError(
                "--case goes with --by stages; to choose cases for this matrix use filters"
            )
        tags = _user_tags(env) if filters or by == "themes" else None
        cases = _select_cases(env, filters, tags)
        if not cases:
            raise NotFound("no case matches those filters")
        stream = matrix_stream(env.dataset(), by, cases=cases, tags=tags)
    terminal = _stdout_is_terminal()
    if fmt == "json":
        if pretty or terminal:
            print_json(stream.collect().to_json())
        else:  # the C encoder, a row at a time: 10k rows never held as one text
            for chunk in stream.json_chunks():
                click.echo(chunk, nl=False)
        return
    result = stream.collect() if evidence else None
    table = _labelled(stream if result is None else result)
    if fmt == "md":
        _print_md(table, result)
    elif fmt == "csv":
        emit(table.rows, ["id", *(key for key, _ in table.columns)], fmt)
    elif not terminal:
        _print_plain(table, result)
    else:
        _print_table(table, result, None if all_rows else TERMINAL_ROWS)


@dataclass
class _Labels:
    """A matrix as cell labels (no statements), the form every table prints."""

    title: str
    row_kind: str
    one_case: bool
    columns: list[tuple[str, str]]
    short: list[str]  # column heads narrow enough for a terminal
    rows: list[dict[str, str]]  # id, label (with the row's marks), a label per column
    heads: list[str]  # the first column: case id and marks, or the stage's title
    banners: list[str]  # "id: banner" lines


def _labelled(source: Matrix | MatrixStream) -> _Labels:
    from ccgtui.matrix import Matrix

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
    return _Labels(
        source.title,
        source.row_kind,
        bool(source.case),
        source.columns,
        [source.short_label(key) for key, _ in source.columns],
        rows,
        heads,
        banner_lines,
    )


def _print_md(table: _Labels, result: Matrix | None) -> None:
    from ccgtui.matrix import LEGEND

    keys = [key for key, _ in table.columns]
    header = [_md_cell(c) for c in [table.row_kind, *(lab for _, lab in table.columns)]]
    body = [[_md_cell(c) for c in [r["label"], *(r[k] for k in keys)]] for r in table.rows]
    echo(f"**{_md_cell(table.title)}**\n\n" if table.one_case else "", nl=False)
    echo(_md_table(header, body))
    echo(f"\n{LEGEND}")
    echo("".join(f"\n> {_md_cell(line)}\n" for line in table.banners), nl=False)
    if result is not None:
        echo("\n" + "\n".join(f"- {_md_cell(line)}" for line in _evidence_lines(result)))


def _print_plain(table: _Labels, result: Matrix | None) -> None:
    """Plain rows for a pipe: the table's cells, columns two spaces apart, no rich table.

    A rich table of 10,000 rows was most of ``matrix``'s time (issue 16), and a script
    wants one line per row, never wrapped at a width it does not have.
    """
    from rich.cells import cell_len

    from ccgtui.matrix import LEGEND
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


def _print_table(table: _Labels, result: Matrix | None, cap: int | None) -> None:
    """The table on a terminal: columns that do not fit go below; at most ``cap`` rows."""
    from ccgtui.cli.console import stdout_console
    from ccgtui.cli.fit import print_blocks, wrap_legend
    from ccgtui.matrix import LEGEND

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
    _echo_notices(lines)
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


def _echo_notices(lines: list[str]) -> None:
    """Banner lines wrapped to the terminal (rich wraps a ``Text``; never cut, never markup)."""
    from ccgtui.cli.console import stdout_console

    console = stdout_console()
    for line in lines:
        console.print(text(line), overflow="fold")


def _echo_evidence(result: Matrix, rows: set[str] | None = None) -> None:
    echo("\nEvidence (cell, then each statement behind it):")
    for line in _evidence_lines(result, rows):
        echo(text(line).plain)


@click.command()
@click.argument(
    "case_refs",
    metavar="CASE CASE [CASE...]",
    nargs=-1,
    required=True,
    shell_complete=complete_case_ids,
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
)
@click.option("--diff-only", is_flag=True, help="Show only the rows where the cases differ.")
@pass_env
def compare(env: Env, case_refs: tuple[str, ...], fmt: str, diff_only: bool) -> None:
    """Two or more cases side by side, aligned by field; differing rows marked *.

    Each value carries its source ids, unverified mark and note, as in `show`.
    Example: ccgtui compare composite-frail-elderly in-depth-1 --format md
    """
    from ccgtui.analysis import compare as build
    from ccgtui.analysis import statement_json
    from ccgtui.present.source import source_refs
    from ccgtui.present.text import source_lines
    from ccgtui.wording import banners, row_mark

    if len(case_refs) < 2:
        raise click.UsageError("compare needs at least two cases")
    cases = [env.case(ref) for ref in case_refs]
    result = build(env.dataset(), [c.id for c in cases])
    rows = [r for r in result.rows if r.differs or not diff_only]
    # A composite (or illustrative) case says so above the table, and in its column head.
    notices = [f"{c.id}: {line}" for c in cases for line in banners(c)]
    heads = [c.id + row_mark(c) for c in cases]
    # The sources the shown cells cite, with their levels and notes (conflicts), as in show.
    cited = dict.fromkeys(
        sid for r in rows for items in r.items for it in items if it for sid in it.sources
    )
    refs = source_refs(cited, env.dataset())
    if fmt == "json":
        from dataclasses import asdict

        payload = {
            "cases": [c.id for c in cases],
            "banners": {c.id: banners(c) for c in cases if banners(c)},
            "sources": [asdict(ref) for ref in refs],
            "rows": [
                {
                    "field": r.field,
                    "differs": r.differs,
                    "values": r.values,
                    "statements": [
                        [statement_json(it) if it is not None else None for it in items]
                        for items in r.items
                    ],
                }
                for r in rows
            ],
        }
        print_json(payload)
        return
    cells = [[_cited(v, i) for v, i in zip(r.values, r.items, strict=True)] for r in rows]
    if fmt == "md":
        header = ["field", *(_md_cell(h) for h in heads)]
        body = [
            [
                f"**{_md_cell(r.field)}**" if r.differs else _md_cell(r.field),
                *(_md_cell("; ".join(v)) or "-" for v in row_cells),
            ]
            for r, row_cells in zip(rows, cells, strict=True)
        ]
        echo("".join(f"> {_md_cell(line)}\n\n" for line in notices), nl=False)
        echo(_md_table(header, body))
        echo("\n**Sources**\n")
        echo("\n".join(_md_source_line(line) for line in source_lines(refs)))
        return
    from rich.table import Table

    from ccgtui.cli.console import stdout_console

    _echo_notices(notices)
    table = Table(title="Compare (* = differs)", title_justify="left", show_lines=True)
    table.add_column("field")
    for head in heads:
        table.add_column(text(head), overflow="fold")
    for row, row_cells in zip(rows, cells, strict=True):
        style = "bold" if row.differs else ""
        table.add_row(
            text(("* " if row.differs else "  ") + row.field, style=style),
            *(text("\n".join(v) or "-", multiline=True) for v in row_cells),
        )
    stdout_console().print(table)
    _echo_notices(["", "Sources", "-------", *source_lines(refs)])


def _md_source_line(line: str) -> str:
    """A reference (``[id] citation``) as a list item, its address and notes under it."""
    indent = "    " if line.startswith(" ") else ""
    return f"{indent}- {_md_cell(line.strip())}"


def _cited(lines: list[str], items: list[Statement | Unknown | None]) -> list[str]:
    """Each line of a compare cell followed by its statement's sources, marks and note."""
    from ccgtui.present.text import cited_lines

    return cited_lines(lines, items)
