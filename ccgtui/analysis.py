"""Cross-case analysis: framework matrices, side-by-side comparison, study counts.

Pure functions over a :class:`~ccgtui.model.Dataset`: no I/O, no Textual, so
the CLI, the TUI and the exports share one answer.

A matrix cell is *present* (statements say so), *absent* (the case records the
field and says nothing for this column) or *unknown* (the field is marked
unknown in the case file).  Unknown is never folded into absent: for the six
in-depth cases the sources are silent, which is not the same as "no partners".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ccgtui.facts import Cell as Cell
from ccgtui.facts import CellState as CellState
from ccgtui.facts import Evidence as Evidence
from ccgtui.facts import StatementCounts as StatementCounts
from ccgtui.facts import arena_cell as arena_cell
from ccgtui.facts import sector_cell as sector_cell
from ccgtui.facts import summaries
from ccgtui.model import (
    ARENA_TITLES,
    SECTOR_TITLES,
    Arena,
    Case,
    CaseKind,
    Dataset,
    Measure,
    Phase,
    Sector,
    Statement,
    Unknown,
)
from ccgtui.wording import UNVERIFIED_MARK, banners, row_mark

DIMENSIONS = ("sectors", "arenas", "themes")
"""Cross-case dimensions: cases × partner sectors, arenas or themes."""
CASE_DIMENSIONS = ("stages",)
"""One-case dimensions: the stages of one case's redesign story × arenas."""
ALL_DIMENSIONS = DIMENSIONS + CASE_DIMENSIONS


# Column headings narrow enough for an 80-column terminal.
SHORT_LABELS = {
    "primary-care": "primary",
    "secondary-care": "secondary",
    "community-care": "community",
    "social-work": "social",
    "hwb": "HWB",
    "patients-public": "patients",
    "other": "other",
}

LEGEND = "✓ n = present, n statements   · = absent (recorded, not mentioned)   ? = unknown"


@dataclass(frozen=True)
class Matrix:
    by: str
    rows: list[tuple[str, str]]  # (id, label)
    columns: list[tuple[str, str]]  # (key, label)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    case: str | None = None  # the one case whose stages are the rows (by == "stages")
    # Per row id, the record's banners and its short row mark (composite, illustrative),
    # so no front end shows a synthesis as if it were one CCG.
    banners: dict[str, list[str]] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> Cell:
        return self.cells[(row, column)]

    @property
    def row_kind(self) -> str:
        """What a row is: ``stage`` (one case's story) or ``case``."""
        return "stage" if self.by == "stages" else "case"

    @property
    def title(self) -> str:
        """``Cases × arenas`` or ``Stages of CASE × arenas``, for headings."""
        columns = "arenas" if self.by == "stages" else self.by
        rows = f"Stages of {self.case}" if self.case else "Cases"
        return f"{rows} × {columns}"

    def short_label(self, key: str) -> str:
        return SHORT_LABELS.get(key, key)

    def to_rows(self) -> list[dict[str, str]]:
        """One dict per row: ``case`` plus a cell label per column (for tables/CSV)."""
        return [
            {
                "id": rid,
                "label": label,
                **{ck: self.cell(rid, ck).label() for ck, _ in self.columns},
            }
            for rid, label in self.rows
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "by": self.by,
            **({"case": self.case} if self.case else {}),
            "columns": [{"key": k, "label": v} for k, v in self.columns],
            "rows": [
                {
                    "id": rid,
                    "label": label,
                    "banners": self.banners.get(rid, []),
                    "cells": {
                        ck: {
                            "state": self.cell(rid, ck).state.value,
                            "count": self.cell(rid, ck).count,
                            "statements": [evidence_json(e) for e in self.cell(rid, ck).evidence],
                        }
                        for ck, _ in self.columns
                    },
                }
                for rid, label in self.rows
            ],
        }


def statement_json(item: Statement | Unknown) -> dict[str, object]:
    """A statement's text and provenance, as every JSON view gives it."""
    return {
        "text": item.text,
        "sources": list(item.sources),
        "unknown": isinstance(item, Unknown) or item.unknown,
        "unverified": isinstance(item, Statement) and item.unverified,
        "note": item.note,
    }


def evidence_json(evidence: Evidence) -> dict[str, object]:
    """A statement behind a matrix cell: where it sits in the case, and its provenance."""
    return {"path": evidence.path, **statement_json(evidence.item)}


def matrix(
    dataset: Dataset,
    by: str,
    cases: Sequence[Case] | None = None,
    tags: Mapping[str, Iterable[str]] | None = None,
) -> Matrix:
    """Cases × sectors, arenas or themes (themes include user ``tags`` if given).

    ``by="stages"`` is :func:`stage_arena` for the one case in ``cases``.
    """
    chosen = list(dataset.cases if cases is None else cases)
    if by == "stages":
        if len(chosen) != 1:
            raise ValueError(f"the stages matrix is for one case, not {len(chosen)}")
        return stage_arena(chosen[0])
    rows = [(c.id, c.label) for c in chosen]
    if by == "sectors":
        columns = [(s.value, SECTOR_TITLES[s]) for s in Sector]
        cells = {(c.id, s.value): sector_cell(c, s) for c in chosen for s in Sector}
    elif by == "arenas":
        columns = [(a.value, ARENA_TITLES[a]) for a in Arena]
        cells = {(c.id, a.value): arena_cell(c, a) for c in chosen for a in Arena}
    elif by == "themes":
        case_themes = {c.id: _themes(c, tags) for c in chosen}
        names = sorted({t for ts in case_themes.values() for t in ts})
        columns = [(t, t) for t in names]
        cells = {
            (c.id, t): Cell(CellState.present if t in case_themes[c.id] else CellState.absent)
            for c in chosen
            for t in names
        }
    else:
        raise ValueError(
            f"unknown matrix dimension {by!r}; use one of: {', '.join(ALL_DIMENSIONS)}"
        )
    return Matrix(
        by=by,
        rows=rows,
        columns=columns,
        cells=cells,
        banners={c.id: banners(c) for c in chosen if banners(c)},
        marks={c.id: row_mark(c) for c in chosen if row_mark(c)},
    )


def _themes(case: Case, tags: Mapping[str, Iterable[str]] | None) -> set[str]:
    found = set(case.themes)
    if tags:
        found |= {f"tag:{t}" for t in tags.get(case.id, ())}
    return found


def stage_arena(case: Case) -> Matrix:
    """Stages × arenas for one case: where each step of the redesign happened."""
    columns = [(a.value, ARENA_TITLES[a]) for a in Arena]
    if isinstance(case.story, Unknown):
        cells = {
            ("story", a.value): Cell(CellState.unknown, (Evidence("story", case.story),))
            for a in Arena
        }
        return Matrix(
            "stages",
            [("story", case.story.text)],
            columns,
            cells,
            case=case.id,
            banners={case.id: banners(case)},
        )
    rows = [(s.id, s.title) for s in case.story]
    cells = {}
    for i, stage in enumerate(case.story):
        for arena in Arena:
            if stage.arena is arena:
                cells[(stage.id, arena.value)] = Cell(
                    CellState.present, (Evidence(f"story[{i}]", stage),)
                )
            elif stage.arena is None:
                cells[(stage.id, arena.value)] = Cell(CellState.unknown)
            else:
                cells[(stage.id, arena.value)] = Cell(CellState.absent)
    return Matrix("stages", rows, columns, cells, case=case.id, banners={case.id: banners(case)})


# -- compare ---------------------------------------------------------------------------


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


# -- study at a glance -----------------------------------------------------------------


@dataclass(frozen=True)
class StudyStats:
    study_id: str
    cases_by_kind: dict[str, int]
    statements: int
    sources: int
    unknowns: int
    unverified: int
    phases: list[Phase]
    measures: list[Measure]


def study_stats(dataset: Dataset, study_id: str) -> StudyStats:
    """Counts for a study and its cases; from the store's index when it has them."""
    study = dataset.study(study_id)
    if study is None:
        raise KeyError(study_id)
    cases = [c for c in summaries(dataset.cases) if c.study == study_id]
    kinds = Counter(c.kind for c in cases)
    total = StatementCounts.of(study)
    for case in cases:
        total = total + case.counts
    cited = total.cited | {sid for m in study.team for sid in m.sources}
    return StudyStats(
        study_id=study_id,
        cases_by_kind={k.value: kinds.get(k.value, 0) for k in CaseKind},
        statements=total.statements,
        sources=len(cited),
        unknowns=total.unknowns,
        unverified=total.unverified,
        phases=list(study.phases),
        measures=list(study.measures),
    )


def bar_chart(measures: Sequence[Measure], width: int = 30) -> list[str]:
    """Plain-text bars, one per measure and year; unverified measures are marked."""
    lines: list[str] = []
    for m in measures:
        flag = f"  {UNVERIFIED_MARK.upper()}" if m.unverified else ""
        lines.append(f"{m.label} [{', '.join(m.sources)}]{flag}")
        top = max([100.0] if m.unit == "%" else [abs(v) for v in m.values.values()] or [1.0])
        for year, value in sorted(m.values.items()):
            filled = round(width * value / top) if top else 0
            lines.append(f"  {year}  {'█' * filled}{'░' * (width - filled)} {value:g}{m.unit}")
    return lines
