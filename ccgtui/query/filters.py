"""Filters decided on each case's facets: which cases pass ``key:value`` and ``-key:value``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ccgtui.facts import Facets, SummarisedCases, case_facets
from ccgtui.filter_keys import FILTERS
from ccgtui.query.language import Filter, Query

if TYPE_CHECKING:
    from ccgtui.model import Case, Dataset


def filter_cases(
    dataset: Dataset, query: Query, tags: Mapping[str, Iterable[str]] | None = None
) -> list[Case]:
    """The cases that pass every filter of ``query`` (its words are ignored).

    Decided on the cases' summaries, so a lazy dataset reads only the cases that pass.
    """
    cases = dataset.cases
    if not isinstance(cases, SummarisedCases):
        return [c for c in cases if passes(case_facets(c), c.id, query.filters, tags)]
    chosen = [s.id for s in cases.summaries if passes(s.facets, s.id, query.filters, tags)]
    return [case for i in chosen if (case := cases.by_id(i)) is not None]


def passes(
    facets: Facets,
    case_id: str,
    filters: Sequence[Filter],
    tags: Mapping[str, Iterable[str]] | None,
) -> bool:
    """Whether a case with these facets passes every filter (``-key:value`` negates)."""
    return all(FILTERS[f.key].matches(facets, case_id, f.value, tags) != f.negate for f in filters)
