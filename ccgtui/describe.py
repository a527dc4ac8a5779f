"""Plain-text views of studies and cases for the CLI (``show``, ``show --section``, ``study``).

Each view is a list of sections ``(title, lines)``; lines are plain strings,
never markup, so any front end can print them literally.  A case is the layout of
:mod:`ccgtui.present.case` formatted by :mod:`ccgtui.present.text`, the same items the
explorer's tabs and the briefings show.  A record's banners
(illustrative, composite) come from :func:`ccgtui.wording.banners`; ``show`` prints
them above whichever sections it prints, so a pasted section keeps them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccgtui.present import case as case_layout
from ccgtui.present.layout import source_ids
from ccgtui.present.source import cited_source_ids, source_refs
from ccgtui.present.study import study_record
from ccgtui.present.text import cite, provenance, section_lines
from ccgtui.present.text import source_lines as ref_lines

if TYPE_CHECKING:  # a case's model, or its view from the cache (``show``: present.views)
    from ccgtui.model import Case as CaseModel
    from ccgtui.model import Dataset as DatasetModel
    from ccgtui.model import Study
    from ccgtui.present.views import CaseView, DatasetView

    Case = CaseModel | CaseView
    Dataset = DatasetModel | DatasetView

__all__ = ["cite", "cited_source_ids", "provenance"]  # shared with glance and the CLI

Section = tuple[str, list[str]]
SOURCES = "Sources"


def case_sections(case: Case, dataset: Dataset) -> list[Section]:
    """Overview, Story, Arenas, Partners, Evidence (the layout of
    :mod:`ccgtui.present.case`) and the Sources they cite, as text."""
    record = case_layout.case_record(case, dataset)
    out: list[Section] = []
    for section in record.sections:
        lines = section_lines(section)
        if section.id == "overview":  # who and what first; the rest are items as everywhere
            lines = [
                f"Case: {case.label}",
                f"Id: {case.id}",
                *(line.removeprefix("- ") for line in lines),
            ]
        out.append((section.title, lines))
    out.append((SOURCES, source_lines(cited_source_ids(case), dataset)))
    return out


def case_section(case: Case, dataset: Dataset, section_id: str) -> list[Section]:
    """One section of ``show --section``, followed by the sources it cites (their level,
    notes and conflicts), so a section pasted on its own keeps its provenance."""
    record = case_layout.case_record(case, dataset)
    if section_id == "sources":
        return [(SOURCES, source_lines(cited_source_ids(case), dataset))]
    chosen = record.section(section_id)
    if chosen is None:
        return []
    shown = next(s for s in case_sections(case, dataset) if s[0] == chosen.title)
    return [shown, (SOURCES, source_lines(source_ids(chosen.walk()), dataset))]


def source_lines(ids: list[str], dataset: Dataset) -> list[str]:
    return ref_lines(source_refs(ids, dataset))


def study_sections(study: Study, dataset: DatasetModel) -> list[Section]:
    """The layout of :mod:`ccgtui.present.study` as text, then the sources it cites."""
    record = study_record(study, dataset)
    out: list[Section] = []
    for section in record.sections:
        lines = section_lines(section)
        if section.id == "overview":
            lines = [f"Study: {study.title}", f"Id: {study.id}", *lines]
        out.append((section.title, lines))
    out.append((SOURCES, source_lines(cited_source_ids(study), dataset)))
    return out


def render_sections(sections: list[Section], banner: list[str] | None = None) -> str:
    """The sections as text, under ``banner`` lines (a record's :func:`banners`)."""
    out: list[str] = [*banner, ""] if banner else []
    for title, lines in sections:
        out += [title, "-" * len(title), *lines, ""]
    return "\n".join(out).rstrip() + "\n"
