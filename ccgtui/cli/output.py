"""The CLI's one print path: rich tables (for people), JSON and CSV (for pipes), messages.

Everything printed may hold text from other people's files (case folders, a notes file
restored from a colleague, a shared ``--db``, the index file), so it goes through
:mod:`ccgtui.safe_text` here, once: :func:`echo` for messages and documents, :func:`text`
for rich cells and titles, :func:`print_json` for JSON (lossless, controls escaped) and
:func:`emit` for rows in any format.  CSV is written by :mod:`ccgtui.csv_safe`, the
project's one CSV writer (formula guard on header and cells).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ccgtui.csv_safe import csv_text
from ccgtui.json_safe import json_text, made_safe
from ccgtui.safe_text import clean, clean_id

if TYPE_CHECKING:
    from rich.text import Text

FORMATS = ("table", "json", "csv")
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for reading; json or csv for scripts.",
)

# Every command that writes a file names it the same way: -o FILE (or '-'), --force.
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (atomically; a FIFO or device is written through) instead of "
    "stdout; '-' is stdout.",
)
force_option = click.option("--force", is_flag=True, help="Overwrite an existing output file.")


def echo(message: object = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a message or a document; terminal controls dropped, newlines and tabs kept."""
    click.echo(clean(message), err=err, nl=nl)


def print_json(data: Any, *, sort_keys: bool = False) -> None:
    """Print ``data`` as JSON; controls, C1 and bidi characters come out as ``\\uXXXX``."""
    click.echo(json_text(data, sort_keys=sort_keys))


def echo_json_rows(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print rows (one value per column) as :func:`print_json` prints them as objects.

    The same text, made by the C string encoder a value at a time: ``indent=2``
    makes :mod:`json` use its pure-Python encoder (0.14 s for ``list`` at 10,000 cases).
    Only strings, booleans and ``None`` are expected; anything else is encoded whole.
    """
    from json.encoder import encode_basestring  # C, as json.dumps(ensure_ascii=False)

    # One row: "  {\n    "id": %s,\n ...\n  }", each value encoded on its own.
    keys = (encode_basestring(c).replace("%", "%%") for c in columns)
    template = "  {\n" + ",\n".join(f"    {key}: %s" for key in keys) + "\n  }"
    words: dict[object, str] = {True: "true", False: "false", None: "null"}
    parts = []
    for row in rows:
        try:
            values = tuple(
                encode_basestring(v)
                if type(v) is str
                else words[v if v is None or type(v) is bool else ()]
                for v in row
            )
        except KeyError:  # neither text, a flag nor None: the json module says it
            print_json([dict(zip(columns, r, strict=True)) for r in rows])
            return
        if len(values) != len(columns):
            raise ValueError("one value per column expected")
        parts.append(template % values if columns else "  {}")
    click.echo(made_safe("[\n" + ",\n".join(parts) + "\n]" if parts else "[]"))


def text(value: object, *, style: str = "", multiline: bool = False) -> Text:
    """A rich ``Text`` (never markup) of ``value``: one line, no controls, no bidi tricks.

    ``multiline`` keeps newlines and tabs (and bidi marks) for prose such as a note.
    """
    from rich.text import Text

    return Text(clean(value) if multiline else clean_id(value), style=style)


def emit(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    title: str = "",
    *,
    multiline: Sequence[str] = ("text",),
) -> None:
    """Print rows as a table, JSON or CSV; ``multiline`` columns keep their line breaks."""
    if fmt == "json":
        print_json(list(rows))
    elif fmt == "csv":
        body = ([_csv_value(row.get(c)) for c in columns] for row in rows)
        click.echo(csv_text(columns, body, lineterminator="\n"), nl=False)
    else:
        from rich.table import Table

        from ccgtui.cli.console import stdout_console

        table = Table(title=text(title) if title else None, title_justify="left")
        for i, col in enumerate(columns):
            # The first column is the id people copy into the next command: never wrap it.
            table.add_column(text(col.replace("_", " ")), overflow="fold", no_wrap=i == 0)
        for row in rows:
            # text(), never markup: values come from case files and notes files.
            table.add_row(*(text(_cell(row.get(c)), multiline=c in multiline) for c in columns))
        stdout_console(soft_wrap=False).print(table)


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _csv_value(value: object) -> object:
    """Lists become space-separated ids (never a Python repr) in CSV."""
    return " ".join(str(v) for v in value) if isinstance(value, list) else value
