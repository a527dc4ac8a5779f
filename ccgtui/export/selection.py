"""What to export (:class:`Selection`) and why it cannot be (:class:`ExportError`).

A small module of its own so that the format modules import it rather than the
``ccgtui.export`` package, which imports the format registry: no import loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.model import Case, Dataset, Source, Study

SCHEMA_VERSION = 1  # of the JSON export

Progress = Callable[[int, int], None]


class ExportError(Exception):
    """The export cannot be written; the message says why."""


@dataclass
class Selection:
    """What to export: studies, cases (in order) and the sources they cite."""

    dataset: Dataset
    what: str = "cases"  # study | cases | case | matrix
    cases: list[Case] = field(default_factory=list)
    by: str = "sectors"  # matrix dimension
    tags: dict[str, list[str]] | None = None  # the user's tags (case id -> tags), for themes

    @property
    def studies(self) -> list[Study]:
        if self.what == "study" or not self.cases:
            return list(self.dataset.studies)
        wanted = {c.study for c in self.cases}
        return [s for s in self.dataset.studies if s.id in wanted]

    def cited_sources(self) -> list[Source]:
        """Sources cited by the selection, in the dataset's order."""
        from ccgtui.model import iter_statements

        ids: set[str] = set()
        records: Sequence[Study | Case] = [*self.studies, *self.cases]
        for record in records:
            for _, item in iter_statements(record):
                ids.update(item.sources)
            for member in getattr(record, "team", []):
                ids.update(member.sources)
        return [s for s in self.dataset.sources if s.id in ids]
