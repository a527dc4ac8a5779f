"""The persistent search index: the file the store writes at load time, opened for a query.

Opening reads the file's header (a rank carries its entry number, an entry number
its case's position: :mod:`ccgtui.search_file`); a query then reads only the
postings of the tokens it matched and the entries of the hits it shows, so
``ccgtui search`` at 10,000 cases no longer reads and tokenises every case first.
The user's notes are not in the file (they change without a reload): they are
indexed in memory and appended after the file's entries, as
:class:`ccgtui.query.SearchIndex` appends them after the cases, so both give the
same hits in the same order.

A file that is missing, damaged, or describes another content file is never
trusted: :func:`open_index` returns ``None`` and the store rebuilds it.  A
fault found while querying (a truncated posting) raises :class:`IndexDamaged`.
"""

from __future__ import annotations

import bisect
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ccgtui.facts import FACTS_VERSION, Facets, share_facets
from ccgtui.fileio import read_only_uri
from ccgtui.query import Hit, Query, Searching
from ccgtui.query.ranking import _Allowed
from ccgtui.search_build import Entry, build_postings, note_entries
from ccgtui.search_file import (
    ENTRY_MASK,
    NOTES_FIRST,
    SEARCH_FORMAT,
    SEARCH_VERSION,
    Layout,
    Stamp,
    facets_of,
)
from ccgtui.store import StoreError

if TYPE_CHECKING:
    from ccgtui.model import Dataset
    from ccgtui.store import Store


class IndexDamaged(Exception):
    """The index file is not what it says it is; rebuild it."""


def _ints(raw: object, below: int, what: str) -> array[int]:
    """A 4-byte int array from a blob, its values checked to be under ``below``."""
    if not isinstance(raw, bytes) or len(raw) % 4:
        raise IndexDamaged(f"{what} is not an array of 4-byte integers")
    out = array("I")
    out.frombytes(raw)
    if out and max(out) >= below:
        raise IndexDamaged(f"{what} points past the end")
    return out


class _Postings(Mapping[str, array]):  # type: ignore[type-arg]
    """Token -> ranks, read from the file when first asked for, then kept."""

    def __init__(self, index: PersistentIndex) -> None:
        self._index = index
        self._kept: dict[str, array[int]] = {}

    def __getitem__(self, token: str) -> array[int]:
        found = self._kept.get(token)
        if found is None:
            found = self._index._read_postings(token)
            if found is None:
                raise KeyError(token)
            self._kept[token] = found
        return found

    def __contains__(self, token: object) -> bool:
        if not isinstance(token, str):
            return False
        try:
            self[token]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._index._all_tokens())

    def __len__(self) -> int:
        return len(self._index._all_tokens())


class _Order:
    """Rank -> entry number: the file's ranks carry their entry number (search_file)."""

    __slots__ = ()

    def __getitem__(self, rank: int) -> int:
        return rank if rank >= NOTES_FIRST else rank & ENTRY_MASK


class PersistentIndex(Searching):
    """A search index read from its file (see the module docstring)."""

    def __init__(self, db: sqlite3.Connection, notes: Iterable[tuple[str, str]] = ()) -> None:
        self._db = db
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        self._layout = Layout.from_meta(meta)
        self.bands = self._layout.bands()
        self.order = _Order()
        self._filter_cache: dict[object, _Allowed] = {}
        # Called when a query finds the file damaged: a rebuilt index answers instead.
        self.rebuild: Callable[[], PersistentIndex | None] | None = None
        self._replacement: PersistentIndex | None = None
        self.postings = _Postings(self)
        self._notes: list[Entry] = []
        self._note_postings: dict[str, array[int]] = {}
        self._note_case_ranks: dict[str, array[int]] = {}
        self._add_notes(list(notes))

    def _add_notes(self, notes: list[tuple[str, str]]) -> None:
        """Notes get entry numbers and ranks after the file's (their own weight band)."""
        if not notes:
            return
        ids = {case_id for target, _ in notes if (case_id := _case_in(target))}
        labels = dict(self._rows("SELECT id, label FROM cases WHERE id IN ({})", sorted(ids)))
        self._notes = note_entries(notes, labels)
        # One band (one weight); rank and entry number are the same (see _Order).
        built = build_postings(self._notes, first_rank=NOTES_FIRST, first_entry=NOTES_FIRST)
        self.bands = self.bands + built.bands
        self._note_postings = built.postings
        self._note_case_ranks = built.case_ranks

    def _rows(self, sql: str, values: Sequence[str]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for i in range(0, len(values), 500):  # SQLite's bound-variable limit
            part = values[i : i + 500]
            out += self._db.execute(sql.format(",".join("?" * len(part))), part).fetchall()
        return out

    def search(
        self,
        query: Query | str,
        limit: int = 50,
        tags: Mapping[str, Iterable[str]] | None = None,
    ) -> list[Hit]:
        """As :meth:`Searching.search`; a fault in the file rebuilds it and asks again."""
        if self._replacement is not None:
            return self._replacement.search(query, limit, tags)
        try:
            return super().search(query, limit, tags)
        except (IndexDamaged, sqlite3.DatabaseError):
            rebuild, self.rebuild = self.rebuild, None
            replacement = rebuild() if rebuild is not None else None
            if replacement is None:
                raise
            self._replacement = replacement
            return replacement.search(query, limit, tags)

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        if self._replacement is not None:
            return self._replacement.suggest(word, limit)
        return super().suggest(word, limit)

    # -- what Searching asks for ---------------------------------------------------------

    def _read_postings(self, token: str) -> array[int] | None:
        """The token's segments, checked and joined in order (ascending ranks)."""
        segments = self._db.execute(
            "SELECT seg, ranks FROM tokens WHERE token = ? ORDER BY seg", (token,)
        ).fetchall()
        extra = self._note_postings.get(token)
        if not segments:
            return extra
        shift, end = self._layout.seg_shift, self._layout.end
        ranks = array("I")
        for seg, raw in segments:
            if not isinstance(raw, bytes) or not raw or len(raw) % 4:
                raise IndexDamaged(f"the postings of {token!r} are not 4-byte integers")
            at = len(ranks)
            ranks.frombytes(raw)
            first, last = ranks[at], ranks[-1]
            # Each in its segment, in a band of the file, at an entry number it has.
            if (
                first >> shift != seg
                or last >> shift != seg
                or last >= self._layout.rank_end
                or last & ENTRY_MASK >= end
                or first > last
            ):
                raise IndexDamaged(f"the postings of {token!r} point outside the file")
        return ranks + extra if extra is not None else ranks

    def _prefixed(self, word: str) -> Iterator[str]:
        found = [
            t
            for (t,) in self._db.execute(
                "SELECT token FROM vocabulary WHERE token >= ? AND token < ? ORDER BY token",
                (word, word + "\U0010ffff"),
            )
            if t.startswith(word)
        ]
        notes = [t for t in self._note_postings if t.startswith(word) and t not in found]
        return iter(sorted(found + notes) if notes else found)

    @cached_property
    def _vocabulary(self) -> list[str]:
        stored = [t for (t,) in self._db.execute("SELECT token FROM vocabulary ORDER BY token")]
        extra = [t for t in self._note_postings if bisect_missing(stored, t)]
        return sorted(stored + extra) if extra else stored

    def _all_tokens(self) -> Sequence[str]:
        return self._vocabulary

    @cached_property
    def _facets(self) -> dict[str, Facets]:
        out: dict[str, Facets] = {}
        for case_id, facets in self._db.execute("SELECT id, facets FROM cases ORDER BY pos"):
            out[case_id] = share_facets(facets_of(facets))
        return out

    @property
    def facets(self) -> Mapping[str, Facets]:
        return self._facets

    def _entry(self, index: int) -> Entry:
        if index >= NOTES_FIRST:
            return self._notes[index - NOTES_FIRST]
        row = self._db.execute(
            "SELECT case_id, study_id, tab, path, label, sources, weight, text FROM entries"
            " WHERE id = ?",
            (index,),
        ).fetchone()
        if row is None:
            raise IndexDamaged(f"entry {index} is missing")
        case_id, study_id, tab, path, label, sources, weight, text = row
        cited = tuple(sources.split("\x1f")) if sources else ()
        return Entry(case_id, study_id, tab, path, text, cited, float(weight), label)

    def _case_of(self, index: int) -> str | None:
        if index >= NOTES_FIRST:
            return self._notes[index - NOTES_FIRST].case_id
        if index >= self._layout.others_base:
            return None
        found = self._case_at.get(index // self._layout.stride)
        if found is None:
            raise IndexDamaged(f"entry {index} is in no case")
        return found

    @cached_property
    def _case_at(self) -> dict[int, str]:
        """Case position -> id: read on first use, as only a query with filters, phrases
        or ``-word`` asks whose case an entry is."""
        return dict(self._db.execute("SELECT pos, id FROM cases").fetchall())

    def _text(self, index: int) -> str:
        if index >= NOTES_FIRST:
            return self._notes[index - NOTES_FIRST].text
        row = self._db.execute("SELECT text FROM entries WHERE id = ?", (index,)).fetchone()
        if row is None:
            raise IndexDamaged(f"entry {index} is missing")
        return str(row[0])

    def _ranks_of_case(self, case_id: str) -> array[int] | tuple[()]:
        row = self._db.execute("SELECT ranks FROM cases WHERE id = ?", (case_id,)).fetchone()
        ranks = _ints(row[0], self._layout.rank_end, "a case's ranks") if row else array("I")
        extra = self._note_case_ranks.get(case_id)
        return ranks + extra if extra is not None else ranks


def bisect_missing(sorted_tokens: list[str], token: str) -> bool:
    at = bisect.bisect_left(sorted_tokens, token)
    return at == len(sorted_tokens) or sorted_tokens[at] != token


def _case_in(target: str) -> str | None:
    from ccgtui.search_build import case_of_target

    return case_of_target(target)


def open_index(
    path: Path,
    stamp: Stamp,
    notes: Iterable[tuple[str, str]] | Callable[[], Iterable[tuple[str, str]]] = (),
) -> PersistentIndex | None:
    """The index at ``path`` if it is whole and describes ``stamp``; else ``None``.

    ``notes`` may be a function, called only when the file describes ``stamp``.
    """
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        expected = {**stamp.as_meta(), "format": SEARCH_FORMAT, "version": str(SEARCH_VERSION)}
        if any(meta.get(k) != v for k, v in expected.items()):
            db.close()
            return None
        return PersistentIndex(db, notes() if callable(notes) else notes)
    except (sqlite3.Error, IndexDamaged, KeyError, ValueError, TypeError):
        db.close()
        return None


def current_index(
    store: Store, read_notes: Callable[[], Iterable[tuple[str, str]]] = tuple
) -> PersistentIndex | None:
    """The store's index if it describes the case folder as it is now, else ``None``.

    Needs no :meth:`Store.open`: the file's stamp records the folder's fingerprint and
    the content file's size and mtime at the load that wrote it, so a match means the
    folder has not changed since and the content file is the one indexed.  The cache's
    table of contents (6 MB at 10,000 cases) is never read, nor any case.  ``None``
    (folder changed, no file, another ccgtui's format): open the store as usual, which
    reloads, recovers or rebuilds as needed.  ``read_notes`` is called only on a match.
    """
    from ccgtui.loader.files import fingerprint

    try:
        if not store.search_path.is_file():
            return None
        stat = store.db_path.stat()
    except OSError:
        return None
    stamp = Stamp(fingerprint(store.cases_dir), stat.st_size, stat.st_mtime_ns, FACTS_VERSION)
    notes: list[tuple[str, str]] = []  # kept for a rebuild

    def read() -> list[tuple[str, str]]:
        notes.extend(read_notes())
        return notes

    found = open_index(store.search_path, stamp, read)
    if found is not None:
        found.rebuild = _rebuilder(store, stamp, notes, opened=False)
    return found


def search_index(store: Store, notes: Iterable[tuple[str, str]] = ()) -> PersistentIndex:
    """The persistent index of the store's current cache (call ``store.open()`` first).

    A missing, damaged or stale file is rebuilt from the cache, never trusted.
    """
    notes = list(notes)
    stamp = store.search_stamp()
    found = open_index(store.search_path, stamp, notes)
    if found is None:
        store.rebuild_search_index()
        found = open_index(store.search_path, stamp, notes)
    if found is None:
        raise StoreError(f"cannot open the search index {store.search_path}")
    found.rebuild = _rebuilder(store, stamp, notes, opened=True)
    return found


def _rebuilder(
    store: Store, stamp: Stamp, notes: list[tuple[str, str]], *, opened: bool
) -> Callable[[], PersistentIndex | None]:
    """What a query that finds the file damaged calls: the file written again, opened."""

    def rebuilt() -> PersistentIndex | None:
        if not opened:
            store.open()  # rebuilding reads the cache through an opened store
        store.search_path.unlink(missing_ok=True)
        store.rebuild_search_index()
        return open_index(store.search_path, stamp, notes)

    return rebuilt


def index_for(
    store: Store | None, dataset: Dataset, notes: Iterable[tuple[str, str]] = ()
) -> Searching:
    """The store's persistent index when it has a current one; else one built in memory.

    For front ends holding a dataset that may not come from a store (or from one
    serving the last good data of a broken folder, which has no index).
    """
    notes = list(notes)
    if store is not None:
        try:
            return search_index(store, notes)
        except (StoreError, OSError, sqlite3.Error):
            pass
    from ccgtui.query import SearchIndex

    return SearchIndex(dataset, notes=notes)
