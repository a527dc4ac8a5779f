"""A whole case folder checked and loaded: sources and studies first, then every case.

Nothing is returned unless the whole folder is valid; otherwise
:class:`~ccgtui.loader.problems.LoadError` lists every problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from ccgtui.bulk import gc_paused
from ccgtui.loader.checks import (
    CaseContext,
    check_sources_and_studies,
    parse_model,
    parse_sources,
)
from ccgtui.loader.files import SOURCES_FILE, STUDY_FILE, undecodable, yaml_files
from ccgtui.loader.parallel import Progress, check_cases
from ccgtui.loader.problems import Collector, LoadError, Problem, line_of
from ccgtui.loader.yaml_file import Doc, read_file, why
from ccgtui.model import Case, Dataset, Source, Study
from ccgtui.safe_text import show_name

T = TypeVar("T")


def load_folder(folder: Path | str) -> Dataset:
    """Validate and load a case folder; raise :class:`LoadError` listing every problem."""
    loaded = load(folder, _the_case)
    return Dataset(studies=loaded.studies, sources=loaded.sources, cases=loaded.cases)


def _the_case(case: Case) -> Case:
    return case


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """A valid case folder: its studies and sources, and what became of each case."""

    studies: list[Study]
    sources: list[Source]
    cases: list[T]  # in file order
    case_files: list[str] = field(default_factory=list)  # the file of each case (its name)


def load(
    folder: Path | str, convert: Callable[[Case], T], progress: Progress | None = None
) -> Loaded[T]:
    """Validate a case folder, passing each valid case through ``convert``.

    ``convert`` runs where the case was validated, which for a big folder is a
    worker process: so it must be a module-level function, and what it returns
    travels back pickled.  The store turns each case into its cache entry there
    (JSON and index row), so the models never cross between processes at all.
    Raises :class:`LoadError` listing every problem in the folder.
    """
    with gc_paused():
        return _load(Path(folder), convert, progress)


def _load(root: Path, convert: Callable[[Case], T], progress: Progress | None = None) -> Loaded[T]:
    out = Collector(root)
    if not root.exists():
        raise LoadError([Problem(str(root), None, "", "case folder does not exist")])
    if not root.is_dir():
        raise LoadError([Problem(str(root), None, "", "not a folder")])
    try:
        files = yaml_files(root)
    except OSError as exc:
        where = exc.filename if exc.filename is not None else root
        raise LoadError(
            [Problem(str(where), None, "", f"cannot read the folder: {why(exc)}")]
        ) from exc
    for parts in [parts for parts in files if undecodable(parts)]:
        files.remove(parts)
        out.add(
            str(root.joinpath(*parts)), None, "", "file name is not valid UTF-8; rename the file"
        )
    if not files and out.problems:
        raise LoadError(out.problems)
    if not files:
        raise LoadError([Problem(str(root), None, "", "empty case folder: no .yaml files found")])
    top = {parts[0] for parts in files if len(parts) == 1}

    # Sources and studies first (a few files), here: every case is checked against them.
    sources: list[tuple[Source, Doc]] = []
    studies: list[tuple[Study, Doc]] = []
    for name in (SOURCES_FILE, STUDY_FILE):
        if name not in top:
            out.add(str(root / name), None, "", f"missing file: every case folder needs {name}")
    study_files = [root / STUDY_FILE] if STUDY_FILE in top else []
    study_files += [root.joinpath(*parts) for parts in files if len(parts) == 2]
    if SOURCES_FILE in top:
        doc = _read_doc(root / SOURCES_FILE, out)
        if doc is not None:
            sources = parse_sources(doc, out)
    for path in study_files:
        doc = _read_doc(path, out)
        if doc is not None and (study := parse_model(Study, doc.data, doc, out)) is not None:
            studies.append((study, doc))
    check_sources_and_studies(sources, studies, out)

    case_paths = [
        root / parts[0]
        for parts in files
        if len(parts) == 1 and parts[0] not in (SOURCES_FILE, STUDY_FILE)
    ]
    context = CaseContext(
        source_ids=frozenset(s.id for s, _ in sources),
        study_ids=frozenset(s.id for s, _ in studies),
        convert=convert,
    )
    cases: list[T] = []
    first_file: dict[str, str] = {}
    for path, (case_id, value, problems) in zip(
        case_paths, check_cases(case_paths, context, progress), strict=True
    ):
        out.problems += problems
        if case_id is None:
            continue
        seen = first_file.setdefault(case_id, str(path))
        if seen != str(path):
            out.add(
                str(path),
                line_of(Doc(path, str(path), None).node, ("id",)),
                "id",
                f"duplicate case id {case_id!r} (first defined in {show_name(seen)})",
            )
        if not problems:
            cases.append(value)
    if out.problems:
        raise LoadError(out.problems)
    return Loaded(
        studies=[s for s, _ in studies],
        sources=[s for s, _ in sources],
        cases=cases,
        case_files=[path.name for path in case_paths],  # every one holds a case, or we raised
    )


def _read_doc(path: Path, out: Collector) -> Doc | None:
    doc, problems = read_file(path)
    out.problems += problems
    return doc


def check_case_files(
    root: Path,
    names: list[str],
    source_ids: frozenset[str],
    study_ids: frozenset[str],
    convert: Callable[[Case], T],
    progress: Progress | None = None,
) -> list[tuple[str | None, T | None, list[Problem]]]:
    """Check only the named case files (top-level names) against known source and study ids.

    For an incremental reload: the store knows the rest of the folder is unchanged
    since a load that found it valid.  Each result is (case id if the file holds a
    valid case, ``convert``'s result if it has no problem, its problems); many files
    are checked in the process pool, as by :func:`load`.
    """
    context = CaseContext(source_ids=source_ids, study_ids=study_ids, convert=convert)
    with gc_paused():
        return check_cases([root / name for name in names], context, progress)
