"""The filter keys of the query language (``key:value``): one registry entry each.

An entry says which values the key takes, gives an example for messages, and decides
whether a case passes (its evaluator).  ``ccgtui list``/``search``/``matrix``/``export``,
the explorer's case-list filter and its search all parse with :func:`ccgtui.query.parse_query`
and decide with these evaluators, so a key means one thing everywhere.

Adding a key touches two files: this registry and, for a key decided on the case,
:func:`ccgtui.facts.case_facets`, which derives the ``key:value`` facets the store's
index keeps (bump ``FACTS_VERSION`` there).  A key decided on the user's tags needs no facet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ccgtui.facts import Facets
from ccgtui.model import Arena, CaseKind, Sector

Tags = Mapping[str, Iterable[str]]


@dataclass(frozen=True)
class FilterKey:
    key: str
    example: str  # a value for messages ("needs a value, e.g. theme:frail-elderly")
    values: Callable[[], Sequence[str]] | None = None  # the allowed values; None: any text
    on_tags: bool = False  # decided on the user's tags, not on the case's facets
    fold_case: bool = False  # values compared lower-cased (themes and tags)

    def allowed(self) -> Sequence[str] | None:
        return None if self.values is None else self.values()

    def wanted(self, value: str) -> str:
        """The value as facets (or tags) hold it."""
        return value.lower() if self.fold_case else value

    def matches(self, facets: Facets, case_id: str, value: str, tags: Tags | None) -> bool:
        """Whether a case with these facets (and the user's ``tags``) has ``key:value``."""
        if self.on_tags:
            return self.wanted(value) in {t.lower() for t in (tags or {}).get(case_id, ())}
        return (self.key, self.wanted(value)) in facets

    def having(self, facets: Mapping[str, Facets], value: str, tags: Tags | None) -> set[str]:
        """The ids among ``facets``' cases that have ``key:value`` (one pass, for an index)."""
        wanted = self.wanted(value)
        if self.on_tags:
            return {c for c, ts in (tags or {}).items() if wanted in map(str.lower, ts)}
        pair = (self.key, wanted)
        return {c for c, found in facets.items() if pair in found}


FILTERS: dict[str, FilterKey] = {
    f.key: f
    for f in (
        FilterKey("study", "ccg-clinical-leadership"),
        FilterKey("kind", CaseKind.in_depth.value, lambda: [k.value for k in CaseKind]),
        FilterKey("arena", Arena.board.value, lambda: [a.value for a in Arena]),
        FilterKey("sector", Sector.social_work.value, lambda: [s.value for s in Sector]),
        FilterKey("theme", "frail-elderly", fold_case=True),
        FilterKey("tag", "follow-up", on_tags=True, fold_case=True),
        FilterKey("has", "unknowns", lambda: ["unknowns"]),
        FilterKey("is", "unverified", lambda: ["unverified", "illustrative"]),
    )
}
FILTER_KEYS = tuple(FILTERS)
