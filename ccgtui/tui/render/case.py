"""A case in the explorer: the list entry and the text tabs (the section tabs of
:mod:`ccgtui.case_tabs`: Overview, Story, Arenas, Partners, Evidence), each the
section of :mod:`ccgtui.present.case` that ``show`` and the briefings print, as tagged
lines.

The explorer adds what a screen can show and a printout need not: the kind badge,
who led and who took part (:mod:`ccgtui.glance`), the study's own words on each arena
and the stages in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial

from textual.content import Content

from ccgtui import case_tabs, glance
from ccgtui.model import ARENA_TITLES, Arena, Case, Concept, Dataset, Sector, Study
from ccgtui.present import case as layout
from ccgtui.present.layout import Item, Section

# The case list entry is drawn without the models (the explorer's first frame): its home.
from ccgtui.tui.case_entry import KIND_BADGES as KIND_BADGES
from ccgtui.tui.case_entry import case_prompt as case_prompt
from ccgtui.tui.case_entry import kind_badge as kind_badge
from ccgtui.tui.render.base import (
    LABEL,
    MUTED,
    UNKNOWN,
    Line,
    field_line,
    heading,
    item_bullets,
    lit,
    statement,
    untagged,
)

BLANK: Line = (Content(""), None)


def study_label(dataset: Dataset, study_id: str) -> str:
    study = dataset.study(study_id)
    if study is None:
        return study_id
    return study.short_title or study.id


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
    section = layout.overview(case, dataset)
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
        BLANK,
        # Who led it, who took part: answered here without scrolling (issue 18).
        (glance_line(glance.arena_line(case)), "glance-arenas"),
        (glance_line(glance.partner_line(case)), "glance-partners"),
        BLANK,
    ]
    for it in section.items:
        if it.path in ("kind", "study"):  # the badge line above says them
            continue
        lines.append((field_line(it.lead, it), it.path))
        if it.path == "summary":
            lines.append(BLANK)
    for sub in section.subsections:  # the methods
        lines += [BLANK, (heading(sub.title), None)]
        lines += item_bullets(sub.items, sub.id)
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


def _detail(text: str, style: str = "") -> Content:
    """``   Arena: value``: the label muted, a value not stated in the unknown style."""
    label, _, value = text.partition(": ")
    quiet = value in (layout.ARENA_NOT_STATED, layout.NOT_STATED)
    return Content.assemble(lit(f"   {label}: ", MUTED), lit(value, UNKNOWN if quiet else style))


def stage_lines(it: Item) -> list[Content]:
    """A stage: its lead (number, title, period), arena, partners, then the statement."""
    arena, *rest = it.details
    return [
        lit(it.lead, "bold"),
        _detail(arena, "$text-accent"),
        *(_detail(d) for d in rest),
        statement(it, prefix="   "),
        Content(""),
    ]


def story_lines(case: Case, dataset: Dataset | None = None) -> list[Line]:
    """The stages in order; each stage's lines (title to text) tagged ``story[i]``."""
    section = layout.story(case)
    if len(section.items) == 1 and section.items[0].path == "story":  # unknown
        return [(statement(section.items[0]), "story")]
    if not section.items:
        return [(lit("No redesign stages recorded.", UNKNOWN), "story")]
    lines: list[Line] = []
    for it in section.items:
        block = stage_lines(it)
        lines += [(line, it.path) for line in block[:-1]]
        lines.append((block[-1], None))
    return lines[:-1]


def arena_concepts(study: Study | None, arena: Arena) -> list[Concept]:
    if study is None:
        return []
    return [c for c in study.concepts if c.kind == "arena" and c.arena == arena]


def arenas_lines(case: Case, dataset: Dataset) -> list[Line]:
    study = dataset.study(case.study)
    stages = case.story if isinstance(case.story, list) else []
    lines: list[Line] = []
    for arena, sub in zip(Arena, layout.arenas(case).subsections, strict=True):
        lines.append((heading(ARENA_TITLES[arena]), None))
        concepts = arena_concepts(study, arena)
        lines.append((lit("  In the study:", LABEL), None))
        if concepts:
            lines += untagged(statement(c, prefix=f"    {c.name}: ") for c in concepts)
        else:
            lines.append((lit("    no study-level description recorded", UNKNOWN), None))
        lines.append((lit("  In this case:", LABEL), None))
        lines += item_bullets(sub.items, f"arenas.{arena.value}", indent="    ")
        here = [s for s in stages if s.arena == arena]
        if here:
            lines.append((lit("  Story stages here:", LABEL), None))
            lines += untagged(lit(f"    • {s.title}") for s in here)
        lines.append(BLANK)
    return lines[:-1]


def partner_line(it: Item) -> Content:
    """``  • Organisation: text [ids] (role: ...)``."""
    parts: list[Content] = [lit("  • ")]
    if it.lead:
        parts.append(lit(f"{it.lead}: ", "bold"))
    parts.append(statement(it))
    parts += [lit(f" ({detail})", MUTED) for detail in it.details]
    return Content.assemble(*parts)


def partners_lines(case: Case, dataset: Dataset | None = None) -> list[Line]:
    """Partners grouped by sector, each line tagged with the partner's own path.

    A sector the sources are silent on (``sectors_unknown``) gets its heading too, in
    its place, with the unknown under it: unknown, never absent (issue 15).
    """
    section = layout.partners(case)
    if section.items:  # the whole list is unknown
        return [(statement(section.items[0]), "partners")]
    if not section.subsections:
        return [(lit("No partners recorded.", UNKNOWN), "partners")]
    named = {sub.id: sub for sub in section.subsections}
    silent = named.get("unknown")
    silent_sectors = case.sectors_unknown.sectors if case.sectors_unknown else []
    lines: list[Line] = []
    for sector in Sector:
        sub = named.get(sector.value)
        if sub is not None:
            lines.append((heading(sub.title), None))
            lines += [(partner_line(it), it.path) for it in sub.items]
        elif silent is not None and sector in silent_sectors:
            lines.append((heading(sector.label), None))
            lines += [(statement(it, prefix="  ? "), it.path) for it in silent.items]
        else:
            continue
        lines.append(BLANK)
    return lines[:-1]


def section_lines(section: Section) -> list[Line]:
    """A section of subsections: each under its heading, its items as bullets."""
    lines: list[Line] = []
    for sub in section.subsections:
        lines.append((heading(sub.title), None))
        lines += item_bullets(sub.items, sub.id)
        lines.append(BLANK)
    return lines[:-1]


def layout_lines(section: Section) -> list[Line]:
    """Any layout section, drawn plainly: its own items as bullets, then each subsection
    under its heading (a case tab with no renderer of its own is drawn so)."""
    own = item_bullets(section.items, section.id) if section.items else []
    subs = section_lines(section)
    return own + ([BLANK] if own and subs else []) + subs


def evidence_lines(case: Case, dataset: Dataset | None = None) -> list[Line]:
    return layout_lines(layout.evidence(case))


TabLines = Callable[[Case, Dataset], list[Line]]

# The case tabs (``ccgtui.case_tabs``) drawn their own way; every other section tab is
# drawn by :func:`layout_lines` from its section.
RENDERERS: dict[str, TabLines] = {
    "overview": overview_lines,
    "story": story_lines,
    "arenas": arenas_lines,
    "partners": partners_lines,
}


class TabLinesMap(Mapping[str, TabLines]):
    """The text tabs of a case (the registry's section tabs, in order) and how each is
    drawn as tagged lines; read from the registry each time, so a tab registered there
    is a text tab here (``ccgtui.tui.widgets.case_detail`` shows them)."""

    def __getitem__(self, tab: str) -> TabLines:
        if tab not in self:
            raise KeyError(tab)
        return RENDERERS.get(tab) or partial(_drawn_from_layout, tab)

    def __contains__(self, tab: object) -> bool:
        found = isinstance(tab, str) and case_tabs.lookup(tab)
        return bool(found and found.section)

    def __iter__(self) -> Iterator[str]:
        return iter([t.id for t in case_tabs.sections()])

    def __len__(self) -> int:
        return len(case_tabs.sections())


def _drawn_from_layout(tab: str, case: Case, dataset: Dataset) -> list[Line]:
    return layout_lines(layout.build(tab, case, dataset))


TAB_LINES = TabLinesMap()
