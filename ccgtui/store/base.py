"""What every part of the store shares: where its files are, the lock, warnings.

:class:`StoreBase` is the state; the content (:mod:`ccgtui.store.content`) and
the user file (:mod:`ccgtui.store.userfile`) are built on it, and
:class:`~ccgtui.store.facade.Store` joins them.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccgtui.dblock import DbLock, LockTimeout, holder
from ccgtui.fileio import read_only_uri
from ccgtui.store.index import TOC_FORMAT, TOC_SUFFIX, CacheIndex, read_index
from ccgtui.store.jsonfile import CONTENT_FORMAT, StoreError

if TYPE_CHECKING:
    from ccgtui.loader.problems import LoadError  # imports yaml: only when a load fails
    from ccgtui.model import Dataset

LOCK_TIMEOUT_S = 30.0
TEMP_SWEEP_AGE_S = 300.0  # a temp file this old has no live writer


@dataclass
class OpenReport:
    """What happened while opening: reloads, recoveries and stale data."""

    reloaded: bool = False
    messages: list[str] = field(default_factory=list)
    problems: LoadError | None = None  # case folder invalid; the last good data is in use


class StoreBase:
    """The store's files, its lock and its warnings; the parts of :class:`Store` build on it."""

    def __init__(
        self,
        db_path: Path,
        cases_dir: Path,
        *,
        create_folder: bool = True,
        cache_dir: Path | None = None,
    ) -> None:
        # ``db_path`` names the user file, its backups and the lock; the caches
        # (content, index, search) go in ``cache_dir`` when given, else beside it.
        home = Path(db_path)
        self.create_folder = create_folder  # False for a user-named --db: a typo must not
        self.cases_dir = Path(cases_dir)
        self.db_path = Path(cache_dir) / home.name if cache_dir is not None else home
        self.user_path = home.with_name(home.stem + ".user.json")
        self.backup_dir = home.with_name(home.stem + ".backups")
        self.index_path = self.db_path.with_name(self.db_path.stem + TOC_SUFFIX)
        self.search_path = self.db_path.with_name(self.db_path.stem + ".search.sqlite")
        # One lock, beside the notes, covers the cache writes too; it is where an
        # older ccgtui (caches beside the notes) locks, so the two exclude each other.
        self.lock = DbLock(home.with_name(home.name + ".lock"), LOCK_TIMEOUT_S)
        self._home = home
        self._dataset: Dataset | None = None
        self._content: dict[str, Any] | None = None  # parsed content file, from open()
        self._index: CacheIndex | None = None  # the table of contents, when current
        self.warnings: list[str] = []  # things that went wrong but lost nothing
        self.last_open: OpenReport | None = None  # kept when open() raises, for its messages
        self.on_warning: Callable[[str], None] | None = None
        # (case files checked, to check) while a reload parses them: a bar, the explorer's count
        self.on_progress: Callable[[int, int], None] | None = None

    def _read_index(self) -> CacheIndex | None:
        """The table of contents if it describes the content file as it is now."""
        return read_index(self.index_path, self.db_path)

    def warn(self, message: str) -> None:
        """Say something went wrong that lost nothing (stderr; the TUI may replace this)."""
        self.warnings.append(message)
        if self.on_warning is not None:
            self.on_warning(message)
        else:
            print(f"ccgtui: warning: {message}", file=sys.stderr)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the cross-process lock for a whole read-change-write cycle."""
        for path in (self.db_path, self.user_path, self.index_path):
            # Never rename or replace a device, folder or socket (e.g. --db /dev/null).
            if path.exists() and not path.is_file():
                raise StoreError(f"{path} exists and is not a regular file; choose another --db")
        folders = dict.fromkeys((self.user_path.parent, self.db_path.parent))
        if not self.create_folder and not all(folder.is_dir() for folder in folders):
            raise StoreError(
                f"the database folder {self.user_path.parent} does not exist; "
                "create it first or choose another --db"
            )
        for folder in folders:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the database folder {folder}: {exc.strerror or exc}"
                ) from exc
        try:
            self.lock.acquire()
        except LockTimeout as exc:
            who = holder(self.lock.path) or "another ccgtui process"
            raise StoreError(
                f"database {self.db_path} is in use by {who} (waited {LOCK_TIMEOUT_S:.0f} s); "
                "try again when it has finished (the lock is let go when that process ends)"
            ) from exc
        except OSError as exc:  # a lock path that is a folder, a read-only database folder
            raise StoreError(
                f"cannot lock the database: {self.lock.path}: {exc.strerror or exc}"
            ) from exc
        try:
            yield
        finally:
            self.lock.release()

    def _retire_old_caches(self) -> None:
        """Delete the caches an older ccgtui kept beside the notes, now in the cache folder.

        Only files that carry ccgtui's marks go (see :func:`old_cache`): anything
        else under those names is left alone.  Call with the lock held.
        """
        if self.db_path.parent.resolve() == self._home.parent.resolve():
            return  # caches beside the notes: these are the current ones
        home = self._home
        for old in (
            home,
            home.with_name(home.stem + ".index.json"),  # before the table of contents was SQLite
            home.with_name(home.stem + TOC_SUFFIX),
            home.with_name(home.stem + ".search.sqlite"),
        ):
            if old.is_file() and old_cache(old, content=old == home):
                with contextlib.suppress(OSError):
                    old.unlink()
            # and the temp files a killed older ccgtui left writing them, as open() sweeps
            cutoff = time.time() - TEMP_SWEEP_AGE_S
            for stale in home.parent.glob(f".{old.name}.*.tmp"):
                with contextlib.suppress(OSError):
                    if stale.stat().st_mtime < cutoff:
                        stale.unlink()

    # -- opening -------------------------------------------------------------


_CONTENT_HEAD = b'{"meta":{"1":{"format":' + json.dumps(CONTENT_FORMAT).encode()
_INDEX_HEAD = re.compile(rb'\{"schema_version":\d+,"fingerprint":"')


def old_cache(path: Path, *, content: bool) -> bool:
    """Whether ``path`` is a cache ccgtui wrote (content marker, index shape, SQLite format)."""
    try:
        if path.suffix == ".sqlite":
            from ccgtui.search_build import SEARCH_FORMAT

            with contextlib.closing(sqlite3.connect(read_only_uri(path), uri=True)) as db:
                row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            return row is not None and row[0] in (SEARCH_FORMAT, TOC_FORMAT)
        with path.open("rb") as fh:
            head = fh.read(64)
    except (OSError, sqlite3.Error):
        return False
    return head.startswith(_CONTENT_HEAD) if content else _INDEX_HEAD.match(head) is not None
