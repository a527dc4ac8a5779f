"""Bringing the kept search index up to date: patched one case at a time, or written whole.

After an incremental reload of a big folder the store keeps the old index file
(:mod:`ccgtui.store.search_prev`) and hands :func:`write_file` every case the reload
did not touch as :class:`KeptTexts` (texts not read).  The kept file is then patched
(:func:`patch_file`): only the changed, added and removed cases' entries, case rows
and touched postings segments are rewritten, in one SQLite transaction (rolled back
whole on any fault), and the file is fsynced and renamed to be the index.  When the
change does not fit the file (see :func:`patch_file`), the kept cases' texts are read
from it and the index is written whole (:func:`ccgtui.search_file.write_whole`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from array import array
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from ccgtui.fileio import read_only_uri
from ccgtui.search_file import (
    SEARCH_FORMAT,
    SEARCH_VERSION,
    IndexCase,
    IndexText,
    Layout,
    Row,
    Stamp,
    TextPostings,
    facets_text,
    fsync_file,
    fsync_folder,
    tokens_of,
    write_whole,
)


class KeptTexts(list):  # type: ignore[type-arg]
    """A case's texts as the kept index file ``source`` holds them, not read.

    :func:`ccgtui.store.search_prev.previous_texts` hands these out for the cases an
    incremental reload did not touch; :func:`write_file` then patches ``source``
    instead of writing every case again.  Anything else reading one is a mistake,
    so it refuses rather than look empty.
    """

    def __init__(self, source: Path) -> None:
        super().__init__()
        self.source = source

    def __iter__(self) -> Iterator[IndexText]:
        raise TypeError("kept texts are read from the kept file, by write_file")

    def __len__(self) -> int:
        raise TypeError("kept texts are read from the kept file, by write_file")


def write_file(path: Path, cases: Sequence[IndexCase], others: Sequence[Row], stamp: Stamp) -> None:
    """The index of ``cases`` (in order) and ``others`` at ``path``, atomically.

    Cases whose texts are :class:`KeptTexts` are in the kept file they name: that
    file is patched and renamed to ``path`` if the change fits in it (else their
    texts are read from it and the file is written whole).
    """
    kept = {texts.source for *_, texts in cases if isinstance(texts, KeptTexts)}
    if kept:
        (source,) = kept if len(kept) == 1 else (None,)
        if source is not None and patch_file(source, cases, others, stamp):
            os.replace(source, path)  # the commit synced it
            fsync_folder(path.parent)
            return
        cases = read_kept(cases)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        write_whole(tmp, cases, others, stamp)
        fsync_file(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_folder(path.parent)


# -- patching the kept file ----------------------------------------------------------------


def patch_file(
    path: Path,
    cases: Sequence[IndexCase],
    others: Sequence[Row] | None,
    stamp: Stamp,
    before: Stamp | None = None,
) -> bool:
    """Make the file at ``path`` the index of ``cases`` and ``others``, in one transaction.

    Only the cases whose texts are not :class:`KeptTexts` (changed or added) and the
    ones no longer there are rewritten.  ``False`` (nothing changed) when the change
    does not fit the file: another format, other studies or sources, a kept case
    unknown to it or described otherwise, cases in another order, no room between
    positions or for a grown case, a new field weight.

    ``before`` (with ``others`` None): the file must describe that stamp, and its
    studies, sources and kept cases are taken as it holds them (a reload found their
    files unchanged since it was written; :func:`patch_ids`).
    """
    try:
        db = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        # A rollback journal, synced at commit: a crash half way leaves the file as it was.
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("BEGIN IMMEDIATE")
        done = _patch(db, cases, others, stamp, before)
        db.execute("COMMIT" if done else "ROLLBACK")
        return done
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        return False
    finally:
        db.close()


def _patch(
    db: sqlite3.Connection,
    cases: Sequence[IndexCase],
    others: Sequence[Row] | None,
    stamp: Stamp,
    described: Stamp | None,
) -> bool:
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("format") != SEARCH_FORMAT or meta.get("version") != str(SEARCH_VERSION):
        return False
    if described is not None and any(meta.get(k) != v for k, v in described.as_meta().items()):
        return False
    layout = Layout.from_meta(meta)
    if others is not None:
        stored = db.execute(
            "SELECT case_id, study_id, tab, path, label, sources, weight, text FROM entries"
            " WHERE id >= ? ORDER BY id",
            (layout.others_base,),
        ).fetchall()
        if stored != [tuple(row) for row in others]:
            return False
    elif described is None:
        return False
    before: dict[str, tuple[int, tuple[str, str, str] | None]]
    if described is None:  # kept cases are checked against what the file says of them
        before = {
            case_id: (pos, (study, label, facets))
            for pos, case_id, study, label, facets in db.execute(
                "SELECT pos, id, study, label, facets FROM cases"
            )
        }
    else:
        before = {case_id: (pos, None) for pos, case_id in db.execute("SELECT pos, id FROM cases")}
    placed = _place(cases, before, layout)
    if placed is None:
        return False
    band = layout.band_of()
    fresh: list[tuple[int, IndexCase]] = []
    for pos, case in zip(placed, cases, strict=True):
        case_id, study, label, facets, texts = case
        if isinstance(texts, KeptTexts):
            if case_id not in before:
                return False
            if described is None and before[case_id][1] != (study, label, facets_text(facets)):
                return False  # not what the file holds: write it whole
        elif len(texts) > layout.stride or any(t[4] not in band for t in texts):
            return False
        else:
            fresh.append((pos, case))
    now = {case[0] for case in cases}
    gone = [pos for case_id, (pos, _) in before.items() if case_id not in now]
    replaced = [before[case[0]][0] for _, case in fresh if case[0] in before]
    removing: defaultdict[tuple[str, int], set[int]] = defaultdict(set)
    shift, stride = layout.seg_shift, layout.stride
    for pos in gone + replaced:
        for entry, weight, text in db.execute(
            "SELECT id, weight, text FROM entries WHERE id >= ? AND id < ?",
            (pos * stride, pos * stride + stride),
        ):
            rank = band[weight] | entry
            for token in tokens_of(text):
                removing[(token, rank >> shift)].add(rank)
        db.execute(
            "DELETE FROM entries WHERE id >= ? AND id < ?", (pos * stride, pos * stride + stride)
        )
        db.execute("DELETE FROM cases WHERE pos = ?", (pos,))
    adding = TextPostings(layout)
    for pos, (case_id, study, label, facets, texts) in fresh:
        base = pos * stride
        ranks = array("I")
        for i, (tab, where, text, sources, weight, words) in enumerate(texts, base):
            db.execute(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (i, case_id, study, tab, where, label, sources, weight, text),
            )
            ranks.append(adding.add(i, weight, words))
        db.execute(
            "INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?)",
            (pos, case_id, study, label, facets_text(facets), array("I", sorted(ranks)).tobytes()),
        )
    _merge_postings(db, removing, adding.building)
    (entries,) = db.execute("SELECT count(*) FROM entries").fetchone()
    meta_now = {**stamp.as_meta(), "entries": str(entries)}
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta_now.items())
    return True


def patch_ids(
    path: Path, ids: Sequence[str], fresh: Sequence[IndexCase], before: Stamp, after: Stamp
) -> bool:
    """:func:`patch_file` for a reload that knows only what changed: the file at ``path``
    must describe ``before``; ``ids`` are every case now, in order, ``fresh`` the changed
    and added ones; every other case, the studies and the sources stay as the file holds
    them.  Renaming it is the caller's."""
    changed = {case[0]: case for case in fresh}
    kept: tuple[str, str, frozenset[tuple[str, str]], KeptTexts] = (
        "",
        "",
        frozenset(),
        KeptTexts(path),
    )
    cases = [changed.get(case_id) or (case_id, *kept) for case_id in ids]
    return patch_file(path, cases, None, after, before)  # synced by SQLite's commit


def _merge_postings(
    db: sqlite3.Connection,
    removing: dict[tuple[str, int], set[int]],
    adding: dict[tuple[str, int], list[int]],
) -> None:
    """Each touched (token, segment): its ranks without the removed, with the added; a
    token's first segment adds it to the vocabulary, its last one gone takes it out."""
    for key in sorted(removing.keys() | adding.keys()):
        row = db.execute("SELECT ranks FROM tokens WHERE token = ? AND seg = ?", key).fetchone()
        merged = array("I")
        if row is not None:
            merged.frombytes(row[0])
        # A few ranks out and in of an ascending array (thousands long for a common word):
        # found by bisection, moved by the array itself.
        for rank in removing.get(key, ()):
            at = bisect_left(merged, rank)
            if at < len(merged) and merged[at] == rank:
                del merged[at]
        for rank in adding.get(key, ()):
            insort(merged, rank)
        if merged:
            db.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?, ?)", (*key, merged.tobytes()))
            if row is None:
                db.execute("INSERT OR IGNORE INTO vocabulary VALUES (?)", key[:1])
        elif row is not None:
            db.execute("DELETE FROM tokens WHERE token = ? AND seg = ?", key)
            if db.execute("SELECT 1 FROM tokens WHERE token = ?", key[:1]).fetchone() is None:
                db.execute("DELETE FROM vocabulary WHERE token = ?", key[:1])


def _place(
    cases: Sequence[IndexCase], before: Mapping[str, tuple[int, object]], layout: Layout
) -> list[int] | None:
    """Each case's position: its own if the file has it, else one between its neighbours'.

    ``None`` if the file's cases are in another order or there is no room.
    """
    out: list[int] = []
    waiting: list[int] = []  # indexes of new cases since the last known one
    last = -1
    for n, case in enumerate([*cases, None]):
        if case is not None and case[0] not in before:
            waiting.append(n)
            continue
        upper = layout.positions if case is None else before[case[0]][0]
        if upper <= last:
            return None
        if waiting:
            step = (upper - last) // (len(waiting) + 1)
            if case is None:
                step = min(step, layout.gap)
            if step < 1:
                return None
            out += [last + step * k for k in range(1, len(waiting) + 1)]
            last = out[-1]
            waiting.clear()
        if case is not None:
            out.append(upper)
            last = upper
    return out


def read_kept(cases: Sequence[IndexCase]) -> list[IndexCase]:
    """``cases`` with every :class:`KeptTexts` read from its file (in entry order)."""
    wanted: defaultdict[Path, set[str]] = defaultdict(set)
    for case_id, _, _, _, texts in cases:
        if isinstance(texts, KeptTexts):
            wanted[texts.source].add(case_id)
    found: dict[str, list[IndexText]] = {}
    for source, ids in wanted.items():
        found.update(read_texts(source, ids))
    out: list[IndexCase] = []
    for case_id, study, label, facets, texts in cases:
        if isinstance(texts, KeptTexts):
            if case_id not in found:
                raise sqlite3.DatabaseError(f"the kept search index has no case {case_id!r}")
            texts = found[case_id]
        out.append((case_id, study, label, facets, texts))
    return out


def read_texts(path: Path, ids: set[str]) -> dict[str, list[IndexText]]:
    """The texts of the cases ``ids`` as the index file at ``path`` holds them."""
    found: dict[str, list[IndexText]] = {}
    intern = sys.intern
    db = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        rows = db.execute(
            "SELECT case_id, tab, path, text, sources, weight FROM entries"
            " WHERE case_id IS NOT NULL ORDER BY id"
        )
        for case_id, tab, where, text, sources, weight in rows:
            if case_id in ids:
                words = tuple(map(intern, tokens_of(text)))
                found.setdefault(case_id, []).append(
                    (tab, intern(where), text, sources, float(weight), words)
                )
    finally:
        db.close()
    return found
