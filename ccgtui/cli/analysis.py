"""``ccgtui matrix`` and ``ccgtui compare``: cross-case views for meetings and scripts."""

from __future__ import annotations

import click

from ccgtui.cli.complete import complete_case_ids
from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.cli.filters import FilterCommand
from ccgtui.cli.output import echo, emit, print_json, text


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


def _select_cases(env: Env, filters: tuple[str, ...], tags: dict[str, list[str]] | None) -> list:  # type: ignore[type-arg]
    """The cases passing ``filters`` (the list/search syntax, your tags included)."""
    dataset = env.dataset()
    if not filters:
        return list(dataset.cases)
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


@click.command(cls=FilterCommand)
@click.option(
    "--by",
    type=click.Choice(["sectors", "arenas", "themes", "stages"]),
    default="sectors",
    show_default=True,
    help="Columns: partner sectors, leadership arenas or themes (your tags included as "
    "tag:NAME); stages: one case's redesign stages × arenas (with --case).",
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
@pass_env
def matrix(env: Env, by: str, case_ref: str | None, filters: tuple[str, ...], fmt: str) -> None:
    """Cases × partner sectors, arenas or themes: which cell has evidence.

    \b
    ✓ n  present, with n cited statements behind it
    ·    absent: the case records the field and says nothing for this column
    ?    unknown: the sources do not report it
    FILTERS use the search syntax, e.g. kind:in-depth or study:ccg-clinical-leadership;
    -key:value excludes.  --by themes adds a tag:NAME column for each of your tags.
    --by stages --case CASE shows where each stage of one case's redesign happened.

    \b
    Examples:
      ccgtui matrix --by arenas -kind:scoping --format md
      ccgtui matrix --by stages --case composite-frail-elderly
    """
    from ccgtui.analysis import LEGEND
    from ccgtui.analysis import matrix as build

    if by == "stages":
        if case_ref is None:
            raise click.UsageError("--by stages needs --case CASE (the case whose stages to show)")
        if filters:
            raise click.UsageError("--by stages shows one case; drop the filters")
        one = env.cases_with_references([case_ref])  # reads only that case
        result = build(one, by, cases=one.cases)
    else:
        if case_ref is not None:
            raise click.UsageError(
                "--case goes with --by stages; to choose cases for this matrix use filters"
            )
        tags = _user_tags(env) if filters or by == "themes" else None
        cases = _select_cases(env, filters, tags)
        if not cases:
            raise NotFound("no case matches those filters")
        result = build(env.dataset(), by, cases=cases, tags=tags)
    if fmt == "json":
        print_json(result.to_json())
        return
    columns = ["id", *(key for key, _ in result.columns)]
    rows = result.to_rows()
    if fmt == "md":
        header = [_md_cell(c) for c in [result.row_kind, *(lab for _, lab in result.columns)]]
        body = [
            [_md_cell(c) for c in [r["label"], *(r[k] for k, _ in result.columns)]] for r in rows
        ]
        echo(f"**{_md_cell(result.title)}**\n\n" if result.case else "", nl=False)
        echo(_md_table(header, body))
        echo(f"\n{LEGEND}")
        return
    if fmt == "csv":
        emit(rows, columns, fmt)
        return
    from ccgtui.cli.console import stdout_console
    from ccgtui.cli.fit import print_blocks, wrap_legend

    if not result.case:
        keys = [(key, result.short_label(key)) for key, _ in result.columns]
        print_blocks(result.title, "case", [r["id"] for r in rows], keys, rows)
        echo(wrap_legend(LEGEND, stdout_console().width))
        return
    from rich import box
    from rich.table import Table

    table = Table(
        title=text(result.title),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        padding=(0, 1),
    )
    table.add_column("stage", overflow="fold", ratio=1)
    for key, _ in result.columns:
        label = result.short_label(key)
        table.add_column(text(label), no_wrap=True, min_width=len(label))
    for row in rows:
        table.add_row(text(row["label"]), *(text(row[key]) for key, _ in result.columns))
    console = stdout_console()
    console.print(table)
    echo(wrap_legend(LEGEND, console.width))


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

    Example: ccgtui compare composite-frail-elderly in-depth-1 --format md
    """
    from ccgtui.analysis import compare as build

    if len(case_refs) < 2:
        raise click.UsageError("compare needs at least two cases")
    cases = [env.case(ref) for ref in case_refs]
    result = build(env.dataset(), [c.id for c in cases])
    rows = [r for r in result.rows if r.differs or not diff_only]
    if fmt == "json":
        payload = {
            "cases": [c.id for c in cases],
            "rows": [{"field": r.field, "differs": r.differs, "values": r.values} for r in rows],
        }
        print_json(payload)
        return
    if fmt == "md":
        header = ["field", *(_md_cell(c.id) for c in cases)]
        body = [
            [
                f"**{_md_cell(r.field)}**" if r.differs else _md_cell(r.field),
                *(_md_cell("; ".join(v)) or "-" for v in r.values),
            ]
            for r in rows
        ]
        echo(_md_table(header, body))
        return
    from rich.table import Table

    from ccgtui.cli.console import stdout_console

    table = Table(title="Compare (* = differs)", title_justify="left", show_lines=True)
    table.add_column("field")
    for case in cases:
        table.add_column(text(case.id), overflow="fold")
    for row in rows:
        style = "bold" if row.differs else ""
        table.add_row(
            text(("* " if row.differs else "  ") + row.field, style=style),
            *(text("\n".join(v) or "-", multiline=True) for v in row.values),
        )
    stdout_console().print(table)
