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
from typing import TYPE_CHECKING

from ccgtui.safe_text import clean, clean_line

if TYPE_CHECKING:
    from ccgtui.model import Source, Statement, Unknown

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "ccgtui"
QDE_NAME = "project.qde"
SOURCES_DIR = "sources"  # lowercase: ATLAS.ti rejects "Sources/"
CASE_DESCRIPTION = "ccgtui case "  # + the case id: how an import finds ccgtui's own ids
LEVEL_LINE = "ccgtui evidence level: "  # + the level, in a source code's description
ILLUSTRATIVE_LINE = "Illustrative source (not real evidence)."

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
    elif source.url:
        lines.append(source.url)
    lines.append(f"{LEVEL_LINE}{source.level.value}")
    if source.illustrative:
        lines.append(ILLUSTRATIVE_LINE)
    lines.extend(source.notes)
    return "\n".join(lines)


def heading(path: str, item: Statement | Unknown) -> str:
    """The line above a statement in a case's text: where it sits, in words."""
    from ccgtui.model import Partner, Stage

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
