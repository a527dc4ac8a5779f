"""What one case says, derived once: matrix cells, filter facets, statement counts, its index row.

The store keeps each case's :class:`CaseSummary` as a row of its index, so lists, filters
and the study's totals never read a case.  Those rows are cached answers of the code in
this module: when the code changes what a row holds, an index built by the older code
must not be trusted.  The index records :data:`FACTS_VERSION` and is rebuilt when it
differs, and ``tests/test_facts.py`` keeps a golden row that fails until the version is
bumped (a hand-bumped number in the store was easy to forget: issue 14).

Everything here depends on the model alone, so the store (which writes the rows), query
(which filters on them) and analysis (which draws matrices from the same cells) all
depend on this module instead of on each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ccgtui.model.vocabularies import Arena, Sector


class Later:
    """A module imported on first attribute use; each name is then a plain attribute.

    ``list`` and ``export json`` read no case as a model, so the pydantic models (about
    a third of a bare command's start) are imported only when a case is (issue 16).
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        value = getattr(importlib.import_module(self._name), attr)
        setattr(self, attr, value)
        return value


if TYPE_CHECKING:
    from ccgtui.model import Case, Statement, StatementRef, Study, Unknown
    from ccgtui.model import statements as _st
else:
    _st = Later("ccgtui.model.statements")

FACTS_VERSION = 4
"""Bump when a case's index row changes (what ``CaseSummary.of`` derives or ``as_row`` writes).

History (the first three were the store's INDEX_VERSION): 2, rows carry filter facets;
3, and statement counts; 4, the version moved here and is recorded as ``facts_version``.
"""


# -- matrix cells ----------------------------------------------------------------------


class CellState(StrEnum):
    present = "present"
    absent = "absent"
    unknown = "unknown"


SYMBOLS = {CellState.present: "✓", CellState.absent: "·", CellState.unknown: "?"}


@dataclass(frozen=True)
class Evidence:
    """A statement behind a cell, with where it sits in the case."""

    path: str
    item: Statement | Unknown


@dataclass(frozen=True)
class Cell:
    state: CellState
    evidence: tuple[Evidence, ...] = ()

    @property
    def count(self) -> int:
        """Statements behind a present cell (unknown markers are not counted)."""
        return sum(1 for e in self.evidence if not is_unknown(e.item))

    def label(self) -> str:
        if self.state is CellState.present:
            return f"{SYMBOLS[self.state]} {self.count}" if self.count else SYMBOLS[self.state]
        return SYMBOLS[self.state]


def is_unknown(item: Statement | Unknown) -> bool:
    return isinstance(item, _st.Unknown) or item.unknown


def sector_cell(case: Case, sector: Sector) -> Cell:
    evidence: list[Evidence] = []
    if isinstance(case.partners, list):
        evidence += [
            Evidence(f"partners[{i}]", p) for i, p in enumerate(case.partners) if p.sector == sector
        ]
    if isinstance(case.story, list):
        evidence += [
            Evidence(f"story[{i}]", s) for i, s in enumerate(case.story) if sector in s.sectors
        ]
    if evidence:
        return Cell(CellState.present, tuple(evidence))
    if isinstance(case.partners, _st.Unknown):
        return Cell(CellState.unknown, (Evidence("partners", case.partners),))
    silent = case.sectors_unknown
    if silent is not None and sector in silent.sectors:
        return Cell(CellState.unknown, (Evidence("sectors_unknown", silent),))
    return Cell(CellState.absent)


def arena_cell(case: Case, arena: Arena) -> Cell:
    entry = case.arenas.get(arena)
    evidence: list[Evidence] = []
    if isinstance(entry, list):
        evidence += [Evidence(f"arenas.{arena.value}[{i}]", s) for i, s in enumerate(entry)]
    if isinstance(case.story, list):
        evidence += [
            Evidence(f"story[{i}]", s) for i, s in enumerate(case.story) if s.arena is arena
        ]
    if any(not is_unknown(e.item) for e in evidence):
        return Cell(CellState.present, tuple(evidence))
    if isinstance(entry, _st.Unknown):
        return Cell(CellState.unknown, (Evidence(f"arenas.{arena.value}", entry),))
    if entry is None and isinstance(case.story, _st.Unknown):
        return Cell(CellState.unknown, (Evidence("story", case.story),))
    return Cell(CellState.absent)


# -- statement counts ------------------------------------------------------------------


@dataclass(frozen=True)
class StatementCounts:
    """How many statements a record holds, how many are unknown or unverified, what it cites."""

    statements: int = 0
    unknowns: int = 0
    unverified: int = 0
    cited: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, record: Case | Study, statements: Iterable[StatementRef] | None = None
    ) -> StatementCounts:
        """``statements``: the record's ``iter_statements``, when the caller has them."""
        pairs = _st.iter_statements(record) if statements is None else statements
        items = [i for _, i in pairs]
        return cls(
            statements=len(items),
            unknowns=sum(1 for i in items if is_unknown(i)),
            unverified=sum(1 for i in items if isinstance(i, _st.Statement) and i.unverified),
            cited=frozenset(sid for i in items for sid in i.sources),
        )

    def __add__(self, other: StatementCounts) -> StatementCounts:
        return StatementCounts(
            self.statements + other.statements,
            self.unknowns + other.unknowns,
            self.unverified + other.unverified,
            self.cited | other.cited,
        )


# -- filter facets ---------------------------------------------------------------------

Facets = frozenset[tuple[str, str]]
_FACET_CACHE: dict[tuple[str, str], tuple[str, str]] = {}


def case_facets(case: Case, statements: Iterable[StatementRef] | None = None) -> Facets:
    """Every ``key:value`` filter (except ``tag``) the case passes, worked out once.

    The search index keeps these per case, so filtering 10,000 cases never has
    to read the cases again.  ``statements``: the case's ``iter_statements``, when
    the caller has them already (walking a case is most of the index build).
    """
    refs = _st.iter_statements(case) if statements is None else statements
    items = [item for _, item in refs]
    found = [("study", case.study), ("kind", case.kind.value)]
    found += [("arena", a.value) for a in present_arenas(case)]
    found += [("sector", s.value) for s in present_sectors(case)]
    found += [("theme", t.lower()) for t in case.themes]
    if any(is_unknown(i) for i in items):
        found.append(("has", "unknowns"))
    if any(isinstance(i, _st.Statement) and i.unverified for i in items):
        found.append(("is", "unverified"))
    if case.illustrative:
        found.append(("is", "illustrative"))
    return share_facets(found)


def present_arenas(case: Case) -> set[Arena]:
    """The arenas whose :func:`arena_cell` is present, without building the cells.

    Present: a statement that is not unknown under the arena, or a stage in it
    that is not unknown (``tests/test_load_speed_facts.py`` holds it to the cells).
    """
    found = {
        arena
        for arena, entry in case.arenas.items()
        if isinstance(entry, list) and any(not is_unknown(s) for s in entry)
    }
    if isinstance(case.story, list):
        found.update(s.arena for s in case.story if s.arena is not None and not s.unknown)
    return found


def present_sectors(case: Case) -> set[Sector]:
    """The sectors whose :func:`sector_cell` is present: named by a partner or a stage."""
    found: set[Sector] = set()
    if isinstance(case.partners, list):
        found.update(p.sector for p in case.partners)
    if isinstance(case.story, list):
        for stage in case.story:
            found.update(stage.sectors)
    return found


def share_facets(pairs: Iterable[tuple[str, str]]) -> Facets:
    """The facets as a frozenset whose (key, value) tuples are shared across cases."""
    return frozenset(_FACET_CACHE.setdefault(p, p) for p in pairs)


# -- the case summary and its index row ------------------------------------------------

ROW_FIELDS = 7  # id, label, kind, study, illustrative, facets, counts (CaseSummary.as_row)


@dataclass(frozen=True)
class CaseSummary:
    """What lists, lookups and filters need of a case, without validating the case."""

    id: str
    label: str
    kind: str
    study: str
    illustrative: bool
    facets: Facets = frozenset()  # every key:value filter it passes (see case_facets)
    # for the study's "at a glance" totals, without reading the cases
    counts: StatementCounts = field(default_factory=StatementCounts)

    @classmethod
    def of(cls, case: Case) -> CaseSummary:
        statements = list(_st.iter_statements(case))  # walked once for both (a third of a load)
        return cls(
            case.id,
            case.label,
            case.kind.value,
            case.study,
            case.illustrative,
            case_facets(case, statements),
            StatementCounts.of(case, statements),
        )

    def as_row(self) -> list[object]:
        """A compact JSON row for the store's index."""
        facets = sorted(f"{key}:{value}" for key, value in self.facets)
        c = self.counts
        counts = [c.statements, c.unknowns, c.unverified, sorted(c.cited)]
        return [self.id, self.label, self.kind, self.study, self.illustrative, facets, counts]

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> CaseSummary:
        case_id, label, kind, study, flag, facets, (statements, unknowns, unverified, cited) = row
        pairs = (str(f).split(":", 1) for f in facets)
        return cls(
            str(case_id),
            str(label),
            str(kind),
            str(study),
            bool(flag),
            share_facets((key, value) for key, value in pairs),
            StatementCounts(int(statements), int(unknowns), int(unverified), frozenset(cited)),
        )

    @property
    def themes(self) -> list[str]:
        return sorted(value for key, value in self.facets if key == "theme")


@runtime_checkable
class SummarisedCases(Protocol):
    """Cases that carry their summaries (the store's lazy view: ``ccgtui.lazy_cases``)."""

    @property
    def summaries(self) -> Sequence[CaseSummary]: ...

    def by_id(self, case_id: str) -> Case | None: ...


def summaries(cases: Sequence[Case]) -> list[CaseSummary]:
    """The summaries of ``cases``: free for a lazy view, one pass for a list."""
    if isinstance(cases, SummarisedCases):
        return list(cases.summaries)
    return [CaseSummary.of(c) for c in cases]
