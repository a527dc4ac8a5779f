"""The shape shared by the Markdown and HTML briefings: records, sections, items.

Building it once keeps the two formats saying the same things; each format
only decides how an item, a citation and a heading look.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ccgtui.export import Progress, Selection
from ccgtui.model import (
    ARENA_TITLES,
    SECTOR_TITLES,
    Arena,
    Case,
    Sector,
    Statement,
    Study,
    Unknown,
)
from ccgtui.wording import NOT_REPORTED, banners


@dataclass
class Item:
    text: str
    sources: list[str] = field(default_factory=list)
    unknown: bool = False
    unverified: bool = False
    quote: bool = False
    note: str | None = None
    lead: str = ""  # a short label shown before the text ("Place", "1. Stage title")


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Record:
    anchor: str
    title: str
    illustrative: bool
    sections: list[Section]
    banners: list[str] = field(default_factory=list)  # shown first (ccgtui.wording)


def item(value: Statement | Unknown, lead: str = "") -> Item:
    if isinstance(value, Unknown):
        return Item(value.text, list(value.sources), unknown=True, note=value.note, lead=lead)
    return Item(
        value.text,
        list(value.sources),
        value.unknown,
        value.unverified,
        value.quote,
        value.note,
        lead,
    )


def items(values: Sequence[Statement] | Unknown) -> list[Item]:
    if isinstance(values, Unknown):
        return [item(values)]
    return [item(v) for v in values]


def study_record(study: Study) -> Record:
    overview = [item(t, "Title") for t in study.titles]
    for lead, value in (
        ("Funder", study.funder),
        ("Project", study.project_number),
        ("Grant", study.grant),
        ("Objective", study.objective),
    ):
        if value is not None:
            overview.append(item(value, lead))
    overview += [item(d, "Dates") for d in study.dates]
    sections = [
        Section("Overview", overview),
        Section(
            "Team",
            [Item(f"{m.name}, {m.role}, {m.institution}", list(m.sources)) for m in study.team],
        ),
        Section("Context", [item(c) for c in study.context]),
        Section(
            "Objectives", [item(o, f"Objective {n}") for n, o in enumerate(study.objectives, 1)]
        ),
        Section("Scope", [item(s) for s in study.scope]),
        Section(
            "Phases",
            [
                item(p, f"{p.number}. {p.name}" + (f" ({p.period})" if p.period else ""))
                for p in study.phases
            ],
        ),
        Section("Participants", [item(p) for p in study.participants]),
        Section("Methods", [item(m) for m in study.methods]),
        Section(
            "Surveys",
            [item(s.population, f"{s.year} survey") for s in study.surveys]
            + [item(s.mode, f"{s.year} mode") for s in study.surveys]
            + [item(s.response, f"{s.year} response") for s in study.surveys]
            + [
                item(
                    m,
                    m.label
                    + ": "
                    + ", ".join(f"{y} {v:g}{m.unit}" for y, v in sorted(m.values.items())),
                )
                for m in study.measures
            ],
        ),
        Section("Key concepts", [item(c, c.name) for c in study.concepts]),
        Section("Findings", [item(f) for f in study.findings]),
        Section(NOT_REPORTED, [item(u) for u in study.unknowns]),
    ]
    return Record(
        f"study-{study.id}",
        study.title,
        study.illustrative,
        [s for s in sections if s.items],
        banners(study),
    )


def case_record(case: Case) -> Record:
    overview = [Item(f"{case.kind.value}", lead="Kind"), Item(case.study, lead="Study")]
    if case.summary is not None:
        overview.append(item(case.summary, "Summary"))
    overview += [
        item(case.place, "Place"),
        item(case.population, "Population"),
        item(case.service_area, "Service area"),
    ]
    if case.period is not None:
        overview.append(item(case.period, "Period"))
    overview += [item(m, "Method") for m in case.methods]
    if case.themes:
        overview.append(Item(", ".join(case.themes), lead="Themes"))

    story = Section("Story by arena")
    if isinstance(case.story, Unknown):
        story.items.append(item(case.story))
    else:
        for arena in Arena:
            stages = [s for s in case.story if s.arena is arena]
            entry = case.arenas.get(arena)
            sub = Section(ARENA_TITLES[arena])
            sub.items += [
                item(s, f"{s.title}" + (f" ({s.period})" if s.period else "")) for s in stages
            ]
            if entry is not None:
                sub.items += items(entry)
            if sub.items:
                story.subsections.append(sub)
        loose = [s for s in case.story if s.arena is None]
        if loose:
            story.subsections.append(Section("Arena not stated", [item(s, s.title) for s in loose]))
    if isinstance(case.story, Unknown):
        for arena in Arena:
            entry = case.arenas.get(arena)
            if entry is not None:
                story.subsections.append(Section(ARENA_TITLES[arena], items(entry)))

    partners = Section("Partners")
    if isinstance(case.partners, Unknown):
        partners.items.append(item(case.partners))
    else:
        for sector in Sector:
            found = [p for p in case.partners if p.sector is sector]
            if found:
                partners.subsections.append(
                    Section(SECTOR_TITLES[sector], [item(p, p.organisation or "") for p in found])
                )
        silent = case.sectors_unknown
        if silent is not None:  # unknown, never left out as if absent
            names = ", ".join(SECTOR_TITLES[s] for s in silent.sectors)
            partners.subsections.append(Section(f"Unknown: {names}", [item(silent)]))
    evidence = [
        Section("Enablers", items(case.enablers)),
        Section("Barriers", items(case.barriers)),
        Section("Outcomes", items(case.outcomes)),
        Section("Findings", items(case.findings)),
    ]
    sections = [Section("Overview", overview), story, partners, *evidence]
    return Record(
        f"case-{case.id}",
        case.label,
        case.illustrative,
        [s for s in sections if s.items or s.subsections],
        banners(case),
    )


def build(selection: Selection, progress: Progress | None = None) -> list[Record]:
    records = [study_record(s) for s in selection.studies] if selection.what != "case" else []
    if selection.what != "study":
        total = len(selection.cases)
        for n, case in enumerate(selection.cases, 1):
            records.append(case_record(case))
            if progress is not None:
                progress(n, total)
    return records


def citation_order(records: list[Record]) -> dict[str, int]:
    """Source id -> reference number, in order of first citation."""
    order: dict[str, int] = {}

    def visit(section: Section) -> None:
        for it in section.items:
            for sid in it.sources:
                order.setdefault(sid, len(order) + 1)
        for sub in section.subsections:
            visit(sub)

    for record in records:
        for section in record.sections:
            visit(section)
    return order
