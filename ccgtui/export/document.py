"""The briefing's records (Markdown and HTML): the layout of each study and case
(:mod:`ccgtui.present`), the references numbered in order of first citation.

The layout itself is :mod:`ccgtui.present`'s, the one ``show`` and the explorer format
too; each briefing format only decides how an item, a citation and a heading look.
"""

from __future__ import annotations

from ccgtui.export.selection import Progress, Selection
from ccgtui.present.case import case_record
from ccgtui.present.layout import Record, source_ids
from ccgtui.present.source import SourceRef, source_refs
from ccgtui.present.study import study_record


def build(selection: Selection, progress: Progress | None = None) -> list[Record]:
    dataset = selection.dataset
    records = [study_record(s) for s in selection.studies] if selection.what != "case" else []
    if selection.what != "study":
        total = len(selection.cases)
        for n, case in enumerate(selection.cases, 1):
            records.append(case_record(case, dataset))
            if progress is not None:
                progress(n, total)
    return records


def citation_order(records: list[Record]) -> dict[str, int]:
    """Source id -> reference number, in order of first citation."""
    ids = source_ids(it for record in records for it in record.walk())
    return {sid: n for n, sid in enumerate(ids, 1)}


def references(records: list[Record], selection: Selection) -> list[tuple[int, SourceRef]]:
    """The numbered reference list: every cited source with its level, notes and flags."""
    order = citation_order(records)
    return list(zip(order.values(), source_refs(order, selection.dataset), strict=True))
