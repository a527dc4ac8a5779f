"""The one CSV writer: every CSV the project emits (exports, matrices, ``--format csv``).

Spreadsheets run a cell that begins with ``=``, ``+``, ``-``, ``@``, tab, CR or LF as a
formula (``=HYPERLINK(...)`` leaks data, DDE runs programs), so by default such a cell
gets a leading apostrophe: the header row too, since column names can be theme and tag
names from case files and notes files.  ``raw`` keeps the text as it is, for R and pandas.
Terminal control characters are dropped in either mode (a CSV is printed to terminals
and read by ``cat``); newlines and tabs inside a cell stay, quoted as CSV allows.

This module imports nothing from the project but :mod:`ccgtui.safe_text`, so the CLI
and the exports both use it without loading click or the data model.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from ccgtui.safe_text import clean

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_csv_cell(value: object, raw: bool = False) -> str:
    """One cell's text: controls dropped, a formula neutralised (unless ``raw``)."""
    text = clean(value)
    if not raw and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_text(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    raw: bool = False,
    lineterminator: str = "\r\n",
) -> str:
    """A whole CSV document (header then rows), every cell through :func:`safe_csv_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    writer.writerow([safe_csv_cell(h, raw) for h in header])
    writer.writerows([safe_csv_cell(v, raw) for v in row] for row in rows)
    return buf.getvalue()
