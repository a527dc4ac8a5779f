"""Two or more cases side by side, aligned field by field, each line with its statement.

Pure functions over a :class:`~ccgtui.model.Dataset`: no I/O, no Textual, so the CLI
and the TUI share one answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ccgtui.facts import CellState, sector_cell
from ccgtui.model import Arena, Case, Dataset, Sector, Statement, Unknown

# One line of a compare cell, with the statement it comes from (None for kind, themes...).
Line = tuple[str, Statement | Unknown | None]


@dataclass(frozen=True)
class CompareRow:
    field: str
    values: list[list[str]]  # per case, the lines to show
    # Per case, the statement behind each line of ``values`` (same order), so a front
    # end can show its sources, unverified flag and note.
    items: list[list[Statement | Unknown | None]]

    @classmethod
    def of(cls, name: str, cells: list[list[Line]]) -> CompareRow:
        return cls(
            name, [[text for text, _ in c] for c in cells], [[it for _, it in c] for c in cells]
        )

    @property
    def differs(self) -> bool:
        return any(v != self.values[0] for v in self.values[1:])


@dataclass(frozen=True)
class Comparison:
    cases: list[Case]
    rows: list[CompareRow]


def _lines(value: Statement | Unknown | Sequence[Statement] | None) -> list[Line]:
    if value is None:
        return []
    if isinstance(value, Unknown) or (isinstance(value, Statement) and value.unknown):
        return [(f"? {value.text}", value)]
    if isinstance(value, Statement):
        return [(f"\u201c{value.text}\u201d" if value.quote else value.text, value)]
    return [line for item in value for line in _lines(item)]


def _plain(values: Sequence[str]) -> list[Line]:
    return [(v, None) for v in values]


def compare(dataset: Dataset, case_ids: Sequence[str]) -> Comparison:
    """Two or more cases aligned field by field; raise KeyError for an unknown id."""
    cases: list[Case] = []
    for cid in case_ids:
        case = dataset.case(cid)
        if case is None:
            raise KeyError(cid)
        cases.append(case)
    rows = [
        CompareRow.of("kind", [_plain([c.kind.value]) for c in cases]),
        CompareRow.of("study", [_plain([c.study]) for c in cases]),
        CompareRow.of("summary", [_lines(c.summary) for c in cases]),
        CompareRow.of("place", [_lines(c.place) for c in cases]),
        CompareRow.of("population", [_lines(c.population) for c in cases]),
        CompareRow.of("service area", [_lines(c.service_area) for c in cases]),
        CompareRow.of("period", [_lines(c.period) for c in cases]),
        CompareRow.of("methods", [_lines(c.methods) for c in cases]),
    ]
    for arena in Arena:
        rows.append(
            CompareRow.of(f"stages: {arena.value}", [_stage_titles(c, arena) for c in cases])
        )
    # What each case says of the arena itself: a composite's leadership is only here.
    for arena in Arena:
        rows.append(
            CompareRow.of(f"arena: {arena.value}", [_lines(c.arenas.get(arena)) for c in cases])
        )
    for sector in Sector:
        rows.append(
            CompareRow.of(f"partners: {sector.value}", [_partner_lines(c, sector) for c in cases])
        )
    for name in ("enablers", "barriers", "outcomes", "findings"):
        rows.append(CompareRow.of(name, [_lines(getattr(c, name)) for c in cases]))
    optional = {"summary", "period", *(f"arena: {a.value}" for a in Arena)}
    rows = [r for r in rows if any(r.values) or r.field not in optional]  # none records it
    rows.append(CompareRow.of("themes", [_plain(sorted(c.themes)) for c in cases]))
    return Comparison(cases, rows)


def _stage_titles(case: Case, arena: Arena) -> list[Line]:
    if isinstance(case.story, Unknown):
        return [(f"? {case.story.text}", case.story)]
    return [(s.title, s) for s in case.story if s.arena is arena]


def _partner_lines(case: Case, sector: Sector) -> list[Line]:
    cell = sector_cell(case, sector)
    if cell.state is CellState.unknown:
        return [(f"? {cell.evidence[0].item.text}", cell.evidence[0].item)]
    named: list[Line] = [
        (getattr(e.item, "organisation", None) or e.item.text, e.item)
        for e in cell.evidence
        if e.path.startswith("partners")
    ]
    if named or cell.state is not CellState.present:
        return named
    # Named only in stages: one line per stage, so each keeps its own sources.
    return [(f"(named in stage: {getattr(e.item, 'title', '')})", e.item) for e in cell.evidence]
