"""What every part of the store shares: where its files are, the lock, warnings.

:class:`StoreBase` is the state; the content (:mod:`ccgtui.store.content`) and
the user file (:mod:`ccgtui.store.userfile`) are built on it, and
:class:`~ccgtui.store.facade.Store` joins them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccgtui.dblock import DbLock, LockTimeout, holder
from ccgtui.loader import LoadError
from ccgtui.model import Dataset
from ccgtui.store.index import CacheIndex, read_index
from ccgtui.store.jsonfile import StoreError

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

    def __init__(self, db_path: Path, cases_dir: Path, *, create_folder: bool = True) -> None:
        self.db_path = Path(db_path)
        self.create_folder = create_folder  # False for a user-named --db: a typo must not
        self.cases_dir = Path(cases_dir)
        self.user_path = self.db_path.with_name(self.db_path.stem + ".user.json")
        self.backup_dir = self.db_path.with_name(self.db_path.stem + ".backups")
        self.index_path = self.db_path.with_name(self.db_path.stem + ".index.json")
        self.search_path = self.db_path.with_name(self.db_path.stem + ".search.sqlite")
        self.lock = DbLock(self.db_path.with_name(self.db_path.name + ".lock"), LOCK_TIMEOUT_S)
        self._dataset: Dataset | None = None
        self._content: dict[str, Any] | None = None  # parsed content file, from open()
        self._index: CacheIndex | None = None  # the table of contents, when current
        self.warnings: list[str] = []  # things that went wrong but lost nothing
        self.last_open: OpenReport | None = None  # kept when open() raises, for its messages
        self.on_warning: Callable[[str], None] | None = None
        # (case files checked, in all) while a reload parses the folder: a progress bar
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
        if not self.create_folder and not self.db_path.parent.is_dir():
            raise StoreError(
                f"the database folder {self.db_path.parent} does not exist; "
                "create it first or choose another --db"
            )
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the database folder {self.db_path.parent}: {exc.strerror or exc}"
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

    # -- opening -------------------------------------------------------------
