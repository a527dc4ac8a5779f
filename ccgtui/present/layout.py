"""The layout's pieces: an item (one statement and its provenance), a section, a record.

Every front end formats these; none reads a statement's provenance fields itself, so a
new mark added here reaches ``show``, ``compare``, the explorer and the briefings at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the layout reads fields by name: a model or its view (present.views)
    from ccgtui.model import Statement, Unknown
    from ccgtui.present.views import StatementView, UnknownView

    AnyStatement = Statement | Unknown | StatementView | UnknownView


@dataclass
class Item:
    """One statement as every front end shows it: its text and its provenance."""

    text: str
    sources: list[str] = field(default_factory=list)
    unknown: bool = False
    unverified: bool = False
    quote: bool = False
    note: str | None = None
    lead: str = ""  # a short label shown before the text ("Place", "1. Stage title")
    path: str | None = None  # where it is in its record, as iter_statements names it
    details: list[str] = field(default_factory=list)  # plain lines under it ("Arena: ...")


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    id: str = ""  # a stable name (a tab, a `show --section` choice)

    def walk(self) -> Iterator[Item]:
        """Every item in this section and its subsections, in reading order."""
        yield from self.items
        for sub in self.subsections:
            yield from sub.walk()

    @property
    def empty(self) -> bool:
        return not self.items and not self.subsections


@dataclass
class Record:
    anchor: str
    title: str
    illustrative: bool
    sections: list[Section]
    banners: list[str] = field(default_factory=list)  # shown first (ccgtui.wording)
    id: str = ""

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def walk(self) -> Iterator[Item]:
        for section in self.sections:
            yield from section.walk()


def item(
    value: AnyStatement,
    lead: str = "",
    path: str | None = None,
    details: Sequence[str] = (),
) -> Item:
    """The item of a statement or an unknown: the one place its provenance is read.

    An unknown (a whole list not reported) is always unknown, never unverified or quoted:
    it has no such fields.
    """
    return Item(
        value.text,
        list(value.sources),
        value.unknown,
        getattr(value, "unverified", False),
        getattr(value, "quote", False),
        value.note,
        lead,
        path,
        list(details),
    )


def items(
    values: Sequence[AnyStatement] | Unknown | UnknownView, path: str | None = None
) -> list[Item]:
    """A list field's items, each with its path (``path[i]``; an unknown list: ``path``)."""
    if not isinstance(values, Sequence):  # the whole list unknown
        return [item(values, path=path)]
    return [item(v, path=f"{path}[{i}]" if path else None) for i, v in enumerate(values)]


def source_ids(found: Sequence[Item] | Iterator[Item]) -> list[str]:
    """Source ids cited by ``found``, in first-cited order."""
    seen: dict[str, None] = {}
    for it in found:
        for sid in it.sources:
            seen.setdefault(sid, None)
    return list(seen)
