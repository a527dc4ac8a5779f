"""Sources for ``import qdpx``: ccgtui's own source codes read back, other tools'
text sources as sources of their own, and ids made from names.

A ccgtui export writes each source as a code named ``id: title (year)`` whose
description is the reference one element a line (:func:`ccgtui.refi.source_description`);
this reads that wording back.  What the project does not carry (a source's type,
volume, issue, pages, variants) is left out and said so in the report, never
guessed; the type is ``other``, which the schema requires and claims nothing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ccgtui.refi import ILLUSTRATIVE_LINE, LEVEL_LINE
from ccgtui.safe_text import clean_line, show_name

if TYPE_CHECKING:
    from ccgtui.qdpx_read import RefiCode, RefiSource

_LEVELS = ("primary", "secondary", "unverified")
_LINK = re.compile(r"(https?://|doi:)\S+")
_DOI = "https://doi.org/"
MAX_SLUG = 60


def _quoted(name: str) -> str:
    shown = show_name(name[:80])
    return shown if shown.startswith("'") else f"'{shown}'"


def slug(text: str, fallback: str) -> str:
    """An id (``[a-z0-9][a-z0-9._-]*``) made from a name: lowercase, runs of other
    characters as one ``-``; ``fallback`` when nothing is left."""
    made = re.sub(r"[^a-z0-9]+", "-", clean_line(text).lower()).strip("-")[:MAX_SLUG]
    return made.strip("-") or fallback


def ccgtui_source(code: RefiCode, source_id: str, report: list[str]) -> dict[str, Any] | None:
    """The source record a ccgtui source code stands for, or None if it is not one."""
    lines = code.description.split("\n")
    level_at = next((i for i, line in enumerate(lines) if line.startswith(LEVEL_LINE)), None)
    if level_at is None or lines[level_at].removeprefix(LEVEL_LINE) not in _LEVELS:
        report.append(f"code {_quoted(code.name)}: not a ccgtui source code (no level line)")
        return None
    head, tail = lines[:level_at], lines[level_at + 1 :]
    record: dict[str, Any] = {"id": source_id, "type": "other"}
    rest = code.name.partition(": ")[2]
    title, year, authors = _title_year_authors(rest, head[0] if head else "")
    record["title"] = title
    if authors:
        record["authors"] = authors
    if year is not None:
        record["year"] = year
    for line in head[1:]:
        if line.startswith(_DOI) and "doi" not in record and "url" not in record:
            record["doi"] = line.removeprefix(_DOI)
        elif _LINK.fullmatch(line):
            record["url"] = line
        else:
            record["container"] = line
    record["level"] = lines[level_at].removeprefix(LEVEL_LINE)
    if tail[:1] == [ILLUSTRATIVE_LINE]:
        record["illustrative"] = True
        tail = tail[1:]
    if tail:
        record["notes"] = tail
    return record


def _title_year_authors(label: str, first: str) -> tuple[str, int | None, list[str]]:
    """Split ``title (year)`` and ``authors. title.`` as the export joined them.

    A title that itself ends in ``(1999)`` is told from a year by the description's
    first line, which holds the title without the year.
    """
    candidates: list[tuple[str, int | None]] = [(label, None)]
    found = re.fullmatch(r"(.*) \((\d{1,4})\)", label)
    if found:
        candidates.insert(0, (found[1], int(found[2])))
    for title, year in candidates:
        if first == f"{title}.":
            return title, year, []
        if first.endswith(f". {title}."):
            return title, year, first[: -len(f". {title}.")].split("; ")
    title, year = candidates[0]
    return title, year, []


def text_source_record(
    source: RefiSource, project: str, sources: list[dict[str, Any]], report: list[str]
) -> str:
    """The id of the source a finding from ``source``'s text cites (added once)."""
    for record in sources:
        if record.get("_guid") == source.guid:
            return str(record["id"])
    taken = {s["id"] for s in sources}
    base = slug(source.name, "source")
    source_id, n = base, 2
    while source_id in taken:
        source_id, n = f"{base}-{n}", n + 1
    sources.append(
        {
            "_guid": source.guid,  # removed before the records are validated
            "id": source_id,
            "type": "other",
            "title": clean_line(source.name).strip() or source_id,
            "level": "primary",
            "notes": [
                f"A text source of the REFI-QDA project {clean_line(project) or '(no name)'}, "
                "imported by ccgtui import qdpx; its text is in that project."
            ],
        }
    )
    report.append(
        f"source {source_id}: from text source {_quoted(source.name)}; "
        "type other and level primary (the project holds its text): check them"
    )
    return source_id
