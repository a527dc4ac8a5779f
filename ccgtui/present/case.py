"""A case's layout: the sections every front end shows, in the explorer's tab order.

The sections are the case tabs of :mod:`ccgtui.case_tabs` that are sections
(Overview, Story, Arenas, Partners and Evidence), each built here (``BUILDERS``),
each statement an :class:`Item` with its path (``story[1]``, ``arenas.board[0]``...),
so ``show`` (and each ``--section``), the explorer's tabs and the briefings list the
same statements with the same provenance; the sources they cite follow from the
items (:func:`layout.source_ids`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ccgtui import case_tabs
from ccgtui.model.vocabularies import ARENA_TITLES, Arena, Sector
from ccgtui.present.layout import Item, Record, Section, item, items
from ccgtui.wording import NONE_RECORDED, banners

if TYPE_CHECKING:  # a model or its view (present.views): the fields are read by name
    from ccgtui.model import Case as CaseModel
    from ccgtui.model import Dataset as DatasetModel
    from ccgtui.model import Partner as PartnerModel
    from ccgtui.model import Stage as StageModel
    from ccgtui.present.views import CaseView, DatasetView, PartnerView, StageView

    Case = CaseModel | CaseView
    Dataset = DatasetModel | DatasetView
    Stage = StageModel | StageView
    Partner = PartnerModel | PartnerView

EVIDENCE: list[tuple[str, str]] = [
    ("enablers", "Enablers"),
    ("barriers", "Barriers"),
    ("outcomes", "Outcomes"),
    ("findings", "Findings"),
]
ARENA_NOT_STATED = "arena not stated"
NOT_STATED = "not stated"
ARENA_LABEL, PARTNERS_LABEL = "Arena", "Partners"  # a stage's details, "Label: value"


def overview(case: Case, dataset: Dataset | None = None) -> Section:
    """Kind and study, then what the case is about; its methods as a subsection."""
    study = dataset.study(case.study) if dataset is not None else None
    found = [
        Item(case.kind.value, lead="Kind", path="kind"),
        Item(study.title if study else case.study, lead="Study", path="study"),
    ]
    if case.summary is not None:
        found.append(item(case.summary, "Summary", "summary"))
    found += [
        item(case.place, "Place", "place"),
        item(case.service_area, "Service area", "service_area"),
        item(case.population, "Population", "population"),
    ]
    if case.period is not None:
        found.append(item(case.period, "Period", "period"))
    themes = ", ".join(case.themes)
    found.append(Item(themes or NONE_RECORDED, lead="Themes", path="themes"))
    methods = Section("Methods", items(case.methods, "methods"), id="methods")
    return Section("Overview", found, [methods], id="overview")


def stage_details(stage: Stage) -> list[str]:
    """``Arena: ...`` and ``Partners: ...`` of a stage, "not stated" where it says nothing."""
    arena = ARENA_TITLES[stage.arena] if stage.arena else ARENA_NOT_STATED
    sectors = ", ".join(Sector(s).label for s in stage.sectors) or NOT_STATED
    return [f"{ARENA_LABEL}: {arena}", f"{PARTNERS_LABEL}: {sectors}"]


def story(case: Case) -> Section:
    """The stages in order, each led by its number, title and period."""
    if not isinstance(case.story, list):  # the whole story unknown
        return Section("Story", [item(case.story, path="story")], id="story")
    stages: list[Stage] = case.story  # type: ignore[assignment]  # mypy joins the two lists
    return Section(
        "Story",
        [
            item(
                stage,
                f"{n}. {stage.title}" + (f" ({stage.period})" if stage.period else ""),
                f"story[{n - 1}]",
                stage_details(stage),
            )
            for n, stage in enumerate(stages, 1)
        ],
        id="story",
    )


def arenas(case: Case) -> Section:
    """One subsection per arena, empty where the case records nothing for it."""
    subs = []
    for arena in Arena:
        value = case.arenas.get(arena)
        found = items(value, f"arenas.{arena.value}") if value is not None else []
        subs.append(Section(ARENA_TITLES[arena], found, id=arena.value))
    return Section("Arenas", subsections=subs, id="arenas")


def partners(case: Case) -> Section:
    """Partners by sector; the sectors the sources are silent on under their own heading."""
    section = Section("Partners", id="partners")
    if not isinstance(case.partners, list):  # all partners unknown
        section.items.append(item(case.partners, path="partners"))
        return section
    listed: list[Partner] = case.partners  # type: ignore[assignment]  # as for stages
    for sector in Sector:
        found = [
            item(p, p.organisation or "", f"partners[{i}]", [f"role: {p.role}"] if p.role else [])
            for i, p in enumerate(listed)
            if p.sector is sector
        ]
        if found:
            section.subsections.append(Section(sector.label, found, id=sector.value))
    silent = case.sectors_unknown
    if silent is not None:  # unknown, never left out as if absent
        names = ", ".join(s.label for s in silent.sectors)
        section.subsections.append(
            Section(f"{names}: ?", [item(silent, path="sectors_unknown")], id="unknown")
        )
    return section


def evidence(case: Case) -> Section:
    return Section(
        "Evidence",
        subsections=[
            Section(title, items(getattr(case, name), name), id=name) for name, title in EVIDENCE
        ],
        id="evidence",
    )


# The builder of each section tab of :mod:`ccgtui.case_tabs` (its order is the record's).
Builder = Callable[["Case", "Dataset | None"], Section]
BUILDERS: dict[str, Builder] = {
    "overview": overview,
    "story": lambda case, _: story(case),
    "arenas": lambda case, _: arenas(case),
    "partners": lambda case, _: partners(case),
    "evidence": lambda case, _: evidence(case),
}


def build(tab_id: str, case: Case, dataset: Dataset | None = None) -> Section:
    """The section of the case tab ``tab_id``."""
    if tab_id not in BUILDERS:
        raise KeyError(f"case tab {tab_id!r} has no builder in present/case.py BUILDERS")
    return BUILDERS[tab_id](case, dataset)


def case_record(case: Case, dataset: Dataset | None = None) -> Record:
    sections = [build(tab.id, case, dataset) for tab in case_tabs.sections()]
    return Record(
        f"case-{case.id}", case.label, case.illustrative, sections, banners(case), case.id
    )
