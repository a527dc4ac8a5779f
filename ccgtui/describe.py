"""Plain-text views of studies and cases, shared by the CLI and the exports.

Each view is a list of sections ``(title, lines)``; lines are plain strings,
never markup, so any front end can print them literally.  A record's banners
(illustrative, composite) come from :func:`ccgtui.wording.banners`; ``show`` prints
them above whichever sections it prints, so a pasted section keeps them.
"""

from __future__ import annotations

from ccgtui.model import (
    ARENA_TITLES,
    Arena,
    Case,
    Dataset,
    Sector,
    Statement,
    Study,
    Unknown,
)
from ccgtui.wording import NONE_RECORDED, UNVERIFIED_MARK

Section = tuple[str, list[str]]


def cite(item: Statement | Unknown) -> str:
    """``text [src1, src2]`` with flags; unknowns read as unknown."""
    text = item.text
    if isinstance(item, Unknown) or item.unknown:
        text = f"UNKNOWN: {text}"
    if isinstance(item, Statement) and item.quote:
        text = f"\u201c{text}\u201d"
    return text + provenance(item)


def provenance(item: Statement | Unknown | None) -> str:
    """`` [src1, src2]``, the unverified mark and ``(note: ...)``: what follows a text."""
    if item is None:
        return ""
    text = f" [{', '.join(item.sources)}]" if item.sources else ""
    if isinstance(item, Statement) and item.unverified:
        text += f" {UNVERIFIED_MARK}"
    if item.note:
        text += f" (note: {item.note})"
    return text


def _items(value: list[Statement] | list[object] | Unknown) -> list[str]:
    if isinstance(value, Unknown):
        return [f"- {cite(value)}"]
    return [f"- {cite(v)}" for v in value if isinstance(v, Statement)] or [f"- {NONE_RECORDED}"]


def case_sections(case: Case, dataset: Dataset) -> list[Section]:
    study = dataset.study(case.study)
    study_title = study.title if study else case.study
    overview = [
        f"Case: {case.label}",
        f"Id: {case.id}    Kind: {case.kind.value}    Study: {study_title}",
    ]
    if case.summary:
        overview.append(f"Summary: {cite(case.summary)}")
    overview += [
        f"Place: {cite(case.place)}",
        f"Population: {cite(case.population)}",
        f"Service area: {cite(case.service_area)}",
    ]
    if case.period:
        overview.append(f"Period: {cite(case.period)}")
    if case.themes:
        overview.append(f"Themes: {', '.join(case.themes)}")
    overview += [f"Method: {cite(m)}" for m in case.methods]

    story: list[str] = []
    if isinstance(case.story, Unknown):
        story.append(cite(case.story))
    for n, stage in enumerate(case.story if isinstance(case.story, list) else [], 1):
        arena = ARENA_TITLES[stage.arena] if stage.arena else "arena not stated"
        period = f" ({stage.period})" if stage.period else ""
        story.append(f"{n}. {stage.title}{period} - {arena}")
        story.append(f"   {cite(stage)}")
        if stage.sectors:
            story.append(f"   Partners: {', '.join(Sector(s).label for s in stage.sectors)}")
    story = story or [NONE_RECORDED]

    arenas: list[str] = []
    for arena in Arena:
        arenas.append(ARENA_TITLES[arena])
        value = case.arenas.get(arena)
        arenas += (
            [f"  {line}" for line in _items(value)]
            if value is not None
            else [f"  - {NONE_RECORDED}"]
        )

    partners: list[str] = []
    if isinstance(case.partners, Unknown):
        partners.append(cite(case.partners))
    else:
        for sector in Sector:
            found = [p for p in case.partners if p.sector == sector]
            if found:
                partners.append(sector.label)
                for p in found:
                    org = f"{p.organisation}: " if p.organisation else ""
                    role = f" (role: {p.role})" if p.role else ""
                    partners.append(f"  - {org}{cite(p)}{role}")
        partners += _silent_sectors(case)
        partners = partners or [NONE_RECORDED]

    evidence: list[str] = []
    for title, value in (
        ("Enablers", case.enablers),
        ("Barriers", case.barriers),
        ("Outcomes", case.outcomes),
        ("Findings", case.findings),
    ):
        evidence.append(title)
        evidence += [f"  {line}" for line in _items(value)]

    return [
        ("Overview", overview),
        ("Story", story),
        ("Arenas", arenas),
        ("Partners", partners),
        ("Evidence", evidence),
        ("Sources", source_lines(cited_source_ids(case), dataset)),
    ]


def _silent_sectors(case: Case) -> list[str]:
    """The sectors the sources are silent on: each shown as unknown, never left out."""
    silent = case.sectors_unknown
    if silent is None:
        return []
    lines = [f"{sector.label}: ? (unknown)" for sector in silent.sectors]
    return [*lines, f"  - {cite(silent)}"]


def cited_source_ids(obj: Case | Study) -> list[str]:
    """Source ids cited anywhere in ``obj``, in first-cited order."""
    from ccgtui.model import iter_statements

    seen: dict[str, None] = {}
    for _, item in iter_statements(obj):
        for sid in item.sources:
            seen.setdefault(sid, None)
    for member in getattr(obj, "team", []):
        for sid in member.sources:
            seen.setdefault(sid, None)
    return list(seen)


def source_lines(ids: list[str], dataset: Dataset) -> list[str]:
    lines: list[str] = []
    smap = dataset.source_map
    for sid in ids:
        source = smap.get(sid)
        if source is None:
            lines.append(f"[{sid}] (not defined)")
            continue
        lines.append(f"[{sid}] {source.citation()} (level: {source.level.value})")
        if source.url:
            lines.append(f"    {source.url}")
        lines += [f"    note: {note}" for note in source.notes]
    return lines or ["(no sources cited)"]


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
