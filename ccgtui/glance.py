"""A case at a glance: who led it and who took part, one line each, and a five-line brief.

The lines answer the questions asked in a meeting ("which arena led it?", "which
partners?") without scrolling.  They count what the matrix counts (the same
:mod:`ccgtui.facts` cells), so the Overview tab, ``show --brief`` and the matrix
always agree; an arena or sector the sources are silent on is "?", never left out.
"""

from __future__ import annotations

from ccgtui.facts import Cell, CellState, arena_cell, sector_cell
from ccgtui.model import Arena, Case, Dataset, Sector, Unknown
from ccgtui.present.text import cite
from ccgtui.wording import NONE_RECORDED, NOT_REPORTED, banners, plural

# Short arena names for one line (the tabs use the long titles).
ARENA_SHORT: dict[Arena, str] = {
    Arena.board: "board",
    Arena.programme: "programme board",
    Arena.practice: "point of delivery",
}
_HOW_MANY = {0: "no arena", 1: "one arena", 2: "two arenas", 3: "all three arenas"}
UNKNOWN_MARK = "?"
NONE_MARK = "none"  # the case records arenas and says nothing of this one


def _count(cell: Cell) -> str:
    if cell.state is CellState.present:
        return str(cell.count) if cell.count else "✓"
    return UNKNOWN_MARK if cell.state is CellState.unknown else NONE_MARK


def arena_line(case: Case) -> str:
    """``Leadership: all three arenas — board 2, programme board 3, point of delivery 2
    statements`` ("?" where the sources are silent)."""
    cells = {arena: arena_cell(case, arena) for arena in Arena}
    present = sum(c.state is CellState.present for c in cells.values())
    unknown = sum(c.state is CellState.unknown for c in cells.values())
    if present == 0 and unknown == len(cells):
        return f"Leadership: {UNKNOWN_MARK} {NOT_REPORTED}"
    if present == 0 and unknown == 0:
        return f"Leadership: {NONE_RECORDED}"
    head = _HOW_MANY[present] + (f" ({unknown} {UNKNOWN_MARK})" if unknown else "")
    counts = ", ".join(f"{ARENA_SHORT[a]} {_count(c)}" for a, c in cells.items())
    return f"Leadership: {head} — {counts} statements"


def partner_line(case: Case) -> str:
    """``Partners: 4 sectors — Social work 2, …; ? Health and Wellbeing Board, …``."""
    if isinstance(case.partners, Unknown):
        return f"Partners: {UNKNOWN_MARK} {NOT_REPORTED}"
    cells = {sector: sector_cell(case, sector) for sector in Sector}
    named = [(s, c) for s, c in cells.items() if c.state is CellState.present]
    silent = [s.label for s, c in cells.items() if c.state is CellState.unknown]
    if named:
        line = f"Partners: {plural(len(named), 'sector')} — " + ", ".join(
            f"{s.label} {_count(c)}" for s, c in named
        )
    else:
        line = f"Partners: {NONE_RECORDED}"
    if silent:
        line += f"; {UNKNOWN_MARK} {', '.join(silent)}"
    return line


def key_finding(case: Case) -> str:
    """The case's first finding (else its summary) with its source ids and marks."""
    item = case.findings[0] if case.findings else case.summary
    if item is None:
        return f"Key finding: {NONE_RECORDED}"
    return f"Key finding: {cite(item)}"


def kind_line(case: Case, dataset: Dataset) -> str:
    """The banners the case carries, else its kind and study."""
    shown = banners(case)
    if shown:
        return " ".join(shown)
    study = dataset.study(case.study)
    return f"{case.kind.value.upper()} case — {study.title if study else case.study}"


def brief(case: Case, dataset: Dataset) -> list[str]:
    """Five lines fit to paste: label, kind banner, arenas, partners, key finding."""
    return [
        f"{case.label} ({case.id})",
        kind_line(case, dataset),
        arena_line(case),
        partner_line(case),
        key_finding(case),
    ]
