"""Big-screen mode (``ccgtui --present``, or ``P``): for a projector in a meeting room.

High contrast, the case list hidden, one section at a time (the tab bar hidden; ``1``-``7``
and ``[`` ``]`` still change section) with more room around the text.  The presenter's own
theme and case-list choice are not overwritten by the presentation's.
"""

from __future__ import annotations

from textual.theme import Theme

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
