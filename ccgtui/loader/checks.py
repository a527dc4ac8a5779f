"""Checking parsed files: models validated, ids unique, every reference resolved.

:func:`check_case` is the whole work for one case file; it runs in a pool
worker for big folders (:mod:`ccgtui.loader.parallel`), so it needs only a
:class:`CaseContext` (the folder's source and study ids).
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ccgtui.loader.files import SOURCES_FILE
from ccgtui.loader.problems import (
    Collector,
    Problem,
    dotted,
    error_location,
    error_message,
    line_of,
)
from ccgtui.loader.yaml_file import Doc, read_file
from ccgtui.model import Case, Source, Study, iter_statements
from ccgtui.model.statements import walked_once
from ccgtui.safe_text import show_name

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class CaseContext:
    """What checking one case file needs to know of the rest of the folder."""

    source_ids: frozenset[str]
    study_ids: frozenset[str]
    convert: Callable[[Case], Any]


# (case id if the file holds a valid case, convert's result if it has no problem, problems)
CaseResult = tuple[str | None, Any, list[Problem]]


def check_case(context: CaseContext, path: Path) -> CaseResult:
    """Read, parse and validate one case file; check its study and source references."""
    doc, problems = read_file(path)
    if doc is None:
        return None, None, problems
    out = Collector(path.parent)
    case = parse_model(Case, doc.data, doc, out)
    if case is None:
        return None, None, out.problems
    if case.study not in context.study_ids:
        known = ", ".join(sorted(context.study_ids)) or "none"
        out.add(
            doc.rel,
            line_of(doc.node, ("study",)),
            "study",
            f"unknown study id {case.study!r}; known: {known}",
        )
    # The reference check, the facts and the search texts each walk the case's
    # statements: walked once, the others share that walk.
    with walked_once():
        if not _cites_known(case, context.source_ids):
            _check_refs(case, doc, context.source_ids, out)
        if out.problems:
            return case.id, None, out.problems
        return case.id, context.convert(case), []


def _cites_known(obj: BaseModel, known: frozenset[str]) -> bool:
    """Whether every statement (and team member) of ``obj`` cites only ``known`` ids.

    The quick answer for nearly every case, from the statements the facts and the
    search texts walk anyway (see :func:`walked_once`); :func:`_check_refs`, which
    builds every statement's path to report one, runs only when this says no.
    """
    team = getattr(obj, "team", None) or []
    return all(known.issuperset(item.sources) for _, item in iter_statements(obj)) and all(
        known.issuperset(member.sources) for member in team
    )


def parse_sources(doc: Doc, out: Collector) -> list[tuple[Source, Doc]]:
    extra = sorted(set(doc.data) - {"sources"})
    for key in extra:
        out.add(doc.rel, line_of(doc.node, (key,)), key, "unknown key (expected only 'sources')")
    raw = doc.data.get("sources")
    if not isinstance(raw, list):
        out.add(doc.rel, line_of(doc.node, ("sources",)), "sources", "expected a list of sources")
        return []
    parsed: list[tuple[Source, Doc]] = []
    for i, item in enumerate(raw):
        source = parse_model(Source, item, doc, out, prefix=("sources", i))
        if source:
            parsed.append((source, doc))
    return parsed


def parse_model(
    model: type[M], data: Any, doc: Doc, out: Collector, prefix: tuple[str | int, ...] = ()
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc, err = error_location(err, prefix)
            out.add(doc.rel, line_of(doc.node, loc), dotted(loc), error_message(err, loc))
        return None


def check_sources_and_studies(
    sources: list[tuple[Source, Doc]], studies: list[tuple[Study, Doc]], out: Collector
) -> None:
    """Duplicate source and study ids; unresolved references in studies.

    Cases are checked by :func:`check_case` and, for duplicate ids, by :func:`_load`.
    """
    groups: list[tuple[str, list[tuple[Any, Doc]]]] = [
        ("source", list(sources)),
        ("study", list(studies)),
    ]
    for kind, items in groups:
        seen: dict[str, str] = {}
        for i, (obj, doc) in enumerate(items):
            loc: tuple[str | int, ...] = ("sources", i, "id") if kind == "source" else ("id",)
            if obj.id in seen:
                out.add(
                    doc.rel,
                    line_of(doc.node, loc),
                    "id",
                    f"duplicate {kind} id {obj.id!r} (first defined in {show_name(seen[obj.id])})",
                )
            else:
                seen[obj.id] = doc.rel
    source_ids = {s.id for s, _ in sources}
    study_ids = {s.id for s, _ in studies}
    for study, doc in studies:
        _check_refs(study, doc, source_ids, out)
        for i, rel in enumerate(study.related):
            if rel not in study_ids:
                out.add(
                    doc.rel,
                    line_of(doc.node, ("related", i)),
                    f"related[{i}]",
                    f"unknown study id {rel!r}; known: {', '.join(sorted(study_ids)) or 'none'}",
                )


def _check_refs(obj: BaseModel, doc: Doc, source_ids: Set[str], out: Collector) -> None:
    refs: list[tuple[str, list[str]]] = [(p, list(s.sources)) for p, s in iter_statements(obj)]
    refs += [(f"team[{i}]", list(m.sources)) for i, m in enumerate(getattr(obj, "team", []) or [])]
    for path, ids in refs:
        for j, sid in enumerate(ids):
            if sid not in source_ids:
                loc = (*_parse_path(path), "sources", j)
                out.add(
                    doc.rel,
                    line_of(doc.node, loc),
                    f"{path}.sources[{j}]",
                    f"source id {sid!r} is not defined in {SOURCES_FILE}",
                )


def _parse_path(path: str) -> tuple[str | int, ...]:
    """Turn ``story[2].arena`` back into ``("story", 2, "arena")``."""
    parts: list[str | int] = []
    for chunk in path.replace("]", "").split("."):
        for j, piece in enumerate(chunk.split("[")):
            if piece:
                parts.append(int(piece) if j else piece)
    return tuple(parts)
