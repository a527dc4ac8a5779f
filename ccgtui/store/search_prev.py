"""The search index kept from before an incremental reload, so its rebuild reads only what changed.

A reload of a big folder (:mod:`ccgtui.store.refresh`) leaves the search index to
be brought up to date when first searched.  Rather than validate every cached case
again for that, the reload keeps the old file (``*.search.sqlite.prev``) and the ids
of the cases it no longer describes (``*.search.sqlite.stale.json``: changed, added
or removed since); the rebuild works out only the stale cases' texts and patches the
old file with them in one transaction (:func:`ccgtui.search_patch.patch_file`), which
then becomes the search index.  Both files are dropped whenever the search index is
written.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from ccgtui.fileio import atomic_write_bytes, read_only_uri
from ccgtui.search_file import (
    SEARCH_FORMAT,
    SEARCH_VERSION,
    IndexCase,
    IndexText,
    Stamp,
    fsync_folder,
)
from ccgtui.search_patch import KeptTexts


def _prev(search_path: Path) -> Path:
    return search_path.with_name(search_path.name + ".prev")


def _stale(search_path: Path) -> Path:
    return search_path.with_name(search_path.name + ".stale.json")


def drop_previous(search_path: Path) -> None:
    """Forget the kept file (the search index was written whole), and its journal.

    A process killed inside a patch leaves the kept file's rollback journal; left
    behind, SQLite would play it back into the *next* file kept under that name
    (another index), silently corrupting it.  So the journal goes with its file.
    """
    _stale(search_path).unlink(missing_ok=True)
    prev = _prev(search_path)
    for leftover in ("-journal", "-wal", "-shm"):
        prev.with_name(prev.name + leftover).unlink(missing_ok=True)
    prev.unlink(missing_ok=True)


def describes(path: Path, stamp: Stamp) -> bool:
    """Whether the index file at ``path`` says it describes ``stamp`` (format and version too)."""
    try:
        with contextlib.closing(sqlite3.connect(read_only_uri(path), uri=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return False
    return all(meta.get(key) == value for key, value in stamp.as_meta().items())


def patch_now(
    search_path: Path,
    before: Stamp,
    after: Stamp,
    ids: Sequence[str],
    fresh: Sequence[IndexCase],
) -> bool:
    """After a reload: patch the search index with the cases it read (changed or added),
    at once, instead of leaving it to the first search.

    ``before``: what the index described before the reload; ``after``: what it must
    describe now; ``ids``: every case now, in order; ``fresh``: the cases the reload
    read (:func:`index_case`).  The file is moved aside while patched (a reader then
    finds none, opens the store and waits for its lock), then renamed back.  ``False``:
    nothing changed (the index was not current, or the change does not fit it): call
    :func:`keep_previous` as before.
    """
    from ccgtui.search_patch import patch_ids

    if not (search_path.exists() and describes(search_path, before)):
        return False
    drop_previous(search_path)
    prev = _prev(search_path)
    search_path.replace(prev)
    if patch_ids(prev, ids, fresh, before, after):
        prev.replace(search_path)
        fsync_folder(search_path.parent)
        return True
    prev.replace(search_path)  # rolled back: as it was
    return False


def index_case(row: Sequence[object], texts: list[IndexText]) -> IndexCase:
    """A case for the search index from its index row (``CaseSummary.as_row``) and texts."""
    # index row: id, label, kind, study, flag, ["key:value", ...], counts
    pairs = (str(f).partition(":") for f in row[5])  # type: ignore[attr-defined]
    facets = frozenset((key, value) for key, _, value in pairs)
    return str(row[0]), str(row[3]), str(row[1]), facets, texts


def keep_previous(search_path: Path, stamp: Stamp, stale: Iterable[str]) -> None:
    """After a reload that did not write the search index: keep what can be reused.

    ``stamp`` is what the search index described if it was current before the
    reload; ``stale`` the case ids the reload changed, added or removed.
    """
    stale_ids = set(stale)
    if search_path.exists() and describes(search_path, stamp):
        drop_previous(search_path)
        search_path.replace(_prev(search_path))
    else:
        search_path.unlink(missing_ok=True)  # stale itself: never answer from it
        before = _read_stale(search_path)
        if before is None:
            drop_previous(search_path)
            return
        stale_ids |= before  # a second reload before any search: both edits are stale
    atomic_write_bytes(_stale(search_path), json.dumps(sorted(stale_ids)).encode())


def _read_stale(search_path: Path) -> set[str] | None:
    if not _prev(search_path).exists():
        return None
    try:
        ids = json.loads(_stale(search_path).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return None
    return set(ids)


def previous_texts(search_path: Path) -> dict[str, list[IndexText]]:
    """Each case in the kept file but the stale ones, as a :class:`KeptTexts` (empty: none kept).

    The texts stay in the kept file: :func:`ccgtui.search_build.write_index` patches
    that file with the other cases (or reads them from it, if the change does not
    fit).  Only a kept file of this version counts.
    """
    stale = _read_stale(search_path)
    if stale is None:
        return {}
    prev = _prev(search_path)
    try:
        with contextlib.closing(sqlite3.connect(read_only_uri(prev), uri=True)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != SEARCH_FORMAT or meta.get("version") != str(SEARCH_VERSION):
                return {}
            ids = [case_id for (case_id,) in db.execute("SELECT id FROM cases")]
    except sqlite3.Error:
        return {}
    return {case_id: KeptTexts(prev) for case_id in ids if case_id not in stale}
