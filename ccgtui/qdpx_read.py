"""Reading an untrusted REFI-QDA project (``.qdpx``) into plain records, in memory.

A ``.qdpx`` is a zip from anyone.  Nothing is ever extracted to disk: members are
read by name into memory, each within a size limit, and the archive is refused
(:class:`QdpxRefused`, one line naming the member and the problem) when it

- is too big, has too many members, a member too big for its kind, a total over
  :data:`MAX_TOTAL_BYTES`, or a large member compressed more than
  :data:`MAX_RATIO` times (a zip bomb); a member whose size lies is cut off at its
  limit, not trusted;
- names a member by an absolute path, with ``..``, a backslash or a drive letter
  (a path traversal), twice, or with control characters; is encrypted or uses a
  compression other than stored or deflated;
- has no ``.qde`` at its root, or a source file the project points at is missing;
- holds XML that is not UTF-8, has a DOCTYPE or ENTITY declaration (refused before
  parsing: entities can expand without bound or read files), is not well formed,
  or is not a QDA-XML project;
- has a selection whose offsets are not whole numbers within its source's text.

What is legitimately absent (a source whose text is outside the project, a picture
or PDF source) is kept as a problem on that record for the importer to report.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from ccgtui.safe_text import show_name

MAX_ARCHIVE_BYTES = 256 * 2**20  # the .qdpx file itself
MAX_MEMBERS = 20_000
MAX_QDE_BYTES = 64 * 2**20  # project.qde, uncompressed
MAX_SOURCE_BYTES = 16 * 2**20  # one text source, uncompressed
MAX_TOTAL_BYTES = 256 * 2**20  # everything read, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 2**20
MAX_CODE_DEPTH = 64
_ALLOWED_COMPRESSION = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class QdpxRefused(Exception):
    """The file is refused: one line naming the member and the problem (not the file)."""


@dataclass
class RefiCode:
    guid: str
    name: str
    description: str = ""
    codable: bool = True
    children: list[RefiCode] = field(default_factory=list)


@dataclass
class RefiSelection:
    guid: str
    name: str
    start: int
    end: int
    codes: list[str]  # GUIDs of the codes applied
    description: str = ""
    notes: int = 0  # NoteRefs on it (the project's notes are not imported)


@dataclass
class RefiSource:
    guid: str
    name: str
    kind: str  # TextSource, PDFSource, PictureSource, AudioSource, VideoSource
    text: str | None = None
    problem: str = ""  # why there is no text, for the report
    selections: list[RefiSelection] = field(default_factory=list)
    description: str = ""
    codes: list[str] = field(default_factory=list)  # codes on the whole source


@dataclass
class RefiValue:
    variable: str  # its Variable's GUID
    kind: str  # TextValue, BooleanValue, ... or "" for no value
    value: str | None


@dataclass
class RefiCase:
    guid: str
    name: str
    description: str = ""
    codes: list[str] = field(default_factory=list)
    values: list[RefiValue] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    selection_refs: int = 0


@dataclass
class RefiProject:
    name: str
    origin: str
    description: str
    codes: list[RefiCode]
    variables: dict[str, tuple[str, str]]  # GUID -> (name, typeOfVariable)
    cases: list[RefiCase]
    sources: list[RefiSource]
    other: dict[str, int]  # elements not read (Notes, Sets, Graphs, Links): how many


def read_qdpx(path: Path) -> RefiProject:
    """The project in the ``.qdpx`` at ``path``; :class:`QdpxRefused` if it is unsafe."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise QdpxRefused(f"{show_name(path)}: cannot read it: {exc.strerror or exc}") from exc
    if size > MAX_ARCHIVE_BYTES:
        raise QdpxRefused(
            f"{show_name(path)}: {size:,} bytes, over the {MAX_ARCHIVE_BYTES:,} limit"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            return _Reader(archive).project()
    except zipfile.BadZipFile as exc:
        raise QdpxRefused(f"not a readable zip archive ({exc})") from exc
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise QdpxRefused(f"cannot read the archive ({exc})") from exc


class _Reader:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.total = 0
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise QdpxRefused(f"{len(infos):,} members, over the {MAX_MEMBERS:,} limit")
        self.members: dict[str, zipfile.ZipInfo] = {}
        self.folded: dict[str, str] = {}  # lowercased name -> name
        for info in infos:
            name = info.filename
            _check_name(name)
            if name in self.members or name.lower() in self.folded:
                raise QdpxRefused(f"member {show_name(name)}: appears twice")
            self.members[name] = info
            self.folded[name.lower()] = name

    def read(self, name: str, limit: int) -> bytes:
        info = self.members[name]
        where = f"member {show_name(name)}"
        if info.flag_bits & 0x1:
            raise QdpxRefused(f"{where}: encrypted (refused)")
        if info.compress_type not in _ALLOWED_COMPRESSION:
            raise QdpxRefused(f"{where}: compression method {info.compress_type} (refused)")
        if info.file_size > limit:
            raise QdpxRefused(f"{where}: {info.file_size:,} bytes, over the {limit:,} limit")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise QdpxRefused(f"{where}: compressed {ratio:,.0f} times (a zip bomb?)")
        with self.archive.open(info) as stream:
            data = stream.read(limit + 1)  # never more than the limit, whatever it declares
        if len(data) > limit:
            raise QdpxRefused(f"{where}: more than the {limit:,}-byte limit")
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise QdpxRefused(f"{where}: the archive holds over {MAX_TOTAL_BYTES:,} bytes")
        return data

    def project(self) -> RefiProject:
        qde = [n for n in self.members if "/" not in n and n.lower().endswith(".qde")]
        if len(qde) != 1:
            found = "none" if not qde else ", ".join(show_name(n) for n in qde)
            raise QdpxRefused(f"expected one project .qde at the archive's root, found {found}")
        root = parse_xml(self.read(qde[0], MAX_QDE_BYTES), qde[0])
        if _local(root.tag) != "Project":
            raise QdpxRefused(f"member {show_name(qde[0])}: not a QDA-XML project")
        return _project(root, qde[0], self)

    def source_text(self, path: str, qde: str) -> tuple[str | None, str]:
        """The text a ``plainTextPath`` points at, or None and why not."""
        if not path.startswith("internal://"):
            return None, f"its text is outside the project ({path.split(':', 1)[0]} path)"
        inner = path.removeprefix("internal://")
        _check_name(inner)
        name = self.folded.get(f"sources/{inner}".lower())
        if name is None:
            raise QdpxRefused(
                f"member {show_name('sources/' + inner)}: missing (named by {show_name(qde)})"
            )
        return decode(self.read(name, MAX_SOURCE_BYTES), name), ""


def _check_name(name: str) -> None:
    """Refuse a member name that could mean a place outside the archive."""
    shown = f"member {show_name(name)}"
    if _CONTROL.search(name):
        raise QdpxRefused(f"{shown}: control characters in its name (refused)")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or "\\" in name or _DRIVE.match(name) or ".." in parts:
        raise QdpxRefused(f"{shown}: a path outside the project (refused)")


def decode(data: bytes, name: str) -> str:
    """UTF-8 text without a BOM (REFI-QDA's encoding); refused if it is not."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise QdpxRefused(f"member {show_name(name)}: not UTF-8 (byte {exc.start:,})") from exc


def parse_xml(data: bytes, name: str) -> ET.Element:
    """Parse XML that declares no DTD or entity: those are refused before parsing."""
    text = decode(data, name)
    found = _DECLARATION.search(text)
    if found:
        raise QdpxRefused(
            f"member {show_name(name)}: has a {found[1].upper()} declaration (refused)"
        )
    try:
        return ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        raise QdpxRefused(f"member {show_name(name)}: not well-formed XML ({exc})") from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _grandchildren(el: ET.Element, *names: str) -> list[ET.Element]:
    """The elements at the path ``names`` under ``el`` (``Cases/Case``), namespace aside."""
    found = [el]
    for name in names:
        found = [c for parent in found for c in _children(parent, name)]
    return found


def _text_of(el: ET.Element, name: str) -> str:
    child = _child(el, name)
    return (child.text or "") if child is not None else ""


def _refs(el: ET.Element, name: str) -> list[str]:
    return [r.get("targetGUID", "") for r in _children(el, name)]


def _project(root: ET.Element, qde: str, reader: _Reader) -> RefiProject:
    codes = [_code(c, qde, 1) for c in _grandchildren(root, "CodeBook", "Codes", "Code")]
    variables = {
        v.get("guid", ""): (v.get("name", ""), v.get("typeOfVariable", ""))
        for v in _grandchildren(root, "Variables", "Variable")
    }
    cases = [_case(c) for c in _grandchildren(root, "Cases", "Case")]
    sources_el = _child(root, "Sources")
    sources = [_source(s, qde, reader) for s in sources_el] if sources_el is not None else []
    other = {}
    for name in ("Notes", "Sets", "Graphs", "Links"):
        el = _child(root, name)
        if el is not None and len(el):
            other[name] = len(el)
    return RefiProject(
        name=root.get("name", ""),
        origin=root.get("origin", ""),
        description=_text_of(root, "Description"),
        codes=codes,
        variables=variables,
        cases=cases,
        sources=sources,
        other=other,
    )


def _code(el: ET.Element, qde: str, depth: int) -> RefiCode:
    if depth > MAX_CODE_DEPTH:
        raise QdpxRefused(f"member {show_name(qde)}: codes nested over {MAX_CODE_DEPTH} deep")
    return RefiCode(
        guid=el.get("guid", ""),
        name=el.get("name", ""),
        description=_text_of(el, "Description"),
        codable=el.get("isCodable", "true") != "false",
        children=[_code(c, qde, depth + 1) for c in _children(el, "Code")],
    )


def _case(el: ET.Element) -> RefiCase:
    values = []
    for vv in _children(el, "VariableValue"):
        ref = _child(vv, "VariableRef")
        value = next((c for c in vv if _local(c.tag).endswith("Value")), None)
        values.append(
            RefiValue(
                variable=ref.get("targetGUID", "") if ref is not None else "",
                kind=_local(value.tag) if value is not None else "",
                value=(value.text or "") if value is not None else None,
            )
        )
    return RefiCase(
        guid=el.get("guid", ""),
        name=el.get("name", ""),
        description=_text_of(el, "Description"),
        codes=_refs(el, "CodeRef"),
        values=values,
        sources=_refs(el, "SourceRef"),
        selection_refs=len(_children(el, "SelectionRef")),
    )


def _source(el: ET.Element, qde: str, reader: _Reader) -> RefiSource:
    kind = _local(el.tag)
    source = RefiSource(
        guid=el.get("guid", ""),
        name=el.get("name", ""),
        kind=kind,
        description=_text_of(el, "Description"),
        codes=[r for c in _children(el, "Coding") for r in _refs(c, "CodeRef")],
    )
    if kind != "TextSource":
        source.problem = f"a {kind}: only text sources can be imported"
        return source
    inline = _child(el, "PlainTextContent")
    if inline is not None:
        source.text = inline.text or ""
    elif el.get("plainTextPath"):
        source.text, source.problem = reader.source_text(el.get("plainTextPath", ""), qde)
    else:
        source.problem = "it has no plain text (only rich text, or none)"
    for sel in _children(el, "PlainTextSelection"):
        source.selections.append(_selection(sel, source, qde))
    return source


def _selection(el: ET.Element, source: RefiSource, qde: str) -> RefiSelection:
    name = el.get("name", "")
    where = f"member {show_name(qde)}: selection {show_name(name or el.get('guid', ''))}"
    try:
        start, end = int(el.get("startPosition", "")), int(el.get("endPosition", ""))
    except ValueError:
        raise QdpxRefused(f"{where}: its positions are not whole numbers") from None
    size = len(source.text) if source.text is not None else None
    if start < 0 or end < start or (size is not None and end > size):
        limit = f" of a {size:,}-character text" if size is not None else ""
        raise QdpxRefused(f"{where}: positions {start}..{end} are outside its source{limit}")
    return RefiSelection(
        guid=el.get("guid", ""),
        name=name,
        start=start,
        end=end,
        codes=[r for c in _children(el, "Coding") for r in _refs(c, "CodeRef")],
        description=_text_of(el, "Description"),
        notes=len(_children(el, "NoteRef")),
    )
