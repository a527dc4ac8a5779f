"""Markdown briefing: study summary, each case's story by arena, partners, evidence,
numbered citations and a reference list.  Every value from the data is escaped,
so a label like ``*x*`` or ``[a](b)`` reads as typed (valid CommonMark)."""

from __future__ import annotations

import re

from ccgtui.export import Progress, Selection
from ccgtui.export.document import Item, Record, Section, build, citation_order

# Inline syntax anywhere in a value; ( ) ! only act next to [ ], which are escaped.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# A value can also open a list item or a heading: escape a leading block marker.
_LEADING_MARK = re.compile(r"^([#+=-])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


def md_escape(text: str) -> str:
    """Backslash-escape Markdown syntax; fold newlines so a value stays one line."""
    flat = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    flat = _LEADING_MARK.sub(r"\\\1", flat)
    return _LEADING_NUMBER.sub(r"\1\\\2", flat)


def _item(it: Item, refs: dict[str, int]) -> str:
    text = md_escape(it.text)
    if it.quote:
        text = f"“{text}”"
    if it.unknown:
        text = f"*Unknown:* {text}"
    if it.lead:
        text = f"**{md_escape(it.lead)}:** {text}"
    if it.sources:
        text += " " + "".join(f"[\\[{refs[s]}\\]](#ref-{refs[s]})" for s in it.sources)
    if it.unverified:
        text += " ⚠ **unverified**"
    if it.note:
        text += f" *(note: {md_escape(it.note)})*"
    return f"- {text}"


def _section(section: Section, level: int, refs: dict[str, int]) -> list[str]:
    lines = [f"{'#' * level} {md_escape(section.title)}", ""]
    lines += [_item(it, refs) for it in section.items]
    if section.items:
        lines.append("")
    for sub in section.subsections:
        lines += _section(sub, level + 1, refs)
    return lines


def render_markdown(selection: Selection, progress: Progress | None = None) -> str:
    records: list[Record] = build(selection, progress)
    refs = citation_order(records)
    lines = ["# ccgtui briefing", ""]
    for record in records:
        lines += [f"## {md_escape(record.title)}", ""]
        if record.illustrative:
            lines += ["> **ILLUSTRATIVE EXAMPLE - fictional data, not a real site.**", ""]
        for section in record.sections:
            lines += _section(section, 3, refs)
    if refs:
        sources = {s.id: s for s in selection.dataset.sources}
        lines += ["## References", ""]
        for sid, n in refs.items():
            source = sources.get(sid)
            text = md_escape(source.citation()) if source else f"{md_escape(sid)} (not defined)"
            if source is not None and source.url:
                text += f" <{source.url}>" if " " not in source.url else ""
            if source is not None and source.illustrative:
                text += " *(illustrative)*"
            lines.append(f'{n}. <a id="ref-{n}"></a>\\[{md_escape(sid)}\\] {text}')
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
