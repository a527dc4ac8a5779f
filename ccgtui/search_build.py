"""What the search index holds, derived once, and the index file written from it.

Shared by the in-memory index (:class:`ccgtui.query.SearchIndex`) and the
persistent one the store writes beside the content cache at load time
(:mod:`ccgtui.search_index` reads it), so both number, weigh and tokenise the
entries the same way and give the same answers.

A case's entries are worked out where the loader validated it (a pool worker,
see ``store.cache_entry``); this module depends on the model and facts alone,
so the store can build the file without importing the query code.

The file is SQLite (standard library): built into a temp file in the same
folder, fsynced, then renamed over the old one, so a reader sees a whole old
index or a whole new one.  Tables: ``meta`` (format, version, what it
describes), ``entries`` (one searchable text each, by entry number),
``tokens`` (each token's ranks as a 4-byte int array, the postings),
``cases`` (ordinal, id, label, facets, the case's ranks) and ``blobs``
(``order``: rank -> entry; ``entry_case``: entry -> case ordinal + 1).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ccgtui import case_tabs
from ccgtui.facts import Facets, Later

if TYPE_CHECKING:
    from ccgtui.model import Case, Source, Study
    from ccgtui.model import case as _cm
    from ccgtui.model import statements as _st
else:  # the pydantic models come with the first case indexed, not with the store
    _cm = Later("ccgtui.model.case")
    _st = Later("ccgtui.model.statements")

SEARCH_FORMAT = "ccgtui search index"
SEARCH_VERSION = 1  # bump when the tables or the entries change shape
WORD = re.compile(r"\w+", re.UNICODE)


# One case entry as a worker sends it back: (tab, path, text, sources, weight).
RawEntry = tuple[str, str, str, tuple[str, ...], float]


@dataclass(frozen=True, slots=True)  # slots: 300k entries at 10k cases; saves ~15 MB
class Entry:
    """One searchable text and where it lives."""

    case_id: str | None
    study_id: str | None
    tab: str
    path: str
    text: str
    sources: tuple[str, ...]
    weight: float
    label: str


def case_raw_entries(case: Case) -> list[RawEntry]:
    """The case's searchable texts: label, themes, statements, stage titles, partners."""
    out: list[RawEntry] = [
        ("overview", "label", case.label, (), 10.0),
        ("overview", "themes", " ".join(case.themes), (), 3.0),
    ]
    tabs = case_tabs.field_tabs()  # which case tab shows a field (the first part of a path)
    for path, item in _st.iter_statements(case):
        if isinstance(item, _st.Unknown) or item.unknown:
            continue
        tab = tabs.get(path.split("[")[0].split(".")[0], "overview")
        sources = tuple(item.sources)
        out.append((tab, path, item.text, sources, 1.0))
        if isinstance(item, _cm.Stage):
            out.append((tab, f"{path}.title", item.title, sources, 5.0))
        if isinstance(item, _cm.Partner):
            extra = " ".join(x for x in (item.organisation, item.role, item.sector.value) if x)
            out.append((tab, f"{path}.organisation", extra, sources, 3.0))
    return out


# What the store keeps of one case for the index file, made in the pool worker:
# (tab, path, text, sources joined by \x1f, weight, the text's distinct lowercase tokens).
# Tokens are interned, so a chunk of results pickles each token once.
IndexText = tuple[str, str, str, str, float, tuple[str, ...]]


def index_texts(case: Case) -> list[IndexText]:
    """:func:`case_raw_entries` with each text's tokens (worked out where the case is)."""
    intern, findall, lower = sys.intern, WORD.findall, str.lower
    return [
        (
            tab,
            intern(path),
            text,
            "\x1f".join(sources),
            weight,
            tuple(map(intern, set(map(lower, findall(text))))),
        )
        for tab, path, text, sources, weight in case_raw_entries(case)
    ]


def case_entries(case_id: str, study: str, label: str, raw: Iterable[RawEntry]) -> list[Entry]:
    # Paths repeat across cases ("story[2]"): one shared string each.
    return [
        Entry(case_id, study, tab, sys.intern(path), text, sources, weight, label)
        for tab, path, text, sources, weight in raw
    ]


def other_entries(studies: Iterable[Study], sources: Iterable[Source]) -> list[Entry]:
    """The studies' titles and statements, then the sources' titles and authors."""
    out: list[Entry] = []
    for study in studies:
        out.append(Entry(None, study.id, "study", "title", study.title, (), 8.0, study.title))
        for path, item in _st.iter_statements(study):
            if not (isinstance(item, _st.Unknown) or item.unknown):
                label = study.short_title or study.title
                cited = tuple(item.sources)
                out.append(Entry(None, study.id, "study", path, item.text, cited, 1.0, label))
    for source in sources:
        text = f"{source.title} {' '.join(source.authors)}"
        path = f"source:{source.id}"
        out.append(Entry(None, None, "sources", path, text, (source.id,), 2.0, source.id))
    return out


def note_entries(notes: Iterable[tuple[str, str]], labels: Mapping[str, str]) -> list[Entry]:
    """The user's notes, labelled with their case's label (``labels``: case id -> label)."""
    out = []
    for target, text in notes:
        case_id = case_of_target(target)
        label = labels.get(case_id or "", target)
        out.append(Entry(case_id, None, "notes", target, text, (), 1.5, label))
    return out


def case_of_target(target: str) -> str | None:
    """``case:X``, ``stage:X/s``, ``arena:X/board``, ``partner:X/1`` -> ``X``."""
    kind, _, rest = target.partition(":")
    if kind in ("case", "stage", "arena", "partner"):
        return rest.split("/")[0] or None
    return None


def tokens_of(text: str) -> set[str]:
    return set(map(str.lower, WORD.findall(text)))


@dataclass
class Postings:
    """Entries numbered by weight band (ranks) and each token's ascending ranks.

    Ranks number the entries heaviest weight first (labels, titles, ...,
    statements), in entry order within one weight, so each weight is one range
    of ranks (``bands``) and a posting sliced to it lists that weight's matches
    in entry order.  Arrays of 4-byte ints, not sets: at 10k cases 4 million
    postings take 16 MB instead of 180 MB.
    """

    order: array[int] = field(default_factory=lambda: array("I"))  # rank -> entry
    bands: list[tuple[float, int, int]] = field(default_factory=list)  # weight, first, end
    postings: dict[str, array[int]] = field(default_factory=dict)
    case_ranks: dict[str, array[int]] = field(default_factory=dict)


def build_postings(entries: Sequence[Entry], first_rank: int = 0, first_entry: int = 0) -> Postings:
    """Number ``entries`` (entry numbers from ``first_entry``) from rank ``first_rank``."""
    by_weight: dict[float, list[int]] = {}
    for i, entry in enumerate(entries, first_entry):
        by_weight.setdefault(entry.weight, []).append(i)
    out = Postings()
    for weight in sorted(by_weight, reverse=True):
        first = first_rank + len(out.order)
        out.order.extend(by_weight[weight])
        out.bands.append((weight, first, first_rank + len(out.order)))
    building: defaultdict[str, list[int]] = defaultdict(list)
    by_case: defaultdict[str, list[int]] = defaultdict(list)
    findall, lower = WORD.findall, str.lower
    for rank, index in enumerate(out.order, first_rank):
        entry = entries[index - first_entry]
        if entry.case_id is not None:
            by_case[entry.case_id].append(rank)
        for token in set(map(lower, findall(entry.text))):
            building[token].append(rank)
    out.postings = {t: array("I", ranks) for t, ranks in building.items()}
    building.clear()
    out.case_ranks = {c: array("I", ranks) for c, ranks in by_case.items()}
    return out


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


# One case for the index file: id, study, label, facets, its texts (see index_texts).
IndexCase = tuple[str, str, str, Facets, list[IndexText]]


def write_index(
    path: Path, cases: Sequence[IndexCase], others: Sequence[Entry], stamp: Stamp
) -> None:
    """Build the index file at ``path`` atomically: cases in order, then ``others``.

    Entries are numbered and ranked exactly as :func:`build_postings` numbers
    them for the in-memory index (cases' texts, then studies and sources).
    """
    rows: list[tuple[str | None, str | None, str, str, str, str, float, str]] = []
    tokens: list[tuple[str, ...]] = []
    for case_id, study, label, _, texts in cases:
        for tab, where, text, sources, weight, words in texts:
            rows.append((case_id, study, tab, where, label, sources, weight, text))
            tokens.append(words)
    for e in others:
        rows.append(
            (
                e.case_id,
                e.study_id,
                e.tab,
                e.path,
                e.label,
                "\x1f".join(e.sources),
                e.weight,
                e.text,
            )
        )
        tokens.append(tuple(tokens_of(e.text)))
    built = _postings_of_rows(rows, tokens)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        _write_tables(tmp, rows, [(c[0], c[2], c[3]) for c in cases], built, stamp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_folder(path.parent)


def _postings_of_rows(
    rows: Sequence[tuple[str | None, str | None, str, str, str, str, float, str]],
    tokens: Sequence[tuple[str, ...]],
) -> Postings:
    """:func:`build_postings` for rows whose tokens are already known."""
    by_weight: dict[float, list[int]] = {}
    for i, row in enumerate(rows):
        by_weight.setdefault(row[6], []).append(i)
    out = Postings()
    for weight in sorted(by_weight, reverse=True):
        first = len(out.order)
        out.order.extend(by_weight[weight])
        out.bands.append((weight, first, len(out.order)))
    building: defaultdict[str, list[int]] = defaultdict(list)
    by_case: defaultdict[str, list[int]] = defaultdict(list)
    for rank, index in enumerate(out.order):
        case_id = rows[index][0]
        if case_id is not None:
            by_case[case_id].append(rank)
        for token in tokens[index]:
            building[token].append(rank)
    out.postings = {t: array("I", ranks) for t, ranks in building.items()}
    building.clear()
    out.case_ranks = {c: array("I", ranks) for c, ranks in by_case.items()}
    return out


def _write_tables(
    tmp: Path,
    rows: Sequence[tuple[str | None, str | None, str, str, str, str, float, str]],
    cases: Sequence[tuple[str, str, Facets]],
    built: Postings,
    stamp: Stamp,
) -> None:
    ordinal = {case_id: n for n, (case_id, _, _) in enumerate(cases, 1)}
    entry_case = array("I", (ordinal.get(row[0] or "", 0) for row in rows))
    db = sqlite3.connect(tmp, isolation_level=None)
    try:
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;"
            "BEGIN;"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE entries (id INTEGER PRIMARY KEY, case_id TEXT, study_id TEXT,"
            " tab TEXT NOT NULL, path TEXT NOT NULL, label TEXT NOT NULL,"
            " sources TEXT NOT NULL, weight REAL NOT NULL, text TEXT NOT NULL);"
            "CREATE TABLE tokens (token TEXT PRIMARY KEY, ranks BLOB NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE cases (ordinal INTEGER PRIMARY KEY, id TEXT NOT NULL,"
            " label TEXT NOT NULL, facets TEXT NOT NULL, ranks BLOB NOT NULL);"
            "CREATE TABLE blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL);"
        )
        meta = {**stamp.as_meta(), "entries": str(len(rows)), "bands": json.dumps(built.bands)}
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.executemany(
            "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((i, *row) for i, row in enumerate(rows)),
        )
        db.executemany(
            "INSERT INTO tokens VALUES (?, ?)",
            ((t, built.postings[t].tobytes()) for t in sorted(built.postings)),
        )
        empty = array("I")
        db.executemany(
            "INSERT INTO cases VALUES (?, ?, ?, ?, ?)",
            (
                (
                    n,
                    case_id,
                    label,
                    json.dumps(sorted(facets)),
                    built.case_ranks.get(case_id, empty).tobytes(),
                )
                for n, (case_id, label, facets) in enumerate(cases, 1)
            ),
        )
        db.executemany(
            "INSERT INTO blobs VALUES (?, ?)",
            (("order", built.order.tobytes()), ("entry_case", entry_case.tobytes())),
        )
        db.execute("COMMIT")
    finally:
        db.close()


def _fsync_folder(folder: Path) -> None:
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
