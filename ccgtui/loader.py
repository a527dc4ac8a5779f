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

import functools
import hashlib
import io
import os
import re
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

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
from ccgtui.safe_text import clean_id, show_name
from ccgtui.yaml_safety import (
    TEXT_RESOLVERS,
    ExpansionError,
    check_expansion,
    expansion_limit,
    may_have_aliases,
)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# libyaml's safe loader when present (several times faster), else the pure-Python one.
_BaseSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice; YAML would silently keep the last value."""

    key = ""


class _SafeLoader(_BaseSafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing duplicate keys so a value never vanishes unnoticed.

    It also refuses aliases that expand the document beyond a few times its size
    (see :mod:`ccgtui.yaml_safety`).
    """

    # Plain scalars stay text as written ("012", "1.10", "no"); null and merge keys only.
    yaml_implicit_resolvers = TEXT_RESOLVERS

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        text = stream if isinstance(stream, str) else None
        self._expansion_limit = expansion_limit(len(text) if text is not None else MAX_FILE_BYTES)
        self._may_alias = text is None or may_have_aliases(text)

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

    # Resolver.resolve's implicit resolvers for each first character, looked up once.
    _implicit_by_first_char: ClassVar[dict[str, tuple[tuple[str, re.Pattern[str]], ...]]] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> Any:
        """PyYAML's ``Resolver.resolve``, without rebuilding a list for every scalar.

        libyaml's parser calls it for every node; this saves about a tenth of
        the parsing time.  Same rules, same order: the resolvers registered for
        the value's first character, then the wildcard ones.
        """
        if self.yaml_path_resolvers:  # this loader has none; if one is added, PyYAML decides
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            if implicit[0]:
                first = value[:1]
                table = self._implicit_by_first_char.get(first)
                if table is None:
                    resolvers = self.yaml_implicit_resolvers
                    table = (*resolvers.get(first, []), *resolvers.get(None, []))
                    self._implicit_by_first_char[first] = table
                for tag, regexp in table:
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        if kind is yaml.MappingNode:
            return self.DEFAULT_MAPPING_TAG
        return None

    def construct_document(self, node: yaml.Node) -> Any:
        """Build plain strings, lists and mappings directly; PyYAML for anything else.

        PyYAML's constructor goes through several Python calls and a generator
        per node; for case files (strings, lists and mappings, a few numbers and
        booleans) building them directly halves the YAML time (10k files: about
        2.8 s of CPU less).  Every other node (ints, booleans, dates, explicit
        tags) still goes through PyYAML's own constructor, and any document the
        shortcut does not cover exactly (a merge key, an alias of a list or
        mapping, a repeated key, any error) is built again by PyYAML from the
        start, so the data, and every error message, are PyYAML's.
        """
        if self._may_alias:
            check_expansion(node, self._expansion_limit)  # before anything is built
        try:
            data = self._build(node, set())
        except Exception:  # anything unusual: PyYAML decides, and reports
            self._reset_construction()
            return super().construct_document(node)
        self._reset_construction()
        return data

    def _reset_construction(self) -> None:
        self.constructed_objects: dict[yaml.Node, Any] = {}
        self.recursive_objects: dict[yaml.Node, None] = {}
        self.state_generators: list[Any] = []
        self.deep_construct = False

    def _build(self, node: yaml.Node, seen: set[int]) -> Any:
        kind = type(node)
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR_TAG else self.construct_object(node, deep=True)
        if id(node) in seen:  # an alias: PyYAML shares the object (and handles recursion)
            raise _NotPlain
        seen.add(id(node))
        if kind is yaml.SequenceNode and node.tag == _SEQ_TAG:
            return [self._build(child, seen) for child in node.value]
        if kind is yaml.MappingNode and node.tag == _MAP_TAG:
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode or key_node.tag == _MERGE_TAG:
                    raise _NotPlain
                key = (
                    key_node.value
                    if key_node.tag == _STR_TAG
                    else self.construct_object(key_node, deep=True)
                )
                result[key] = self._build(value_node, seen)
            if len(result) != len(node.value):  # a repeated key: construct_mapping reports it
                raise _NotPlain
            return result
        return self.construct_object(node, deep=True)

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        """A date, or a problem at its line if there is no such date (2015-13-45)."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:  # PyYAML lets datetime's error escape, without a line
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark
            ) from exc


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_timestamp)


class _NotPlain(Exception):
    """A YAML document the loader's shortcut leaves to PyYAML."""


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


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
        # File names and keys come from the folder's author: escaped, never raw (an ESC
        # in a key could retitle the window or write the clipboard).
        file = show_name(self.file)
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {show_name(self.field) if self.field else '-'}: {clean_id(self.message)}"


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
        try:
            text = _read_regular(self.path).decode("utf-8")
            return yaml.compose(text, Loader=_SafeLoader)
        except (OSError, ValueError, yaml.YAMLError):  # changed since: no line, still the problem
            return None


@dataclass
class _Collector:
    root: Path
    problems: list[Problem] = field(default_factory=list)

    def add(self, rel: str, line: int | None, fld: str, message: str) -> None:
        self.problems.append(Problem(rel, line, fld, message))


def case_files(folder: Path) -> list[Path]:
    """Every YAML file the loader reads, in a stable order."""
    return [folder.joinpath(*parts) for parts in _yaml_files(folder)]


def _yaml_files(folder: Path) -> list[tuple[str, ...]]:
    """The YAML files in ``folder`` and its studies folder, as sorted relative parts.

    ``os.scandir`` knows which entries are files without a ``stat`` each, and
    sorting tuples of names is the order of sorting the paths without comparing
    10,000 Path objects (10k files: 0.2 s with ``iterdir``, ``is_file``, ``sorted``).
    """
    found: list[tuple[str, ...]] = []
    for prefix in ((), (STUDIES_DIR,)):
        try:
            entries = os.scandir(folder.joinpath(*prefix))
        except (FileNotFoundError, NotADirectoryError):
            if not prefix:
                raise
            continue
        with entries:
            found += [
                (*prefix, entry.name)
                for entry in entries
                if os.path.splitext(entry.name)[1] in YAML_SUFFIXES and _is_file(entry)
            ]
    found.sort()
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    """A regular file, or a link that cannot be followed (a loop): reading it says why."""
    try:
        return entry.is_file()
    except OSError:
        return True


def _undecodable(parts: tuple[str, ...]) -> bool:
    """A file name whose bytes are not UTF-8 (kept by the OS as surrogate escapes)."""
    return any("\udc80" <= ch <= "\udcff" for part in parts for ch in part)


# The modules whose code decides what a case file means: a cache built by other
# code (an older ccgtui that accepted a ``javascript:`` URL, say) must be rebuilt.
_RULE_MODULES = ("model.py", "loader.py", "yaml_safety.py", "safe_text.py")


@functools.cache
def _rules_digest() -> bytes:
    """A digest of the validating code itself (a hand-bumped version is easy to forget)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _RULE_MODULES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # a frozen or zipped install: fall back to the version alone
            digest.update(name.encode())
    from ccgtui import __version__

    digest.update(__version__.encode())
    return digest.digest()


def fingerprint(folder: Path) -> str:
    """A cheap digest of the folder (paths, sizes, mtimes) to decide on a reload.

    Uses ``os.scandir`` rather than pathlib: at 10,000 files the Path objects
    alone cost half a second, and this runs on every start.
    """
    digest = hashlib.sha256(os.fsencode(folder.resolve()))
    digest.update(_rules_digest())  # new validation rules: the old cache is not trusted
    rows: list[tuple[tuple[str, ...], int, int]] = []
    for prefix in ((), (STUDIES_DIR,)):
        try:
            entries = os.scandir(folder.joinpath(*prefix))
        except OSError:  # missing, not a folder, unreadable: the load reports it
            continue
        with entries:
            for entry in entries:
                if os.path.splitext(entry.name)[1] in YAML_SUFFIXES and _is_file(entry):
                    try:
                        st = entry.stat()
                    except OSError:  # a symlink loop: still part of what the folder holds
                        rows.append(((*prefix, entry.name), -1, -1))
                        continue
                    rows.append(((*prefix, entry.name), st.st_size, st.st_mtime_ns))
    rows.sort()  # by path parts, as case_files() sorts
    for parts, size, mtime_ns in rows:
        # surrogateescape: a file name need not be UTF-8 (the load then reports it)
        digest.update(f"{'/'.join(parts)}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


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


# progress(case files checked, case files in all): for a progress bar (issue 16)
Progress = Callable[[int, int], None]


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


@dataclass(frozen=True)
class _CaseContext:
    """What checking one case file needs to know of the rest of the folder."""

    source_ids: frozenset[str]
    study_ids: frozenset[str]
    convert: Callable[[Case], Any]


# (case id if the file holds a valid case, convert's result if it has no problem, problems)
_CaseResult = tuple[str | None, Any, list[Problem]]


def _load(root: Path, convert: Callable[[Case], T], progress: Progress | None = None) -> Loaded[T]:
    out = _Collector(root)
    if not root.exists():
        raise LoadError([Problem(str(root), None, "", "case folder does not exist")])
    if not root.is_dir():
        raise LoadError([Problem(str(root), None, "", "not a folder")])
    try:
        files = _yaml_files(root)
    except OSError as exc:
        where = exc.filename if exc.filename is not None else root
        raise LoadError(
            [Problem(str(where), None, "", f"cannot read the folder: {_why(exc)}")]
        ) from exc
    for parts in [parts for parts in files if _undecodable(parts)]:
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
    sources: list[tuple[Source, _Doc]] = []
    studies: list[tuple[Study, _Doc]] = []
    for name in (SOURCES_FILE, STUDY_FILE):
        if name not in top:
            out.add(str(root / name), None, "", f"missing file: every case folder needs {name}")
    study_files = [root / STUDY_FILE] if STUDY_FILE in top else []
    study_files += [root.joinpath(*parts) for parts in files if len(parts) == 2]
    if SOURCES_FILE in top:
        doc = _read_doc(root / SOURCES_FILE, out)
        if doc is not None:
            sources = _parse_sources(doc, out)
    for path in study_files:
        doc = _read_doc(path, out)
        if doc is not None and (study := _parse_model(Study, doc.data, doc, out)) is not None:
            studies.append((study, doc))
    _check_sources_and_studies(sources, studies, out)

    case_paths = [
        root / parts[0]
        for parts in files
        if len(parts) == 1 and parts[0] not in (SOURCES_FILE, STUDY_FILE)
    ]
    context = _CaseContext(
        source_ids=frozenset(s.id for s, _ in sources),
        study_ids=frozenset(s.id for s, _ in studies),
        convert=convert,
    )
    cases: list[T] = []
    first_file: dict[str, str] = {}
    for path, (case_id, value, problems) in zip(
        case_paths, _check_cases(case_paths, context, progress), strict=True
    ):
        out.problems += problems
        if case_id is None:
            continue
        seen = first_file.setdefault(case_id, str(path))
        if seen != str(path):
            out.add(
                str(path),
                _line_of(_Doc(path, str(path), None).node, ("id",)),
                "id",
                f"duplicate case id {case_id!r} (first defined in {show_name(seen)})",
            )
        if not problems:
            cases.append(value)
    if out.problems:
        raise LoadError(out.problems)
    return Loaded(studies=[s for s, _ in studies], sources=[s for s, _ in sources], cases=cases)


def _read_doc(path: Path, out: _Collector) -> _Doc | None:
    doc, problems = _read(path)
    out.problems += problems
    return doc


def _check_cases(
    paths: list[Path], context: _CaseContext, progress: Progress | None = None
) -> list[_CaseResult]:
    """Check every case file; big folders are shared out over every core.

    Parsing and validating is nearly all of the load time (about 1 ms a file)
    and each file is independent, so a process pool does it, and converts each
    case there too (see :func:`load`).
    """
    if len(paths) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2:
        return _counted((_check_case(context, path) for path in paths), len(paths), progress)
    import logging  # here, not at the top: 20 ms that small folders never need
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    log = logging.getLogger(__name__)
    try:
        _start_resource_tracker()
        # "spawn", not fork: the explorer loads from a thread, and forking a threaded
        # process can deadlock.
        with ProcessPoolExecutor(
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(context, _std_streams_replaced(), os.getpid()),
        ) as pool:
            mapped = pool.map(_check_case_in_worker, paths, chunksize=32)
            results = _counted(mapped, len(paths), progress)
    except (OSError, ValueError, RuntimeError) as exc:
        # No pool here: check in this process, as for small folders.
        log.debug("no process pool (%s); checking %d case files in this process", exc, len(paths))
        return _counted((_check_case(context, path) for path in paths), len(paths), progress)
    log.debug("checked %d case files in a process pool", len(paths))
    return results


def _counted(
    results: Iterable[_CaseResult], total: int, progress: Progress | None
) -> list[_CaseResult]:
    """The results as a list, telling ``progress`` every 32 files and at the end."""
    if progress is None:
        return list(results)
    out: list[_CaseResult] = []
    progress(0, total)
    for result in results:
        out.append(result)
        if len(out) % 32 == 0:
            progress(len(out), total)
    progress(len(out), total)
    return out


_worker_context: _CaseContext | None = None


def _init_worker(context: _CaseContext, quiet: bool, parent_pid: int) -> None:
    global _worker_context
    from ccgtui.orphans import die_with_parent

    die_with_parent(parent_pid)  # a kill -9 of ccgtui must not leave workers behind
    _worker_context = context
    if quiet:
        # The parent's terminal belongs to a full-screen app (the explorer): a stray
        # warning from a worker must not be written across it.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)


def _check_case_in_worker(path: Path) -> _CaseResult:
    if _worker_context is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("worker not initialised")
    with gc_paused():
        return _check_case(_worker_context, path)


def _check_case(context: _CaseContext, path: Path) -> _CaseResult:
    """Read, parse and validate one case file; check its study and source references."""
    doc, problems = _read(path)
    if doc is None:
        return None, None, problems
    out = _Collector(path.parent)
    case = _parse_model(Case, doc.data, doc, out)
    if case is None:
        return None, None, out.problems
    if case.study not in context.study_ids:
        known = ", ".join(sorted(context.study_ids)) or "none"
        out.add(
            doc.rel,
            _line_of(doc.node, ("study",)),
            "study",
            f"unknown study id {case.study!r}; known: {known}",
        )
    if not _cites_only(doc.data, context.source_ids):
        _check_refs(case, doc, context.source_ids, out)
    if out.problems:
        return case.id, None, out.problems
    return case.id, context.convert(case), []


def _cites_only(data: Any, known: frozenset[str]) -> bool:
    """Whether every ``sources`` list in a file's raw YAML names only ``known`` ids.

    A quick test on plain dicts and lists (10k cases: 0.2 s of CPU, against 0.9 s
    to walk the models) before :func:`_check_refs`, which builds every statement's
    path to report one.  It is sound because every source id in a validated
    model comes from a ``sources`` list in the file (no field is renamed, and a
    default has no sources), and an entry that already equals a known id, which
    is lowercase with no spaces or control characters, is unchanged by
    validation; anything else answers False and gets the full check.
    """
    try:
        return _raw_sources_known(data, known)
    except (TypeError, RecursionError):  # an unhashable entry, a looping alias: full check
        return False


def _raw_sources_known(data: Any, known: frozenset[str]) -> bool:
    if type(data) is dict:
        refs = data.get("sources")
        if type(refs) is list and not known.issuperset(refs):
            return False
        values: Iterable[Any] = data.values()
    else:
        values = data
    for value in values:
        if (type(value) is dict or type(value) is list) and not _raw_sources_known(value, known):
            return False
    return True


def _std_streams_replaced() -> bool:
    return sys.stderr is not sys.__stderr__ or sys.stdout is not sys.__stdout__


class _NoFileno:
    """A text stream as it is, except that it admits to having no file descriptor."""

    # Plain scalars stay text as written ("012", "1.10", "no"); null and merge keys only.
    yaml_implicit_resolvers = TEXT_RESOLVERS

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


_tracker_lock = threading.Lock()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker even if ``sys.stderr`` is not a real file.

    A spawn pool needs the tracker process, and the tracker is handed
    ``sys.stderr.fileno()`` to write its warnings to.  It copes with a stream
    that has no descriptor (fileno() raises), but Textual's print capture, which
    is ``sys.stderr`` while the explorer runs, answers -1, and starting the
    process fails ("bad value(s) in fds_to_keep").  So while the tracker starts,
    ``sys.stderr`` is that same stream wrapped to say it has no descriptor; writes
    still go where they went.  The tracker then writes to the process's own
    stderr (descriptor 2), and it runs until this process ends, so this happens
    at most once.
    """
    stream = sys.stderr
    try:
        fd = stream.fileno()
    except Exception:  # any failure: the tracker skips the stream itself
        return
    if not isinstance(fd, int) or fd >= 0:
        return
    from multiprocessing import resource_tracker

    with _tracker_lock:
        wrapper = _NoFileno(stream)
        sys.stderr = wrapper
        try:
            resource_tracker.ensure_running()
        finally:
            if sys.stderr is wrapper:  # unless someone else replaced it meanwhile
                sys.stderr = stream


def _read(path: Path) -> tuple[_Doc | None, list[Problem]]:
    rel = str(path)

    def problem(line: int | None, message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, line, "", message)]

    try:
        raw = _read_regular(path)
    except _NotRegular:
        return problem(None, "not a regular file; case files are plain YAML files")
    except _TooBig as exc:
        return problem(None, f"file is {exc}, over the {MAX_FILE_BYTES:,}-byte limit")
    except OSError as exc:  # a symlink loop, no permission, an I/O error
        return problem(None, f"cannot read the file: {_why(exc)}")
    if b"\x00" in raw:
        return problem(None, "binary file (contains NUL bytes); case files must be UTF-8 text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return problem(line, f"not valid UTF-8 (byte {exc.start}): save the file as UTF-8")
    try:
        data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a *safe* loader (C or Python)
    except (ValueError, RecursionError) as exc:  # not YAMLError: PyYAML let it escape
        return problem(None, f"cannot read the YAML: {exc}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        err_line = mark.line + 1 if mark is not None else None
        detail = " ".join(str(getattr(exc, "problem", None) or exc).split())
        if isinstance(exc, DuplicateKeyError):
            return None, [Problem(rel, err_line, exc.key, detail)]
        if isinstance(exc, ExpansionError):
            return problem(err_line, detail)
        return problem(err_line, f"YAML syntax error: {detail}")
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        return problem(1, f"expected a mapping at the top of the file, got {kind}")
    return _Doc(path, rel, data), []


class _NotRegular(OSError):
    """A FIFO, device or folder where a case file was listed."""


class _TooBig(OSError):
    """Over MAX_FILE_BYTES; the message is the size found."""


def _read_regular(path: Path) -> bytes:
    """A regular file's bytes, at most MAX_FILE_BYTES of them.

    Opened non-blocking: a FIFO put in the file's place since the listing must not
    hang the load waiting for a writer.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        st = os.fstat(handle.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise _NotRegular(path)
        if st.st_size > MAX_FILE_BYTES:
            raise _TooBig(f"{st.st_size:,} bytes")
        raw = handle.read(MAX_FILE_BYTES + 1)  # bounded even if the file grew since
    if len(raw) > MAX_FILE_BYTES:
        raise _TooBig(f"over {MAX_FILE_BYTES:,} bytes")
    return raw


def _why(exc: OSError) -> str:
    """The OS's reason in words ("Too many levels of symbolic links"), without the path."""
    return exc.strerror or type(exc).__name__


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
            loc, err = _located(err, prefix)
            out.add(doc.rel, _line_of(doc.node, loc), _dotted(loc), _message(err, loc))
        return None


def record_problem(file: str, prefix: tuple[str | int, ...], err: Any) -> Problem:
    """One pydantic error in a record that has no lines (e.g. from a JSON export)."""
    loc, err = _located(err, prefix)
    return Problem(file, None, _dotted(loc), _message(err, loc))


def _located(err: Any, prefix: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], Any]:
    """An error's path as the file spells it (no union branch names), and its kind."""
    raw_loc = tuple(err["loc"])
    loc = prefix + tuple(p for p in raw_loc if p not in ("list", "unknown", "[key]"))
    if "[key]" in raw_loc:  # a bad mapping key: judge it by its container's vocabulary
        loc = loc[:-1]
        err = {**err, "type": "enum"}
    return loc, err


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
    if kind in _EXPECTED:  # text where a number or yes/no belongs (plain scalars stay text)
        return f"expected {_EXPECTED[kind]}, got {err.get('input')!r}"
    msg = str(err["msg"])
    return msg.removeprefix("Value error, ")


_EXPECTED = {
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "bool_parsing": "true or false",
}


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


def _check_sources_and_studies(
    sources: list[tuple[Source, _Doc]], studies: list[tuple[Study, _Doc]], out: _Collector
) -> None:
    """Duplicate source and study ids; unresolved references in studies.

    Cases are checked by :func:`_check_case` and, for duplicate ids, by :func:`_load`.
    """
    groups: list[tuple[str, list[tuple[Any, _Doc]]]] = [
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
                    _line_of(doc.node, loc),
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
                    _line_of(doc.node, ("related", i)),
                    f"related[{i}]",
                    f"unknown study id {rel!r}; known: {', '.join(sorted(study_ids)) or 'none'}",
                )


def _check_refs(obj: BaseModel, doc: _Doc, source_ids: Set[str], out: _Collector) -> None:
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
    "Loaded",
    "Problem",
    "Statement",
    "Unknown",
    "case_files",
    "fingerprint",
    "load",
    "load_folder",
    "record_problem",
]
