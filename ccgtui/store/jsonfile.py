"""The store's JSON files: how they are read, recognised as ccgtui's, and written atomically.

A file is ccgtui's only if it carries its marker (``meta.format``); one without
it is never moved aside or replaced, and one from a newer ccgtui is refused.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from ccgtui import __version__
from ccgtui.dblock import DbLock
from ccgtui.fileio import atomic_write_bytes

SCHEMA_VERSION = 1
CONTENT_TABLES = ("studies", "sources", "cases")
USER_TABLES = ("notes", "tags", "bookmarks")
USER_FORMAT = "ccgtui notes"  # meta "format": whose file this is (see _ours)
CONTENT_FORMAT = "ccgtui cache"


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def dump_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class AtomicJSONStorage(Storage):  # type: ignore[misc]
    """TinyDB storage that writes atomically; callers hold the store's lock.

    With ``lock``, writes are kept in memory until :meth:`commit` (one write per
    read-change-write cycle), which first checks the lock is still held: a
    writer whose lock file was deleted mid-cycle writes nothing.
    """

    def __init__(self, path: str | Path, lock: DbLock | None = None) -> None:
        self.path = Path(path)
        self.lock = lock
        self._pending: dict[str, Any] | None = None

    def commit(self) -> None:
        if self._pending is None:
            return
        if self.lock is not None and not self.lock.still_held():
            raise StoreError(
                f"the lock file {self.lock.path} was deleted or replaced while this change "
                "was being made, so it was not saved; please try again"
            )
        data, self._pending = self._pending, None
        atomic_write_bytes(self.path, dump_json(data))

    def read(self) -> dict[str, Any] | None:
        if self._pending is not None:
            return self._pending
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("database root is not a JSON object")
        return data

    def write(self, data: dict[str, Any]) -> None:
        if self.lock is not None:
            self._pending = data
        else:
            atomic_write_bytes(self.path, dump_json(data))

    def close(self) -> None:
        pass


def read_json(path: Path) -> dict[str, Any] | None:
    """The parsed file, ``None`` if missing; raises ValueError if unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return _parse_json(raw)


def _parse_json(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        raise ValueError("file is empty")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError("database root is not a JSON object")
    return data


def meta_of(data: dict[str, Any]) -> dict[str, Any]:
    table = data.get("meta") or {}
    return dict(next(iter(table.values()), {})) if isinstance(table, dict) else {}


_LEGACY_PREFIX = b'{"meta":{"1":{"schema_version":'  # how ccgtui 0.1 files begin


def _marked(raw: bytes, marker: str) -> bool:
    """Whether unreadable bytes are still recognisably a file ccgtui wrote (or empty)."""
    head = raw.lstrip()
    mark = b'{"meta":{"1":{"format":' + json.dumps(marker).encode()
    cut_in_marker = len(head) >= len(b'{"meta":') and mark.startswith(head)
    return not head or cut_in_marker or head.startswith((mark, _LEGACY_PREFIX))


def claims(data: dict[str, Any], marker: str) -> bool:
    """Whether a JSON object is a file ccgtui wrote as ``marker`` (legacy files by shape)."""
    meta = meta_of(data)
    if "format" in meta:
        return bool(meta["format"] == marker)
    if "schema_version" not in meta:
        return False
    content_like = "fingerprint" in meta or any(t in data for t in CONTENT_TABLES)
    return content_like == (marker == CONTENT_FORMAT)


class NewerSchema(ValueError):
    """A file from a newer ccgtui: never "recovered", moved aside or replaced."""


class NotOurs(ValueError):
    """A file ccgtui did not write (no marker): never moved aside or replaced."""


def check_version(data: dict[str, Any], tables: tuple[str, ...]) -> None:
    meta = meta_of(data)
    version = meta.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        by = f"ccgtui {meta['written_by']}" if isinstance(meta.get("written_by"), str) else "it"
        raise NewerSchema(
            f"written by a newer ccgtui ({by}, file format {version}); this is ccgtui "
            f"{__version__}, which reads format {SCHEMA_VERSION}: upgrade ccgtui to open it"
        )
    if version != SCHEMA_VERSION:
        raise ValueError(f"schema version {version!r}, expected {SCHEMA_VERSION}")
    for name in tables:
        if not isinstance(data.get(name, {}), dict):
            raise ValueError(f"table {name!r} is not a JSON object")


def why(exc: OSError, named: Path | None = None) -> str:
    """``No space left on device`` (and the file, when it is not the one named)."""
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(named) else ""
    return f"{exc.strerror or exc}{where}"


def read_checked(path: Path, tables: tuple[str, ...], marker: str) -> dict[str, Any] | None:
    """The parsed file (``None`` if missing) after checking it is ccgtui's and current.

    Raises :class:`NotOurs` for a file ccgtui did not write, :class:`NewerSchema`
    for one a newer ccgtui wrote, and ValueError for one that is damaged.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = _parse_json(raw)
    except ValueError as exc:
        if not _marked(raw, marker):
            raise NotOurs(f"not JSON written by ccgtui: {exc}") from exc
        raise
    if not claims(data, marker):
        raise NotOurs(f"a JSON file without ccgtui's {marker!r} marker")
    check_version(data, tables)
    return data


def move_aside(path: Path) -> Path:
    """A damaged file ccgtui wrote, renamed beside itself (``.corrupt-<time>``), never deleted."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}-{time.time_ns() % 10**6}")
    os.replace(path, target)
    return target
