"""The search index file: its SQLite layout, written whole or patched one case at a time.

Numbers (all 4-byte unsigned ints, as the query side keeps them in arrays):

- **Entry numbers are sparse.**  The case at *position* ``p`` numbers its texts
  ``p * stride + i``; positions go up in the folder's case order, ``gap`` apart when
  written whole, so a case added later between two others gets one between theirs.
  The studies' and sources' entries follow from ``others_base``; the user's notes
  (never in the file, see :mod:`ccgtui.search_index`) come after everything.  So the
  entry order (what the ranking breaks ties by) is the folder's order, and one case's
  entries can be replaced without renumbering any other.
- **Rank** = ``band << BAND_SHIFT | entry``: each field weight is a band of ranks, in
  entry order within it, as the in-memory index numbers them densely.
- **Postings** are kept per (token, segment), ``segment = rank >> seg_shift`` (a segment
  spans ``SEG_CASES`` case positions): a token's ranks in ascending order are its
  segments' ranks in segment order, and replacing a case rewrites one segment of each
  token it had or has.

Tables: ``meta`` (format, version, what it describes, the layout), ``entries`` (one
text each, by entry number), ``tokens`` (token, segment, ranks), ``vocabulary`` (each
token once), ``cases`` (position,
id, study, label, facets, the case's ranks).  Written whole into a temp file (journal
and syncing off, :func:`write_whole`), fsynced and renamed over the old one; patched
(:mod:`ccgtui.search_patch`) only in the file kept over an incremental reload, in one
transaction, then renamed.  Either way a reader sees a whole old index or a whole new one.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.facts import Facets

SEARCH_FORMAT = "ccgtui search index"
SEARCH_VERSION = 3  # bump when the tables or the entries change shape
WORD = re.compile(r"\w+", re.UNICODE)

BAND_SHIFT = 29
ENTRY_MASK = (1 << BAND_SHIFT) - 1
NOTES_BAND = 7  # the file's bands are 0..6; the notes' (in memory) the last
NOTES_FIRST = NOTES_BAND << BAND_SHIFT  # notes' ranks, and their entry numbers, from here
GAP = 4  # positions between cases written whole: room for cases added between them
# Cases per postings segment: fewer, longer rows to read for a common word (50k cases:
# ~100 per band, not ~800), a few kB more rewritten per touched word by a patch.
SEG_CASES = 512
MIN_STRIDE = 64

# What the store keeps of one case's text, made in the pool worker:
# (tab, path, text, sources joined by \x1f, weight, the text's distinct lowercase tokens).
IndexText = tuple[str, str, str, str, float, tuple[str, ...]]
# One case for the index file: id, study, label, facets, its texts.
IndexCase = tuple[str, str, str, "Facets", list[IndexText]]
# One entry as the file holds it: case id, study id, tab, path, label, sources, weight, text.
Row = tuple[str | None, str | None, str, str, str, str, float, str]


def tokens_of(text: str) -> set[str]:
    return set(map(str.lower, WORD.findall(text)))


@dataclass(frozen=True)
class Stamp:
    """What an index file describes: the content file's fingerprint and size and mtime."""

    fingerprint: str
    content_size: int
    content_mtime_ns: int
    facts_version: int

    def as_meta(self) -> dict[str, str]:
        return {
            "format": SEARCH_FORMAT,
            "version": str(SEARCH_VERSION),
            "fingerprint": self.fingerprint,
            "content": f"{self.content_size}:{self.content_mtime_ns}",
            "facts_version": str(self.facts_version),
        }


def _pow2(n: int) -> int:
    return 1 << max(0, n - 1).bit_length()


@dataclass(frozen=True)
class Layout:
    """How a file numbers its entries and ranks (see the module docstring)."""

    weights: tuple[float, ...]  # band b's field weight
    stride: int  # entry numbers per case position
    positions: int  # case positions 0 .. positions - 1
    gap: int
    others: int  # studies' and sources' entries, numbered from others_base

    @property
    def others_base(self) -> int:
        return self.positions * self.stride

    @property
    def end(self) -> int:
        """Every entry number of the file is below this."""
        return self.others_base + self.others

    @property
    def seg_shift(self) -> int:
        return min(BAND_SHIFT, (self.gap * SEG_CASES * self.stride - 1).bit_length())

    @property
    def rank_end(self) -> int:
        return len(self.weights) << BAND_SHIFT

    def bands(self) -> list[tuple[float, int, int]]:
        """(weight, first rank, end rank) of each band."""
        return [
            (w, b << BAND_SHIFT, (b << BAND_SHIFT) + self.end) for b, w in enumerate(self.weights)
        ]

    def band_of(self) -> dict[float, int]:
        return {w: b << BAND_SHIFT for b, w in enumerate(self.weights)}

    def as_meta(self) -> dict[str, str]:
        return {
            "weights": json.dumps(self.weights),
            "stride": str(self.stride),
            "positions": str(self.positions),
            "gap": str(self.gap),
            "others": str(self.others),
        }

    @classmethod
    def from_meta(cls, meta: dict[str, str]) -> Layout:
        """The layout a file's meta records; ``ValueError`` if it cannot be one."""
        weights = json.loads(meta["weights"])
        if not isinstance(weights, list) or not all(isinstance(w, float) for w in weights):
            raise ValueError("weights")
        layout = cls(
            tuple(weights),
            int(meta["stride"]),
            int(meta["positions"]),
            int(meta["gap"]),
            int(meta["others"]),
        )
        if not (
            0 < len(weights) <= NOTES_BAND
            and len(set(weights)) == len(weights)
            and layout.stride >= 1
            and layout.gap >= 1
            and layout.positions >= 0
            and layout.others >= 0
            and layout.end <= ENTRY_MASK + 1
        ):
            raise ValueError("layout out of range")
        return layout


def plan(cases: int, most_entries: int, weights: set[float], others: int) -> Layout:
    """The layout for a whole write: room to grow where it fits in 29 bits."""
    weights = weights or {1.0}  # nothing to index: one empty band
    if len(weights) > NOTES_BAND:
        raise sqlite3.DataError(f"{len(weights)} field weights; the file holds up to 7")
    ordered = tuple(sorted({float(w) for w in weights}, reverse=True))
    for gap, stride, positions in (
        (GAP, _pow2(max(MIN_STRIDE, 2 * most_entries)), _pow2(2 * GAP * (cases + 2))),
        (1, _pow2(max(1, most_entries)), cases + 1),
    ):
        layout = Layout(ordered, stride, positions, gap, others)
        if layout.end <= ENTRY_MASK + 1:
            return layout
    raise sqlite3.DataError("too many search entries for one index file")


_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE entries (id INTEGER PRIMARY KEY, case_id TEXT, study_id TEXT,"
    " tab TEXT NOT NULL, path TEXT NOT NULL, label TEXT NOT NULL,"
    " sources TEXT NOT NULL, weight REAL NOT NULL, text TEXT NOT NULL);"
    # A rowid table, its index made once the rows are in: the rows go in segment by
    # segment, so a WITHOUT ROWID table (token order) took 4x the room for its blobs.
    "CREATE TABLE tokens (token TEXT NOT NULL, seg INTEGER NOT NULL, ranks BLOB NOT NULL);"
    # Every token once, for prefixes and typos (the tokens table has one row per segment).
    "CREATE TABLE vocabulary (token TEXT PRIMARY KEY) WITHOUT ROWID;"
    "CREATE TABLE cases (pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " study TEXT NOT NULL, label TEXT NOT NULL, facets TEXT NOT NULL, ranks BLOB NOT NULL);"
)


def facets_text(facets: Facets) -> str:
    """``key:value`` pairs, sorted, NUL-separated (a YAML text cannot hold a NUL; keys
    are fixed words without a colon): 10x quicker than JSON for 10,000 cases."""
    return "\x00".join(sorted([f"{key}:{value}" for key, value in facets]))


def facets_of(text: str) -> list[tuple[str, str]]:
    """The pairs :func:`facets_text` wrote."""
    return [(key, value) for key, _, value in (p.partition(":") for p in text.split("\x00") if p)]


class TextPostings:
    """(token, segment) -> ranks being gathered for one stretch of entries."""

    def __init__(self, layout: Layout) -> None:
        self.band = layout.band_of()
        self.shift = layout.seg_shift
        self.building: defaultdict[tuple[str, int], list[int]] = defaultdict(list)

    def add(self, entry: int, weight: float, words: Sequence[str] | set[str]) -> int:
        rank = self.band[weight] | entry
        seg = rank >> self.shift
        building = self.building
        for token in words:
            building[(token, seg)].append(rank)
        return rank

    def rows(self) -> Iterator[tuple[str, int, bytes]]:
        for (token, seg), ranks in sorted(self.building.items()):
            yield token, seg, array("I", ranks).tobytes()
        self.building.clear()


class _Chunk:
    """The postings of one stretch of entries (a segment of entry numbers): per band,
    token -> ranks (appended in entry order, which within a band is rank order)."""

    def __init__(self, layout: Layout) -> None:
        self.band = layout.band_of()
        self.shift = layout.seg_shift
        self.parts: dict[int, tuple[int, defaultdict[str, list[int]]]] = {}

    def add(self, entry: int, weight: float, words: Sequence[str] | set[str]) -> int:
        rank = self.band[weight] | entry
        part = self.parts.get(rank >> BAND_SHIFT)
        if part is None:
            part = self.parts[rank >> BAND_SHIFT] = (rank >> self.shift, defaultdict(list))
        building = part[1]
        for token in words:
            building[token].append(rank)
        return rank

    def rows(self) -> Iterator[tuple[str, int, bytes]]:
        for seg, building in self.parts.values():
            for token in sorted(building):
                yield token, seg, array("I", building[token]).tobytes()
        self.parts.clear()


def write_whole(tmp: Path, cases: Sequence[IndexCase], others: Sequence[Row], stamp: Stamp) -> None:
    """The index of ``cases`` (in order) and ``others`` written into a new file ``tmp``.

    One stretch of entries at a time (:data:`SEG_CASES` cases): their rows, postings
    and case rows go in together, so memory holds one stretch, not the whole index.
    """
    weights = {text[4] for *_, texts in cases for text in texts} | {row[6] for row in others}
    most = max((len(texts) for *_, texts in cases), default=0)
    layout = plan(len(cases), most, weights, len(others))
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        # Written once, then fsynced and renamed: no journal, no syncing while writing.
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;"
            "PRAGMA cache_size=-16384; BEGIN;" + _SCHEMA
        )
        chunk = _Chunk(layout)
        shift, stride, gap = layout.seg_shift, layout.stride, layout.gap
        rows: list[tuple[object, ...]] = []
        case_rows: list[tuple[object, ...]] = []
        segment = -1

        def flush() -> None:
            db.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            db.executemany("INSERT INTO tokens VALUES (?, ?, ?)", chunk.rows())
            db.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?)", case_rows)
            rows.clear()
            case_rows.clear()

        add = chunk.add
        for n, (case_id, study, label, facets, texts) in enumerate(cases):
            pos = (n + 1) * gap  # from gap: room for a case added before the first
            base = pos * stride
            if base >> shift != segment and rows:
                flush()
            segment = base >> shift
            rows += [
                (i, case_id, study, tab, where, label, sources, weight, text)
                for i, (tab, where, text, sources, weight, _) in enumerate(texts, base)
            ]
            ranks = sorted([add(i, text[4], text[5]) for i, text in enumerate(texts, base)])
            blob = array("I", ranks).tobytes()
            case_rows.append((pos, case_id, study, label, facets_text(facets), blob))
        for i, row in enumerate(others, layout.others_base):
            if i >> shift != segment and rows:
                flush()
            segment = i >> shift
            rows.append((i, *row))
            add(i, row[6], tokens_of(row[7]))
        flush()
        db.execute("CREATE UNIQUE INDEX tokens_at ON tokens (token, seg)")
        db.execute("INSERT INTO vocabulary SELECT DISTINCT token FROM tokens ORDER BY token")
        meta = {**stamp.as_meta(), **layout.as_meta(), "entries": str(_count(cases, others))}
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.execute("COMMIT")
    finally:
        db.close()


def _count(cases: Sequence[IndexCase], others: Sequence[Row]) -> int:
    return sum(len(texts) for *_, texts in cases) + len(others)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
