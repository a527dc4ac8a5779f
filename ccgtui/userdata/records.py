"""Notes and bookmarks as records: the dataclasses, their rows in the user file, ids, authors."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ccgtui.notes_merge import legacy_uid
from ccgtui.safe_text import clean as strip_control  # model.strip_control, without pydantic
from ccgtui.userdata.anchors import (
    PartnerAnchor,
    _find_partner,
    moved_to,
    resolve_safe,
    resolve_target,
)
from ccgtui.userdata.targets import UserDataError, parse_target, target_for_partner

if TYPE_CHECKING:
    from tinydb import TinyDB

    from ccgtui.model import Dataset


class _OnTarget:
    """What notes and bookmarks share: a target, checked against a dataset."""

    target: str
    context: str  # the target's name when it was written, for orphans
    anchor: PartnerAnchor | None  # for partner targets: the partner it was written on

    def name(self, dataset: Dataset) -> str | None:
        """The target's current name, or ``None`` if it is orphaned."""
        return resolve_safe(self.target, dataset, anchor=self.anchor, context=self.context)

    def moved_to(self, dataset: Dataset) -> str | None:
        """Where an orphaned partner note's partner is now (see :func:`moved_to`)."""
        return moved_to(self.target, dataset, anchor=self.anchor, context=self.context)

    def orphan_title(self, dataset: Dataset) -> str:
        """The remembered name, flagged; says where the partner went if it is known."""
        where = self.moved_to(dataset)
        flag = f"orphaned: that partner is now {where}" if where else "orphaned"
        return f"{self.context or self.target} ({flag})"


@dataclass(frozen=True)
class Note(_OnTarget):
    id: int
    target: str
    text: str
    created: str
    updated: str
    context: str = ""
    anchor: PartnerAnchor | None = None
    # Shared with other researchers' copies (see ccgtui.notes_merge): who wrote
    # this text, and the versions it replaced.
    uid: str = ""
    author: str = ""
    history: tuple[str, ...] = ()

    def title(self, dataset: Dataset | None) -> str:
        """The target's current name, or the remembered one marked orphaned."""
        if dataset is None:
            return self.context or self.target
        name = self.name(dataset)
        return name if name is not None else self.orphan_title(dataset)


@dataclass(frozen=True)
class Bookmark(_OnTarget):
    id: int
    target: str
    label: str
    created: str
    context: str = ""
    anchor: PartnerAnchor | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


AUTHOR_ENV = "CCGTUI_AUTHOR"


def current_author() -> str:
    """Who is writing: ``$CCGTUI_AUTHOR``, else the login name (shared with merged notes)."""
    name = os.environ.get(AUTHOR_ENV, "").strip()
    if not name:
        import getpass

        try:
            name = getpass.getuser()
        except (OSError, KeyError):  # no login name (a container without a passwd entry)
            name = ""
    return strip_control(name).strip()[:200]


def _clean_text(text: str) -> str:
    cleaned = strip_control(text).strip()
    if not cleaned:
        raise UserDataError("a note needs some text")
    return cleaned


def _checked_target(target: str, dataset: Dataset | None) -> tuple[str, str, dict[str, str] | None]:
    """The canonical target, its current name and (for a partner) its anchor.

    Unknown targets are refused; a partner position whose partner has an id
    becomes the id target, which survives reordering.
    """
    parsed = parse_target(target)
    if dataset is None:
        return str(parsed), "", None
    anchor = None
    case = dataset.case(parsed.parts[0]) if parsed.kind == "partner" else None
    found = _find_partner(case, parsed) if case is not None else None
    if case is not None and found is not None:
        number, partner = found
        parsed = parse_target(target_for_partner(case, number))
        anchor = asdict(PartnerAnchor.of(partner))
    name = resolve_target(parsed, dataset)
    if name is None:
        raise UserDataError(f"{parsed} does not exist in the loaded case folder")
    return str(parsed), name, anchor


def _next_id(db: TinyDB, table: str) -> int:
    """Ids are never reused, even after a delete (a counter in ``meta``)."""
    meta = db.table("meta")
    doc = meta.all()[0]
    key = f"next_{table}_id"
    used = [int(d.get("id", 0)) for d in db.table(table).all()]
    value = max([int(doc.get(key, 1)), *(u + 1 for u in used)])
    meta.update({key: value + 1}, doc_ids=[doc.doc_id])
    return value


def _uid(doc: dict[str, Any]) -> str:
    """The note's uid; a note older than uids gets one derived from what it has."""
    uid = doc.get("uid")
    if isinstance(uid, str) and uid:
        return uid
    return legacy_uid(str(doc.get("created", "")), int(doc["id"]), str(doc["target"]))


def _note(doc: dict[str, Any]) -> Note:
    history = doc.get("history")
    return Note(
        id=int(doc["id"]),
        target=str(doc["target"]),
        text=str(doc["text"]),
        created=str(doc.get("created", "")),
        updated=str(doc.get("updated", doc.get("created", ""))),
        context=str(doc.get("context", "")),
        anchor=PartnerAnchor.from_doc(doc.get("anchor")),
        uid=_uid(doc),
        author=str(doc.get("author", "")),
        history=tuple(str(h) for h in history) if isinstance(history, list) else (),
    )


def _bookmark(doc: dict[str, Any]) -> Bookmark:
    return Bookmark(
        id=int(doc["id"]),
        target=str(doc["target"]),
        label=str(doc.get("label", "")),
        created=str(doc.get("created", "")),
        context=str(doc.get("context", "")),
        anchor=PartnerAnchor.from_doc(doc.get("anchor")),
    )


def _find(db: TinyDB, table: str, item_id: int) -> Any:
    docs = [d for d in db.table(table).all() if int(d.get("id", -1)) == item_id]
    if not docs:
        what = "note" if table == "notes" else "bookmark"
        raise UserDataError(f"no {what} with id {item_id}")
    return docs[0]
