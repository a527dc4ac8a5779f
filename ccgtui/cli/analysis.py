"""``ccgtui matrix`` and ``ccgtui compare``: cross-case views for meetings and scripts."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from ccgtui import dimensions
from ccgtui.cli.complete import complete_case_ids
from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.cli.filters import FilterCommand
from ccgtui.cli.matrix_print import echo_notices as _echo_notices
from ccgtui.cli.matrix_print import md_cell as _md_cell
from ccgtui.cli.matrix_print import md_table as _md_table
from ccgtui.cli.output import echo, emit, print_json, text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ccgtui.model import Case, Statement, Unknown


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


class DimensionOption(click.Option):
    """``--by``: its help names each registered dimension, read when the help is shown."""

    def __init__(self, *args: Any, help_prefix: str, **kwargs: Any) -> None:
        self.help_prefix = help_prefix
        kwargs["help"] = self._help()
        super().__init__(*args, **kwargs)

    def _help(self) -> str:
        return f"{self.help_prefix}{dimensions.help_text()}."

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = self._help()
        return super().get_help_record(ctx)


# On a terminal, at most this many rows (and a count of the rest); piped, every row.
TERMINAL_ROWS = 200


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


@click.command(cls=FilterCommand)
@click.option(
    "--by",
    cls=DimensionOption,
    type=DimensionChoice(),
    default="sectors",
    show_default=True,
    help_prefix="Columns: ",
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
    from ccgtui.analysis.matrix import matrix_stream

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
    from ccgtui.cli.matrix_print import labelled, print_md, print_plain, print_table

    result = stream.collect() if evidence else None
    table = labelled(stream if result is None else result)
    if fmt == "md":
        print_md(table, result)
    elif fmt == "csv":
        emit(table.rows, ["id", *(key for key, _ in table.columns)], fmt)
    elif not terminal:
        print_plain(table, result)
    else:
        print_table(table, result, None if all_rows else TERMINAL_ROWS)


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
