"""The local database: a rebuildable cache of the case folder plus the user's own data.

Two TinyDB files sit side by side (``--db`` names the first):

* ``ccgtui.json``       tables ``meta``, ``studies``, ``sources``, ``cases``: a cache
  of the case folder, rebuilt whenever the folder's fingerprint changes.
* ``ccgtui.user.json``  tables ``meta``, ``notes``, ``tags``, ``bookmarks``: exists
  nowhere else, so it is never rewritten by a reload and every write is followed
  by a rotating backup in ``ccgtui.backups/``.

Keeping them apart (DESIGN.md had one file) means a reload can never touch a
note, and a note write rewrites a few kilobytes rather than every case.

Next to the content file sits ``ccgtui.index.json``, a small table of contents:
the folder's fingerprint, the content file's size and mtime, each case's id,
label, kind and study, and the byte range of every case (and of the studies
and sources tables) inside the content file.  With it, re-opening a current
cache reads a few hundred kilobytes instead of parsing every case, and
``ccgtui show`` validates one case, not ten thousand.  It is written after the
content file and deleted before it is replaced, so a crash leaves no index that
describes the wrong file; a missing or stale index only means a slower open.

Every write is atomic (temp file in the same directory, fsync, ``os.replace``,
fsync of the directory) and every read-change-write cycle holds one
cross-process :class:`filelock.FileLock`, so two ccgtui processes never lose
each other's updates.  TinyDB's own JSONStorage rewrites in place and is not
safe across processes; :class:`AtomicJSONStorage` replaces it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage

from ccgtui import __version__, paths
from ccgtui.bulk import gc_paused
from ccgtui.dblock import DbLock, LockTimeout, holder
from ccgtui.facts import FACTS_VERSION, ROW_FIELDS, CaseSummary, summaries
from ccgtui.fileio import atomic_write_bytes as atomic_write_bytes  # its home; kept importable here
from ccgtui.lazy_cases import LazyCases
from ccgtui.loader import Loaded, LoadError, fingerprint, load
from ccgtui.model import Case, Dataset, Source, Study
from ccgtui.search_build import IndexText, index_texts
from ccgtui.search_build import Stamp as SearchStamp

SCHEMA_VERSION = 1
CONTENT_TABLES = ("studies", "sources", "cases")
USER_TABLES = ("notes", "tags", "bookmarks")
BACKUPS_KEPT = 5
USER_FORMAT = "ccgtui notes"  # meta "format": whose file this is (see _ours)
CONTENT_FORMAT = "ccgtui cache"
LOCK_TIMEOUT_S = 30.0
TEMP_SWEEP_AGE_S = 300.0  # a temp file this old has no live writer
_M = TypeVar("_M", bound=BaseModel)


class _ContentFile(BaseModel):
    """The content file's tables, validated straight from its bytes (no dict copy)."""

    model_config = ConfigDict(extra="ignore")

    studies: dict[str, Study] = {}
    sources: dict[str, Source] = {}
    cases: dict[str, Case] = {}


@dataclass(frozen=True)
class _Index:
    """The parsed ``*.index.json``: see the module docstring."""

    fingerprint: str
    content: tuple[int, int]  # size and mtime_ns of the content file it describes
    rows: list[list[Any]]  # CaseSummary rows, turned into summaries only when wanted
    spans: dict[str, tuple[int, int]]  # case id, "studies", "sources" -> byte range

    @property
    def ids(self) -> list[str]:
        return [str(row[0]) for row in self.rows]

    @cached_property
    def summaries(self) -> list[CaseSummary]:
        return [CaseSummary.from_row(row) for row in self.rows]


# A case as the content file, the index and the search index hold it:
# id, JSON, index row, searchable texts (ccgtui.search_build).
CacheEntry = tuple[str, bytes, list[object], list[IndexText]]


def cache_entry(case: Case) -> CacheEntry:
    """What the cache keeps of a case; runs where the loader validated it (see loader.load).

    ``model_dump_json`` writes the same JSON as ``json.dumps(model_dump(mode="json"))``
    without building the dict first (10k cases: about 0.4 s less), and the index
    row and search texts are worked out while the case is at hand rather than from
    a second pass.
    """
    entry = case.model_dump_json(exclude_defaults=True).encode("utf-8")
    return case.id, entry, CaseSummary.of(case).as_row(), index_texts(case)


def _checked_rows(rows: Any) -> list[list[Any]]:
    """Index rows of the expected shape (a malformed index is ignored, not trusted)."""
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and len(r) == ROW_FIELDS and isinstance(r[0], str) for r in rows
    ):
        raise ValueError("index rows are malformed")
    return rows


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def dump_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class AtomicJSONStorage(Storage):  # type: ignore[misc]
    """TinyDB storage that writes atomically; callers hold the store's lock.

    With ``lock``, writes are kept in memory until :meth:`commit` (one write per
    read-change-write cycle), which first checks the lock is still held: a
    writer whose lock file was deleted mid-cycle writes nothing.
    """

    def __init__(self, path: str | Path, lock: DbLock | None = None) -> None:
        self.path = Path(path)
        self.lock = lock
        self._pending: dict[str, Any] | None = None

    def commit(self) -> None:
        if self._pending is None:
            return
        if self.lock is not None and not self.lock.still_held():
            raise StoreError(
                f"the lock file {self.lock.path} was deleted or replaced while this change "
                "was being made, so it was not saved; please try again"
            )
        data, self._pending = self._pending, None
        atomic_write_bytes(self.path, dump_json(data))

    def read(self) -> dict[str, Any] | None:
        if self._pending is not None:
            return self._pending
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("database root is not a JSON object")
        return data

    def write(self, data: dict[str, Any]) -> None:
        if self.lock is not None:
            self._pending = data
        else:
            atomic_write_bytes(self.path, dump_json(data))

    def close(self) -> None:
        pass


def _read_json(path: Path) -> dict[str, Any] | None:
    """The parsed file, ``None`` if missing; raises ValueError if unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return _parse_json(raw)


def _parse_json(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        raise ValueError("file is empty")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError("database root is not a JSON object")
    return data


def _meta(data: dict[str, Any]) -> dict[str, Any]:
    table = data.get("meta") or {}
    return dict(next(iter(table.values()), {})) if isinstance(table, dict) else {}


_ROW_FIELDS: dict[str, dict[str, type]] = {
    # table -> field -> type (required fields first; the rest may be missing)
    "notes": {"id": int, "target": str, "text": str},
    "tags": {"case": str, "tag": str},
    "bookmarks": {"id": int, "target": str},
}
_OPTIONAL_STR = ("created", "updated", "context", "label", "uid", "author")  # uid, author: merge


def check_user_rows(data: dict[str, Any]) -> None:
    """Raise ValueError naming the first malformed row of a notes file."""
    for table, fields in _ROW_FIELDS.items():
        rows = data.get(table, {})
        if not isinstance(rows, dict):
            raise ValueError(f"table {table!r} is not a JSON object")
        for key, row in rows.items():
            where = f"{table} row {key}"
            if not isinstance(row, dict):
                raise ValueError(f"{where} is not a JSON object")
            for name, kind in fields.items():
                value = row.get(name)
                if not isinstance(value, kind) or isinstance(value, bool):
                    raise ValueError(f"{where}: {name!r} is missing or not a {kind.__name__}")
            for name in _OPTIONAL_STR:
                if name in row and not isinstance(row[name], str):
                    raise ValueError(f"{where}: {name!r} is not text")
            if row.get("anchor") is not None and not isinstance(row["anchor"], dict):
                raise ValueError(f"{where}: 'anchor' is not a JSON object")
            history = row.get("history", [])  # version keys a note replaced (notes_merge)
            if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
                raise ValueError(f"{where}: 'history' is not a list of text")


_LEGACY_PREFIX = b'{"meta":{"1":{"schema_version":'  # how ccgtui 0.1 files begin


def _marked(raw: bytes, marker: str) -> bool:
    """Whether unreadable bytes are still recognisably a file ccgtui wrote (or empty)."""
    head = raw.lstrip()
    mark = b'{"meta":{"1":{"format":' + json.dumps(marker).encode()
    cut_in_marker = len(head) >= len(b'{"meta":') and mark.startswith(head)
    return not head or cut_in_marker or head.startswith((mark, _LEGACY_PREFIX))


def _claims(data: dict[str, Any], marker: str) -> bool:
    """Whether a JSON object is a file ccgtui wrote as ``marker`` (legacy files by shape)."""
    meta = _meta(data)
    if "format" in meta:
        return bool(meta["format"] == marker)
    if "schema_version" not in meta:
        return False
    content_like = "fingerprint" in meta or any(t in data for t in CONTENT_TABLES)
    return content_like == (marker == CONTENT_FORMAT)


class NewerSchema(ValueError):
    """A file from a newer ccgtui: never "recovered", moved aside or replaced."""


class NotOurs(ValueError):
    """A file ccgtui did not write (no marker): never moved aside or replaced."""


def _check_version(data: dict[str, Any], tables: tuple[str, ...]) -> None:
    meta = _meta(data)
    version = meta.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        by = f"ccgtui {meta['written_by']}" if isinstance(meta.get("written_by"), str) else "it"
        raise NewerSchema(
            f"written by a newer ccgtui ({by}, file format {version}); this is ccgtui "
            f"{__version__}, which reads format {SCHEMA_VERSION}: upgrade ccgtui to open it"
        )
    if version != SCHEMA_VERSION:
        raise ValueError(f"schema version {version!r}, expected {SCHEMA_VERSION}")
    for name in tables:
        if not isinstance(data.get(name, {}), dict):
            raise ValueError(f"table {name!r} is not a JSON object")


def _why(exc: OSError, named: Path | None = None) -> str:
    """``No space left on device`` (and the file, when it is not the one named)."""
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(named) else ""
    return f"{exc.strerror or exc}{where}"


def _read_checked(path: Path, tables: tuple[str, ...], marker: str) -> dict[str, Any] | None:
    """The parsed file (``None`` if missing) after checking it is ccgtui's and current.

    Raises :class:`NotOurs` for a file ccgtui did not write, :class:`NewerSchema`
    for one a newer ccgtui wrote, and ValueError for one that is damaged.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = _parse_json(raw)
    except ValueError as exc:
        if not _marked(raw, marker):
            raise NotOurs(f"not JSON written by ccgtui: {exc}") from exc
        raise
    if not _claims(data, marker):
        raise NotOurs(f"a JSON file without ccgtui's {marker!r} marker")
    _check_version(data, tables)
    return data


@dataclass
class OpenReport:
    """What happened while opening: reloads, recoveries and stale data."""

    reloaded: bool = False
    messages: list[str] = field(default_factory=list)
    problems: LoadError | None = None  # case folder invalid; the last good data is in use


class Store:
    """Open with :meth:`open`; all public methods take the cross-process lock."""

    def __init__(self, db_path: Path, cases_dir: Path, *, create_folder: bool = True) -> None:
        self.db_path = Path(db_path)
        self.create_folder = create_folder  # False for a user-named --db: a typo must not
        self.cases_dir = Path(cases_dir)
        self.user_path = self.db_path.with_name(self.db_path.stem + ".user.json")
        self.backup_dir = self.db_path.with_name(self.db_path.stem + ".backups")
        self.index_path = self.db_path.with_name(self.db_path.stem + ".index.json")
        self.search_path = self.db_path.with_name(self.db_path.stem + ".search.sqlite")
        self.lock = DbLock(self.db_path.with_name(self.db_path.name + ".lock"), LOCK_TIMEOUT_S)
        self._dataset: Dataset | None = None
        self._content: dict[str, Any] | None = None  # parsed content file, from open()
        self._index: _Index | None = None  # the table of contents, when current
        self.warnings: list[str] = []  # things that went wrong but lost nothing
        self.last_open: OpenReport | None = None  # kept when open() raises, for its messages
        self.on_warning: Callable[[str], None] | None = None
        # (case files checked, in all) while a reload parses the folder: a progress bar
        self.on_progress: Callable[[int, int], None] | None = None

    def warn(self, message: str) -> None:
        """Say something went wrong that lost nothing (stderr; the TUI may replace this)."""
        self.warnings.append(message)
        if self.on_warning is not None:
            self.on_warning(message)
        else:
            print(f"ccgtui: warning: {message}", file=sys.stderr)

    # -- locking -------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock for a whole read-change-write cycle."""
        for path in (self.db_path, self.user_path, self.index_path):
            # Never rename or replace a device, folder or socket (e.g. --db /dev/null).
            if path.exists() and not path.is_file():
                raise StoreError(f"{path} exists and is not a regular file; choose another --db")
        if not self.create_folder and not self.db_path.parent.is_dir():
            raise StoreError(
                f"the database folder {self.db_path.parent} does not exist; "
                "create it first or choose another --db"
            )
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the database folder {self.db_path.parent}: {exc.strerror or exc}"
            ) from exc
        try:
            self.lock.acquire()
        except LockTimeout as exc:
            who = holder(self.lock.path) or "another ccgtui process"
            raise StoreError(
                f"database {self.db_path} is in use by {who} (waited {LOCK_TIMEOUT_S:.0f} s); "
                "try again when it has finished (the lock is let go when that process ends)"
            ) from exc
        except OSError as exc:  # a lock path that is a folder, a read-only database folder
            raise StoreError(
                f"cannot lock the database: {self.lock.path}: {exc.strerror or exc}"
            ) from exc
        try:
            yield
        finally:
            self.lock.release()

    # -- opening -------------------------------------------------------------

    def open(self, *, reload: bool | None = None) -> OpenReport:
        """Make the cache current.

        ``reload=None`` reloads when the case folder's fingerprint changed,
        ``True`` always, ``False`` never (use whatever is cached).
        A failed reload leaves both files byte-identical.
        """
        report = self.last_open = OpenReport()
        with self.locked():
            self._sweep_temp_files()
            try:
                self._recover_user(report)
            except OSError as exc:
                raise StoreError(
                    f"cannot repair the notes file {self.user_path}: {_why(exc)}"
                ) from exc
            stamp = fingerprint(self.cases_dir)
            index = self._read_index()
            if index is not None and (
                reload is False or (not reload and index.fingerprint == stamp)
            ):
                self._index = index  # current: nothing else needs reading yet
                return report
            content = self._recover_content(report)
            # Here the index is missing or stale (folder changed, or a crash came
            # between the two writes, or an older ccgtui wrote the cache):
            # reloading rewrites both files; failing that, the content is used.
            if reload is not False or content is None:
                try:
                    # Each case arrives as its cache entry, made where it was validated.
                    loaded = load(self.cases_dir, cache_entry, self.on_progress)
                except LoadError as exc:
                    # Only this folder's last good data may stand in for it, never
                    # another folder's (a mistyped --cases would answer wrongly).
                    if content is None or _meta(content).get("cases_dir") != str(
                        self.cases_dir.resolve()
                    ):
                        raise
                    report.problems = exc
                    self._content = content  # the last good data, already parsed
                    return report
                try:
                    self._write_content(loaded, stamp)
                except OSError as exc:  # a full disk, a read-only folder: old file kept
                    raise StoreError(
                        f"cannot write the database {self.db_path}: {_why(exc)}; it is unchanged"
                    ) from exc
                del loaded  # served lazily from the new file, like any re-open
                report.reloaded = True
            else:
                self._content = content  # parsed once here; dataset() builds from it
        return report

    def _sweep_temp_files(self) -> None:
        """Delete temp files a killed process left (minutes old); their writers hold the lock."""
        patterns = [
            (self.db_path.parent, f".{self.db_path.name}.*.tmp"),
            (self.user_path.parent, f".{self.user_path.name}.*.tmp"),
            (self.index_path.parent, f".{self.index_path.name}.*.tmp"),
            (self.search_path.parent, f".{self.search_path.name}.*.tmp"),
            (self.backup_dir, f".{self.user_path.stem}-*.tmp"),
        ]
        # Only old ones: a young temp file may be another writer's, in flight, if
        # the lock was ever broken (e.g. its file deleted on a network drive).
        cutoff = time.time() - TEMP_SWEEP_AGE_S
        for folder, pattern in patterns:
            if folder.is_dir():
                for stale in folder.glob(pattern):
                    with contextlib.suppress(OSError):
                        if stale.stat().st_mtime < cutoff:
                            stale.unlink()

    def _recover_content(self, report: OpenReport) -> dict[str, Any] | None:
        """The parsed cache; a damaged one that ccgtui wrote is moved aside (``None``).

        A file ccgtui did not write (``--db briefing.md``) or a newer ccgtui
        wrote is refused and left exactly as it is.
        """
        try:
            return _read_checked(self.db_path, CONTENT_TABLES, CONTENT_FORMAT)
        except NotOurs as exc:
            raise StoreError(
                f"{self.db_path} exists and is not a ccgtui database ({exc}); "
                "it was left untouched: choose another --db"
            ) from exc
        except NewerSchema as exc:
            raise StoreError(f"database {self.db_path} was {exc}") from exc
        except ValueError as exc:
            moved = self._move_aside(self.db_path)
            report.messages.append(
                f"database {self.db_path} was unreadable ({exc}); moved to {moved.name}, "
                "rebuilding from the case folder"
            )
            return None

    def _recover_user(self, report: OpenReport) -> None:
        try:
            data = _read_json(self.user_path)
            if data is not None:
                _check_version(data, USER_TABLES)
            return
        except NewerSchema as exc:  # not damaged: never moved aside for an older backup
            raise StoreError(f"notes file {self.user_path} was {exc}") from exc
        except ValueError as exc:
            moved = self._move_aside(self.user_path)
            backup = self._newest_good_backup()
            if backup is None:
                report.messages.append(
                    f"notes file {self.user_path} was unreadable ({exc}); moved to {moved.name}; "
                    "no good backup found, starting with no notes"
                )
                return
            atomic_write_bytes(self.user_path, backup.read_bytes())
            report.messages.append(
                f"notes file {self.user_path} was unreadable ({exc}); moved to {moved.name}; "
                f"recovered notes from backup {backup.name}"
            )

    def _move_aside(self, path: Path) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{time.time_ns() % 10**6}")
        os.replace(path, target)
        return target

    def _write_content(self, loaded: Loaded[CacheEntry], stamp: str) -> None:
        """Replace every content table in one atomic write."""
        with gc_paused():
            self._write_content_unpaused(loaded, stamp)

    def _write_content_unpaused(self, loaded: Loaded[CacheEntry], stamp: str) -> None:
        meta = {
            "format": CONTENT_FORMAT,  # first, so even a truncated file is recognisably ours
            "schema_version": SCHEMA_VERSION,
            "written_by": __version__,
            "fingerprint": stamp,
            "cases_dir": str(self.cases_dir.resolve()),
            "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        # Assembled by hand (still one TinyDB-shaped JSON object) to note where
        # each table and each case starts and ends.
        out = bytearray(b'{"meta":' + dump_json({"1": meta}))
        spans: dict[str, tuple[int, int]] = {}
        for name, items in (("studies", loaded.studies), ("sources", loaded.sources)):
            out += b',"' + name.encode() + b'":'
            start = len(out)
            out += dump_json(
                {
                    str(i): item.model_dump(mode="json", exclude_defaults=True)
                    for i, item in enumerate(items, 1)
                }
            )
            spans[name] = (start, len(out))
        out += b',"cases":{'
        rows: list[list[object]] = []
        texts: list[list[IndexText]] = []
        for i, (case_id, entry, row, searchable) in enumerate(loaded.cases, 1):
            out += (b"," if i > 1 else b"") + b'"%d":' % i
            start = len(out)
            out += entry
            spans[case_id] = (start, len(out))
            rows.append(row)
            texts.append(searchable)
        out += b"}}"
        self.index_path.unlink(missing_ok=True)  # never let it describe the new file
        # The content file is written (and fsynced) in a thread while this one
        # prepares the index: writing releases the GIL, so at 10k cases the two
        # overlap (0.2 s of the 0.5 s this method takes).
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as writer:
            written = writer.submit(atomic_write_bytes, self.db_path, out)
            rows_json, spans_json = dump_json(rows), dump_json(spans)
            written.result()
        size, mtime_ns = self._content_stat()
        head = {
            "schema_version": SCHEMA_VERSION,
            "fingerprint": stamp,
            "content": [size, mtime_ns],
            "facts_version": FACTS_VERSION,  # the rows are facts' answers (ccgtui.facts)
        }
        index = dump_json(head)[:-1] + b',"cases":' + rows_json + b',"spans":' + spans_json + b"}"
        atomic_write_bytes(self.index_path, index)
        self._index = _Index(stamp, (size, mtime_ns), rows, spans)
        self._write_search_index(self._index, loaded.studies, loaded.sources, texts)

    # -- the search index (ccgtui.search_build, read by ccgtui.search_index) -----

    def _search_stamp(self, index: _Index) -> SearchStamp:
        return SearchStamp(index.fingerprint, *index.content, FACTS_VERSION)

    def _write_search_index(
        self,
        index: _Index,
        studies: list[Study],
        sources: list[Source],
        texts: list[list[IndexText]],
    ) -> None:
        """Write the search index beside the content; a failure only makes search slower."""
        from ccgtui.search_build import IndexCase, other_entries, write_index

        cases: list[IndexCase] = []
        for row, searchable in zip(index.rows, texts, strict=True):
            # index row: id, label, kind, study, flag, ["key:value", ...], counts
            pairs = (str(f).partition(":") for f in row[5])
            facets = frozenset((key, value) for key, _, value in pairs)
            cases.append((str(row[0]), str(row[3]), str(row[1]), facets, searchable))
        try:
            write_index(
                self.search_path, cases, other_entries(studies, sources), self._search_stamp(index)
            )
        except (OSError, sqlite3.Error) as exc:
            self.search_path.unlink(missing_ok=True)
            self.warn(f"the search index {self.search_path} was not written ({exc})")

    def search_stamp(self) -> SearchStamp:
        """What a current search index must describe (call :meth:`open` first)."""
        self.dataset()  # makes sure the index describes the content file as it is now
        index = self._index if self._index is not None else self._read_index()
        if index is None:
            raise StoreError(f"database {self.db_path} has no index; run `ccgtui load`")
        return self._search_stamp(index)

    def rebuild_search_index(self) -> None:
        """Write the search index again from the cache (each case read once)."""
        with self.locked():
            index = self._index if self._index is not None else self._read_index()
            if index is None:
                raise StoreError(f"database {self.db_path} has no index; run `ccgtui load`")
            dataset = self.dataset()
            with gc_paused():
                texts = [index_texts(case) for case in dataset.cases]
                self._write_search_index(index, dataset.studies, dataset.sources, texts)

    def _read_index(self) -> _Index | None:
        """The table of contents if it describes the content file as it is now."""
        try:
            data = json.loads(self.index_path.read_bytes())
            index = self._parse_index(data)
            current = self._content_stat()
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        if (
            data.get("schema_version") != SCHEMA_VERSION
            or data.get("facts_version") != FACTS_VERSION
            or index.content != current
            or not self._spans_fit(index)
        ):
            return None  # a cache: any inconsistency means rebuild, never trust
        return index

    def _spans_fit(self, index: _Index) -> bool:
        """Whether every byte range lies in the content file and starts where it says.

        A damaged index (two spans swapped, one 8 GB long) with the content
        file's size and mtime intact would otherwise show the wrong case or
        read gigabytes.  Each case's entry begins ``{"id":"<its id>"``; checking
        that through a memory map costs a few milliseconds at 10k cases.
        """
        import mmap

        size = index.content[0]
        ids = index.ids
        if len(set(ids)) != len(ids) or not {"studies", "sources", *ids} <= index.spans.keys():
            return False
        ranges = sorted(index.spans.values())
        if any(not 0 < a < b <= size for a, b in ranges):
            return False
        if any(end > start for (_, end), (start, _) in pairwise(ranges)):
            return False  # overlapping
        try:
            with (
                self.db_path.open("rb") as fh,
                mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm,
            ):
                if len(mm) != size:
                    return False
                for name in ("studies", "sources"):
                    a, b = index.spans[name]
                    if mm[a : a + 1] != b"{" or mm[b - 1 : b] != b"}":
                        return False
                for case_id in ids:
                    a, b = index.spans[case_id]
                    head = b'{"id":' + json.dumps(case_id).encode()
                    if mm[a : a + len(head)] != head or mm[b - 1 : b] != b"}":
                        return False
        except (OSError, ValueError):
            return False
        return True

    def _content_stat(self) -> tuple[int, int]:
        stat = self.db_path.stat()
        return stat.st_size, stat.st_mtime_ns

    @staticmethod
    def _parse_index(data: dict[str, Any]) -> _Index:
        return _Index(
            fingerprint=str(data["fingerprint"]),
            content=(int(data["content"][0]), int(data["content"][1])),
            rows=_checked_rows(data["cases"]),
            spans={key: (int(a), int(b)) for key, (a, b) in data["spans"].items()},
        )

    # -- content -------------------------------------------------------------

    def dataset(self) -> Dataset:
        """The cached dataset (call :meth:`open` first).

        With a current index the cases come as a :class:`LazyCases` view: each
        is validated when read, so memory stays flat at 10,000 cases.
        """
        if self._dataset is None:
            data, self._content = self._content, None
            with gc_paused():
                if data is not None:  # the last good data, parsed by open()
                    self._dataset = Dataset(
                        studies=[Study.model_validate(v) for v in data.get("studies", {}).values()],
                        sources=[
                            Source.model_validate(v) for v in data.get("sources", {}).values()
                        ],
                        cases=[Case.model_validate(v) for v in data.get("cases", {}).values()],
                    )
                else:
                    self._dataset = self._lazy_dataset()
        return self._dataset

    def _lazy_dataset(self) -> Dataset:
        with self.locked():
            index = self._index
            if index is None or self._content_stat() != index.content:
                index = self._read_index()  # another process reloaded since open()
            if index is None:
                tables = self._validate(_ContentFile, self._read_content_bytes())
                return Dataset.model_construct(
                    studies=list(tables.studies.values()),
                    sources=list(tables.sources.values()),
                    cases=list(tables.cases.values()),
                )
            self._index = index
            # Opened under the lock, so the view reads exactly the file the index describes.
            ids = index.ids
            cases = LazyCases(
                self.db_path, [index.spans[i] for i in ids], ids, lambda: index.summaries
            )
            with self.db_path.open("rb") as fh:

                def table(name: str) -> bytes:
                    start, end = index.spans[name]
                    fh.seek(start)
                    return b'{"' + name.encode() + b'":' + fh.read(end - start) + b"}"

                studies = self._validate(_ContentFile, table("studies")).studies
                sources = self._validate(_ContentFile, table("sources")).sources
        return Dataset.model_construct(
            studies=list(studies.values()), sources=list(sources.values()), cases=cases
        )

    def _read_content_bytes(self) -> bytes:
        try:
            raw = self.db_path.read_bytes()
        except FileNotFoundError:
            raw = b""
        if not raw.strip():
            raise StoreError(f"database {self.db_path} is empty; run `ccgtui load`")
        return raw

    def _validate(self, model: type[_M], raw: bytes) -> _M:
        try:
            return model.model_validate_json(raw)
        except ValidationError as exc:
            from ccgtui.wording import plural

            raise StoreError(
                f"database {self.db_path} is unreadable "
                f"({plural(exc.error_count(), 'problem')}, first: "
                f"{exc.errors()[0]['msg']}); run `ccgtui load` to rebuild it"
            ) from exc

    def case_summaries(self) -> list[CaseSummary]:
        """Id, label, kind, study and flag of every case, in file order."""
        return summaries(self.dataset().cases)

    def partial_dataset(self, case_ids: list[str]) -> Dataset:
        """Studies, sources and only the named cases (unknown ids are skipped)."""
        full = self.dataset()
        chosen = [c for i in dict.fromkeys(case_ids) if (c := full.case(i)) is not None]
        return Dataset.model_construct(studies=full.studies, sources=full.sources, cases=chosen)

    def meta(self) -> dict[str, Any]:
        data = _read_json(self.db_path)
        return _meta(data) if data else {}

    # -- user data -----------------------------------------------------------

    @contextmanager
    def user_db(self) -> Iterator[TinyDB]:
        """The user's TinyDB, locked for the whole block; backed up after a change.

        The block's changes are written once, at its end, and only if it ends
        without an exception.  A backup that fails after that write is a
        warning (the change is saved; a retry would duplicate it).
        """
        with self.locked():
            before = self.user_path.read_bytes() if self.user_path.exists() else None
            db = TinyDB(self.user_path, storage=AtomicJSONStorage, lock=self.lock)
            try:
                try:
                    check_user_rows(db.storage.read() or {})
                except ValueError as exc:  # every command that reads notes says so, cleanly
                    raise StoreError(
                        f"the notes file {self.user_path} is unreadable ({exc}); "
                        "`ccgtui db restore --latest` brings back the newest good backup"
                    ) from exc
                if not db.table("meta").all():
                    db.table("meta").insert({"format": USER_FORMAT, **self._stamp()})
                yield db
                storage = db.storage
                assert isinstance(storage, AtomicJSONStorage)
                try:
                    storage.commit()
                except OSError as exc:  # a full disk, a read-only folder
                    why = _why(exc, self.user_path)
                    raise StoreError(
                        f"cannot write the notes file {self.user_path}: {why}; nothing was changed"
                    ) from exc
            finally:
                db.close()
            after = self.user_path.read_bytes() if self.user_path.exists() else None
            if after is not None and after != before:
                self._backup_or_warn(after)

    @staticmethod
    def _stamp() -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "written_by": __version__}

    def _backup_or_warn(self, data: bytes) -> None:
        try:
            self._backup_user(data)
        except OSError as exc:
            self.warn(
                f"your change is saved in {self.user_path}, but its backup in "
                f"{self.backup_dir} failed ({exc.strerror or exc})"
            )

    def _backup_user(self, data: bytes) -> None:
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        name = f"{self.user_path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns()}.json"
        atomic_write_bytes(self.backup_dir / name, data)
        for old in self.backups()[BACKUPS_KEPT:]:
            old.unlink(missing_ok=True)

    def backups(self) -> list[Path]:
        """User-data backups, newest first."""
        if not self.backup_dir.is_dir():
            return []
        return sorted(self.backup_dir.glob("*.json"), key=lambda p: p.name, reverse=True)

    def _newest_good_backup(self) -> Path | None:
        for backup in self.backups():
            try:
                data = _read_json(backup)
                if data is not None:
                    _check_version(data, USER_TABLES)
                    check_user_rows(data)
                    return backup
            except ValueError:
                continue
        return None

    def check(self) -> list[str]:
        """Problems with the database files, empty when healthy (read-only)."""
        problems: list[str] = []
        try:
            if _read_checked(self.db_path, CONTENT_TABLES, CONTENT_FORMAT) is None:
                aside = sorted(self.db_path.parent.glob(f"{self.db_path.name}.corrupt-*"))
                moved = f" (a damaged copy was moved aside to {aside[-1].name})" if aside else ""
                problems.append(
                    f"{self.db_path}: the case cache is missing{moved}; "
                    "`ccgtui load` rebuilds it from the case folder"
                )
        except ValueError as exc:
            problems.append(f"{self.db_path}: {exc}")
        try:
            data = _read_json(self.user_path)
            if data is not None:
                _check_version(data, USER_TABLES)
                check_user_rows(data)
            elif self.backups():
                problems.append(
                    f"{self.user_path}: the notes file is missing but backups exist; "
                    "`ccgtui db restore --latest` brings back the newest"
                )
        except ValueError as exc:
            problems.append(f"{self.user_path}: {exc}")
        return problems

    def restore_user(self, source: Path | None = None) -> Path:
        """Replace the notes file with ``source`` (default: the newest good backup).

        The file is validated before anything is written, and the replacement is
        atomic and backed up like any other change; the state it replaces is
        kept in the rotation too.  Returns the file restored from; raises
        StoreError if it cannot be used.
        """
        with self.locked():
            chosen = source if source is not None else self._newest_good_backup()
            if chosen is None:
                raise StoreError(f"no good backup in {self.backup_dir}")
            try:
                raw = chosen.read_bytes()  # validate exactly the bytes that get written
                data = json.loads(raw) if raw.strip() else None
                if not isinstance(data, dict) or not _claims(data, USER_FORMAT):
                    cache = isinstance(data, dict) and _claims(data, CONTENT_FORMAT)
                    raise ValueError(
                        "that is the case cache, not a notes file"
                        if cache
                        else "not a ccgtui notes file (no notes marker)"
                    )
                _check_version(data, USER_TABLES)
                check_user_rows(data)
            except (ValueError, OSError) as exc:
                raise StoreError(f"cannot restore from {chosen}: {exc}") from exc
            before = self.user_path.read_bytes() if self.user_path.exists() else None
            if before is not None and before != raw:
                newest = self.backups()[:1]
                if not newest or newest[0].read_bytes() != before:
                    self._backup_user(before)  # so the replaced state can be brought back
            atomic_write_bytes(self.user_path, raw)
            if raw != before:
                self._backup_user(raw)
            return chosen


def open_store(
    db: Path | str | None = None, cases: Path | str | None = None, *, reload: bool | None = None
) -> tuple[Store, OpenReport]:
    """Open the store at the configured paths and make it current."""
    store = store_for(db, cases)
    return store, store.open(reload=reload)


def store_for(db: Path | str | None = None, cases: Path | str | None = None) -> Store:
    """The store at the configured paths, not opened.

    Only the default data folder is created; the folder of a ``--db`` (or
    ``CCGTUI_DB``) the user named must exist, so a typo creates nothing.
    """
    chosen = bool(db or os.environ.get(paths.DB_ENV))
    return Store(paths.db_path(db), paths.cases_dir(cases), create_folder=not chosen)
