"""A cases × sectors/arenas/themes matrix, or one case's stages × arenas, in any format.

The rows come one at a time (:func:`~ccgtui.analysis.matrix.matrix_stream`): a table keeps
only each row's cell labels, and compact JSON (a file or a pipe) is written row by row,
so 10k cases never hold every cell's statements at once (issue 16).
"""

from __future__ import annotations

from collections.abc import Iterator

from ccgtui.analysis import LEGEND
from ccgtui.analysis.matrix import MatrixStream, matrix_stream
from ccgtui.csv_safe import csv_text
from ccgtui.export.html import escape
from ccgtui.export.markdown import md_escape
from ccgtui.export.selection import ExportError, Selection
from ccgtui.json_safe import compact_json, json_text


def _stream(selection: Selection) -> MatrixStream:
    try:
        return matrix_stream(
            selection.dataset, selection.by, cases=selection.cases, tags=selection.tags
        )
    except ValueError as exc:
        raise ExportError(str(exc)) from exc


def stream_matrix_json(selection: Selection) -> Iterator[str]:
    """:func:`render_matrix`'s JSON, compact and row by row (json.loads gives the same)."""
    result = _stream(selection)
    yield compact_json(result.head_json())[:-1] + ',"rows":['
    for n, row in enumerate(result.rows):
        yield ("," if n else "") + compact_json(row.to_json())
    yield "]}\n"


def render_matrix(fmt: str, selection: Selection, raw_csv: bool = False) -> str:
    result = _stream(selection)
    title = result.title
    if fmt == "json":
        return json_text(result.collect().to_json(), sort_keys=True) + "\n"
    # A composite or illustrative row says so in its label, and its banner follows the table.
    rows, notices = result.label_rows()
    keys = [k for k, _ in result.columns]
    if fmt == "csv":
        # Theme names and tags are case-file and user text: csv_text guards the header too.
        header = ["id", "label", *keys]
        return csv_text(header, ([row[c] for c in header] for row in rows), raw=raw_csv)
    labels = [label for _, label in result.columns]
    if fmt == "md":
        head = f"| {result.row_kind} | " + " | ".join(md_escape(x) for x in labels) + " |"
        lines = [f"# {md_escape(title)}", "", head, "|" + "---|" * (len(keys) + 1)]
        lines += [
            "| " + " | ".join(md_escape(v) for v in [r["label"], *(r[k] for k in keys)]) + " |"
            for r in rows
        ]
        lines += ["", md_escape(LEGEND), ""]
        return "\n".join([*lines, *(f"> {md_escape(n)}\n" for n in notices)])
    if fmt != "html":  # never HTML for a format this module does not know (issue 14)
        raise ExportError(f"no matrix renderer for format {fmt!r}")
    cells = "".join(f'<th scope="col">{escape(x)}</th>' for x in labels)
    body = "\n".join(
        f'<tr><th scope="row">{escape(r["label"])}</th>'
        + "".join(f"<td>{escape(r[k])}</td>" for k in keys)
        + "</tr>"
        for r in rows
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif}td,th{border:1px solid #888;"
        "padding:.2rem .5rem}table{border-collapse:collapse}</style></head><body>"
        f"<h1>{escape(title)}</h1><table><thead><tr>"
        f'<th scope="col">{result.row_kind}</th>'
        f"{cells}</tr></thead><tbody>\n{body}\n</tbody></table><p>{escape(LEGEND)}</p>"
        + "".join(f"<p><strong>{escape(n)}</strong></p>" for n in notices)
        + "</body></html>\n"
    )
