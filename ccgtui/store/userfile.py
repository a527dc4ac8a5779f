"""The user's own file (``*.user.json``: notes, tags, bookmarks) and its rotating backups.

It exists nowhere else, so a reload never rewrites it, every change is
followed by a backup, and a damaged file is moved aside and recovered from
the newest good backup.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from ccgtui import __version__
from ccgtui.fileio import atomic_write_bytes
from ccgtui.store.base import OpenReport, StoreBase
from ccgtui.store.jsonfile import (
    CONTENT_FORMAT,
    SCHEMA_VERSION,
    USER_FORMAT,
    USER_TABLES,
    AtomicJSONStorage,
    NewerSchema,
    StoreError,
    check_version,
    claims,
    move_aside,
    read_json,
    why,
)

BACKUPS_KEPT = 5


_ROW_FIELDS: dict[str, dict[str, type]] = {
    # table -> field -> type (required fields first; the rest may be missing)
    "notes": {"id": int, "target": str, "text": str},
    "tags": {"case": str, "tag": str},
    "bookmarks": {"id": int, "target": str},
}
_OPTIONAL_STR = ("created", "updated", "context", "label", "uid", "author")  # uid, author: merge


def check_user_rows(data: dict[str, Any]) -> None:
    """Raise ValueError naming the first malformed row of a notes file."""
    for table, fields in _ROW_FIELDS.items():
        rows = data.get(table, {})
        if not isinstance(rows, dict):
            raise ValueError(f"table {table!r} is not a JSON object")
        for key, row in rows.items():
            where = f"{table} row {key}"
            if not isinstance(row, dict):
                raise ValueError(f"{where} is not a JSON object")
            for name, kind in fields.items():
                value = row.get(name)
                if not isinstance(value, kind) or isinstance(value, bool):
                    raise ValueError(f"{where}: {name!r} is missing or not a {kind.__name__}")
            for name in _OPTIONAL_STR:
                if name in row and not isinstance(row[name], str):
                    raise ValueError(f"{where}: {name!r} is not text")
            if row.get("anchor") is not None and not isinstance(row["anchor"], dict):
                raise ValueError(f"{where}: 'anchor' is not a JSON object")
            history = row.get("history", [])  # version keys a note replaced (notes_merge)
            if not isinstance(history, list) or not all(isinstance(h, str) for h in history):
                raise ValueError(f"{where}: 'history' is not a list of text")


class UserFile(StoreBase):
    """The notes, tags and bookmarks file: read, changed under the lock, backed up, restored."""

    def _recover_user(self, report: OpenReport) -> None:
        try:
            data = read_json(self.user_path)
            if data is not None:
                check_version(data, USER_TABLES)
            return
        except NewerSchema as exc:  # not damaged: never moved aside for an older backup
            raise StoreError(f"notes file {self.user_path} was {exc}") from exc
        except ValueError as exc:
            moved = move_aside(self.user_path)
            backup = self._newest_good_backup()
            if backup is None:
                report.messages.append(
                    f"notes file {self.user_path} was unreadable ({exc}); moved to {moved.name}; "
                    "no good backup found, starting with no notes"
                )
                return
            atomic_write_bytes(self.user_path, backup.read_bytes())
            report.messages.append(
                f"notes file {self.user_path} was unreadable ({exc}); moved to {moved.name}; "
                f"recovered notes from backup {backup.name}"
            )

    @contextmanager
    def user_db(self) -> Iterator[TinyDB]:
        """The user's TinyDB, locked for the whole block; backed up after a change.

        The block's changes are written once, at its end, and only if it ends
        without an exception.  A backup that fails after that write is a
        warning (the change is saved; a retry would duplicate it).
        """
        with self.locked():
            before = self.user_path.read_bytes() if self.user_path.exists() else None
            db = TinyDB(self.user_path, storage=AtomicJSONStorage, lock=self.lock)
            try:
                try:
                    check_user_rows(db.storage.read() or {})
                except ValueError as exc:  # every command that reads notes says so, cleanly
                    raise StoreError(
                        f"the notes file {self.user_path} is unreadable ({exc}); "
                        "`ccgtui db restore --latest` brings back the newest good backup"
                    ) from exc
                if not db.table("meta").all():
                    db.table("meta").insert({"format": USER_FORMAT, **self._stamp()})
                yield db
                storage = db.storage
                assert isinstance(storage, AtomicJSONStorage)
                try:
                    storage.commit()
                except OSError as exc:  # a full disk, a read-only folder
                    reason = why(exc, self.user_path)
                    raise StoreError(
                        f"cannot write the notes file {self.user_path}: {reason}; "
                        "nothing was changed"
                    ) from exc
            finally:
                db.close()
            after = self.user_path.read_bytes() if self.user_path.exists() else None
            if after is not None and after != before:
                self._backup_or_warn(after)

    @staticmethod
    def _stamp() -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "written_by": __version__}

    def _backup_or_warn(self, data: bytes) -> None:
        try:
            self._backup_user(data)
        except OSError as exc:
            self.warn(
                f"your change is saved in {self.user_path}, but its backup in "
                f"{self.backup_dir} failed ({exc.strerror or exc})"
            )

    def _backup_user(self, data: bytes) -> None:
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        name = f"{self.user_path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns()}.json"
        atomic_write_bytes(self.backup_dir / name, data)
        for old in self.backups()[BACKUPS_KEPT:]:
            old.unlink(missing_ok=True)

    def backups(self) -> list[Path]:
        """User-data backups, newest first."""
        if not self.backup_dir.is_dir():
            return []
        return sorted(self.backup_dir.glob("*.json"), key=lambda p: p.name, reverse=True)

    def _newest_good_backup(self) -> Path | None:
        for backup in self.backups():
            try:
                data = read_json(backup)
                if data is not None:
                    check_version(data, USER_TABLES)
                    check_user_rows(data)
                    return backup
            except ValueError:
                continue
        return None

    def restore_user(self, source: Path | None = None) -> Path:
        """Replace the notes file with ``source`` (default: the newest good backup).

        The file is validated before anything is written, and the replacement is
        atomic and backed up like any other change; the state it replaces is
        kept in the rotation too.  Returns the file restored from; raises
        StoreError if it cannot be used.
        """
        with self.locked():
            chosen = source if source is not None else self._newest_good_backup()
            if chosen is None:
                raise StoreError(f"no good backup in {self.backup_dir}")
            try:
                raw = chosen.read_bytes()  # validate exactly the bytes that get written
                data = json.loads(raw) if raw.strip() else None
                if not isinstance(data, dict) or not claims(data, USER_FORMAT):
                    cache = isinstance(data, dict) and claims(data, CONTENT_FORMAT)
                    raise ValueError(
                        "that is the case cache, not a notes file"
                        if cache
                        else "not a ccgtui notes file (no notes marker)"
                    )
                check_version(data, USER_TABLES)
                check_user_rows(data)
            except (ValueError, OSError) as exc:
                raise StoreError(f"cannot restore from {chosen}: {exc}") from exc
            before = self.user_path.read_bytes() if self.user_path.exists() else None
            if before is not None and before != raw:
                newest = self.backups()[:1]
                if not newest or newest[0].read_bytes() != before:
                    self._backup_user(before)  # so the replaced state can be brought back
            atomic_write_bytes(self.user_path, raw)
            if raw != before:
                self._backup_user(raw)
            return chosen
