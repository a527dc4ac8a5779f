"""A study at a glance: counts of its cases, statements, sources, and bar charts of its measures.

Counts come from the store's index rows (``ccgtui.facts``) when it has them, so no case
is read for them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ccgtui.facts import StatementCounts, summaries
from ccgtui.model import CaseKind, Dataset, Measure, Phase
from ccgtui.wording import UNVERIFIED_MARK


@dataclass(frozen=True)
class StudyStats:
    study_id: str
    cases_by_kind: dict[str, int]
    statements: int
    sources: int
    unknowns: int
    unverified: int
    phases: list[Phase]
    measures: list[Measure]


def study_stats(dataset: Dataset, study_id: str) -> StudyStats:
    """Counts for a study and its cases; from the store's index when it has them."""
    study = dataset.study(study_id)
    if study is None:
        raise KeyError(study_id)
    cases = [c for c in summaries(dataset.cases) if c.study == study_id]
    kinds = Counter(c.kind for c in cases)
    total = StatementCounts.of(study)
    for case in cases:
        total = total + case.counts
    cited = total.cited | {sid for m in study.team for sid in m.sources}
    return StudyStats(
        study_id=study_id,
        cases_by_kind={k.value: kinds.get(k.value, 0) for k in CaseKind},
        statements=total.statements,
        sources=len(cited),
        unknowns=total.unknowns,
        unverified=total.unverified,
        phases=list(study.phases),
        measures=list(study.measures),
    )


def bar_chart(measures: Sequence[Measure], width: int = 30) -> list[str]:
    """Plain-text bars, one per measure and year; unverified measures are marked."""
    lines: list[str] = []
    for m in measures:
        flag = f"  {UNVERIFIED_MARK.upper()}" if m.unverified else ""
        lines.append(f"{m.label} [{', '.join(m.sources)}]{flag}")
        top = max([100.0] if m.unit == "%" else [abs(v) for v in m.values.values()] or [1.0])
        for year, value in sorted(m.values.items()):
            filled = round(width * value / top) if top else 0
            lines.append(f"  {year}  {'█' * filled}{'░' * (width - filled)} {value:g}{m.unit}")
    return lines
