"""The study screen's parts: title, objectives, the phases as a timeline, team, surveys
with their measures as bars, concepts, findings and counts.

Every statement is formatted by :func:`ccgtui.tui.render.base.statement`, the layout's
item with its source ids, unverified mark and note, as everywhere else.
"""

from __future__ import annotations

from textual.content import Content

from ccgtui.model import Dataset, Study
from ccgtui.tui.render.base import (
    MUTED,
    UNKNOWN,
    UNVERIFIED,
    Line,
    field_line,
    heading,
    join_lines,
    join_tagged,
    lit,
    source_ids,
    statement,
    tagged_list,
    untagged,
)
from ccgtui.wording import NONE_RECORDED, UNVERIFIED_MARK, banners


def study_title(study: Study) -> Content:
    banner = Content.assemble(*(lit(f"{b}  ", "bold $text-warning") for b in banners(study)))
    return Content.assemble(banner, lit(study.title, "bold"), lit(f"  {study.id}", MUTED))


def study_overview_lines(study: Study) -> list[Line]:
    lines: list[Line] = [
        (field_line("Also titled", t), f"titles[{i}]") for i, t in enumerate(study.titles)
    ]
    for label, path, value in (
        ("Funder", "funder", study.funder),
        ("Project number", "project_number", study.project_number),
        ("Grant", "grant", study.grant),
    ):
        lines.append((field_line(label, value), path))
    for label, path, items in (
        ("Dates", "dates", study.dates),
        ("Context", "context", study.context),
        ("Scope", "scope", study.scope),
    ):
        lines += [(field_line(label, item), f"{path}[{i}]") for i, item in enumerate(items)]
    return lines


def study_objectives_lines(study: Study) -> list[Line]:
    lines: list[Line] = [(field_line("Overall objective", study.objective), "objective")]
    if study.objectives:
        lines += [
            (statement(o, prefix=f"  {n}. "), f"objectives[{n - 1}]")
            for n, o in enumerate(study.objectives, 1)
        ]
    else:
        lines.append((lit(f"  {NONE_RECORDED}", UNKNOWN), None))
    return lines


def study_phases_lines(study: Study) -> list[Line]:
    """The phases as a vertical timeline; each phase's two lines tagged ``phases[i]``."""
    if not study.phases:
        return [(lit(NONE_RECORDED, UNKNOWN), None)]
    lines: list[Line] = []
    last = len(study.phases) - 1
    for i, phase in enumerate(study.phases):
        period = (
            lit(f"  {phase.period}", "$text-accent")
            if phase.period
            else lit("  period not stated", UNKNOWN)
        )
        head = Content.assemble(
            lit(f"●─ Phase {phase.number}: ", "bold $text-accent"),
            lit(phase.name, "bold"),
            period,
        )
        lines.append((head, f"phases[{i}]"))
        lines.append((statement(phase, prefix="│    " if i < last else "     "), f"phases[{i}]"))
        if i < last:
            lines.append((lit("│", "$text-accent"), None))
    return lines


def study_team_lines(study: Study) -> list[Line]:
    if not study.team:
        return [(lit(NONE_RECORDED, UNKNOWN), None)]
    return untagged(
        Content.assemble(
            lit("• "),
            lit(m.name, "bold"),
            lit(f", {m.role}, {m.institution}"),
            source_ids(m.sources),
        )
        for m in study.team
    )


def bar(value: float, width: int = 20, top: float = 100.0) -> str:
    filled = max(0, min(width, round(width * value / top))) if top else 0
    return "█" * filled + "░" * (width - filled)


def study_surveys_lines(study: Study) -> list[Line]:
    lines: list[Line] = []
    for i, s in enumerate(study.surveys):
        lines.append((lit(f"Survey {s.year} ({s.id})", "bold"), None))
        lines.append((field_line("  Population", s.population), f"surveys[{i}].population"))
        lines.append((field_line("  Mode", s.mode), f"surveys[{i}].mode"))
        lines.append((field_line("  Response", s.response), f"surveys[{i}].response"))
        lines.append((Content(""), None))
    if study.measures:
        lines.append((heading("Measures"), None))
    for i, m in enumerate(study.measures):
        lines.append((statement(m, prefix=f"{m.label}: "), f"measures[{i}]"))
        top = 100.0 if m.unit == "%" else max(m.values.values(), default=0.0)
        for year, value in sorted(m.values.items()):
            flag = lit(f" {UNVERIFIED_MARK}", UNVERIFIED) if m.unverified else Content("")
            row = Content.assemble(
                lit(f"  {year} "),
                lit(bar(value, top=top), "$text-accent"),
                lit(f" {value:g}{m.unit}"),
                flag,
            )
            lines.append((row, f"measures[{i}]"))
    return lines if lines else [(lit("No surveys recorded.", UNKNOWN), None)]


def study_concepts_lines(study: Study) -> list[Line]:
    if not study.concepts:
        return [(lit(NONE_RECORDED, UNKNOWN), None)]
    return [
        (
            statement(
                c, prefix=f"• {c.name} ({c.kind}{', ' + c.arena.value if c.arena else ''}): "
            ),
            f"concepts[{i}]",
        )
        for i, c in enumerate(study.concepts)
    ]


def study_glance(study: Study, dataset: Dataset) -> Content:
    """Counts for the study: cases by kind, statements, sources, unknowns, unverified."""
    from ccgtui.analysis import study_stats

    if dataset.study(study.id) is None:  # a placeholder study, not in the data
        return lit("No counts: this study is not in the case folder.", UNKNOWN)
    stats = study_stats(dataset, study.id)
    kinds = ", ".join(f"{n} {k}" for k, n in stats.cases_by_kind.items() if n)
    return join_lines(
        [
            lit(f"Cases: {sum(stats.cases_by_kind.values())} ({kinds or 'none'})"),
            lit(f"Statements: {stats.statements} ({stats.unknowns} unknown, ")
            + lit(f"{stats.unverified} unverified", UNVERIFIED if stats.unverified else "")
            + lit(")"),
            lit(f"Sources cited: {stats.sources}"),
        ]
    )


def study_section_lines(study: Study, dataset: Dataset) -> list[tuple[str, str, list[Line]]]:
    """``(id, title, tagged lines)`` for each part of the study screen."""
    related = [r for r in (dataset.study(i) for i in study.related) if r is not None]
    findings = tagged_list(study.findings, "findings", indent="")
    findings += untagged(lit(f"Related study: {r.title} [{r.id}]", MUTED) for r in related)
    return [
        ("glance", "At a glance", untagged([study_glance(study, dataset)])),
        ("objectives", "Objectives", study_objectives_lines(study)),
        ("phases", "Phases", study_phases_lines(study)),
        ("team", "Team", study_team_lines(study)),
        ("participants", "Participants", tagged_list(study.participants, "participants", "")),
        ("overview", "Funding, dates and context", study_overview_lines(study)),
        ("methods", "Methods", tagged_list(study.methods, "methods", indent="")),
        ("surveys", "Surveys", study_surveys_lines(study)),
        ("concepts", "Concepts", study_concepts_lines(study)),
        ("findings", "Findings", findings),
        ("unknowns", "Not reported", tagged_list(study.unknowns, "unknowns", indent="")),
    ]


def study_sections(study: Study, dataset: Dataset) -> list[tuple[str, str, Content]]:
    """``(id, title, body)`` for each part of the study screen."""
    return [
        (sid, title, join_tagged(lines))
        for sid, title, lines in study_section_lines(study, dataset)
    ]
