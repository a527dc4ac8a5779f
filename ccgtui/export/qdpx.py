"""REFI-QDA (QDA-XML 1.0) exports: a ``.qdpx`` project and a ``.qdc`` codebook.

The study is the Project.  Each case is a ``Case`` with typed variables and a
``TextSource``: the case rendered as plain text (``sources/<GUID>.txt`` in the zip,
``plainTextPath="internal://<GUID>.txt"``).  Each statement, stage and partner is a
``PlainTextSelection`` whose character offsets slice out exactly its text, coded
under six parent codes (see :data:`PARENTS`).  The user's notes become ``Notes``
with ``NoteRef``s on what they are about; tags and bookmarks become ``Sets``.

Interop details other tools' users have hit: the folder is lowercase ``sources/``
(ATLAS.ti rejects others), a ``.txt`` source has no ``richTextPath``, nothing
precedes ``<?xml`` (no BOM), positions count characters (code points), not bytes.

Every GUID is a uuid5 of what the element stands for, and no timestamp of the
export is written (the zip's entries carry a fixed date), so the same data gives a
byte-identical file.  The writer is plain :mod:`xml.etree`: it escapes ``<``, ``&``
and quotes; :func:`xml_text` drops what XML 1.0 cannot carry at all.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from ccgtui.model import (
    ARENA_TITLES,
    SECTOR_TITLES,
    Arena,
    Partner,
    Sector,
    SectorsUnknown,
    Stage,
    Statement,
    Unknown,
    iter_statements,
)
from ccgtui.safe_text import clean, clean_line

if TYPE_CHECKING:
    from ccgtui.export import Selection
    from ccgtui.model import Case, Dataset, Source, Study
    from ccgtui.userdata import Bookmark, Note

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = "ccgtui"
QDE_NAME = "project.qde"
SOURCES_DIR = "sources"  # lowercase: ATLAS.ti rejects "Sources/"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no export time in the file

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

# XML 1.0 has no way to carry these, escaped or not (and a CR would become LF on
# reading, shifting every offset after it).
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class QdpxError(Exception):
    """The selection cannot be written as a REFI-QDA project."""


def xml_text(text: object, *, one_line: bool = False) -> str:
    """Text an XML 1.0 document (and a .txt source) can carry unchanged."""
    value = clean_line(text) if one_line else clean(text)
    return _NOT_XML.sub("", value.replace("\r", ""))


def guid(*parts: str) -> str:
    """A stable GUID for what ``parts`` name (same data, same GUID)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


# -- the codebook -------------------------------------------------------------------


@dataclass
class Code:
    key: str  # e.g. "sector:social-work"; its GUID is guid("code", key)
    name: str
    description: str = ""
    children: list[Code] = field(default_factory=list)
    codable: bool = True

    @property
    def guid(self) -> str:
        return guid("code", self.key)


def _source_label(source: Source) -> str:
    year = f" ({source.year})" if source.year else ""
    return f"{source.id}: {source.title}{year}"


def _source_description(source: Source) -> str:
    authors = "; ".join(source.authors)
    lines = [f"{authors}. {source.title}." if authors else f"{source.title}."]
    if source.container:
        lines.append(source.container)
    if source.doi:
        lines.append(f"https://doi.org/{source.doi}")
    elif source.url:
        lines.append(source.url)
    lines.append(f"ccgtui evidence level: {source.level.value}")
    if source.illustrative:
        lines.append("Illustrative source (not real evidence).")
    lines.extend(source.notes)
    return "\n".join(lines)


def codebook(dataset: Dataset, cases: Sequence[Case], sources: Sequence[Source]) -> list[Code]:
    """The code tree: six parents, their children in a fixed order."""
    children: dict[str, list[Code]] = {
        "arena": [Code(f"arena:{a.value}", ARENA_TITLES[a]) for a in Arena],
        "sector": [Code(f"sector:{s.value}", SECTOR_TITLES[s]) for s in Sector],
        "field": [Code(f"field:{k}", title) for k, title in FIELD_TITLES.items()],
        "theme": [
            Code(f"theme:{t}", xml_text(t, one_line=True))
            for t in sorted({t for c in cases for t in c.themes})
        ],
        "source": [
            Code(
                f"source:{s.id}", xml_text(_source_label(s), one_line=True), _source_description(s)
            )
            for s in sources
        ],
        "flag": [Code(f"flag:{k}", k, text) for k, text in FLAGS.items()],
    }
    return [
        Code(f"parent:{key}", name, text, children[key], codable=False)
        for key, name, text in PARENTS
    ]


def _code_element(parent: ET.Element, code: Code, *, with_notes: dict[str, list[str]]) -> None:
    el = ET.SubElement(
        parent,
        "Code",
        guid=code.guid,
        name=xml_text(code.name, one_line=True),
        isCodable="true" if code.codable else "false",
    )
    if code.description:
        ET.SubElement(el, "Description").text = xml_text(code.description)
    for note_guid in with_notes.get(code.key, []):
        ET.SubElement(el, "NoteRef", targetGUID=note_guid)
    for child in code.children:
        _code_element(el, child, with_notes=with_notes)


# -- a case as plain text, with its selections ----------------------------------------


@dataclass
class Span:
    """One statement's place in its case's text, and the codes it gets."""

    path: str  # e.g. "story[2]", "arenas.board[0]"
    start: int
    end: int
    codes: list[str]  # code keys

    @property
    def guid(self) -> str:
        return guid("selection", self.path)


@dataclass
class CaseText:
    case: Case
    text: str
    spans: list[Span]

    @property
    def source_guid(self) -> str:
        return guid("source", self.case.id)


def _statement_codes(path: str, item: Statement | Unknown, case: Case) -> list[str]:
    top = re.split(r"[.\[]", path, maxsplit=1)[0]
    codes = [f"field:{top}"] if top in FIELD_TITLES else []
    arenas: list[Arena] = []
    if top == "arenas":
        arenas.append(Arena(path.split(".")[1].split("[")[0]))
    if isinstance(item, Stage) and item.arena is not None:
        arenas.append(item.arena)
    codes += [f"arena:{a.value}" for a in arenas]
    sectors: list[Sector] = []
    if isinstance(item, Partner):
        sectors.append(item.sector)
    elif isinstance(item, Stage | SectorsUnknown):
        sectors += item.sectors
    codes += [f"sector:{s.value}" for s in dict.fromkeys(sectors)]
    codes += [f"source:{sid}" for sid in dict.fromkeys(item.sources)]
    if isinstance(item, Unknown) or (isinstance(item, Statement) and item.unknown):
        codes.append("flag:unknown")
    if isinstance(item, Statement) and item.unverified:
        codes.append("flag:unverified")
    return codes


def _heading(path: str, item: Statement | Unknown) -> str:
    """The line above a statement: where it sits in the record, in words."""
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


def case_text(case: Case) -> CaseText:
    """The case as plain text; each statement's text is one span of it, unchanged."""
    lines: list[str] = [xml_text(case.label, one_line=True)]
    lines.append(f"Case {case.id} · kind: {case.kind.value} · study: {case.study}")
    if case.illustrative:
        lines.append("ILLUSTRATIVE: a made-up example, not real evidence.")
    text = "\n".join(lines) + "\n"
    spans: list[Span] = []
    section = ""
    for path, item in iter_statements(case):
        top = re.split(r"[.\[]", path, maxsplit=1)[0]
        if top != section:
            section = top
            text += f"\n{FIELD_TITLES.get(top, top)}\n"
        text += xml_text(_heading(path, item), one_line=True) + "\n"
        body = xml_text(item.text)
        start = len(text)
        text += body + "\n"
        spans.append(Span(f"{case.id}/{path}", start, start + len(body), []))
        spans[-1].codes = _statement_codes(path, item, case)
    if case.themes:
        text += "\nThemes\n" + "; ".join(xml_text(t, one_line=True) for t in case.themes) + "\n"
    return CaseText(case, text, spans)


# -- notes, tags and bookmarks ------------------------------------------------------


@dataclass
class UserData:
    notes: Sequence[Note] = ()
    tags: dict[str, list[str]] = field(default_factory=dict)
    bookmarks: Sequence[Bookmark] = ()


def _note_guid(note: Note) -> str:
    return guid("note", note.uid or str(note.id))


_XSD_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")


def _valid_datetime(value: str) -> str | None:
    """``value`` if it is an xsd:dateTime (a hand-edited store may hold anything)."""
    if not _XSD_DATETIME.fullmatch(value):
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


@dataclass
class Anchors:
    """Where each note hangs: GUIDs of notes by element (case source, selection, code)."""

    project: list[str] = field(default_factory=list)
    on_source: dict[str, list[str]] = field(default_factory=dict)  # case id ->
    on_selection: dict[str, list[str]] = field(default_factory=dict)  # span path ->
    on_code: dict[str, list[str]] = field(default_factory=dict)  # code key ->


def _anchor_notes(
    notes: Iterable[Note], texts: dict[str, CaseText], studies: set[str], sources: set[str]
) -> tuple[list[Note], Anchors]:
    from ccgtui.userdata import UserDataError, parse_target

    kept: list[Note] = []
    anchors = Anchors()
    for note in notes:
        try:
            target = parse_target(note.target)
        except UserDataError:
            continue
        g = _note_guid(note)
        if target.kind == "study" and target.parts[0] in studies:
            anchors.project.append(g)
        elif target.kind == "source" and target.parts[0] in sources:
            anchors.on_code.setdefault(f"source:{target.parts[0]}", []).append(g)
        elif target.case_id in texts:
            ct = texts[target.case_id]
            paths = _target_paths(ct, target.kind, target.parts)
            if target.kind == "case" or not paths:
                anchors.on_source.setdefault(ct.case.id, []).append(g)
            for p in paths:
                anchors.on_selection.setdefault(p, []).append(g)
        else:
            continue  # about something not in this export
        kept.append(note)
    return kept, anchors


def _target_paths(ct: CaseText, kind: str, parts: tuple[str, ...]) -> list[str]:
    """The span paths a stage, arena or partner note is about."""
    case = ct.case
    if kind == "stage" and isinstance(case.story, list):
        return [f"{case.id}/story[{i}]" for i, s in enumerate(case.story) if s.id == parts[1]]
    if kind == "arena":
        prefix = f"{case.id}/arenas.{parts[1]}"
        return [s.path for s in ct.spans if s.path == prefix or s.path.startswith(prefix + "[")]
    if kind == "partner" and isinstance(case.partners, list):
        ref = parts[1]
        for i, p in enumerate(case.partners):
            if p.id == ref or (ref.isdigit() and int(ref) == i + 1):
                return [f"{case.id}/partners[{i}]"]
    return []


# -- the project --------------------------------------------------------------------


def _variable_values(case: Case) -> list[tuple[str, str, str | None]]:
    """(variable name, value element, value or None for unknown), in VARIABLES order."""

    def said(statement: Statement | None) -> str | None:
        if statement is None or statement.unknown:
            return None
        return xml_text(statement.text)

    stages = len(case.story) if isinstance(case.story, list) else None
    partners = len(case.partners) if isinstance(case.partners, list) else None
    values: dict[str, tuple[str, str | None]] = {
        "kind": ("TextValue", case.kind.value),
        "study": ("TextValue", case.study),
        "illustrative": ("BooleanValue", "true" if case.illustrative else "false"),
        "place": ("TextValue", said(case.place)),
        "population": ("TextValue", said(case.population)),
        "service area": ("TextValue", said(case.service_area)),
        "period": ("TextValue", said(case.period)),
        "stages": ("IntegerValue", None if stages is None else str(stages)),
        "partners": ("IntegerValue", None if partners is None else str(partners)),
    }
    return [(name, *values[name]) for name, _ in VARIABLES]


def _project_name(studies: Sequence[Study]) -> str:
    if len(studies) == 1:
        return xml_text(studies[0].short_title or studies[0].title, one_line=True)
    return "ccgtui export"


def project_xml(selection: Selection, user: UserData | None = None) -> tuple[str, list[CaseText]]:
    """``project.qde`` as text, and the case texts its sources point at."""
    user = user or UserData()
    dataset = selection.dataset
    cases = list(selection.cases)
    studies = selection.studies
    sources = list(dataset.sources)
    texts = {c.id: case_text(c) for c in cases}
    notes, anchors = _anchor_notes(
        user.notes, texts, {s.id for s in studies}, {s.id for s in sources}
    )
    user_guid = guid("user", ORIGIN)

    root = ET.Element(
        "Project",
        name=_project_name(studies),
        origin=ORIGIN,
        creatingUserGUID=user_guid,
    )
    root.set("xmlns", PROJECT_NS)
    users = ET.SubElement(root, "Users")
    ET.SubElement(users, "User", guid=user_guid, name=ORIGIN)

    codes_el = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
    tree = codebook(dataset, cases, sources)
    for code in tree:
        _code_element(codes_el, code, with_notes=anchors.on_code)
    known = {c.key for parent in tree for c in parent.children}

    variables = ET.SubElement(root, "Variables")
    for name, kind in VARIABLES:
        ET.SubElement(
            variables, "Variable", guid=guid("variable", name), name=name, typeOfVariable=kind
        )

    if cases:
        cases_el = ET.SubElement(root, "Cases")
        for case in cases:
            case_el = ET.SubElement(
                cases_el,
                "Case",
                guid=guid("case", case.id),
                name=xml_text(case.label, one_line=True),
            )
            ET.SubElement(case_el, "Description").text = f"ccgtui case {case.id}"
            for theme in dict.fromkeys(case.themes):
                ET.SubElement(case_el, "CodeRef", targetGUID=guid("code", f"theme:{theme}"))
            for name, element, value in _variable_values(case):
                vv = ET.SubElement(case_el, "VariableValue")
                ET.SubElement(vv, "VariableRef", targetGUID=guid("variable", name))
                if value is not None:
                    ET.SubElement(vv, element).text = value
            ET.SubElement(case_el, "SourceRef", targetGUID=texts[case.id].source_guid)

        sources_el = ET.SubElement(root, "Sources")
        for case in cases:
            _text_source(sources_el, texts[case.id], anchors, known)

    if notes:
        notes_el = ET.SubElement(root, "Notes")
        for note in notes:
            attrs = {"guid": _note_guid(note), "name": xml_text(f"Note {note.id}", one_line=True)}
            created = _valid_datetime(note.created)
            if created:
                attrs["creationDateTime"] = created
            note_el = ET.SubElement(notes_el, "Note", attrs)
            if note.author:
                ET.SubElement(note_el, "Description").text = xml_text(
                    f"by {note.author} about {note.target}", one_line=True
                )
            ET.SubElement(note_el, "PlainTextContent").text = xml_text(note.text)

    sets = _sets(user, texts, {s.id for s in sources})
    if sets:
        sets_el = ET.SubElement(root, "Sets")
        for name, description, members in sets:
            set_el = ET.SubElement(sets_el, "Set", guid=guid("set", name), name=name)
            ET.SubElement(set_el, "Description").text = description
            for tag, target in members:
                ET.SubElement(set_el, tag, targetGUID=target)

    if len(studies) == 1:
        ET.SubElement(root, "Description").text = xml_text(studies[0].title)
    for g in anchors.project:
        ET.SubElement(root, "NoteRef", targetGUID=g)
    return _serialise(root), [texts[c.id] for c in cases]


def _text_source(parent: ET.Element, ct: CaseText, anchors: Anchors, known: set[str]) -> None:
    src = ET.SubElement(
        parent,
        "TextSource",
        guid=ct.source_guid,
        name=xml_text(ct.case.label, one_line=True),
        plainTextPath=f"internal://{ct.source_guid}.txt",
    )
    for span in ct.spans:
        sel = ET.SubElement(
            src,
            "PlainTextSelection",
            guid=span.guid,
            name=span.path,
            startPosition=str(span.start),
            endPosition=str(span.end),
        )
        for key in span.codes:
            if key not in known:  # a source id the dataset lacks: no code to point at
                continue
            coding = ET.SubElement(sel, "Coding", guid=guid("coding", span.path, key))
            ET.SubElement(coding, "CodeRef", targetGUID=guid("code", key))
        for g in anchors.on_selection.get(span.path, []):
            ET.SubElement(sel, "NoteRef", targetGUID=g)
    for g in anchors.on_source.get(ct.case.id, []):
        ET.SubElement(src, "NoteRef", targetGUID=g)


def _sets(
    user: UserData, texts: dict[str, CaseText], sources: set[str]
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(name, description, members) for each tag and for the bookmarks."""
    from ccgtui.userdata import UserDataError, parse_target

    by_tag: dict[str, list[str]] = {}
    for case_id, tags in user.tags.items():
        if case_id in texts:
            for tag in tags:
                by_tag.setdefault(tag, []).append(case_id)
    out: list[tuple[str, str, list[tuple[str, str]]]] = []
    for tag in sorted(by_tag):
        members = [("MemberSource", texts[c].source_guid) for c in sorted(by_tag[tag])]
        name = xml_text(f"Tag: {tag}", one_line=True)
        out.append((name, "Cases you tagged in ccgtui.", members))
    marked: list[tuple[str, str]] = []
    for mark in user.bookmarks:
        try:
            target = parse_target(mark.target)
        except UserDataError:
            continue
        if target.kind == "source" and target.parts[0] in sources:
            member = ("MemberCode", guid("code", f"source:{target.parts[0]}"))
        elif target.case_id in texts:
            member = ("MemberSource", texts[target.case_id].source_guid)
        else:
            continue
        if member not in marked:
            marked.append(member)
    if marked:
        out.append(("Bookmarks", "What you bookmarked in ccgtui (cases and sources).", marked))
    return out


def _serialise(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def render_qdpx(selection: Selection, user: UserData | None = None) -> bytes:
    """The ``.qdpx`` zip: ``project.qde`` and ``sources/<GUID>.txt`` per case."""
    if selection.what == "study" or not selection.cases:
        raise QdpxError("a qdpx project needs cases; use --what cases or --case ID")
    qde, texts = project_xml(selection, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _add(archive, QDE_NAME, qde.encode("utf-8"))
        for ct in texts:
            _add(archive, f"{SOURCES_DIR}/{ct.source_guid}.txt", ct.text.encode("utf-8"))
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def render_qdc(selection: Selection) -> str:
    """The codebook alone (``.qdc``): the same codes and GUIDs as the project's."""
    dataset = selection.dataset
    cases = list(selection.cases) or list(dataset.cases)
    root = ET.Element("CodeBook", origin=ORIGIN)
    root.set("xmlns", CODEBOOK_NS)
    codes_el = ET.SubElement(root, "Codes")
    for code in codebook(dataset, cases, list(dataset.sources)):
        _qdc_code(codes_el, code)
    return _serialise(root)


def _qdc_code(parent: ET.Element, code: Code) -> None:
    """A codebook's code: the project's code element without note references."""
    _code_element(parent, code, with_notes={})
