"""Tags on cases and bookmarks on any target."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ccgtui.safe_text import clean as strip_control  # model.strip_control, without pydantic
from ccgtui.userdata.records import Bookmark, _bookmark, _checked_target, _find, _next_id, _now
from ccgtui.userdata.targets import UserDataError

if TYPE_CHECKING:
    from ccgtui.model import Dataset
    from ccgtui.store import Store

_TAG_SPACE = re.compile(r"\s+")


def normalise_tag(tag: str) -> str:
    """``"  Follow Up "`` → ``"follow-up"``; raise UserDataError if nothing is left."""
    cleaned = _TAG_SPACE.sub("-", strip_control(tag).strip().lower())
    if not cleaned:
        raise UserDataError("a tag needs some text")
    return cleaned


def add_tags(store: Store, case_id: str, tags: Iterable[str]) -> list[str]:
    """Tag a case (existing tags are kept once); returns the case's tags."""
    wanted = [normalise_tag(t) for t in tags]
    with store.user_db() as db:
        table = db.table("tags")
        have = {d["tag"] for d in table.all() if d.get("case") == case_id}
        now = _now()
        fresh = [t for t in dict.fromkeys(wanted) if t not in have]
        if fresh:
            table.insert_multiple({"case": case_id, "tag": t, "created": now} for t in fresh)
        return sorted(have | set(fresh))


def remove_tag(store: Store, case_id: str, tag: str) -> bool:
    """Untag a case; ``False`` if it did not have the tag."""
    norm = normalise_tag(tag)
    with store.user_db() as db:
        table = db.table("tags")
        ids = [d.doc_id for d in table.all() if d.get("case") == case_id and d.get("tag") == norm]
        if ids:
            table.remove(doc_ids=ids)
        return bool(ids)


def set_tags(store: Store, case_id: str, tags: Iterable[str]) -> list[str]:
    """Make the case's tags exactly ``tags`` (what the TUI's TagScreen returns)."""
    wanted = sorted({normalise_tag(t) for t in tags})
    with store.user_db() as db:
        table = db.table("tags")
        docs = [d for d in table.all() if d.get("case") == case_id]
        drop = [d.doc_id for d in docs if d.get("tag") not in wanted]
        have = {d.get("tag") for d in docs}
        if drop:
            table.remove(doc_ids=drop)
        now = _now()
        fresh = [t for t in wanted if t not in have]
        if fresh:
            table.insert_multiple({"case": case_id, "tag": t, "created": now} for t in fresh)
    return wanted


def list_tags(store: Store, case_id: str | None = None) -> dict[str, list[str]]:
    """Case id → sorted tags (only ``case_id`` if given)."""
    with store.user_db() as db:
        docs = db.table("tags").all()
    out: dict[str, set[str]] = {}
    for d in docs:
        if case_id is None or d.get("case") == case_id:
            out.setdefault(str(d["case"]), set()).add(str(d["tag"]))
    return {case: sorted(tags) for case, tags in sorted(out.items())}


def cases_tagged(store: Store, tag: str) -> list[str]:
    """The ids of the cases carrying ``tag`` (for filters and matrices)."""
    norm = normalise_tag(tag)
    return [case for case, tags in list_tags(store).items() if norm in tags]


def add_bookmark(
    store: Store, target: str, label: str | None = None, *, dataset: Dataset | None = None
) -> Bookmark:
    """Bookmark a target; bookmarking it again only updates the label.

    A bookmark on a partner position that now holds another partner (it is
    orphaned) is left as it is, and a new bookmark is made.
    """
    canonical, name, anchor = _checked_target(target, dataset)
    clean_label = strip_control(label or "").strip()
    with store.user_db() as db:
        table = db.table("bookmarks")
        existing = [
            d
            for d in table.all()
            if d.get("target") == canonical
            and (dataset is None or _bookmark(d).name(dataset) is not None)
        ]
        if existing:
            doc: dict[str, Any] = dict(existing[0])
            if label is not None:
                table.update({"label": clean_label}, doc_ids=[existing[0].doc_id])
                doc["label"] = clean_label
            return _bookmark(doc)
        new: dict[str, Any] = {
            "id": _next_id(db, "bookmarks"),
            "target": canonical,
            "label": clean_label,
            "created": _now(),
            "context": name,
        }
        if anchor is not None:
            new["anchor"] = anchor
        table.insert(new)
    return _bookmark(new)


def list_bookmarks(store: Store) -> list[Bookmark]:
    with store.user_db() as db:
        docs = db.table("bookmarks").all()
    return sorted((_bookmark(d) for d in docs), key=lambda b: b.id)


def remove_bookmark(store: Store, bookmark_id: int) -> Bookmark:
    with store.user_db() as db:
        doc = _find(db, "bookmarks", bookmark_id)
        db.table("bookmarks").remove(doc_ids=[doc.doc_id])
    return _bookmark(doc)
