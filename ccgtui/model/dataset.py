"""A whole validated case folder: studies, sources and cases, found by id."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from ccgtui.model.case import Case
from ccgtui.model.source import Source
from ccgtui.model.study import Study


class Dataset(BaseModel):
    """A whole validated case folder."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built on first use

    studies: list[Study]
    sources: list[Source]
    # A list when loaded from a folder; the store may hand out a lazy view
    # (ccgtui.lazy_cases) that validates each case as it is read.
    cases: Sequence[Case]

    def study(self, study_id: str) -> Study | None:
        return next((s for s in self.studies if s.id == study_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def case(self, case_id: str) -> Case | None:
        by_id = getattr(self.cases, "by_id", None)  # a lazy view finds it without a scan
        if by_id is not None:
            found: Case | None = by_id(case_id)
            return found
        return next((c for c in self.cases if c.id == case_id), None)

    @property
    def source_map(self) -> dict[str, Source]:
        return {s.id: s for s in self.sources}
