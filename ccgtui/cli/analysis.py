"""``ccgtui matrix`` and ``ccgtui compare``: cross-case views for meetings and scripts."""

from __future__ import annotations

import json
import sys

import click

from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.cli.filters import FilterCommand
from ccgtui.cli.output import emit


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _select_cases(env: Env, filters: tuple[str, ...]) -> list:  # type: ignore[type-arg]
    """The cases passing ``filters`` (the list/search syntax, your tags included)."""
    dataset = env.dataset()
    if not filters:
        return list(dataset.cases)
    from ccgtui.cli.search import parse_or_usage, user_notes_and_tags
    from ccgtui.query import filter_cases

    query = parse_or_usage(" ".join(filters))
    if query.words:
        raise click.UsageError(
            f"matrix takes only key:value filters; to search for {query.text!r} use `ccgtui search`"
        )
    return list(filter_cases(dataset, query, tags=user_notes_and_tags(env)[1]))


@click.command(cls=FilterCommand)
@click.option(
    "--by",
    type=click.Choice(["sectors", "arenas", "themes"]),
    default="sectors",
    show_default=True,
    help="Columns: partner sectors, leadership arenas or themes.",
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
def matrix(env: Env, by: str, filters: tuple[str, ...], fmt: str) -> None:
    """Cases × partner sectors, arenas or themes: which cell has evidence.

    \b
    ✓ n  present, with n cited statements behind it
    ·    absent: the case records the field and says nothing for this column
    ?    unknown: the sources do not report it
    FILTERS use the search syntax, e.g. kind:in-depth or study:ccg-clinical-leadership;
    -key:value excludes.  Example: ccgtui matrix --by arenas -kind:scoping --format md
    """
    from ccgtui.analysis import LEGEND
    from ccgtui.analysis import matrix as build

    cases = _select_cases(env, filters)
    if not cases:
        raise NotFound("no case matches those filters")
    result = build(env.dataset(), by, cases=cases)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    columns = ["id", *(key for key, _ in result.columns)]
    rows = result.to_rows()
    if fmt == "md":
        header = ["case", *(label for _, label in result.columns)]
        click.echo(
            _md_table(header, [[r["label"], *(r[k] for k, _ in result.columns)] for r in rows])
        )
        click.echo(f"\n{LEGEND}")
        return
    if fmt == "csv":
        emit(rows, columns, fmt)
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"Cases × {by}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
        padding=(0, 1),
    )
    table.add_column("case", no_wrap=True, overflow="ellipsis", max_width=17)
    for key, _ in result.columns:
        label = result.short_label(key)
        table.add_column(label, no_wrap=True, min_width=len(label))
    for row in rows:
        table.add_row(Text(row["id"]), *(Text(row[key]) for key, _ in result.columns))
    Console(file=sys.stdout).print(table)
    click.echo(LEGEND)


@click.command()
@click.argument("case_refs", metavar="CASE CASE [CASE...]", nargs=-1, required=True)
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
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if fmt == "md":
        header = ["field", *(c.id for c in cases)]
        body = [
            [f"**{r.field}**" if r.differs else r.field, *("; ".join(v) or "-" for v in r.values)]
            for r in rows
        ]
        click.echo(_md_table(header, body))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Compare (* = differs)", title_justify="left", show_lines=True)
    table.add_column("field")
    for case in cases:
        table.add_column(Text(case.id), overflow="fold")
    for row in rows:
        style = "bold" if row.differs else ""
        table.add_row(
            Text(("* " if row.differs else "  ") + row.field, style=style),
            *(Text("\n".join(v) or "-") for v in row.values),
        )
    Console(file=sys.stdout).print(table)
