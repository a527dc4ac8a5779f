"""The user file as a whole: everything exported as JSON, backed up, restored."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ccgtui.fileio import OutputError, write_output
from ccgtui.store import StoreError
from ccgtui.userdata.records import Bookmark, Note, _bookmark, _note, _now
from ccgtui.userdata.targets import UserDataError

if TYPE_CHECKING:
    from ccgtui.model import Dataset
    from ccgtui.store import Store


EXPORT_FORMAT = "ccgtui notes export"
EXPORT_VERSION = 1  # older exports have no marker; a newer version is refused on import


def export_data(store: Store, dataset: Dataset | None) -> dict[str, Any]:
    """Everything the user wrote, with each target's status, as plain JSON data."""
    with store.user_db() as db:
        notes = [_note(d) for d in db.table("notes").all()]
        bookmarks = [_bookmark(d) for d in db.table("bookmarks").all()]
        tag_docs = db.table("tags").all()
    tags: dict[str, list[str]] = {}
    for d in tag_docs:
        tags.setdefault(str(d["case"]), []).append(str(d["tag"]))

    def status(item: Note | Bookmark) -> dict[str, Any]:
        if dataset is None:  # no case data to check against: unknown, never orphaned
            return {"name": None, "orphaned": None, "moved_to": None}
        name = item.name(dataset)
        moved = item.moved_to(dataset) if name is None else None
        return {"name": name, "orphaned": name is None, "moved_to": moved}

    return {
        "format": EXPORT_FORMAT,  # what `ccgtui notes import` recognises
        "format_version": EXPORT_VERSION,
        "exported": _now(),
        "notes": [{**asdict(n), **status(n)} for n in sorted(notes, key=lambda n: n.id)],
        "tags": {case: sorted(t) for case, t in sorted(tags.items())},
        "bookmarks": [{**asdict(b), **status(b)} for b in sorted(bookmarks, key=lambda b: b.id)],
    }


def backup_to(store: Store, target: Path, *, force: bool = False) -> int:
    """Write a copy of the notes file to ``target`` atomically; returns its size.

    Refuses to overwrite an existing file unless ``force``.
    """
    if target.is_dir():
        raise UserDataError(f"{target} is a folder; give a file name")
    if target.is_file() and not force:  # checked before reading; write_output checks again
        raise UserDataError(f"{target} exists; pass --force to overwrite it")
    try:
        with store.user_db() as db:  # creates an empty notes file if there is none yet
            db.table("meta").all()  # raises ValueError if the file is unreadable
        raw = store.user_path.read_bytes()  # as committed (each version is whole)
        # Written after the lock is let go (a FIFO waits for its reader).  Like any
        # output, a FIFO or device is written through, never replaced; a new copy
        # is private like the notes file.
        write_output(target, raw, force=force, new_mode=0o600)
    except (OutputError, StoreError) as exc:
        raise UserDataError(str(exc)) from exc
    except UserDataError:
        raise
    except ValueError as exc:
        raise UserDataError(
            f"the notes file {store.user_path} is unreadable ({exc}); "
            "`ccgtui db restore --latest` brings back the newest good backup"
        ) from exc
    return len(raw)


def restore_from(store: Store, source: Path | None) -> Path:
    """Validate ``source`` (default: newest good backup) and make it the notes file."""
    if source is not None and not source.is_file():
        raise UserDataError(f"{source} is not a file")
    try:
        return store.restore_user(source)
    except StoreError as exc:
        raise UserDataError(str(exc)) from exc
