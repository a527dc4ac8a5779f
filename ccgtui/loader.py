"""Read a case folder into a validated :class:`~ccgtui.model.Dataset`.

Folder layout (see ``docs/data-format.md``)::

    sources.yaml        sources: [ ... ]
    study.yaml          the main study (one mapping)
    studies/*.yaml      further studies, one per file (optional)
    *.yaml              every other top-level YAML file is one case

The loader checks the *whole* folder before returning and collects every
problem as a :class:`Problem` (file, line, field, message); it raises
:class:`LoadError` carrying all of them, so a person can fix a folder in one
pass.  Nothing here writes anything.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ccgtui.bulk import gc_paused
from ccgtui.model import (
    Arena,
    Case,
    CaseKind,
    Dataset,
    Level,
    Sector,
    Source,
    SourceType,
    Statement,
    Study,
    Unknown,
    iter_statements,
)

M = TypeVar("M", bound=BaseModel)

# libyaml's safe loader when present (several times faster), else the pure-Python one.
_BaseSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice; YAML would silently keep the last value."""

    key = ""


class _SafeLoader(_BaseSafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing duplicate keys so a value never vanishes unnoticed."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *anchor` merges are allowed to repeat keys
            key = self.construct_object(key_node, deep=True)
            try:
                seen = first_line.get(key)
            except TypeError:  # unhashable key: SafeConstructor reports it below
                continue
            if seen is not None:
                error = DuplicateKeyError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {seen}); "
                    "remove one, YAML would keep only the last",
                    key_node.start_mark,
                )
                error.key = str(key)
                raise error
            first_line[key] = key_node.start_mark.line + 1
        result: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        return result


# Folders with at least this many files are parsed in a process pool.
PARALLEL_MIN_FILES = 500
MAX_FILE_BYTES = 5 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
SOURCES_FILE = "sources.yaml"
STUDY_FILE = "study.yaml"
STUDIES_DIR = "studies"

# Allowed values, shown in the message when a vocabulary value is wrong.
_VOCABULARIES: dict[str, list[str]] = {
    "arena": [a.value for a in Arena],
    "arenas": [a.value for a in Arena],
    "sector": [s.value for s in Sector],
    "sectors": [s.value for s in Sector],
    "kind": [k.value for k in CaseKind],
    "level": [lv.value for lv in Level],
    "type": [t.value for t in SourceType],
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a case folder, located as precisely as we can."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field or '-'}: {self.message}"


class LoadError(Exception):
    """The case folder is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in case folder"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


@dataclass(eq=False)
class _Doc:
    """One parsed YAML file: its data, and its text for finding line numbers.

    The node tree (which knows lines) is rebuilt only when a problem needs a
    line: keeping 10,000 node trees alive cost seconds of garbage collection.
    """

    path: Path
    rel: str
    data: Any

    @cached_property
    def node(self) -> yaml.Node | None:
        # Read again rather than keep (or ship between processes) every file's text.
        return yaml.compose(self.path.read_text(encoding="utf-8"), Loader=_SafeLoader)


@dataclass
class _Collector:
    root: Path
    problems: list[Problem] = field(default_factory=list)

    def add(self, rel: str, line: int | None, fld: str, message: str) -> None:
        self.problems.append(Problem(rel, line, fld, message))


def case_files(folder: Path) -> list[Path]:
    """Every YAML file the loader reads, in a stable order."""
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES]
    studies = folder / STUDIES_DIR
    if studies.is_dir():
        files += [p for p in studies.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES]
    return sorted(files)


def fingerprint(folder: Path) -> str:
    """A cheap digest of the folder (paths, sizes, mtimes) to decide on a reload.

    Uses ``os.scandir`` rather than pathlib: at 10,000 files the Path objects
    alone cost half a second, and this runs on every start.
    """
    digest = hashlib.sha256(str(folder.resolve()).encode())
    rows: list[tuple[tuple[str, ...], int, int]] = []
    for prefix in ((), (STUDIES_DIR,)):
        try:
            entries = os.scandir(folder.joinpath(*prefix))
        except (FileNotFoundError, NotADirectoryError):
            continue
        with entries:
            for entry in entries:
                if os.path.splitext(entry.name)[1] in YAML_SUFFIXES and entry.is_file():
                    st = entry.stat()
                    rows.append(((*prefix, entry.name), st.st_size, st.st_mtime_ns))
    rows.sort()  # by path parts, as case_files() sorts
    for parts, size, mtime_ns in rows:
        digest.update(f"{'/'.join(parts)}\0{size}\0{mtime_ns}\n".encode())
    return digest.hexdigest()


def load_folder(folder: Path | str) -> Dataset:
    """Validate and load a case folder; raise :class:`LoadError` listing every problem."""
    with gc_paused():
        return _load_folder(Path(folder))


def _load_folder(folder: Path) -> Dataset:
    root = folder
    out = _Collector(root)
    if not root.exists():
        raise LoadError([Problem(str(root), None, "", "case folder does not exist")])
    if not root.is_dir():
        raise LoadError([Problem(str(root), None, "", "not a folder")])
    files = case_files(root)
    if not files:
        raise LoadError([Problem(str(root), None, "", "empty case folder: no .yaml files found")])

    docs: dict[Path, _Doc] = {}
    for path, doc, problems in _read_all(files):
        out.problems += problems
        if doc is not None:
            docs[path] = doc
    sources_doc = docs.pop(root / SOURCES_FILE, None)
    study_doc = docs.pop(root / STUDY_FILE, None)
    if sources_doc is None and (root / SOURCES_FILE) not in files:
        out.add(
            str(root / SOURCES_FILE), None, "", "missing file: every case folder needs sources.yaml"
        )
    if study_doc is None and (root / STUDY_FILE) not in files:
        out.add(
            str(root / STUDY_FILE), None, "", "missing file: every case folder needs study.yaml"
        )

    sources = _parse_sources(sources_doc, out) if sources_doc else []
    studies: list[tuple[Study, _Doc]] = []
    cases: list[tuple[Case, _Doc]] = []
    for doc in ([study_doc] if study_doc else []) + [
        d for p, d in docs.items() if p.parent.name == STUDIES_DIR and p.parent != root
    ]:
        study = _parse_model(Study, doc.data, doc, out)
        if study:
            studies.append((study, doc))
    for path, doc in docs.items():
        if path.parent == root:
            case = _parse_model(Case, doc.data, doc, out)
            if case:
                cases.append((case, doc))

    _check_ids(sources, studies, cases, out)
    if not out.problems:
        return Dataset(
            studies=[s for s, _ in studies],
            sources=[s for s, _ in sources],
            cases=[c for c, _ in cases],
        )
    raise LoadError(out.problems)


def _read_all(files: list[Path]) -> list[tuple[Path, _Doc | None, list[Problem]]]:
    """Read and parse every file; big folders are parsed on every core.

    YAML parsing is most of the load time (about 0.5 ms a file with libyaml), and
    each file is independent, so a process pool shares it out.
    """
    if len(files) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2:
        return [(path, *_read(path)) for path in files]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # "spawn", not fork: the explorer loads from a thread, and forking a threaded
    # process can deadlock.
    try:
        with ProcessPoolExecutor(mp_context=multiprocessing.get_context("spawn")) as pool:
            results = list(pool.map(_read, files, chunksize=64))
    except (OSError, ValueError, RuntimeError):
        # No pool here (e.g. inside the explorer, whose std streams are not real
        # files): parse in this process, as for small folders.
        return [(path, *_read(path)) for path in files]
    return [(path, doc, problems) for path, (doc, problems) in zip(files, results, strict=True)]


def _read(path: Path) -> tuple[_Doc | None, list[Problem]]:
    rel = str(path)

    def problem(line: int | None, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, line, "", message)]

    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return problem(None, f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    raw = path.read_bytes()
    if b"\x00" in raw:
        return problem(None, "binary file (contains NUL bytes); case files must be UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(line, f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8")
    try:
        data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a *safe* loader (C or Python)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        err_line = mark.line + 1 if mark is not None else None
        detail = " ".join(str(getattr(exc, "problem", None) or exc).split())
        if isinstance(exc, DuplicateKeyError):
            return None, [Problem(rel, err_line, exc.key, detail)]
        return problem(err_line, f"YAML syntax error: {detail}")
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        return problem(1, f"expected a mapping at the top of the file, got {kind}")
    return _Doc(path, rel, data), []


def _parse_sources(doc: _Doc, out: _Collector) -> list[tuple[Source, _Doc]]:
    extra = sorted(set(doc.data) - {"sources"})
    for key in extra:
        out.add(doc.rel, _line_of(doc.node, (key,)), key, "unknown key (expected only 'sources')")
    raw = doc.data.get("sources")
    if not isinstance(raw, list):
        out.add(doc.rel, _line_of(doc.node, ("sources",)), "sources", "expected a list of sources")
        return []
    parsed: list[tuple[Source, _Doc]] = []
    for i, item in enumerate(raw):
        source = _parse_model(Source, item, doc, out, prefix=("sources", i))
        if source:
            parsed.append((source, doc))
    return parsed


def _parse_model(
    model: type[M], data: Any, doc: _Doc, out: _Collector, prefix: tuple[str | int, ...] = ()
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            raw_loc = tuple(err["loc"])
            loc = prefix + tuple(p for p in raw_loc if p not in ("list", "unknown", "[key]"))
            if "[key]" in raw_loc:  # a bad mapping key: judge it by its container's vocabulary
                loc = loc[:-1]
                err = {**err, "type": "enum"}
            out.add(doc.rel, _line_of(doc.node, loc), _dotted(loc), _message(err, loc))
        return None


def _message(err: Any, loc: tuple[str | int, ...]) -> str:
    kind = err["type"]
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see docs/data-format.md)"
    if kind == "missing":
        return "required field is missing"
    if kind == "enum" or (kind == "literal_error" and last in _VOCABULARIES):
        allowed = _VOCABULARIES.get(last) or []
        got = err.get("input")
        return f"{got!r} is not allowed; use one of: {', '.join(allowed)}"
    if kind == "string_pattern_mismatch":
        return f"{err.get('input')!r} is not a valid id (lowercase letters, digits, '.', '_', '-')"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


def _dotted(loc: Iterable[str | int]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(node: yaml.Node | None, loc: Iterable[str | int]) -> int | None:
    """Follow ``loc`` through the YAML node tree; return the deepest line found."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if str(key.value) == str(part):
                    child, line = value, key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


def _check_ids(
    sources: list[tuple[Source, _Doc]],
    studies: list[tuple[Study, _Doc]],
    cases: list[tuple[Case, _Doc]],
    out: _Collector,
) -> None:
    """Duplicate ids, unresolved study and source references."""
    groups: list[tuple[str, list[tuple[Any, _Doc]]]] = [
        ("source", list(sources)),
        ("study", list(studies)),
        ("case", list(cases)),
    ]
    for kind, items in groups:
        seen: dict[str, str] = {}
        for i, (obj, doc) in enumerate(items):
            loc: tuple[str | int, ...] = ("sources", i, "id") if kind == "source" else ("id",)
            if obj.id in seen:
                out.add(
                    doc.rel,
                    _line_of(doc.node, loc),
                    "id",
                    f"duplicate {kind} id {obj.id!r} (first defined in {seen[obj.id]})",
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
                    _line_of(doc.node, ("related", i)),
                    f"related[{i}]",
                    f"unknown study id {rel!r}; known: {', '.join(sorted(study_ids)) or 'none'}",
                )
    for case, doc in cases:
        if case.study not in study_ids:
            out.add(
                doc.rel,
                _line_of(doc.node, ("study",)),
                "study",
                f"unknown study id {case.study!r}; known: {', '.join(sorted(study_ids)) or 'none'}",
            )
        _check_refs(case, doc, source_ids, out)


def _check_refs(obj: BaseModel, doc: _Doc, source_ids: set[str], out: _Collector) -> None:
    refs: list[tuple[str, list[str]]] = [(p, list(s.sources)) for p, s in iter_statements(obj)]
    refs += [(f"team[{i}]", list(m.sources)) for i, m in enumerate(getattr(obj, "team", []) or [])]
    for path, ids in refs:
        for j, sid in enumerate(ids):
            if sid not in source_ids:
                loc = (*_parse_path(path), "sources", j)
                out.add(
                    doc.rel,
                    _line_of(doc.node, loc),
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


__all__ = [
    "MAX_FILE_BYTES",
    "LoadError",
    "Problem",
    "Statement",
    "Unknown",
    "case_files",
    "fingerprint",
    "load_folder",
]
