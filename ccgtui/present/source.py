"""A cited source as every front end shows it: its reference and its provenance.

The level (primary, secondary, unverified), the notes (where two records disagree, a
note saying so: a conflict), the recorded variants and the illustrative flag travel with
the reference, so a front end that lists a source cannot leave them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ccgtui.model import Case, Dataset, Source, Study, iter_statements


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


def source_ref(source_id: str, source: Source | None) -> SourceRef:
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


def source_refs(ids: Iterable[str], dataset: Dataset) -> list[SourceRef]:
    """The references of ``ids``, in that order."""
    smap = dataset.source_map
    return [source_ref(sid, smap.get(sid)) for sid in ids]


def cited_source_ids(obj: Case | Study) -> list[str]:
    """Source ids cited anywhere in ``obj`` (team members too), in first-cited order."""
    seen: dict[str, None] = {}
    for _, found in iter_statements(obj):
        for sid in found.sources:
            seen.setdefault(sid, None)
    for member in getattr(obj, "team", []):
        for sid in member.sources:
            seen.setdefault(sid, None)
    return list(seen)
