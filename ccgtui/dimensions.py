"""The matrix dimensions: one registry entry each, read by every front end.

A dimension names what a matrix's columns are (and, for a one-case dimension such as
``stages``, its rows) and how one cell is worked out from a case.  ``ccgtui matrix
--by`` and ``ccgtui export --by`` take their choices and help from here, the explorer's
Matrix screen its keys, titles and palette entries, and ``ccgtui.analysis.matrix`` builds every
matrix through the entry.  Adding a dimension touches at most two files: its entry here
and, if it derives a new kind of cell, that function in ``facts.py`` (issue 14; before,
four modules each listed the dimensions).

This module imports nothing heavy at import time (the cell functions import the model
when called), so the CLI can list the choices without loading pydantic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.facts import Cell
    from ccgtui.model import Case

Tags = Mapping[str, Iterable[str]]
Columns = list[tuple[str, str]]  # (key, label)


@dataclass(frozen=True)
class Dimension:
    id: str  # what the user types: `ccgtui matrix --by ID`
    key: str  # its key on the explorer's Matrix screen
    name: str  # a word for a key hint or a menu: "Sectors"
    columns_noun: str  # what the columns are, for titles: "Cases × partner sectors"
    help: str  # a phrase for `--by` help
    # The columns for these cases (most dimensions ignore the cases; themes do not).
    columns: Callable[[Sequence[Case], Tags | None], Columns]
    # One case's cell in one column: cases × columns.
    cell: Callable[[Case, str, Tags | None], Cell] | None = None
    # Case fields the cells read: a matrix over the store's cache reads only these.
    reads: tuple[str, ...] = ()
    fixed_columns: bool = True  # the columns do not depend on the cases
    # A one-case dimension (rows are parts of one case, given with --case): its rows,
    # and the cell of one row in one column.
    rows: Callable[[Case], Columns] | None = None
    part_cell: Callable[[Case, str, str], Cell] | None = None

    @property
    def one_case(self) -> bool:
        return self.rows is not None


DIMENSIONS: dict[str, Dimension] = {}


def register(dimension: Dimension) -> Dimension:
    if dimension.id in DIMENSIONS:
        raise ValueError(f"matrix dimension {dimension.id!r} is registered twice")
    if (dimension.cell is None) == (dimension.rows is None):
        raise ValueError(f"matrix dimension {dimension.id!r}: give either cell or rows")
    DIMENSIONS[dimension.id] = dimension
    return dimension


def names(*, one_case: bool | None = None) -> tuple[str, ...]:
    """The registered ids, in registry order (all, or only the (non) one-case ones)."""
    return tuple(d.id for d in DIMENSIONS.values() if one_case is None or d.one_case == one_case)


def lookup(name: str) -> Dimension:
    """The dimension called ``name``; ValueError naming the others if there is none."""
    if name not in DIMENSIONS:
        raise ValueError(f"unknown matrix dimension {name!r}; use one of: {', '.join(DIMENSIONS)}")
    return DIMENSIONS[name]


def help_text() -> str:
    """``--by`` help: each dimension and what its columns are."""
    return "; ".join(f"{d.id}: {d.help}" for d in DIMENSIONS.values())


# -- the dimensions ----------------------------------------------------------------------


def _sector_columns(cases: Sequence[Case], tags: Tags | None) -> Columns:
    from ccgtui.model import SECTOR_TITLES, Sector

    return [(s.value, SECTOR_TITLES[s]) for s in Sector]


def _sector_cell(case: Case, key: str, tags: Tags | None) -> Cell:
    from ccgtui.facts import sector_cell
    from ccgtui.model import Sector

    return sector_cell(case, Sector(key))


def _arena_columns(cases: Sequence[Case], tags: Tags | None = None) -> Columns:
    from ccgtui.model import ARENA_TITLES, Arena

    return [(a.value, ARENA_TITLES[a]) for a in Arena]


def _arena_cell(case: Case, key: str, tags: Tags | None) -> Cell:
    from ccgtui.facts import arena_cell
    from ccgtui.model import Arena

    return arena_cell(case, Arena(key))


def case_themes(case: Case, tags: Tags | None) -> set[str]:
    """The case's themes and, as ``tag:NAME``, the user's tags on it."""
    found = set(case.themes)
    if tags:
        found |= {f"tag:{t}" for t in tags.get(case.id, ())}
    return found


def _theme_columns(cases: Sequence[Case], tags: Tags | None) -> Columns:
    names = sorted({t for c in cases for t in case_themes(c, tags)})
    return [(t, t) for t in names]


def _theme_cell(case: Case, key: str, tags: Tags | None) -> Cell:
    from ccgtui.facts import Cell, CellState

    return Cell(CellState.present if key in case_themes(case, tags) else CellState.absent)


def _stage_rows(case: Case) -> Columns:
    from ccgtui.model import Unknown

    if isinstance(case.story, Unknown):
        return [("story", case.story.text)]
    return [(s.id, s.title) for s in case.story]


def _stage_cell(case: Case, row: str, key: str) -> Cell:
    """Where one stage of the story happened; a story not reported is unknown throughout."""
    from ccgtui.facts import Cell, CellState, Evidence
    from ccgtui.model import Arena, Unknown

    if isinstance(case.story, Unknown):
        return Cell(CellState.unknown, (Evidence("story", case.story),))
    i, stage = next((i, s) for i, s in enumerate(case.story) if s.id == row)
    if stage.arena is Arena(key):
        return Cell(CellState.present, (Evidence(f"story[{i}]", stage),))
    return Cell(CellState.unknown if stage.arena is None else CellState.absent)


register(
    Dimension(
        "sectors",
        "1",
        "Sectors",
        "partner sectors",
        "partner sectors",
        _sector_columns,
        _sector_cell,
        reads=("partners", "story", "sectors_unknown"),
    )
)
register(
    Dimension(
        "arenas",
        "2",
        "Arenas",
        "leadership arenas",
        "leadership arenas",
        _arena_columns,
        _arena_cell,
        reads=("arenas", "story"),
    )
)
register(
    Dimension(
        "themes",
        "3",
        "Themes",
        "themes",
        "themes (your tags included as tag:NAME)",
        _theme_columns,
        _theme_cell,
        reads=("themes",),
        fixed_columns=False,
    )
)
register(
    Dimension(
        "stages",
        "4",
        "Stages",
        "leadership arenas",
        "one case's redesign stages × arenas (with --case)",
        _arena_columns,
        rows=_stage_rows,
        part_cell=_stage_cell,
        reads=("story",),
    )
)
