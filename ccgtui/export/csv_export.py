"""CSV: one row per case, or one per statement (``long``); UTF-8 with a header.

Written by :func:`ccgtui.csv_safe.csv_text`, the project's one CSV writer: cells and
header that begin with ``=``, ``+``, ``-``, ``@``, tab, CR or LF get a leading apostrophe
unless ``raw``, since spreadsheets would otherwise run them as formulas.
"""

from __future__ import annotations

from collections.abc import Iterator

from ccgtui.analysis import CellState, arena_cell, sector_cell
from ccgtui.csv_safe import csv_text
from ccgtui.export.selection import Selection
from ccgtui.model import Arena, Case, Sector, Statement, Unknown, iter_statements
from ccgtui.wording import UNKNOWN_PREFIX, banners

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
    "banner",
]
# ``banner`` on every row too: a filtered spreadsheet must still say a row is a synthesis.
LONG_COLUMNS = ["case_id", "field", "text", "sources", "unknown", "unverified", "note", "banner"]


def _banner(case: Case) -> str:
    return " ".join(banners(case))


def _value(value: Statement) -> str:
    return f"{UNKNOWN_PREFIX}{value.text}" if value.unknown else value.text


def render_csv(selection: Selection, *, long: bool = False, raw: bool = False) -> str:
    if long:
        return csv_text(LONG_COLUMNS, _long_rows(selection), raw=raw)
    return csv_text(CASE_COLUMNS, _case_rows(selection), raw=raw)


def _long_rows(selection: Selection) -> Iterator[list[object]]:
    for case in selection.cases:
        banner = _banner(case)
        for path, it in iter_statements(case):
            unknown = isinstance(it, Unknown) or it.unknown
            unverified = isinstance(it, Statement) and it.unverified
            sources = " ".join(it.sources)
            yield [case.id, path, it.text, sources, unknown, unverified, it.note or "", banner]


def _case_rows(selection: Selection) -> Iterator[list[object]]:
    for case in selection.cases:
        sectors = {s: sector_cell(case, s).state for s in Sector}
        arenas = {a: arena_cell(case, a).state for a in Arena}
        cited = sorted({sid for _, it in iter_statements(case) for sid in it.sources})
        yield [
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
            _banner(case),
        ]
