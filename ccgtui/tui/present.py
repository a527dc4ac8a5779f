"""Big-screen mode (``ccgtui --present``, or ``P``): for a projector in a meeting room.

High contrast, the case list hidden, one section at a time (the tab bar hidden; ``1``-``7``
and ``[`` ``]`` still change section) with more room around the text.  The presenter's own
theme and case-list choice are not overwritten by the presentation's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.theme import Theme

if TYPE_CHECKING:
    from ccgtui.tui.remember import Remembered
    from ccgtui.tui.screens.main import MainScreen

THEME = Theme(
    name="ccgtui-high-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffaa00",
    warning="#ffcc00",
    error="#ff6666",
    success="#66ff66",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#202020",
    dark=True,
)


def set_present(main: MainScreen, remembered: Remembered, on: bool) -> None:
    """Turn big-screen mode on or off; off restores the presenter's theme and case list."""
    app = main.app
    if on == main.presenting:
        return
    if on:
        main.before_present = (app.theme, main.case_list_hidden)
        remembered.frozen = {"theme", "case_list_hidden"}  # the presenter's own stay
        main.set_case_list_hidden(True)
        app.theme = THEME.name
    else:
        theme, hidden = main.before_present or (app.theme, False)
        app.theme = theme
        remembered.frozen = set()
        main.set_case_list_hidden(hidden)
    main.set_class(on, "-present")
    main.focus_content()
