"""Writing the cache: the content file, then its table of contents, then the search index.

Each case arrives as its :data:`CacheEntry`, made where the loader validated
it (:func:`cache_entry`), so writing needs no second pass over the models.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import tempfile
import time
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ccgtui import __version__
from ccgtui.bulk import gc_paused
from ccgtui.facts import CaseSummary
from ccgtui.fileio import TEMP_SUFFIX, NotARegularFile, atomic_write_bytes, fsync_dir, temp_prefix
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
# JSON: the bytes, or (start, end) in the content file as it is now (with its crc32).
CacheRecord = tuple[str, bytes | tuple[int, int], TocRow, int | None]


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
        studies: bytes,
        sources: bytes,
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
        A case given as a byte range is copied from the content file as it is now (the
        one the index describes, under the lock) by the kernel, runs of them at once:
        the unchanged cases never pass through this process.
        """
        with contextlib.ExitStack() as stack:
            return self._write_files(studies, sources, entries, stamp, files, rows, stack)

    def _write_files(
        self,
        studies: bytes,
        sources: bytes,
        entries: Iterable[CacheRecord],
        stamp: str,
        files: FolderRecord | None,
        rows: list[list[object]] | None,
        stack: contextlib.ExitStack,
    ) -> CacheIndex:
        old: int | None = None  # the current content file, opened for the first range
        meta = {
            "format": CONTENT_FORMAT,  # first, so even a truncated file is recognisably ours
            "schema_version": SCHEMA_VERSION,
            "written_by": __version__,
            "fingerprint": stamp,
            "cases_dir": str(self.cases_dir.resolve()),
            "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        # Assembled by hand (still one TinyDB-shaped JSON object) to note where each
        # table and each case starts and ends.
        chunks: list[bytes | tuple[int, int]] = [b'{"meta":' + dump_json({"1": meta})]
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
            start = at + len(key)
            if isinstance(entry, tuple):  # a range of the old file, with its checksum
                if crc is None:
                    raise ValueError("a cached case's range comes with its crc32")
                if old is None:
                    old = stack.enter_context(self.db_path.open("rb")).fileno()
                _add_range(chunks, key, entry, old)
                at = start + entry[1] - entry[0]
            else:
                chunks += (key, entry)
                at = start + len(entry)
                crc = zlib.crc32(entry) if crc is None else crc
            # checked when a record is read (store/index.py); an unchanged case keeps the
            # checksum it was written with, so damage to the old file is not laundered
            places.append((case_id, start, at, crc))
            toc_rows.append(row)
        chunks.append(b"}}")
        self.index_path.unlink(missing_ok=True)  # never let it describe the new file
        _retire_json_index(self.db_path)
        # The content file is written (and fsynced) in a thread while this one builds
        # the index: writing releases the GIL, so at 10k cases the two overlap.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as writer:
            if old is None:
                # Joined first: written in small chunks, the writer thread would take the
                # GIL back thousands of times from the index being built here.
                content = b"".join(cast("list[bytes]", chunks))
                written = writer.submit(atomic_write_bytes, self.db_path, content)
                del content
            else:  # a few runs of the old file and the new cases: a few system calls
                written = writer.submit(_write_pieces, self.db_path, chunks, old)
            del chunks
            try:
                built = toc_build(places, toc_rows, tables, files)
            finally:
                written.result()
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


# -- a content file made partly of the old one (store/refresh.py) ---------------------


def _add_range(
    chunks: list[bytes | tuple[int, int]], key: bytes, span: tuple[int, int], old: int
) -> None:
    """Add ``key`` and the old file's ``span``; one run with the range before it when the
    old file holds exactly ``key`` between the two (checked: it is read, 8 bytes or so)."""
    last = chunks[-1]
    if (
        isinstance(last, tuple)
        and span[0] == last[1] + len(key)
        and os.pread(old, len(key), last[1]) == key
    ):
        chunks[-1] = (last[0], span[1])
        return
    chunks += (key, span)


def _write_pieces(path: Path, pieces: list[bytes | tuple[int, int]], old: int) -> None:
    """:func:`ccgtui.fileio.atomic_write_bytes` of bytes and ranges of the file ``old``.

    The ranges are copied by the kernel (``os.copy_file_range``, else read and written a
    megabyte at a time), so the unchanged cases never pass through this process.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        before: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        before = None
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise NotARegularFile(errno.EINVAL, f"{path} is not a regular file; not replacing it")
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        os.fchmod(fd, 0o600 if before is None else stat.S_IMODE(before.st_mode))
        pending = bytearray()
        for piece in pieces:
            if isinstance(piece, tuple):
                _write_all(fd, pending)
                pending.clear()
                _copy_range(old, fd, *piece)
            else:
                pending += piece
        _write_all(fd, pending)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        os.replace(tmp, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def _write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _copy_range(src: int, dst: int, start: int, end: int) -> None:
    """Append bytes ``start:end`` of ``src`` to ``dst``."""
    while start < end:
        try:
            copied = os.copy_file_range(src, dst, end - start, start)
        except OSError as exc:  # not on this file system or kernel: through this process
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
            copied = len(chunk := os.pread(src, min(end - start, 1 << 20), start))
            _write_all(dst, chunk)
        if copied == 0:
            raise OSError(errno.EIO, "the old cache file ended before the range copied from it")
        start += copied
