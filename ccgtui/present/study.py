"""A study's layout: overview, team, objectives, phases, surveys, concepts, findings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ccgtui.present.layout import Item, Record, Section, item
from ccgtui.wording import NOT_REPORTED, banners

if TYPE_CHECKING:
    from ccgtui.model import Dataset, Statement, Study


def study_record(study: Study, dataset: Dataset | None = None) -> Record:
    """The study's sections (those it records anything in); with ``dataset``, the
    related studies it names too."""
    overview = [item(t, "Also titled", f"titles[{i}]") for i, t in enumerate(study.titles)]
    for lead, path, value in (
        ("Funder", "funder", study.funder),
        ("Project number", "project_number", study.project_number),
        ("Grant", "grant", study.grant),
        ("Objective", "objective", study.objective),
    ):
        if value is not None:
            overview.append(item(value, lead, path))
    overview += [item(d, "Dates", f"dates[{i}]") for i, d in enumerate(study.dates)]
    surveys = [
        item(getattr(s, part), f"{s.year} {part}", f"surveys[{i}].{part}")
        for part in ("population", "mode", "response")
        for i, s in enumerate(study.surveys)
    ]
    surveys += [
        item(
            m,
            m.label + ": " + ", ".join(f"{y} {v:g}{m.unit}" for y, v in sorted(m.values.items())),
            f"measures[{i}]",
        )
        for i, m in enumerate(study.measures)
    ]
    sections = [
        Section("Overview", overview, id="overview"),
        Section(
            "Team",
            [Item(f"{m.name}, {m.role}, {m.institution}", list(m.sources)) for m in study.team],
            id="team",
        ),
        Section("Context", _each(study.context, "context"), id="context"),
        Section(
            "Objectives",
            [
                item(o, f"Objective {n}", f"objectives[{n - 1}]")
                for n, o in enumerate(study.objectives, 1)
            ],
            id="objectives",
        ),
        Section("Scope", _each(study.scope, "scope"), id="scope"),
        Section(
            "Phases",
            [
                item(
                    p,
                    f"{p.number}. {p.name}" + (f" ({p.period})" if p.period else ""),
                    f"phases[{i}]",
                )
                for i, p in enumerate(study.phases)
            ],
            id="phases",
        ),
        Section("Participants", _each(study.participants, "participants"), id="participants"),
        Section("Methods", _each(study.methods, "methods"), id="methods"),
        Section("Surveys", surveys, id="surveys"),
        Section(
            "Key concepts",
            [
                item(c, f"{c.name} ({c.kind})", f"concepts[{i}]")
                for i, c in enumerate(study.concepts)
            ],
            id="concepts",
        ),
        Section("Findings", _each(study.findings, "findings"), id="findings"),
        Section(NOT_REPORTED, _each(study.unknowns, "unknowns"), id="unknowns"),
    ]
    if dataset is not None:
        related = [r for r in (dataset.study(i) for i in study.related) if r is not None]
        found = [Item(f"{r.title} [{r.id}]", lead="Related study") for r in related]
        sections.append(Section("Related studies", found, id="related"))
    return Record(
        f"study-{study.id}",
        study.title,
        study.illustrative,
        [s for s in sections if s.items],
        banners(study),
        study.id,
    )


def _each(values: Sequence[Statement], path: str) -> list[Item]:
    return [item(v, path=f"{path}[{i}]") for i, v in enumerate(values)]
