"""Another researcher's notes brought in (``notes import``), and notes left in conflict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from ccgtui.notes_merge import version_key
from ccgtui.userdata.records import Note, _find, _next_id, _note, _now, _uid
from ccgtui.userdata.targets import UserDataError
from ccgtui.wording import plural

if TYPE_CHECKING:
    from ccgtui.notes_import import Incoming
    from ccgtui.store import Store


@dataclass(frozen=True)
class ImportSummary:
    """What ``notes import`` changed (counts), and the note uids now in conflict."""

    added: int
    replaced: int  # your notes whose text the other side had edited since
    tags: int
    bookmarks: int
    conflicts: tuple[str, ...]


def _row_of(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored note as a merge row (see ccgtui.notes_merge)."""
    note = _note(doc)
    return {**asdict(note), "history": list(note.history)}


_NOTE_FIELDS = ("uid", "target", "text", "created", "updated", "author", "history", "context")


def import_notes(store: Store, incoming: Incoming, *, merge: bool) -> ImportSummary:
    """Bring another researcher's export into the notes file, in one locked cycle.

    Without ``merge`` the notes file must hold nothing yet (notes, tags or
    bookmarks); with it, notes merge by uid (:func:`ccgtui.notes_merge.merge_notes`:
    nothing from either side is lost, clashing versions are kept as a conflict)
    and tags and bookmarks as sets.  Your note numbers stay as they are.
    """
    from ccgtui.notes_merge import conflicted, key_of, merge_notes, new_bookmarks

    with store.user_db() as db:
        notes, tags, marks = db.table("notes"), db.table("tags"), db.table("bookmarks")
        docs = {int(d["id"]): d for d in notes.all()}
        if not merge and (docs or len(tags) or len(marks)):
            have = (
                f"{plural(len(docs), 'note')}, {plural(len(tags), 'tag')} and "
                f"{plural(len(marks), 'bookmark')}"
            )
            raise UserDataError(f"you already have {have}; use --merge to merge the file into them")
        local = [_row_of(d) for d in docs.values()]
        merged = merge_notes(local, incoming.notes)
        before = {int(r["id"]): key_of(r) for r in local}
        kept = {int(r["id"]) for r in merged if r["id"] is not None}
        gone = [docs[n].doc_id for n in docs if n not in kept]
        if gone:
            notes.remove(doc_ids=gone)
        added = replaced = 0
        for row in merged:
            fields = {k: row[k] for k in _NOTE_FIELDS}
            if row["anchor"] is not None:
                fields["anchor"] = row["anchor"]
            if row["id"] is None:
                notes.insert({"id": _next_id(db, "notes"), **fields})
                added += 1
            elif before[int(row["id"])] != key_of(row) or any(
                docs[int(row["id"])].get(k) != v for k, v in fields.items()
            ):
                replaced += before[int(row["id"])] != key_of(row)
                notes.update(fields, doc_ids=[docs[int(row["id"])].doc_id])
        have_tags = {(str(d["case"]), str(d["tag"])) for d in tags.all()}
        fresh_tags = sorted(incoming.tags - have_tags)
        now = _now()
        if fresh_tags:
            tags.insert_multiple({"case": c, "tag": t, "created": now} for c, t in fresh_tags)
        fresh_marks = new_bookmarks((str(d["target"]) for d in marks.all()), incoming.bookmarks)
        for mark in fresh_marks:
            doc = {
                "id": _next_id(db, "bookmarks"),
                **{k: v for k, v in mark.items() if v is not None},
            }
            marks.insert(doc)
    return ImportSummary(
        added=added,
        replaced=replaced,
        tags=len(fresh_tags),
        bookmarks=len(fresh_marks),
        conflicts=tuple(sorted(conflicted(merged))),
    )


def resolve_conflict(store: Store, note_id: int) -> list[Note]:
    """Keep this version of a note in conflict; the others are removed and returned.

    Their keys go into the kept version's history, so merging the colleague's
    file again (or they merging yours) does not bring them back.
    """
    with store.user_db() as db:
        kept = _note(_find(db, "notes", note_id))
        others = [
            d for d in db.table("notes").all() if int(d["id"]) != note_id and _uid(d) == kept.uid
        ]
        if not others:
            raise UserDataError(f"note {note_id} is not in conflict")
        dropped = [_note(d) for d in others]
        history = {*kept.history, *(version_key(n.uid, n.target, n.text) for n in dropped)}
        doc = _find(db, "notes", note_id)
        db.table("notes").update(
            {"uid": kept.uid, "history": sorted(history)}, doc_ids=[doc.doc_id]
        )
        db.table("notes").remove(doc_ids=[d.doc_id for d in others])
    return dropped


def conflicts(notes: Iterable[Note]) -> list[Note]:
    """The notes with another version of the same note beside them (from a merge)."""
    listed = list(notes)
    seen: dict[str, int] = {}
    for n in listed:
        seen[n.uid] = seen.get(n.uid, 0) + 1
    return [n for n in listed if seen[n.uid] > 1]
