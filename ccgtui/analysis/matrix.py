"""Framework matrices: cases × a dimension's columns, or one case's parts × columns.

Pure functions over a :class:`~ccgtui.model.Dataset`: no Textual, no printing, so the
CLI, the TUI and the exports share one answer.  What the columns are and how a cell is
worked out is the dimension's registry entry (:mod:`ccgtui.dimensions`).

A matrix cell is *present* (statements say so), *absent* (the case records the field
and says nothing for this column) or *unknown* (the field is marked unknown in the case
file).  Unknown is never folded into absent: for the six in-depth cases the sources are
silent, which is not the same as "no partners".

:func:`matrix_stream` gives the rows one at a time, so ``ccgtui matrix`` at 10,000
cases holds one row, not the matrix; over the store's cache each case is read from its
JSON with only the fields the dimension reads, never validated again
(:mod:`ccgtui.light_cases`; issue 16).  :func:`matrix` collects the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ccgtui.bulk import gc_paused
from ccgtui.dimensions import Dimension, lookup
from ccgtui.facts import Cell as Cell
from ccgtui.facts import CellState as CellState
from ccgtui.facts import Evidence as Evidence
from ccgtui.json_safe import made_safe
from ccgtui.light_cases import RawCases, light_case
from ccgtui.model import Case, Dataset, Statement, Unknown
from ccgtui.wording import banners, row_mark

Tags = Mapping[str, Iterable[str]]

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


def compact_json(data: Any) -> str:
    """One line of JSON by the C encoder, keys in the order given, nothing a terminal acts on."""
    return made_safe(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


@dataclass(frozen=True)
class MatrixRow:
    id: str
    label: str
    cells: dict[str, Cell]
    banners: list[str] = field(default_factory=list)  # a composite or illustrative case's
    mark: str = ""  # its short row mark (composite, illustrative)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "label": self.label,
            "banners": self.banners,
            "cells": {
                key: {
                    "state": cell.state.value,
                    "count": cell.count,
                    "statements": [evidence_json(e) for e in cell.evidence],
                }
                for key, cell in self.cells.items()
            },
        }


class _Shaped:
    """What a matrix is of: its dimension, columns and (one-case dimensions) its case."""

    by: str
    case: str | None
    columns: list[tuple[str, str]]

    @property
    def dimension(self) -> Dimension:
        return lookup(self.by)

    @property
    def row_kind(self) -> str:
        """What a row is: ``stage`` (one case's story) or ``case``."""
        return "stage" if self.case else "case"

    @property
    def title(self) -> str:
        """``Cases × arenas`` or ``Stages of CASE × arenas``, for headings."""
        columns = "arenas" if self.case else self.by
        rows = f"Stages of {self.case}" if self.case else "Cases"
        return f"{rows} × {columns}"

    def short_label(self, key: str) -> str:
        return SHORT_LABELS.get(key, key)

    def head_json(self) -> dict[str, object]:
        return {
            "by": self.by,
            **({"case": self.case} if self.case else {}),
            "columns": [{"key": k, "label": v} for k, v in self.columns],
        }


@dataclass(frozen=True)
class Matrix(_Shaped):
    by: str
    rows: list[tuple[str, str]]  # (id, label)
    columns: list[tuple[str, str]]  # (key, label)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    case: str | None = None  # the one case whose parts are the rows (by == "stages")
    # Per row id (or the one case's id), the record's banners and its short row mark
    # (composite, illustrative), so no front end shows a synthesis as if it were one CCG.
    banners: dict[str, list[str]] = field(default_factory=dict)
    marks: dict[str, str] = field(default_factory=dict)

    def cell(self, row: str, column: str) -> Cell:
        return self.cells[(row, column)]

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

    def row(self, rid: str, label: str) -> MatrixRow:
        cells = {ck: self.cell(rid, ck) for ck, _ in self.columns}
        return MatrixRow(rid, label, cells, self.banners.get(rid, []), self.marks.get(rid, ""))

    def to_json(self) -> dict[str, object]:
        rows = [self.row(rid, label).to_json() for rid, label in self.rows]
        return {**self.head_json(), "rows": rows}


@dataclass
class MatrixStream(_Shaped):
    """A matrix whose rows come one at a time (read once: ``rows`` is an iterator)."""

    by: str
    columns: list[tuple[str, str]]
    count: int  # how many rows will come
    rows: Iterator[MatrixRow]
    case: str | None = None
    case_banners: list[str] = field(default_factory=list)  # the one case's, if one case

    def collect(self) -> Matrix:
        with gc_paused():  # 10k rows of cells: nothing cyclic, no collections meanwhile
            rows = list(self.rows)
        bans = {r.id: r.banners for r in rows if r.banners}
        if self.case:
            bans = {self.case: self.case_banners}
        return Matrix(
            by=self.by,
            rows=[(r.id, r.label) for r in rows],
            columns=self.columns,
            cells={(r.id, k): c for r in rows for k, c in r.cells.items()},
            case=self.case,
            banners=bans,
            marks={r.id: r.mark for r in rows if r.mark},
        )

    def label_rows(self) -> tuple[list[dict[str, str]], list[str]]:
        """Each row's cell labels (``id``, ``label`` with the row's marks, one per column)
        and the banner lines (``id: banner``); each row's statements are dropped as read."""
        rows: list[dict[str, str]] = []
        notices: list[str] = []
        for made in self.rows:
            cells = {key: cell.label() for key, cell in made.cells.items()}
            rows.append({"id": made.id, "label": made.label + made.mark, **cells})
            notices += [f"{made.id}: {line}" for line in made.banners]
        if self.case:
            notices = [f"{self.case}: {line}" for line in self.case_banners]
        return rows, notices

    def json_chunks(self) -> Iterator[str]:
        """:meth:`Matrix.to_json` as compact JSON, one row a line, row by row."""
        yield compact_json(self.head_json())[:-1] + ',"rows":['
        for n, row in enumerate(self.rows):
            yield ("," if n else "") + "\n" + compact_json(row.to_json())
        yield "\n]}\n"


def matrix_stream(
    dataset: Dataset,
    by: str,
    cases: Sequence[Case] | None = None,
    tags: Tags | None = None,
) -> MatrixStream:
    """The rows of :func:`matrix`, one at a time; ValueError for an unknown dimension."""
    dim = lookup(by)
    chosen = dataset.cases if cases is None else cases
    if dim.rows is not None and dim.part_cell is not None:
        if len(chosen) != 1:
            raise ValueError(f"the {by} matrix is for one case, not {len(chosen)}")
        return _one_case(dim, chosen[0], tags)
    if dim.fixed_columns:
        columns = dim.columns([], tags)
        every: Iterable[Case] = _cases(chosen, dim)
    else:  # the columns come from the cases: read them first (only the fields it reads)
        every = list(_cases(chosen, dim))
        columns = dim.columns(every, tags)
    return MatrixStream(by, columns, len(chosen), _rows(dim, every, columns, tags))


def matrix(
    dataset: Dataset,
    by: str,
    cases: Sequence[Case] | None = None,
    tags: Tags | None = None,
) -> Matrix:
    """Cases × sectors, arenas or themes (themes include user ``tags`` if given), or any
    other registered dimension; ``by="stages"``: the stages of the one case in ``cases``."""
    return matrix_stream(dataset, by, cases, tags).collect()


def stage_arena(case: Case) -> Matrix:
    """Stages × arenas for one case: where each step of the redesign happened."""
    return _one_case(lookup("stages"), case, None).collect()


def _cases(chosen: Sequence[Case], dim: Dimension) -> Iterator[Case]:
    """The cases, built from the cache's JSON (no validation) when the store holds them."""
    if isinstance(chosen, RawCases):
        for i in range(len(chosen)):
            yield light_case(chosen.raw(i), dim.reads)
    else:
        yield from chosen


def _rows(
    dim: Dimension, cases: Iterable[Case], columns: list[tuple[str, str]], tags: Tags | None
) -> Iterator[MatrixRow]:
    cell = dim.cell
    assert cell is not None
    for case in cases:
        cells = {key: cell(case, key, tags) for key, _ in columns}
        yield MatrixRow(case.id, case.label, cells, banners(case), row_mark(case))


def _one_case(dim: Dimension, case: Case, tags: Tags | None) -> MatrixStream:
    assert dim.rows is not None and dim.part_cell is not None
    part_cell = dim.part_cell
    rows = dim.rows(case)
    columns = dim.columns([case], tags)
    made = (
        MatrixRow(rid, label, {key: part_cell(case, rid, key) for key, _ in columns})
        for rid, label in rows
    )
    return MatrixStream(dim.id, columns, len(rows), made, case.id, banners(case))
