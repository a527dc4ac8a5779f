"""The user's notes, tags and bookmarks in a REFI-QDA project.

Notes become ``Notes`` with a ``NoteRef`` on what each is about (the project for a
study, a source's code, a case's text source, or a statement's selection); tags and
bookmarks become ``Sets``.  A note about something outside the export is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from ccgtui.refi import guid, xml_text

if TYPE_CHECKING:
    from ccgtui.export.qdpx_text import CaseText
    from ccgtui.userdata import Bookmark, Note


@dataclass
class UserData:
    notes: Sequence[Note] = ()
    tags: dict[str, list[str]] = field(default_factory=dict)
    bookmarks: Sequence[Bookmark] = ()


def note_guid(note: Note) -> str:
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


def anchor_notes(
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
        g = note_guid(note)
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


def write_notes(root: ET.Element, notes: Sequence[Note]) -> None:
    """The ``Notes`` element: each note's text, author and target, dated if it can be."""
    if not notes:
        return
    notes_el = ET.SubElement(root, "Notes")
    for note in notes:
        attrs = {"guid": note_guid(note), "name": xml_text(f"Note {note.id}", one_line=True)}
        created = _valid_datetime(note.created)
        if created:
            attrs["creationDateTime"] = created
        note_el = ET.SubElement(notes_el, "Note", attrs)
        if note.author:
            ET.SubElement(note_el, "Description").text = xml_text(
                f"by {note.author} about {note.target}", one_line=True
            )
        ET.SubElement(note_el, "PlainTextContent").text = xml_text(note.text)


def write_sets(
    root: ET.Element, user: UserData, texts: dict[str, CaseText], sources: set[str]
) -> None:
    """The ``Sets`` element: one set per tag, and one of the bookmarks."""
    sets = _sets(user, texts, sources)
    if not sets:
        return
    sets_el = ET.SubElement(root, "Sets")
    for name, description, members in sets:
        set_el = ET.SubElement(sets_el, "Set", guid=guid("set", name), name=name)
        ET.SubElement(set_el, "Description").text = description
        for tag, target in members:
            ET.SubElement(set_el, tag, targetGUID=target)
