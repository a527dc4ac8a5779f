"""A source in the explorer: its line on a case's Sources tab and its full reference.

Both show the :class:`~ccgtui.present.source.SourceRef` that ``show``, ``compare`` and
the briefings list: the level in the same words, the illustrative flag, and the notes
(a conflict between records among them) under the reference.
"""

from __future__ import annotations

from textual.content import Content

from ccgtui.model import Source
from ccgtui.present.source import source_ref
from ccgtui.tui.render.base import LABEL, MUTED, UNKNOWN, UNVERIFIED, heading, join_lines, lit
from ccgtui.wording import (
    ILLUSTRATIVE_SOURCE_BANNER,
    ILLUSTRATIVE_SOURCE_MARK,
    SOURCE_NOT_DEFINED,
)


def source_prompt(source_id: str, source: Source | None) -> Content:
    """``[id] citation (level: x)``, the illustrative flag, then each note on its own line."""
    ref = source_ref(source_id, source)
    if not ref.defined:
        return Content.assemble(lit(f"[{source_id}] ", MUTED), lit(SOURCE_NOT_DEFINED, UNKNOWN))
    level = lit(f" ({ref.level_text})", UNVERIFIED if ref.level == "unverified" else MUTED)
    flag = lit(f" {ILLUSTRATIVE_SOURCE_MARK}", "bold $text-warning") if ref.illustrative else ""
    notes = [lit(f"\n    note: {note}", MUTED) for note in ref.notes]
    return Content.assemble(lit(f"[{source_id}] ", MUTED), lit(ref.citation), level, flag, *notes)


def source_detail(source: Source) -> Content:
    ref = source_ref(source.id, source)
    lines: list[Content] = [
        lit(source.title, "bold"),
        lit(f"{source.id} · {source.type.value} · {ref.level_text}", MUTED),
        Content(""),
        heading("Reference"),
        lit(ref.citation),
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
    lines += [lit(f"  • {n}") for n in ref.notes] or [lit("  (no notes)", UNKNOWN)]
    return join_lines(lines)
