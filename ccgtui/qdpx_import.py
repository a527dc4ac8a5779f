"""``ccgtui import qdpx``: a REFI-QDA project's cases, variables, sources and codes
as the records of a new case folder, with a report of what could not be mapped.

Two kinds of case are read:

- **ccgtui's own** (a ``Case`` whose description is ``ccgtui case ID`` and whose
  GUID is that id's): each selection named ``ID/path`` becomes the statement at
  that path again, its text sliced from the source, its cited sources, arenas,
  sectors and flags read back from its codes (:mod:`ccgtui.refi`, the export's own
  vocabulary), so export, import and export again give the same project;
- **any other tool's**: the case's label is its name, its variables ``kind``,
  ``illustrative``, ``place``, ``population``, ``service area`` and ``period`` fill
  those fields, each coded selection of its text sources becomes a finding citing
  that text source, and the codes on it become the case's themes.

Nothing is made up: what the project does not say stays the schema's explicit
unknown (``wording.NOT_REPORTED``), a choice the schema forces (a
case's kind, a stage's id, a source's type) is named in the report, and so is
every element that could not be mapped, one line per element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccgtui.model import Arena, CaseKind, Sector
from ccgtui.qdpx_import_sources import ccgtui_source, slug, text_source_record
from ccgtui.qdpx_read import RefiCase, RefiCode, RefiProject, RefiSelection, RefiSource
from ccgtui.refi import (
    CASE_DESCRIPTION,
    FIELD_TITLES,
    FLAGS,
    STATEMENT_VARIABLES,
    guid,
    read_partner_heading,
    read_selection_description,
    read_stage_heading,
)
from ccgtui.safe_text import clean_line, show_name
from ccgtui.wording import NOT_REPORTED

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_SCALAR = {"summary", "place", "population", "service_area", "period"}
_LISTS = {"methods", "findings", "enablers", "barriers", "outcomes", "story", "partners"}
_MAY_BE_UNKNOWN = {"enablers", "barriers", "outcomes", "story", "partners"}
_PATH = re.compile(r"(?P<field>[a-z_]+)(?:\.(?P<arena>[a-z]+))?(?:\[(?P<index>\d+)\])?")
# The codes a ccgtui selection's statement is read from; any other code is the team's.
_STATEMENT_CODES = ("field:", "arena:", "sector:", "source:", "flag:")


@dataclass
class Mapped:
    """What the project gives: records for :func:`ccgtui.importer.import_export`."""

    studies: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    report: list[str] = field(default_factory=list)  # one line per element not mapped

    @property
    def data(self) -> dict[str, Any]:
        sources = [{k: v for k, v in s.items() if k != "_guid"} for s in self.sources]
        return {"studies": self.studies, "sources": sources, "cases": self.cases}


def name_of(text: str, limit: int = 80) -> str:
    """A name from the project for a report line: quoted, escapes visible, cut short."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    shown = show_name(cut)  # escape codes and line breaks made visible, not acted on
    return shown if shown.startswith("'") else f"'{shown}'"


class _Codes:
    """The project's codes by GUID, with ccgtui's own recognised by their GUIDs."""

    def __init__(self, tree: list[RefiCode]) -> None:
        self.by_guid: dict[str, RefiCode] = {}
        stack = list(reversed(tree))  # depth first, in the codebook's order
        while stack:
            code = stack.pop()
            self.by_guid[code.guid] = code
            stack.extend(reversed(code.children))
        fixed = [f"arena:{a.value}" for a in Arena] + [f"sector:{s.value}" for s in Sector]
        fixed += [f"field:{k}" for k in FIELD_TITLES] + [f"flag:{k}" for k in FLAGS]
        self.key = {guid("code", k): k for k in fixed}
        for code in self.by_guid.values():
            for key in (f"theme:{code.name}", f"source:{code.name.partition(': ')[0]}"):
                if guid("code", key) == code.guid:
                    self.key[code.guid] = key
        self.used: set[str] = set()

    def name(self, code_guid: str) -> str | None:
        self.used.add(code_guid)
        code = self.by_guid.get(code_guid)
        return code.name if code is not None else None


def import_qdpx(path: Path, folder: Path, kind: CaseKind) -> tuple[list[Path], list[str]]:
    """Write the project at ``path`` as the new case folder ``folder``.

    Returns the files written and the report.  Raises :class:`QdpxRefused` for an
    unsafe or broken file, and the importer's ``LoadError`` / ``ImportFailed`` for
    records the schema refuses or a folder that cannot be written; either way
    nothing is written.
    """
    from ccgtui.importer import ImportFailed, import_export
    from ccgtui.qdpx_read import read_qdpx

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ImportFailed(f"{show_name(folder)} is not an empty folder; choose a new folder")
    mapped = map_project(read_qdpx(path), kind)
    return import_export(mapped.data, folder, path), mapped.report


def map_project(project: RefiProject, kind: CaseKind = CaseKind.in_depth) -> Mapped:
    """The records ``project`` gives, and the report of what it could not map."""
    out = Mapped()
    codes = _Codes(project.codes)
    for code in codes.by_guid.values():
        key = codes.key.get(code.guid, "")
        if key.startswith("source:"):
            record = ccgtui_source(code, key.removeprefix("source:"), out.report)
            if record is not None:
                out.sources.append(record)
    sources = {s.guid: s for s in project.sources}
    study_ids: dict[str, None] = {}
    default_study = slug(project.name, "imported-project")
    case_ids: set[str] = set()
    seen_sources: set[str] = set()
    mappers: list[_CaseMapper] = []
    cases = project.cases or _a_case_per_source(project, out)
    for case in cases:
        mapper = _CaseMapper(case, codes, project, out, kind)
        mappers.append(mapper)
        record = mapper.record(sources, default_study, case_ids)
        seen_sources.update(mapper.seen)
        case_ids.add(record["id"])
        study_ids.setdefault(record["study"], None)
        out.cases.append(record)
    for source in project.sources:
        if source.guid not in seen_sources:
            why = source.problem or ("no case refers to it" if project.cases else "nothing coded")
            out.report.append(f"source {name_of(source.name)}: not imported ({why})")
    if any(c.own_id for c in mappers):
        out.report.append(
            "ccgtui cases: sources' type, volume, issue, pages and variants are not carried "
            "by a REFI-QDA project (each source's type is other)"
        )
    _studies(project, out, list(study_ids) or [default_study])
    _unused_codes(codes, out)
    for element, count in project.other.items():
        out.report.append(f"{element} ({count}): not imported (no place in a case folder)")
    return out


def _a_case_per_source(project: RefiProject, out: Mapped) -> list[RefiCase]:
    """A project without cases (QualCoder's often has none): each text source one case."""
    made = [
        RefiCase(guid=s.guid, name=s.name, sources=[s.guid])
        for s in project.sources
        if s.text is not None and s.selections
    ]
    if made:
        out.report.append(
            f"the project has no cases: each of {len(made)} coded text sources is one"
        )
    return made


def _studies(project: RefiProject, out: Mapped, ids: list[str]) -> None:
    ours = project.origin == "ccgtui"
    titles: dict[str, str] = {}  # a ccgtui export of several studies: "id: title" lines
    for line in project.description.split("\n") if ours and len(ids) > 1 else ():
        study_id, _, title = line.partition(": ")
        if study_id in ids and title.strip():
            titles[study_id] = title.strip()
    for study_id in [*titles, *(i for i in ids if i not in titles)]:
        record: dict[str, Any] = {"id": study_id}
        illustrative = any(c.get("illustrative") for c in out.cases if c["study"] == study_id)
        if study_id in titles:
            record["title"] = titles[study_id]
        elif len(ids) == 1 and ours and project.description:
            record["title"] = project.description
            if project.name and project.name != project.description:
                record["short_title"] = project.name
        elif len(ids) == 1 and not ours and project.name:
            record["title"] = project.name
        else:
            record["title"] = NOT_REPORTED
        if illustrative:
            record["illustrative"] = True  # a study with fictional cases is never shown as real
        out.studies.append(record)
        said = "only its title" if record["title"] != NOT_REPORTED else "nothing, not even a title"
        out.report.append(
            f"study {study_id}: the project carries {said}"
            + ("; marked illustrative because its cases are" if illustrative else "")
        )
    if project.description and not ours:  # a ccgtui export's holds the study titles
        out.report.append("project description: not imported (a study has no such field)")


def _unused_codes(codes: _Codes, out: Mapped) -> None:
    unused = [
        c.name
        for g, c in codes.by_guid.items()
        if g not in codes.used and g not in codes.key and c.codable and not c.children
    ]
    if unused:
        shown = ", ".join(name_of(n, 40) for n in sorted(unused)[:10])
        more = f" and {len(unused) - 10} more" if len(unused) > 10 else ""
        out.report.append(f"codebook: {len(unused)} codes on no case's text: {shown}{more}")


class _CaseMapper:
    def __init__(
        self, case: RefiCase, codes: _Codes, project: RefiProject, out: Mapped, kind: CaseKind
    ) -> None:
        self.case, self.codes, self.project, self.out, self.kind = case, codes, project, out, kind
        self.where = f"case {name_of(case.name)}"
        self.seen: set[str] = set()  # GUIDs of the sources it takes text from
        self.themes: dict[str, None] = {}
        self.unnamed_stages = 0
        own = case.description.removeprefix(CASE_DESCRIPTION).strip()
        is_own = case.description.startswith(CASE_DESCRIPTION) and _ID.fullmatch(own)
        self.own_id = own if is_own and guid("case", own) == case.guid else None
        if self.own_id:
            self.where = f"case {self.own_id}"

    def note(self, problem: str) -> None:
        self.out.report.append(f"{self.where}: {problem}")

    def record(self, sources: dict[str, RefiSource], study: str, taken: set[str]) -> dict[str, Any]:
        case_id = self.own_id or slug(self.case.name, "case")
        base, n = case_id, 2
        while case_id in taken:
            case_id, n = f"{base}-{n}", n + 1
        if case_id != self.own_id:
            self.where = f"case {case_id} ({name_of(self.case.name)})"
        record: dict[str, Any] = {"id": case_id, "label": self.case.name or case_id}
        values = self._variables(record, study)
        for code_guid in self.case.codes:
            self._theme(code_guid)
        statements: dict[str, list[tuple[int, dict[str, Any], str]]] = {}
        for ref in self.case.sources:
            source = sources.get(ref)
            if source is None:
                self.note("refers to a source the project does not have")
                continue
            self.seen.add(ref)
            for code_guid in source.codes:  # coded as a whole: a theme of the case
                self._theme(code_guid)
            if source.text is None:
                self.note(f"source {name_of(source.name)} not imported ({source.problem})")
                continue
            self._selections(source, statements)
        self._fill(record, statements, values)
        if self.themes:
            record["themes"] = list(self.themes)
        if self.case.selection_refs:
            self.note(f"{self.case.selection_refs} selection references not imported")
        return record

    def _variables(self, record: dict[str, Any], study: str) -> dict[str, str]:
        """kind, study and illustrative on the record; the statement variables returned."""
        by_name: dict[str, str] = {}
        for value in self.case.values:
            name, _ = self.project.variables.get(value.variable, ("", ""))
            if value.value is None:
                continue
            key = name.strip().lower().replace("_", " ")
            if key in ("kind", "study", "illustrative", *STATEMENT_VARIABLES):
                by_name[key] = clean_line(value.value).strip()
            elif key not in ("stages", "partners") or not self.own_id:
                self.note(f"variable {name_of(name)} not imported (no field for it)")
        kind = by_name.get("kind", "")
        if kind not in {k.value for k in CaseKind}:
            what = f"kind {name_of(kind)} is not one of ccgtui's" if kind else "no kind variable"
            self.note(f"{what}; set to {self.kind.value} (choose with --kind)")
            kind = self.kind.value
        record["kind"] = kind
        illustrative = by_name.get("illustrative", "").lower() in ("true", "1", "yes")
        if illustrative or kind == CaseKind.illustrative:
            record["illustrative"] = True
        own_study = by_name.get("study", "")
        record["study"] = own_study if self.own_id and _ID.fullmatch(own_study) else study
        return by_name

    def _theme(self, code_guid: str) -> None:
        name = self.codes.name(code_guid)
        if name is None:
            self.note("a code reference to no code in the codebook, left out")
        elif clean_line(name).strip():
            self.themes.setdefault(clean_line(name).strip(), None)

    def _selections(
        self, source: RefiSource, into: dict[str, list[tuple[int, dict[str, Any], str]]]
    ) -> None:
        assert source.text is not None
        prefix = f"{self.own_id}/" if self.own_id else None
        for sel in source.selections:
            text = source.text[sel.start : sel.end].replace("\r\n", "\n").strip()
            if not text:
                self.note(f"selection {name_of(sel.name)} is empty, left out")
                continue
            path = sel.name.removeprefix(prefix) if prefix and sel.name.startswith(prefix) else ""
            match = _PATH.fullmatch(path) if path else None
            if match and self._own_statement(match, sel, source.text, text, into):
                continue
            keys = [self.codes.key.get(c, "") for c in sel.codes]
            cited = [k.removeprefix("source:") for k in keys if k.startswith("source:")]
            for code_guid, key in zip(sel.codes, keys, strict=True):
                if not key.startswith(_STATEMENT_CODES):
                    self._theme(code_guid)
            if not cited and not self.own_id:
                out = self.out
                cited = [text_source_record(source, self.project.name, out.sources, out.report)]
            item: dict[str, Any] = {"text": text, "sources": cited}
            if sel.description.strip():
                item["note"] = sel.description.strip()  # the selection's memo
            found = into.setdefault("findings", [])
            found.append((10**9 + len(found), item, ""))  # after its own, in document order
            if self.own_id:
                self.note(f"selection {name_of(sel.name)} added as a finding")

    def _own_statement(
        self,
        match: re.Match[str],
        sel: RefiSelection,
        full: str,
        text: str,
        into: dict[str, list[tuple[int, dict[str, Any], str]]],
    ) -> bool:
        """Put a ccgtui selection back at its path; False if the path is not one."""
        name, arena, index = match["field"], match["arena"], match["index"]
        if name == "arenas" and arena in {a.value for a in Arena}:
            name = f"arenas.{arena}"
        elif arena or not (name in _SCALAR | _LISTS or name == "sectors_unknown"):
            return False
        if index is None and name in _LISTS - _MAY_BE_UNKNOWN:
            return False
        if index is not None and name in _SCALAR | {"sectors_unknown"}:
            return False
        keys = [self.codes.key.get(c, "") for c in sel.codes]
        item: dict[str, Any] = {"text": text}
        item["sources"] = [k.removeprefix("source:") for k in keys if k.startswith("source:")]
        if "flag:unknown" in keys:
            item["unknown"] = True
        if "flag:unverified" in keys:
            item["unverified"] = True
        sectors = [k.removeprefix("sector:") for k in keys if k.startswith("sector:")]
        arenas = [k.removeprefix("arena:") for k in keys if k.startswith("arena:")]
        line = full[: sel.start].rstrip("\r\n").rsplit("\n", 1)[-1].rstrip("\r")
        described = read_selection_description(sel.description)
        if described.get("note"):
            item["note"] = described["note"]
        if described.get("quote") and (index is not None or name in _SCALAR):
            item["quote"] = True  # a statement's mark; a field unknown as a whole has none
        ident = described.get("id")
        ident = ident if isinstance(ident, str) and _ID.fullmatch(ident) else None
        if name == "sectors_unknown":
            item["sectors"] = sectors
            item.pop("unknown", None)
        elif name == "story" and index is not None:
            item.update(
                read_stage_heading(line, ident or f"stage-{int(index) + 1}", arenas, sectors)
            )
            self.unnamed_stages += ident is None
        elif name == "partners" and index is not None:
            item.update(read_partner_heading(line, sectors))
            if ident:
                item["id"] = ident
        for code_guid, key in zip(sel.codes, keys, strict=True):
            if not key.startswith(_STATEMENT_CODES):
                self._theme(code_guid)
                self.note(
                    f"{path_of(sel)} coded {name_of(self.codes.name(code_guid) or '')}: "
                    "kept as a case theme (statements carry no codes)"
                )
        into.setdefault(name, []).append((int(index) if index else -1, item, path_of(sel)))
        return True

    def _fill(
        self,
        record: dict[str, Any],
        statements: dict[str, list[tuple[int, dict[str, Any], str]]],
        values: dict[str, str],
    ) -> None:
        for name, items in statements.items():
            items.sort(key=lambda t: t[0])
            if name in _SCALAR or name == "sectors_unknown":
                record[name] = items[0][1]
                if len(items) > 1:
                    self.note(f"{len(items)} selections for {name}; the first kept")
                continue
            whole = [i for i in items if i[0] == -1]
            if whole:  # the field as a whole is unknown
                unknown = {
                    "unknown": True,
                    **{k: v for k, v in whole[0][1].items() if k in ("text", "sources", "note")},
                }
                target = record.setdefault("arenas", {}) if name.startswith("arenas.") else record
                target[name.removeprefix("arenas.")] = unknown
                continue
            listed = [i[1] for i in items]
            if name.startswith("arenas."):
                record.setdefault("arenas", {})[name.removeprefix("arenas.")] = listed
            else:
                record[name] = listed
        if self.unnamed_stages:
            self.note(f"{self.unnamed_stages} stage ids not in the project; numbered stage-N")
        if self.own_id:
            return
        for variable, field_name in STATEMENT_VARIABLES.items():
            if values.get(variable) and field_name not in record:
                source_id = _project_source(self.project, self.out)
                record[field_name] = {"text": values[variable], "sources": [source_id]}


def path_of(sel: RefiSelection) -> str:
    return name_of(sel.name, 60)


def _project_source(project: RefiProject, out: Mapped) -> str:
    """The source a value from the project's variables cites: the project itself."""
    source_id = slug(f"refi-{project.name}", "refi-project")
    if not any(s["id"] == source_id for s in out.sources):
        out.sources.append(
            {
                "id": source_id,
                "type": "other",
                "title": f"REFI-QDA project {project.name or '(no name)'}",
                "level": "primary",
                "notes": ["The project's case variables, as imported by ccgtui import qdpx."],
            }
        )
        out.report.append(f"source {source_id}: made for the project's variables; level primary")
    return source_id
