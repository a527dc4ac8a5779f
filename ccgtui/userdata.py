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
    partner:<case-id>/<partner-id>   partner:riverside-frailty/council
                                     (the partner's ``id`` in the case file: follows
                                      the partner wherever it moves in the list)
    partner:<case-id>/<n>            partner:composite-frail-elderly/2
                                     (for a partner without an id: <n> counts from 1
                                      in the case's partner list)
    source:<source-id>               source:storey2018

Partner ids are never only digits, so the two partner forms cannot be confused.

Build them with :func:`study_target`, :func:`case_target`, :func:`stage_target`,
:func:`arena_target`, :func:`partner_target` (or :func:`target_for_partner`,
which prefers the id) and :func:`source_target` rather than by hand.
:func:`parse_target` checks the grammar; :func:`resolve_target` says whether a
target still exists in a :class:`~ccgtui.model.Dataset` and what to call it.

Orphans
-------
A note whose target no longer resolves (the case was renamed or deleted) is
*orphaned*: it is kept, listed and exported with that flag, and can be moved
with ``edit_note(..., target=...)``; nothing here ever drops it.

A position (``partner:<case>/2``) is not an identity: reorder the partners in
the case file and position 2 is someone else.  So a note or bookmark on a
partner also stores a :class:`PartnerAnchor` (sector, organisation and text of
the partner when the note was made).  When the partner now at that position
no longer matches the anchor, the note is orphaned rather than silently shown
on another partner, and :func:`moved_to` names the partner that does match, if
exactly one does.  Notes written before anchors existed are checked against the
partner name remembered in their ``context``.  Adding a note on a position
whose partner has an id stores the id target instead.

Tags are on cases only, normalised by :func:`normalise_tag` (trimmed,
lowercased, runs of whitespace become ``-``).

Errors are :class:`UserDataError` (bad input, unknown id); lock timeouts and
unreadable files surface as :class:`~ccgtui.store.StoreError`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import TinyDB

from ccgtui.fileio import OutputError, write_output
from ccgtui.model import Arena, Case, Dataset, Partner, strip_control
from ccgtui.notes_merge import legacy_uid, new_uid, version_key
from ccgtui.store import Store, StoreError
from ccgtui.wording import plural

if TYPE_CHECKING:
    from ccgtui.notes_import import Incoming

TARGET_KINDS = ("study", "case", "stage", "arena", "partner", "source")
_ID = r"[a-z0-9][a-z0-9._-]*"
_TARGET_RE = {
    "study": re.compile(rf"^({_ID})$"),
    "case": re.compile(rf"^({_ID})$"),
    "source": re.compile(rf"^({_ID})$"),
    "stage": re.compile(rf"^({_ID})/({_ID})$"),
    "arena": re.compile(rf"^({_ID})/(board|programme|practice)$"),
    "partner": re.compile(rf"^({_ID})/({_ID})$"),  # a position or a partner id
}
_POSITION = re.compile(r"^[1-9][0-9]*$")
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

    @property
    def position(self) -> int | None:
        """``n`` for ``partner:<case>/<n>``; ``None`` for a partner id and every other kind."""
        if self.kind == "partner" and self.parts[1].isdigit():
            return int(self.parts[1])
        return None


def study_target(study_id: str) -> str:
    return f"study:{study_id}"


def case_target(case_id: str) -> str:
    return f"case:{case_id}"


def stage_target(case_id: str, stage_id: str) -> str:
    return f"stage:{case_id}/{stage_id}"


def arena_target(case_id: str, arena: Arena | str) -> str:
    return f"arena:{case_id}/{Arena(arena).value}"


def partner_target(case_id: str, ref: int | str) -> str:
    """``ref`` is the partner's id, or its position counting from 1 (the first is 1).

    :func:`target_for_partner` picks the id when the partner has one.
    """
    if isinstance(ref, int):
        if ref < 1:
            raise UserDataError(f"partner numbers count from 1, got {ref}")
        return f"partner:{case_id}/{ref}"
    return str(parse_target(f"partner:{case_id}/{ref}"))


def target_for_partner(case: Case, number: int) -> str:
    """The target for the ``number``-th partner of ``case`` (from 1): its id if it has one."""
    partners = _partners(case)
    if not 1 <= number <= len(partners):
        raise UserDataError(f"{case.id} has no partner {number}")
    return partner_target(case.id, partners[number - 1].id or number)


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
    if match is not None and kind == "partner":
        ref = match.group(2)
        if ref.isdigit() and not _POSITION.match(ref):  # 0, 007: neither a position nor an id
            match = None
    if match is None:
        shapes = {
            "stage": "stage:<case-id>/<stage-id>",
            "arena": "arena:<case-id>/board|programme|practice",
            "partner": "partner:<case-id>/<partner-id> or partner:<case-id>/<number from 1>",
        }
        shape = shapes.get(kind, f"{kind}:<id>")
        raise UserDataError(f"{text!r} is not a valid {kind} target; expected {shape}")
    return Target(kind, match.groups())


@dataclass(frozen=True)
class PartnerAnchor:
    """The partner a note was written on, remembered with the note.

    A partner *position* is checked against it, so that reordering the partners
    in the case file orphans the note instead of moving it to another partner.
    """

    sector: str
    organisation: str = ""
    text: str = ""

    @classmethod
    def of(cls, partner: Partner) -> PartnerAnchor:
        return cls(partner.sector.value, partner.organisation or "", partner.text)

    @classmethod
    def from_doc(cls, value: Any) -> PartnerAnchor | None:
        if not isinstance(value, dict) or not value.get("sector"):
            return None
        return cls(
            str(value["sector"]), str(value.get("organisation") or ""), str(value.get("text") or "")
        )

    def matches(self, partner: Partner) -> bool:
        """Same sector and organisation; a partner with no organisation needs the same text."""
        if (partner.sector.value, partner.organisation or "") != (self.sector, self.organisation):
            return False
        return bool(self.organisation) or partner.text == self.text


def _partners(case: Case) -> list[Partner]:
    return case.partners if isinstance(case.partners, list) else []


def _partner_name(partner: Partner) -> str:
    return partner.organisation or partner.sector.label


def _find_partner(case: Case, target: Target) -> tuple[int, Partner] | None:
    """(position from 1, partner) for a partner target, whatever its form."""
    partners = _partners(case)
    number = target.position
    if number is not None:
        return (number, partners[number - 1]) if number <= len(partners) else None
    return next(((i, p) for i, p in enumerate(partners, 1) if p.id == target.parts[1]), None)


def _remembered_name(context: str, number: int) -> str | None:
    """The partner name in a note's context ("<case> › Partner 2: <name>"), if there."""
    marker = f" › Partner {number}: "
    return context.rpartition(marker)[2] if marker in context else None


def _still_there(partner: Partner, number: int, anchor: PartnerAnchor | None, context: str) -> bool:
    """Is the partner at this position still the one the note was written on?"""
    if anchor is not None:
        return anchor.matches(partner)
    remembered = _remembered_name(context, number)  # notes written before anchors
    return remembered is None or remembered == _partner_name(partner)


def resolve_target(
    target: str | Target,
    dataset: Dataset,
    *,
    anchor: PartnerAnchor | None = None,
    context: str = "",
) -> str | None:
    """A readable name for the target if it exists in ``dataset``, else ``None``.

    For a partner position, the partner there must still match ``anchor`` (or,
    for a note older than anchors, the name remembered in ``context``).
    """
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
    found = _find_partner(case, t)
    if found is None:
        return None
    number, partner = found
    if t.position is None:
        return f"{case.label} › Partner {partner.id}: {_partner_name(partner)}"
    if not _still_there(partner, number, anchor, context):
        return None
    return f"{case.label} › Partner {number}: {_partner_name(partner)}"


def target_exists(target: str | Target, dataset: Dataset) -> bool:
    return resolve_target(target, dataset) is not None


def resolve_safe(
    target: str,
    dataset: Dataset,
    *,
    anchor: PartnerAnchor | None = None,
    context: str = "",
) -> str | None:
    """Like :func:`resolve_target`, but a malformed stored target is just orphaned."""
    try:
        return resolve_target(target, dataset, anchor=anchor, context=context)
    except UserDataError:
        return None


def moved_to(
    target: str, dataset: Dataset, *, anchor: PartnerAnchor | None = None, context: str = ""
) -> str | None:
    """For an orphaned partner note: the target of the one partner that matches it now.

    ``None`` when the target still resolves, is not a partner, or no partner (or
    more than one) in the case matches what the note was written on.
    """
    try:
        t = parse_target(target)
    except UserDataError:
        return None
    case = dataset.case(t.parts[0]) if t.kind == "partner" else None
    if case is None or resolve_target(t, dataset, anchor=anchor, context=context) is not None:
        return None
    partners = _partners(case)
    if anchor is not None:
        hits = [i for i, p in enumerate(partners, 1) if anchor.matches(p)]
    elif t.position is not None and (name := _remembered_name(context, t.position)):
        hits = [i for i, p in enumerate(partners, 1) if _partner_name(p) == name]
    else:
        hits = []
    return target_for_partner(case, hits[0]) if len(hits) == 1 else None


# -- records -------------------------------------------------------------------


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


# -- notes ---------------------------------------------------------------------


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


# -- export, backup, restore -----------------------------------------------------


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
