"""Writing the cache: the content file, then its table of contents, then the search index.

Each case arrives as its :data:`CacheEntry`, made where the loader validated
it (:func:`cache_entry`), so writing needs no second pass over the models.
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccgtui import __version__
from ccgtui.bulk import gc_paused
from ccgtui.facts import CaseSummary
from ccgtui.fileio import atomic_write_bytes
from ccgtui.store.base import StoreBase
from ccgtui.store.index import (
    TOC_INDEXES,
    TOC_SCHEMA,
    CacheIndex,
    FolderRecord,
    Place,
    TocRow,
    content_stat,
    read_index,
    search_stamp_of,
    toc_meta,
)
from ccgtui.store.jsonfile import CONTENT_FORMAT, SCHEMA_VERSION, dump_json

if TYPE_CHECKING:
    from ccgtui.loader import Loaded
    from ccgtui.model import Case, Source, Study
    from ccgtui.search_build import IndexText

# id, JSON, index row, searchable texts (ccgtui.search_build).
CacheEntry = tuple[str, bytes, list[object], list["IndexText"]]
# What the content file and its index get of a case: id, JSON, index row as stored
# (store/index.py), crc32 of the JSON (None: work it out).
CacheRecord = tuple[str, bytes | memoryview, TocRow, int | None]


def cache_entry(case: Case) -> CacheEntry:
    """What the cache keeps of a case; runs where the loader validated it (see loader.load).

    ``model_dump_json`` writes the same JSON as ``json.dumps(model_dump(mode="json"))``
    without building the dict first (10k cases: about 0.4 s less), and the index
    row and search texts are worked out while the case is at hand rather than from
    a second pass.
    """
    from ccgtui.search_build import index_texts  # the search index's code: only when loading

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
            entries = (
                (case_id, entry, toc_row(row), None) for case_id, entry, row, _ in loaded.cases
            )
            rows = [row for _, _, row, _ in loaded.cases]
            index = self._write_cache(tables[0], tables[1], entries, stamp, files, rows)
            texts = [searchable for *_, searchable in loaded.cases]
            self._write_search_index(index, loaded.studies, loaded.sources, texts)

    def _write_cache(
        self,
        studies: bytes | memoryview,
        sources: bytes | memoryview,
        entries: Iterable[CacheRecord],
        stamp: str,
        files: FolderRecord | None,
        rows: list[list[object]] | None = None,
    ) -> CacheIndex:
        """Write the content file from its tables' JSON and each case's, then its index.

        A reload of a few files (:mod:`ccgtui.store.refresh`) passes the unchanged
        cases' bytes, stored rows and checksums as the old files hold them, so both
        kinds of reload write the same files.  ``rows``: the index rows, when the
        caller has them (kept, so the search index is written without reading them back).
        """
        meta = {
            "format": CONTENT_FORMAT,  # first, so even a truncated file is recognisably ours
            "schema_version": SCHEMA_VERSION,
            "written_by": __version__,
            "fingerprint": stamp,
            "cases_dir": str(self.cases_dir.resolve()),
            "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        # Assembled by hand (still one TinyDB-shaped JSON object) to note where each
        # table and each case starts and ends; an unchanged case's bytes come as a view
        # of the old file's (store/refresh.py), copied once, by the join below.
        chunks: list[bytes | memoryview] = [b'{"meta":' + dump_json({"1": meta})]
        at = len(chunks[0])
        tables: dict[str, tuple[int, int, int]] = {}
        for name, table in (("studies", studies), ("sources", sources)):
            head = b',"' + name.encode() + b'":'
            chunks += (head, table)
            at += len(head)
            tables[name] = (at, at + len(table), zlib.crc32(table))
            at += len(table)
        chunks.append(b',"cases":{')
        at += len(chunks[-1])
        places: list[Place] = []
        toc_rows: list[TocRow] = []
        for i, (case_id, entry, row, crc) in enumerate(entries, 1):
            key = (b"," if i > 1 else b"") + b'"%d":' % i
            chunks += (key, entry)
            start = at + len(key)
            at = start + len(entry)
            # checked when a record is read (store/index.py); an unchanged case keeps the
            # checksum it was written with, so damage to the old file is not laundered
            places.append((case_id, start, at, zlib.crc32(entry) if crc is None else crc))
            toc_rows.append(row)
        chunks.append(b"}}")
        self.index_path.unlink(missing_ok=True)  # never let it describe the new file
        _retire_json_index(self.db_path)
        # The content file is written (and fsynced) in a thread while this one builds
        # the index: writing releases the GIL, so at 10k cases the two overlap.
        from concurrent.futures import ThreadPoolExecutor

        # Joined first (one copy): written in small chunks, the writer thread would take
        # the GIL back thousands of times from the index being built here.
        content = b"".join(chunks)
        del chunks
        with ThreadPoolExecutor(max_workers=1) as writer:
            written = writer.submit(atomic_write_bytes, self.db_path, content)
            try:
                built = toc_build(places, toc_rows, tables, files)
            finally:
                written.result()
        del content
        atomic_write_bytes(self.index_path, toc_bytes(built, stamp, content_stat(self.db_path)))
        index = read_index(self.index_path, self.db_path)
        if index is None:  # pragma: no cover - only if the files changed under the lock
            raise OSError(f"the table of contents {self.index_path} does not read back")
        if rows is not None:
            index.keep_rows(rows)
        self._index = index
        return index

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
        from ccgtui.store.search_prev import drop_previous

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


def _retire_json_index(db_path: Path) -> None:
    """Delete the JSON table of contents an older ccgtui wrote beside this content file."""
    from ccgtui.store.base import old_cache

    old = db_path.with_name(db_path.stem + ".index.json")
    if old.is_file() and old_cache(old, content=False):
        old.unlink(missing_ok=True)


# -- the table of contents (store/index.py reads it) ------------------------------------


def toc_row(row: Sequence[Any]) -> TocRow:
    """An index row (``CaseSummary.as_row``) as the table stores it."""
    case_id, label, kind, study, flag, *rest = row
    return (
        str(case_id),
        str(label),
        str(kind),
        str(study),
        int(bool(flag)),
        dump_json(rest).decode(),
    )


def toc_build(
    places: Sequence[Place],
    rows: Sequence[TocRow],
    tables: dict[str, tuple[int, int, int]],
    files: FolderRecord | None,
) -> sqlite3.Connection:
    """The file as a SQLite database in memory, all but the content file's stamp
    (:func:`toc_bytes` adds it once the content file is written)."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        db.executescript("PRAGMA journal_mode = OFF;" + TOC_SCHEMA)
        meta = toc_meta() | {"cases": len(places)}
        if files is not None:
            meta |= {"folder": files.folder, "rules": files.rules}
            db.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
                ((i, *f) for i, f in enumerate(files.files)),
            )
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.executemany(
            "INSERT INTO tables VALUES (?, ?, ?, ?)", ((n, *t) for n, t in tables.items())
        )
        db.executemany(
            "INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (i, case_id, start, stop, crc, *row[1:])
                for i, ((case_id, start, stop, crc), row) in enumerate(
                    zip(places, rows, strict=True)
                )
            ),
        )
        db.executescript(TOC_INDEXES)  # built once, faster than kept while inserting
    except BaseException:
        db.close()
        raise
    return db


def toc_bytes(db: sqlite3.Connection, stamp: str, content: tuple[int, int]) -> bytes:
    """The file's bytes: what :func:`toc_build` made, with the stamps it describes."""
    try:
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("fingerprint", stamp),
                ("content_size", content[0]),
                ("content_mtime_ns", content[1]),
            ],
        )
        db.commit()
        return db.serialize()
    finally:
        db.close()
