"""The store as callers see it: open (reload when the folder changed), check, and find it.

:class:`Store` joins the content cache (:mod:`ccgtui.store.content`) and the
user file (:mod:`ccgtui.store.userfile`); :func:`open_store` and
:func:`store_for` find it at the configured paths.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccgtui import paths
from ccgtui.bulk import gc_paused
from ccgtui.loader.files import FileStamp, fingerprint, stamps
from ccgtui.store.base import TEMP_SWEEP_AGE_S, OpenReport
from ccgtui.store.index import CacheIndex
from ccgtui.store.jsonfile import (
    CONTENT_FORMAT,
    CONTENT_TABLES,
    USER_TABLES,
    NewerSchema,
    NotOurs,
    StoreError,
    check_version,
    meta_of,
    move_aside,
    read_checked,
    read_json,
    why,
)
from ccgtui.store.refresh import Refresh, folder_record
from ccgtui.store.userfile import UserFile, check_user_rows
from ccgtui.store.write import cache_entry

if TYPE_CHECKING:
    from ccgtui.loader.parallel import Progress


class Store(Refresh, UserFile):
    """Open with :meth:`open`; all public methods take the cross-process lock."""

    # -- opening -------------------------------------------------------------

    def open(self, *, reload: bool | None = None) -> OpenReport:
        """Make the cache current.

        ``reload=None`` reloads when the case folder's fingerprint changed,
        ``True`` always, ``False`` never (use whatever is cached).
        A failed reload leaves both files byte-identical.
        """
        report = self.last_open = OpenReport()
        # The collector paused throughout: reading the index and the folder's stamps
        # builds ~100k small objects, and a reload millions (see ccgtui.bulk).
        with self.locked(), gc_paused():
            self._sweep_temp_files()
            self._retire_old_caches()  # an older ccgtui's, beside the notes
            try:
                self._recover_user(report)
            except OSError as exc:
                raise StoreError(
                    f"cannot repair the notes file {self.user_path}: {why(exc)}"
                ) from exc
            files = stamps(self.cases_dir)
            stamp = fingerprint(self.cases_dir, files)
            index = self._read_index()
            if index is not None and (
                reload is False or (not reload and index.fingerprint == stamp)
            ):
                self._index = index  # current: nothing else needs reading yet
                return report
            if index is not None and reload is None and self._refresh_or_fail(index, files, stamp):
                report.reloaded = True  # only the changed case files were read
                return report
            content = self._recover_content(report)
            # Here the index is missing or stale (folder changed, or a crash came
            # between the two writes, or an older ccgtui wrote the cache):
            # reloading rewrites both files; failing that, the content is used.
            if reload is not False or content is None:
                from ccgtui.loader.problems import LoadError  # YAML: only when loading

                try:
                    # Each case arrives as its cache entry, made where it was validated.
                    from ccgtui.loader.folder import load  # YAML and models: only now

                    loaded = load(self.cases_dir, cache_entry, self.on_progress)
                except LoadError as exc:
                    # Only this folder's last good data may stand in for it, never
                    # another folder's (a mistyped --cases would answer wrongly).
                    if content is None or meta_of(content).get("cases_dir") != str(
                        self.cases_dir.resolve()
                    ):
                        raise
                    report.problems = exc
                    self._content = content  # the last good data, already parsed
                    return report
                ids = {n: e[0] for n, e in zip(loaded.case_files, loaded.cases, strict=True)}
                record = folder_record(str(self.cases_dir.resolve()), files, ids)
                try:
                    self._write_content(loaded, stamp, record)
                except OSError as exc:  # a full disk, a read-only folder: old file kept
                    raise StoreError(
                        f"cannot write the database {self.db_path}: {why(exc)}; it is unchanged"
                    ) from exc
                del loaded  # served lazily from the new file, like any re-open
                report.reloaded = True
            else:
                self._content = content  # parsed once here; dataset() builds from it
        return report

    def _refresh_or_fail(self, index: CacheIndex, files: list[FileStamp], stamp: str) -> bool:
        """:meth:`_refresh`, a write that fails said as the full load says it."""
        try:
            return self._refresh(index, files, stamp)
        except OSError as exc:  # a full disk, a read-only folder
            raise StoreError(
                f"cannot write the database {self.db_path}: {why(exc)}; it is unchanged"
            ) from exc

    def _sweep_temp_files(self) -> None:
        """Delete temp files a killed process left (minutes old); their writers hold the lock."""
        patterns = [
            (self.db_path.parent, f".{self.db_path.name}.*.tmp"),
            (self.user_path.parent, f".{self.user_path.name}.*.tmp"),
            (self.index_path.parent, f".{self.index_path.name}.*.tmp"),
            (self.db_path.parent, f".{self.db_path.stem}.index.json.*.tmp"),  # an older ccgtui's
            (self.search_path.parent, f".{self.search_path.name}.*.tmp"),
            (self.backup_dir, f".{self.user_path.stem}-*.tmp"),
        ]
        # Only old ones: a young temp file may be another writer's, in flight, if
        # the lock was ever broken (e.g. its file deleted on a network drive).
        cutoff = time.time() - TEMP_SWEEP_AGE_S
        for folder, pattern in patterns:
            if folder.is_dir():
                for stale in folder.glob(pattern):
                    with contextlib.suppress(OSError):
                        if stale.stat().st_mtime < cutoff:
                            stale.unlink()

    def _recover_content(self, report: OpenReport) -> dict[str, Any] | None:
        """The parsed cache; a damaged one that ccgtui wrote is moved aside (``None``).

        A file ccgtui did not write (``--db briefing.md``) or a newer ccgtui
        wrote is refused and left exactly as it is.
        """
        try:
            return read_checked(self.db_path, CONTENT_TABLES, CONTENT_FORMAT)
        except NotOurs as exc:
            raise StoreError(
                f"{self.db_path} exists and is not a ccgtui database ({exc}); "
                "it was left untouched: choose another --db"
            ) from exc
        except NewerSchema as exc:
            raise StoreError(f"database {self.db_path} was {exc}") from exc
        except ValueError as exc:
            moved = move_aside(self.db_path)
            report.messages.append(
                f"database {self.db_path} was unreadable ({exc}); moved to {moved.name}, "
                "rebuilding from the case folder"
            )
            return None

    def check(self) -> list[str]:
        """Problems with the database files, empty when healthy (read-only)."""
        problems: list[str] = []
        try:
            if read_checked(self.db_path, CONTENT_TABLES, CONTENT_FORMAT) is None:
                aside = sorted(self.db_path.parent.glob(f"{self.db_path.name}.corrupt-*"))
                moved = f" (a damaged copy was moved aside to {aside[-1].name})" if aside else ""
                problems.append(
                    f"{self.db_path}: the case cache is missing{moved}; "
                    "`ccgtui load` rebuilds it from the case folder"
                )
        except ValueError as exc:
            problems.append(f"{self.db_path}: {exc}")
        try:
            data = read_json(self.user_path)
            if data is not None:
                check_version(data, USER_TABLES)
                check_user_rows(data)
            elif self.backups():
                problems.append(
                    f"{self.user_path}: the notes file is missing but backups exist; "
                    "`ccgtui db restore --latest` brings back the newest"
                )
        except ValueError as exc:
            problems.append(f"{self.user_path}: {exc}")
        return problems


def open_store(
    db: Path | str | None = None,
    cases: Path | str | None = None,
    *,
    reload: bool | None = None,
    progress: Progress | None = None,
) -> tuple[Store, OpenReport]:
    """Open the store at the configured paths and make it current.

    ``progress(files checked, files to check)`` is called while a reload parses
    case files (all of them, or only the changed ones), from the calling thread.
    """
    store = store_for(db, cases)
    store.on_progress = progress
    try:
        return store, store.open(reload=reload)
    finally:
        store.on_progress = None


def store_for(db: Path | str | None = None, cases: Path | str | None = None) -> Store:
    """The store at the configured paths, not opened.

    By default the notes are in the user data folder and the caches in the user
    cache folder (both created); a ``--db`` (or ``CCGTUI_DB``) the user named
    keeps everything beside it, and its folder must exist, so a typo creates nothing.
    """
    chosen = paths.db_chosen(db)
    return Store(
        paths.db_path(db),
        paths.cases_dir(cases),
        create_folder=not chosen,
        cache_dir=paths.cache_dir(db),  # None: a named --db keeps its caches beside it
    )
