"""CSV: one row per case, or one per statement (``long``); UTF-8 with a header.

Cells that begin with ``=``, ``+``, ``-``, ``@``, tab, CR or LF get a leading
apostrophe unless ``raw``: spreadsheets would otherwise run them as formulas.
"""

from __future__ import annotations

import csv
import io

from ccgtui.analysis import CellState, arena_cell, sector_cell
from ccgtui.cli.output import safe_csv_cell
from ccgtui.export import Selection
from ccgtui.model import Arena, Sector, Statement, Unknown, iter_statements

CASE_COLUMNS = [
    "id",
    "kind",
    "label",
    "study",
    "illustrative",
    "place",
    "population",
    "service_area",
    "sectors_present",
    "sectors_unknown",
    "arenas_present",
    "arenas_unknown",
    "stages",
    "themes",
    "sources",
]
LONG_COLUMNS = ["case_id", "field", "text", "sources", "unknown", "unverified", "note"]


def _value(value: Statement) -> str:
    return f"UNKNOWN: {value.text}" if value.unknown else value.text


def render_csv(selection: Selection, *, long: bool = False, raw: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if long:
        writer.writerow(LONG_COLUMNS)
        for case in selection.cases:
            for path, it in iter_statements(case):
                unknown = isinstance(it, Unknown) or it.unknown
                unverified = isinstance(it, Statement) and it.unverified
                row = [
                    case.id,
                    path,
                    it.text,
                    " ".join(it.sources),
                    unknown,
                    unverified,
                    it.note or "",
                ]
                writer.writerow([safe_csv_cell(v, raw) for v in row])
        return buf.getvalue()
    writer.writerow(CASE_COLUMNS)
    for case in selection.cases:
        sectors = {s: sector_cell(case, s).state for s in Sector}
        arenas = {a: arena_cell(case, a).state for a in Arena}
        cited = sorted({sid for _, it in iter_statements(case) for sid in it.sources})
        row = [
            case.id,
            case.kind.value,
            case.label,
            case.study,
            case.illustrative,
            _value(case.place),
            _value(case.population),
            _value(case.service_area),
            " ".join(s.value for s, st in sectors.items() if st is CellState.present),
            " ".join(s.value for s, st in sectors.items() if st is CellState.unknown),
            " ".join(a.value for a, st in arenas.items() if st is CellState.present),
            " ".join(a.value for a, st in arenas.items() if st is CellState.unknown),
            len(case.story) if isinstance(case.story, list) else "unknown",
            " ".join(case.themes),
            " ".join(cited),
        ]
        writer.writerow([safe_csv_cell(v, raw) for v in row])
    return buf.getvalue()
