"""Notes: add, list, edit and remove, each in one locked read-change-write of the user file."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ccgtui.notes_merge import new_uid, version_key
from ccgtui.userdata.records import (
    Note,
    _checked_target,
    _clean_text,
    _find,
    _next_id,
    _note,
    _now,
    current_author,
)
from ccgtui.userdata.targets import Target, UserDataError, parse_target

if TYPE_CHECKING:
    from ccgtui.model import Dataset
    from ccgtui.store import Store


def add_note(store: Store, target: str, text: str, *, dataset: Dataset | None = None) -> Note:
    """Add a note; with ``dataset`` the target must exist in it (no born orphans).

    Pass ``dataset`` whenever you have it: it also records which partner a
    partner note is on, so reordering the partners can never move the note.
    """
    canonical, name, anchor = _checked_target(target, dataset)
    body = _clean_text(text)
    with store.user_db() as db:
        now = _now()
        doc: dict[str, Any] = {
            "id": _next_id(db, "notes"),
            "target": canonical,
            "text": body,
            "created": now,
            "updated": now,
            "context": name,
            "uid": new_uid(),
            "author": current_author(),
        }
        if anchor is not None:
            doc["anchor"] = anchor
        db.table("notes").insert(doc)
    return _note(doc)


def list_notes(store: Store, target: str | None = None) -> list[Note]:
    """Every note (oldest first), or those on ``target`` and, for a case, inside it."""
    return notes_about(store, None if target is None else [target])


def notes_about(store: Store, targets: Iterable[str] | None = None) -> list[Note]:
    """The notes (oldest first) on any of ``targets`` and, for a case, inside it.

    One read for all of them: the explorer's Notes tab asks for a case and the
    sources it cites (``[case_target(c), source_target(s1), ...]``).  ``None``
    means every note.
    """
    wanted = None if targets is None else [parse_target(t) for t in targets]
    with store.user_db() as db:
        notes = [_note(d) for d in db.table("notes").all()]
    if wanted is not None:
        notes = [n for n in notes if any(_within(n.target, w) for w in wanted)]
    return sorted(notes, key=lambda n: n.id)


def _within(target: str, wanted: Target) -> bool:
    if target == str(wanted):
        return True
    if wanted.kind != "case":
        return False
    try:
        return parse_target(target).case_id == wanted.parts[0]
    except UserDataError:
        return False


def get_note(store: Store, note_id: int) -> Note:
    with store.user_db() as db:
        return _note(_find(db, "notes", note_id))


def edit_note(
    store: Store,
    note_id: int,
    text: str | None = None,
    *,
    target: str | None = None,
    dataset: Dataset | None = None,
) -> Note:
    """Change a note's text and/or move it to another target (e.g. an orphan)."""
    changes: dict[str, Any] = {}
    if text is not None:
        changes["text"] = _clean_text(text)
    if target is not None:
        changes["target"], changes["context"], changes["anchor"] = _checked_target(target, dataset)
    with store.user_db() as db:
        doc = _find(db, "notes", note_id)
        old = _note(doc)
        if (
            changes.get("text", old.text) != old.text
            or changes.get("target", old.target) != old.target
        ):
            # A new version: it replaces the old one wherever the two meet in a merge.
            changes["uid"] = old.uid
            changes["history"] = sorted({*old.history, version_key(old.uid, old.target, old.text)})
            changes["author"] = current_author()
        if changes:
            changes["updated"] = _now()
            db.table("notes").update(changes, doc_ids=[doc.doc_id])
            doc = {**doc, **changes}
    return _note(doc)


def remove_note(store: Store, note_id: int) -> Note:
    with store.user_db() as db:
        doc = _find(db, "notes", note_id)
        db.table("notes").remove(doc_ids=[doc.doc_id])
    return _note(doc)


def orphaned(notes: Iterable[Note], dataset: Dataset) -> list[Note]:
    """The notes whose target no longer exists in ``dataset`` (or whose partner moved)."""
    return [n for n in notes if n.name(dataset) is None]
