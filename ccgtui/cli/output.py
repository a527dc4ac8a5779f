"""Print rows as a rich table (for people) or clean JSON / CSV (for pipes)."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Sequence
from typing import Any

import click

FORMATS = ("table", "json", "csv")
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for reading; json or csv for scripts.",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_csv_cell(value: object, raw: bool = False) -> str:
    """Neutralise spreadsheet formulas with a leading apostrophe (unless ``raw``)."""
    text = "" if value is None else str(value)
    if not raw and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, title: str = "") -> None:
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_csv_cell(_csv_value(row.get(c))) for c in columns])
        click.echo(buf.getvalue(), nl=False)
    else:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title or None, title_justify="left")
        for i, col in enumerate(columns):
            # The first column is the id people copy into the next command: never wrap it.
            table.add_column(col.replace("_", " "), overflow="fold", no_wrap=i == 0)
        for row in rows:
            # Text(), never markup: values come from case files.
            table.add_row(*(Text(_cell(row.get(c))) for c in columns))
        Console(file=sys.stdout, soft_wrap=False).print(table)


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _csv_value(value: object) -> object:
    """Lists become space-separated ids (never a Python repr) in CSV."""
    return " ".join(str(v) for v in value) if isinstance(value, list) else value
