"""Dialogs for the researcher's own layer: a note, a case's tags, the bookmarks, a confirmation.

The screens do no I/O: they take the data to show and dismiss with what the
user decided; the host reads and writes through :mod:`ccgtui.userdata` in a
thread worker.  Every text from a file or from the user is shown as data
(``Content`` / ``markup=False``), never as markup.

Contract with the hosts (the main screen, the study screen, All notes):

* ``n`` → ``NoteScreen(target, existing_text, title=..., note_id=...)``, a
  modal with a TextArea; ``ctrl+s`` dismisses with the text (stripped),
  ``ctrl+d`` (or saving an emptied note) asks :class:`ConfirmScreen` and then
  dismisses with :data:`DELETE`, ``escape`` with ``None`` (cancel).  ``target``
  is a target id such as ``case:<case-id>`` or ``stage:<case-id>/<stage-id>``
  (see :mod:`ccgtui.userdata`).
* The dialogs open at once, before the stored data is read, so keys typed
  straight after ``n`` / ``t`` land in them (not on the screen below, where
  ``q`` quits): ``NoteScreen(..., reading=True)`` / ``TagScreen(..., reading=True)``
  take the stored note or tags later through ``load(...)``, keep what was typed
  meanwhile, and hold back a save until then.
* ``t`` → ``TagScreen(case_id, tags)``: add with enter in the input, remove the
  highlighted tag with ``delete``; ``ctrl+s`` (or enter on an empty input)
  dismisses with the new full list of normalised tags — store it with
  ``userdata.set_tags`` — and ``escape`` with ``None``.
* ``b`` bookmarks the current target (``userdata.add_bookmark``); the palette's
  "Bookmarks" opens ``BookmarksScreen(bookmarks, names)`` which dismisses with
  a :class:`BookmarksResult`: the bookmark to open (or ``None``) and the ids
  the user removed with ``delete`` (apply with ``userdata.remove_bookmark``).
* Lists of notes are :class:`ccgtui.tui.widgets.note_list.NoteList` widgets;
  their ``Edit`` / ``Delete`` messages go to :meth:`UserLayer.edit` and
  :meth:`UserLayer.delete`.  A deleted note can still be recovered from the
  store's rotating backups (``ccgtui db restore``).

:class:`ccgtui.tui.dialogs.user_layer.UserLayer` does all of that for a host screen
(workers, callbacks, telling the host what changed), so wiring the keys is one call
per action.
"""

from __future__ import annotations
