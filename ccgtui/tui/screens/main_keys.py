"""The main screen's keys, each with an id (a user keymap names it; the help screen lists it).

Kept apart from :mod:`ccgtui.tui.screens.main` so that the screen itself stays
within the module size limit.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from ccgtui.case_tabs import TITLES as TABS

_TAB_KEYS = [
    Binding(str(n), f"show_tab('{tab}')", title, show=False, id=f"tab-{tab}")
    for n, (tab, title) in enumerate(TABS, 1)
]


# The footer shows the keys a meeting needs (issue 18), in short words so they fit
# two rows at 80 columns; the help screen (?) gives every key in full.
MAIN_KEYS: list[BindingType] = [
    Binding("f", "focus_filter", "Filter", show=False, id="focus-filter"),
    Binding("slash", "search", "Search", id="search"),
    Binding("m", "matrix", "Matrix", id="open-matrix"),
    Binding("space", "mark", "Mark", id="mark-case", key_display="␣", tooltip="Mark for compare"),
    Binding(
        "equals_sign",
        "compare",
        "Compare",
        id="compare",
        key_display="=",
        tooltip="Compare marked",
    ),
    Binding("y", "copy", "Copy", id="copy-section", tooltip="Copy section as text"),
    Binding("n", "note", "Note", id="add-note"),
    Binding("t", "tag", "Tag", id="add-tag"),
    Binding("b", "bookmark", "Bmark", id="bookmark", tooltip="Bookmark"),
    Binding("B", "bookmarks", "Bmarks", id="bookmarks", tooltip="Bookmarks"),
    Binding("N", "all_notes", "Notes", id="all-notes", tooltip="All notes"),
    Binding("s", "study", "Study", show=False, id="open-study"),
    Binding(
        "ctrl+b",
        "toggle_case_list",
        "List",
        id="toggle-case-list",
        tooltip="Hide or show the case list",
    ),
    Binding("backspace,alt+left,ctrl+o", "back", "Back", id="history-back", key_display="⌫"),
    *_TAB_KEYS,
    Binding("left_square_bracket", "cycle_tab(-1)", "Prev tab", show=False, id="prev-tab"),
    Binding("right_square_bracket", "cycle_tab(1)", "Next tab", show=False, id="next-tab"),
    Binding("alt+right,ctrl+n", "forward", "Forward", show=False, id="history-forward"),
    Binding("escape", "to_list", "Case list", show=False, id="focus-list"),
    Binding("P", "toggle_present", "Big-screen mode", show=False, id="present"),
]
