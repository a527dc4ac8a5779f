"""The local database: a rebuildable cache of the case folder plus the user's own data.

Two TinyDB files sit side by side (``--db`` names the first):

* ``ccgtui.json``       tables ``meta``, ``studies``, ``sources``, ``cases``: a cache
  of the case folder, rebuilt whenever the folder's fingerprint changes.
* ``ccgtui.user.json``  tables ``meta``, ``notes``, ``tags``, ``bookmarks``: exists
  nowhere else, so it is never rewritten by a reload and every write is followed
  by a rotating backup in ``ccgtui.backups/``.

Keeping them apart (DESIGN.md had one file) means a reload can never touch a
note, and a note write rewrites a few kilobytes rather than every case.

Next to the content file sits ``ccgtui.toc.sqlite``, its table of contents:
the folder's fingerprint, the content file's size and mtime, each case's id,
label, kind, study and filter facets, and the byte range and crc32 of every
case (and of the studies and sources tables) inside the content file.  It is
read in part: re-opening a current cache reads its meta table, ``ccgtui show``
one row and validates one case, ``ccgtui list`` the listed columns.  Every
record is checked when read, never trusted on its word.  It is written after
the content file and deleted before it is replaced, so a crash leaves no index
that describes the wrong file; a missing or stale index only means a slower open.

Every write is atomic (temp file in the same directory, fsync, ``os.replace``,
fsync of the directory) and every read-change-write cycle holds one
cross-process :class:`filelock.FileLock`, so two ccgtui processes never lose
each other's updates.  TinyDB's own JSONStorage rewrites in place and is not
safe across processes; :class:`AtomicJSONStorage` replaces it.

The package, lowest first: ``jsonfile`` (the files' format and atomic
storage), ``index`` (the table of contents), ``base`` (paths, lock, warnings),
``write`` (content, index and search index written), ``content`` (the dataset
read back), ``userfile`` (notes, tags, bookmarks and backups), ``refresh``
(a reload of only the changed case files), ``facade``
(:class:`Store`, :func:`open_store`).  Every public name is importable from here.
"""

from __future__ import annotations

from ccgtui.fileio import atomic_write_bytes as atomic_write_bytes  # its home; kept importable here
from ccgtui.store.base import LOCK_TIMEOUT_S, OpenReport
from ccgtui.store.facade import Store, open_store, store_for
from ccgtui.store.jsonfile import (
    CONTENT_FORMAT,
    CONTENT_TABLES,
    SCHEMA_VERSION,
    USER_FORMAT,
    USER_TABLES,
    AtomicJSONStorage,
    NewerSchema,
    NotOurs,
    StoreError,
    dump_json,
)
from ccgtui.store.userfile import BACKUPS_KEPT, check_user_rows
from ccgtui.store.write import CacheEntry, cache_entry

__all__ = [
    "BACKUPS_KEPT",
    "CONTENT_FORMAT",
    "CONTENT_TABLES",
    "LOCK_TIMEOUT_S",
    "SCHEMA_VERSION",
    "USER_FORMAT",
    "USER_TABLES",
    "AtomicJSONStorage",
    "CacheEntry",
    "NewerSchema",
    "NotOurs",
    "OpenReport",
    "Store",
    "StoreError",
    "atomic_write_bytes",
    "cache_entry",
    "check_user_rows",
    "dump_json",
    "open_store",
    "store_for",
]
