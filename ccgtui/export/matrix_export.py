"""A cases × sectors/arenas/themes matrix in any export format."""

from __future__ import annotations

import csv
import io
import json
from html import escape

from ccgtui.analysis import LEGEND, matrix
from ccgtui.cli.output import safe_csv_cell
from ccgtui.export import Selection
from ccgtui.export.markdown import md_escape


def render_matrix(fmt: str, selection: Selection, raw_csv: bool = False) -> str:
    result = matrix(selection.dataset, selection.by, cases=selection.cases)
    if fmt == "json":
        return json.dumps(result.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    rows = result.to_rows()
    keys = [k for k, _ in result.columns]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(["id", "label", *keys])
        for row in rows:
            writer.writerow([safe_csv_cell(row[c], raw_csv) for c in ["id", "label", *keys]])
        return buf.getvalue()
    labels = [label for _, label in result.columns]
    if fmt == "md":
        head = "| case | " + " | ".join(md_escape(x) for x in labels) + " |"
        lines = [f"# Cases × {selection.by}", "", head, "|" + "---|" * (len(keys) + 1)]
        lines += [
            "| " + " | ".join([md_escape(r["label"]), *(r[k] for k in keys)]) + " |" for r in rows
        ]
        return "\n".join([*lines, "", md_escape(LEGEND), ""])
    cells = "".join(f'<th scope="col">{escape(x)}</th>' for x in labels)
    body = "\n".join(
        f'<tr><th scope="row">{escape(r["label"])}</th>'
        + "".join(f"<td>{escape(r[k])}</td>" for k in keys)
        + "</tr>"
        for r in rows
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Cases × {escape(selection.by)}</title>"
        "<style>body{font-family:system-ui,sans-serif}td,th{border:1px solid #888;"
        "padding:.2rem .5rem}table{border-collapse:collapse}</style></head><body>"
        f'<h1>Cases × {escape(selection.by)}</h1><table><thead><tr><th scope="col">case</th>'
        f"{cells}</tr></thead><tbody>\n{body}\n</tbody></table><p>{escape(LEGEND)}</p>"
        "</body></html>\n"
    )
