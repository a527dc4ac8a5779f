"""A cited source as every front end shows it: its reference and its provenance.

The level (primary, secondary, unverified), the notes (where two records disagree, a
note saying so: a conflict), the recorded variants and the illustrative flag travel with
the reference, so a front end that lists a source cannot leave them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a model or its view (present.views)
    from ccgtui.model import Case, Dataset, Source, Statement, Study, Unknown
    from ccgtui.present.views import (
        CaseView,
        DatasetView,
        SourceView,
        StatementView,
        UnknownView,
    )


@dataclass(frozen=True)
class SourceRef:
    id: str
    citation: str = ""  # the one-line reference, every recorded variant in it
    level: str = ""
    url: str | None = None
    notes: list[str] = field(default_factory=list)
    illustrative: bool = False
    defined: bool = True  # False: cited but not in the sources file
    variants: int = 0

    @property
    def level_text(self) -> str:
        return f"level: {self.level}"

    @property
    def conflicts(self) -> list[str]:
        """The notes that record a disagreement between sources (``Conflict of ...``)."""
        return [n for n in self.notes if "conflict" in n.casefold()]

    @property
    def disputed(self) -> bool:
        """Do its records disagree (a conflict note or a recorded variant)?"""
        return bool(self.conflicts) or self.variants > 0


def source_ref(source_id: str, source: Source | SourceView | None) -> SourceRef:
    if source is None:
        return SourceRef(source_id, defined=False)
    return SourceRef(
        source.id,
        source.citation(),
        source.level.value,
        source.url,
        list(source.notes),
        source.illustrative,
        variants=len(source.variants),
    )


def source_refs(ids: Iterable[str], dataset: Dataset | DatasetView) -> list[SourceRef]:
    """The references of ``ids``, in that order."""
    smap = dataset.source_map
    return [source_ref(sid, smap.get(sid)) for sid in ids]


def cited_source_ids(obj: Case | Study | CaseView) -> list[str]:
    """Source ids cited anywhere in ``obj`` (team members too), in first-cited order.

    A record's view (:mod:`ccgtui.present.views`) is walked as its model would be.
    """
    from ccgtui.present.views import View, statements

    seen: dict[str, None] = {}
    if isinstance(obj, View):
        found: Iterable[Statement | Unknown | StatementView | UnknownView] = statements(obj)
    else:
        from ccgtui.model import iter_statements  # the models: only on this path

        found = (statement for _, statement in iter_statements(obj))
    for statement in found:
        for sid in statement.sources:
            seen.setdefault(sid, None)
    for member in getattr(obj, "team", []):
        for sid in member.sources:
            seen.setdefault(sid, None)
    return list(seen)
