"""``ccgtui matrix`` and ``ccgtui compare``: cross-case views for meetings and scripts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ccgtui.cli.complete import complete_case_ids
from ccgtui.cli.context import Env, NotFound, pass_env
from ccgtui.cli.filters import FilterCommand
from ccgtui.cli.output import echo, emit, print_json, text

if TYPE_CHECKING:
    from ccgtui.analysis import Matrix
    from ccgtui.model import Statement, Unknown


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
@click.option(
    "--evidence",
    is_flag=True,
    help="Under the table, each cell's statements: where they sit in the case, their "
    "sources, unverified marks and notes (the JSON always carries them).",
)
@pass_env
def matrix(
    env: Env, by: str, case_ref: str | None, filters: tuple[str, ...], fmt: str, evidence: bool
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

    \b
    Examples:
      ccgtui matrix --by arenas -kind:scoping --format md
      ccgtui matrix --by stages --case composite-frail-elderly
    """
    from ccgtui.analysis import LEGEND
    from ccgtui.analysis import matrix as build

    if evidence and fmt == "csv":
        raise click.UsageError("--evidence goes with table or md; CSV has one cell per cell")
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
    for row in rows:  # a composite or illustrative row says so in its label
        row["label"] += result.marks.get(row["id"], "")
    if fmt == "md":
        header = [_md_cell(c) for c in [result.row_kind, *(lab for _, lab in result.columns)]]
        body = [
            [_md_cell(c) for c in [r["label"], *(r[k] for k, _ in result.columns)]] for r in rows
        ]
        echo(f"**{_md_cell(result.title)}**\n\n" if result.case else "", nl=False)
        echo(_md_table(header, body))
        echo(f"\n{LEGEND}")
        echo("".join(f"\n> {_md_cell(line)}\n" for line in _banner_lines(result)), nl=False)
        if evidence:
            echo("\n" + "\n".join(f"- {_md_cell(line)}" for line in _evidence_lines(result)))
        return
    if fmt == "csv":
        emit(rows, columns, fmt)
        return
    from ccgtui.cli.console import stdout_console
    from ccgtui.cli.fit import print_blocks, wrap_legend

    if not result.case:
        keys = [(key, result.short_label(key)) for key, _ in result.columns]
        heads = [r["id"] + result.marks.get(r["id"], "") for r in rows]
        print_blocks(result.title, "case", heads, keys, rows)
        echo(wrap_legend(LEGEND, stdout_console().width))
        _echo_banners_and_evidence(result, evidence)
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
    _echo_banners_and_evidence(result, evidence)


def _banner_lines(result: Matrix) -> list[str]:
    """``case-id: banner`` for each row (or the one case) that carries a banner."""
    return [f"{rid}: {line}" for rid, lines in result.banners.items() for line in lines]


def _evidence_lines(result: Matrix) -> list[str]:
    """Each cell, then the statements behind it: path, text, sources, marks, note."""
    from ccgtui.describe import cite

    lines: list[str] = []
    for rid, _ in result.rows:
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


def _echo_banners_and_evidence(result: Matrix, evidence: bool) -> None:
    _echo_notices(_banner_lines(result))
    if evidence:
        echo("\nEvidence (cell, then each statement behind it):")
        for line in _evidence_lines(result):
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
    from ccgtui.present.text import provenance

    return [line + provenance(item) for line, item in zip(lines, items, strict=True)]
