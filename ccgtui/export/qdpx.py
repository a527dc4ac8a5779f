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
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from ccgtui.export.qdpx_text import CaseText, Code, case_text, codebook, with_crlf
from ccgtui.export.qdpx_user import Anchors, UserData, anchor_notes, write_notes, write_sets
from ccgtui.refi import (
    CASE_DESCRIPTION,
    CODEBOOK_NS,
    ORIGIN,
    PROJECT_NS,
    QDE_NAME,
    SOURCES_DIR,
    VARIABLES,
    guid,
    xml_text,
)

if TYPE_CHECKING:
    from ccgtui.export.selection import Selection
    from ccgtui.model import Case, Statement, Study

__all__ = ["PROJECT_NS", "QdpxError", "UserData", "render_qdc", "render_qdpx", "xml_text"]

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no export time in the file


class QdpxError(Exception):
    """The selection cannot be written as a REFI-QDA project."""


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


def project_xml(
    selection: Selection, user: UserData | None = None, *, crlf: bool = False
) -> tuple[str, list[CaseText]]:
    """``project.qde`` as text, and the case texts its sources point at.

    With ``crlf`` the texts end their lines with CRLF (MAXQDA's habit) and every
    offset counts the CRs, so it still slices out its statement.
    """
    user = user or UserData()
    dataset = selection.dataset
    cases = list(selection.cases)
    studies = selection.studies
    sources = list(dataset.sources)
    texts = {c.id: with_crlf(case_text(c)) if crlf else case_text(c) for c in cases}
    notes, anchors = anchor_notes(
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
            ET.SubElement(case_el, "Description").text = f"{CASE_DESCRIPTION}{case.id}"
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

    write_notes(root, notes)
    write_sets(root, user, texts, {s.id for s in sources})

    if len(studies) == 1:
        ET.SubElement(root, "Description").text = xml_text(studies[0].title)
    elif studies:  # one line each, "id: title", so an import can give each its title
        lines = [f"{s.id}: {xml_text(s.title, one_line=True)}" for s in studies]
        ET.SubElement(root, "Description").text = "\n".join(lines)
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
        if span.description:
            ET.SubElement(sel, "Description").text = span.description
        for key in span.codes:
            if key not in known:  # a source id the dataset lacks: no code to point at
                continue
            coding = ET.SubElement(sel, "Coding", guid=guid("coding", span.path, key))
            ET.SubElement(coding, "CodeRef", targetGUID=guid("code", key))
        for g in anchors.on_selection.get(span.path, []):
            ET.SubElement(sel, "NoteRef", targetGUID=g)
    for g in anchors.on_source.get(ct.case.id, []):
        ET.SubElement(src, "NoteRef", targetGUID=g)


def _serialise(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n"


def render_qdpx(selection: Selection, user: UserData | None = None, *, crlf: bool = False) -> bytes:
    """The ``.qdpx`` zip: ``project.qde`` and ``sources/<GUID>.txt`` per case."""
    if selection.what == "study" or not selection.cases:
        raise QdpxError("a qdpx project needs cases; use --what cases or --case ID")
    qde, texts = project_xml(selection, user, crlf=crlf)
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
