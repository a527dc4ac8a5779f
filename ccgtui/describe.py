"""Plain-text views of studies and cases for the CLI (``show``, ``show --section``, ``study``).

Each view is a list of sections ``(title, lines)``; lines are plain strings,
never markup, so any front end can print them literally.  A case is the layout of
:mod:`ccgtui.present.case` formatted by :mod:`ccgtui.present.text`, the same items the
explorer's tabs and the briefings show.  A record's banners
(illustrative, composite) come from :func:`ccgtui.wording.banners`; ``show`` prints
them above whichever sections it prints, so a pasted section keeps them.
"""

from __future__ import annotations

from ccgtui.model import Case, Dataset, Study
from ccgtui.present import case as case_layout
from ccgtui.present.layout import source_ids
from ccgtui.present.source import cited_source_ids, source_refs
from ccgtui.present.text import cite, provenance, section_lines
from ccgtui.present.text import source_lines as ref_lines
from ccgtui.wording import NONE_RECORDED

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


def study_sections(study: Study, dataset: Dataset) -> list[Section]:
    overview = [f"Study: {study.title}", f"Id: {study.id}"]
    overview += [f"Also titled: {cite(t)}" for t in study.titles]
    for label, value in (
        ("Funder", study.funder),
        ("Project number", study.project_number),
        ("Grant", study.grant),
    ):
        if value:
            overview.append(f"{label}: {cite(value)}")
    overview += [f"Dates: {cite(d)}" for d in study.dates]
    overview += [f"Context: {cite(c)}" for c in study.context]
    if study.scope:
        overview += [f"Scope: {cite(s)}" for s in study.scope]
    team = [f"- {m.name}, {m.role}, {m.institution} [{', '.join(m.sources)}]" for m in study.team]
    objectives = [f"Overall: {cite(study.objective)}"] if study.objective else []
    objectives += [f"{n}. {cite(o)}" for n, o in enumerate(study.objectives, 1)]
    phases = [
        f"{p.number}. {p.name}{f' ({p.period})' if p.period else ''}: {cite(p)}"
        for p in study.phases
    ]
    surveys = [
        f"- {s.year}: {cite(s.population)}; mode: {cite(s.mode)}; response: {cite(s.response)}"
        for s in study.surveys
    ]
    for m in study.measures:
        values = ", ".join(f"{year}: {value:g}{m.unit}" for year, value in sorted(m.values.items()))
        surveys.append(f"- {m.label}: {values}. {cite(m)}")
    concepts = [f"- {c.name} ({c.kind}): {cite(c)}" for c in study.concepts]
    related = [dataset.study(r) for r in study.related]
    findings = [f"- {cite(f)}" for f in study.findings]
    findings += [f"Related study: {r.title} [{r.id}]" for r in related if r]
    return [
        ("Overview", overview),
        ("Team", team or [NONE_RECORDED]),
        ("Objectives", objectives or [NONE_RECORDED]),
        ("Phases", phases or [NONE_RECORDED]),
        ("Participants", [f"- {cite(p)}" for p in study.participants] or [NONE_RECORDED]),
        ("Methods", [f"- {cite(m)}" for m in study.methods] or [NONE_RECORDED]),
        ("Surveys", surveys or [NONE_RECORDED]),
        ("Concepts", concepts or [NONE_RECORDED]),
        ("Findings", findings or [NONE_RECORDED]),
        ("Unknowns", [f"- {cite(u)}" for u in study.unknowns] or [NONE_RECORDED]),
        ("Sources", source_lines(cited_source_ids(study), dataset)),
    ]


def render_sections(sections: list[Section], banner: list[str] | None = None) -> str:
    """The sections as text, under ``banner`` lines (a record's :func:`banners`)."""
    out: list[str] = [*banner, ""] if banner else []
    for title, lines in sections:
        out += [title, "-" * len(title), *lines, ""]
    return "\n".join(out).rstrip() + "\n"
