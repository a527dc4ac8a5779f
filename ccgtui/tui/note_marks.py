"""The small ``✎ n`` marker shown after an item that has notes.

The case tabs are built as tagged lines (:data:`ccgtui.tui.render.TAB_LINES`):
each stage's lines are tagged ``story[i]``, each partner's line
``partners[i]``.  :func:`decorate` appends the marker, on the tab showing that
kind of note target (:mod:`ccgtui.case_tabs`), to the first line of each stage
or partner with notes, to each arena's heading and to the case's label;
:func:`source_counts` gives the counts the Sources tab shows.  Only notes whose
target still exists count (an orphaned note is about something that is no longer
there).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from textual.content import Content

from ccgtui import case_tabs
from ccgtui import userdata as ud
from ccgtui.model import ARENA_TITLES, Arena, Case, Dataset
from ccgtui.tui.render import Line

NOTE_GLYPH = "✎"
STYLE = "bold $text-accent"


def notes_targets(case_id: str, case: Case | None) -> list[str]:
    """What a case's Notes tab covers: the case (with its stages, arenas and partners)
    and every source it cites."""
    from ccgtui.describe import cited_source_ids

    sources = cited_source_ids(case) if case is not None else []
    return [ud.case_target(case_id), *map(ud.source_target, sources)]


def marker(count: int) -> Content:
    return Content.styled(f" {NOTE_GLYPH} {count}", STYLE) if count else Content("")


def note_counts(notes: Iterable[ud.Note], dataset: Dataset) -> dict[str, int]:
    """Live notes per target (orphans left out)."""
    return dict(Counter(n.target for n in notes if n.name(dataset) is not None))


def source_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """Notes per source id, from :func:`note_counts`."""
    return {t.removeprefix("source:"): n for t, n in counts.items() if t.startswith("source:")}


def _add_after_first(lines: list[Line], tag: str, count: int) -> None:
    for i, (line, line_tag) in enumerate(lines):
        if line_tag == tag:
            lines[i] = (line + marker(count), line_tag)
            return


def _mark_case(case: Case, out: list[Line], counts: Mapping[str, int]) -> None:
    _add_after_first(out, "label", counts.get(ud.case_target(case.id), 0))


def _mark_stages(case: Case, out: list[Line], counts: Mapping[str, int]) -> None:
    if isinstance(case.story, list):
        for i, stage in enumerate(case.story):
            count = counts.get(ud.stage_target(case.id, stage.id), 0)
            if count:
                _add_after_first(out, f"story[{i}]", count)


def _mark_partners(case: Case, out: list[Line], counts: Mapping[str, int]) -> None:
    if isinstance(case.partners, list):
        for i in range(len(case.partners)):
            target = ud.target_for_partner(case, i + 1)
            position = ud.partner_target(case.id, i + 1)  # notes written on the position
            count = counts.get(target, 0) + (counts.get(position, 0) if position != target else 0)
            if count:
                _add_after_first(out, f"partners[{i}]", count)


def _mark_arenas(case: Case, out: list[Line], counts: Mapping[str, int]) -> None:
    headings = {ARENA_TITLES[a]: a for a in Arena}
    for i, (line, tag) in enumerate(out):
        arena = headings.get(line.plain) if tag is None else None
        if arena is not None:
            count = counts.get(ud.arena_target(case.id, arena), 0)
            if count:
                out[i] = (line + marker(count), tag)
            headings.pop(line.plain)


# How the items of each note-target kind are marked on the tab that shows them (the
# kind of each tab is in ccgtui.case_tabs; sources are marked by the Sources list).
MARKS: dict[str, Callable[[Case, list[Line], Mapping[str, int]], None]] = {
    "case": _mark_case,
    "stage": _mark_stages,
    "partner": _mark_partners,
    "arena": _mark_arenas,
}


def decorate(tab: str, case: Case, lines: list[Line], counts: Mapping[str, int]) -> list[Line]:
    """``lines`` of ``tab`` with a marker after every item of ``case`` that has notes."""
    found = case_tabs.lookup(tab)
    mark = MARKS.get(found.note_kind or "") if found is not None else None
    if not counts or mark is None:
        return lines
    out = list(lines)
    mark(case, out, counts)
    return out
