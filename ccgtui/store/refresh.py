"""An incremental reload: only the case files that changed since the cache was read.

The table of contents records each file's size and mtime and the case it
held (:class:`~ccgtui.store.index.FolderRecord`).  When only case files were
edited, added or removed, :meth:`Refresh._refresh` checks just those files
against the cached source and study ids, checks that case ids are still
unique across the folder, and writes the cache again from the unchanged
cases' bytes and the new entries: the same files a full load would write.

Anything else (sources or studies changed, new validating code, an older
index without the record, any problem in a changed file) answers ``False``
and the full load runs, so every error is reported exactly as it always was
and a broken folder leaves the database unchanged.
"""

from __future__ import annotations

import json
import os
import zlib
from typing import Any

from ccgtui.lazy_cases import case_head
from ccgtui.loader.files import SOURCES_FILE, STUDY_FILE, FileStamp, rules_digest, undecodable
from ccgtui.store.content import Content
from ccgtui.store.index import CacheIndex, FileRecord, FolderRecord, search_stamp_of
from ccgtui.store.jsonfile import StoreError
from ccgtui.store.write import CacheEntry, CacheRecord, cache_entry, toc_row

# Above this share of the case files changed, the full load (one pass, a pool) is as quick.
MOST_CHANGED = 0.5
# Up to this many cases the search index is written with the reload (well under a second).
SEARCH_NOW_MAX = 1000


def folder_record(folder: str, stamps: list[FileStamp], case_ids: dict[str, str]) -> FolderRecord:
    """The record of what was read: every YAML file's stamp, and the case of each case file.

    ``stamps`` are taken *before* the files are read, so a file changed while
    they were read has a newer stamp than recorded and is read again next time.
    """
    files: list[FileRecord] = [
        ("/".join(parts), size, mtime_ns, case_ids.get("/".join(parts)))
        for parts, size, mtime_ns in stamps
    ]
    return FolderRecord(folder, rules_digest(), files)


def is_case_file(rel: str) -> bool:
    """A top-level YAML file other than sources and study: one case (docs/data-format.md)."""
    return "/" not in rel and rel not in (SOURCES_FILE, STUDY_FILE)


def patch_now(*args: Any) -> bool:
    """:func:`ccgtui.store.search_prev.patch_now`, imported only when a reload needs it."""
    from ccgtui.store.search_prev import patch_now as patch

    return patch(*args)


class Refresh(Content):
    """The reload of only what changed (see the module docstring)."""

    def _refresh(self, index: CacheIndex, stamps: list[FileStamp], stamp: str) -> bool:
        """Reload the changed case files into the cache; ``False``: the full load must run."""
        record = index.files
        folder = str(self.cases_dir.resolve())
        if record is None or record.folder != folder or record.rules != rules_digest():
            return False
        now = {"/".join(parts): (size, mtime_ns) for parts, size, mtime_ns in stamps}
        before = {rel: (size, mtime_ns) for rel, size, mtime_ns, _ in record.files}
        case_of = {rel: case_id for rel, _, _, case_id in record.files if case_id is not None}
        others_now = {rel: st for rel, st in now.items() if not is_case_file(rel)}
        others_before = {rel: st for rel, st in before.items() if rel not in case_of}
        if others_now != others_before:
            return False  # sources or studies changed: every case may be affected
        names = [rel for rel in now if is_case_file(rel)]  # in the loader's order
        if not all(map(str.isascii, names)) and any(undecodable((rel,)) for rel in names):
            return False  # the full load says which file to rename
        changed = [rel for rel in names if rel not in case_of or before[rel] != now[rel]]
        if len(changed) > MOST_CHANGED * len(names):
            return False
        cached = self._cached_ids(index)
        if cached is None:
            return False  # the cached studies or sources are damaged: the full load
        source_ids, study_ids = cached
        from ccgtui.loader.folder import check_case_files  # YAML and models: only when used

        results = check_case_files(
            self.cases_dir, changed, source_ids, study_ids, cache_entry, self.on_progress
        )
        fresh = {}
        for rel, (_, entry, problems) in zip(changed, results, strict=True):
            if problems or entry is None:
                return False  # the full load reports it, with every other problem
            fresh[rel] = entry
        ids = [fresh[rel][0] if rel in fresh else case_of[rel] for rel in names]
        if len(set(ids)) != len(ids):
            return False  # a duplicate id: the full load names both files
        entries = self._kept_and_fresh(index, names, ids, fresh)
        if entries is None:
            return False  # the table of contents does not fit the file: the full load
        studies, sources, records = entries
        written = self._write_cache(
            studies,
            sources,
            records,
            stamp,
            folder_record(folder, stamps, dict(zip(names, ids, strict=True))),
        )
        # The search index: patched now with just the cases read (~0.1 s at 10k, so the
        # next search does no index work); if the change does not fit it, written whole
        # at once for a small folder, else when first searched (ccgtui.search_index
        # rebuilds it, re-reading only the stale cases: store/search_prev.py).
        from ccgtui.store.search_prev import index_case, keep_previous

        described = search_stamp_of(index)
        fresh_cases = [index_case(row, texts) for _, _, row, texts in fresh.values()]
        if patch_now(self.search_path, described, search_stamp_of(written), ids, fresh_cases):
            return True
        if len(names) <= SEARCH_NOW_MAX:
            self.rebuild_search_index()
        else:
            stale = {entry[0] for entry in fresh.values()} | (set(index.ids) - set(ids))
            keep_previous(self.search_path, described, stale)
        return True

    def _kept_and_fresh(
        self,
        index: CacheIndex,
        names: list[str],
        ids: list[str],
        fresh: dict[str, CacheEntry],
    ) -> tuple[bytes, bytes, list[CacheRecord]] | None:
        """The studies, the sources and every case as the new cache gets them: the
        unchanged ones as byte ranges of the old file (copied by the kernel, never read
        here: store/write.py) with their stored rows and checksums, each checked to begin
        with its id; the changed ones as just read.  ``None`` if the old index does not
        fit its file."""
        try:
            stored = index.stored_rows()
            where = {place[0]: place for place in index.places}
            tables = [index.table(name) for name in ("studies", "sources")]
        except StoreError:
            return None
        records: list[CacheRecord] = []
        with self.db_path.open("rb") as fh:
            old = fh.fileno()
            for rel, case_id in zip(names, ids, strict=True):
                if rel in fresh:
                    new_id, entry, row, _ = fresh[rel]
                    records.append((new_id, entry, toc_row(row), None))
                    continue
                if case_id not in where or case_id not in stored:
                    return None
                _, start, end, crc = where[case_id]
                head = case_head(case_id)
                if os.pread(old, len(head), start) != head:
                    return None
                records.append((case_id, (start, end), stored[case_id], crc))
            studies, sources = (_table_bytes(old, *place) for place in tables)
        if studies is None or sources is None:
            return None  # damaged in place: never copied on as if sound (a fresh crc)
        return studies, sources, records

    def _cached_ids(self, index: CacheIndex) -> tuple[frozenset[str], frozenset[str]] | None:
        """The source and study ids in the cache: what an unchanged folder's cases may cite.

        ``None`` if either table is not as the table of contents recorded it (damaged
        in place): the full load then reads the folder again.
        """
        found: list[frozenset[str]] = []
        try:
            with self.db_path.open("rb") as fh:
                for name in ("sources", "studies"):
                    raw = _table_bytes(fh.fileno(), *index.table(name))
                    if raw is None:
                        return None
                    table = json.loads(raw)
                    found.append(frozenset(str(row["id"]) for row in table.values()))
        except (StoreError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return found[0], found[1]


def _table_bytes(fd: int, start: int, end: int, crc: int) -> bytes | None:
    """The studies or sources table's JSON, or ``None`` if it is not what was written."""
    raw = os.pread(fd, end - start, start)
    if zlib.crc32(raw) != crc or raw[:1] != b"{" or raw[-1:] != b"}":
        return None
    return raw
