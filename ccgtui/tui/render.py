"""Turn model records into Textual :class:`Content`, never into markup.

Everything here is a pure function of the data, so it is easy to test and
safe: text from case files is only ever placed in a ``Content`` as literal
text, with styles applied as spans.  Styles are theme variables
(``$text-muted``, ``$warning``...) so every theme works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from textual.content import Content

from ccgtui import glance
from ccgtui.lazy_cases import CaseSummary
from ccgtui.model import (
    ARENA_TITLES,
    Arena,
    Case,
    CaseKind,
    Concept,
    Dataset,
    Partner,
    Sector,
    Source,
    Stage,
    Statement,
    Study,
    Unknown,
)
from ccgtui.safe_text import clean
from ccgtui.wording import (
    ILLUSTRATIVE_SOURCE_BANNER,
    NONE_RECORDED,
    UNVERIFIED_MARK,
    banners,
)

# Styles (theme variables only).
MUTED = "$foreground-muted"
UNKNOWN = "$foreground-muted italic"
UNVERIFIED = "$text-warning"
HEADING = "bold $text-accent"
LABEL = "bold"

# The statement a search jumped to: bold on a tinted background (a theme colour, so it
# reads on light and dark themes), under the line's own colours.
MARK_BACKGROUND = "accent-muted"
MARKED = f"bold on ${MARK_BACKGROUND}"

KIND_BADGES: dict[CaseKind, tuple[str, str]] = {
    CaseKind.in_depth: ("IN-DEPTH", "bold $text-primary"),
    CaseKind.scoping: ("SCOPING", "bold $text-secondary"),
    # Not green: a synthesis across sites is not a verified finding (issue 15).
    CaseKind.composite: ("COMPOSITE", "bold $text-primary on $primary-muted"),
    CaseKind.illustrative: ("ILLUSTRATIVE", "bold $text-warning"),
    CaseKind.related_study: ("RELATED STUDY", "bold $text-secondary"),
}


def lit(text: str, style: str = "") -> Content:
    """Literal text, optionally styled; never parsed as markup, control characters dropped."""
    text = clean(text)
    return Content.styled(text, style) if style else Content(text)


def join_lines(lines: Iterable[Content]) -> Content:
    return Content("\n").join(list(lines))


def source_ids(ids: Sequence[str]) -> Content:
    """``[id1, id2]`` dimmed, or empty."""
    return lit(f" [{', '.join(ids)}]", MUTED) if ids else Content("")


def statement(item: Statement | Unknown, *, prefix: str = "") -> Content:
    """One fact with its source ids, flags and note."""
    unknown = isinstance(item, Unknown) or item.unknown
    text = item.text
    if isinstance(item, Statement) and item.quote:
        text = f"\u201c{text}\u201d"
    parts: list[Content] = []
    if prefix:
        parts.append(lit(prefix))
    parts.append(lit(text, UNKNOWN if unknown else ""))
    parts.append(source_ids(item.sources))
    if isinstance(item, Statement) and item.unverified:
        parts.append(lit(f" {UNVERIFIED_MARK}", UNVERIFIED))
    if item.note:
        parts.append(lit(f" (note: {item.note})", MUTED))
    return Content.assemble(*parts)


def field_line(label: str, item: Statement | Unknown | None) -> Content:
    """``Label: value [src]``; a missing value is shown as unknown, never blank."""
    value = item if item is not None else Unknown(unknown=True)
    return Content.assemble(lit(f"{label}: ", LABEL), statement(value))


def heading(text: str) -> Content:
    return lit(text, HEADING)


def bullet_list(value: Sequence[Statement] | Unknown, indent: str = "  ") -> list[Content]:
    if isinstance(value, Unknown):
        return [statement(value, prefix=f"{indent}")]
    if not value:
        return [lit(f"{indent}{NONE_RECORDED}", UNKNOWN)]
    return [statement(v, prefix=f"{indent}• ") for v in value]


# -- tagged lines: each line of a tab with the statement it shows ----------------

Line = tuple[Content, str | None]
"""A line of a case tab and the path of the statement it shows (as ``iter_statements``
names it: ``summary``, ``story[1]``, ``arenas.board[0]``, ``partners[2]``...), or None."""


def untagged(lines: Iterable[Content]) -> list[Line]:
    return [(line, None) for line in lines]


def tagged_list(value: Sequence[Statement] | Unknown, path: str, indent: str = "  ") -> list[Line]:
    """:func:`bullet_list`, each bullet tagged ``path[i]`` (a whole unknown list: ``path``)."""
    lines = bullet_list(value, indent)
    if isinstance(value, Unknown) or not value:
        return [(line, path) for line in lines]
    return [(line, f"{path}[{i}]") for i, line in enumerate(lines)]


def join_tagged(lines: Sequence[Line]) -> Content:
    return join_lines(line for line, _ in lines)


def shows(tag: str | None, path: str) -> bool:
    """Does a line tagged ``tag`` show the statement at ``path``?

    A sub-path counts: ``story[1].title`` is shown by the ``story[1]`` block,
    ``partners[0].organisation`` by the ``partners[0]`` line.
    """
    return tag is not None and (path == tag or path.startswith(f"{tag}."))


def mark(lines: Sequence[Line], path: str) -> tuple[Content, tuple[int, int] | None]:
    """The tab with the lines showing ``path`` marked, and their ``(first, end)`` indices.

    ``None`` when no line shows it (then nothing is marked).
    """
    found = [i for i, (_, tag) in enumerate(lines) if shows(tag, path)]
    if not found:
        return join_tagged(lines), None
    first, end = found[0], found[-1] + 1
    out = [
        line.stylize_before(MARKED, 0, len(line)) if first <= i < end else line
        for i, (line, _) in enumerate(lines)
    ]
    return join_lines(out), (first, end)


def kind_badge(kind: CaseKind) -> Content:
    text, style = KIND_BADGES[kind]
    return lit(text, style)


def case_prompt(case: Case | CaseSummary, study_label: str, marked: bool = False) -> Content:
    """The case list entry: label, then kind badge and study."""
    mark = lit("● ", "bold $text-accent") if marked else Content("")
    return Content.assemble(
        mark,
        lit(case.label),
        "\n  ",
        kind_badge(CaseKind(case.kind)),
        lit(f" {study_label}", MUTED),
    )


def study_label(dataset: Dataset, study_id: str) -> str:
    study = dataset.study(study_id)
    if study is None:
        return study_id
    return study.short_title or study.id


# -- case tabs -----------------------------------------------------------------


def glance_line(text: str) -> Content:
    """``Leadership: …`` with its label in bold and each "?" in the unknown style."""
    label, _, rest = text.partition(": ")
    parts = [lit(f"{label}: ", LABEL)]
    for i, piece in enumerate(rest.split(glance.UNKNOWN_MARK)):
        if i:
            parts.append(lit(glance.UNKNOWN_MARK, f"bold {UNKNOWN}"))
        parts.append(lit(piece))
    return Content.assemble(*parts)


def overview_lines(case: Case, dataset: Dataset) -> list[Line]:
    study = dataset.study(case.study)
    lines: list[Line] = [
        (lit(case.label, "bold"), "label"),
        (
            Content.assemble(
                kind_badge(case.kind),
                lit(f"  {case.id}", MUTED),
                lit("  study: ", MUTED),
                lit(study.title if study else case.study),
            ),
            None,
        ),
        (Content(""), None),
        # Who led it, who took part: answered here without scrolling (issue 18).
        (glance_line(glance.arena_line(case)), "glance-arenas"),
        (glance_line(glance.partner_line(case)), "glance-partners"),
        (Content(""), None),
    ]
    if case.summary:
        lines += [(field_line("Summary", case.summary), "summary"), (Content(""), None)]
    lines += [
        (field_line("Place", case.place), "place"),
        (field_line("Service area", case.service_area), "service_area"),
        (field_line("Population", case.population), "population"),
    ]
    if case.period:
        lines.append((field_line("Period", case.period), "period"))
    lines.append(
        (
            Content.assemble(
                lit("Themes: ", LABEL),
                lit(", ".join(case.themes)) if case.themes else lit(NONE_RECORDED, UNKNOWN),
            ),
            "themes",
        )
    )
    lines += [(Content(""), None), (heading("Methods"), None)]
    lines += tagged_list(case.methods, "methods")
    return lines


def with_user_tags(lines: list[Line], tags: Sequence[str]) -> list[Line]:
    """The overview with the reader's own tags near the top (tagged ``user-tags``)."""
    line = (
        Content.assemble(lit("Your tags: ", LABEL), lit(", ".join(tags), "$text-accent")),
        "user-tags",
    )
    # Under who led it and who took part: seen without scrolling.
    at = next((i + 1 for i, (_, tag) in enumerate(lines) if tag == "glance-partners"), len(lines))
    return [*lines[:at], line, *lines[at:]]


def overview(case: Case, dataset: Dataset) -> Content:
    return join_tagged(overview_lines(case, dataset))


def stage_lines(n: int, stage: Stage) -> list[Content]:
    period = f" ({stage.period})" if stage.period else ""
    arena = (
        lit(ARENA_TITLES[stage.arena], "$text-accent")
        if stage.arena
        else lit("arena not stated", UNKNOWN)
    )
    sectors = (
        lit(", ".join(Sector(s).label for s in stage.sectors))
        if stage.sectors
        else lit("not stated", UNKNOWN)
    )
    return [
        Content.assemble(lit(f"{n}. ", "bold"), lit(stage.title, "bold"), lit(period, MUTED)),
        Content.assemble(lit("   Arena: ", MUTED), arena),
        Content.assemble(lit("   Partners: ", MUTED), sectors),
        statement(stage, prefix="   "),
        Content(""),
    ]


def story_lines(case: Case, dataset: Dataset | None = None) -> list[Line]:
    """The stages in order; each stage's lines (title to text) tagged ``story[i]``."""
    if isinstance(case.story, Unknown):
        return [(statement(case.story), "story")]
    if not case.story:
        return [(lit("No redesign stages recorded.", UNKNOWN), "story")]
    lines: list[Line] = []
    for i, stage in enumerate(case.story):
        block = stage_lines(i + 1, stage)
        lines += [(line, f"story[{i}]") for line in block[:-1]]
        lines.append((block[-1], None))
    return lines[:-1]


def story(case: Case) -> Content:
    return join_tagged(story_lines(case))


def arena_concepts(study: Study | None, arena: Arena) -> list[Concept]:
    if study is None:
        return []
    return [c for c in study.concepts if c.kind == "arena" and c.arena == arena]


def arenas_lines(case: Case, dataset: Dataset) -> list[Line]:
    study = dataset.study(case.study)
    stages = case.story if isinstance(case.story, list) else []
    lines: list[Line] = []
    for arena in Arena:
        lines.append((heading(ARENA_TITLES[arena]), None))
        concepts = arena_concepts(study, arena)
        lines.append((lit("  In the study:", LABEL), None))
        if concepts:
            lines += untagged(statement(c, prefix=f"    {c.name}: ") for c in concepts)
        else:
            lines.append((lit("    no study-level description recorded", UNKNOWN), None))
        lines.append((lit("  In this case:", LABEL), None))
        value = case.arenas.get(arena)
        if value is None:
            lines.append((lit(f"    {NONE_RECORDED}", UNKNOWN), None))
        else:
            lines += tagged_list(value, f"arenas.{arena.value}", indent="    ")
        here = [s for s in stages if s.arena == arena]
        if here:
            lines.append((lit("  Story stages here:", LABEL), None))
            lines += untagged(lit(f"    • {s.title}") for s in here)
        lines.append((Content(""), None))
    return lines[:-1]


def arenas(case: Case, dataset: Dataset) -> Content:
    return join_tagged(arenas_lines(case, dataset))


def partner_line(partner: Partner) -> Content:
    parts: list[Content] = [lit("  • ")]
    if partner.organisation:
        parts.append(lit(f"{partner.organisation}: ", "bold"))
    parts.append(statement(partner))
    if partner.role:
        parts.append(lit(f" (role: {partner.role})", MUTED))
    return Content.assemble(*parts)


def partners_lines(case: Case, dataset: Dataset | None = None) -> list[Line]:
    """Partners grouped by sector; each line tagged with the partner's own index.

    A sector the sources are silent on (``sectors_unknown``) gets its heading too, with
    the unknown under it: unknown, never absent (issue 15).
    """
    if isinstance(case.partners, Unknown):
        return [(statement(case.partners), "partners")]
    silent = case.sectors_unknown
    if not case.partners and silent is None:
        return [(lit("No partners recorded.", UNKNOWN), "partners")]
    lines: list[Line] = []
    for sector in Sector:
        found = [(i, p) for i, p in enumerate(case.partners) if p.sector == sector]
        if found:
            lines.append((heading(sector.label), None))
            lines += [(partner_line(p), f"partners[{i}]") for i, p in found]
            lines.append((Content(""), None))
        elif silent is not None and sector in silent.sectors:
            lines.append((heading(sector.label), None))
            lines.append((statement(silent, prefix="  ? "), "sectors_unknown"))
            lines.append((Content(""), None))
    return lines[:-1]


def partners(case: Case) -> Content:
    return join_tagged(partners_lines(case))


def evidence_lines(case: Case, dataset: Dataset | None = None) -> list[Line]:
    lines: list[Line] = []
    for title, path, value in (
        ("Enablers", "enablers", case.enablers),
        ("Barriers", "barriers", case.barriers),
        ("Outcomes", "outcomes", case.outcomes),
        ("Findings", "findings", case.findings),
    ):
        lines.append((heading(title), None))
        lines += tagged_list(value, path)
        lines.append((Content(""), None))
    return lines[:-1]


def evidence(case: Case) -> Content:
    return join_tagged(evidence_lines(case))


# The text tabs of a case, as tagged lines (``ccgtui.tui.widgets.case_detail`` shows them).
TAB_LINES: dict[str, Callable[[Case, Dataset], list[Line]]] = {
    "overview": overview_lines,
    "story": story_lines,
    "arenas": arenas_lines,
    "partners": partners_lines,
    "evidence": evidence_lines,
}


# -- sources -------------------------------------------------------------------


def source_prompt(source_id: str, source: Source | None) -> Content:
    if source is None:
        return Content.assemble(lit(f"[{source_id}] ", MUTED), lit("(not defined)", UNKNOWN))
    level = lit(
        f" ({source.level.value})", UNVERIFIED if source.level.value == "unverified" else MUTED
    )
    return Content.assemble(lit(f"[{source_id}] ", MUTED), lit(source.citation()), level)


def source_detail(source: Source) -> Content:
    lines: list[Content] = [
        lit(source.title, "bold"),
        lit(f"{source.id} · {source.type.value} · level: {source.level.value}", MUTED),
        Content(""),
        heading("Reference"),
        lit(source.citation()),
        Content(""),
    ]
    if source.illustrative:
        lines.insert(0, lit(ILLUSTRATIVE_SOURCE_BANNER, "bold $text-warning"))
    rows = (
        ("Authors", "; ".join(source.authors)),
        ("Year", str(source.year) if source.year else ""),
        ("Published in", source.container or ""),
        ("DOI", source.doi or ""),
        ("URL", source.url or ""),
    )
    for label, value in rows:
        lines.append(
            Content.assemble(
                lit(f"{label}: ", LABEL), lit(value) if value else lit("not recorded", UNKNOWN)
            )
        )
    lines += [Content(""), heading("Notes")]
    lines += [lit(f"  • {n}") for n in source.notes] or [lit("  (no notes)", UNKNOWN)]
    return join_lines(lines)


# -- study ---------------------------------------------------------------------


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
