"""REFI-QDA (QDA-XML 1.0) vocabulary shared by the qdpx export and ``import qdpx``.

What a ccgtui project says and how it words it, in one place, so the importer reads
back exactly what the exporter writes: namespaces and member names, the parent
codes, the case fields, the case variables, the GUIDs (uuid5 of what an element
stands for), a source code's label and description, and the heading line above a
stage or a partner in a case's text.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from ccgtui.model import ARENA_TITLES, SECTOR_TITLES, Arena, Partner, Sector, Stage, Statement
from ccgtui.safe_text import clean, clean_line

if TYPE_CHECKING:
    from ccgtui.model import Source, Unknown

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "ccgtui"
QDE_NAME = "project.qde"
SOURCES_DIR = "sources"  # lowercase: ATLAS.ti rejects "Sources/"
CASE_DESCRIPTION = "ccgtui case "  # + the case id: how an import finds ccgtui's own ids
LEVEL_LINE = "ccgtui evidence level: "  # + the level, in a source code's description
ILLUSTRATIVE_LINE = "Illustrative source (not real evidence)."
# A selection's description: what a statement says besides its text and codes.
STAGE_ID_LINE = "ccgtui stage id: "
PARTNER_ID_LINE = "ccgtui partner id: "
QUOTE_LINE = "Quoted from the source."
NOTE_LINE = "Note: "  # the statement's note, to the end of the description

# All GUIDs are uuid5 names under this namespace (itself a uuid5 of a fixed name).
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ccgtui.invalid/refi-qda")

# The parent codes, in codebook order: (key, name, description).
PARENTS: tuple[tuple[str, str, str], ...] = (
    ("arena", "Leadership arena", "The arena of leadership a statement is about."),
    ("sector", "Partner sector", "The cross-boundary partner sector a statement names."),
    ("field", "Case field", "Which part of the case record a statement comes from."),
    ("theme", "Theme", "The case's themes, as recorded in the case file."),
    ("source", "Cited source", "One code per source: the statements that rest on it."),
    ("flag", "Flags", "Statements marked unverified, and values not reported (unknown)."),
)
FLAGS = {
    "unverified": "Unverified: the statement is marked unverified in the case file.",
    "unknown": "Unknown: not reported in available sources (not the same as absent).",
}
FIELD_TITLES = {
    "summary": "Summary",
    "place": "Place",
    "population": "Population",
    "service_area": "Service area",
    "period": "Period",
    "methods": "Methods",
    "story": "Story",
    "arenas": "Arenas",
    "partners": "Partners",
    "sectors_unknown": "Sectors not reported",
    "enablers": "Enablers",
    "barriers": "Barriers",
    "outcomes": "Outcomes",
    "findings": "Findings",
}
# Case-level variables: (name, REFI type).  Unknown values get no value element.
VARIABLES: tuple[tuple[str, str], ...] = (
    ("kind", "Text"),
    ("study", "Text"),
    ("illustrative", "Boolean"),
    ("place", "Text"),
    ("population", "Text"),
    ("service area", "Text"),
    ("period", "Text"),
    ("stages", "Integer"),
    ("partners", "Integer"),
)
# The variables that hold a case field's statement: variable name -> field.
STATEMENT_VARIABLES = {
    "place": "place",
    "population": "population",
    "service area": "service_area",
    "period": "period",
}

# XML 1.0 has no way to carry these, escaped or not (and a CR would become LF on
# reading, shifting every offset after it).
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: object, *, one_line: bool = False) -> str:
    """Text an XML 1.0 document (and a .txt source) can carry unchanged."""
    value = clean_line(text) if one_line else clean(text)
    return _NOT_XML.sub("", value.replace("\r", ""))


def guid(*parts: str) -> str:
    """A stable GUID for what ``parts`` name (same data, same GUID)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


def source_label(source: Source) -> str:
    """A source code's name: ``id: title (year)``."""
    year = f" ({source.year})" if source.year else ""
    return f"{source.id}: {source.title}{year}"


def source_description(source: Source) -> str:
    """A source code's description: the reference, one element a line."""
    authors = "; ".join(source.authors)
    lines = [f"{authors}. {source.title}." if authors else f"{source.title}."]
    if source.container:
        lines.append(source.container)
    if source.doi:
        lines.append(f"https://doi.org/{source.doi}")
    if source.url:
        lines.append(source.url)
    lines.append(f"{LEVEL_LINE}{source.level.value}")
    if source.illustrative:
        lines.append(ILLUSTRATIVE_LINE)
    lines.extend(source.notes)
    return "\n".join(lines)


def heading(path: str, item: Statement | Unknown) -> str:
    """The line above a statement in a case's text: where it sits, in words."""
    if isinstance(item, Stage):
        bits = [item.title]
        if item.period:
            bits.append(f"({item.period})")
        if item.arena is not None:
            bits.append(f"[{item.arena.label}]")
        return " ".join(bits)
    if isinstance(item, Partner):
        who = " - ".join(x for x in (item.organisation, item.role) if x)
        return f"{item.sector.label}: {who}" if who else item.sector.label
    return path


def selection_description(item: Statement | Unknown) -> str:
    """A selection's description: a stage's or partner's id, the quote mark, the note."""
    lines = []
    if isinstance(item, Stage):
        lines.append(STAGE_ID_LINE + item.id)
    elif isinstance(item, Partner) and item.id:
        lines.append(PARTNER_ID_LINE + item.id)
    if isinstance(item, Statement) and item.quote:
        lines.append(QUOTE_LINE)
    if item.note:
        lines.append(NOTE_LINE + item.note)
    return xml_text("\n".join(lines))


def read_selection_description(text: str) -> dict[str, str | bool]:
    """What :func:`selection_description` wrote: ``id``, ``quote``, ``note``."""
    found: dict[str, str | bool] = {}
    lines = text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if line.startswith(NOTE_LINE):
            found["note"] = "\n".join([line.removeprefix(NOTE_LINE), *lines[i + 1 :]])
            break
        if line.startswith((STAGE_ID_LINE, PARTNER_ID_LINE)):
            found["id"] = line.partition(" id: ")[2]
        elif line == QUOTE_LINE:
            found["quote"] = True
    return found


def read_stage_heading(
    line: str, ident: str, arenas: list[str], sectors: list[str]
) -> dict[str, Any]:
    """A stage's title, period, arena and sectors from its heading and its codes."""
    stage: dict[str, Any] = {"id": ident}
    if arenas:
        stage["arena"] = arenas[0]
        line = line.removesuffix(f" [{ARENA_TITLES[Arena(arenas[0])]}]")
    period = re.fullmatch(r"(.+) \((.+)\)", line)
    stage["title"], stage["period"] = (period[1], period[2]) if period else (line, None)
    if stage["period"] is None:
        del stage["period"]
    if sectors:
        stage["sectors"] = sectors
    return stage


def read_partner_heading(line: str, sectors: list[str]) -> dict[str, Any]:
    """A partner's sector, organisation and role from its heading and its codes."""
    sector = Sector(sectors[0]) if sectors else Sector.other
    partner: dict[str, Any] = {"sector": sector.value}
    who = line.removeprefix(SECTOR_TITLES[sector]).removeprefix(": ")
    if who and who != line:
        organisation, dash, role = who.rpartition(" - ")
        partner["organisation"] = organisation if dash else role
        if dash:
            partner["role"] = role
    return partner
