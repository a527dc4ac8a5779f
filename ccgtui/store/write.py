"""Writing the cache: the content file, then its table of contents, then the search index.

Each case arrives as its :data:`CacheEntry`, made where the loader validated
it (:func:`cache_entry`), so writing needs no second pass over the models.
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ccgtui import __version__
from ccgtui.bulk import gc_paused
from ccgtui.facts import CaseSummary
from ccgtui.fileio import atomic_write_bytes
from ccgtui.search_build import IndexText, index_texts
from ccgtui.store.base import StoreBase
from ccgtui.store.index import (
    CacheIndex,
    FolderRecord,
    content_stat,
    index_bytes,
    search_stamp_of,
)
from ccgtui.store.jsonfile import CONTENT_FORMAT, SCHEMA_VERSION, dump_json
from ccgtui.store.search_prev import drop_previous

if TYPE_CHECKING:
    from ccgtui.loader import Loaded
    from ccgtui.model import Case, Source, Study

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


class ContentWriter(StoreBase):
    """Writes the content file, its table of contents and the search index, in that order."""

    def _write_content(
        self, loaded: Loaded[CacheEntry], stamp: str, files: FolderRecord | None = None
    ) -> None:
        """Replace every content table in one atomic write, then the index and search index."""
        with gc_paused():
            tables = [
                dump_json(
                    {
                        str(i): item.model_dump(mode="json", exclude_defaults=True)
                        for i, item in enumerate(items, 1)
                    }
                )
                for items in (loaded.studies, loaded.sources)
            ]
            entries = ((case_id, entry, row) for case_id, entry, row, _ in loaded.cases)
            index = self._write_cache(tables[0], tables[1], entries, stamp, files)
            texts = [searchable for *_, searchable in loaded.cases]
            self._write_search_index(index, loaded.studies, loaded.sources, texts)

    def _write_cache(
        self,
        studies: bytes,
        sources: bytes,
        entries: Iterable[tuple[str, bytes, list[object]]],
        stamp: str,
        files: FolderRecord | None,
    ) -> CacheIndex:
        """Write the content file from its tables' JSON and each case's, then its index.

        A reload of a few files (:mod:`ccgtui.store.refresh`) passes the unchanged
        cases' bytes as the old file holds them, so both kinds of reload write the
        same file.
        """
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
        crcs: dict[str, int] = {}  # checked when a record is read (store/index.py)
        for name, table in (("studies", studies), ("sources", sources)):
            out += b',"' + name.encode() + b'":'
            start = len(out)
            out += table
            spans[name] = (start, len(out))
            crcs[name] = zlib.crc32(table)
        out += b',"cases":{'
        rows: list[list[object]] = []
        for i, (case_id, entry, row) in enumerate(entries, 1):
            out += (b"," if i > 1 else b"") + b'"%d":' % i
            start = len(out)
            out += entry
            spans[case_id] = (start, len(out))
            crcs[case_id] = zlib.crc32(entry)
            rows.append(row)
        out += b"}}"
        self.index_path.unlink(missing_ok=True)  # never let it describe the new file
        # The content file is written (and fsynced) in a thread while this one
        # prepares the index: writing releases the GIL, so at 10k cases the two
        # overlap (0.2 s of the 0.5 s this method takes).
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as writer:
            written = writer.submit(atomic_write_bytes, self.db_path, out)
            rows_json, spans_json, crcs_json = dump_json(rows), dump_json(spans), dump_json(crcs)
            written.result()
        content = content_stat(self.db_path)
        index_file = index_bytes(stamp, content, rows_json, spans_json, files, crcs_json)
        atomic_write_bytes(self.index_path, index_file)
        self._index = CacheIndex(stamp, content, rows, spans, files, crcs)
        return self._index

    # -- the search index (ccgtui.search_build, read by ccgtui.search_index) -----

    def _write_search_index(
        self,
        index: CacheIndex,
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
                self.search_path, cases, other_entries(studies, sources), search_stamp_of(index)
            )
        except (OSError, sqlite3.Error) as exc:
            self.search_path.unlink(missing_ok=True)
            self.warn(f"the search index {self.search_path} was not written ({exc})")
        drop_previous(self.search_path)  # written whole: what was kept for it is done
