"""The table of contents beside the cache (``*.toc.sqlite``), read in part and checked as read.

It records the folder's fingerprint, the content file's size and mtime, each
case's index row (:mod:`ccgtui.facts`, versioned by ``FACTS_VERSION``), the
byte range and crc32 of every case and of the studies and sources tables in
the content file, and what the folder held when read.  It is a SQLite file so
that a command reads only what it needs: a re-open the meta table, ``show ID``
one row, ``list`` the listed columns (a JSON file of it was 6 MB at 10,000
cases, 34 MB at 50,000, parsed whole by every command).

It is never trusted on its word.  Opening checks its format and versions and
that it describes the content file as it is now (size and mtime); any mismatch
means it is ignored and the cache rebuilt.  Each record is checked when read:
a byte range inside the file and after the one before it, the case's id at its
start and its crc32 (:class:`~ccgtui.lazy_cases.LazyCases`), a row of the
expected shape.  A record that does not fit is a :class:`StoreError` naming
``ccgtui load``, never a wrong case.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from ccgtui.facts import FACTS_VERSION, ROW_FIELDS, CaseSummary
from ccgtui.fileio import read_only_uri
from ccgtui.store.jsonfile import SCHEMA_VERSION, StoreError

if TYPE_CHECKING:
    from ccgtui.search_build import Stamp as SearchStamp

TOC_FORMAT = "ccgtui toc"  # meta 'format': whose file this is (see base.old_cache)
TOC_LAYOUT = 1  # the tables below; another layout is not read, only rebuilt
TOC_SUFFIX = ".toc.sqlite"

TOC_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE cases (
    ordinal INTEGER PRIMARY KEY,  -- 0, 1, ...: the order of the content file
    id TEXT NOT NULL,  -- unique: CREATE UNIQUE INDEX once the rows are in (TOC_INDEXES)
    start INTEGER NOT NULL, stop INTEGER NOT NULL, crc INTEGER NOT NULL,
    label TEXT NOT NULL, kind TEXT NOT NULL, study TEXT NOT NULL,
    illustrative INTEGER NOT NULL,
    more TEXT NOT NULL  -- JSON of the rest of the index row (facets, counts)
);
CREATE TABLE tables (name TEXT PRIMARY KEY, start INTEGER, stop INTEGER, crc INTEGER);
CREATE TABLE files (
    ordinal INTEGER PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL, case_id TEXT
);
"""
TOC_INDEXES = "CREATE UNIQUE INDEX case_ids ON cases (id);"

# A case's index row as the table holds it: id, label, kind, study, illustrative (0/1),
# and the rest of the row (facets, counts) as JSON.  Copied as is by a partial reload.
TocRow = tuple[str, str, str, str, int, str]
# Where a case is: id, start, stop (byte range in the content file), crc32 of those bytes.
Place = tuple[str, int, int, int]
# One file of the folder as last read: relative path ("a.yaml", "studies/s.yaml"),
# size, mtime_ns, and the id of the case it holds (None: sources or a study).
FileRecord = tuple[str, int, int, str | None]


def index_row(row: Sequence[Any]) -> list[Any]:
    """The index row back from a stored one (``ValueError`` if it is not one)."""
    case_id, label, kind, study, flag, more = row
    rest = json.loads(more)
    full = [case_id, label, kind, study, flag, *rest] if isinstance(rest, list) else []
    if not (
        len(full) == ROW_FIELDS
        and all(isinstance(v, str) for v in full[:4])
        and flag in (0, 1)
        and isinstance(full[5], list)
        and isinstance(full[6], list)
    ):
        raise ValueError("an index row is malformed")
    full[4] = bool(flag)
    return full


@dataclass(frozen=True)
class FolderRecord:
    """Which folder the cache was read from, under which rules, and each file's stamp.

    With it a reload re-reads only the case files whose stamp changed
    (:mod:`ccgtui.store.refresh`); without it, the whole folder.
    """

    folder: str  # resolved path
    rules: str  # ccgtui.loader.rules_digest() when it was read
    files: list[FileRecord]


class CacheIndex:
    """The table of contents of one content file, read a part at a time.

    Holds the open SQLite file (it pins that file: a reload by another process
    replaces it by rename, and this one goes on reading the one it opened).
    """

    def __init__(self, db: sqlite3.Connection, path: Path, meta: dict[str, Any]) -> None:
        self._db = db
        self.path = path
        self.fingerprint = str(meta["fingerprint"])
        self.content = (int(meta["content_size"]), int(meta["content_mtime_ns"]))
        self._meta = meta
        self._count: int | None = None
        self._places: dict[int, Place] = {}  # looked up one at a time (show)
        self._all: list[Place] | None = None  # read at once (any walk of the cases)

    # -- reading, every failure said as a damaged cache -----------------------------------

    def damaged(self, what: str) -> StoreError:
        return StoreError(
            f"the cache's table of contents {self.path} is damaged ({what}); "
            "run `ccgtui load` to rebuild it"
        )

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise self.damaged(str(exc)) from exc

    def __len__(self) -> int:
        if self._count is None:
            (found,) = self._rows("SELECT max(ordinal) FROM cases")[0]
            count = 0 if found is None else int(found) + 1
            if count != self._meta.get("cases"):
                raise self.damaged("its case count")
            self._count = count
        return self._count

    def _checked(self, place: Any, before: int) -> Place:
        """A case's place, if it lies in the content file after ``before`` (bytes)."""
        case_id, start, stop, crc = place
        if not (
            isinstance(case_id, str)
            and type(start) is int
            and type(stop) is int
            and type(crc) is int
            and before <= start < stop <= self.content[0]
        ):
            raise self.damaged(f"the place of case {case_id!r}")
        return case_id, start, stop, crc

    def locate(self, case_id: str) -> int | None:
        """The position of the case with this id in the file's order, or ``None``."""
        if self._all is not None:
            return self._positions.get(case_id)
        if not case_id.isascii():
            try:
                case_id.encode()
            except UnicodeEncodeError:  # an argument that was not UTF-8: no id is that
                return None
        found = self._rows(
            "SELECT ordinal, id, start, stop, crc FROM cases WHERE id = ?", (case_id,)
        )
        if not found:
            return None
        ordinal, *place = found[0]
        if type(ordinal) is not int or not 0 <= ordinal < len(self) or place[0] != case_id:
            raise self.damaged(f"the position of case {case_id!r}")
        self._places[ordinal] = self._checked(place, 1)
        return ordinal

    def place(self, i: int) -> Place:
        """Where case ``i`` is; the first one not looked up by id reads them all."""
        found = self._places.get(i)
        if found is not None:
            return found
        return self.places[i]

    @property
    def places(self) -> list[Place]:
        """Every case's place, in order, each after the one before (one query)."""
        if self._all is None:
            rows = self._rows("SELECT ordinal, id, start, stop, crc FROM cases ORDER BY ordinal")
            if len(rows) != len(self):
                raise self.damaged("its case count")
            places: list[Place] = []
            end = 1
            for i, (ordinal, *place) in enumerate(rows):
                if ordinal != i:
                    raise self.damaged("its case order")
                checked = self._checked(place, end)
                end = checked[2]
                places.append(checked)
            self._all = places
        return self._all

    @cached_property
    def _positions(self) -> dict[str, int]:
        found = {place[0]: i for i, place in enumerate(self.places)}
        if len(found) != len(self.places):
            raise self.damaged("a case id twice")
        return found

    def table(self, name: str) -> tuple[int, int, int]:
        """Byte range and crc32 of the studies or sources table."""
        found = self._rows("SELECT start, stop, crc FROM tables WHERE name = ?", (name,))
        if not found:
            raise self.damaged(f"no {name}")
        start, stop, crc = found[0]
        self._checked((name, start, stop, crc), 1)
        return start, stop, crc

    # -- the views the rest of ccgtui reads ----------------------------------------------

    @property
    def ids(self) -> list[str]:
        return [place[0] for place in self.places]

    @property
    def id_column(self) -> Sequence[str]:
        """The ids as a sequence read lazily; ``in`` and ``index`` look one id up."""
        return IdColumn(self)

    @property
    def span_column(self) -> Sequence[tuple[int, int]]:
        return SpanColumn(self)

    @property
    def crc_column(self) -> Sequence[int]:
        return Column(self, 3)

    @cached_property
    def spans(self) -> dict[str, tuple[int, int]]:
        """Case id, "studies", "sources" -> byte range (reads every place)."""
        spans = {case_id: (start, stop) for case_id, start, stop, _ in self.places}
        for name in ("studies", "sources"):
            spans[name] = self.table(name)[:2]
        return spans

    @cached_property
    def crcs(self) -> dict[str, int]:
        crcs = {place[0]: place[3] for place in self.places}
        for name in ("studies", "sources"):
            crcs[name] = self.table(name)[2]
        return crcs

    def stored_rows(self) -> dict[str, TocRow]:
        """Each case's row as stored, by id (a partial reload copies them unread)."""
        found = self._rows(
            "SELECT id, label, kind, study, illustrative, more FROM cases ORDER BY ordinal"
        )
        return {row[0]: row for row in found}

    @cached_property
    def rows(self) -> list[list[Any]]:
        """Every case's index row, in order; a malformed one means a damaged file."""
        found = self._rows(
            "SELECT id, label, kind, study, illustrative, more FROM cases ORDER BY ordinal"
        )
        try:
            rows = [index_row(row) for row in found]
        except (ValueError, TypeError) as exc:
            raise self.damaged("a malformed row") from exc
        if [row[0] for row in rows] != self.ids:
            raise self.damaged("its rows and places disagree")
        return rows

    def keep_rows(self, rows: list[list[Any]]) -> None:
        """The rows just written, so that they need not be read back."""
        self.__dict__["rows"] = rows

    @cached_property
    def summaries(self) -> list[CaseSummary]:
        return [CaseSummary.from_row(row) for row in self.rows]

    def listing(self) -> list[tuple[str, str, str, str, bool]]:
        """Id, kind, label, study and flag of every case, in order (what ``list`` prints).

        The rows' shape is checked by SQLite (10k checked in Python took 50 ms).
        """
        ((count, good),) = self._rows(
            "SELECT count(*), total(typeof(id) = 'text' AND typeof(kind) = 'text' AND "
            "typeof(label) = 'text' AND typeof(study) = 'text' AND illustrative IN (0, 1)) "
            "FROM cases"
        )
        if count != len(self) or good != count:  # ordinals unique, 0 to count - 1
            raise self.damaged("a malformed row")
        found = self._rows(
            "SELECT id, kind, label, study, illustrative FROM cases ORDER BY ordinal"
        )
        return [(a, b, c, d, e == 1) for a, b, c, d, e in found]

    @cached_property
    def files(self) -> FolderRecord | None:
        """What the folder held when read, or ``None`` if not recorded (only a slower reload)."""
        folder, rules = self._meta.get("folder"), self._meta.get("rules")
        if not (isinstance(folder, str) and isinstance(rules, str)):
            return None
        try:
            found = self._db.execute(
                "SELECT path, size, mtime_ns, case_id FROM files ORDER BY ordinal"
            ).fetchall()
        except sqlite3.Error:
            return None
        for path, size, mtime_ns, case_id in found:
            if not (
                isinstance(path, str)
                and type(size) is int
                and type(mtime_ns) is int
                and (case_id is None or isinstance(case_id, str))
            ):
                return None
        return FolderRecord(folder, rules, found)


class Column(Sequence[Any]):
    """One field of every case's place, read when first wanted.

    Handed to :class:`~ccgtui.lazy_cases.LazyCases`: ``show`` looks up one case
    (one row read); walking the cases reads every place once.
    """

    def __init__(self, index: CacheIndex, field: int) -> None:
        self._index = index
        self._field = field
        self._values: list[Any] | None = None  # every case's, once a walk wanted them

    def __len__(self) -> int:
        return len(self._index)

    @overload
    def __getitem__(self, i: int) -> Any: ...
    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...
    def __getitem__(self, i: int | slice) -> Any:
        values = self._values
        if values is None:
            if type(i) is int and self._index._all is None:  # a case looked up by id?
                n = len(self)
                found = self._index._places.get(i + n if i < 0 else i)
                if found is not None:
                    return self._pick(found)
            values = self._values = [self._pick(place) for place in self._index.places]
        return values[i]

    def _pick(self, place: Place) -> Any:
        return place[self._field]

    def __iter__(self) -> Iterator[Any]:
        return iter(self[:])


class IdColumn(Column):
    """Every case's id, read when first wanted; one id is looked up, not searched for."""

    def __init__(self, index: CacheIndex) -> None:
        super().__init__(index, 0)

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and self._index.locate(value) is not None

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        found = self._index.locate(value) if isinstance(value, str) else None
        if found is None or not start <= found < (len(self) if stop is None else stop):
            raise ValueError(f"{value!r} is not a case id here")
        return found


class SpanColumn(Column):
    """Every case's byte range, read when first wanted."""

    def __init__(self, index: CacheIndex) -> None:
        super().__init__(index, 1)

    def _pick(self, place: Place) -> tuple[int, int]:
        return place[1], place[2]


def read_index(index_path: Path, db_path: Path) -> CacheIndex | None:
    """The table of contents if it describes the content file as it is now."""
    try:
        # Never written in place (replaced by rename), so read without locks or journal.
        where = read_only_uri(index_path.resolve(), immutable=True)
        db = sqlite3.connect(where, uri=True, check_same_thread=False)
    except (OSError, sqlite3.Error):
        return None
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        current = content_stat(db_path)
        if (
            any(meta.get(key) != value for key, value in toc_meta().items())
            or not isinstance(meta.get("fingerprint"), str)
            or (meta.get("content_size"), meta.get("content_mtime_ns")) != current
            or type(meta.get("cases")) is not int
        ):
            db.close()
            return None  # a cache: any inconsistency means rebuild, never trust
        index = CacheIndex(db, index_path, meta)
        for name in ("studies", "sources"):
            index.table(name)
        len(index)
    except (OSError, ValueError, TypeError, StoreError, sqlite3.Error):
        db.close()
        return None
    return index


def toc_meta() -> dict[str, Any]:
    """What a table of contents this code reads records about itself."""
    return {
        "format": TOC_FORMAT,
        "layout": TOC_LAYOUT,
        "schema_version": SCHEMA_VERSION,
        "facts_version": FACTS_VERSION,  # the rows are facts' answers (ccgtui.facts)
    }


def content_stat(db_path: Path) -> tuple[int, int]:
    stat = db_path.stat()
    return stat.st_size, stat.st_mtime_ns


def search_stamp_of(index: CacheIndex) -> SearchStamp:
    """What the search index written with this table of contents must describe."""
    from ccgtui.search_build import Stamp  # the search index's code: only when wanted

    return Stamp(index.fingerprint, *index.content, FACTS_VERSION)
