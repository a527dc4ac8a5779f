"""The researcher's own layer: notes, tags and bookmarks.

These exist nowhere but the user file of the :class:`~ccgtui.store.Store`
(``<db stem>.user.json``, tables ``notes``, ``tags``, ``bookmarks``), so every
function here takes a Store and does its whole read-change-write cycle inside
one ``store.user_db()`` block: one cross-process lock, atomic writes, and a
rotating backup after every change.  A reload of the case folder never touches
this file.

Target ids
----------
A note or bookmark points at a *target*, a string ``KIND:PATH`` built from the
ids in the case files (ids match ``[a-z0-9][a-z0-9._-]*``, so ``:`` and ``/``
never occur inside one and parsing is unambiguous)::

    study:<study-id>                 study:ccg-clinical-leadership
    case:<case-id>                   case:composite-frail-elderly
    stage:<case-id>/<stage-id>       stage:composite-frail-elderly/legitimacy
    arena:<case-id>/<arena>          arena:composite-frail-elderly/board
                                     (<arena> is board | programme | practice)
    partner:<case-id>/<n>            partner:composite-frail-elderly/2
                                     (<n> counts from 1 in the case's partner list;
                                      partners have no ids, so reordering them in
                                      the case file moves the note)
    source:<source-id>               source:storey2018

Build them with :func:`study_target`, :func:`case_target`, :func:`stage_target`,
:func:`arena_target`, :func:`partner_target` and :func:`source_target` rather
than by hand.  :func:`parse_target` checks the grammar; :func:`resolve_target`
says whether a target still exists in a :class:`~ccgtui.model.Dataset` and what
to call it.  A note whose target no longer resolves (the case was renamed or
deleted) is *orphaned*: it is kept, listed and exported with that flag, and can
be moved with ``edit_note(..., target=...)``; nothing here ever drops it.

Tags are on cases only, normalised by :func:`normalise_tag` (trimmed,
lowercased, runs of whitespace become ``-``).

Errors are :class:`UserDataError` (bad input, unknown id); lock timeouts and
unreadable files surface as :class:`~ccgtui.store.StoreError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from ccgtui.model import Arena, Dataset, strip_control
from ccgtui.store import Store, StoreError, atomic_write_bytes

TARGET_KINDS = ("study", "case", "stage", "arena", "partner", "source")
_ID = r"[a-z0-9][a-z0-9._-]*"
_TARGET_RE = {
    "study": re.compile(rf"^({_ID})$"),
    "case": re.compile(rf"^({_ID})$"),
    "source": re.compile(rf"^({_ID})$"),
    "stage": re.compile(rf"^({_ID})/({_ID})$"),
    "arena": re.compile(rf"^({_ID})/(board|programme|practice)$"),
    "partner": re.compile(rf"^({_ID})/([1-9][0-9]*)$"),
}
_TAG_SPACE = re.compile(r"\s+")


class UserDataError(ValueError):
    """A bad target, tag or text, or an id that does not exist."""


# -- targets -------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A parsed target id: ``kind`` plus the id parts after the colon."""

    kind: str
    parts: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind}:{'/'.join(self.parts)}"

    @property
    def case_id(self) -> str | None:
        """The case this target belongs to, if any."""
        return self.parts[0] if self.kind in ("case", "stage", "arena", "partner") else None


def study_target(study_id: str) -> str:
    return f"study:{study_id}"


def case_target(case_id: str) -> str:
    return f"case:{case_id}"


def stage_target(case_id: str, stage_id: str) -> str:
    return f"stage:{case_id}/{stage_id}"


def arena_target(case_id: str, arena: Arena | str) -> str:
    return f"arena:{case_id}/{Arena(arena).value}"


def partner_target(case_id: str, number: int) -> str:
    """``number`` counts from 1: the first partner in the case file is 1."""
    if number < 1:
        raise UserDataError(f"partner numbers count from 1, got {number}")
    return f"partner:{case_id}/{number}"


def source_target(source_id: str) -> str:
    return f"source:{source_id}"


def parse_target(text: str) -> Target:
    """Check ``text`` against the grammar; raise UserDataError saying what is wrong."""
    kind, sep, rest = text.strip().partition(":")
    if not sep or kind not in _TARGET_RE:
        raise UserDataError(
            f"{text!r} is not a target; use KIND:ID with KIND one of "
            f"{', '.join(TARGET_KINDS)} (e.g. case:composite-frail-elderly)"
        )
    match = _TARGET_RE[kind].match(rest)
    if match is None:
        shapes = {
            "stage": "stage:<case-id>/<stage-id>",
            "arena": "arena:<case-id>/board|programme|practice",
            "partner": "partner:<case-id>/<number from 1>",
        }
        shape = shapes.get(kind, f"{kind}:<id>")
        raise UserDataError(f"{text!r} is not a valid {kind} target; expected {shape}")
    return Target(kind, match.groups())


def resolve_target(target: str | Target, dataset: Dataset) -> str | None:
    """A readable name for the target if it exists in ``dataset``, else ``None``."""
    t = target if isinstance(target, Target) else parse_target(target)
    if t.kind == "study":
        study = dataset.study(t.parts[0])
        return f"Study: {study.short_title or study.title}" if study else None
    if t.kind == "source":
        source = dataset.source(t.parts[0])
        return f"Source: {source.title}" if source else None
    case = dataset.case(t.parts[0])
    if case is None:
        return None
    if t.kind == "case":
        return f"Case: {case.label}"
    if t.kind == "stage":
        stages = case.story if isinstance(case.story, list) else []
        stage = next((s for s in stages if s.id == t.parts[1]), None)
        return f"{case.label} › Stage: {stage.title}" if stage else None
    if t.kind == "arena":
        return f"{case.label} › Arena: {Arena(t.parts[1]).label}"
    partners = case.partners if isinstance(case.partners, list) else []
    number = int(t.parts[1])
    if number > len(partners):
        return None
    partner = partners[number - 1]
    name = partner.organisation or partner.sector.label
    return f"{case.label} › Partner {number}: {name}"


def target_exists(target: str | Target, dataset: Dataset) -> bool:
    return resolve_target(target, dataset) is not None


# -- records -------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    id: int
    target: str
    text: str
    created: str
    updated: str
    context: str = ""  # the target's name when the note was written, for orphans

    def title(self, dataset: Dataset | None) -> str:
        """The target's current name, or the remembered one marked orphaned."""
        if dataset is None:
            return self.context or self.target
        name = resolve_safe(self.target, dataset)
        return name if name is not None else f"{self.context or self.target} (orphaned)"


@dataclass(frozen=True)
class Bookmark:
    id: int
    target: str
    label: str
    created: str
    context: str = ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clean_text(text: str) -> str:
    cleaned = strip_control(text).strip()
    if not cleaned:
        raise UserDataError("a note needs some text")
    return cleaned


def _checked_target(target: str, dataset: Dataset | None) -> tuple[str, str]:
    """The canonical target and its current name; unknown targets refused."""
    parsed = parse_target(target)
    if dataset is None:
        return str(parsed), ""
    name = resolve_target(parsed, dataset)
    if name is None:
        raise UserDataError(f"{parsed} does not exist in the loaded case folder")
    return str(parsed), name


def _next_id(db: TinyDB, table: str) -> int:
    """Ids are never reused, even after a delete (a counter in ``meta``)."""
    meta = db.table("meta")
    doc = meta.all()[0]
    key = f"next_{table}_id"
    used = [int(d.get("id", 0)) for d in db.table(table).all()]
    value = max([int(doc.get(key, 1)), *(u + 1 for u in used)])
    meta.update({key: value + 1}, doc_ids=[doc.doc_id])
    return value


def _note(doc: dict[str, Any]) -> Note:
    return Note(
        id=int(doc["id"]),
        target=str(doc["target"]),
        text=str(doc["text"]),
        created=str(doc.get("created", "")),
        updated=str(doc.get("updated", doc.get("created", ""))),
        context=str(doc.get("context", "")),
    )


def _bookmark(doc: dict[str, Any]) -> Bookmark:
    return Bookmark(
        id=int(doc["id"]),
        target=str(doc["target"]),
        label=str(doc.get("label", "")),
        created=str(doc.get("created", "")),
        context=str(doc.get("context", "")),
    )


def _find(db: TinyDB, table: str, item_id: int) -> Any:
    docs = [d for d in db.table(table).all() if int(d.get("id", -1)) == item_id]
    if not docs:
        what = "note" if table == "notes" else "bookmark"
        raise UserDataError(f"no {what} with id {item_id}")
    return docs[0]


# -- notes ---------------------------------------------------------------------


def add_note(store: Store, target: str, text: str, *, dataset: Dataset | None = None) -> Note:
    """Add a note; with ``dataset`` the target must exist in it (no born orphans)."""
    canonical, name = _checked_target(target, dataset)
    body = _clean_text(text)
    with store.user_db() as db:
        now = _now()
        doc = {
            "id": _next_id(db, "notes"),
            "target": canonical,
            "text": body,
            "created": now,
            "updated": now,
            "context": name,
        }
        db.table("notes").insert(doc)
    return _note(doc)


def list_notes(store: Store, target: str | None = None) -> list[Note]:
    """Every note (oldest first), or those on ``target`` and, for a case, inside it."""
    with store.user_db() as db:
        notes = [_note(d) for d in db.table("notes").all()]
    if target is not None:
        wanted = parse_target(target)
        notes = [n for n in notes if _within(n.target, wanted)]
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
        changes["target"], changes["context"] = _checked_target(target, dataset)
    with store.user_db() as db:
        doc = _find(db, "notes", note_id)
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
    """The notes whose target no longer exists in ``dataset``."""
    return [n for n in notes if not _exists_safe(n.target, dataset)]


def _exists_safe(target: str, dataset: Dataset) -> bool:
    return resolve_safe(target, dataset) is not None


def resolve_safe(target: str, dataset: Dataset) -> str | None:
    """Like :func:`resolve_target`, but a malformed stored target is just orphaned."""
    try:
        return resolve_target(target, dataset)
    except UserDataError:
        return None


# -- tags ----------------------------------------------------------------------


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


# -- bookmarks -----------------------------------------------------------------


def add_bookmark(
    store: Store, target: str, label: str | None = None, *, dataset: Dataset | None = None
) -> Bookmark:
    """Bookmark a target; bookmarking it again only updates the label."""
    canonical, name = _checked_target(target, dataset)
    clean_label = strip_control(label or "").strip()
    with store.user_db() as db:
        table = db.table("bookmarks")
        existing = [d for d in table.all() if d.get("target") == canonical]
        if existing:
            doc: dict[str, Any] = dict(existing[0])
            if label is not None:
                table.update({"label": clean_label}, doc_ids=[existing[0].doc_id])
                doc["label"] = clean_label
            return _bookmark(doc)
        new = {
            "id": _next_id(db, "bookmarks"),
            "target": canonical,
            "label": clean_label,
            "created": _now(),
            "context": name,
        }
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


# -- export, backup, restore -----------------------------------------------------


def export_data(store: Store, dataset: Dataset | None) -> dict[str, Any]:
    """Everything the user wrote, with each target's status, as plain JSON data."""
    with store.user_db() as db:
        notes = [_note(d) for d in db.table("notes").all()]
        bookmarks = [_bookmark(d) for d in db.table("bookmarks").all()]
        tag_docs = db.table("tags").all()
    tags: dict[str, list[str]] = {}
    for d in tag_docs:
        tags.setdefault(str(d["case"]), []).append(str(d["tag"]))

    def status(target: str) -> dict[str, Any]:
        if dataset is None:
            return {}
        name = resolve_safe(target, dataset)
        return {"name": name, "orphaned": name is None}

    return {
        "exported": _now(),
        "notes": [{**asdict(n), **status(n.target)} for n in sorted(notes, key=lambda n: n.id)],
        "tags": {case: sorted(t) for case, t in sorted(tags.items())},
        "bookmarks": [
            {**asdict(b), **status(b.target)} for b in sorted(bookmarks, key=lambda b: b.id)
        ],
    }


def export_json(store: Store, dataset: Dataset | None) -> str:
    return json.dumps(export_data(store, dataset), ensure_ascii=False, indent=2) + "\n"


def export_markdown(store: Store, dataset: Dataset | None) -> str:
    """Notes grouped by target (orphans last, flagged), then tags and bookmarks."""
    data = export_data(store, dataset)
    lines = ["# ccgtui notes", "", f"Exported {data['exported']}.", ""]
    groups: dict[str, list[dict[str, Any]]] = {}
    for note in data["notes"]:
        groups.setdefault(note["target"], []).append(note)
    order = sorted(groups, key=lambda t: (bool(groups[t][0].get("orphaned")), t))
    for target in order:
        first = groups[target][0]
        name = first.get("name") or first.get("context") or target
        flag = " — ORPHANED (target no longer in the case files)" if first.get("orphaned") else ""
        lines += [f"## {name}{flag}", "", f"`{target}`", ""]
        for note in groups[target]:
            lines += [f"### Note {note['id']} ({note['updated']})", "", note["text"], ""]
    if data["tags"]:
        lines += ["## Tags", ""]
        lines += [f"- `{case}`: {', '.join(tags)}" for case, tags in data["tags"].items()]
        lines.append("")
    if data["bookmarks"]:
        lines += ["## Bookmarks", ""]
        for b in data["bookmarks"]:
            label = f" — {b['label']}" if b["label"] else ""
            flag = " (ORPHANED)" if b.get("orphaned") else ""
            lines.append(f"- {b['id']}: `{b['target']}`{label}{flag}")
        lines.append("")
    return "\n".join(lines)


def backup_to(store: Store, target: Path, *, force: bool = False) -> int:
    """Write a copy of the notes file to ``target`` atomically; returns its size.

    Refuses to overwrite an existing file unless ``force``.
    """
    if target.exists() and not force:
        raise UserDataError(f"{target} exists; pass --force to overwrite it")
    if target.is_dir():
        raise UserDataError(f"{target} is a folder; give a file name")
    try:
        with store.user_db() as db:  # creates an empty notes file if there is none yet
            db.table("meta").all()  # raises ValueError if the file is unreadable
            raw = store.user_path.read_bytes()
            atomic_write_bytes(target, raw)
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
