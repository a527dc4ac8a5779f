"""The case tabs: one registry entry each, read by every front end (issue 14).

A tab is a part of one case: ``show --section`` takes its id (choices and help come
from here), the explorer draws one tab per entry with its title (and short label when
the tab bar is narrow), a search hit in one of its case fields opens it, and a note on
one of its items (its note-target kind) is marked and offered there.  A tab that is a
section of the case layout has its builder in ``present/case.py`` (``BUILDERS``); the
explorer draws it generically from that section unless ``tui/render/case.py`` registers
a renderer of its own.  Adding a tab touches two files: its entry here and its builder.

Before the registry, seven modules each spelled out the tabs.  This module imports
nothing, so the CLI can list the choices and the index builder the field map cheaply.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import overload


@dataclass(frozen=True)
class CaseTab:
    id: str  # `show --section ID`, the explorer's pane `tab-ID`, a search entry's tab
    title: str  # the tab's label and the section's heading
    short: str  # its label when the tab bar is narrow
    # Case fields (the first part of a statement's path) shown here: a search hit in one
    # opens this tab.  Part of the search index: changing them changes FACTS_VERSION.
    fields: tuple[str, ...] = ()
    # The note-target kind of the items drawn here (``stage``, ``arena``, ``partner``,
    # ``case``, ``source``): their notes are marked on this tab and offered by ``n``.
    note_kind: str | None = None
    section: bool = True  # a section of the case layout (built by present/case.py)
    show: bool = True  # a `show --section` choice


TABS: dict[str, CaseTab] = {}


def register(tab: CaseTab) -> CaseTab:
    if tab.id in TABS:
        raise ValueError(f"case tab {tab.id!r} is registered twice")
    TABS[tab.id] = tab
    return tab


def lookup(tab_id: str) -> CaseTab | None:
    return TABS.get(tab_id)


def sections() -> list[CaseTab]:
    """The tabs that are sections of the case layout, in order."""
    return [t for t in TABS.values() if t.section]


def show_choices() -> list[str]:
    """``show --section`` choices: every part, then the ids ``note add`` takes."""
    return ["all", *(t.id for t in TABS.values() if t.show), "ids"]


def field_tabs() -> dict[str, str]:
    """Which tab shows each case field (fields no tab names are on the Overview)."""
    return {field: t.id for t in TABS.values() for field in t.fields}


def tab_for_kind() -> dict[str, str]:
    """The tab that shows each kind of note target inside a case."""
    return {t.note_kind: t.id for t in TABS.values() if t.note_kind is not None}


class Titles(Sequence[tuple[str, str]]):
    """``(id, title)`` of every tab, read from the registry each time it is used."""

    def _pairs(self) -> list[tuple[str, str]]:
        return [(t.id, t.title) for t in TABS.values()]

    @overload
    def __getitem__(self, index: int) -> tuple[str, str]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, str]]: ...
    def __getitem__(self, index: int | slice) -> tuple[str, str] | list[tuple[str, str]]:
        return self._pairs()[index]

    def __len__(self) -> int:
        return len(TABS)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._pairs())


TITLES = Titles()

# -- the tabs, in the explorer's order ---------------------------------------------------

register(CaseTab("overview", "Overview", "Over", note_kind="case"))
register(CaseTab("story", "Story", "Story", ("story",), note_kind="stage"))
register(CaseTab("arenas", "Arenas", "Arena", ("arenas",), note_kind="arena"))
register(CaseTab("partners", "Partners", "Partn", ("partners",), note_kind="partner"))
register(CaseTab("evidence", "Evidence", "Evid", ("enablers", "barriers", "outcomes", "findings")))
register(CaseTab("notes", "Notes", "Notes", section=False, show=False))
register(CaseTab("sources", "Sources", "Srcs", note_kind="source", section=False))
