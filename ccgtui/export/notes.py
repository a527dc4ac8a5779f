"""``notes export``: everything the user wrote, as Markdown or JSON.

The data is :func:`ccgtui.userdata.export_data`; it may come from a notes file someone
else wrote (``db restore``, a shared ``--db``), so every string in it is escaped like
the briefing's: labels and note text as Markdown text, targets and ids as code spans.
Note text keeps its line breaks (as hard breaks) but not its Markdown: a note saying
``<img onerror=...>`` or ``[x](javascript:...)`` reads as typed.  JSON is lossless, with
controls and bidi characters as ``\\uXXXX`` escapes.
"""

from __future__ import annotations

from typing import Any

from ccgtui.export.markdown import md_code, md_escape, md_escape_block
from ccgtui.json_safe import json_text


def render_notes_json(data: dict[str, Any]) -> str:
    return json_text(data) + "\n"


def render_notes_markdown(data: dict[str, Any]) -> str:
    """Notes grouped by target (orphans last, flagged), then tags and bookmarks."""
    lines = ["# ccgtui notes", "", f"Exported {md_escape(data['exported'])}.", ""]
    # Grouped by target *and* status: two notes on partner position 2 may be on
    # different partners (one of them orphaned by a reordering).
    groups: dict[tuple[str, bool, str], list[dict[str, Any]]] = {}
    for note in data["notes"]:
        key = (str(note["target"]), bool(note.get("orphaned")), str(note.get("moved_to") or ""))
        groups.setdefault(key, []).append(note)
    for target, orphaned, moved_to in sorted(groups, key=lambda k: (k[1], k[0], k[2])):
        notes = groups[(target, orphaned, moved_to)]
        name = notes[0].get("name") or notes[0].get("context") or target
        flag = ""
        if moved_to:
            flag = f" — ORPHANED (that partner is now {md_code(moved_to)})"
        elif orphaned:
            flag = " — ORPHANED (target no longer in the case files)"
        lines += [f"## {md_escape(name)}{flag}", "", md_code(target), ""]
        for note in notes:
            heading = f"### Note {md_escape(note['id'])} ({md_escape(note['updated'])})"
            lines += [heading, "", md_escape_block(note["text"]), ""]
    if data["tags"]:
        lines += ["## Tags", ""]
        lines += [
            f"- {md_code(case)}: {', '.join(md_escape(t) for t in tags)}"
            for case, tags in data["tags"].items()
        ]
        lines.append("")
    if data["bookmarks"]:
        lines += ["## Bookmarks", ""]
        for b in data["bookmarks"]:
            label = f" — {md_escape(b['label'])}" if b["label"] else ""
            flag = " (ORPHANED)" if b.get("orphaned") else ""
            if b.get("moved_to"):
                flag = f" (ORPHANED: that partner is now {md_code(b['moved_to'])})"
            lines.append(f"- {md_escape(b['id'])}: {md_code(b['target'])}{label}{flag}")
        lines.append("")
    return "\n".join(lines)
