"""A list of the researcher's notes, grouped by what they are about.

Used by the case's Notes tab, the study screen and the All notes screen.  Each
group starts with a heading (the target's current name, or its remembered name
flagged as orphaned) that the cursor skips; each note is one option showing
its number, date and text (a note a merge kept in two versions is marked
``⚠ 1 of 2 versions, by <author>``).  ``enter``/``e`` asks the host to edit the
highlighted note and ``d``/``delete`` to delete it (the host confirms first):
the widget does no I/O, it posts :class:`NoteList.Edit` and
:class:`NoteList.Delete`.

Every text is user or file data, so it goes in as ``Content``, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ccgtui import userdata as ud
from ccgtui.model import Dataset
from ccgtui.safe_text import clean, clean_id
from ccgtui.tui.errors import Guarded
from ccgtui.tui.keys import vim_keys

NOTE_GLYPH = "✎"
HEADING = "bold $text-accent"
ORPHAN = "bold $text-warning"
MUTED = "$foreground-muted"


@dataclass(frozen=True)
class Group:
    """Notes on one target; ``orphan`` says the target is gone (``title`` says why)."""

    target: str
    title: str
    orphan: bool
    notes: tuple[ud.Note, ...]


def _kind_rank(target: str) -> int:
    kind = target.partition(":")[0]
    return ud.TARGET_KINDS.index(kind) if kind in ud.TARGET_KINDS else len(ud.TARGET_KINDS)


def group_notes(notes: Sequence[ud.Note], dataset: Dataset | None) -> list[Group]:
    """Notes by target: live targets first (study, case, stages, ... sources), orphans last.

    Two notes on one partner position can be on different partners (one orphaned
    by a reordering), so a group is a target *and* its status.
    """
    groups: dict[tuple[str, bool, str], list[ud.Note]] = {}
    titles: dict[tuple[str, bool, str], str] = {}
    for note in notes:
        name = note.name(dataset) if dataset is not None else (note.context or note.target)
        orphan = name is None
        key = (note.target, orphan, note.orphan_title(dataset) if orphan and dataset else "")
        groups.setdefault(key, []).append(note)
        titles.setdefault(key, key[2] if orphan else (name or note.target))
    order = sorted(
        groups, key=lambda k: (k[1], _kind_rank(k[0]), min(n.id for n in groups[k]), k[0])
    )
    return [Group(k[0], titles[k], k[1], tuple(groups[k])) for k in order]


def _when(stamp: str) -> str:
    """``2026-01-02T10:00:00+00:00`` → ``2026-01-02 10:00`` (anything else as it is)."""
    return stamp[:16].replace("T", " ") if len(stamp) >= 16 else stamp


INDENT = "  "  # note lines sit under their heading


CONFLICT = "bold $text-warning"


def conflict_versions(notes: Sequence[ud.Note]) -> dict[int, int]:
    """Note id -> how many versions of that note stand (a merge kept both sides)."""
    in_conflict = ud.conflicts(notes)
    per_uid: dict[str, int] = {}
    for n in in_conflict:
        per_uid[n.uid] = per_uid.get(n.uid, 0) + 1
    return {n.id: per_uid[n.uid] for n in in_conflict}


def note_prompt(note: ud.Note, versions: int = 0) -> Content:
    """The note's number, date and text; ``versions`` > 1 marks it as one side of a conflict."""
    head = Content.styled(f"{INDENT}#{note.id} · {_when(note.updated)}", MUTED)
    if versions > 1:
        by = f", by {clean_id(note.author)}" if note.author else ""
        head += Content.styled(f" · ⚠ 1 of {versions} versions{by}", CONFLICT)
    lines = [head]
    # Notes come back from a notes file that may be someone else's: shown cleaned.
    lines += [Content(f"{INDENT}{line}") for line in clean(note.text).splitlines() or [""]]
    return Content("\n").join(lines)


def heading_prompt(group: Group, trim: str = "", first: bool = False) -> Content:
    """The group's title (``trim`` taken off its start), after a blank line unless first."""
    title = clean_id(group.title.removeprefix(trim) if trim else group.title)
    gap = "" if first else "\n"
    if group.orphan:
        return Content.styled(f"{gap}⚠ {title}", ORPHAN)
    return Content.styled(f"{gap}{title}", HEADING)


class NoteList(Guarded, OptionList):
    """Notes grouped by target; option ids are the note ids (headings: ``-group-<n>``).

    Styled in ``app.tcss`` (no border, transparent, headings in the text colour).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit note", id="note-list-edit"),
        Binding("d,delete", "delete", "Delete note", id="note-list-delete"),
        *vim_keys("note-list"),
    ]

    class _NoteMessage(Message):
        def __init__(self, note_list: NoteList, note: ud.Note) -> None:
            super().__init__()
            self.note_list = note_list
            self.note = note

        @property
        def control(self) -> NoteList:
            return self.note_list

    class Edit(_NoteMessage):
        """Edit ``note`` (enter or ``e``)."""

    class Delete(_NoteMessage):
        """Delete ``note`` (``d`` or ``delete``); the host asks first."""

    def __init__(self, empty: str = "No notes yet (n adds one)", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.empty = empty
        self.notes: dict[str, ud.Note] = {}
        self.groups: list[Group] = []

    def show(self, notes: Sequence[ud.Note], dataset: Dataset | None, trim: str = "") -> None:
        """Show ``notes`` grouped; the highlighted note stays highlighted if it is still there.

        ``trim`` is taken off the start of group titles (e.g. the case's label on the
        case's own Notes tab).
        """
        keep = self.current_note.id if self.current_note is not None else None
        self.groups = group_notes(notes, dataset)
        self.notes = {str(n.id): n for n in notes}
        versions = conflict_versions(notes)
        options: list[Option] = []
        for number, group in enumerate(self.groups):
            heading = heading_prompt(group, trim, first=number == 0)
            options.append(Option(heading, id=f"-group-{number}", disabled=True))
            options += [
                Option(note_prompt(n, versions.get(n.id, 0)), id=str(n.id)) for n in group.notes
            ]
        if not options:
            options.append(Option(Content.styled(self.empty, MUTED), id="-none-", disabled=True))
        self.set_options(options)
        ids = [o.id for o in options]
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        where = ids.index(str(keep)) if keep is not None and str(keep) in ids else first
        self.highlighted = where

    @property
    def current_note(self) -> ud.Note | None:
        option = self.highlighted_option
        if option is None or option.disabled or option.id is None:
            return None
        return self.notes.get(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        note = self.current_note
        if note is not None:
            self.post_message(self.Edit(self, note))

    def action_delete(self) -> None:
        note = self.current_note
        if note is not None:
            self.post_message(self.Delete(self, note))
