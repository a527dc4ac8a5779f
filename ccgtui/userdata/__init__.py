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

The parts: ``targets`` (ids built and parsed), ``anchors`` (does a target still
exist, what is it called), ``records`` (notes and bookmarks as rows), ``notes``,
``tags`` (tags and bookmarks), ``merging`` (another researcher's notes, conflicts)
and ``userfile`` (export, backup, restore).  Every public name is importable from
``ccgtui.userdata`` as before the split.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ccgtui.userdata.anchors import (
        PartnerAnchor,
        moved_to,
        resolve_safe,
        resolve_target,
        target_exists,
    )
    from ccgtui.userdata.merging import ImportSummary, conflicts, import_notes, resolve_conflict
    from ccgtui.userdata.notes import (
        add_note,
        edit_note,
        get_note,
        list_notes,
        notes_about,
        orphaned,
        remove_note,
    )
    from ccgtui.userdata.records import AUTHOR_ENV, Bookmark, Note, current_author
    from ccgtui.userdata.tags import (
        add_bookmark,
        add_tags,
        cases_tagged,
        list_bookmarks,
        list_tags,
        normalise_tag,
        remove_bookmark,
        remove_tag,
        set_tags,
    )
    from ccgtui.userdata.targets import (
        TARGET_KINDS,
        Target,
        UserDataError,
        arena_target,
        case_target,
        parse_target,
        partner_target,
        source_target,
        stage_target,
        study_target,
        target_for_partner,
    )
    from ccgtui.userdata.userfile import (
        EXPORT_FORMAT,
        EXPORT_VERSION,
        backup_to,
        export_data,
        restore_from,
    )

# Where each public name lives: imported on first use, so a command imports only
# the parts it touches (issue 16's light imports).
_HOMES: dict[str, str] = {
    "PartnerAnchor": "ccgtui.userdata.anchors",
    "moved_to": "ccgtui.userdata.anchors",
    "resolve_safe": "ccgtui.userdata.anchors",
    "resolve_target": "ccgtui.userdata.anchors",
    "target_exists": "ccgtui.userdata.anchors",
    "ImportSummary": "ccgtui.userdata.merging",
    "conflicts": "ccgtui.userdata.merging",
    "import_notes": "ccgtui.userdata.merging",
    "resolve_conflict": "ccgtui.userdata.merging",
    "add_note": "ccgtui.userdata.notes",
    "edit_note": "ccgtui.userdata.notes",
    "get_note": "ccgtui.userdata.notes",
    "list_notes": "ccgtui.userdata.notes",
    "notes_about": "ccgtui.userdata.notes",
    "orphaned": "ccgtui.userdata.notes",
    "remove_note": "ccgtui.userdata.notes",
    "AUTHOR_ENV": "ccgtui.userdata.records",
    "Bookmark": "ccgtui.userdata.records",
    "Note": "ccgtui.userdata.records",
    "current_author": "ccgtui.userdata.records",
    "add_bookmark": "ccgtui.userdata.tags",
    "add_tags": "ccgtui.userdata.tags",
    "cases_tagged": "ccgtui.userdata.tags",
    "list_bookmarks": "ccgtui.userdata.tags",
    "list_tags": "ccgtui.userdata.tags",
    "normalise_tag": "ccgtui.userdata.tags",
    "remove_bookmark": "ccgtui.userdata.tags",
    "remove_tag": "ccgtui.userdata.tags",
    "set_tags": "ccgtui.userdata.tags",
    "TARGET_KINDS": "ccgtui.userdata.targets",
    "Target": "ccgtui.userdata.targets",
    "UserDataError": "ccgtui.userdata.targets",
    "arena_target": "ccgtui.userdata.targets",
    "case_target": "ccgtui.userdata.targets",
    "parse_target": "ccgtui.userdata.targets",
    "partner_target": "ccgtui.userdata.targets",
    "source_target": "ccgtui.userdata.targets",
    "stage_target": "ccgtui.userdata.targets",
    "study_target": "ccgtui.userdata.targets",
    "target_for_partner": "ccgtui.userdata.targets",
    "EXPORT_FORMAT": "ccgtui.userdata.userfile",
    "EXPORT_VERSION": "ccgtui.userdata.userfile",
    "backup_to": "ccgtui.userdata.userfile",
    "export_data": "ccgtui.userdata.userfile",
    "restore_from": "ccgtui.userdata.userfile",
}

if not TYPE_CHECKING:  # mypy sees the imports above; a typo is still an error
    from ccgtui.lazy_exports import lazy_getattr

    __getattr__ = lazy_getattr(__name__, _HOMES, globals())


__all__ = [
    "AUTHOR_ENV",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "TARGET_KINDS",
    "Bookmark",
    "ImportSummary",
    "Note",
    "PartnerAnchor",
    "Target",
    "UserDataError",
    "add_bookmark",
    "add_note",
    "add_tags",
    "arena_target",
    "backup_to",
    "case_target",
    "cases_tagged",
    "conflicts",
    "current_author",
    "edit_note",
    "export_data",
    "get_note",
    "import_notes",
    "list_bookmarks",
    "list_notes",
    "list_tags",
    "moved_to",
    "normalise_tag",
    "notes_about",
    "orphaned",
    "parse_target",
    "partner_target",
    "remove_bookmark",
    "remove_note",
    "remove_tag",
    "resolve_conflict",
    "resolve_safe",
    "resolve_target",
    "restore_from",
    "set_tags",
    "source_target",
    "stage_target",
    "study_target",
    "target_exists",
    "target_for_partner",
]
