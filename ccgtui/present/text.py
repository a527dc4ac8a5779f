"""The layout as plain text: what ``show``, ``show --section``, ``compare`` and
``show --brief`` print, and what the explorer copies with ``y``.

Plain strings, never markup; the same marks as every other front end (from
:mod:`ccgtui.wording`), in the same order: text, source ids, unverified mark, note.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ccgtui.present.layout import Item, Section, item
from ccgtui.present.source import SourceRef
from ccgtui.wording import (
    ILLUSTRATIVE_SOURCE_MARK,
    NONE_RECORDED,
    SOURCE_NOT_DEFINED,
    UNKNOWN_PREFIX,
    UNVERIFIED_MARK,
)

if TYPE_CHECKING:  # a model or its view (present.views)
    from ccgtui.present.layout import AnyStatement


def _item(value: Item | AnyStatement) -> Item:
    return value if isinstance(value, Item) else item(value)


def provenance(value: Item | AnyStatement | None) -> str:
    """`` [src1, src2]``, the unverified mark and ``(note: ...)``: what follows a text."""
    if value is None:
        return ""
    it = _item(value)
    text = f" [{', '.join(it.sources)}]" if it.sources else ""
    if it.unverified:
        text += f" {UNVERIFIED_MARK}"
    if it.note:
        text += f" (note: {it.note})"
    return text


def cite(value: Item | AnyStatement) -> str:
    """``text [src1, src2]`` with its marks; an unknown reads as unknown, a quote quoted."""
    it = _item(value)
    text = f"\u201c{it.text}\u201d" if it.quote else it.text
    if it.unknown:
        text = f"{UNKNOWN_PREFIX}{text}"
    return text + provenance(it)


def item_lines(it: Item, indent: str = "", bullet: str = "- ") -> list[str]:
    """An item as text: ``- Lead: text [ids]``, its marks and note, then its details."""
    lead = f"{it.lead}: " if it.lead else ""
    return [f"{indent}{bullet}{lead}{cite(it)}"] + [
        f"{indent}{' ' * len(bullet)}{detail}" for detail in it.details
    ]


def section_lines(section: Section, indent: str = "") -> list[str]:
    """A section's items, then each subsection under its title; empty: NONE_RECORDED."""
    lines = [line for it in section.items for line in item_lines(it, indent)]
    for sub in section.subsections:
        lines.append(f"{indent}{sub.title}")
        lines += section_lines(sub, indent + "  ")
    if not lines:
        lines.append(f"{indent}- {NONE_RECORDED}")
    return lines


def source_lines(refs: list[SourceRef]) -> list[str]:
    """Each source: ``[id] citation (level: x)``, its address and notes (conflicts)."""
    lines: list[str] = []
    for ref in refs:
        if not ref.defined:
            lines.append(f"[{ref.id}] {SOURCE_NOT_DEFINED}")
            continue
        flag = f" {ILLUSTRATIVE_SOURCE_MARK}" if ref.illustrative else ""
        lines.append(f"[{ref.id}] {ref.citation} ({ref.level_text}){flag}")
        if ref.url:
            lines.append(f"    {ref.url}")
        lines += [f"    note: {note}" for note in ref.notes]
    return lines or ["(no sources cited)"]


def cited_lines(lines: Sequence[str], found: Sequence[Item | AnyStatement | None]) -> list[str]:
    """Each line of a compare cell followed by its statement's provenance (``compare``;
    the explorer's Compare screen should show the same)."""
    return [line + provenance(it) for line, it in zip(lines, found, strict=True)]
