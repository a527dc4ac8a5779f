"""Cases read from the cache file one at a time, so 10,000 of them need not sit in memory.

A validated :class:`~ccgtui.model.Case` costs about 30 KB of Python objects; the
same case as JSON in the cache is about 6 KB, and on disk it costs nothing.
:class:`LazyCases` keeps only the byte range of each case (from the store's
index) and an open descriptor of the cache file, and validates a case when it
is asked for, keeping the most recently used few hundred.

The descriptor pins the file as it was when opened: if another ccgtui process
reloads the folder, it replaces the file by rename, and this view goes on
reading the old one, a consistent snapshot, until the store is opened again.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, overload

from ccgtui.analysis import StatementCounts
from ccgtui.model import Case, iter_statements
from ccgtui.query import Facets, case_facets, share_facets

KEPT_VALIDATED = 512


@dataclass(frozen=True)
class CaseSummary:
    """What lists, lookups and filters need of a case, without validating the case."""

    id: str
    label: str
    kind: str
    study: str
    illustrative: bool
    facets: Facets = frozenset()  # every key:value filter it passes (see query.case_facets)
    # for the study's "at a glance" totals, without reading the cases
    counts: StatementCounts = field(default_factory=StatementCounts)

    @classmethod
    def of(cls, case: Case) -> CaseSummary:
        statements = list(iter_statements(case))  # walked once for both (a third of a load)
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


def summaries(cases: Sequence[Case]) -> list[CaseSummary]:
    """The summaries of ``cases``: free for a lazy view, one pass for a list."""
    if isinstance(cases, LazyCases):
        return list(cases.summaries)
    return [CaseSummary.of(c) for c in cases]


class LazyCases(Sequence[Case]):
    """A read-only sequence of the cases in a cache file (see the module docstring)."""

    def __init__(
        self,
        path: Path,
        spans: Sequence[tuple[int, int]],
        ids: Sequence[str],
        summaries: Callable[[], Sequence[CaseSummary]],
    ) -> None:
        """``summaries`` is called the first time they are wanted (``show`` never needs them)."""
        if len(spans) != len(ids):
            raise ValueError("one byte range per case id expected")
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._spans = list(spans)
        self._ids = list(ids)
        self._position = {case_id: i for i, case_id in enumerate(self._ids)}
        self._make_summaries = summaries
        self._summaries: tuple[CaseSummary, ...] | None = None
        self._load = lru_cache(maxsize=KEPT_VALIDATED)(self._validate)

    @property
    def summaries(self) -> tuple[CaseSummary, ...]:
        if self._summaries is None:
            self._summaries = tuple(self._make_summaries())
        return self._summaries

    def _validate(self, i: int) -> Case:
        start, end = self._spans[i]
        raw = os.pread(self._fd, end - start, start)
        case = Case.model_validate_json(raw)
        if case.id != self._ids[i]:  # the index and the file disagree
            raise ValueError(f"cache entry {i} holds {case.id!r}, expected {self._ids[i]!r}")
        return case

    def __len__(self) -> int:
        return len(self._spans)

    @overload
    def __getitem__(self, i: int) -> Case: ...
    @overload
    def __getitem__(self, i: slice) -> list[Case]: ...
    def __getitem__(self, i: int | slice) -> Case | list[Case]:
        if isinstance(i, slice):
            return [self._load(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("case index out of range")
        return self._load(i)

    def __iter__(self) -> Iterator[Case]:
        for i in range(len(self)):
            yield self._load(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def validated_count(self) -> int:
        """How many cases are held validated right now (for tests and benchmarks)."""
        return self._load.cache_info().currsize

    def by_id(self, case_id: str) -> Case | None:
        i = self._position.get(case_id)
        return None if i is None else self._load(i)

    def __repr__(self) -> str:
        return f"<LazyCases: {len(self)} cases>"
